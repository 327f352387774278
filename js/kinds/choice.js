// Rating, label and multi-label questions: a row of option buttons answered by key or click.
// The keys are the question's own (`question.keys`, set in Python) or digits; what a key or a
// click does to the answer is the pure `onAction` below (js/kinds/options.js), asked by the
// widget's reducer, so the widget core knows no option and no digit.
import { h } from "../dom.js";
import { actions, button, optionParts, showChosen } from "./buttons.js";
import { answerForKey, chooseOption, includesOption, isChosen, keyOf, noneKey, options } from "./options.js";
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

function build(question, index, ctx) {
  const shell = questionShell(question, index, ctx, HINT[question.kind]);
  const { act, run } = actions(ctx, index);
  const buttons = [];
  let noneButton = null;
  const row = h("div", { class: "nbr-options", role: "group", "aria-label": String(question.name) });
  for (const option of options(question)) {
    const el = optionButton(question, option, () => run(act("choose", { value: option.value })));
    buttons.push({ button: el, value: option.value });
    row.append(el);
  }
  if (question.kind === "multilabel") {
    // An empty list is a real answer, so it needs a control of its own.
    const key = noneKey(question);
    noneButton = button(
      { class: "nbr-none", title: key ? `key ${key}` : null, "aria-pressed": "false" },
      () => run(act("none")),
      optionParts({ key, label: "none apply", dir: null }),
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

/** A key (while focused) or a click on an option: the new answer, or undefined. */
function onAction(question, action, current) {
  if (action.type === "kind" && action.op === "choose") return chooseOption(question, current, action.value);
  if (action.type === "kind" && action.op === "none") return question.kind === "multilabel" ? [] : undefined;
  const key = keyOf(action);
  return key === null ? undefined : answerForKey(question, key, current);
}

/** The keys panel: a labelled rating's scale, and options with keys of their own. */
function help(question) {
  const opts = options(question);
  const given = Array.isArray(question.keys);
  if (!given && (question.kind !== "rating" || !question.labels?.length)) return [];
  if (given) {
    const keys = opts.map((o) => o.key).join(" / ");
    return [[keys, `${question.name}: ${opts.map((o) => `${o.key} = ${o.label ?? o.value}`).join(" · ")}`]];
  }
  const labelled = opts.filter((o) => o.label !== null);
  const keys = labelled.map((o) => o.key).filter((k) => k !== null);
  const last = keys.at(-1) === "0" && keys[0] !== "0" ? "9, 0" : keys.at(-1); // 0 is 10
  const range = keys.length > 1 ? `${keys[0]} – ${last}` : (keys[0] ?? "");
  return [[range, `${question.name}: ${labelled.map((o) => `${o.value} = ${o.label}`).join(" · ")}`]];
}

export default { kinds: ["rating", "label", "multilabel"], build, onAction, isAnswered: isChosen, help };
