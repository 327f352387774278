import { describe, expect, it } from "vitest";
import { assignLanes, compareSpans, layout } from "../spans/layout.js";
import { conflict, including, normalize, replacing, sameSpan, spanKey, withText, without } from "../spans/model.js";

const s = (id, start, end, label = "x") => ({ id, start, end, label });
const cover = (segments) => segments.map((g) => [g.start, g.end, g.ids.join("+")]);

describe("layout", () => {
  it("cuts the text at every span edge and covers all of it", () => {
    const { segments, laneCount } = layout(20, [s("a", 5, 10)]);
    expect(cover(segments)).toEqual([
      [0, 5, ""],
      [5, 10, "a"],
      [10, 20, ""],
    ]);
    expect(laneCount).toBe(1);
    expect(segments[1].opening).toEqual(["a"]);
    expect(segments[1].closing).toEqual(["a"]);
  });

  it("keeps spans that touch on one lane", () => {
    const { lanes, laneCount, segments } = layout(10, [s("a", 0, 3), s("b", 3, 6)]);
    expect(laneCount).toBe(1);
    expect(lanes.get("a")).toBe(0);
    expect(lanes.get("b")).toBe(0);
    expect(cover(segments)).toEqual([
      [0, 3, "a"],
      [3, 6, "b"],
      [6, 10, ""],
    ]);
  });

  it("gives nested spans their own lanes, outer first, and closes inner labels first", () => {
    const { lanes, laneCount, segments } = layout(12, [s("inner", 4, 8), s("outer", 0, 8), s("deep", 5, 8)]);
    expect(laneCount).toBe(3);
    expect([lanes.get("outer"), lanes.get("inner"), lanes.get("deep")]).toEqual([0, 1, 2]);
    expect(cover(segments)).toEqual([
      [0, 4, "outer"],
      [4, 5, "outer+inner"],
      [5, 8, "outer+inner+deep"],
      [8, 12, ""],
    ]);
    // All three end at 8: the labels read inside out.
    expect(segments[2].closing).toEqual(["deep", "inner", "outer"]);
  });

  it("draws crossing spans on two lanes", () => {
    const { lanes, segments } = layout(11, [s("b", 4, 11), s("a", 0, 8)]);
    expect(lanes.get("a")).toBe(0);
    expect(lanes.get("b")).toBe(1);
    expect(cover(segments)).toEqual([
      [0, 4, "a"],
      [4, 8, "a+b"],
      [8, 11, "b"],
    ]);
    expect(segments[1].closing).toEqual(["a"]);
    expect(segments[2].closing).toEqual(["b"]);
  });

  it("the same range under two labels: two lanes, one segment", () => {
    const { laneCount, segments } = layout(6, [s("x", 1, 4, "bias"), s("y", 1, 4, "factual")]);
    expect(laneCount).toBe(2);
    expect(cover(segments)).toEqual([
      [0, 1, ""],
      [1, 4, "x+y"],
      [4, 6, ""],
    ]);
  });

  it("reuses a freed lane", () => {
    const { lanes, laneCount } = layout(30, [s("a", 0, 10), s("b", 5, 15), s("c", 12, 20)]);
    expect(laneCount).toBe(2);
    expect(lanes.get("c")).toBe(0);
  });

  it("adds extra cuts (selection, caret) and clamps or drops spans outside the text", () => {
    const { segments } = layout(10, [s("a", 8, 40), s("gone", 12, 14), s("empty", 3, 3)], [2, 0, 10, 99]);
    expect(cover(segments)).toEqual([
      [0, 2, ""],
      [2, 8, ""],
      [8, 10, "a"],
    ]);
  });

  it("an empty text has no segments", () => {
    expect(layout(0, [s("a", 0, 3)]).segments).toEqual([]);
  });

  it("lanes do not depend on the order spans come in", () => {
    const spans = [s("a", 0, 8), s("b", 4, 11), s("c", 2, 3), s("d", 9, 12)];
    const one = assignLanes(spans);
    const two = assignLanes([...spans].reverse());
    expect([...two.lanes.entries()].sort()).toEqual([...one.lanes.entries()].sort());
  });
});

describe("span lists", () => {
  const text = "The moon is made of cheese.";
  const moon = { start: 4, end: 8, label: "bias" };
  it("orders spans by start, end, label", () => {
    const list = [s("c", 4, 8, "z"), s("b", 4, 8, "a"), s("d", 4, 6), s("a", 0, 9)];
    expect(list.sort(compareSpans).map((x) => x.id)).toEqual(["a", "d", "b", "c"]);
  });
  it("normalize keeps valid spans once, with text, in order", () => {
    const value = [
      { start: 12, end: 16, label: "bias", text: "stale" },
      moon,
      moon,
      { start: 3, end: 3, label: "bias" },
      { start: 20, end: 99, label: "bias" },
      { start: 0, end: 3, label: "other" },
      { start: 1.5, end: 3, label: "bias" },
      null,
    ];
    expect(normalize(text, value, ["bias"])).toEqual([
      { ...moon, text: "moon" },
      { start: 12, end: 16, label: "bias", text: "made" },
    ]);
    expect(normalize(text, "nope")).toEqual([]);
    expect(normalize(text, undefined)).toEqual([]);
  });
  it("finds overlaps but not touching spans, and skips the span being replaced", () => {
    const spans = [withText(text, moon)];
    expect(conflict({ start: 6, end: 11, label: "x" }, spans)).toEqual(spans[0]);
    expect(conflict({ start: 8, end: 11, label: "x" }, spans)).toBeNull();
    expect(conflict({ start: 4, end: 9, label: "bias" }, spans, moon)).toBeNull();
  });
  it("adds, removes and replaces by identity", () => {
    const a = withText(text, moon);
    const b = withText(text, { start: 0, end: 3, label: "bias" });
    expect(including([a], b)).toEqual([b, a]);
    expect(including([a, b], a)).toEqual([b, a]);
    expect(without([a, b], { ...moon })).toEqual([b]);
    expect(replacing([a, b], a, { ...a, label: "x" })).toEqual([b, { ...a, label: "x" }]);
    expect(spanKey(a)).toBe("4:8:bias");
    expect(sameSpan(a, { ...moon, text: "whatever" })).toBe(true);
    expect(sameSpan(a, null)).toBe(false);
  });
});
