// Messages that move to another record (submit, skip, →, ←, undo, a jump, a new queue), and
// the record the kernel sent ahead that can be painted at once (docs/protocol.md, record.ahead).
import { missingQuestions } from "../answers.js";
import { answered } from "../kinds/index.js";
import { expectAck } from "../typeahead.js";
import { arrive } from "./arrive.js";
import { answersOf, isReady, questionsOf, recordOf } from "./state.js";
import { effect, send, set } from "./step.js";

/** The record Enter ("open") or → ("next") will show when the kernel sent it ahead; after a
 * record painted ahead, the one after it. */
export function predict(state, kind) {
  const ahead = state.kernel.record?.ahead?.[kind] ?? [];
  const { shown } = state;
  const at = shown ? ahead.findIndex((x) => x.key === shown.record.key) + 1 : 0;
  return (shown && at === 0) || at >= ahead.length ? null : ahead[at];
}

/** Send a message that moves to another record; paint that record now when it is known. */
export function move(r, type, fields, kind = null) {
  const next = kind ? predict(r.state, kind) : null;
  const seq = send(r, type, fields);
  if (next) {
    set(r, { shown: { record: next, seq } }); // the kernel's view confirms it, or puts back its own
    arrive(r);
  } else {
    set(r, { held: expectAck(r.state.held, seq) });
    effect(r, "await", { seq });
  }
  return { seq, painted: Boolean(next) };
}

/** Enter with required answers missing: mark those questions and go to the first. */
function showMissing(r) {
  const rec = recordOf(r.state); // a per-turn question is complete when its record's asked turns are
  const missing = missingQuestions(questionsOf(r.state), answersOf(r.state), (q, v, a) => answered(q, v, a, rec));
  set(r, { missing });
  if (missing.length > 0 && missing[0] !== r.state.focus) {
    set(r, { focus: missing[0] });
    effect(r, "focusEl");
  }
}

const onRecord = (fn) => (r, action) => {
  const rec = recordOf(r.state);
  if (rec) fn(r, rec, action);
  return r;
};

export const moveHandlers = {
  submit: onRecord((r, rec) => {
    showMissing(r); // the kernel refuses it too; the reviewer sees where at once
    // Only a submit the kernel will take paints ahead: a refused one leaves the record where it is.
    move(r, "submit", { key: rec.key }, isReady(r.state) ? "open" : null);
  }),
  skip: onRecord((r, rec) => move(r, "skip", { key: rec.key }, "open")),
  next: onRecord((r) => move(r, "nav", { to: "next" }, "next")),
  prev: onRecord((r) => move(r, "nav", { to: "prev" })),
  goto: (r, { row }) => (move(r, "nav", { to: row }), r),
  undo: (r) => (move(r, "undo", {}), r),
  filter: (r, { search, status }) => (move(r, "queue", { search, status }), r),
};
