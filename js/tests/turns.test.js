// @vitest-environment jsdom
// Per-turn questions (API.md 11, contract A): the question's controls under each asked turn,
// ↓/↑ and j/k between turns, a digit answering the marked turn and marking the next
// unanswered one, the whole list sent; the same capability for every kind; Steps fields;
// spans over a whole chat with each span's message.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { keyList } from "../help.js";
import { pluginOf } from "../kinds/index.js";
import { askedTurns, matchesKey, withTurn } from "../kinds/turns.js";
import widget from "../widget.js";
import { key, mountWidget, press, unmountAll } from "./helpers.js";
import { OPENAI } from "./traces.js";

// 0 system, 1 user, 2 assistant (calls), 3 tool, 4 tool, 5 assistant
const HELPFUL = { name: "helpful", kind: "rating", scale: 5, labels: null, required: true, turns: "messages", roles: ["assistant"] };
const STEP = { name: "step", kind: "label", labels: ["good", "bad"], required: true, turns: "messages", roles: ["tool"] };
const CHAT_FIELD = { column: "messages", kind: "chat" };

const config = (questions, fields = [CHAT_FIELD], extra = {}) => ({
  name: "default",
  annotator: "alice",
  fields,
  questions,
  guidelines: "",
  one_key: false,
  ...extra,
});
const view = (key, fields, { answers = {}, suggestions = {}, layout } = {}) => ({
  ack: 0,
  position: 0,
  total: 2,
  record: { key, row: 0, fields, answers, suggestions, status: null, ...(layout ? { layout } : {}) },
  progress: { total: 2, submitted: 0, skipped: 0, remaining: 2 },
  done: false,
  notice: null,
  can_undo: false,
});
const turns = (count, asked) => ({ turns: { count, asked } });
const lastAnswer = (model, name) => model.sent.filter((m) => m.type === "answer" && m.question === name).at(-1)?.value;
const marked = (root) => [...root.querySelectorAll(".nbr-turn-question.nbr-turn-marked")].map((el) => Number(el.dataset.turn));

let scrolled;
beforeEach(() => {
  scrolled = [];
  Element.prototype.scrollIntoView = function scrollIntoView() {
    scrolled.push(this);
  };
});
afterEach(() => {
  unmountAll();
  document.body.replaceChildren();
  vi.useRealTimers();
});

describe("pure parts", () => {
  it("asked turns come from the kernel's layout, else from the roles or the steps", () => {
    const rec = { fields: { messages: OPENAI }, layout: { helpful: turns(6, [2, 5]) } };
    expect(askedTurns(HELPFUL, rec)).toEqual({ count: 6, asked: [2, 5] });
    expect(askedTurns(HELPFUL, { fields: { messages: OPENAI } })).toEqual({ count: 6, asked: [2, 5] });
    expect(askedTurns(STEP, { fields: { messages: OPENAI } })).toEqual({ count: 6, asked: [3, 4] });
    expect(askedTurns({ ...HELPFUL, turns: "solution" }, { fields: { solution: ["a", "b", "c"] } })).toEqual({ count: 3, asked: [0, 1, 2] });
  });
  it("a turn's answer changes one entry of the whole list", () => {
    expect(withTurn(undefined, 4, 1, 3)).toEqual([null, 3, null, null]);
    expect(withTurn([null, 3, null, null], 4, 3, 5)).toEqual([null, 3, null, 5]);
    expect(withTurn([null, 3, null, null], 4, 1, null)).toBeNull();
  });
  it("turn keys follow config.keys (contract B)", () => {
    expect(matchesKey(key("j"), ["ArrowDown", "j"])).toBe(true);
    expect(matchesKey(key("ArrowDown"), ["ArrowDown", "j"])).toBe(true);
    expect(matchesKey(key("j", { ctrlKey: true }), ["ArrowDown", "j"])).toBe(false);
    expect(matchesKey(key("n", { altKey: true }), ["Alt+n"])).toBe(true);
  });
  it("required means every asked turn answered", () => {
    const answered = pluginOf(HELPFUL).isAnswered;
    const rec = { fields: { messages: OPENAI }, layout: { helpful: turns(6, [2, 5]) } };
    expect(answered(HELPFUL, [null, null, 4, null, null, null], {}, rec)).toBe(false);
    expect(answered(HELPFUL, [null, null, 4, null, null, 2], {}, rec)).toBe(true);
    expect(answered(HELPFUL, null, {}, rec)).toBe(false);
  });
});

