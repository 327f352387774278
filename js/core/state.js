// The widget's state as plain data, and what is read from it. The reducer (reducer.js) makes each
// state from the last; the view (js/widget/view.js) draws it. Selectors are memoized on the
// objects they read, so one state is worked out once, however many parts of the view ask.
import { isComplete, pendingSuggestions, shownValue } from "../answers.js";
import { keysOf } from "../keys.js";
import { answered, withCompanions } from "../kinds/index.js";
import { hasPending, overlay } from "../pending.js";
import { NOTHING_HELD } from "../typeahead.js";

/** The state before the kernel has said anything; `viewId` names this rendering's messages. */
export function initialState({ config = {}, viewId } = {}) {
  return {
    viewId,
    config,
    keys: keysOf(config),
    kernel: { view: {}, record: null, link: null, page: null }, // the traits as last synced
    shown: null, // {record, seq}: a record painted ahead of the kernel
    seq: 0, // the last message numbered
    pending: [], // answers sent, not yet acknowledged (js/pending.js)
    held: NOTHING_HELD, // actions waiting for a record change (js/typeahead.js)
    focus: 0, // index of the focused question
    recordKey: undefined, // the record the state last arrived at
    missing: [], // questions Enter found unanswered
    raw: false, // markdown and chats shown as their raw text
    panels: { help: false, guidelines: false },
    notice: null, // the widget's own notice, until the next view
    saved: false, // what a fault held back is stored now: said until the next action
    failing: false, // the store refused what was sent: it is being sent again
    stale: false, // the kernel restarted or stopped: the widget is a picture of the past
  };
}

/** One-entry memo on the identity of the arguments. */
function memo(fn) {
  let args = null;
  let result;
  return (...next) => {
    if (args && args.length === next.length && args.every((a, i) => a === next[i])) return result;
    args = next;
    result = fn(...next);
    return result;
  };
}

export const questionsOf = (state) => state.config.questions ?? [];

/** This view's own ack when the kernel keeps one per view; else the view's (tests, old kernels). */
export function ackOf(state) {
  const { link, view } = state.kernel;
  return link?.acks?.[state.viewId] ?? (link ? 0 : (view?.ack ?? 0));
}

// The record as the kernel shows it: its fixed part (trait "record") under what answers change.
const kernelRecord = memo((view, fixed) => {
  const changing = view?.record ?? null;
  if (!changing || (fixed ?? {}).key !== changing.key) return changing;
  const { ahead, ...rest } = fixed;
  return { ...rest, ...changing };
});

/** The record on screen: the one painted ahead, else the kernel's. */
export const recordOf = (state) =>
  state.shown ? state.shown.record : kernelRecord(state.kernel.view, state.kernel.record);

const viewMemo = memo((view, page, shown) => {
  let v = view ?? {};
  // The queue table's page crosses in trait "queue_page", in the same sync as its view.
  if (v.queue?.open && v.queue.page === undefined) v = { ...v, queue: { ...v.queue, page: page ?? null } };
  if (!shown) return v;
  const { row, index } = shown.record;
  return { ...v, position: row, index: index ?? null, done: false, notice: null };
});

/** The view as the kernel sent it, or moved to the record painted ahead of it. */
export const viewOf = (state) => viewMemo(state.kernel.view, state.kernel.page, state.shown);

const answersMemo = memo((pending, record) => overlay(pending, record?.answers ?? {}, record?.key ?? null));

/** The record's answers as shown: saved ones, with those sent and not acknowledged over them. */
export const answersOf = (state) => answersMemo(state.pending, recordOf(state));

/** {value, suggested} of a question as shown now. */
export const currentOf = (state, question) =>
  shownValue(question, answersOf(state), recordOf(state)?.suggestions ?? {});

/** Every required question answered, as the kinds decide. */
export const isReady = (state) =>
  isComplete(questionsOf(state), answersOf(state), (q, v, a) => answered(q, v, a, recordOf(state)));

/** Questions whose suggestion waits to be accepted. */
export const suggestionsPending = (state) =>
  pendingSuggestions(questionsOf(state), answersOf(state), recordOf(state)?.suggestions ?? {});

/** Changes sent and not stored while the store fails (0 when all is well). */
export const unsavedCount = (state) => (state.failing ? Math.max(0, state.seq - ackOf(state)) : 0);

/** Whether this question's answer is one of those waiting while the store fails. */
export const isUnsaved = (state, name) =>
  unsavedCount(state) > 0 && hasPending(state.pending, name, recordOf(state)?.key ?? null);

/** How many records Enter could paint ahead of the kernel (the DOM hook data-ahead). */
export const aheadCount = (state) => (state.kernel.record?.ahead?.open ?? []).length;

/** The questions with their companions (a preference's strength): the adjudication rows. */
export const tableQuestions = memo((questions) => withCompanions(questions));
