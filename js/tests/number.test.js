// @vitest-environment jsdom
// The number kind (nr.Number): an <input type="number"> whose keys are its own, a value
// sent as a number once typing pauses or a key leaves the box, out-of-range values kept
// in the box and marked instead of sent.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { kindOf } from "../kinds/index.js";
import { describe as describeNumber, parseNumber } from "../kinds/number.js";
import widget from "../widget.js";
import { mountWidget, press, unmountAll } from "./helpers.js";

const PRICE = { name: "price", kind: "number", required: true, min: 0, max: 10, step: 0.5 };

function configOf(questions = [PRICE]) {
  return {
    name: "default",
    annotator: "alice",
    fields: [{ column: "prompt", kind: "text" }],
    questions,
    guidelines: "",
    one_key: false,
  };
}

function viewOf(answers = {}) {
  return {
    ack: 0,
    position: 0,
    total: 2,
    record: { key: "k1", row: 0, fields: { prompt: "How much?" }, answers, suggestions: {}, status: null },
    progress: { total: 2, submitted: 0, skipped: 0, remaining: 2 },
    done: false,
    notice: null,
    can_undo: false,
  };
}

const answersSent = (model) => model.sent.filter((m) => m.type === "answer").map((m) => m.value);

function type(input, text) {
  input.value = text;
  input.dispatchEvent(new Event("input", { bubbles: true }));
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  unmountAll();
  vi.useRealTimers();
});

describe("parsing and checking", () => {
  it("takes numbers in range and on a step, refuses the rest with a reason", () => {
    expect(parseNumber(PRICE, "2.5")).toEqual({ value: 2.5 });
    expect(parseNumber(PRICE, " ")).toEqual({ value: null });
    expect(parseNumber(PRICE, "11").error).toMatch(/out of range \(0 to 10, steps of 0.5\)/);
    expect(parseNumber(PRICE, "0.3").error).toMatch(/not a step of 0.5/);
    expect(parseNumber({ kind: "number" }, "-1e3")).toEqual({ value: -1000 });
    expect(describeNumber({ min: 1 })).toBe("≥ 1");
  });

  it("counts as answered only for a number the question takes", () => {
    const answered = kindOf("number").isAnswered;
    expect(answered(PRICE, 3)).toBe(true);
    expect(answered(PRICE, 30)).toBe(false);
    expect(answered(PRICE, null)).toBe(false);
  });
});

describe("in the widget", () => {
  it("types digits into the box, not into the widget's keys, and sends a number", () => {
    const { model, root } = mountWidget(widget, configOf(), viewOf());
    const input = root.querySelector("input.nbr-number");
    expect(input).not.toBeNull();
    expect(input.getAttribute("aria-label")).toBe("price: 0 to 10, steps of 0.5");
    press(root, "Tab"); // Tab to the question puts the keyboard in the box
    expect(document.activeElement).toBe(input);
    for (const k of ["s", "4", "ArrowLeft"]) {
      const event = press(input, k);
      expect(event.defaultPrevented).toBe(false); // the box's own key
    }
    expect(model.sent.filter((m) => m.type !== "answer")).toEqual([]); // no skip, no nav
    type(input, "4.5");
    vi.advanceTimersByTime(400);
    expect(answersSent(model)).toEqual([4.5]);
  });

  it("sends the number before Enter submits", () => {
    const { model, root } = mountWidget(widget, configOf(), viewOf());
    const input = root.querySelector("input.nbr-number");
    input.focus();
    type(input, "7");
    press(input, "Enter");
    const kinds = model.sent.map((m) => m.type);
    expect(kinds[0]).toBe("answer");
    expect(model.sent[0].value).toBe(7);
    expect(kinds).toContain("submit");
  });

  it("keeps an out-of-range value in the box, marked, and sends nothing", () => {
    const { model, root } = mountWidget(widget, configOf(), viewOf());
    const input = root.querySelector("input.nbr-number");
    input.focus();
    type(input, "12");
    vi.advanceTimersByTime(400);
    expect(answersSent(model)).toEqual([]);
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(root.querySelector(".nbr-number-error").textContent).toMatch(/out of range/);
    press(input, "Escape"); // back to the widget's keys
    expect(document.activeElement).toBe(root);
  });

  it("shows the stored answer, and a digit on the focused question starts typing", () => {
    const { model, root } = mountWidget(widget, configOf(), viewOf({ price: 3 }));
    const input = root.querySelector("input.nbr-number");
    expect(input.value).toBe("3");
    press(root, "5"); // the question is focused: the digit goes into the box
    expect(document.activeElement).toBe(input);
    expect(input.value).toBe("5");
    vi.advanceTimersByTime(400);
    expect(answersSent(model)).toEqual([5]);
  });
});
