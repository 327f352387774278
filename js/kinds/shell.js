// The frame every question kind draws in: a section with its name, kind and state.
import { h, setFlag } from "../dom.js";

// Buttons never take focus, so the widget root keeps it and keys keep working (kinds/buttons.js).
export { keepFocus } from "./buttons.js";

/**
 * The .nbr-question section: header (name, kind hint, "optional", "suggested" tag); a click
 * focuses the question. Returns {el, header, suggestedTag, update({focused, answered, suggested})}.
 */
export function questionShell(question, index, ctx, hint) {
  const suggestedTag = h("span", { class: "nbr-suggested-tag", hidden: true }, "suggested");
  const header = h(
    "div",
    { class: "nbr-question-header" },
    h("span", { class: "nbr-question-name", dir: "auto" }, String(question.name)),
    h("span", { class: "nbr-question-kind" }, hint ?? String(question.kind)),
    question.required === false ? h("span", { class: "nbr-optional" }, "optional") : null,
    suggestedTag,
  );
  const el = h(
    "section",
    {
      class: "nbr-question",
      dataset: { question: String(question.name), kind: String(question.kind) },
      onclick: () => ctx.focus?.(index),
    },
    header,
  );
  return {
    el,
    header,
    suggestedTag,
    update({ focused, answered, suggested }) {
      el.classList.toggle("nbr-focused", Boolean(focused));
      el.classList.toggle("nbr-answered", Boolean(answered) && !suggested);
      setFlag(suggestedTag, "hidden", !suggested);
    },
  };
}
