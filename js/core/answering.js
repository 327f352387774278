// Answers: a kind's answer to a question (shown at once, before the kernel acknowledges it),
// keys and clicks the question's kind turns into answers, one-key mode and accepting suggestions.
import { sameValue } from "../answers.js";
import { answerFor } from "../kinds/index.js";
import { withPending } from "../pending.js";
import { move } from "./moves.js";
import { answersOf, currentOf, questionsOf, recordOf, suggestionsPending } from "./state.js";
import { send, set } from "./step.js";

const remember = (r, name, value, seq, key) =>
  set(r, { pending: withPending(r.state.pending, { name, value, seq, record: key }) });

/** `question` (a name) answered `value` (null clears); one-key mode also submits and advances. */
export function onAnswer(r, { question: name, value }) {
  const rec = recordOf(r.state);
  if (!rec) return r;
  // One key answers, submits and advances (config.one_key: the kernel asks Question.one_key).
  const oneKey = Boolean(r.state.config.one_key);
  const answers = answersOf(r.state);
  const unchanged = Object.hasOwn(answers, name) ? sameValue(answers[name], value) : value === null;
  if (!oneKey && unchanged) return r; // nothing changes
  const fields = { key: rec.key, question: name, value };
  if (!oneKey) return remember(r, name, value, send(r, "answer", fields), rec.key);
  // Answer, submit and advance in one message: the next record is painted at once.
  const { seq, painted } = move(r, "answer", { ...fields, submit: true }, value === null ? null : "open");
  return painted ? r : remember(r, name, value, seq, rec.key); // shown chosen until the kernel moves on
}

/** A key (`digit`, `key`) for the focused question, or a question's own action (`kind`):
 * its kind says which answer it gives (plugin `onAction`); `handled` is false when none. */
export function onQuestionAction(r, action) {
  const index = action.type === "kind" ? action.index : r.state.focus;
  const question = questionsOf(r.state)[index];
  const value = question && recordOf(r.state) ? answerFor(question, action, currentOf(r.state, question).value) : undefined;
  if (value === undefined) {
    r.handled = action.type === "digit"; // a digit is always the widget's, even meaning nothing
    return r;
  }
  if (action.type === "kind") set(r, { focus: index });
  return onAnswer(r, { question: question.name, value });
}

/** `a`: every pending suggestion becomes the answer (the kinds' own were accepted first). */
export function onAccept(r) {
  const rec = recordOf(r.state);
  if (!rec) return r;
  const names = suggestionsPending(r.state);
  if (names.length === 0) return r;
  const seq = send(r, "accept", { key: rec.key });
  for (const name of names) remember(r, name, rec.suggestions[name], seq, rec.key);
  return r;
}
