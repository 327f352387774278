// @vitest-environment jsdom
// A kind the widget has never heard of, added the way docs/kinds.md says: a plugin and one
// registerKind call. Its text box is an <input>, not a textarea: keys typed there stay text
// because the kind says so (`takesText`), not because of the element's tag. A second toy kind
// takes its keys through the pure `onAction`, as the choice kinds do.
import { afterEach, describe, expect, it } from "vitest";
import { h } from "../dom.js";
import { keyList } from "../help.js";
import { registerKind } from "../kinds/index.js";
import { questionShell } from "../kinds/shell.js";
import widget from "../widget.js";
import { fakeModel, press } from "./helpers.js";

let updates = 0; // how often the widget redrew the note question

const note = {
  kinds: ["toynote"],
  build(question, index, ctx) {
    const shell = questionShell(question, index, ctx, "a short note");
    const input = h("input", { type: "text", class: "toy-note", tabindex: "-1", onfocus: () => ctx.focus(index) });
    input.addEventListener("input", () => ctx.answer(question, input.value === "" ? null : input.value));
    shell.el.append(input);
    return {
      el: shell.el,
      question,
      focusEl: input,
      takesText: (target) => target === input,
      update(state) {
        updates += 1;
        shell.update(state);
        if (input.ownerDocument.activeElement !== input) input.value = state.value ?? "";
      },
    };
  },
  isAnswered: (_question, value) => typeof value === "string" && value.trim() !== "",
};

const yesno = {
  kinds: ["toyyesno"],
  build(question, index, ctx) {
    const shell = questionShell(question, index, ctx, "yes or no");
    return { el: shell.el, question, update: shell.update };
  },
  // Pure: the widget's reducer asks it what a key means while the question is focused.
  onAction(_question, action) {
    if (action.type !== "digit") return undefined;
    return action.digit === 1 ? true : action.digit === 2 ? false : undefined;
  },
  isAnswered: (_question, value) => typeof value === "boolean",
  help: () => [["1 / 2", "yes or no: yes / no"]],
};
registerKind(note);
registerKind(yesno);

const QUESTIONS = [
  { name: "safe", kind: "toyyesno", required: true },
  { name: "why", kind: "toynote", required: false },
];
const CONFIG = { name: "d", annotator: "a", fields: [{ column: "p", kind: "text" }], questions: QUESTIONS };
const record = (key, extra = {}) => ({ key, row: 0, fields: { p: "text" }, answers: {}, suggestions: {}, status: null, ...extra });
const viewOf = (rec, ack = 0) => ({ ack, position: 0, index: 0, total: 2, record: rec, notice: null });

let cleanup;
function mount() {
  const model = fakeModel({ config: CONFIG, view: viewOf(record("k1")), link: { acks: {}, fault: null } });
  const el = document.createElement("div");
  document.body.append(el);
  cleanup = widget.render({ model, el });
  const root = el.querySelector(".nbr-root");
  root.focus();
  return { model, root, input: el.querySelector(".toy-note") };
}
afterEach(() => {
  cleanup?.();
  document.body.replaceChildren();
});

describe("a kind whose text box is an <input>", () => {
  it("keeps digits and letters typed into it as text", () => {
    const { model, root, input } = mount();
    press(root, "Tab");
    expect(root.ownerDocument.activeElement).toBe(input);
    for (const k of ["1", "2", "0", "s", "a", "g", "?", "Enter", "ArrowLeft", "j", "m"]) {
      expect(press(input, k).defaultPrevented).toBe(false); // the browser types it
    }
    expect(model.sent).toEqual([]); // no digit answered "safe", no submit, no skip
    expect(root.querySelector(".nbr-help").hidden).toBe(true);
    input.value = "12 apples";
    input.dispatchEvent(new Event("input"));
    expect(model.sent.map((m) => [m.type, m.question, m.value])).toEqual([["answer", "why", "12 apples"]]);
  });

  it("Esc leaves it for the root, Tab moves on, Ctrl+Enter submits", () => {
    const { model, root, input } = mount();
    press(root, "Tab");
    press(input, "Escape");
    expect(root.ownerDocument.activeElement).toBe(root);
    press(root, "Tab", { shiftKey: true });
    expect(root.querySelector(".nbr-focused").dataset.question).toBe("safe");
    press(root, "Tab");
    press(input, "Enter", { ctrlKey: true });
    expect(model.sent.map((m) => m.type)).toEqual(["submit"]);
  });
});

describe("a kind that takes keys through onAction", () => {
  it("answers from a digit while focused, and lists its keys", () => {
    const { model, root } = mount();
    press(root, "2");
    expect(model.sent.map((m) => [m.question, m.value])).toEqual([["safe", false]]);
    expect(press(root, "7").defaultPrevented).toBe(true); // a digit is the widget's, meaning nothing here
    expect(model.sent.length).toBe(1);
    expect(keyList(CONFIG)).toContainEqual(["1 / 2", "yes or no: yes / no"]);
  });
});

describe("one change event per kernel reply", () => {
  it("draws once for a reply that replaced view, record and link, and once per key", () => {
    const { model, root } = mount();
    press(root, "1");
    updates = 0;
    const answered = record("k1", { answers: { safe: true } });
    model.kernelSync({ view: viewOf(answered, 1), record: { key: "k1", row: 0, fields: { p: "text" } },
      link: { acks: {}, fault: null } });
    expect(updates).toBe(1);
    expect(root.querySelector('.nbr-question[data-question="safe"]').classList.contains("nbr-answered")).toBe(true);
    updates = 0;
    press(root, "2");
    expect(updates).toBe(1);
    updates = 0;
    press(root, "x"); // a key nothing takes draws nothing
    expect(updates).toBe(0);
  });
});

describe("a module adds an action and an effect without touching the core", () => {
  it("the key in the table reaches the module's handler, and its effect reaches the page", async () => {
    const { registerAction, registerEffect, effect, send } = await import("../widget.js");
    const seen = [];
    const offAction = registerAction(
      "unfold",
      (r) => {
        send(r, "unfolded", { key: r.state.recordKey });
        return effect(r, "unfold", { all: true });
      },
      { immediate: true, help: "unfold the chat" },
    );
    const offEffect = registerEffect("unfold", (e, { root, state }) => seen.push([e.all, root.dataset.key, state.focus]));
    try {
      const { model, root } = mount();
      expect(press(root, "t").defaultPrevented).toBe(true);
      expect(seen).toEqual([[true, "k1", 0]]);
      expect(model.sent.map((m) => [m.type, m.key])).toEqual([["unfolded", "k1"]]);
      expect(keyList(CONFIG)).toContainEqual(["t", "unfold the chat"]);
    } finally {
      offAction();
      offEffect();
      cleanup();
    }
    const { root } = mount();
    expect(press(root, "t").defaultPrevented).toBe(false); // nothing handles it any more
  });
});
