// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import widget, { AWAIT_MS, DONE_TEXT, EMPTY_TEXT, STALLED_TEXT } from "../widget.js";
import { SUPPRESS_ATTR } from "../suppress.js";
import { fakeModel, press } from "./helpers.js";

const QUESTIONS = [
  { name: "quality", kind: "rating", scale: 5, labels: null, required: true },
  { name: "topic", kind: "label", labels: ["a", "b"], required: true },
  { name: "flags", kind: "multilabel", labels: ["x", "y"], required: true },
  { name: "comment", kind: "freetext", required: false },
];

const CONFIG = {
  name: "default",
  annotator: "alice",
  fields: [
    { column: "prompt", kind: "text" },
    { column: "response", kind: "text" },
  ],
  questions: QUESTIONS,
  guidelines: "Rate <b>calmly</b>.\nThen submit.",
  one_key: false,
};

function record(key, extra = {}) {
  return {
    key,
    row: 0,
    fields: { prompt: `prompt of ${key}`, response: `  response of ${key}\n\tindented` },
    answers: {},
    suggestions: {},
    status: null,
    ...extra,
  };
}

function viewOf(rec, extra = {}) {
  return {
    ack: 0,
    position: 0,
    total: 40,
    record: rec,
    progress: { total: 40, submitted: 3, skipped: 1, remaining: 36 },
    done: false,
    notice: null,
    can_undo: false,
    ...extra,
  };
}

let cleanup;
let host;
let notebook;

/** Render the widget inside a fake JupyterLab notebook cell; focus its root. */
function mount(config = CONFIG, view = viewOf(record("k1"))) {
  notebook = document.createElement("div");
  notebook.className = "jp-Notebook";
  notebook.tabIndex = -1;
  const cell = document.createElement("div");
  cell.className = "jp-Cell";
  host = document.createElement("div");
  cell.append(host);
  notebook.append(cell);
  document.body.append(notebook);
  const model = fakeModel({ config, view });
  cleanup = widget.render({ model, el: host });
  const root = host.querySelector(".nbr-root");
  root.focus();
  return { model, root };
}

const q = (root, name) => root.querySelector(`.nbr-question[data-question="${name}"]`);
const opt = (root, name, value) => q(root, name).querySelector(`.nbr-option[data-value="${value}"]`);
const strip = (m) => {
  const { seq, elapsed_ms, ...rest } = m;
  return rest;
};
const sentTypes = (model) => model.sent.map((m) => m.type);

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
  document.body.replaceChildren();
  vi.useRealTimers();
});

