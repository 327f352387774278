// @vitest-environment node
// The widget's decisions as a pure function: no DOM, no model. Each test feeds actions to
// `reduce` and reads the state, the kernel messages and the effects it gives back.
import { afterEach, describe, expect, it } from "vitest";
import { handles, reduce, registerAction, send, waiting } from "../core/reducer.js";
import { answersOf, currentOf, initialState, recordOf, unsavedCount, viewOf } from "../core/state.js";
import { STALLED_TEXT } from "../widget/notices.js";

const QUESTIONS = [
  { name: "quality", kind: "rating", scale: 5, labels: null, required: true },
  { name: "topic", kind: "label", labels: ["a", "b"], required: true, keys: ["y", "n"] },
  { name: "flags", kind: "multilabel", labels: ["x", "y"], required: true },
  { name: "comment", kind: "freetext", required: false },
];
const CONFIG = { name: "d", annotator: "a", fields: [], questions: QUESTIONS, one_key: false };
const rec = (key, extra = {}) => ({ key, row: 0, fields: {}, answers: {}, suggestions: {}, status: null, ...extra });
const view = (record, extra = {}) => ({ ack: 0, position: 0, index: 0, total: 3, record, notice: null, ...extra });

/** Run actions in order; every result's messages and effects are collected. */
function run(state, ...actions) {
  const messages = [];
  const effects = [];
  let handled;
  for (const action of actions) {
    const r = reduce(state, action);
    state = r.state;
    messages.push(...r.messages);
    effects.push(...r.effects);
    handled = r.handled;
  }
  return { state, messages, effects, handled };
}

function start(config = CONFIG, record = rec("k1"), extra = {}) {
  const state = initialState({ config, viewId: "v1" });
  return run(state, { type: "config", config }, { type: "kernel", view: view(record), ...extra }).state;
}

describe("keys become answers through the focused question's kind", () => {
  it("a digit answers the focused rating, shown at once and numbered", () => {
    const { state, messages } = run(start(), { type: "digit", digit: 4 });
    expect(messages).toEqual([{ type: "answer", seq: 1, key: "k1", question: "quality", value: 4 }]);
    expect(answersOf(state)).toEqual({ quality: 4 });
    expect(currentOf(state, QUESTIONS[0])).toEqual({ value: 4, suggested: false });
  });

  it("a question's own keys (keys= in Python) replace its digits", () => {
    const s = run(start(), { type: "next_question" }).state;
    expect(run(s, { type: "digit", digit: 1 }).messages).toEqual([]);
    expect(run(s, { type: "key", key: "n" }).messages.map((m) => m.value)).toEqual(["b"]);
  });

  it("multi-label keys toggle on answers not yet acknowledged; 0 is none apply", () => {
    const s = run(start(), { type: "focus", index: 2 }).state;
    const r = run(s, { type: "digit", digit: 2 }, { type: "digit", digit: 1 }, { type: "digit", digit: 2 });
    expect(r.messages.map((m) => m.value)).toEqual([["y"], ["x", "y"], ["x"]]);
    expect(run(r.state, { type: "digit", digit: 0 }).messages.at(-1).value).toEqual([]);
  });

  it("a digit meaning nothing sends nothing but is still the widget's; a letter is not", () => {
    const r = run(start(), { type: "digit", digit: 7 });
    expect(r.messages).toEqual([]);
    expect(r.handled).toBe(true);
    const letter = run(start(), { type: "key", key: "d" });
    expect(letter.handled).toBe(false);
  });

  it("a click on an option (a kind action) focuses its question and answers it", () => {
    const r = run(start(), { type: "kind", index: 1, op: "choose", value: "a" });
    expect(r.state.focus).toBe(1);
    expect(r.messages.map((m) => [m.question, m.value])).toEqual([["topic", "a"]]);
  });

  it("an answer that changes nothing is not sent", () => {
    const s = start(CONFIG, rec("k1", { answers: { quality: 3 } }));
    expect(run(s, { type: "digit", digit: 3 }).messages).toEqual([]);
    expect(run(s, { type: "answer", question: "comment", value: null }).messages).toEqual([]);
  });

  it("nothing happens without a record", () => {
    const s = start(CONFIG, null);
    const r = run(s, { type: "digit", digit: 1 }, { type: "submit" }, { type: "skip" }, { type: "accept" });
    expect(r.messages).toEqual([]);
  });
});

