// Answers in general, whatever the kind: what a question shows, which required ones are still
// missing, which suggestions are pending. Whether a value answers a question is the kind's
// call (`answered`, from the kinds registry: js/kinds/index.js). Pure.

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

/** Any value but null and undefined: the answer of a kind that says nothing more. */
export const hasValue = (_question, value) => value !== undefined && value !== null;

/** Whether every required question has an answer (`answered` decides per kind, from the
 * question's value and, for a kind whose answer has parts, every answer of the record). */
export function isComplete(questions, answers = {}, answered = hasValue) {
  return questions.every((q) => q.required === false || answered(q, answers?.[q.name], answers));
}

/** Indices of the required questions these answers leave unanswered, in order. */
export function missingQuestions(questions, answers = {}, answered = hasValue) {
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

/** Structural equality for answer values (numbers, strings, lists of strings). */
export function sameValue(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}
