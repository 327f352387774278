import { describe, expect, it } from "vitest";
import { isComplete, pendingSuggestions, sameValue, shownValue } from "../answers.js";
import { freetextValue } from "../freetext.js";
import { answered as isAnswered, answerFor } from "../kinds/index.js";
import { answerForKey, chooseOption, includesOption, optionForKey, options, toggleLabel } from "../kinds/options.js";

// Digits as the widget hands them to a kind: a `digit` action while the question is focused.
const answerForDigit = (question, digit, current) =>
  question ? answerFor(question, { type: "digit", digit }, current) : answerForKey(question, String(digit), current);
const optionForDigit = (question, digit) => optionForKey(question, String(digit));

const rating = { name: "quality", kind: "rating", scale: 5, labels: null, required: true };
const labelled = { ...rating, name: "tone", scale: 3, labels: ["bad", "ok", "good"] };
const ten = { ...rating, name: "ten", scale: 10 };
const label = { name: "topic", kind: "label", labels: ["a", "b"], required: true };
const multi = { name: "flags", kind: "multilabel", labels: ["x", "y", "z"], required: true };
const text = { name: "comment", kind: "freetext", required: false };
const spans = { name: "errors", kind: "spans", labels: ["e"], required: true };

describe("options", () => {
  it("gives a rating 1..scale with its labels", () => {
    expect(options(labelled)).toEqual([
      { value: 1, key: "1", label: "bad" },
      { value: 2, key: "2", label: "ok" },
      { value: 3, key: "3", label: "good" },
    ]);
    expect(options(rating).map((o) => o.label)).toEqual([null, null, null, null, null]);
  });
  it("reaches 10 with 0 on a ten-point scale", () => {
    expect(options(ten).at(-1)).toEqual({ value: 10, key: "0", label: null });
    expect(optionForDigit(ten, 0)).toBe(10);
  });
  it("gives labels keys 1..9 in order, none after the ninth", () => {
    const many = { ...label, labels: "abcdefghijk".split("") };
    expect(options(many).map((o) => o.key)).toEqual([
      "1", "2", "3", "4", "5", "6", "7", "8", "9", null, null,
    ]);
  });
  it("gives no options to other kinds: their keys are their own", () => {
    expect(answerFor(text, { type: "digit", digit: 1 }, undefined)).toBeUndefined();
    expect(answerFor(spans, { type: "digit", digit: 1 }, [])).toBeUndefined();
  });
  it("takes the keys the question was given (keys= in Python) instead of digits", () => {
    const yn = { ...label, keys: ["y", "n"] };
    expect(options(yn).map((o) => o.key)).toEqual(["y", "n"]);
    expect(answerFor(yn, { type: "key", key: "n" }, undefined)).toBe("b");
    expect(answerFor(yn, { type: "digit", digit: 1 }, undefined)).toBeUndefined();
    const flags = { ...multi, keys: ["x", "y", "z"] };
    expect(answerFor(flags, { type: "key", key: "y" }, ["x"])).toEqual(["x", "y"]);
    expect(answerFor(flags, { type: "digit", digit: 0 }, ["x"])).toEqual([]); // none apply keeps 0
  });
});

describe("digits", () => {
  it("pick rating values and labels by order", () => {
    expect(optionForDigit(rating, 4)).toBe(4);
    expect(optionForDigit(rating, 6)).toBeUndefined();
    expect(optionForDigit(label, 2)).toBe("b");
    expect(optionForDigit(label, 3)).toBeUndefined();
  });
  it("mean nothing where the question has no such option", () => {
    expect(answerForDigit(rating, 0, undefined)).toBeUndefined();
    expect(answerForDigit(multi, 4, ["x"])).toBeUndefined();
    expect(answerForDigit(text, 1, "hi")).toBeUndefined();
    expect(answerForDigit(spans, 1, [])).toBeUndefined();
    expect(answerForDigit(null, 1, undefined)).toBeUndefined();
  });
  it("answer a rating or a label, replacing the current answer", () => {
    expect(answerForDigit(rating, 3, 5)).toBe(3);
    expect(answerForDigit(label, 1, "b")).toBe("a");
    expect(answerForDigit(rating, 9, 5)).toBeUndefined();
  });
  it("toggle a multilabel answer and keep the label order", () => {
    expect(answerForDigit(multi, 3, undefined)).toEqual(["z"]);
    expect(answerForDigit(multi, 1, ["z"])).toEqual(["x", "z"]);
    expect(answerForDigit(multi, 3, ["x", "z"])).toEqual(["x"]);
    expect(answerForDigit(multi, 1, ["x"])).toEqual([]);
  });
  it("0 means none apply in a multilabel question", () => {
    expect(answerForDigit(multi, 0, ["x", "y"])).toEqual([]);
  });
});

