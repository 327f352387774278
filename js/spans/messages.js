// What the spans kind says: the one-line hint under its header and its notices.
//
// Dataset text inside an English sentence sits in a bidi isolate (FSI … PDI), so Arabic or
// Hebrew in it cannot pull the punctuation and keys around it out of place.
import { h } from "../dom.js";
import { DEFAULT_KEYS, keyLabel, keysText, pairText } from "../keys.js";
import { ordered } from "./state.js";

// A key named in a message: the action's first key in the table in force (config.keys).
const say = (keys, action, none) => (keys[action]?.length ? keyLabel(keys[action][0]) : none);

/** Spans' notice for a label with nothing selected. */
export const selectFirst = (keys = DEFAULT_KEYS) =>
  "Select some text first: drag over it with the mouse" +
  (keys.caret?.length ? `, or press ${say(keys, "caret")} for a keyboard caret.` : ".");
export const SELECT_FIRST = selectFirst();
/** Key 0 with spans marked: "nothing to mark" would delete them, so it asks for that first. */
export const MARKED_FIRST = (n, keys = DEFAULT_KEYS) =>
  `${n === 1 ? "1 span is" : `${n} spans are`} marked: delete ${n === 1 ? "it" : "them"} first ` +
  `(${say(keys, "delete_span", "the × in the span list")}) to say there is nothing to mark.`;

const clip = (text, n = 40) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);
export const isolate = (text) => `\u2068${text}\u2069`;
export const quote = (text) => `“${isolate(clip(text.replace(/\s+/g, " ")))}”`;

/** The notice for a span refused because it would overlap `other` (overlap=False). */
export const overlapText = (text, other) =>
  `${quote(text)} overlaps ${quote(other.text)} (${isolate(other.label)}): spans may not overlap in this question.`;

/** Show a text with isolates as elements: each FSI … PDI part becomes a <bdi>. */
export function showIsolated(el, text) {
  if (el.dataset.text === text) return;
  el.dataset.text = text;
  el.replaceChildren(...text.split(/[\u2068\u2069]/).map((part, i) => (i % 2 ? h("bdi", {}, part) : part)));
}

/** The hint line: what the keys do now. `sel` is the selected span (selectedSpan), or null. */
export function hintText(s, sel, table = DEFAULT_KEYS) {
  const { st, view } = s;
  const del = say(table, "delete_span", "×");
  const n = Math.min(s.labels.length, 9);
  const keys = n <= 1 ? "1" : `1–${n}`;
  if (view.missing) return `This record has no text at ${s.field}: nothing to mark here.`;
  if (st.drag) return "Drag to resize · hold Alt for single characters";
  if (st.caret) {
    const r = ordered(st.caret);
    const picked = r.start < r.end ? `${quote(view.text.slice(r.start, r.end))} · ${keys} label it · ` : "";
    return `Caret: ${picked}←/→ move by word · Shift+←/→ extend · Esc leave caret`;
  }
  if (st.selection) {
    return `${quote(view.text.slice(st.selection.start, st.selection.end))} selected · press ${keys} or click a label`;
  }
  if (sel) {
    const what = `${quote(sel.text)} (${isolate(sel.label)}${sel.suggested ? ", suggested" : ""})`;
    return sel.suggested
      ? `${what} · ${keys} accept with that label · ${del} reject`
      : `${what} · ${keys} relabel · ${del} delete · drag an edge to resize (Alt: by character)`;
  }
  const caret = table.caret?.length ? ` · ${say(table, "caret")} keyboard caret` : "";
  const step = pairText(table, "prev_turn", "next_turn");
  return `Select text with the mouse, then ${keys} or a label${caret}${step ? ` · ${step} select a span` : ""} · 0 nothing to mark`;
}

/** The "?" panel's rows for spans questions. */
export function help(question, table = DEFAULT_KEYS) {
  const n = Math.min((question.labels ?? []).length, 9);
  const keys = n <= 1 ? "1" : `1 – ${n}`;
  return [
    [keys, `spans: label the selected text; relabel the selected span (accepts a suggested one)`],
    ["0", "spans: nothing to mark (rejects suggestions not yet accepted)"],
    [keysText(table, "caret"), "spans: keyboard caret on / off"],
    ["← / → (caret)", "move the caret by word; Shift extends the selection"],
    ["Home / End (caret)", "start / end of the text"],
    [pairText(table, "prev_turn", "next_turn"), "spans: select the previous / next span"],
    [keysText(table, "delete_span"), "delete the selected span (reject a suggested one)"],
    ["Esc (spans)", "leave caret mode, or unselect"],
    ["drag an edge", "resize the selected span, by word (hold Alt: by character)"],
  ].filter(([k]) => k !== ""); // an unmapped action has no row
}
