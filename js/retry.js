// When the kernel could not store a message: send the unacknowledged ones again, with
// growing pauses, until the kernel acknowledges them all (docs/protocol.md, "Faults").

export const DELAYS_MS = [500, 1000, 2000, 4000, 8000];

/**
 * update({fault, unacked}) after every view: a fault with messages waiting starts (or
 * keeps) the retries; nothing waiting stops them and, after a fault, calls onSaved.
 */
export function createRetry({ resend, onSaved = () => {}, delays = DELAYS_MS }) {
  let timer = null;
  let attempt = 0;
  let failing = false;
  const stop = () => {
    clearTimeout(timer);
    timer = null;
  };
  const schedule = () => {
    if (timer !== null) return;
    const wait = delays[Math.min(attempt, delays.length - 1)];
    attempt += 1;
    timer = setTimeout(() => {
      timer = null;
      if (resend() > 0) schedule(); // keep trying until a view says they are stored
    }, wait);
  };
  return {
    update({ fault, unacked }) {
      if (unacked === 0) {
        stop();
        attempt = 0;
        if (failing) {
          failing = false;
          onSaved();
        }
        return;
      }
      if (fault) {
        failing = true;
        schedule();
      }
    },
    get failing() {
      return failing;
    },
    destroy() {
      stop();
    },
  };
}
