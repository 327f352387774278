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

/** Draws once per outermost call, and only a state not drawn yet. */
function createBatch(current, render) {
  let depth = 0;
  let drawn = null;
  const batch = (fn) => {
    depth += 1;
    try {
      return fn();
    } finally {
      depth -= 1;
      const state = current();
      if (depth === 0 && !state.stale && state !== drawn) {
        drawn = state;
        depth += 1; // what a component does while drawn is drawn after it, not inside it
        try {
          render(state);
        } finally {
          depth -= 1;
        }
        if (current() !== drawn) batch(() => {});
      }
    }
  };
  return batch;
}

/** The timer that drops held keys when the kernel does not answer a record change. */
function createAwait(onStall) {
  let timer = null;
  return {
    start(seq) {
      clearTimeout(timer);
      timer = setTimeout(() => onStall(seq), AWAIT_MS); // the keys must not stay locked for good
    },
    stop() {
      clearTimeout(timer);
      timer = null;
    },
  };
}

/**
 * `route(action)` runs an action that may run now (the kinds first, then `run`); `effect(e)`
 * carries out what the reducer asks of the view; `render(state)` draws.
 */
export function createStore({ model, config, route, effect, render }) {
  const outbox = createOutbox(model, undefined, newViewId());
  const retry = createRetry({ resend: () => outbox.resend() });
  let state = initialState({ config, viewId: outbox.viewId });
  const batch = createBatch(() => state, render);
  const wait = createAwait((seq) => batch(() => run({ type: "stall", seq })));

  const OWN = {
    settled(e) {
      outbox.acked(e.ack);
      retry.update({ fault: e.faulted, unacked: outbox.unacked });
    },
    await: (e) => wait.start(e.seq),
    recordShown: () => outbox.recordShown(),
  };

  /** Run one action through the reducer now; true when something handled it. */
  function run(action) {
    const r = reduce(state, action);
    state = r.state;
    for (const m of r.messages) outbox.post(m);
    for (const e of r.effects) {
      OWN[e.type]?.(e);
      effect(e);
    }
    if (!state.held.owed) wait.stop();
    return r.handled;
  }

  /** A kernel reply; then the keys typed during the record change it settles, in order. */
  function kernel(traits) {
    run({ type: "kernel", ...traits });
    for (let a = nextHeld(state.held, ackOf(state)); a !== undefined; a = nextHeld(state.held, ackOf(state))) {
      run({ type: "unhold" });
      route(a);
    }
  }

  return {
    get state() {
      return state;
    },
    outbox,
    run,
    /** Run an action now and draw (a kind's answer, the config, a kernel-side change). */
    apply: (action) => batch(() => run(action)),
    /** An action from the reviewer: held during a record change, else routed now. */
    dispatch: (action) =>
      batch(() => {
        run({ type: "touch" });
        if (!isImmediate(action) && waiting(state)) return run({ type: "hold", action });
        return route(action);
      }),
    kernel: (traits) => batch(() => kernel(traits)),
    destroy() {
      wait.stop();
      retry.destroy();
    },
  };
}
