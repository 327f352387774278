// The keys table: action name ↔ keys, read from config.keys (Python's `_ui/keymap.py` fills it
// and validates it; docs/protocol.md, "Keys"). This is the one place the browser knows which key
// does what; the `?` panel and the buttons' hints are drawn from it. Pure: no DOM, no model.

/** The table in force when the config carries none (an older kernel): API.md 14's defaults. */
export const DEFAULT_KEYS = Object.freeze({
  submit: ["Enter"],
  skip: ["s"],
  next: ["ArrowRight"],
  prev: ["ArrowLeft"],
  undo: ["Ctrl+z"],
  guidelines: ["g"],
  help: ["?"],
  accept: ["a"],
  raw: ["r"],
  queue: ["q"],
  search: ["/"],
  full: ["f"],
  release: ["Escape"],
  next_question: ["Tab"],
  prev_question: ["Shift+Tab"],
  next_turn: ["ArrowDown", "j"],
  prev_turn: ["ArrowUp", "k"],
  unfold: ["t"],
  similar: ["m"],
  // a kind's own actions (Python sends [] when no question of the review takes them)
  caret: ["c"],
  delete_span: ["Backspace", "Delete"],
  edit: ["e"],
});

// In a text box keys type text; only these actions act there (plus Ctrl/Cmd+Enter).
const TEXT_ACTIONS = { release: "leave", next_question: "next_question", prev_question: "prev_question" };

/** The table in force: config.keys laid over the defaults (an action the config omits keeps its keys). */
export function keysOf(config = {}) {
  const given = config?.keys && typeof config.keys === "object" ? config.keys : {};
  const table = { ...DEFAULT_KEYS };
  for (const [action, keys] of Object.entries(given)) {
    if (Array.isArray(keys)) table[action] = keys.filter((k) => typeof k === "string" && k !== "");
  }
  return table;
}

const accel = (e) => Boolean(e.ctrlKey || e.metaKey);

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

/** A key string ("Ctrl+z", "Shift+Tab", "?") as {key, ctrl, alt, shift}. */
export function parseKey(spec) {
  const parts = String(spec).split("+");
  // "+" itself, or a key ending in "+" ("Ctrl++"): the last part is empty
  const key = parts.at(-1) === "" && parts.length > 1 ? "+" : parts.at(-1);
  const mods = new Set(parts.slice(0, key === "+" ? -2 : -1));
  return { key, ctrl: mods.has("Ctrl"), alt: mods.has("Alt"), shift: mods.has("Shift") };
}

const isChar = (key) => [...key].length === 1;

/** Whether a keydown is this key string: a letter by the letter it types (or its physical key),
 * a digit likewise; Shift matters for named keys (Tab, Enter) and when the string names it. */
export function matchesKey(e, spec) {
  const want = parseKey(spec);
  if (accel(e) !== want.ctrl || Boolean(e.altKey) !== want.alt) return false;
  if (/^[a-z]$/i.test(want.key)) {
    // Shift is free for a bare letter ("S" skips too), exact beside Ctrl or Alt (Ctrl+Shift+Z is redo)
    if (want.shift ? !e.shiftKey : (want.ctrl || want.alt) && e.shiftKey) return false;
    return letterOf(e) === want.key.toLowerCase();
  }
  if (/^[0-9]$/.test(want.key)) return digitOf(e) === Number(want.key) && (!want.shift || e.shiftKey);
  if (isChar(want.key)) return e.key === want.key && (!want.shift || Boolean(e.shiftKey));
  return e.key === want.key && Boolean(e.shiftKey) === want.shift;
}

/** The first action of the table this keydown is, or null. */
export function actionNameFor(e, keys = DEFAULT_KEYS) {
  for (const [action, specs] of Object.entries(keys)) {
    if (specs.some((spec) => matchesKey(e, spec))) return action;
  }
  return null;
}

const isAccelEnter = (e) => accel(e) && !e.shiftKey && !e.altKey && e.key === "Enter";
// A key that types nothing in a text box: a modified one, or Escape, Tab, F1…
const typesNothing = (spec) => {
  const { key, ctrl, alt } = parseKey(spec);
  return ctrl || alt || key === "Escape" || key === "Tab" || /^F[0-9]+$/.test(key);
};

/**
 * Keys the widget claims while it has focus: every key without Ctrl/Cmd/Alt, plus the
 * table's modified keys (Ctrl/Cmd+Z by default) and Ctrl/Cmd+Enter. Everything else (Ctrl+S …)
 * belongs to the notebook.
 */
export function ownsKey(e, keys = DEFAULT_KEYS) {
  if (!accel(e) && !e.altKey) return true;
  return isAccelEnter(e) || actionNameFor(e, keys) !== null;
}

/**
 * The action for a keydown, or null when the widget does nothing with it. `text`: focus is in
 * a box that takes text, where keys type text. A key outside the table is left to the question
 * focused when the action runs (`digit`, or `key` for a letter): a key typed ahead of a record
 * change runs on the next record.
 */
export function actionForKey(e, { keys = DEFAULT_KEYS, text = false } = {}) {
  if (e.isComposing) return null; // an IME is composing text; the key is not ours
  if (isAccelEnter(e)) return { type: "submit" }; // the fixed extra, in a text box too
  if (text) {
    const name = actionNameFor(e, keys);
    const ok = name && TEXT_ACTIONS[name] && keys[name].some((s) => typesNothing(s) && matchesKey(e, s));
    return ok ? { type: TEXT_ACTIONS[name] } : null;
  }
  const name = actionNameFor(e, keys);
  if (name) return { type: name };
  if (accel(e) || e.altKey) return null;
  const digit = digitOf(e);
  if (digit !== null) return { type: "digit", digit };
  const letter = letterOf(e);
  if (letter !== null) return { type: "key", key: letter };
  return typeof e.key === "string" && isChar(e.key) && e.key !== " " ? { type: "key", key: e.key } : null;
}

const NAMES = {
  ArrowLeft: "←",
  ArrowRight: "→",
  ArrowUp: "↑",
  ArrowDown: "↓",
  Escape: "Esc",
  " ": "Space",
};

/** A key string as a person reads it: "ArrowLeft" → "←", "Ctrl+z" → "Ctrl+Z / ⌘Z". */
export function keyLabel(spec) {
  const { key, ctrl, alt, shift } = parseKey(spec);
  const name = NAMES[key] ?? (/^[a-z]$/.test(key) && (ctrl || alt) ? key.toUpperCase() : key);
  const mods = `${alt ? "Alt+" : ""}${shift ? "Shift+" : ""}`;
  return ctrl ? `Ctrl+${mods}${name} / ⌘${mods}${name}` : `${mods}${name}`;
}

/** An action's keys as a label ("s", "↓ or j"), "" when it has none. */
export function keysText(keys, action) {
  return (keys[action] ?? []).map(keyLabel).join(" or ");
}

/** Two actions that go together, as "← / →", "↑ / ↓ or k / j". */
export function pairText(keys, first, second) {
  const a = keys[first] ?? [];
  const b = keys[second] ?? [];
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) =>
    [a[i], b[i]].filter(Boolean).map(keyLabel).join(" / "),
  ).join(" or ");
}
