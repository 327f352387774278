// Answers sent but not yet reflected in a view: shown at once, dropped once the kernel acknowledges.

export function createPending() {
  const sent = new Map(); // question name → {value, seq}
  return {
    set(name, value, seq) {
      sent.set(name, { value, seq });
    },
    /** Forget what the view with this ack already reflects (or refused). */
    prune(ack) {
      for (const [name, p] of sent) if (p.seq <= ack) sent.delete(name);
    },
    clear() {
      sent.clear();
    },
    has(name) {
      return sent.has(name);
    },
    /** The saved answers with the pending ones laid over them (null clears). */
    overlay(answers = {}) {
      const out = { ...answers };
      for (const [name, { value }] of sent) {
        if (value === null) delete out[name];
        else out[name] = value;
      }
      return out;
    },
  };
}
