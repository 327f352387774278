// Keydown event → widget action. Pure: no DOM, no model.

const accel = (e) => (e.ctrlKey || e.metaKey) && !e.altKey;
const modified = (e) => e.ctrlKey || e.metaKey || e.altKey;

/** The letter a key types; falls back to the physical key on non-Latin layouts. */
export function letterOf(e) {
  if (typeof e.key === "string" && /^[a-z]$/i.test(e.key)) return e.key.toLowerCase();
  const m = /^Key([A-Z])$/.exec(e.code ?? "");
  return m ? m[1].toLowerCase() : null;
}

/** The digit a key types, or null; physical digit keys count on layouts (AZERTY) where they type symbols. */
export function digitOf(e) {
  if (typeof e.key === "string" && /^[0-9]$/.test(e.key)) return Number(e.key);
  if (e.shiftKey) return null;
  const m = /^(?:Digit|Numpad)([0-9])$/.exec(e.code ?? "");
  return m ? Number(m[1]) : null;
}

const isUndo = (e) => accel(e) && !e.shiftKey && letterOf(e) === "z";
const isAccelEnter = (e) => accel(e) && !e.shiftKey && e.key === "Enter";

/**
 * Keys the widget claims while it has focus: every key without Ctrl/Cmd/Alt,
 * plus Ctrl/Cmd+Z and Ctrl/Cmd+Enter. Everything else (Ctrl+S …) belongs to the notebook.
 */
export function ownsKey(e) {
  return !modified(e) || isUndo(e) || isAccelEnter(e);
}

/**
 * The action for a keydown, or null when the widget does nothing with it.
 * ctx.inTextarea: focus is in a free-text box, where keys type text.
 * A digit's meaning is left to the question focused when the action runs: a key
 * typed ahead of a record change runs on the next record (see answers.answerForDigit).
 */
export function actionForKey(e, { inTextarea = false } = {}) {
  if (e.isComposing) return null; // an IME is composing text; the key is not ours
  if (inTextarea) return textareaAction(e);
  if (isUndo(e)) return { type: "undo" };
  if (isAccelEnter(e)) return { type: "submit" };
  if (modified(e)) return null;
  switch (e.key) {
    case "Enter":
      return e.shiftKey ? null : { type: "submit" };
    case "Tab":
      return { type: "move", by: e.shiftKey ? -1 : 1 };
    case "ArrowLeft":
      return { type: "nav", to: "prev" };
    case "ArrowRight":
      return { type: "nav", to: "next" };
    case "Escape":
      return { type: "release" };
    case "?":
      return { type: "help" };
    case "/":
      return { type: "search" };
    default:
  }
  const digit = digitOf(e);
  if (digit !== null) return { type: "digit", digit };
  switch (letterOf(e)) {
    case "s":
      return { type: "skip" };
    case "g":
      return { type: "guidelines" };
    case "a":
      return { type: "accept" };
    case "r":
      return { type: "raw" };
    case "q":
      return { type: "queue" };
    case "f":
      return { type: "full" };
    case "t":
      return { type: "unfold" };
    default:
      return null;
  }
}

// In a text box, keys type text; only these leave it or act on the record.
function textareaAction(e) {
  if (e.key === "Escape" && !modified(e)) return { type: "leave" };
  if (isAccelEnter(e)) return { type: "submit" };
  if (e.key === "Tab" && !modified(e)) return { type: "move", by: e.shiftKey ? -1 : 1 };
  return null;
}
