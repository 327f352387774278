// What the page around the widget needs (JupyterLab, Notebook 7, Voilà, marimo): marimo's
// light and dark themes, where Esc hands the keyboard, and a view filling the window.
import "./host.css";

/** The element hosting a shadow root the widget lives in (marimo's), or null. */
export function shadowHost(root) {
  const top = root.getRootNode?.();
  return top && top !== root && top.host ? top.host : null;
}

/** Whether the widget is a marimo cell's output (it lives in the shadow DOM of one). */
export function inMarimo(root) {
  const host = shadowHost(root);
  return Boolean(host?.closest?.(".marimo-cell") || host?.tagName?.toLowerCase().startsWith("marimo-"));
}

export const STYLE_ID = "nbreview-css"; // the <style> the build's loader puts in the page's head

/**
 * The widget's CSS inside a shadow root too (marimo's): a page's head does not style it.
 * anywidget adds `_css` there itself; the deflated build puts its CSS in the head only.
 */
export function shareStyles(root, doc = document) {
  const top = root.getRootNode?.();
  const source = doc.getElementById(STYLE_ID);
  if (!source || !top || top === doc || !top.host) return;
  let copy = top.querySelector?.(`style[data-nbreview]`);
  if (!copy) {
    copy = doc.createElement("style");
    copy.dataset.nbreview = "";
    top.prepend(copy);
  }
  if (copy.textContent !== source.textContent) copy.textContent = source.textContent;
}

/** Where Esc hands the keyboard: the notebook (command mode), or marimo's cell. */
export function releaseTarget(root) {
  const host = shadowHost(root);
  const cell = host?.closest?.(".marimo-cell");
  if (cell) return cell;
  return root.closest(".jp-Notebook") ?? root.closest(".jp-Cell");
}

/**
 * Follow the host's theme: marimo's colours reach the shadow DOM as CSS variables, and its
 * dark theme is `body.dark-theme` (host.css maps them onto the widget's own variables).
 * Returns the function that stops following.
 */
export function followTheme(root, doc = document) {
  let observer = null;
  const apply = () => {
    shareStyles(root, doc);
    const marimo = inMarimo(root);
    root.classList.toggle("nbr-host-marimo", marimo);
    root.classList.toggle("nbr-dark", marimo && doc.body.classList.contains("dark-theme"));
    if (marimo && !observer && typeof MutationObserver !== "undefined") {
      observer = new MutationObserver(apply);
      observer.observe(doc.body, { attributes: true, attributeFilter: ["class"] });
    }
  };
  apply();
  return {
    check: apply, // once the widget is on the page: a shadow root is known only then
    stop: () => observer?.disconnect(),
  };
}

/**
 * The full-window view (key f): the widget in the browser's top layer, above the notebook,
 * so no host's scrolling or containment can clip it; a plain fixed overlay without popovers.
 */
export function createFullWindow(root, onChange) {
  const canPop = typeof root.showPopover === "function";
  let full = false;
  const set = (on) => {
    if (on === full) return;
    full = on;
    if (canPop) {
      if (on) {
        root.setAttribute("popover", "manual");
        root.showPopover();
      } else {
        if (root.matches(":popover-open")) root.hidePopover();
        root.removeAttribute("popover");
      }
    }
    root.classList.toggle("nbr-full", on);
    onChange?.(on);
    root.focus({ preventScroll: true });
  };
  return {
    get on() {
      return full;
    },
    toggle: () => set(!full),
    leave: () => set(false),
  };
}
