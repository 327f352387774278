import { expect, it } from "vitest";
import { createPending } from "../pending.js";

it("lays sent answers over the saved ones until the kernel acknowledges them", () => {
  const p = createPending();
  p.set("quality", 4, 1);
  p.set("topic", null, 2); // cleared
  expect(p.overlay({ quality: 2, topic: "a", flags: [] })).toEqual({ quality: 4, flags: [] });
  p.prune(1);
  expect(p.overlay({ quality: 2, topic: "a" })).toEqual({ quality: 2 });
  p.prune(2);
  expect(p.overlay({ quality: 2, topic: "a" })).toEqual({ quality: 2, topic: "a" });
});

it("keeps the latest value per question, and clears", () => {
  const p = createPending();
  p.set("flags", ["x"], 1);
  p.set("flags", ["x", "y"], 2);
  p.prune(1);
  expect(p.overlay()).toEqual({ flags: ["x", "y"] });
  p.clear();
  expect(p.overlay({})).toEqual({});
});

it("does not touch the saved answers object", () => {
  const p = createPending();
  const saved = { quality: 1 };
  p.set("quality", 5, 1);
  p.overlay(saved);
  expect(saved).toEqual({ quality: 1 });
});
