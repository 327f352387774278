import { expect, it } from "vitest";
import { hasPending, overlay, prunePending, withPending } from "../pending.js";

it("lays sent answers over the saved ones until the kernel acknowledges them", () => {
  let p = withPending([], { name: "quality", value: 4, seq: 1 });
  p = withPending(p, { name: "topic", value: null, seq: 2 }); // cleared
  expect(overlay(p, { quality: 2, topic: "a", flags: [] })).toEqual({ quality: 4, flags: [] });
  p = prunePending(p, 1);
  expect(overlay(p, { quality: 2, topic: "a" })).toEqual({ quality: 2 });
  p = prunePending(p, 2);
  expect(overlay(p, { quality: 2, topic: "a" })).toEqual({ quality: 2, topic: "a" });
});

it("keeps the latest value per question, and clears", () => {
  let p = withPending([], { name: "flags", value: ["x"], seq: 1 });
  p = withPending(p, { name: "flags", value: ["x", "y"], seq: 2 });
  p = prunePending(p, 1);
  expect(overlay(p)).toEqual({ flags: ["x", "y"] });
  p = [];
  expect(overlay(p, {})).toEqual({});
});

it("does not touch the saved answers object, nor the list", () => {
  const saved = { quality: 1 };
  const before = withPending([], { name: "quality", value: 5, seq: 1 });
  const list = withPending(before, { name: "quality", value: 3, seq: 2 });
  overlay(list, saved);
  expect(saved).toEqual({ quality: 1 });
  expect(before).toEqual([{ record: null, name: "quality", value: 5, seq: 1 }]);
});

it("belongs to the record it was given on", () => {
  const p = withPending([], { name: "quality", value: 5, seq: 1, record: "k1" });
  expect(overlay(p, {}, "k2")).toEqual({});
  expect(overlay(p, {}, "k1")).toEqual({ quality: 5 });
  expect(hasPending(p, "quality", "k1")).toBe(true);
  expect(hasPending(p, "quality", "k2")).toBe(false);
});
