// Numbers and times the messages sent to the kernel, as docs/protocol.md asks.

const clock = () => (globalThis.performance ?? Date).now();

/**
 * send(type, fields) adds seq (1, 2, … per widget view) and elapsed_ms (time
 * since the previous message or since the record appeared, whichever is later).
 */
export function createOutbox(model, now = clock) {
  let seq = 0;
  let mark = now();
  return {
    send(type, fields = {}) {
      seq += 1;
      const t = now();
      const elapsed_ms = Math.max(0, Math.round(t - mark));
      mark = t;
      model.send({ type, seq, elapsed_ms, ...fields });
      return seq;
    },
    /** A new record is on screen: its time starts now. */
    recordShown() {
      mark = now();
    },
    get seq() {
      return seq;
    },
  };
}
