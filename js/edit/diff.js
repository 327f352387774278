// A word-level diff of a corrected text against its original (the `diff` package, jsdiff),
// the edit distance it implies, and its drawing as text nodes in <ins>/<del>.
//
// Typing in a long text changes a small part of it, so the common head and tail (cut back to
// whitespace, so no word is split) are set aside before jsdiff runs: a 100 KB text with a few
// edits diffs in about a millisecond. A diff that would take longer than `timeout` ms falls
// back to a line diff, then to "everything replaced", so the page never freezes.
import { diffLines, diffWordsWithSpace } from "diff";
import { h } from "../dom.js";

export const DIFF_TIMEOUT_MS = 250;
// Unchanged runs longer than this are shown as their two ends around a "⋯ unchanged ⋯" marker.
export const CONTEXT_CHARS = 160;

const SPACE = /\s/;
// A word (letters, digits, marks) or one other visible character: what the distance counts.
const TOKEN = /[\p{L}\p{N}\p{M}_]+|[^\s\p{L}\p{N}\p{M}_]/gu;

/** Where `a` and `b` stop being equal at the front and the back, on whitespace boundaries. */
export function commonEnds(a, b) {
  const n = Math.min(a.length, b.length);
  let head = 0;
  while (head < n && a.charCodeAt(head) === b.charCodeAt(head)) head += 1;
  if (head < a.length || head < b.length) {
    while (head > 0 && !SPACE.test(a[head - 1])) head -= 1; // back to the start of the word
  }
  let tail = 0;
  const room = n - head;
  while (tail < room && a.charCodeAt(a.length - 1 - tail) === b.charCodeAt(b.length - 1 - tail)) tail += 1;
  if (tail < a.length - head || tail < b.length - head) {
    while (tail > 0 && !SPACE.test(a[a.length - tail])) tail -= 1; // forward to a word's end
  }
  return { head, tail };
}

function push(parts, op, text) {
  if (text === "") return;
  const last = parts[parts.length - 1];
  if (last && last.op === op) last.text += text;
  else parts.push({ op, text });
}

/**
 * The diff of `after` against `before`: {parts: [{op: "same" | "ins" | "del", text}], level},
 * level "word", or "line" / "all" when the word diff took longer than `timeout` ms.
 */
export function wordDiff(before, after, { timeout = DIFF_TIMEOUT_MS } = {}) {
  const a = String(before ?? "");
  const b = String(after ?? "");
  const parts = [];
  if (a === b) {
    push(parts, "same", a);
    return { parts, level: "word" };
  }
  const { head, tail } = commonEnds(a, b);
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  let level = "word";
  let changes = diffWordsWithSpace(midA, midB, { timeout });
  if (!changes) {
    level = "line";
    changes = diffLines(midA, midB, { timeout });
  }
  if (!changes) {
    level = "all";
    changes = [
      { value: midA, removed: true },
      { value: midB, added: true },
    ];
  }
  push(parts, "same", a.slice(0, head));
  for (const c of changes) push(parts, c.added ? "ins" : c.removed ? "del" : "same", c.value);
  push(parts, "same", a.slice(a.length - tail));
  return { parts, level };
}

const countTokens = (text) => text.match(TOKEN)?.length ?? 0;

/**
 * The edit distance of a diff in words: words (and punctuation marks) inserted plus deleted.
 * `whitespace` is true when the texts differ in whitespace only (a distance of 0 words).
 */
export function editDistance(parts) {
  let inserted = 0;
  let deleted = 0;
  let changed = false;
  for (const p of parts) {
    if (p.op === "same") continue;
    changed = true;
    if (p.op === "ins") inserted += countTokens(p.text);
    else deleted += countTokens(p.text);
  }
  const words = inserted + deleted;
  return { words, inserted, deleted, whitespace: changed && words === 0 };
}

/** A cut near `at` that splits neither a word (if whitespace is close) nor a surrogate pair. */
function cutAt(text, at, direction) {
  let i = Math.max(0, Math.min(text.length, at));
  for (let step = 0; step < 24 && i > 0 && i < text.length && !SPACE.test(text[i - 1]); step += 1) {
    i += direction;
  }
  const code = text.charCodeAt(i);
  if (i > 0 && i < text.length && code >= 0xdc00 && code <= 0xdfff) i += direction;
  return i;
}

function skipMarker(count) {
  return h(
    "span",
    { class: "nbr-diff-skip", title: `${count.toLocaleString()} unchanged characters` },
    `⋯ ${count.toLocaleString()} unchanged characters ⋯`,
  );
}

/** Draw the diff into `el` (text nodes only): changes marked, long unchanged runs shortened. */
export function renderDiff(el, parts, { context = CONTEXT_CHARS } = {}) {
  const nodes = [];
  parts.forEach((p, i) => {
    if (p.op !== "same") {
      const blank = p.text.trim() === "";
      const mark = h(p.op, {
        class: `nbr-diff-${p.op}${blank ? " nbr-diff-blank" : ""}`,
        dataset: blank && p.text.includes("\n") ? { newline: "" } : undefined,
      });
      mark.append(document.createTextNode(p.text));
      nodes.push(mark);
      return;
    }
    const first = i === 0;
    const last = i === parts.length - 1;
    const keep = (first ? 0 : context) + (last ? 0 : context);
    if (p.text.length <= keep + 80) {
      nodes.push(document.createTextNode(p.text));
      return;
    }
    const start = first ? 0 : cutAt(p.text, context, 1);
    const end = last ? p.text.length : cutAt(p.text, p.text.length - context, -1);
    if (start > 0) nodes.push(document.createTextNode(p.text.slice(0, start)));
    nodes.push(skipMarker(end - start));
    if (end < p.text.length) nodes.push(document.createTextNode(p.text.slice(end)));
  });
  el.replaceChildren(...nodes);
}