describe("a per-turn rating in a chat", () => {
  const open = (extra = {}) =>
    mountWidget(widget, config([HELPFUL]), view("k1", { messages: OPENAI }, { layout: { helpful: turns(6, [2, 5]) }, ...extra }));

  it("draws the buttons under each asked turn only", () => {
    const { root } = open();
    const slots = [...root.querySelectorAll(".nbr-turn-slot")].filter((s) => s.children.length);
    expect(slots.map((s) => s.parentElement.dataset.index)).toEqual(["2", "5"]);
    expect(root.querySelectorAll('.nbr-message[data-index="5"] .nbr-turn-slot .nbr-option').length).toBe(5);
    expect(root.querySelector('.nbr-message[data-index="1"] .nbr-turn-slot .nbr-option')).toBeNull();
    expect(root.querySelector('.nbr-question[data-question="helpful"]:not(.nbr-turn-question) .nbr-question-kind').textContent).toBe("rating · per turn");
  });

  it("a digit answers the marked turn and marks the next unanswered one; the whole list is sent", () => {
    const { model, root } = open();
    expect(marked(root)).toEqual([2]);
    expect(root.querySelector('.nbr-message[data-index="2"]').classList.contains("nbr-turn-current")).toBe(true);
    press(root, "4");
    expect(lastAnswer(model, "helpful")).toEqual([null, null, 4, null, null, null]);
    expect(marked(root)).toEqual([5]);
    expect(scrolled.at(-1).dataset.index).toBe("5");
    press(root, "2");
    expect(lastAnswer(model, "helpful")).toEqual([null, null, 4, null, null, 2]);
    // k and ↑ go back, j and ↓ forward; the turn scrolls into view.
    press(root, "k");
    expect(marked(root)).toEqual([2]);
    expect(scrolled.at(-1).dataset.index).toBe("2");
    press(root, "5");
    expect(lastAnswer(model, "helpful")).toEqual([null, null, 5, null, null, 2]);
    press(root, "ArrowDown");
    expect(marked(root)).toEqual([5]);
    press(root, "ArrowUp");
    expect(marked(root)).toEqual([2]);
    expect(root.querySelector(".nbr-turns-hint").textContent).toContain("2 of 2 turns answered");
    // Only the focused question outlines its marked turn.
    const current = () => [...root.querySelectorAll(".nbr-turn-current")].map((m) => m.dataset.index);
    expect(current()).toEqual(["2"]);
    // The buttons show each turn's own answer.
    const pressed = (i) => root.querySelector(`.nbr-message[data-index="${i}"] .nbr-option[aria-pressed="true"]`)?.dataset.value;
    expect([pressed(2), pressed(5)]).toEqual(["5", "2"]);
  });

  it("a click on a turn's button answers that turn and marks it", () => {
    const { model, root } = open();
    root.querySelector('.nbr-message[data-index="5"] .nbr-option[data-value="3"]').click();
    expect(lastAnswer(model, "helpful")).toEqual([null, null, null, null, null, 3]);
    expect(document.activeElement).toBe(root);
  });

  it("j/k stay at the ends; keys set in config.keys move instead", () => {
    const { root } = mountWidget(
      widget,
      config([HELPFUL], [CHAT_FIELD], { keys: { next_turn: ["n"], prev_turn: ["p"] } }),
      view("k1", { messages: OPENAI }, { layout: { helpful: turns(6, [2, 5]) } }),
    );
    press(root, "n");
    expect(marked(root)).toEqual([5]);
    press(root, "n");
    expect(marked(root)).toEqual([5]);
    press(root, "p");
    expect(marked(root)).toEqual([2]);
  });

  it("a suggested list shows per turn as suggested; answers start from a saved list", () => {
    const { root } = open({ suggestions: { helpful: [null, null, 3, null, null, 4] } });
    expect(root.querySelector('.nbr-message[data-index="2"] .nbr-option.nbr-suggested').dataset.value).toBe("3");
    unmountAll();
    const again = open({ answers: { helpful: [null, null, 1, null, null, null] } });
    expect(marked(again.root)).toEqual([5]); // the first unanswered turn is marked
    press(again.root, "5");
    expect(lastAnswer(again.model, "helpful")).toEqual([null, null, 1, null, null, 5]);
  });

  it("without a layout from the kernel the roles decide; the ? panel lists the turn keys", () => {
    const { root } = mountWidget(widget, config([HELPFUL]), view("k1", { messages: OPENAI }));
    expect(root.querySelectorAll(".nbr-turn-question").length).toBe(2);
    const rows = keyList(config([HELPFUL]));
    expect(rows.some(([k, what]) => k.includes("↓") && k.includes("j") && what.includes("next / previous turn"))).toBe(true);
    expect(rows.some(([, what]) => what.includes("answer the marked turn"))).toBe(true);
  });
});