describe("the kernel's replies", () => {
  it("an ack drops the pending answers it reflects", () => {
    let s = run(start(), { type: "digit", digit: 4 }).state;
    expect(s.pending.length).toBe(1);
    s = run(s, { type: "kernel", view: view(rec("k1", { answers: { quality: 4 } }), { ack: 1 }) }).state;
    expect(s.pending).toEqual([]);
    expect(answersOf(s)).toEqual({ quality: 4 });
  });

  it("a new record resets the focus and says so to the view", () => {
    const s = run(start(), { type: "focus", index: 2 }).state;
    const r = run(s, { type: "kernel", view: view(rec("k2")) });
    expect(r.state.focus).toBe(0);
    expect(r.effects.map((e) => e.type)).toContain("recordShown");
    const same = run(s, { type: "kernel", view: view(rec("k1"), { ack: 0 }) });
    expect(same.state.focus).toBe(2);
    expect(same.effects.map((e) => e.type)).not.toContain("recordShown");
  });

  it("lays the changing part of the record over its fixed part when the keys match", () => {
    const fixed = { key: "k1", row: 0, fields: { p: "long text" }, ahead: { open: [], next: [] } };
    const s = start(CONFIG, { key: "k1", row: 0, answers: { quality: 2 }, suggestions: {}, status: "draft" }, {
      record: fixed,
    });
    expect(recordOf(s)).toEqual({ key: "k1", row: 0, fields: { p: "long text" }, answers: { quality: 2 },
      suggestions: {}, status: "draft" });
    expect(recordOf(s)).toBe(recordOf(s)); // worked out once per state
  });

  it("a fault keeps what was sent on screen, counts it, and says Saved once stored", () => {
    let s = run(start(), { type: "digit", digit: 4 }).state;
    s = run(s, { type: "kernel", view: view(rec("k1")), link: { acks: {}, fault: "disk full" } }).state;
    expect(s.failing).toBe(true);
    expect(unsavedCount(s)).toBe(1);
    expect(answersOf(s)).toEqual({ quality: 4 });
    s = run(s, { type: "kernel", view: view(rec("k1", { answers: { quality: 4 } })), link: { acks: { v1: 1 }, fault: null } }).state;
    expect(unsavedCount(s)).toBe(0);
    expect(s.saved).toBe(true);
    expect(run(s, { type: "touch" }).state.saved).toBe(false);
  });
});

describe("moving between records", () => {
  it("Enter submits; missing required answers are marked and focused first", () => {
    const r = run(start(), { type: "digit", digit: 3 }, { type: "submit" });
    expect(r.messages.map((m) => m.type)).toEqual(["answer", "submit"]);
    expect(r.state.missing).toEqual([1, 2]);
    expect(r.state.focus).toBe(1);
    expect(r.effects.map((e) => e.type)).toContain("focusEl");
  });

  it("keys typed during a record change wait for its ack, then run on the new record", () => {
    let s = run(start(), { type: "skip" }).state;
    expect(waiting(s)).toBe(true);
    s = run(s, { type: "hold", action: { type: "digit", digit: 3 } }).state;
    s = run(s, { type: "kernel", view: view(rec("k2"), { ack: 1 }) }).state;
    expect(waiting(s)).toBe(false);
    expect(s.held.queue).toEqual([{ type: "digit", digit: 3 }]);
    const r = run(s, { type: "unhold" }, s.held.queue[0]);
    expect(r.messages).toEqual([{ type: "answer", seq: 2, key: "k2", question: "quality", value: 3 }]);
  });

  it("drops held keys when the kernel never answers, and says so only when keys were dropped", () => {
    const s = run(start(), { type: "next" }).state;
    const quiet = run(s, { type: "stall", seq: 1 });
    expect(quiet.state.notice).toBeNull();
    expect(waiting(quiet.state)).toBe(false);
    const held = run(s, { type: "hold", action: { type: "digit", digit: 4 } }, { type: "stall", seq: 1 });
    expect(held.state.notice).toEqual({ kind: "error", text: STALLED_TEXT });
    expect(held.state.held.queue).toEqual([]);
    // After the ack came, a late timer does nothing.
    const late = run(s, { type: "kernel", view: view(rec("k2"), { ack: 1 }) }, { type: "stall", seq: 1 });
    expect(late.state.notice).toBeNull();
  });

  it("paints the record the kernel sent ahead at once in one-key mode, and keeps going", () => {
    const config = { ...CONFIG, questions: [QUESTIONS[0]], one_key: true };
    const entry = (key, row) => ({ ...rec(key), row, index: row });
    const fixed = { ...rec("k0"), ahead: { open: [entry("k1", 1), entry("k2", 2)], next: [] } };
    const s = start(config, rec("k0"), { record: fixed, link: { acks: {}, fault: null } });
    const r = run(s, { type: "digit", digit: 4 }, { type: "digit", digit: 2 });
    expect(r.messages.map((m) => [m.type, m.key, m.value, m.submit])).toEqual([
      ["answer", "k0", 4, true],
      ["answer", "k1", 2, true],
    ]);
    expect(recordOf(r.state).key).toBe("k2");
    expect(viewOf(r.state).position).toBe(2);
    expect(waiting(r.state)).toBe(false); // nothing to wait for: the records were known
  });

  it("a submit the kernel will refuse paints nothing ahead", () => {
    const fixed = { ...rec("k1"), ahead: { open: [{ ...rec("k2"), row: 1, index: 1 }], next: [] } };
    const r = run(start(CONFIG, rec("k1"), { record: fixed }), { type: "submit" });
    expect(recordOf(r.state).key).toBe("k1");
    expect(waiting(r.state)).toBe(true);
  });

  it("accept sends every pending suggestion as the answer", () => {
    const s = start(CONFIG, rec("k1", { answers: { quality: 2 }, suggestions: { topic: "b", quality: 1 } }));
    const r = run(s, { type: "accept" });
    expect(r.messages.map((m) => m.type)).toEqual(["accept"]);
    expect(answersOf(r.state)).toEqual({ quality: 2, topic: "b" });
    expect(run(r.state, { type: "accept" }).messages).toEqual([]);
  });
});

