// One question's controls: option buttons, a text box, or a notice for kinds this version lacks.
import { CHOICE_KINDS, includesOption, options } from "./answers.js";
import { h, setFlag } from "./dom.js";

const KIND_HINT = {
  rating: "rating",
  label: "choose one",
  multilabel: "choose any",
  freetext: "text",
};

// Buttons never take focus, so the widget root keeps it and keys keep working.
const keepFocus = (e) => e.preventDefault();

function optionButton(question, option, onClick) {
  const isRating = question.kind === "rating";
  const showKey = option.key !== null && !(isRating && option.key === String(option.value));
  return h(
    "button",
    {
      type: "button",
      class: "nbr-option",
      tabindex: "-1",
      dataset: { value: String(option.value) },
      title: option.key === null ? null : `key ${option.key}`,
      "aria-pressed": "false",
      onmousedown: keepFocus,
      onclick: onClick,
    },
    showKey ? h("kbd", { class: "nbr-key" }, option.key) : null,
    isRating ? h("span", { class: "nbr-option-value" }, String(option.value)) : null,
    option.label === null ? null : h("span", { class: "nbr-option-label" }, String(option.label)),
  );
}

/**
 * Build a question. on: {choose(index, value), none(index), focus(index)}.
 * Returns {el, question, textarea, update({value, suggested, focused, answered})}.
 */
export function buildQuestion(question, index, on) {
  const suggestedTag = h("span", { class: "nbr-suggested-tag", hidden: true }, "suggested");
  const header = h(
    "div",
    { class: "nbr-question-header" },
    h("span", { class: "nbr-question-name" }, String(question.name)),
    h("span", { class: "nbr-question-kind" }, KIND_HINT[question.kind] ?? String(question.kind)),
    question.required === false ? h("span", { class: "nbr-optional" }, "optional") : null,
    suggestedTag,
  );
  const el = h(
    "section",
    {
      class: "nbr-question",
      dataset: { question: String(question.name), kind: String(question.kind) },
      onclick: () => on.focus(index),
    },
    header,
  );
  const buttons = [];
  let noneButton = null;
  let textarea = null;

  if (CHOICE_KINDS.has(question.kind)) {
    const row = h("div", { class: "nbr-options", role: "group", "aria-label": String(question.name) });
    for (const option of options(question)) {
      const button = optionButton(question, option, (e) => {
        e.stopPropagation();
        on.choose(index, option.value);
      });
      buttons.push({ button, value: option.value });
      row.append(button);
    }
    if (question.kind === "multilabel") {
      // An empty list is a real answer, so it needs a control of its own.
      noneButton = h(
        "button",
        {
          type: "button",
          class: "nbr-none",
          tabindex: "-1",
          title: "key 0",
          "aria-pressed": "false",
          onmousedown: keepFocus,
          onclick: (e) => {
            e.stopPropagation();
            on.none(index);
          },
        },
        h("kbd", { class: "nbr-key" }, "0"),
        h("span", { class: "nbr-option-label" }, "none apply"),
      );
      row.append(noneButton);
    }
    el.append(row);
  } else if (question.kind === "freetext") {
    textarea = h("textarea", {
      class: "nbr-textarea",
      rows: "3",
      tabindex: "-1",
      "aria-label": String(question.name),
      placeholder: "Type here · Tab next question · Esc back to keys · Ctrl+Enter submit",
      onfocus: () => on.focus(index),
    });
    el.append(textarea);
  } else {
    el.append(
      h(
        "div",
        { class: "nbr-unsupported" },
        `This version of the widget cannot show "${question.kind}" questions yet.`,
      ),
    );
  }

  return {
    el,
    question,
    textarea,
    update({ value, suggested, focused, answered }) {
      el.classList.toggle("nbr-focused", focused);
      el.classList.toggle("nbr-answered", answered && !suggested);
      setFlag(suggestedTag, "hidden", !suggested);
      for (const { button, value: optionValue } of buttons) {
        const on_ = includesOption(question, value, optionValue);
        button.classList.toggle("nbr-selected", on_ && !suggested);
        button.classList.toggle("nbr-suggested", on_ && suggested);
        button.setAttribute("aria-pressed", String(on_ && !suggested));
      }
      if (noneButton) {
        const none = Array.isArray(value) && value.length === 0;
        noneButton.classList.toggle("nbr-selected", none && !suggested);
        noneButton.classList.toggle("nbr-suggested", none && suggested);
        noneButton.setAttribute("aria-pressed", String(none && !suggested));
      }
    },
  };
}
