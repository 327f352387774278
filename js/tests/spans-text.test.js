// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { domOffset, drawText, pointOffset, rangeOffsets } from "../spans/text.js";

const TEXT = "👍🏽 東京 Paris, end";
const mark = (id, word, extra = {}) => {
  const start = TEXT.indexOf(word);
  return { id, start, end: start + word.length, label: "bias", color: "#1565c0", ...extra };
};

function draw(marks, opts) {
  const el = document.createElement("div");
  document.body.append(el);
  drawText(el, TEXT, marks, opts);
  return el;
}

describe("drawText", () => {
  it("puts the text in as text nodes only, labels as attributes", () => {
    const el = draw([mark("a", "Paris"), mark("b", "東京", { suggested: true })], { caret: 3, handles: "a" });
    expect(el.textContent).toBe(TEXT);
    expect([...el.querySelectorAll(".nbr-tag")].map((t) => [t.dataset.label, t.textContent])).toEqual([
      ["bias", ""],
      ["bias", ""],
    ]);
    expect(el.querySelector(".nbr-tag-suggested").dataset.at).toBe(String(TEXT.indexOf("東京") + 2));
    expect([...el.querySelectorAll(".nbr-handle")].map((x) => [x.dataset.edge, x.dataset.at])).toEqual([
      ["start", String(TEXT.indexOf("Paris"))],
      ["end", String(TEXT.indexOf("Paris") + 5)],
    ]);
    expect(el.querySelector(".nbr-caret").dataset.at).toBe("3");
    const paris = [...el.querySelectorAll(".nbr-seg")].find((s) => s.textContent === "Paris");
    expect(paris.style.backgroundImage).toContain("linear-gradient");
  });
  it("highlights a selection", () => {
    const el = draw([], { selection: { start: 0, end: 4 } });
    expect(el.querySelector(".nbr-seg-pending").textContent).toBe("👍🏽");
  });
});

describe("DOM positions to offsets", () => {
  it("maps text nodes, segment elements, markers and the container", () => {
    const el = draw([mark("a", "Paris")], { caret: TEXT.length });
    const segs = [...el.querySelectorAll(".nbr-seg")];
    const paris = segs.find((s) => s.textContent === "Paris");
    const at = TEXT.indexOf("Paris");
    expect(domOffset(el, paris.firstChild, 2)).toBe(at + 2);
    expect(domOffset(el, paris, 0)).toBe(at);
    expect(domOffset(el, paris, 1)).toBe(at + 5);
    expect(domOffset(el, el.querySelector(".nbr-tag"), 0)).toBe(at + 5);
    expect(domOffset(el, el, 0)).toBe(0);
    expect(domOffset(el, el, el.childNodes.length)).toBe(TEXT.length);
    expect(domOffset(el, document.body, 0)).toBeNull();
  });
  it("clamps a range that starts or ends outside the text", () => {
    const before = document.createElement("p");
    before.textContent = "outside";
    document.body.append(before);
    const el = draw([]);
    const range = document.createRange();
    range.setStart(before.firstChild, 2);
    const seg = el.querySelector(".nbr-seg");
    range.setEnd(seg.firstChild, 4);
    expect(rangeOffsets(el, range)).toEqual({ start: 0, end: 4 });
    const whole = document.createRange();
    whole.selectNode(el);
    expect(rangeOffsets(el, whole)).toEqual({ start: 0, end: TEXT.length });
    const away = document.createRange();
    away.selectNodeContents(before);
    expect(rangeOffsets(el, away)).toBeNull();
  });
  it("a point without caret support is no offset", () => {
    const el = draw([]);
    expect(pointOffset(el, 1, 1)).toBeNull();
  });
});
