// The reducer (js/core/reducer.js) wired to the world: its messages go out through the outbox
// (numbered, kept until acknowledged, sent again after a fault), its timing effects become
// timers, and the view is drawn once per action that came from outside, however many actions
// that one caused (a kind's answer inside a key, the keys replayed after a reply).
import { createOutbox, newViewId } from "../outbox.js";
import { createRetry } from "../retry.js";
import { nextHeld } from "../typeahead.js";
import { isImmediate, reduce, waiting } from "../core/reducer.js";
import { ackOf, initialState } from "../core/state.js";

// How long keys typed ahead of a record change wait for the kernel before they are dropped.
export const AWAIT_MS = 5000;

/**
 * `route(action)` runs an action that may run now (the kinds first, then `apply`); `effect(e)`
 * carries out what the reducer asks of the view; `render(state)` draws.
 */
export function createStore({ model, config, route, effect, render }) {
  const outbox = createOutbox(model, undefined, newViewId());
  const retry = createRetry({ resend: () => outbox.resend() });
  let state = initialState({ config, viewId: outbox.viewId });
  let depth = 0;
  let drawn = null; // the state last drawn
  let timer = null;

  function own(e) {
    if (e.type === "settled") {
      outbox.acked(e.ack);
      retry.update({ fault: e.faulted, unacked: outbox.unacked });
    } else if (e.type === "await") {
      clearTimeout(timer);
      // A kernel that never answers must not lock the keys for good.
      timer = setTimeout(() => batch(() => apply({ type: "stall", seq: e.seq })), AWAIT_MS);
    } else if (e.type === "recordShown") outbox.recordShown();
    effect(e);
  }

  /** Run one action through the reducer now; true when something handled it. */
  function apply(action) {
    const r = reduce(state, action);
    state = r.state;
    for (const m of r.messages) outbox.post(m);
    for (const e of r.effects) own(e);
    if (!state.held.owed && timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    return r.handled;
  }

  /** Do `fn`, then draw once if the state changed (the outermost call draws). */
  function batch(fn) {
    depth += 1;
    try {
      return fn();
    } finally {
      depth -= 1;
      if (depth === 0 && !state.stale && state !== drawn) {
        drawn = state;
        depth += 1; // what a component does while drawn is drawn after it, not inside it
        try {
          render(state);
        } finally {
          depth -= 1;
        }
        if (state !== drawn) batch(() => {});
      }
    }
  }

  /** An action from the reviewer: held during a record change, else routed now. */
  const dispatch = (action) =>
    batch(() => {
      apply({ type: "touch" });
      if (!isImmediate(action) && waiting(state)) return apply({ type: "hold", action });
      return route(action);
    });

  /** A kernel reply; then the keys typed during the record change it settles, in order. */
  const kernel = (traits) =>
    batch(() => {
      apply({ type: "kernel", ...traits });
      for (let a = nextHeld(state.held, ackOf(state)); a !== undefined; a = nextHeld(state.held, ackOf(state))) {
        apply({ type: "unhold" });
        route(a);
      }
    });

  return {
    get state() {
      return state;
    },
    outbox,
    /** Run an action now and draw (a kind's answer, the config, a kernel-side change). */
    apply: (action) => batch(() => apply(action)),
    /** Run an action now, inside a dispatch (the route's last step). */
    run: apply,
    dispatch,
    kernel,
    destroy() {
      clearTimeout(timer);
      retry.destroy();
    },
  };
}
