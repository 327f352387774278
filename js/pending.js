// Answers sent but not yet reflected in a view: shown at once, dropped once the kernel acknowledges.
// Each belongs to the record it was given on, so moving away and back (a record painted ahead
// of the kernel, then the kernel's own) shows it again until the kernel has it.

const slot = (record, name) => `${record ?? ""}\u0000${name}`;

export function createPending() {
  const sent = new Map(); // record + question name → {record, name, value, seq}
  return {
    set(name, value, seq, record = null) {
      sent.set(slot(record, name), { record, name, value, seq });
    },
    /** Forget what the view with this ack already reflects (or refused). */
    prune(ack) {
      for (const [k, p] of sent) if (p.seq <= ack) sent.delete(k);
    },
    clear() {
      sent.clear();
    },
    has(name, record = null) {
      return sent.has(slot(record, name));
    },
    /** The saved answers with the pending ones of this record laid over them (null clears). */
    overlay(answers = {}, record = null) {
      const out = { ...answers };
      for (const p of sent.values()) {
        if (p.record !== record) continue;
        if (p.value === null) delete out[p.name];
        else out[p.name] = p.value;
      }
      return out;
    },
  };
}
