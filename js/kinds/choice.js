// Rating, label and multi-label questions: a row of option buttons answered by digit or click.
import { CHOICE_KINDS, includesOption, options } from "../answers.js";
import { h } from "../dom.js";
import { button, optionParts, showChosen } from "./buttons.js";
import { questionShell } from "./shell.js";

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
  return button(
    {
      class: "nbr-option",
      dataset: { value: String(option.value) },
      title: optionTitle(question, option),
      "aria-pressed": "false",
    },
    onClick,
    // dir="auto": a label in Arabic or Hebrew reads right to left, its key stays where it is.
    optionParts({ key: showKey ? option.key : null, value: isRating ? option.value : null, label: option.label }),
  );
}

/** Digits reach these through the widget's own "digit" action (answers.answerForDigit). */
function build(question, index, ctx) {
  const shell = questionShell(question, index, ctx, HINT[question.kind]);
  const buttons = [];
  let noneButton = null;
  const row = h("div", { class: "nbr-options", role: "group", "aria-label": String(question.name) });
  for (const option of options(question)) {
    const el = optionButton(question, option, () => ctx.choose(index, option.value));
    buttons.push({ button: el, value: option.value });
    row.append(el);
  }
  if (question.kind === "multilabel") {
    // An empty list is a real answer, so it needs a control of its own.
    noneButton = button(
      { class: "nbr-none", title: "key 0", "aria-pressed": "false" },
      () => ctx.none(index),
      optionParts({ key: "0", label: "none apply", dir: null }),
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
      for (const { button: el, value: optionValue } of buttons) {
        showChosen(el, includesOption(question, value, optionValue), suggested);
      }
      if (noneButton) showChosen(noneButton, Array.isArray(value) && value.length === 0, suggested);
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
