// What one action produced: the next state, the messages for the kernel (each numbered with its
// `seq`) and the effects the view carries out (focus, panels, timers). Handlers build it up.

/** A fresh result over `state` (nothing sent, nothing to do yet). */
export function step(state) {
  return { state, messages: [], effects: [], handled: true };
}

/** Change fields of the state. */
export function set(r, fields) {
  r.state = { ...r.state, ...fields };
  return r;
}

/** Number a message for the kernel and queue it; returns its seq. */
export function send(r, type, fields = {}) {
  const seq = r.state.seq + 1;
  r.state = { ...r.state, seq };
  r.messages.push({ type, seq, ...fields });
  return seq;
}

/** Ask the view (or the widget's timers) to do something the state cannot. */
export function effect(r, type, fields = {}) {
  r.effects.push({ type, ...fields });
  return r;
}
