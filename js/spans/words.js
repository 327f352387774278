// Word and character boundaries of a text, in UTF-16 offsets (what DOM ranges count). Pure.
//
// A "token" is a word (東京, Paris, Don’t), or any other run that is not white space
// (punctuation, an emoji or a flag): the steps of the keyboard caret and what a mouse
// selection snaps to. Character precision (Alt) still snaps to grapheme clusters, so an
// emoji with a skin tone or a ZWJ sequence is never cut in half.

const hasSegmenter = typeof Intl !== "undefined" && typeof Intl.Segmenter === "function";
const wordSegmenter = hasSegmenter ? new Intl.Segmenter(undefined, { granularity: "word" }) : null;
const graphemeSegmenter = hasSegmenter ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;

const cache = { text: null, tokens: null, graphemes: null };

function fresh(text) {
  if (cache.text !== text) {
    cache.text = text;
    cache.tokens = null;
    cache.graphemes = null;
  }
}

/** [{start, end}] of every run that is not white space, in text order. */
export function tokens(text) {
  fresh(text);
  if (cache.tokens) return cache.tokens;
  const out = [];
  if (wordSegmenter) {
    for (const { segment, index } of wordSegmenter.segment(text)) {
      if (/\S/u.test(segment)) out.push({ start: index, end: index + segment.length });
    }
  } else {
    for (const m of text.matchAll(/\S+/gu)) out.push({ start: m.index, end: m.index + m[0].length });
  }
  cache.tokens = out;
  return out;
}

/** Every grapheme cluster boundary, 0 and text.length included. */
export function graphemeBounds(text) {
  fresh(text);
  if (cache.graphemes) return cache.graphemes;
  const out = [];
  if (graphemeSegmenter) {
    for (const { index } of graphemeSegmenter.segment(text)) out.push(index);
  } else {
    for (let i = 0; i < text.length; i += 1) {
      const code = text.charCodeAt(i);
      if (!(code >= 0xdc00 && code <= 0xdfff)) out.push(i); // never between surrogates
    }
  }
  out.push(text.length);
  cache.graphemes = out;
  return out;
}

/** The grapheme boundary at or before (dir < 0) or at or after (dir > 0) position i. */
export function snapToGrapheme(text, i, dir) {
  const bounds = graphemeBounds(text);
  const p = Math.max(0, Math.min(text.length, i));
  if (dir < 0) {
    let best = 0;
    for (const b of bounds) if (b <= p) best = b;
    return best;
  }
  for (const b of bounds) if (b >= p) return b;
  return text.length;
}

/** The grapheme boundary nearest to i. */
export function nearestGrapheme(text, i) {
  const before = snapToGrapheme(text, i, -1);
  const after = snapToGrapheme(text, i, 1);
  return i - before <= after - i ? before : after;
}

const isSpace = (text, i) => /\s/u.test(text[i] ?? "");

/**
 * A selection from start to end as the span it means: widened to whole words (or, with
 * words=false, to whole characters), white space at either end left out. null when
 * nothing but white space was selected.
 */
export function snapSelection(text, start, end, { words = true } = {}) {
  if (start === end) return null;
  let a = Math.max(0, Math.min(start, end));
  let b = Math.min(text.length, Math.max(start, end));
  if (words) {
    for (const t of tokens(text)) {
      if (t.start < a && a < t.end) a = t.start;
      if (t.start < b && b < t.end) b = t.end;
    }
  } else {
    a = snapToGrapheme(text, a, -1);
    b = snapToGrapheme(text, b, 1);
  }
  while (a < b && isSpace(text, a)) a += 1;
  while (b > a && isSpace(text, b - 1)) b -= 1;
  return a < b ? { start: a, end: b } : null;
}

/**
 * Where a dragged span edge lands for pointer position p: the nearest token start (for
 * the start edge) or token end (for the end edge); with words=false the nearest grapheme
 * boundary.
 */
export function snapEdge(text, p, edge, { words = true } = {}) {
  if (!words) return nearestGrapheme(text, p);
  const stops = tokens(text).map((t) => (edge === "start" ? t.start : t.end));
  if (stops.length === 0) return nearestGrapheme(text, p);
  let best = stops[0];
  for (const s of stops) if (Math.abs(s - p) < Math.abs(best - p)) best = s;
  return best;
}

/** The start of the last token that starts before pos; 0 when none does. */
function previousStart(text, pos) {
  let prev = null;
  for (const t of tokens(text)) if (t.start < pos) prev = t;
  return prev ? prev.start : 0;
}

/** A caret move by one word: to the start of the next (dir > 0) or previous token. */
export function moveCaret(text, pos, dir) {
  if (dir <= 0) return previousStart(text, pos);
  const next = tokens(text).find((t) => t.start > pos);
  return next ? next.start : text.length;
}

/** Extend a selection's moving end by one word: to the next token end, or the previous token start. */
export function extendFocus(text, focus, dir) {
  if (dir <= 0) return previousStart(text, focus);
  const next = tokens(text).find((t) => t.end > focus);
  return next ? next.end : text.length;
}

/** The first token's start: where a fresh caret goes. */
export function firstStop(text) {
  return tokens(text)[0]?.start ?? 0;
}
