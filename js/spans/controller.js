// The spans kind's keys and actions: which span is selected, the keyboard caret, and what each
// action ({type: "kind", op, ...} or a digit) does to the state and the answer.
import { DEFAULT_KEYS, matchesKey } from "../keys.js";
import { acceptOne, allSpans, applyLabel, current, nothingToMark, remove, selectedSpan } from "./answer.js";
import { sameSpan } from "./model.js";
import { caretOff, isSelected, ordered } from "./state.js";
import { extendFocus, firstStop, moveCaret } from "./words.js";

/** Select `span` (null: none); the caret, if on, goes to its end. */
export function select(s, span) {
  const { st } = s;
  const { start, end, label } = span ?? {};
  st.selected = span ? { start, end, label, suggested: Boolean(span.suggested) } : null;
  st.selection = null;
  if (span && st.caret) st.caret = { anchor: span.end, focus: span.end };
}

/** ↑/↓: the previous or next span in text order, round the end. */
function step(s, by) {
  const spans = allSpans(current(s));
  if (spans.length === 0) {
    s.ctx.notify("No spans on this record yet.", "info");
    return;
  }
  const i = spans.findIndex((x) => isSelected(s, x));
  const next = i === -1 ? (by > 0 ? 0 : spans.length - 1) : (i + by + spans.length) % spans.length;
  select(s, spans[next]);
}

/** A click on marked text (these spans there): the innermost one, or the next on repeated clicks. */
export function pickAt(s, spans) {
  if (spans.length === 0) return select(s, null);
  const i = spans.findIndex((x) => isSelected(s, x));
  if (i !== -1) return select(s, spans[(i + 1) % spans.length]);
  return select(s, [...spans].sort((a, b) => a.end - a.start - (b.end - b.start))[0]);
}

/** `c`: the caret on the mouse selection, where it last was, or at the first word. */
function caretOn(s) {
  const { st } = s;
  const range = st.selection;
  if (range) st.caret = { anchor: range.start, focus: range.end };
  else if (st.lastCaret) st.caret = st.lastCaret;
  else {
    const at = firstStop(s.view.text);
    st.caret = { anchor: at, focus: at };
  }
  st.selection = null;
}

/** ←/→ by word; with Shift the selection's moving end goes, else a selection collapses. */
function moveBy(s, dir, extend) {
  const c = s.st.caret;
  if (!c) return;
  const { text } = s.view;
  if (extend) {
    c.focus = extendFocus(text, c.focus, dir);
  } else if (c.anchor !== c.focus) {
    const r = ordered(c);
    c.anchor = c.focus = dir > 0 ? r.end : r.start;
  } else {
    c.anchor = c.focus = moveCaret(text, c.focus, dir);
  }
  s.st.selected = null;
}

/** Home/End: the caret to the start or end of the text. */
function moveTo(s, where, extend) {
  const c = s.st.caret;
  if (!c) return;
  const to = where === "start" ? 0 : s.view.text.length;
  c.focus = to;
  if (!extend) c.anchor = to;
  s.st.selected = null;
}

/** What each kind action does; a missing op is not handled. */
const OPS = {
  label: (s, a) => applyLabel(s, a.label),
  none: (s) => nothingToMark(s),
  "caret-toggle": (s) => (s.st.caret ? caretOff(s) : caretOn(s)),
  caret: (s, a) => moveBy(s, a.dir, a.extend),
  "caret-to": (s, a) => moveTo(s, a.where, a.extend),
  "caret-off": (s) => caretOff(s),
  step: (s, a) => step(s, a.by),
  "remove-selected": (s) => {
    const sel = selectedSpan(s, current(s));
    if (sel) remove(s, sel);
  },
  remove: (s, a) => remove(s, a.span),
  "accept-one": (s, a) => acceptOne(s, a.span),
  pick: (s, a) =>
    select(s, allSpans(current(s)).find((x) => sameSpan(x, a.span) && x.suggested === a.span.suggested)),
  deselect: (s) => select(s, null),
};

/** Run an action on the state; false when it is not the spans kind's (the widget handles it). */
export function perform(s, action) {
  if (!s.view.key) return false;
  if (action.type === "digit" && action.digit === 0) {
    nothingToMark(s);
  } else if (action.type === "digit") {
    const label = s.labels[action.digit - 1];
    if (!label || action.digit < 1) return false;
    applyLabel(s, label);
  } else if (action.type === "kind" && Object.hasOwn(OPS, action.op)) {
    OPS[action.op](s, action);
  } else {
    return false;
  }
  return true;
}

/** The keys table in force (config.keys), for keys and hints. */
export const keysIn = (s) => s.ctx.keys?.() ?? DEFAULT_KEYS;
const pressed = (e, keys, action) => (keys[action] ?? []).some((k) => matchesKey(e, k));

/**
 * A key while the question is focused, as an action for `act(op, extra)`; null: not ours.
 * The caret's own keys (←/→, Home/End, Esc while it is on) move in the text as a text box's
 * do; the others are the table's: `caret`, `delete_span`, and `next_turn`/`prev_turn` to
 * select the next or previous span.
 */
export function keyAction(s, e, act) {
  const { st } = s;
  if (!s.view.key || e.isComposing) return null;
  const k = e.key;
  const plain = !(e.ctrlKey || e.metaKey || e.altKey);
  if (st.caret && plain) {
    if (k === "ArrowLeft" || k === "ArrowRight") return act("caret", { dir: k === "ArrowRight" ? 1 : -1, extend: e.shiftKey });
    if (k === "Home" || k === "End") return act("caret-to", { where: k === "Home" ? "start" : "end", extend: e.shiftKey });
    if (k === "Escape") return act("caret-off");
  }
  const keys = keysIn(s);
  if (pressed(e, keys, "caret")) return act("caret-toggle");
  if (pressed(e, keys, "next_turn")) return act("step", { by: 1 });
  if (pressed(e, keys, "prev_turn")) return act("step", { by: -1 });
  if (pressed(e, keys, "delete_span") && st.selected) return act("remove-selected");
  if (plain && k === "Escape" && (st.selected || st.selection)) return act("deselect");
  return null;
}
