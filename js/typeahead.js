// Actions typed while the kernel moves to another record wait, and run once it has: without
// that a key pressed right after Enter would carry the old record's key and be refused. Pure:
// `{owed, queue}`, the seq of the record change not acknowledged yet and the actions held.

export const NOTHING_HELD = Object.freeze({ owed: 0, queue: [] });
const LIMIT = 32;

/** A message that changes the record went out as seq. */
export const expectAck = (held, seq) => ({ owed: seq, queue: held.queue });

/** Whether the view with this ack is older than the last record change. */
export const isWaiting = (held, ack) => held.owed > ack;

/** Hold an action (at most `limit`). */
export const hold = (held, action, limit = LIMIT) =>
  held.queue.length < limit ? { owed: held.owed, queue: [...held.queue, action] } : held;

/** A view with this ack arrived: the record change is settled once it acknowledges it. */
export const settleHeld = (held, ack) => (held.owed && ack >= held.owed ? { owed: 0, queue: held.queue } : held);

/** The next held action to run now, or undefined (none, or a new change is pending). */
export const nextHeld = (held, ack) => (isWaiting(held, ack) ? undefined : held.queue[0]);

/** Without the first held action. */
export const dropFirst = (held) => ({ owed: held.owed, queue: held.queue.slice(1) });
