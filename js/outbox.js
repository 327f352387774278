// Numbers and times the messages sent to the kernel, as docs/protocol.md asks, and keeps
// each one until the kernel acknowledges it, so one it could not store can be sent again.

const clock = () => (globalThis.performance ?? Date).now();

/** A view id: tells this rendering's messages from another's (a second tab, a reload). */
export function newViewId() {
  return Math.random().toString(36).slice(2, 10) + Date.now().toString(36);
}

/**
 * send(type, fields) adds seq (1, 2, … per widget view), elapsed_ms (time since the
 * previous message or since the record appeared, whichever is later) and, when given,
 * the view id.
 */
export function createOutbox(model, now = clock, viewId = undefined) {
  let seq = 0;
  let mark = now();
  let unacked = []; // messages sent and not yet acknowledged, in order
  /** Send a message numbered elsewhere (the reducer numbers its own); returns its seq. */
  function post({ type, seq: n, ...fields }) {
    seq = n;
    const t = now();
    const elapsed_ms = Math.max(0, Math.round(t - mark));
    mark = t;
    const message = { type, seq, elapsed_ms, ...fields };
    if (viewId !== undefined) message.view = viewId;
    unacked.push(message);
    model.send(message);
    return seq;
  }
  return {
    send: (type, fields = {}) => post({ type, seq: seq + 1, ...fields }),
    post,
    /** The kernel has handled every message up to ack: forget them. */
    acked(ack) {
      unacked = unacked.filter((m) => m.seq > ack);
    },
    /** Send every unacknowledged message again, in order, exactly as first sent. */
    resend() {
      for (const m of unacked) model.send(m);
      return unacked.length;
    },
    /** A new record is on screen: its time starts now. */
    recordShown() {
      mark = now();
    },
    get seq() {
      return seq;
    },
    get viewId() {
      return viewId;
    },
    get unacked() {
      return unacked.length;
    },
  };
}
