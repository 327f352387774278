import { describe, expect, it } from "vitest";
import {
  extendFocus,
  firstStop,
  graphemeBounds,
  moveCaret,
  nearestGrapheme,
  snapEdge,
  snapSelection,
  snapToGrapheme,
  tokens,
} from "../spans/words.js";

const TEXT = "👩🏽‍💻 東京は日本の首都です。 Paris is the capital, of 🇯🇵 e\u0301te\r\nمرحبا بالعالم";
const at = (word) => TEXT.indexOf(word);
const piece = (r) => (r ? TEXT.slice(r.start, r.end) : null);

describe("tokens", () => {
  it("are words, and every other run that is not white space", () => {
    const words = tokens(TEXT).map((t) => TEXT.slice(t.start, t.end));
    expect(words).toEqual([
      "👩🏽‍💻",
      "東京",
      "は",
      "日本",
      "の",
      "首都",
      "です",
      "。",
      "Paris",
      "is",
      "the",
      "capital",
      ",",
      "of",
      "🇯🇵",
      "e\u0301te",
      "مرحبا",
      "بالعالم",
    ]);
  });
  it("grapheme bounds never split an emoji sequence, a flag or a combining mark", () => {
    const bounds = graphemeBounds(TEXT);
    expect(bounds[0]).toBe(0);
    expect(bounds[1]).toBe("👩🏽‍💻".length); // 7 UTF-16 units, one grapheme
    expect(bounds).not.toContain(at("🇯🇵") + 2);
    expect(bounds).not.toContain(at("e\u0301") + 1);
    expect(bounds).not.toContain(at("\r\n") + 1);
    expect(bounds.at(-1)).toBe(TEXT.length);
    expect(snapToGrapheme(TEXT, 3, -1)).toBe(0);
    expect(snapToGrapheme(TEXT, 3, 1)).toBe(7);
    expect(nearestGrapheme(TEXT, 5)).toBe(7);
  });
});

describe("snapping a mouse selection", () => {
  it("widens to whole words and trims white space", () => {
    expect(piece(snapSelection(TEXT, at("apital") + 1, at("apital") + 3))).toBe("capital");
    expect(piece(snapSelection(TEXT, at("aris"), at(" is ") + 2))).toBe("Paris is");
    expect(piece(snapSelection(TEXT, at("Paris") - 1, at("Paris") + 5))).toBe("Paris");
    expect(piece(snapSelection(TEXT, at("Paris") - 2, at("Paris") + 5))).toBe("。 Paris");
    expect(piece(snapSelection(TEXT, at("京"), at("日") + 1))).toBe("東京は日本");
  });
  it("keeps whole emoji and flags", () => {
    expect(piece(snapSelection(TEXT, 2, 4))).toBe("👩🏽‍💻");
    expect(piece(snapSelection(TEXT, at("🇯🇵") + 1, at("🇯🇵") + 3))).toBe("🇯🇵");
  });
  it("with words=false (Alt) snaps only to characters", () => {
    expect(piece(snapSelection(TEXT, at("apital"), at("apital") + 3, { words: false }))).toBe("apit".slice(0, 3));
    expect(piece(snapSelection(TEXT, 2, 4, { words: false }))).toBe("👩🏽‍💻");
    expect(piece(snapSelection(TEXT, at("e\u0301") + 1, at("e\u0301") + 2, { words: false }))).toBe("e\u0301");
  });
  it("nothing but white space is nothing", () => {
    expect(snapSelection(TEXT, at(" is "), at(" is ") + 1)).toBeNull();
    expect(snapSelection("abc", 2, 2)).toBeNull();
  });
  it("reversed ends are put in order", () => {
    expect(piece(snapSelection(TEXT, at("Paris") + 3, at("Paris") + 1))).toBe("Paris");
  });
});

describe("dragging an edge", () => {
  it("lands on the nearest word start or end", () => {
    const p = at("capital");
    expect(snapEdge(TEXT, p + 2, "start")).toBe(p);
    expect(snapEdge(TEXT, p + 6, "start")).toBe(p + 7); // nearer the start of ","
    expect(snapEdge(TEXT, p + 5, "end")).toBe(p + 7);
    expect(snapEdge(TEXT, p + 5, "end", { words: false })).toBe(p + 5);
    expect(snapEdge(TEXT, 3, "start", { words: false })).toBe(0);
    expect(snapEdge("   ", 2, "end")).toBe(2);
  });
});

describe("the keyboard caret", () => {
  it("moves by word", () => {
    const p = at("Paris");
    const is = at(" is ") + 1;
    expect(moveCaret(TEXT, p, 1)).toBe(is);
    expect(moveCaret(TEXT, is, -1)).toBe(p);
    expect(moveCaret(TEXT, p + 2, -1)).toBe(p);
    expect(moveCaret(TEXT, 0, -1)).toBe(0);
    expect(moveCaret(TEXT, TEXT.length - 2, 1)).toBe(TEXT.length);
    expect(firstStop(TEXT)).toBe(0);
    expect(firstStop("  hi")).toBe(2);
    expect(firstStop("")).toBe(0);
  });
  it("extends to word ends going right and word starts going left", () => {
    const p = at("Paris");
    expect(extendFocus(TEXT, p, 1)).toBe(p + 5);
    const is = at(" is ") + 1;
    expect(extendFocus(TEXT, p + 5, 1)).toBe(is + 2);
    expect(extendFocus(TEXT, is + 2, -1)).toBe(is);
    expect(extendFocus(TEXT, TEXT.length, 1)).toBe(TEXT.length);
  });
});
