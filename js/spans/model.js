// A spans answer as the browser edits it: [{start, end, label, text}], UTF-16 offsets. Pure.
import { compareSpans } from "./layout.js";

export { compareSpans };

/** A span's identity: the same range and label is the same span. */
export const spanKey = (s) => `${s.start}:${s.end}:${s.label}`;

export const sameSpan = (a, b) => Boolean(a && b) && spanKey(a) === spanKey(b);

/** The span with its text taken from the text it marks. */
export function withText(text, s) {
  return { start: s.start, end: s.end, label: s.label, text: text.slice(s.start, s.end) };
}

/**
 * A value as a clean list: only spans in range with a known label (when labels are given),
 * each once, with their text, in text order. Anything else becomes [].
 */
export function normalize(text, value, labels = null) {
  if (!Array.isArray(value)) return [];
  const seen = new Set();
  const out = [];
  for (const s of value) {
    if (!s || !Number.isInteger(s.start) || !Number.isInteger(s.end)) continue;
    if (s.start < 0 || s.end > text.length || s.start >= s.end) continue;
    if (labels && !labels.includes(s.label)) continue;
    const key = spanKey(s);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(withText(text, s));
  }
  return out.sort(compareSpans);
}

/** Whether two spans share at least one character (touching is not overlapping). */
export const overlaps = (a, b) => a.start < b.end && b.start < a.end;

/** The first span of `spans` that `span` overlaps, leaving out `except` (the span it replaces). */
export function conflict(span, spans, except = null) {
  return spans.find((s) => !sameSpan(s, except) && !sameSpan(s, span) && overlaps(s, span)) ?? null;
}

/** spans without `span`. */
export const without = (spans, span) => spans.filter((s) => !sameSpan(s, span));

/** spans plus `span` (once), in text order. */
export const including = (spans, span) => [...without(spans, span), span].sort(compareSpans);

/** spans with `old` replaced by `next`, in text order. */
export const replacing = (spans, old, next) => including(without(spans, old), next);