describe("DOM hooks", () => {
  it("renders the root, fields, questions, progress and panels", () => {
    const { root } = mount();
    expect(root.getAttribute("tabindex")).toBe("0");
    expect(document.activeElement).toBe(root);
    expect(root.dataset.ack).toBe("0");
    expect(root.dataset.position).toBe("0");
    expect(root.dataset.key).toBe("k1");
    expect(root.dataset.status).toBe("");
    const fields = [...root.querySelectorAll(".nbr-field")].map((f) => f.dataset.column);
    expect(fields).toEqual(["prompt", "response"]);
    expect(root.querySelector('.nbr-field[data-column="response"] .nbr-field-body').textContent).toBe(
      "  response of k1\n\tindented",
    );
    expect([...root.querySelectorAll(".nbr-question")].map((e) => e.dataset.question)).toEqual([
      "quality",
      "topic",
      "flags",
      "comment",
    ]);
    expect(q(root, "quality").classList.contains("nbr-focused")).toBe(true);
    expect(root.querySelectorAll(".nbr-focused").length).toBe(1);
    expect(q(root, "comment").querySelector("textarea")).not.toBeNull();
    expect(root.querySelector(".nbr-progress").textContent).toContain(
      "3 submitted · 1 skipped · 36 remaining of 40",
    );
    const toggle = root.querySelector(".nbr-guidelines-toggle");
    expect(toggle.textContent).toBe("Guidelines (g)");
    expect(toggle.hidden).toBe(false);
    expect(root.querySelector(".nbr-guidelines").hidden).toBe(true);
    expect(root.querySelector(".nbr-help").hidden).toBe(true);
    expect(root.querySelector(".nbr-notice").hidden).toBe(true);
    for (const b of root.querySelectorAll("button")) expect(b.getAttribute("tabindex")).toBe("-1");
  });

  it("mirrors the view on the root", () => {
    const { model, root } = mount();
    model.kernelSets("view", viewOf(record("k2", { status: "submitted" }), { ack: 7, position: 5 }));
    expect(root.dataset.ack).toBe("7");
    expect(root.dataset.position).toBe("5");
    expect(root.dataset.key).toBe("k2");
    expect(root.dataset.status).toBe("submitted");
  });

  it("shows guidelines as sanitized markdown, and help, on keys and on the buttons", () => {
    const { root } = mount();
    const guidelines = root.querySelector(".nbr-guidelines");
    press(root, "g");
    expect(guidelines.hidden).toBe(false);
    // Markdown: a bare <b> is kept as bold; anything with attributes or a script is text.
    expect(guidelines.textContent).toContain("Rate calmly.");
    expect(guidelines.querySelector(".nbr-guidelines-text b").textContent).toBe("calmly");
    expect(guidelines.querySelector("script, [onerror]")).toBeNull();
    press(root, "g");
    expect(guidelines.hidden).toBe(true);
    root.querySelector(".nbr-guidelines-toggle").click();
    expect(guidelines.hidden).toBe(false);
    expect(document.activeElement).toBe(root);
    press(root, "?", { shiftKey: true });
    expect(root.querySelector(".nbr-help").hidden).toBe(false);
    expect(root.querySelector(".nbr-help").textContent).toContain("Enter");
    press(root, "?", { shiftKey: true });
    expect(root.querySelector(".nbr-help").hidden).toBe(true);
  });

  it("shows the kernel's notice", () => {
    const { model, root } = mount();
    model.kernelSets(
      "view",
      viewOf(record("k1"), { ack: 1, notice: { kind: "error", text: "Answer the required question: topic" } }),
    );
    const notice = root.querySelector(".nbr-notice");
    expect(notice.hidden).toBe(false);
    expect(notice.dataset.kind).toBe("error");
    expect(notice.textContent).toBe("Answer the required question: topic");
    model.kernelSets("view", viewOf(record("k1"), { ack: 2 }));
    expect(notice.hidden).toBe(true);
  });

  it("shows the done banner", () => {
    const { model, root } = mount();
    expect(root.querySelector(".nbr-banner").hidden).toBe(true);
    model.kernelSets("view", viewOf(record("k1"), { done: true }));
    expect(root.querySelector(".nbr-banner").hidden).toBe(false);
    expect(root.querySelector(".nbr-banner").textContent).toBe(DONE_TEXT);
  });

  it("says there is nothing to review for an empty dataset, and sends nothing", () => {
    const { model, root } = mount(CONFIG, viewOf(null, { position: null, total: 0 }));
    expect(root.querySelector(".nbr-banner").textContent).toBe(EMPTY_TEXT);
    expect(root.dataset.position).toBe("");
    expect(root.dataset.key).toBe("");
    expect(root.querySelector(".nbr-fields").hidden).toBe(true);
    for (const k of ["1", "Enter", "s", "ArrowRight", "a"]) press(root, k);
    expect(model.sent).toEqual([]);
  });

  it("renders unknown question kinds as a notice", () => {
    const config = { ...CONFIG, questions: [{ name: "errors", kind: "hologram", labels: ["x"], required: true }] };
    const { model, root } = mount(config);
    expect(q(root, "errors").querySelector(".nbr-unsupported")).not.toBeNull();
    press(root, "1");
    expect(model.sent).toEqual([]);
  });

  it("copes with a view that has not arrived yet", () => {
    const model = fakeModel({ config: CONFIG, view: null });
    host = document.createElement("div");
    document.body.append(host);
    expect(() => {
      cleanup = widget.render({ model, el: host });
    }).not.toThrow();
    expect(host.querySelector(".nbr-banner").textContent).toBe(EMPTY_TEXT);
  });

  it("keeps dataset text as text", () => {
    const hostile = '<img src=x onerror="window.__pwned=1">';
    const rec = record("k1", { fields: { prompt: hostile, response: "<script>window.__pwned=2</script>" } });
    const { root } = mount(CONFIG, viewOf(rec));
    expect(root.querySelector("img, script")).toBeNull();
    expect(root.querySelector('[data-column="prompt"] .nbr-field-body').textContent).toBe(hostile);
    expect(window.__pwned).toBeUndefined();
  });
});