describe("every kind, through the same capability", () => {
  const fields = { messages: OPENAI };
  const layout = (name, asked) => ({ [name]: turns(6, asked) });

  it("only the focused question outlines its marked turn", () => {
    const lay = { ...layout("helpful", [2, 5]), ...layout("step", [3, 4]) };
    const { root } = mountWidget(widget, config([HELPFUL, STEP]), view("k1", fields, { layout: lay }));
    const current = () => [...root.querySelectorAll(".nbr-turn-current")].map((m) => m.dataset.index);
    expect(current()).toEqual(["2"]);
    press(root, "Tab");
    expect(current()).toEqual(["3"]);
    press(root, "j");
    expect(current()).toEqual(["4"]);
  });

  it("Label per tool turn", () => {
    const { model, root } = mountWidget(widget, config([STEP]), view("k1", fields, { layout: layout("step", [3, 4]) }));
    expect(root.querySelectorAll('.nbr-message[data-index="3"] .nbr-turn-slot .nbr-option').length).toBe(2);
    press(root, "2");
    press(root, "1");
    expect(lastAnswer(model, "step")).toEqual([null, null, null, "bad", "good", null]);
  });

  it("MultiLabel keeps the mark on its turn (more labels may follow); 0 is none", () => {
    const q = { ...HELPFUL, name: "flags", kind: "multilabel", labels: ["x", "y"], scale: undefined };
    const { model, root } = mountWidget(widget, config([q]), view("k1", fields, { layout: layout("flags", [2, 5]) }));
    press(root, "1");
    press(root, "2");
    expect(lastAnswer(model, "flags")).toEqual([null, null, ["x", "y"], null, null, null]);
    press(root, "j");
    press(root, "0");
    expect(lastAnswer(model, "flags")).toEqual([null, null, ["x", "y"], null, null, []]);
  });

  it("Rubric per turn: digits rate the criteria, then the next turn is marked", () => {
    const q = {
      name: "scores",
      kind: "rubric",
      required: true,
      scale: 3,
      criteria: [{ name: "correct" }, { name: "clear" }],
      descriptors: [],
      turns: "messages",
      roles: ["assistant"],
    };
    const { model, root } = mountWidget(widget, config([q]), view("k1", fields, { layout: layout("scores", [2, 5]) }));
    expect(root.querySelectorAll('.nbr-message[data-index="2"] .nbr-rubric-row').length).toBe(2);
    press(root, "3");
    expect(marked(root)).toEqual([2]);
    press(root, "2");
    expect(lastAnswer(model, "scores")).toEqual([null, null, { correct: 3, clear: 2 }, null, null, null]);
    expect(marked(root)).toEqual([5]);
  });

  it("FreeText per turn: a box under each turn, Tab into the marked one, typing sends the list", () => {
    vi.useFakeTimers();
    const q = { name: "note", kind: "freetext", required: false, turns: "messages", roles: ["assistant"] };
    const { model, root } = mountWidget(widget, config([q]), view("k1", fields, { layout: layout("note", [2, 5]) }));
    expect(root.querySelectorAll(".nbr-turn-slot textarea").length).toBe(2);
    press(root, "j");
    press(root, "Tab");
    press(root, "Tab", { shiftKey: true });
    const box = root.querySelector('.nbr-message[data-index="5"] textarea');
    box.focus();
    box.value = "fine";
    box.dispatchEvent(new Event("input", { bubbles: true }));
    vi.advanceTimersByTime(500);
    expect(lastAnswer(model, "note")).toEqual([null, null, null, null, null, "fine"]);
  });
});

describe("steps", () => {
  const FIELDS = [
    { column: "problem", kind: "text" },
    { column: "solution", kind: "steps", sep: "\n\n" },
  ];
  const Q = { name: "correct", kind: "label", labels: ["+1", "0", "-1"], required: true, turns: "solution" };

  it("show as numbered steps and take a label each, by keys", () => {
    const steps = ["x = 2", "so 2x = 4", "<img src=x onerror=alert(1)>"];
    const { model, root } = mountWidget(
      widget,
      config([Q], FIELDS),
      view("k1", { problem: "2x?", solution: steps }, { layout: { correct: turns(3, [0, 1, 2]) } }),
    );
    const items = [...root.querySelectorAll(".nbr-step")];
    expect(items.map((s) => s.querySelector(".nbr-step-number").textContent)).toEqual(["1", "2", "3"]);
    expect(items.map((s) => s.querySelector(".nbr-step-text").textContent)).toEqual(steps);
    expect(root.querySelector(".nbr-steps img")).toBeNull();
    press(root, "1");
    press(root, "1");
    press(root, "3");
    expect(lastAnswer(model, "correct")).toEqual(["+1", "+1", "-1"]);
    expect(items.every((s) => s.querySelector(".nbr-turn-slot .nbr-option"))).toBe(true);
  });

  it("a string from an older kernel is split on sep; a value that is not steps is shown as data", () => {
    const { root } = mountWidget(widget, config([], FIELDS), view("k1", { problem: "p", solution: "a\n\nb" }));
    expect(root.querySelectorAll(".nbr-step").length).toBe(2);
    unmountAll();
    const bad = mountWidget(widget, config([], FIELDS), view("k1", { problem: "p", solution: [1, { a: 2 }] }));
    expect(bad.root.querySelector('.nbr-field[data-column="solution"] .nbr-field-notice').textContent).toContain("not a list of steps");
  });
});

