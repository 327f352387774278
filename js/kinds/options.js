// What the choice kinds (rating, label, multi-label) do with an option: which key picks it
// (`question.keys` when Python set them, else digits), what choosing it does to the answer,
// and what counts as an answer. Pure: the reducer asks these through the plugin in choice.js.
import { onScale, scaleRange, scoreKey } from "./scale.js";

const isMulti = (question) => question.kind === "multilabel";
const isRating = (question) => question.kind === "rating";

/** The key the question's config gives option `i` (`keys=` in Python), or undefined. */
const givenKey = (question, i) => (Array.isArray(question.keys) ? question.keys[i] : undefined);

/** The option buttons of a question: {value, key, label}; key is the key that picks it, or null. */
export function options(question) {
  if (isRating(question)) {
    const range = scaleRange(question.scale);
    return Array.from({ length: Math.max(0, range.high - range.low + 1) }, (_, i) => {
      const value = range.low + i;
      // 0 stands for 10 on a scale without 0, so a 1..10 scale is fully reachable by keys.
      const key = givenKey(question, i) ?? scoreKey(value, range);
      return { value, key, label: question.labels?.[i] ?? null };
    });
  }
  return (question.labels ?? []).map((label, i) => ({
    value: label,
    key: givenKey(question, i) ?? (i < 9 ? String(i + 1) : null),
    label,
  }));
}

/** The key of a key action: a digit as its string, a letter as it is. */
export function keyOf(action) {
  if (action.type === "digit") return String(action.digit);
  return action.type === "key" ? String(action.key) : null;
}

/** The option a key picks in this question (a digit, or the key `keys=` gave it), or undefined. */
export function optionForKey(question, key) {
  const k = String(key).toLowerCase();
  return options(question).find((o) => o.key !== null && String(o.key).toLowerCase() === k)?.value;
}

/** Toggle a label in a multilabel answer; the result keeps the question's label order. */
export function toggleLabel(question, current, label) {
  const chosen = new Set(Array.isArray(current) ? current : []);
  if (chosen.has(label)) chosen.delete(label);
  else chosen.add(label);
  return (question.labels ?? []).filter((l) => chosen.has(l));
}

/** The new answer after choosing an option value (a click, or a key's option). */
export function chooseOption(question, current, value) {
  return isMulti(question) ? toggleLabel(question, current, value) : value;
}

/** The key of "none apply" in a multi-label question: 0, unless an option took it. */
export function noneKey(question) {
  return isMulti(question) && optionForKey(question, "0") === undefined ? "0" : null;
}

/** The new answer after pressing a key, or undefined when the key means nothing here. */
export function answerForKey(question, key, current) {
  if (!question) return undefined;
  if (key !== null && noneKey(question) === String(key)) return []; // "none apply"
  const value = key === null ? undefined : optionForKey(question, key);
  return value === undefined ? undefined : chooseOption(question, current, value);
}

/** Whether a value counts as an answer (an empty multi-label list does: "none apply"). */
export function isChosen(question, value) {
  if (value === undefined || value === null) return false;
  if (isRating(question)) return onScale(question.scale, value);
  if (isMulti(question)) return Array.isArray(value);
  return (question.labels ?? []).includes(value);
}

/** Whether a chosen option value is part of a shown answer. */
export function includesOption(question, value, optionValue) {
  if (isMulti(question)) return Array.isArray(value) && value.includes(optionValue);
  return value === optionValue;
}
