// @vitest-environment jsdom
// The edit question inside the widget, with a fake model: typing saves the corrected text,
// the diff follows a moment later, 0 keeps the original, reset clears, a chat message is a
// target, and a 100 KB text stays responsive.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { keyList } from "../help.js";
import { DIFF_DELAY_MS, distanceText } from "../kinds/edit.js";
import widget from "../widget.js";
import { mountWidget, press, unmountAll } from "./helpers.js";

const ORIGINAL = "Paris is the capital of Germany. It has many museums.";
const EDIT = { name: "fixed", kind: "edit", field: "response", required: true };

function configOf(question = EDIT, fields = ["prompt", "response"]) {
  return {
    name: "default",
    annotator: "alice",
    fields: fields.map((column) => ({ column, kind: "text" })),
    questions: [question],
    guidelines: "",
    one_key: false,
  };
}

function viewOf(extra = {}, fields = {}) {
  return {
    ack: 0,
    position: 0,
    total: 2,
    record: {
      key: "k1",
      row: 0,
      fields: { prompt: "Capital of France?", response: ORIGINAL, ...fields },
      answers: {},
      suggestions: {},
      status: null,
      layout: {},
      ...extra,
    },
    progress: { total: 2, submitted: 0, skipped: 0, remaining: 2 },
    done: false,
    notice: null,
    can_undo: false,
  };
}

function mount(config = configOf(), view = viewOf()) {
  return mountWidget(widget, config, view);
}

const q = (root) => root.querySelector('.nbr-question[data-question="fixed"]');
const box = (root) => q(root).querySelector("textarea.nbr-edit-text");
const diff = (root) => q(root).querySelector(".nbr-diff");
const stats = (root) => q(root).querySelector(".nbr-edit-stats").textContent;
const answers = (model) => model.sent.filter((m) => m.type === "answer").map((m) => m.value);

function type(textarea, value) {
  textarea.value = value;
  textarea.dispatchEvent(new Event("input", { bubbles: true }));
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  unmountAll();
  vi.useRealTimers();
});

