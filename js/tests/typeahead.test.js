import { expect, it } from "vitest";
import { dropFirst, expectAck, hold, isWaiting, nextHeld, NOTHING_HELD, settleHeld } from "../typeahead.js";

// A tiny driver over the pure functions, so the steps read like the old stateful API.
function typeahead(limit) {
  let held = NOTHING_HELD;
  return {
    expect: (seq) => (held = expectAck(held, seq)),
    waiting: (ack) => isWaiting(held, ack),
    hold: (a) => (held = limit ? hold(held, a, limit) : hold(held, a)),
    settle(ack) {
      const was = held.owed;
      held = settleHeld(held, ack);
      return was !== 0 && held.owed === 0;
    },
    next(ack) {
      const a = nextHeld(held, ack);
      if (a !== undefined) held = dropFirst(held);
      return a;
    },
  };
}

it("waits for the ack of the record change, then hands back held actions in order", () => {
  const t = typeahead();
  expect(t.waiting(0)).toBe(false);
  t.expect(3);
  expect(t.waiting(2)).toBe(true);
  t.hold("a");
  t.hold("b");
  expect(t.settle(2)).toBe(false);
  expect(t.next(2)).toBeUndefined();
  expect(t.settle(3)).toBe(true);
  expect(t.waiting(3)).toBe(false);
  expect(t.next(3)).toBe("a");
  expect(t.next(3)).toBe("b");
  expect(t.next(3)).toBeUndefined();
});

it("stops replaying when a replayed action starts another record change", () => {
  const t = typeahead();
  t.expect(1);
  t.hold("submit");
  t.hold("answer");
  t.settle(1);
  expect(t.next(1)).toBe("submit");
  t.expect(2);
  expect(t.next(1)).toBeUndefined();
  t.settle(2);
  expect(t.next(2)).toBe("answer");
});

it("holds a bounded number of actions", () => {
  const t = typeahead(2);
  t.expect(1);
  for (const a of ["a", "b", "c"]) t.hold(a);
  t.settle(1);
  expect([t.next(1), t.next(1), t.next(1)]).toEqual(["a", "b", undefined]);
});

it("holds at most 32 by default, and never changes a state in place", () => {
  let held = expectAck(NOTHING_HELD, 1);
  for (let i = 0; i < 40; i++) held = hold(held, i);
  expect(held.queue.length).toBe(32);
  expect(NOTHING_HELD).toEqual({ owed: 0, queue: [] });
});
