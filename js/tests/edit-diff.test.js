// @vitest-environment jsdom
// The word diff behind the edit question: what it marks, the distance it counts, how it is
// drawn (text nodes only), and that a 100 KB text diffs fast.
import { describe, expect, it } from "vitest";
import { commonEnds, editDistance, renderDiff, wordDiff } from "../edit/diff.js";

const ops = (d) => d.parts.map((p) => [p.op, p.text]);
const rebuild = (parts, keep) => parts.filter((p) => p.op === "same" || p.op === keep).map((p) => p.text).join("");

function longText(size = 100_000) {
  const words = "the quick brown fox jumps over the lazy dog while a reviewer reads every line".split(" ");
  let s = "";
  for (let i = 0; s.length < size; i += 1) s += words[i % words.length] + (i % 23 === 22 ? ".\n" : " ");
  return s;
}

describe("wordDiff", () => {
  it("marks whole words inserted and deleted", () => {
    const d = wordDiff("The cat sat on the mat.", "The cats sat on a mat.");
    expect(ops(d)).toEqual([
      ["same", "The "],
      ["del", "cat"],
      ["ins", "cats"],
      ["same", " sat on "],
      ["del", "the"],
      ["ins", "a"],
      ["same", " mat."],
    ]);
    expect(d.level).toBe("word");
  });

  it("rebuilds both texts exactly, emoji and CJK included", () => {
    const before = "👩🏽‍💻 東京 is the capital of 🇯🇵. Cats are dogs.";
    const after = "👩🏽‍💻 東京 is the capital of Japan 🇯🇵. Cats are cats!";
    const { parts } = wordDiff(before, after);
    expect(rebuild(parts, "del")).toBe(before);
    expect(rebuild(parts, "ins")).toBe(after);
  });

  it("says there is nothing to mark for equal texts", () => {
    expect(ops(wordDiff("same text", "same text"))).toEqual([["same", "same text"]]);
    expect(wordDiff("", "").parts).toEqual([]);
  });

  it("handles an emptied and a filled text", () => {
    expect(ops(wordDiff("gone", ""))).toEqual([["del", "gone"]]);
    expect(ops(wordDiff("", "new words"))).toEqual([["ins", "new words"]]);
  });

  it("never cuts the common ends inside a word", () => {
    const a = "alpha beta gamma";
    const b = "alpha betas gamma";
    const { head, tail } = commonEnds(a, b);
    expect(a.slice(0, head)).toBe("alpha ");
    expect(a.slice(a.length - tail)).toBe(" gamma");
  });
});

describe("editDistance", () => {
  it("counts words and punctuation inserted plus deleted", () => {
    const d = editDistance(wordDiff("The cat sat on the mat.", "The cats sat on a mat!").parts);
    expect(d).toEqual({ words: 6, inserted: 3, deleted: 3, whitespace: false });
  });

  it("is zero words, flagged, for a change of whitespace only", () => {
    const d = editDistance(wordDiff("one two", "one\ntwo").parts);
    expect(d.words).toBe(0);
    expect(d.whitespace).toBe(true);
    expect(editDistance(wordDiff("same", "same").parts).whitespace).toBe(false);
  });
});

describe("renderDiff", () => {
  it("draws text nodes only, so markup in the data stays text", () => {
    const el = document.createElement("div");
    renderDiff(el, wordDiff("<b>bold</b> ok", '<img src=x onerror="alert(1)"> ok').parts);
    expect(el.querySelector("img, b, script")).toBeNull();
    expect(el.querySelector("ins").textContent).toBe('img src=x onerror="alert(1)"');
    expect([...el.querySelectorAll("del")].map((d) => d.textContent)).toEqual(["b", "bold</b>"]);
    for (const node of el.querySelectorAll("ins, del")) {
      expect([...node.childNodes].every((n) => n.nodeType === Node.TEXT_NODE)).toBe(true);
    }
  });

  it("shortens long unchanged runs and marks a new line break", () => {
    const text = longText(5_000);
    const el = document.createElement("div");
    renderDiff(el, wordDiff(text, text.replace("lazy", "sleepy\n")).parts);
    expect(el.querySelectorAll(".nbr-diff-skip").length).toBeGreaterThanOrEqual(1);
    expect(el.textContent.length).toBeLessThan(1_000);
    expect(el.querySelector("ins").textContent).toContain("sleepy");
  });
});

describe("a 100 KB text", () => {
  const text = longText();

  it("diffs two distant edits well within the typing pause", () => {
    const edited = `${text.slice(0, 30_000)}INSERTED words ${text.slice(30_000, 70_000)}${text.slice(70_040)}`;
    const t0 = performance.now();
    const d = wordDiff(text, edited);
    const ms = performance.now() - t0;
    expect(d.level).toBe("word");
    expect(rebuild(d.parts, "ins")).toBe(edited);
    expect(rebuild(d.parts, "del")).toBe(text);
    expect(ms).toBeLessThan(200); // ~30 ms here; the diff waits for a 120 ms pause anyway
  });

  it("gives up on word level within the timeout for a text replaced throughout", () => {
    const other = text.split("").reverse().join("");
    const t0 = performance.now();
    const d = wordDiff(text, other, { timeout: 100 });
    expect(performance.now() - t0).toBeLessThan(1_500);
    expect(["line", "all"]).toContain(d.level);
    expect(rebuild(d.parts, "ins")).toBe(other);
  });
});