describe("the widget's own state", () => {
  it("panels, raw and focus wrap around", () => {
    let s = run(start(), { type: "help" }, { type: "raw" }, { type: "prev_question" }).state;
    expect(s.panels.help).toBe(true);
    expect(s.raw).toBe(true);
    expect(s.focus).toBe(3);
    s = run(s, { type: "next_question" }).state;
    expect(s.focus).toBe(0);
  });

  it("g without guidelines says there are none", () => {
    const s = run(start(), { type: "guidelines" }).state;
    expect(s.panels.guidelines).toBe(false);
    expect(s.notice.text).toMatch(/No guidelines/);
    const withGuide = start({ ...CONFIG, guidelines: "Be fair." });
    expect(run(withGuide, { type: "guidelines" }).state.panels.guidelines).toBe(true);
  });

  it("reads the keys table from the config", () => {
    const s = start({ ...CONFIG, keys: { skip: ["x"] } });
    expect(s.keys.skip).toEqual(["x"]);
    expect(s.keys.submit).toEqual(["Enter"]);
  });

  it("never changes a state in place", () => {
    const s = start();
    const copy = JSON.parse(JSON.stringify(s));
    run(s, { type: "digit", digit: 4 }, { type: "submit" }, { type: "help" }, { type: "kernel", view: view(rec("k9")) });
    expect(JSON.parse(JSON.stringify(s))).toEqual(copy);
  });
});

describe("actions a module adds without touching the core", () => {
  let remove = () => {};
  afterEach(() => remove());
  it("an unknown action is not handled", () => {
    expect(run(start(), { type: "no_such_action" }).handled).toBe(false);
  });
  it("a registered handler sends its own message, numbered like the core's", () => {
    remove = registerAction("flag_record", (r) => {
      send(r, "flag", { key: recordOf(r.state).key });
      return r;
    });
    expect(handles("flag_record")).toBe(true);
    const r = run(start(), { type: "digit", digit: 4 }, { type: "flag_record" });
    expect(r.messages.at(-1)).toEqual({ type: "flag", seq: 2, key: "k1" });
    remove();
    expect(handles("flag_record")).toBe(false);
  });
  it("more like this (js/similar.js) asks the kernel for a new queue, and later keys wait for it", async () => {
    await import("../similar.js");
    const { keyList } = await import("../help.js");
    const r = run(start(), { type: "similar" });
    expect(r.messages).toEqual([{ type: "similar", seq: 1 }]);
    expect(waiting(r.state)).toBe(true);
    expect(keyList(CONFIG)).toContainEqual(["m", "more like this: queue the similar records"]);
  });
});
