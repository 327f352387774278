// Answers sent but not yet reflected in a view: shown at once, dropped once the kernel acknowledges.
// Each belongs to the record it was given on, so moving away and back (a record painted ahead
// of the kernel, then the kernel's own) shows it again until the kernel has it. Pure: a list of
// {record, name, value, seq}, replaced, never changed in place.

/** The list with this answer in it (the latest value per record and question). */
export function withPending(list, { name, value, seq, record = null }) {
  return [...list.filter((p) => !(p.record === record && p.name === name)), { record, name, value, seq }];
}

/** The list without what the view with this ack already reflects (or refused). */
export function prunePending(list, ack) {
  return list.some((p) => p.seq <= ack) ? list.filter((p) => p.seq > ack) : list;
}

export function hasPending(list, name, record = null) {
  return list.some((p) => p.record === record && p.name === name);
}

/** The saved answers with the pending ones of this record laid over them (null clears). */
export function overlay(list, answers = {}, record = null) {
  const out = { ...answers };
  for (const p of list) {
    if (p.record !== record) continue;
    if (p.value === null) delete out[p.name];
    else out[p.name] = p.value;
  }
  return out;
}
