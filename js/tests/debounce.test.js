import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { debounce } from "../debounce.js";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

it("runs once after input pauses", () => {
  const fn = vi.fn();
  const d = debounce(fn, 400);
  d.schedule();
  vi.advanceTimersByTime(300);
  d.schedule();
  vi.advanceTimersByTime(300);
  expect(fn).not.toHaveBeenCalled();
  expect(d.pending).toBe(true);
  vi.advanceTimersByTime(100);
  expect(fn).toHaveBeenCalledTimes(1);
  expect(d.pending).toBe(false);
});

it("flush runs a pending call now, and only a pending one", () => {
  const fn = vi.fn();
  const d = debounce(fn, 400);
  d.flush();
  expect(fn).not.toHaveBeenCalled();
  d.schedule();
  d.flush();
  expect(fn).toHaveBeenCalledTimes(1);
  vi.advanceTimersByTime(1000);
  expect(fn).toHaveBeenCalledTimes(1);
});

it("cancel drops a pending call", () => {
  const fn = vi.fn();
  const d = debounce(fn, 400);
  d.schedule();
  d.cancel();
  vi.advanceTimersByTime(1000);
  expect(fn).not.toHaveBeenCalled();
});
