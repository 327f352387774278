// Rating, label and multi-label questions: a row of option buttons answered by digit or click.
import { CHOICE_KINDS, includesOption, options } from "../answers.js";
import { h } from "../dom.js";
import { keepFocus, questionShell } from "./shell.js";

const HINT = { rating: "rating", label: "choose one", multilabel: "choose any" };

/** The hover text: a rating's label ("4 = good"), and the key that picks it. */
export function optionTitle(question, option) {
  const key = option.key === null ? "" : `key ${option.key}`;
  if (question.kind !== "rating" || option.label === null) return key || null;
  const what = `${option.value} = ${option.label}`;
  return key && key !== `key ${option.value}` ? `${what} (${key})` : what;
}

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
      title: optionTitle(question, option),
      "aria-pressed": "false",
      onmousedown: keepFocus,
      onclick: onClick,
    },
    showKey ? h("kbd", { class: "nbr-key" }, option.key) : null,
    isRating ? h("span", { class: "nbr-option-value" }, String(option.value)) : null,
    // dir="auto": a label in Arabic or Hebrew reads right to left, its key stays where it is.
    option.label === null ? null : h("span", { class: "nbr-option-label", dir: "auto" }, String(option.label)),
  );
}

/** Digits reach these through the widget's own "digit" action (answers.answerForDigit). */
function build(question, index, ctx) {
  const shell = questionShell(question, index, ctx, HINT[question.kind]);
  const buttons = [];
  let noneButton = null;
  const row = h("div", { class: "nbr-options", role: "group", "aria-label": String(question.name) });
  for (const option of options(question)) {
    const button = optionButton(question, option, (e) => {
      e.stopPropagation();
      ctx.choose(index, option.value);
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
          ctx.none(index);
        },
      },
      h("kbd", { class: "nbr-key" }, "0"),
      h("span", { class: "nbr-option-label" }, "none apply"),
    );
    row.append(noneButton);
  }
  shell.el.append(row);

  return {
    el: shell.el,
    question,
    update(state) {
      const { value, suggested } = state;
      shell.update(state);
      for (const { button, value: optionValue } of buttons) {
        const on = includesOption(question, value, optionValue);
        button.classList.toggle("nbr-selected", on && !suggested);
        button.classList.toggle("nbr-suggested", on && suggested);
        button.setAttribute("aria-pressed", String(on && !suggested));
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

/** A labelled rating's scale in the keys panel: "quality: 1 = unusable · … · 5 = excellent". */
function help(question) {
  if (question.kind !== "rating" || !question.labels?.length) return [];
  const opts = options(question).filter((o) => o.label !== null);
  const keys = opts.map((o) => o.key).filter((k) => k !== null);
  const last = keys.at(-1) === "0" && keys[0] !== "0" ? "9, 0" : keys.at(-1); // 0 is 10
  const range = keys.length > 1 ? `${keys[0]} – ${last}` : (keys[0] ?? "");
  return [[range, `${question.name}: ${opts.map((o) => `${o.value} = ${o.label}`).join(" · ")}`]];
}

export default { kinds: [...CHOICE_KINDS], build, help };
