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
import { letterOf } from "../keys.js";
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

function build(question, index, ctx) {
  const field = String(question.field ?? "");
  const { act, run } = actions(ctx, index);
  const toolButton = (cls, label, key, title, op) =>
    button({ class: `nbr-button ${cls}`, title }, () => run(act(op)), keyBadge(key), label);

  const shell = questionShell(question, index, ctx, "correct the text");
  const stats = h("span", { class: "nbr-edit-stats", "aria-live": "polite" });
  const keep = toolButton("nbr-edit-keep", "No change needed", "0", "the text is right as it is (key 0)", "keep");
  const reset = toolButton("nbr-edit-reset", "Reset", null, "put the original text back and clear the answer", "reset");
  const textarea = h("textarea", {
    class: "nbr-textarea nbr-edit-text",
    rows: "8",
    tabindex: "-1",
    spellcheck: "true",
    dir: "auto", // right-to-left text is edited right to left
    "aria-label": `${question.name}: the corrected text`,
    placeholder: "The corrected text · Esc back to keys · Ctrl+Enter submit",
    onfocus: () => ctx.focus?.(index),
  });
  const diffEl = h("div", { class: "nbr-diff", dir: "auto", role: "region", "aria-label": `${question.name}: changes` });
  const level = h("div", { class: "nbr-diff-level", hidden: true });
  shell.el.append(
    h("div", { class: "nbr-edit-toolbar" }, stats, h("span", { class: "nbr-spacer" }), keep, reset),
    h(
      "div",
      { class: "nbr-edit-panes" },
      h("div", { class: "nbr-edit-pane" }, h("div", { class: "nbr-edit-pane-title" }, "Your version"), textarea),
      h(
        "div",
        { class: "nbr-edit-pane" },
        h(
          "div",
          { class: "nbr-edit-pane-title" },
          "Changes from the original ",
          h("span", { class: "nbr-diff-legend nbr-diff-ins" }, "added"),
          " ",
          h("span", { class: "nbr-diff-legend nbr-diff-del" }, "removed"),
        ),
        level,
        diffEl,
      ),
    ),
  );

  const box = createFreetext(textarea, (value) => ctx.answer(question, value));
  let original = "";
  let recordKey = null;
  let drawn = null; // {original, text}: what the diff shows
  let answered = false;
  let lastMs = 0;
  let distance = editDistance([]);

  let timer = null;
  const cancelDiff = () => {
    clearTimeout(timer);
    timer = null;
  };
  function redraw() {
    cancelDiff();
    const text = textarea.value;
    if (drawn && drawn.original === original && drawn.text === text) return;
    const t0 = performance.now();
    const diff = wordDiff(original, text, { timeout: DIFF_TIMEOUT_MS });
    renderDiff(diffEl, diff.parts);
    lastMs = performance.now() - t0;
    drawn = { original, text };
    setFlag(level, "hidden", diff.level === "word");
    setText(
      level,
      diff.level === "line"
        ? "Too many changes for a word diff: changed lines are marked."
        : "Too many changes to compare: the whole text is marked.",
    );
    distance = editDistance(diff.parts);
    if (text === original) {
      diffEl.replaceChildren(h("span", { class: "nbr-diff-empty" }, "No changes: this is the original text."));
    }
    showStats();
  }
  function showStats() {
    const unchanged = drawn !== null && drawn.text === original;
    setText(stats, distanceText(distance, { answered, unchanged }));
  }
  // The diff waits for a pause in typing; longer when the last one was slow (huge texts).
  const scheduleDiff = () => {
    cancelDiff();
    timer = setTimeout(redraw, Math.min(1000, Math.max(DIFF_DELAY_MS, 3 * lastMs)));
  };
  textarea.addEventListener("input", scheduleDiff);

  /** Put the original back in the box; `value` is the answer to save (original, or null). */
  function restore(value) {
    if (value === original && original.trim() === "") {
      ctx.notify(NO_TEXT, "info");
      return;
    }
    box.reset();
    textarea.value = original;
    ctx.answer(question, value);
    redraw();
  }

  return {
    el: shell.el,
    question,
    textarea,
    // No focusEl: Tab onto an edit focuses the question, so 0 ("no change needed") is a key
    // there, not a typed zero; e or a click puts the keyboard in the editor.
    update(state) {
      shell.update(state);
      const rec = state.record ?? null;
      const key = rec?.key ?? null;
      const text = rec ? targetText(rec.fields, field) : "";
      if (key !== recordKey) {
        recordKey = key;
        drawn = null;
      }
      original = text ?? "";
      answered = Boolean(state.answered) && !state.suggested;
      box.show(typeof state.value === "string" ? state.value : original, state.suggested);
      setFlag(keep, "disabled", original.trim() === "");
      keep.classList.toggle("nbr-selected", answered && state.value === original);
      textarea.dataset.original = text === null ? "missing" : "";
      if (!box.dirty) redraw();
      else if (drawn === null) scheduleDiff();
      showStats();
    },
    keyAction(e) {
      if (e.ctrlKey || e.metaKey || e.altKey || e.shiftKey) return null;
      if (letterOf(e) === "e") return act("edit");
      return null;
    },
    perform(action) {
      if (action.type === "digit") {
        if (action.digit !== 0) return false;
        restore(original);
        return true;
      }
      if (action.type !== "kind") return false;
      if (action.op === "keep") restore(original);
      else if (action.op === "reset") restore(null);
      else if (action.op === "edit") textarea.focus({ preventScroll: false });
      else return false;
      return true;
    },
    flush() {
      box.flush();
    },
    reset() {
      box.reset();
      cancelDiff();
      drawn = null;
    },
    destroy() {
      box.destroy();
      cancelDiff();
      textarea.removeEventListener("input", scheduleDiff);
    },
  };
}

function help() {
  return [
    ["0", "edit: no change needed (saves the original text as the answer)"],
    ["e", "edit: put the cursor in the editor (a click in it also does)"],
  ];
}

export default {
  kinds: ["edit"],
  build,
  isAnswered: (_question, value) => typeof value === "string" && value.trim() !== "",
  help,
};