describe("keys send messages", () => {
  it("a digit answers the focused rating", () => {
    const { model, root } = mount();
    press(root, "4");
    expect(model.sent).toEqual([
      { type: "answer", seq: 1, elapsed_ms: expect.any(Number), key: "k1", question: "quality", value: 4 },
    ]);
    // Shown at once, before the kernel answers.
    expect(opt(root, "quality", "4").classList.contains("nbr-selected")).toBe(true);
  });

  it("numbers messages and times them", () => {
    const { model, root } = mount();
    vi.advanceTimersByTime(1500);
    press(root, "2");
    vi.advanceTimersByTime(250);
    press(root, "3");
    expect(model.sent.map((m) => [m.seq, m.elapsed_ms])).toEqual([
      [1, 1500],
      [2, 250],
    ]);
  });

  it("Tab moves the focused question and wraps; Shift+Tab goes back", () => {
    const { model, root } = mount();
    const focused = () => root.querySelector(".nbr-focused").dataset.question;
    const e = press(root, "Tab");
    expect(e.defaultPrevented).toBe(true);
    expect(focused()).toBe("topic");
    press(root, "2");
    press(root, "Tab");
    expect(focused()).toBe("flags");
    press(root, "1");
    press(root, "2");
    expect(model.sent.map(strip)).toEqual([
      { type: "answer", key: "k1", question: "topic", value: "b" },
      { type: "answer", key: "k1", question: "flags", value: ["x"] },
      { type: "answer", key: "k1", question: "flags", value: ["x", "y"] },
    ]);
    press(root, "Tab", { shiftKey: true });
    expect(focused()).toBe("topic");
    press(root, "Tab", { shiftKey: true });
    press(root, "Tab", { shiftKey: true });
    expect(focused()).toBe("comment"); // wrapped backwards into the text box
    expect(document.activeElement.tagName).toBe("TEXTAREA");
    press(document.activeElement, "Tab");
    expect(focused()).toBe("quality"); // wrapped forwards, back on the root
    expect(document.activeElement).toBe(root);
  });

  it("multilabel toggles build on answers not yet acknowledged, and 0 means none apply", () => {
    const { model, root } = mount();
    press(root, "Tab");
    press(root, "Tab");
    press(root, "2");
    press(root, "1");
    press(root, "2");
    expect(model.sent.map((m) => m.value)).toEqual([["y"], ["x", "y"], ["x"]]);
    // The kernel catches up with the first two only.
    model.kernelSets("view", viewOf(record("k1", { answers: { flags: ["x", "y"] } }), { ack: 2 }));
    expect(opt(root, "flags", "y").classList.contains("nbr-selected")).toBe(false);
    press(root, "0");
    expect(model.sent.at(-1).value).toEqual([]);
    expect(q(root, "flags").querySelector(".nbr-none").classList.contains("nbr-selected")).toBe(true);
  });

  it("does not resend an answer that is already saved", () => {
    const { model, root } = mount(CONFIG, viewOf(record("k1", { answers: { quality: 3 } })));
    press(root, "3");
    expect(model.sent).toEqual([]);
  });

  it("Enter submits, s skips, arrows navigate, Ctrl/Cmd+Z undoes", () => {
    const { model, root } = mount();
    const step = (k, mods, ack) => {
      press(root, k, mods);
      model.kernelSets("view", viewOf(record("k1"), { ack }));
    };
    step("Enter", {}, 1);
    step("s", {}, 2);
    step("ArrowRight", {}, 3);
    step("ArrowLeft", {}, 4);
    step("z", { ctrlKey: true }, 5);
    step("z", { metaKey: true }, 6);
    expect(model.sent.map(strip)).toEqual([
      { type: "submit", key: "k1" },
      { type: "skip", key: "k1" },
      { type: "nav", to: "next" },
      { type: "nav", to: "prev" },
      { type: "undo" },
      { type: "undo" },
    ]);
    expect(model.sent.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("one-key mode answers and submits with one digit", () => {
    const config = { ...CONFIG, questions: [QUESTIONS[1]], one_key: true };
    const { model, root } = mount(config);
    press(root, "2");
    expect(model.sent.map(strip)).toEqual([
      { type: "answer", key: "k1", question: "topic", value: "b", submit: true },
    ]);
  });

  it("one-key mode submits on a click too", () => {
    const config = { ...CONFIG, questions: [QUESTIONS[0]], one_key: true };
    const { model, root } = mount(config);
    opt(root, "quality", "5").click();
    expect(model.sent.map(strip)).toEqual([
      { type: "answer", key: "k1", question: "quality", value: 5, submit: true },
    ]);
  });

  it("clicking an option answers, focuses its question and returns focus to the root", () => {
    const { model, root } = mount();
    root.blur();
    opt(root, "topic", "a").click();
    expect(model.sent.map(strip)).toEqual([{ type: "answer", key: "k1", question: "topic", value: "a" }]);
    expect(q(root, "topic").classList.contains("nbr-focused")).toBe(true);
    expect(document.activeElement).toBe(root);
    q(root, "flags").querySelector(".nbr-none").click();
    expect(model.sent.at(-1)).toMatchObject({ question: "flags", value: [] });
  });

  it("the action buttons send the same messages as the keys", () => {
    const { model, root } = mount(CONFIG, viewOf(record("k1"), { position: 3, can_undo: true }));
    const click = (cls, ack) => {
      root.querySelector(cls).click();
      model.kernelSets("view", viewOf(record("k1"), { ack, position: 3, can_undo: true }));
    };
    click(".nbr-submit", 1);
    click(".nbr-skip", 2);
    click(".nbr-prev", 3);
    click(".nbr-next", 4);
    click(".nbr-undo", 5);
    expect(sentTypes(model)).toEqual(["submit", "skip", "nav", "nav", "undo"]);
    expect(document.activeElement).toBe(root);
  });

  it("disables undo and the edge navigation buttons", () => {
    const { model, root } = mount();
    expect(root.querySelector(".nbr-undo").disabled).toBe(true);
    expect(root.querySelector(".nbr-prev").disabled).toBe(true);
    expect(root.querySelector(".nbr-next").disabled).toBe(false);
    model.kernelSets("view", viewOf(record("k9"), { position: 39, can_undo: true }));
    expect(root.querySelector(".nbr-undo").disabled).toBe(false);
    expect(root.querySelector(".nbr-next").disabled).toBe(true);
  });
});

describe("suggestions", () => {
  const suggested = () =>
    viewOf(record("k1", { answers: { quality: 2 }, suggestions: { topic: "b", flags: [] } }));

  it("shows suggestions apart from answers", () => {
    const { root } = mount(CONFIG, suggested());
    expect(opt(root, "quality", "2").classList.contains("nbr-selected")).toBe(true);
    const b = opt(root, "topic", "b");
    expect(b.classList.contains("nbr-suggested")).toBe(true);
    expect(b.classList.contains("nbr-selected")).toBe(false);
    expect(q(root, "flags").querySelector(".nbr-none").classList.contains("nbr-suggested")).toBe(true);
    expect(q(root, "topic").querySelector(".nbr-suggested-tag").hidden).toBe(false);
    expect(root.querySelector(".nbr-accept").hidden).toBe(false);
  });

  it("a accepts them all", () => {
    const { model, root } = mount(CONFIG, suggested());
    press(root, "a");
    expect(model.sent.map(strip)).toEqual([{ type: "accept", key: "k1" }]);
    expect(opt(root, "topic", "b").classList.contains("nbr-selected")).toBe(true);
    expect(root.querySelector(".nbr-accept").hidden).toBe(true);
    press(root, "a"); // nothing left to accept
    expect(model.sent.length).toBe(1);
  });

  it("the accept button does the same", () => {
    const { model, root } = mount(CONFIG, suggested());
    root.querySelector(".nbr-accept").click();
    expect(sentTypes(model)).toEqual(["accept"]);
  });

  it("answering a question replaces its suggestion; a multilabel edit starts from it", () => {
    const view = viewOf(record("k1", { suggestions: { topic: "b", flags: ["y"] } }));
    const { model, root } = mount(CONFIG, view);
    press(root, "Tab");
    press(root, "1");
    expect(opt(root, "topic", "a").classList.contains("nbr-selected")).toBe(true);
    expect(opt(root, "topic", "b").classList.contains("nbr-suggested")).toBe(false);
    press(root, "Tab");
    press(root, "1");
    expect(model.sent.map((m) => m.value)).toEqual(["a", ["x", "y"]]);
    expect(root.querySelector(".nbr-accept").hidden).toBe(true);
  });
});

describe("free text", () => {
  function typeInto(textarea, text) {
    textarea.value = text;
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  it("sends the text 400 ms after typing stops, and Enter is a newline", () => {
    const { model, root } = mount();
    press(root, "Tab", { shiftKey: true });
    const textarea = document.activeElement;
    expect(textarea.tagName).toBe("TEXTAREA");
    const enter = press(textarea, "Enter");
    expect(enter.defaultPrevented).toBe(false); // the browser inserts the newline
    for (const k of ["s", "a", "1", "g", "ArrowLeft"]) expect(press(textarea, k).defaultPrevented).toBe(false);
    typeInto(textarea, "first line\nsecond");
    expect(model.sent).toEqual([]);
    vi.advanceTimersByTime(400);
    expect(model.sent.map(strip)).toEqual([
      { type: "answer", key: "k1", question: "comment", value: "first line\nsecond" },
    ]);
  });

  it("Ctrl/Cmd+Enter sends the text, then submits, then focus is back on the root", () => {
    const { model, root } = mount();
    press(root, "Tab", { shiftKey: true });
    const textarea = document.activeElement;
    typeInto(textarea, "done");
    press(textarea, "Enter", { metaKey: true });
    expect(model.sent.map(strip)).toEqual([
      { type: "answer", key: "k1", question: "comment", value: "done" },
      { type: "submit", key: "k1" },
    ]);
    model.kernelSets("view", viewOf(record("k2"), { ack: 2, position: 1 }));
    expect(document.activeElement).toBe(root);
    expect(textarea.value).toBe("");
    vi.advanceTimersByTime(1000);
    expect(model.sent.length).toBe(2);
  });

  it("Esc leaves the text box for the root, saving on the way", () => {
    const { model, root } = mount();
    press(root, "Tab", { shiftKey: true });
    const textarea = document.activeElement;
    typeInto(textarea, "note");
    press(textarea, "Escape");
    expect(document.activeElement).toBe(root);
    expect(model.sent.map((m) => m.value)).toEqual(["note"]);
    expect(q(root, "comment").classList.contains("nbr-focused")).toBe(true);
  });

  it("keeps what the annotator is typing when a view arrives", () => {
    const { model, root } = mount();
    press(root, "Tab", { shiftKey: true });
    const textarea = document.activeElement;
    typeInto(textarea, "abc");
    vi.advanceTimersByTime(400);
    typeInto(textarea, "abcdef");
    model.kernelSets("view", viewOf(record("k1", { answers: { comment: "abc" } }), { ack: 1 }));
    expect(textarea.value).toBe("abcdef");
    expect(document.activeElement).toBe(textarea);
  });

  it("shows the saved text of a record", () => {
    const { root } = mount(CONFIG, viewOf(record("k1", { answers: { comment: "saved\ntext" } })));
    expect(q(root, "comment").querySelector("textarea").value).toBe("saved\ntext");
    expect(q(root, "comment").classList.contains("nbr-answered")).toBe(true);
  });

  it("the submit button sends pending text first", () => {
    const { model, root } = mount();
    press(root, "Tab", { shiftKey: true });
    typeInto(document.activeElement, "late");
    root.querySelector(".nbr-submit").click();
    expect(sentTypes(model)).toEqual(["answer", "submit"]);
  });
});

describe("moving between records", () => {
  it("keeps focus on the same root and resets the focused question", () => {
    const { model, root } = mount();
    press(root, "Tab");
    press(root, "Enter");
    model.kernelSets("view", viewOf(record("k2"), { ack: 1, position: 1 }));
    expect(host.querySelector(".nbr-root")).toBe(root);
    expect(document.activeElement).toBe(root);
    expect(root.querySelector(".nbr-focused").dataset.question).toBe("quality");
    expect(root.querySelector('[data-column="prompt"] .nbr-field-body').textContent).toBe("prompt of k2");
  });

  it("keeps the focused question when the same record comes back", () => {
    const { model, root } = mount();
    press(root, "Tab");
    press(root, "1");
    model.kernelSets("view", viewOf(record("k1", { answers: { topic: "a" } }), { ack: 1 }));
    expect(root.querySelector(".nbr-focused").dataset.question).toBe("topic");
  });

  it("holds keys typed during a record change and replays them on the new record", () => {
    const { model, root } = mount();
    press(root, "Enter");
    press(root, "3"); // typed ahead: meant for the next record
    press(root, "Enter");
    expect(sentTypes(model)).toEqual(["submit"]);
    model.kernelSets("view", viewOf(record("k2"), { ack: 1, position: 1 }));
    expect(model.sent.map(strip)).toEqual([
      { type: "submit", key: "k1" },
      { type: "answer", key: "k2", question: "quality", value: 3 },
      { type: "submit", key: "k2" },
    ]);
  });

  it("a typed-ahead digit means what it means on the next record's first question", () => {
    const { model, root } = mount();
    press(root, "Tab");
    press(root, "1");
    press(root, "Enter");
    press(root, "5"); // no 5th label in "topic", but it is meant for the next record's rating
    model.kernelSets("view", viewOf(record("k2"), { ack: 2, position: 1 }));
    expect(model.sent.map(strip).at(-1)).toEqual({ type: "answer", key: "k2", question: "quality", value: 5 });
  });

  it("digits that mean nothing for the focused question send nothing", () => {
    const { model, root } = mount();
    press(root, "7");
    press(root, "0");
    press(root, "Tab");
    press(root, "3");
    expect(model.sent).toEqual([]);
  });

  it("panels and Esc do not wait for the kernel", () => {
    const { root } = mount();
    press(root, "Enter");
    press(root, "g");
    expect(root.querySelector(".nbr-guidelines").hidden).toBe(false);
  });

  it("drops typed-ahead keys if the kernel never answers, and says so", () => {
    const { model, root } = mount();
    press(root, "ArrowRight");
    press(root, "4");
    vi.advanceTimersByTime(AWAIT_MS);
    expect(sentTypes(model)).toEqual(["nav"]);
    expect(root.querySelector(".nbr-notice").textContent).toBe(STALLED_TEXT);
    press(root, "4"); // keys work again
    expect(sentTypes(model)).toEqual(["nav", "answer"]);
  });

  it("times each record from when it appeared", () => {
    const { model, root } = mount();
    vi.advanceTimersByTime(1000);
    press(root, "Enter");
    vi.advanceTimersByTime(300); // the kernel's round trip
    model.kernelSets("view", viewOf(record("k2"), { ack: 1, position: 1 }));
    vi.advanceTimersByTime(2000);
    press(root, "s");
    expect(model.sent.map((m) => m.elapsed_ms)).toEqual([1000, 2000]);
  });
});

describe("keeping keys from JupyterLab", () => {
  it("stops every unmodified key, and the modified keys it uses", () => {
    const { root } = mount();
    const reached = [];
    const spy = (e) => reached.push(e.key);
    document.addEventListener("keydown", spy); // JupyterLab 4 listens here (bubbling)
    for (const k of ["d", "d", "a", "b", "m", "x", "ArrowUp", "1", "Enter"]) press(root, k);
    press(root, "Enter", { shiftKey: true });
    press(root, "z", { ctrlKey: true });
    press(root, "s", { ctrlKey: true });
    press(root, "c", { ctrlKey: true, shiftKey: true });
    document.removeEventListener("keydown", spy);
    expect(reached).toEqual(["s", "c"]);
  });

  it("marks owned keys for Lumino before its capture listener runs", () => {
    const { root } = mount();
    const marks = [];
    const spy = (e) => marks.push([e.key, e.target.getAttribute(SUPPRESS_ATTR)]);
    document.addEventListener("keydown", spy, true);
    press(root, "d");
    press(root, "s", { ctrlKey: true });
    const textarea = q(root, "comment").querySelector("textarea");
    textarea.focus();
    press(textarea, "m");
    document.removeEventListener("keydown", spy, true);
    expect(marks).toEqual([
      ["d", "true"],
      ["s", null],
      ["m", "true"],
    ]);
  });

  it("does not prevent the default of keys it does not act on", () => {
    const { root } = mount();
    expect(press(root, "ArrowDown").defaultPrevented).toBe(false);
    expect(press(root, "s", { ctrlKey: true }).defaultPrevented).toBe(false);
    expect(press(root, "Enter").defaultPrevented).toBe(true);
  });

  it("Esc hands focus back to the notebook, just before the widget so Tab comes back", () => {
    const { root } = mount();
    press(root, "Escape");
    // In the cell (command mode for JupyterLab), outside the widget, and the widget next in
    // the tab order: not the cell node, whose toolbar would take the next Tab (issue 23, 5).
    const at = document.activeElement;
    expect(notebook.contains(at) && at !== notebook).toBe(true);
    expect(at.closest(".jp-Cell")).not.toBeNull();
    expect(root.contains(at)).toBe(false);
    expect(at.nextElementSibling).toBe(root);
    root.focus();
    press(root, "Escape"); // the same mark again, not a second one
    expect(document.activeElement).toBe(at);
    expect(notebook.querySelectorAll(".nbr-release").length).toBe(1);
  });
});

describe("cleanup", () => {
  it("removes its listeners and its element", () => {
    const { model, root } = mount();
    const removed = vi.spyOn(window, "removeEventListener");
    cleanup();
    cleanup = undefined;
    expect(removed).toHaveBeenCalledWith("keydown", expect.any(Function), true);
    expect(model.listeners("change:view")).toBe(0);
    expect(model.listeners("change:config")).toBe(0);
    expect(host.contains(root)).toBe(false);
    document.body.append(root);
    press(root, "d");
    expect(root.hasAttribute(SUPPRESS_ATTR)).toBe(false);
  });

  it("sends text typed but not yet sent", () => {
    const { model, root } = mount();
    press(root, "Tab", { shiftKey: true });
    const textarea = document.activeElement;
    textarea.value = "unsent";
    textarea.dispatchEvent(new Event("input"));
    cleanup();
    cleanup = undefined;
    expect(model.sent.map((m) => m.value)).toEqual(["unsent"]);
  });

  it("rebuilds the questions when the config changes", () => {
    const { model, root } = mount();
    model.kernelSets("config", { ...CONFIG, questions: [QUESTIONS[1]] });
    expect([...root.querySelectorAll(".nbr-question")].map((e) => e.dataset.question)).toEqual(["topic"]);
    press(root, "2");
    expect(model.sent.at(-1)).toMatchObject({ question: "topic", value: "b" });
  });
});
