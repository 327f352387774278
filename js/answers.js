// What a choice does to a question's answer, and whether answers are complete.

export const CHOICE_KINDS = new Set(["rating", "label", "multilabel"]);

/**
 * A config scale as {low, high}: `n` is 1..n, `[low, high]` is low..high (from 0 up).
 * Anything else is an empty scale (high < low), so nothing is drawn or accepted.
 */
export function scaleRange(scale) {
  if (Array.isArray(scale) && scale.length === 2 && scale.every(Number.isInteger)) {
    return { low: scale[0], high: scale[1] };
  }
  return Number.isInteger(scale) ? { low: 1, high: scale } : { low: 1, high: 0 };
}

/** The digit that picks a score, or null: the score itself; 0 is 10 when 0 is not on the scale. */
export function scoreKey(value, { low }) {
  if (value >= 0 && value <= 9) return String(value);
  return value === 10 && low > 0 ? "0" : null;
}

/** The score a digit picks on a scale, or undefined. */
export function scoreForDigit(scale, digit) {
  const range = scaleRange(scale);
  const d = Number(digit);
  const value = d === 0 && range.low > 0 ? 10 : d;
  return value >= range.low && value <= range.high ? value : undefined;
}

/** Whether a value is a score on the scale. */
export function onScale(scale, value) {
  const { low, high } = scaleRange(scale);
  return Number.isInteger(value) && value >= low && value <= high;
}

/** The option buttons of a question: {value, key, label}; key is the digit that picks it, or null. */
export function options(question) {
  if (question.kind === "rating") {
    const range = scaleRange(question.scale);
    return Array.from({ length: Math.max(0, range.high - range.low + 1) }, (_, i) => {
      const value = range.low + i;
      // 0 stands for 10 on a scale without 0, so a 1..10 scale is fully reachable by keys.
      return { value, key: scoreKey(value, range), label: question.labels?.[i] ?? null };
    });
  }
  if (question.kind === "label" || question.kind === "multilabel") {
    return (question.labels ?? []).map((label, i) => ({
      value: label,
      key: i < 9 ? String(i + 1) : null,
      label,
    }));
  }
  return [];
}

/** The option a digit picks in this question, or undefined. */
export function optionForDigit(question, digit) {
  return options(question).find((o) => o.key === String(digit))?.value;
}

/** Toggle a label in a multilabel answer; the result keeps the question's label order. */
export function toggleLabel(question, current, label) {
  const chosen = new Set(Array.isArray(current) ? current : []);
  if (chosen.has(label)) chosen.delete(label);
  else chosen.add(label);
  return (question.labels ?? []).filter((l) => chosen.has(l));
}

/** The new answer after choosing an option value (a click, or a digit's option). */
export function chooseOption(question, current, value) {
  if (question.kind === "multilabel") return toggleLabel(question, current, value);
  return value;
}

/** The new answer after pressing a digit, or undefined when the digit means nothing here. */
export function answerForDigit(question, digit, current) {
  if (!question) return undefined;
  if (question.kind === "multilabel" && String(digit) === "0") return []; // "none apply"
  const value = optionForDigit(question, digit);
  return value === undefined ? undefined : chooseOption(question, current, value);
}

/** What a question shows: its saved answer, else its suggestion (flagged), else nothing. */
export function shownValue(question, answers = {}, suggestions = {}) {
  if (answers && Object.hasOwn(answers, question.name)) {
    return { value: answers[question.name], suggested: false };
  }
  if (suggestions && Object.hasOwn(suggestions, question.name)) {
    return { value: suggestions[question.name], suggested: true };
  }
  return { value: undefined, suggested: false };
}

/** Whether a value counts as an answer to the question (an empty multilabel list does). */
export function isAnswered(question, value) {
  if (value === undefined || value === null) return false;
  switch (question.kind) {
    case "rating":
      return onScale(question.scale, value);
    case "label":
      return (question.labels ?? []).includes(value);
    case "multilabel":
      return Array.isArray(value);
    case "freetext":
      return typeof value === "string" && value.trim() !== "";
    default:
      return true;
  }
}

/** Whether every required question has an answer (`answered` decides per kind, from the
 * question's value and, for a kind whose answer has parts, every answer of the record). */
export function isComplete(questions, answers = {}, answered = isAnswered) {
  return questions.every(
    (q) => q.required === false || answered(q, answers?.[q.name], answers),
  );
}

/** Indices of the required questions these answers leave unanswered, in order. */
export function missingQuestions(questions, answers = {}, answered = isAnswered) {
  return questions.flatMap((q, i) =>
    q.required === false || answered(q, answers?.[q.name], answers) ? [] : [i],
  );
}

/** Names of questions whose suggestion is still pending (no answer yet). */
export function pendingSuggestions(questions, answers = {}, suggestions = {}) {
  return questions
    .map((q) => q.name)
    .filter(
      (name) =>
        suggestions && Object.hasOwn(suggestions, name) && !(answers && Object.hasOwn(answers, name)),
    );
}

/** Whether a chosen option value is part of a shown answer. */
export function includesOption(question, value, optionValue) {
  if (question.kind === "multilabel") return Array.isArray(value) && value.includes(optionValue);
  return value === optionValue;
}

/** Structural equality for answer values (numbers, strings, lists of strings). */
export function sameValue(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Free text as an answer: an empty box clears the answer. */
export function freetextValue(text) {
  return text === "" ? null : text;
}