describe("spans over a whole chat", () => {
  const SPANS = { name: "errors", kind: "spans", field: "messages", labels: ["wrong", "unsafe"], overlap: false, required: true };
  const CHAT = [
    { role: "user", content: "Hi" },
    { role: "assistant", content: "Paris is in Japan." },
    { role: "user", content: [{ type: "text", text: "Really?" }, { type: "text", text: "Sure 👩🏽‍💻 Japan?" }] },
  ];

  it("mark text in any message; each span carries its message; offsets are that message's", () => {
    const { model, root } = mountWidget(widget, config([SPANS]), view("k1", { messages: CHAT }));
    // Every message with text is marked in place, raw.
    expect([...root.querySelectorAll(".nbr-message")].map((m) => m.dataset.view)).toEqual(["raw", "raw", "raw"]);
    press(root, "j");
    press(root, "c");
    press(root, "End");
    press(root, "ArrowLeft");
    press(root, "ArrowLeft", { shiftKey: true });
    press(root, "1");
    const [first] = lastAnswer(model, "errors");
    expect(first.message).toBe(1);
    expect(CHAT[1].content.slice(first.start, first.end)).toBe(first.text);
    expect(first.text).toBe("Japan");
    // ↑/↓ stay the spans' keys (select a span); j/k choose the message.
    press(root, "Escape");
    press(root, "ArrowDown");
    expect(marked(root)).toEqual([1]);
    expect(root.querySelector(".nbr-tag-selected")).not.toBeNull();
    expect(root.querySelector(".nbr-turns-hint").textContent).toContain("j next, k previous");
    // The third message, made of parts: offsets count its text (parts joined by a blank line).
    press(root, "Escape");
    press(root, "j");
    press(root, "c");
    press(root, "End");
    press(root, "ArrowLeft");
    press(root, "ArrowLeft", { shiftKey: true });
    press(root, "2");
    const value = lastAnswer(model, "errors");
    expect(value.map((s) => s.message)).toEqual([1, 2]);
    const text = "Really?\n\nSure 👩🏽‍💻 Japan?";
    expect(text.slice(value[1].start, value[1].end)).toBe(value[1].text);
    expect(value[1].label).toBe("unsafe");
    // Only the marked message shows its label panel.
    expect(root.querySelector('.nbr-message[data-index="2"]').classList.contains("nbr-spans-active")).toBe(true);
    expect(root.querySelector('.nbr-message[data-index="1"]').classList.contains("nbr-spans-active")).toBe(false);
  });

  it("a saved answer is drawn on its own message only", () => {
    const saved = [{ message: 1, start: 12, end: 17, label: "wrong", text: "Japan" }];
    const { root } = mountWidget(widget, config([SPANS]), view("k1", { messages: CHAT }, { answers: { errors: saved } }));
    const mark = root.querySelector('.nbr-message[data-index="1"] .nbr-spans-text');
    expect(mark.textContent).toBe(CHAT[1].content);
    const marks = root.querySelectorAll('.nbr-message[data-index="1"] .nbr-seg.nbr-marked');
    expect([...marks].map((m) => m.textContent).join("")).toBe("Japan");
    expect(root.querySelector('.nbr-message[data-index="0"] .nbr-spans-text')).not.toBeNull();
    expect(root.querySelector('.nbr-message[data-index="0"] .nbr-seg.nbr-marked')).toBeNull();
  });

  it("the ? panel names the message keys for a chat field only", () => {
    const rows = keyList(config([SPANS]));
    expect(rows.some(([, what]) => what.includes("next / previous message"))).toBe(true);
    const plain = keyList(config([{ ...SPANS, field: "response" }], [{ column: "response", kind: "text" }]));
    expect(plain.some(([, what]) => what.includes("next / previous message"))).toBe(false);
  });
});