describe("toggleLabel and chooseOption", () => {
  it("drops values that are not labels", () => {
    expect(toggleLabel(multi, ["nope", "y"], "x")).toEqual(["x", "y"]);
    expect(toggleLabel(multi, "garbage", "x")).toEqual(["x"]);
  });
  it("chooses for single-choice kinds, toggles for multilabel", () => {
    expect(chooseOption(label, "a", "b")).toBe("b");
    expect(chooseOption(rating, 1, 2)).toBe(2);
    expect(chooseOption(multi, ["x"], "y")).toEqual(["x", "y"]);
  });
});

describe("shownValue", () => {
  it("prefers the saved answer, then the suggestion", () => {
    expect(shownValue(rating, { quality: 4 }, { quality: 2 })).toEqual({ value: 4, suggested: false });
    expect(shownValue(rating, {}, { quality: 2 })).toEqual({ value: 2, suggested: true });
    expect(shownValue(rating, {}, {})).toEqual({ value: undefined, suggested: false });
    expect(shownValue(multi, {}, { flags: [] })).toEqual({ value: [], suggested: true });
  });
  it("copes with missing maps", () => {
    expect(shownValue(rating, undefined, null)).toEqual({ value: undefined, suggested: false });
  });
});

describe("isAnswered and isComplete", () => {
  it("knows what an answer is per kind", () => {
    expect(isAnswered(rating, 3)).toBe(true);
    expect(isAnswered(rating, 0)).toBe(false);
    expect(isAnswered(rating, 6)).toBe(false);
    expect(isAnswered(rating, 2.5)).toBe(false);
    expect(isAnswered(rating, null)).toBe(false);
    expect(isAnswered(label, "a")).toBe(true);
    expect(isAnswered(label, "c")).toBe(false);
    expect(isAnswered(multi, [])).toBe(true); // "none apply" is an answer
    expect(isAnswered(multi, ["x"])).toBe(true);
    expect(isAnswered(multi, undefined)).toBe(false);
    expect(isAnswered(text, "fine")).toBe(true);
    expect(isAnswered(text, "")).toBe(false);
    expect(isAnswered(text, "  \n")).toBe(false);
    expect(isAnswered(spans, [])).toBe(true);
  });
  it("needs every required question, and no optional one", () => {
    const qs = [rating, label, multi, text];
    expect(isComplete(qs, { quality: 3, topic: "a", flags: [] }, isAnswered)).toBe(true);
    expect(isComplete(qs, { quality: 3, topic: "a" }, isAnswered)).toBe(false);
    expect(isComplete(qs, {}, isAnswered)).toBe(false);
    expect(isComplete([text], {}, isAnswered)).toBe(true);
    expect(isComplete([{ ...text, required: true }], { comment: "" }, isAnswered)).toBe(false);
    expect(isComplete([], undefined, isAnswered)).toBe(true);
  });
});

describe("pendingSuggestions", () => {
  it("lists suggestions without an answer, in question order", () => {
    const qs = [rating, label, multi];
    expect(pendingSuggestions(qs, { topic: "a" }, { flags: ["x"], topic: "b", quality: 1 })).toEqual([
      "quality",
      "flags",
    ]);
    expect(pendingSuggestions(qs, {}, {})).toEqual([]);
    expect(pendingSuggestions(qs, {}, undefined)).toEqual([]);
  });
});

describe("small helpers", () => {
  it("includesOption", () => {
    expect(includesOption(multi, ["x"], "x")).toBe(true);
    expect(includesOption(multi, undefined, "x")).toBe(false);
    expect(includesOption(rating, 3, 3)).toBe(true);
    expect(includesOption(rating, 3, 4)).toBe(false);
  });
  it("sameValue compares lists by content", () => {
    expect(sameValue(["x", "y"], ["x", "y"])).toBe(true);
    expect(sameValue(["x"], ["y"])).toBe(false);
    expect(sameValue(3, 3)).toBe(true);
    expect(sameValue("3", 3)).toBe(false);
  });
  it("an empty text box clears the answer", () => {
    expect(freetextValue("")).toBeNull();
    expect(freetextValue(" ")).toBe(" ");
    expect(freetextValue("a\nb")).toBe("a\nb");
  });
});
