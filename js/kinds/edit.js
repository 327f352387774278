// Edit questions: an editable copy of a field's text, with a live word diff against it.
//
// The answer is the corrected text. The box starts with the original; nothing is saved until
// the annotator types (saved ~400 ms after typing stops, like free text) or says "no change
// needed" (key 0, which saves the original unchanged), so a required edit is never answered
// by accident. Reset puts the original back and clears the answer. The diff is redrawn a
// moment after typing stops, so a 100 KB text stays responsive.
import "./compare.css";
import { h, setFlag, setText } from "../dom.js";
import { DIFF_TIMEOUT_MS, editDistance, renderDiff, wordDiff } from "../edit/diff.js";
import { createFreetext } from "../freetext.js";
import { DEFAULT_KEYS, keysText, matchesKey } from "../keys.js";
import { targetText } from "../render/target.js";
import { actions, button, keyBadge } from "./buttons.js";
import { questionShell } from "./shell.js";

// The diff waits this long after the last key; longer when the last diff was slow.
export const DIFF_DELAY_MS = 120;
export const NO_TEXT = "This record has no text to correct here.";

const plural = (n, one, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** The line under the toolbar: how far the text is from the original. */
export function distanceText(distance, { answered, unchanged }) {
  if (unchanged) return answered ? "No change needed ✓" : "Not edited yet";
  if (distance.whitespace) return "Edit distance: whitespace only";
  return `Edit distance: ${plural(distance.words, "word")} (+${distance.inserted} −${distance.deleted})`;
}

/** The editor's parts: toolbar (stats, keep, reset), the box, and the diff pane. */
function editParts(question, index, ctx, { act, run }) {
  const toolButton = (cls, label, key, title, op) =>
    button({ class: `nbr-button ${cls}`, title }, () => run(act(op)), keyBadge(key), label);
  const parts = {
    shell: questionShell(question, index, ctx, "correct the text"),
    stats: h("span", { class: "nbr-edit-stats", "aria-live": "polite" }),
    keep: toolButton("nbr-edit-keep", "No change needed", "0", "the text is right as it is (key 0)", "keep"),
    reset: toolButton("nbr-edit-reset", "Reset", null, "put the original text back and clear the answer", "reset"),
    textarea: h("textarea", {
      class: "nbr-textarea nbr-edit-text",
      rows: "8",
      tabindex: "-1",
      spellcheck: "true",
      dir: "auto", // right-to-left text is edited right to left
      "aria-label": `${question.name}: the corrected text`,
      placeholder: "The corrected text · Esc back to keys · Ctrl+Enter submit",
      onfocus: () => ctx.focus?.(index),
    }),
    diffEl: h("div", { class: "nbr-diff", dir: "auto", role: "region", "aria-label": `${question.name}: changes` }),
    level: h("div", { class: "nbr-diff-level", hidden: true }),
  };
  const pane = (title, ...children) =>
    h("div", { class: "nbr-edit-pane" }, h("div", { class: "nbr-edit-pane-title" }, title), ...children);
  const changes = [
    "Changes from the original ",
    h("span", { class: "nbr-diff-legend nbr-diff-ins" }, "added"),
    " ",
    h("span", { class: "nbr-diff-legend nbr-diff-del" }, "removed"),
  ];
  parts.shell.el.append(
    h("div", { class: "nbr-edit-toolbar" }, parts.stats, h("span", { class: "nbr-spacer" }), parts.keep, parts.reset),
    h(
      "div",
      { class: "nbr-edit-panes" },
      pane("Your version", parts.textarea),
      pane(changes, parts.level, parts.diffEl),
    ),
  );
  return parts;
}

// The functions below share `e`, the editor's state (see build): the original text, what the
// diff shows, and the timer that redraws it after a pause in typing.

function cancelDiff(e) {
  clearTimeout(e.timer);
  e.timer = null;
}

/** Redraw the diff of the box against the original, unless it shows that already. */
function redraw(e) {
  cancelDiff(e);
  const { original, diffEl, level } = e;
  const text = e.textarea.value;
  if (e.drawn && e.drawn.original === original && e.drawn.text === text) return;
  const t0 = performance.now();
  const diff = wordDiff(original, text, { timeout: DIFF_TIMEOUT_MS });
  renderDiff(diffEl, diff.parts);
  e.lastMs = performance.now() - t0;
  e.drawn = { original, text };
  setFlag(level, "hidden", diff.level === "word");
  setText(
    level,
    diff.level === "line"
      ? "Too many changes for a word diff: changed lines are marked."
      : "Too many changes to compare: the whole text is marked.",
  );
  e.distance = editDistance(diff.parts);
  if (text === original) {
    diffEl.replaceChildren(h("span", { class: "nbr-diff-empty" }, "No changes: this is the original text."));
  }
  showStats(e);
}

function showStats(e) {
  const unchanged = e.drawn !== null && e.drawn.text === e.original;
  setText(e.stats, distanceText(e.distance, { answered: e.answered, unchanged }));
}

/** The diff waits for a pause in typing; longer when the last one was slow (huge texts). */
function scheduleDiff(e) {
  cancelDiff(e);
  e.timer = setTimeout(() => redraw(e), Math.min(1000, Math.max(DIFF_DELAY_MS, 3 * e.lastMs)));
}

/** Put the original back in the box; `value` is the answer to save (original, or null). */
function restore(e, value) {
  if (value === e.original && e.original.trim() === "") {
    e.ctx.notify(NO_TEXT, "info");
    return;
  }
  e.box.reset();
  e.textarea.value = e.original;
  e.ctx.answer(e.question, value);
  redraw(e);
}

/** Show the state the widget sends: the record's text as the original, the answer in the box. */
function showState(e, state) {
  const rec = state.record ?? null;
  const key = rec?.key ?? null;
  const text = rec ? targetText(rec.fields, e.field) : "";
  if (key !== e.recordKey) {
    e.recordKey = key;
    e.drawn = null;
  }
  e.original = text ?? "";
  e.answered = Boolean(state.answered) && !state.suggested;
  e.box.show(typeof state.value === "string" ? state.value : e.original, state.suggested);
  setFlag(e.keep, "disabled", e.original.trim() === "");
  e.keep.classList.toggle("nbr-selected", e.answered && state.value === e.original);
  e.textarea.dataset.original = text === null ? "missing" : "";
  if (!e.box.dirty) redraw(e);
  else if (e.drawn === null) scheduleDiff(e);
  showStats(e);
}

function perform(e, action) {
  if (action.type === "digit") {
    if (action.digit !== 0) return false;
    restore(e, e.original);
    return true;
  }
  if (action.type !== "kind") return false;
  if (action.op === "keep") restore(e, e.original);
  else if (action.op === "reset") restore(e, null);
  else if (action.op === "edit") e.textarea.focus({ preventScroll: false });
  else return false;
  return true;
}

function build(question, index, ctx) {
  const acts = actions(ctx, index);
  const parts = editParts(question, index, ctx, acts);
  const { shell, textarea } = parts;
  const e = {
    ...parts,
    question,
    ctx,
    field: String(question.field ?? ""),
    box: createFreetext(textarea, (value) => ctx.answer(question, value)),
    original: "",
    recordKey: null,
    drawn: null, // {original, text}: what the diff shows
    answered: false,
    lastMs: 0,
    distance: editDistance([]),
    timer: null,
  };
  const onInput = () => scheduleDiff(e);
  textarea.addEventListener("input", onInput);

  return {
    el: shell.el,
    question,
    textarea,
    takesText: (target) => target === textarea, // keys typed in the editor are text
    // No focusEl: Tab onto an edit focuses the question, so 0 ("no change needed") is a key
    // there, not a typed zero; the table's `edit` key (e) or a click puts the keyboard in the editor.
    update(state) {
      shell.update(state);
      showState(e, state);
    },
    keyAction(ev) {
      const keys = ctx.keys?.() ?? DEFAULT_KEYS;
      return (keys.edit ?? []).some((k) => matchesKey(ev, k)) ? acts.act("edit") : null;
    },
    perform: (action) => perform(e, action),
    flush() {
      e.box.flush();
    },
    reset() {
      e.box.reset();
      cancelDiff(e);
      e.drawn = null;
    },
    destroy() {
      e.box.destroy();
      cancelDiff(e);
      textarea.removeEventListener("input", onInput);
    },
  };
}

function help(_question, keys = DEFAULT_KEYS) {
  const edit = keysText(keys, "edit");
  return [
    ["0", "edit: no change needed (saves the original text as the answer)"],
    ...(edit ? [[edit, "edit: put the cursor in the editor (a click in it also does)"]] : []),
  ];
}

export default {
  kinds: ["edit"],
  build,
  isAnswered: (_question, value) => typeof value === "string" && value.trim() !== "",
  help,
};
