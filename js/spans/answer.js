// The spans answer as the annotator decides on it: label, relabel, remove, resize, accept.
//
// The answer is [{start, end, label, text}] in UTF-16 offsets (the kernel converts them to code
// points). Suggested spans are drawn hatched until the annotator decides on them: a decision
// (accept one, reject one, a new span) saves the answer, i.e. the spans accepted so far; the
// suggestions not yet decided stay on screen (not part of the answer, `st.localPending`) until
// the record is left, and `a` accepts them all. `s` is the question's state (state.js).
import { compareSpans, conflict, including, normalize, replacing, sameSpan, withText, without } from "./model.js";
import { MARKED_FIRST, overlapText, selectFirst } from "./messages.js";
import { caretRange } from "./state.js";

/** {confirmed, pending, suggested}: the answer's spans, and suggestions not yet decided. */
export function current(s) {
  const { value, suggested } = s.ctx.current(s.question);
  const { text } = s.view;
  if (suggested) return { confirmed: [], pending: normalize(text, value, s.labels), suggested: true };
  const confirmed = normalize(text, value ?? [], s.labels);
  const pending = (s.st.localPending ?? []).filter((p) => !confirmed.some((c) => sameSpan(c, p)));
  return { confirmed, pending, suggested: false };
}

/** Every span on screen, accepted and suggested (`suggested` tells them apart), in text order. */
export function allSpans(cur) {
  return [
    ...cur.confirmed.map((x) => ({ ...x, suggested: false })),
    ...cur.pending.map((x) => ({ ...x, suggested: true })),
  ].sort(compareSpans);
}

/** Whether the answer is "nothing to mark": [] given, no suggestion left undecided. */
export function answeredNone(s, cur) {
  const { value, suggested } = s.ctx.current(s.question);
  return !suggested && Array.isArray(value) && value.length === 0 && cur.pending.length === 0;
}

/** The selected span as it is now in the answer (or the suggestions), or null. */
export function selectedSpan(s, cur) {
  const sel = s.st.selected;
  if (!sel) return null;
  const pool = sel.suggested ? cur.pending : cur.confirmed;
  const found = pool.find((x) => sameSpan(x, sel));
  return found ? { ...found, suggested: sel.suggested } : null;
}

/** Save `confirmed` as the answer; `pending` stay suggested; `select` (if given) is selected. */
function commit(s, confirmed, pending, select) {
  s.st.localPending = pending;
  if (select !== undefined) s.st.selected = select && { ...select, suggested: false };
  s.ctx.answer(
    s.question,
    confirmed.map((x) => withText(s.view.text, x)).sort(compareSpans),
  );
}

/** With overlap=False, say so and return true when `span` would overlap an accepted span. */
function refused(s, span, confirmed, except = null) {
  if (s.question.overlap) return false;
  const other = conflict(span, confirmed, except);
  if (!other) return false;
  s.ctx.notify(overlapText(s.view.text.slice(span.start, span.end), other));
  return true;
}

/** A label key or click: mark the selected text, or relabel (or accept) the selected span. */
export function applyLabel(s, label) {
  if (!s.labels.includes(label)) return;
  const { st, view } = s;
  const cur = current(s);
  const range = st.selection ?? caretRange(st.caret);
  if (range) {
    const span = withText(view.text, { ...range, label });
    if (refused(s, span, cur.confirmed)) return;
    st.selection = null;
    if (st.caret) st.caret = { anchor: span.end, focus: span.end };
    commit(s, including(cur.confirmed, span), without(cur.pending, span), span);
    return;
  }
  const sel = selectedSpan(s, cur);
  if (!sel) {
    s.ctx.notify(selectFirst(s.ctx.keys?.()), "info");
    return;
  }
  const span = { ...sel, label };
  if (sel.suggested) {
    if (!refused(s, span, cur.confirmed)) commit(s, including(cur.confirmed, span), without(cur.pending, sel), span);
  } else if (sel.label !== label) {
    commit(s, replacing(cur.confirmed, sel, span), cur.pending, span);
  }
}

/** Accept one suggestion (✓ in the list) with its own label. */
export function acceptOne(s, span) {
  if (!current(s).pending.some((p) => sameSpan(p, span))) return;
  s.st.selected = { ...span, suggested: true };
  s.st.selection = null;
  applyLabel(s, span.label);
}

/** Delete an accepted span, or reject a suggested one. */
export function remove(s, span) {
  const cur = current(s);
  const sel = s.st.selected;
  if (sameSpan(span, sel) && Boolean(span.suggested) === Boolean(sel?.suggested)) s.st.selected = null;
  if (span.suggested) commit(s, cur.confirmed, without(cur.pending, span));
  else commit(s, without(cur.confirmed, span), cur.pending);
}

/** Key 0: the answer is "nothing to mark" ([]); undecided suggestions are rejected. */
export function nothingToMark(s) {
  const cur = current(s);
  if (cur.confirmed.length > 0) {
    s.ctx.notify(MARKED_FIRST(cur.confirmed.length, s.ctx.keys?.()), "info");
    return;
  }
  s.st.selected = null;
  s.st.selection = null;
  commit(s, [], []);
}

/** `a`: accept every suggestion this question keeps itself; false when the kernel's accept covers it. */
export function acceptAll(s) {
  const cur = current(s);
  if (cur.suggested || cur.pending.length === 0) return false;
  let confirmed = cur.confirmed;
  for (const p of cur.pending) {
    if (refused(s, p, confirmed)) return true;
    confirmed = including(confirmed, p);
  }
  commit(s, confirmed, []);
  return true;
}

/** A dragged edge let go: the span from `start` to `end` (a suggestion is accepted so). */
export function resize(s, { span, start, end }) {
  if (start === span.start && end === span.end) return;
  const cur = current(s);
  const next = withText(s.view.text, { start, end, label: span.label });
  if (span.suggested) {
    if (refused(s, next, cur.confirmed)) return;
    commit(s, including(cur.confirmed, next), without(cur.pending, span), next);
  } else {
    if (refused(s, next, cur.confirmed, span)) return;
    commit(s, replacing(cur.confirmed, span, next), cur.pending, next);
  }
}
