// The widget as a pure function: `reduce(state, action) → {state, messages, effects, handled}`.
// No DOM and no model: actions are keys already mapped to action names (js/keys.js), clicks,
// kinds' answers and the kernel's replies; messages go to the kernel (numbered), effects to the
// view. Each action name has one handler in a table, and a module may add its own without
// touching this file: `registerAction("similar", (r, action) => ...)` (docs/protocol.md).
import { onAccept, onAnswer, onQuestionAction } from "./answering.js";
import { onHold, onKernel, onStall, onUnhold } from "./arrive.js";
import { moveHandlers } from "./moves.js";
import { panelHandlers } from "./panels.js";
import { ackOf } from "./state.js";
import { effect, send, set, step } from "./step.js";
import { isWaiting } from "../typeahead.js";

const HANDLERS = new Map();
const HELP = new Map(); // action → what it does, for the "?" panel (a function of the config)
const IMMEDIATE = new Set(); // run at once, even while a record change is in flight
const MOVES = new Set(); // leave the record: the kinds send unsent typing first

/**
 * Handle action `name` with `handler(r, action)`, which changes the result `r` through
 * js/core/step.js (`set`, `send`, `effect`) and returns it. `immediate`: the action touches no
 * record, so it never waits for a record change; `moves`: it leaves the record; `help`: what it
 * does in the "?" panel (a text, or a function of the config giving a text or null). A later
 * registration of the same name replaces the earlier one. Returns the function that removes it.
 */
export function registerAction(name, handler, { immediate = false, moves = false, help = null } = {}) {
  HANDLERS.set(name, handler);
  if (help) HELP.set(name, typeof help === "function" ? help : () => help);
  else HELP.delete(name);
  (immediate ? IMMEDIATE.add(name) : IMMEDIATE.delete(name));
  (moves ? MOVES.add(name) : MOVES.delete(name));
  return () => {
    if (HANDLERS.get(name) !== handler) return;
    for (const set of [HANDLERS, HELP, IMMEDIATE, MOVES]) set.delete(name);
  };
}

/** [action, what it does] of the registered actions that say so, for this config. */
export const actionHelp = (config) =>
  [...HELP].map(([name, what]) => [name, what(config)]).filter(([, what]) => what);

/** Whether something handles actions of this name. */
export const handles = (name) => HANDLERS.has(name);

/** Whether an action of this name runs at once even while a record change is in flight. */
export const isImmediate = (action) => IMMEDIATE.has(action.type);

/** Whether an action leaves the record (text not yet sent must be sent first). */
export const isMove = (action) => MOVES.has(action.type);

/** Whether actions that touch the record wait now (a record change is not acknowledged yet). */
export const waiting = (state) => isWaiting(state.held, ackOf(state));

/** The next state, the kernel messages and the view's effects of one action. */
export function reduce(state, action) {
  const handler = HANDLERS.get(action?.type);
  const r = step(state);
  if (!handler) {
    r.handled = false;
    return r;
  }
  return handler(r, action) ?? r;
}

const register = (handlers, options) => {
  for (const [name, handler] of Object.entries(handlers)) registerAction(name, handler, options(name));
};
// Never from a key, never held: the kernel's replies, the held keys, answers the kinds send.
register(
  {
    kernel: onKernel,
    hold: onHold,
    unhold: onUnhold,
    stall: onStall,
    answer: onAnswer,
    touch: (r) => (r.state.saved ? set(r, { saved: false }) : r), // the reviewer acts: "Saved" has been read
  },
  () => ({ immediate: true }),
);
// For the question on screen: they wait while a record change is in flight.
register({ digit: onQuestionAction, key: onQuestionAction, kind: onQuestionAction, accept: onAccept }, () => ({}));
// Leaving the record; a jump or a new queue from the queue's own controls does not wait.
register(moveHandlers, (name) => ({ moves: true, immediate: name === "goto" || name === "filter" }));
// The widget itself: at once, but moving between questions waits for the next record.
register(panelHandlers, (name) => ({ immediate: name !== "next_question" && name !== "prev_question" }));
// The queue table's page: asked for by its own controls, answered in trait "queue_page".
registerAction("queue_page", (r, { start }) => (send(r, "queue_page", { start }), r), { immediate: true });

export { effect, send, set };