describe("edit question", () => {
  it("starts with the original text, unanswered, and sends nothing", () => {
    const { model, root } = mount();
    expect(box(root).value).toBe(ORIGINAL);
    expect(stats(root)).toBe("Not edited yet");
    expect(diff(root).textContent).toContain("No changes");
    expect(root.querySelector(".nbr-submit").classList.contains("nbr-ready")).toBe(false);
    vi.advanceTimersByTime(2_000);
    expect(answers(model)).toEqual([]);
  });

  it("saves the corrected text after a pause and marks the words changed", () => {
    const { model, root } = mount();
    const fixed = ORIGINAL.replace("Germany", "France");
    type(box(root), fixed);
    vi.advanceTimersByTime(DIFF_DELAY_MS + 1);
    expect(diff(root).querySelector("del").textContent).toBe("Germany");
    expect(diff(root).querySelector("ins").textContent).toBe("France");
    expect(stats(root)).toBe("Edit distance: 2 words (+1 −1)");
    expect(answers(model)).toEqual([]); // not yet: the answer waits for a longer pause
    vi.advanceTimersByTime(500);
    expect(answers(model)).toEqual([fixed]);
    expect(model.sent.at(-1)).toMatchObject({ key: "k1", question: "fixed" });
  });

  it("draws the diff as text only", () => {
    const { root } = mount();
    type(box(root), `${ORIGINAL} <img src=x onerror="window.__x=1">`);
    vi.advanceTimersByTime(DIFF_DELAY_MS + 1);
    expect(diff(root).querySelector("img")).toBeNull();
    expect(diff(root).textContent).toContain("<img src=x");
  });

  it("keeps the original on 0 (no change needed) and counts it as answered", () => {
    const { model, root } = mount();
    press(root, "0");
    expect(answers(model)).toEqual([ORIGINAL]);
    expect(stats(root)).toBe("No change needed ✓");
    expect(q(root).classList.contains("nbr-answered")).toBe(true);
    expect(root.querySelector(".nbr-submit").classList.contains("nbr-ready")).toBe(true);
  });

  it("resets to the original and clears the answer", () => {
    const view = viewOf({ answers: { fixed: "Something else entirely." } });
    const { model, root } = mount(configOf(), view);
    expect(box(root).value).toBe("Something else entirely.");
    q(root).querySelector(".nbr-edit-reset").click();
    expect(box(root).value).toBe(ORIGINAL);
    expect(answers(model)).toEqual([null]);
  });

  it("shows a suggestion until it is accepted or typed over", () => {
    const view = viewOf({ suggestions: { fixed: "Paris is the capital of France." } });
    const { model, root } = mount(configOf(), view);
    expect(box(root).value).toBe("Paris is the capital of France.");
    expect(box(root).classList.contains("nbr-suggested")).toBe(true);
    press(root, "a");
    expect(model.sent.at(-1)).toMatchObject({ type: "accept", key: "k1" });
  });

  it("edits one message of a chat", () => {
    const chat = [
      { role: "user", content: "Capital of France?" },
      { role: "assistant", content: "Berlin." },
    ];
    const question = { ...EDIT, field: "messages[-1]" };
    const { model, root } = mount(configOf(question, ["messages"]), viewOf({}, { messages: chat }));
    expect(box(root).value).toBe("Berlin.");
    press(root, "0");
    expect(answers(model)).toEqual(["Berlin."]);
  });

  it("keeps typed keys in the box: the widget acts on none of them", () => {
    const { model, root } = mount();
    box(root).focus();
    for (const k of ["d", "d", "a", "b", "s", "1", "0", "Enter", "ArrowRight"]) press(box(root), k);
    expect(model.sent).toEqual([]);
    press(box(root), "Escape");
    expect(document.activeElement).toBe(root);
  });

  it("e puts the cursor in the editor", () => {
    const { root } = mount();
    press(root, "e");
    expect(document.activeElement).toBe(box(root));
  });

  it("puts the cursor in the editor with the table's edit key, remapped (Review(keys=))", () => {
    const config = { ...configOf(), keys: { edit: ["i"] } };
    const { root } = mount(config);
    press(root, "e"); // the old key does nothing now
    expect(document.activeElement).toBe(root);
    press(root, "i");
    expect(document.activeElement).toBe(box(root));
    expect(keyList(config).map(([k]) => k)).toContain("i");
  });

  it("lists its keys in the help", () => {
    const keys = keyList(configOf()).map(([k]) => k);
    expect(keys).toContain("0");
    expect(keys).toContain("e");
  });

  it("keeps a 100 KB text responsive: typing is cheap, the diff runs once per pause", () => {
    const long = "word ".repeat(20_000); // 100 000 characters
    const { model, root } = mount(configOf(), viewOf({}, { response: long }));
    const textarea = box(root);
    expect(textarea.value.length).toBe(100_000);
    let text = long;
    const t0 = performance.now();
    for (let i = 0; i < 30; i += 1) {
      text = `${text.slice(0, 50_000)}x${text.slice(50_000)}`;
      type(textarea, text);
    }
    const typing = performance.now() - t0;
    expect(typing).toBeLessThan(300); // 30 keystrokes: no diff yet, only timers
    const t1 = performance.now();
    vi.advanceTimersByTime(DIFF_DELAY_MS + 1);
    const diffing = performance.now() - t1;
    expect(diffing).toBeLessThan(250);
    expect(diff(root).querySelector("ins").textContent).toContain("xxxxxxxxxx");
    expect(diff(root).querySelectorAll(".nbr-diff-skip").length).toBe(2);
    expect(stats(root)).toBe("Edit distance: 2 words (+1 −1)"); // "word" became "xx…xword"
    vi.advanceTimersByTime(1_000);
    expect(answers(model)).toEqual([text]);
  });
});

describe("a reference completion (free text)", () => {
  it("shows the question's placeholder in a multi-line box", () => {
    const reference = { name: "reference", kind: "freetext", placeholder: "Write the ideal answer", required: false };
    const { model, root } = mount(configOf(reference));
    const textarea = root.querySelector('.nbr-question[data-question="reference"] textarea');
    expect(textarea.getAttribute("placeholder")).toBe("Write the ideal answer");
    textarea.focus();
    press(textarea, "Enter"); // a new line, not a submit
    type(textarea, "Line one.\nLine two.");
    vi.advanceTimersByTime(500);
    expect(answers(model)).toEqual(["Line one.\nLine two."]);
    expect(model.sent.some((m) => m.type === "submit")).toBe(false);
  });
});

describe("distanceText", () => {
  it("reads as a sentence", () => {
    expect(distanceText({ words: 1, inserted: 1, deleted: 0, whitespace: false }, {})).toBe(
      "Edit distance: 1 word (+1 −0)",
    );
    expect(distanceText({ words: 0, whitespace: true }, {})).toBe("Edit distance: whitespace only");
  });
});
