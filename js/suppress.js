// Keeps JupyterLab's shortcuts (Lumino's CommandRegistry) away from keys the widget owns.

// Lumino stops looking for a shortcut when it walks into an element with this attribute.
export const SUPPRESS_ATTR = "data-lm-suppress-shortcuts";

/**
 * Listen on window in the capture phase, which runs before any listener on
 * document, and mark the event target when the key is ours; unmark it for keys
 * that must reach the notebook (Ctrl+S …). Returns the function that removes the listener.
 */
export function guardShortcuts(root, ownsKey, win = window) {
  const onKeydown = (e) => {
    const target = e.target;
    if (!target || typeof target.setAttribute !== "function" || !root.contains(target)) return;
    if (ownsKey(e)) target.setAttribute(SUPPRESS_ATTR, "true");
    else target.removeAttribute(SUPPRESS_ATTR);
  };
  win.addEventListener("keydown", onKeydown, true);
  return () => win.removeEventListener("keydown", onKeydown, true);
}
