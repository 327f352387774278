// Free-text questions: a text box saved as the annotator types (see ../freetext.js).
import { h } from "../dom.js";
import { createFreetext } from "../freetext.js";
import { questionShell } from "./shell.js";

function build(question, index, ctx) {
  const shell = questionShell(question, index, ctx, "text");
  const textarea = h("textarea", {
    class: "nbr-textarea",
    rows: "3",
    tabindex: "-1",
    dir: "auto", // Arabic or Hebrew is typed right to left
    "aria-label": String(question.name),
    // A reference completion's box says what to write (FreeText(placeholder=...)).
    placeholder: question.placeholder
      ? String(question.placeholder)
      : "Type here · Tab next question · Esc back to keys · Ctrl+Enter submit",
    title: "Esc back to keys · Tab next question · Ctrl+Enter submit",
    onfocus: () => ctx.focus?.(index),
  });
  shell.el.append(textarea);
  const box = createFreetext(textarea, (value) => ctx.answer(question, value));
  return {
    el: shell.el,
    question,
    textarea,
    focusEl: textarea, // Tab onto this question puts the keyboard in the box
    takesText: (target) => target === textarea, // keys typed there are text
    update(state) {
      shell.update(state);
      box.show(state.value, state.suggested);
    },
    flush: box.flush,
    reset: box.reset,
    destroy: box.destroy,
  };
}

/** Text that is not only white space. */
const isAnswered = (_question, value) => typeof value === "string" && value.trim() !== "";

export default { kinds: ["freetext"], build, isAnswered };
