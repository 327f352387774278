import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { createTypeahead } from "../typeahead.js";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

it("waits for the ack of the record change, then hands back held actions in order", () => {
  const t = createTypeahead({ timeoutMs: 5000 });
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
  const t = createTypeahead({ timeoutMs: 5000 });
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

it("gives up after the timeout, drops held actions and says how many", () => {
  const onStall = vi.fn();
  const t = createTypeahead({ timeoutMs: 5000, onStall });
  t.expect(1);
  t.hold("x");
  vi.advanceTimersByTime(4999);
  expect(onStall).not.toHaveBeenCalled();
  vi.advanceTimersByTime(1);
  expect(onStall).toHaveBeenCalledWith(1);
  expect(t.waiting(0)).toBe(false);
  expect(t.next(0)).toBeUndefined();
});

it("does not complain when nothing was held, nor after the ack came", () => {
  const onStall = vi.fn();
  const t = createTypeahead({ timeoutMs: 100, onStall });
  t.expect(1);
  vi.advanceTimersByTime(200);
  t.expect(2);
  t.hold("x");
  t.settle(2);
  vi.advanceTimersByTime(200);
  expect(onStall).not.toHaveBeenCalled();
});

it("holds a bounded number of actions", () => {
  const t = createTypeahead({ timeoutMs: 100, limit: 2 });
  t.expect(1);
  for (const a of ["a", "b", "c"]) t.hold(a);
  t.settle(1);
  expect([t.next(1), t.next(1), t.next(1)]).toEqual(["a", "b", undefined]);
});
