// Holds actions typed while the kernel moves to another record, and replays them once it has.
// Without it a key pressed right after Enter would carry the old record's key and be refused.

export function createTypeahead({ timeoutMs, onStall = () => {}, limit = 32 }) {
  let owed = 0; // seq of a record change the kernel has not acknowledged yet
  let timer = null;
  let queue = [];
  const stop = () => {
    clearTimeout(timer);
    timer = null;
  };
  return {
    /** A message that changes the record went out as seq. */
    expect(seq) {
      owed = seq;
      stop();
      // A kernel that never answers must not lock the keys for good.
      timer = setTimeout(() => {
        timer = null;
        owed = 0;
        const dropped = queue.length;
        queue = [];
        if (dropped) onStall(dropped);
      }, timeoutMs);
    },
    /** Whether the view with this ack is older than the last record change. */
    waiting(ack) {
      return owed > ack;
    },
    hold(action) {
      if (queue.length < limit) queue.push(action);
    },
    /** A view with this ack arrived: true when it settles the record change. */
    settle(ack) {
      if (!owed || ack < owed) return false;
      owed = 0;
      stop();
      return true;
    },
    /** The next held action to run now, or undefined (none, or a new change is pending). */
    next(ack) {
      return owed > ack ? undefined : queue.shift();
    },
    destroy() {
      stop();
      queue = [];
    },
  };
}
