// @vitest-environment jsdom
// The spans question inside the widget, driven with a fake model: mouse selections, keys, the
// caret, suggestions, resizing. Offsets are JS string (UTF-16) offsets, as the kernel expects.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { keyList } from "../help.js";
import { SELECT_FIRST } from "../kinds/spans.js";
import widget from "../widget.js";
import { fakeModel, press } from "./helpers.js";

const TEXT = "👩🏽‍💻 東京: Paris is the capital of Japan 🇯🇵. Cats are dogs.";
const LABELS = ["factual", "bias", "unsupported"];
const SPANS = { name: "errors", kind: "spans", field: "response", labels: LABELS, overlap: false, required: true };
const RATING = { name: "quality", kind: "rating", scale: 5, labels: null, required: true };

function configOf(spans = {}, fields = ["prompt", "response"]) {
  return {
    name: "default",
    annotator: "alice",
    fields: fields.map((column) => ({ column, kind: "text" })),
    questions: [{ ...SPANS, ...spans }, RATING],
    guidelines: "",
    one_key: false,
  };
}

function record(key, extra = {}) {
  return {
    key,
    row: 0,
    fields: { prompt: "Where is Paris?", response: TEXT },
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
    total: 3,
    record: rec,
    progress: { total: 3, submitted: 0, skipped: 0, remaining: 3 },
    done: false,
    notice: null,
    can_undo: false,
    ...extra,
  };
}

/** The UTF-16 span of the nth occurrence of a word, as the browser sends it. */
function span(word, label = "factual", n = 0, text = TEXT) {
  let start = -1;
  for (let i = 0; i <= n; i += 1) start = text.indexOf(word, start + 1);
  return { start, end: start + word.length, label, text: word };
}

let cleanup;
let host;
function mount(config = configOf(), view = viewOf(record("k1"))) {
  host = document.createElement("div");
  document.body.append(host);
  const model = fakeModel({ config, view });
  cleanup = widget.render({ model, el: host });
  const root = host.querySelector(".nbr-root");
  root.focus();
  return { model, root };
}

const textOf = (root) => root.querySelector('.nbr-spans-text[data-question="errors"]');
const notice = (root) => root.querySelector(".nbr-notice");
const answers = (model) => model.sent.filter((m) => m.type === "answer" && m.question === "errors").map((m) => m.value);
const lastValue = (model) => answers(model).at(-1);
const tags = (root) =>
  [...textOf(root).querySelectorAll(".nbr-tag")].map((t) => [
    t.dataset.label,
    t.classList.contains("nbr-tag-suggested"),
  ]);
const items = (root) =>
  [...root.querySelectorAll(".nbr-span-item")].map((li) => [
    li.querySelector(".nbr-span-text").textContent,
    li.dataset.label,
    li.classList.contains("nbr-span-suggested"),
  ]);

/** A DOM point at a text offset (inside the segment that holds it). */
function point(el, pos) {
  for (const seg of el.querySelectorAll(".nbr-seg")) {
    const a = Number(seg.dataset.start);
    const b = Number(seg.dataset.end);
    if (pos >= a && pos <= b) return [seg.firstChild, pos - a];
  }
  throw new Error(`no segment holds ${pos}`);
}

/** Select text from start to end as a mouse drag does, then release the button. */
function mouseSelect(root, start, end, mods = {}) {
  const el = textOf(root);
  el.dispatchEvent(new MouseEvent("mousedown", { bubbles: true, button: 0 }));
  const range = document.createRange();
  range.setStart(...point(el, start));
  range.setEnd(...point(el, end));
  const sel = window.getSelection();
  sel.removeAllRanges();
  sel.addRange(range);
  el.dispatchEvent(new MouseEvent("mouseup", { bubbles: true, button: 0, ...mods }));
}

/** Click on an element inside the text (a label tag, a marked segment). */
function clickIn(el) {
  window.getSelection().removeAllRanges();
  el.dispatchEvent(new MouseEvent("mousedown", { bubbles: true, button: 0 }));
  el.dispatchEvent(new MouseEvent("mouseup", { bubbles: true, button: 0 }));
}

const tagOf = (root, label, n = 0) => textOf(root).querySelectorAll(`.nbr-tag[data-label="${label}"]`)[n];

/** The kernel saves what was sent and acknowledges it. */
function ack(model, extra = {}) {
  const last = model.sent.at(-1);
  const rec = model.get("view").record;
  const saved = last.type === "answer" ? { ...rec.answers, [last.question]: last.value } : rec.answers;
  model.kernelSets("view", viewOf({ ...rec, answers: saved, ...extra }, { ack: last.seq }));
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
  document.body.replaceChildren();
  delete document.caretRangeFromPoint;
  vi.useRealTimers();
});

describe("drawing", () => {
  it("takes over the field's text, keeping it text, with the legend and list beside it", () => {
    const { root } = mount(configOf(), viewOf(record("k1", { answers: { errors: [span("Paris"), span("Japan", "bias")] } })));
    const field = root.querySelector('.nbr-field[data-column="response"]');
    expect(field.classList.contains("nbr-field-spans")).toBe(true);
    const body = field.querySelector(".nbr-field-body");
    expect(body.textContent).toBe(TEXT); // labels are CSS, not text
    expect(body.querySelector(".nbr-spans-text")).toBe(textOf(root));
    expect(field.querySelector(".nbr-spans-panel")).not.toBeNull();
    const legend = [...field.querySelectorAll(".nbr-spans-label")].map((b) => [b.dataset.label, b.querySelector("kbd").textContent]);
    expect(legend).toEqual([
      ["factual", "1"],
      ["bias", "2"],
      ["unsupported", "3"],
    ]);
    expect(tags(root)).toEqual([
      ["factual", false],
      ["bias", false],
    ]);
    expect(items(root)).toEqual([
      ["Paris", "factual", false],
      ["Japan", "bias", false],
    ]);
    expect(root.querySelector('.nbr-question[data-question="errors"]').classList.contains("nbr-answered")).toBe(true);
    // The question itself holds the hint, not a second copy of the text.
    expect(root.querySelector('.nbr-question[data-question="errors"] .nbr-spans-host').hidden).toBe(true);
  });

  it("draws the text inside the question when the field is not shown", () => {
    const { root } = mount(configOf({}, ["prompt"]));
    const question = root.querySelector('.nbr-question[data-question="errors"]');
    expect(question.querySelector(".nbr-spans-host").hidden).toBe(false);
    expect(question.querySelector(".nbr-spans-text").textContent).toBe(TEXT);
    expect(question.querySelector(".nbr-spans-panel")).not.toBeNull();
  });

  it("never parses the text as HTML", () => {
    const hostile = '<img src=x onerror="window.__pwned=1"> and <b>bold</b>';
    const rec = record("k1", {
      fields: { prompt: "p", response: hostile },
      answers: { errors: [span("<b>bold</b>", "bias", 0, hostile)] },
    });
    const { root } = mount(configOf(), viewOf(rec));
    expect(textOf(root).textContent).toBe(hostile);
    expect(root.querySelector("img, b, script")).toBeNull();
    expect(window.__pwned).toBeUndefined();
    expect(root.querySelector(".nbr-span-text").textContent).toBe("<b>bold</b>");
  });

  it("draws nested and crossing spans on separate lanes", () => {
    const value = [span("Paris is the capital"), span("is the", "bias"), span("capital of Japan", "unsupported")];
    const { root } = mount(configOf({ overlap: true }), viewOf(record("k1", { answers: { errors: value } })));
    const el = textOf(root);
    expect(el.classList.contains("nbr-has-lanes")).toBe(true);
    expect(el.style.getPropertyValue("--nbr-lane-pad")).toBe("8px"); // two lanes
    const over = [...el.querySelectorAll(".nbr-seg")].find((s) => s.textContent === "capital");
    expect(over.dataset.marks.split(" ").length).toBe(2);
    expect(tags(root).map(([label]) => label)).toEqual(["bias", "factual", "unsupported"]);
  });

  it("says what to do, and the ? panel lists the span keys", () => {
    const { root } = mount();
    expect(root.querySelector(".nbr-spans-hint").textContent).toContain("Select text with the mouse");
    const keys = keyList(configOf()).map(([k]) => k);
    // the table's keys: prev_turn / next_turn select spans, delete_span is Backspace or Delete
    // (the literals "↑ / ↓" and "Backspace" before the keys moved into the table)
    for (const k of ["c", "← / → (caret)", "↑ / ↓ or k / j", "Backspace or Delete", "drag an edge"]) {
      expect(keys).toContain(k);
    }
    expect(keyList({ questions: [RATING] }).map(([k]) => k)).not.toContain("Backspace or Delete");
  });
});

describe("marking with the mouse", () => {
  it("snaps a selection to words; a label key marks it in UTF-16 offsets", () => {
    const { model, root } = mount();
    const capital = span("capital", "bias");
    mouseSelect(root, capital.start + 1, capital.start + 4); // "api"
    expect(root.querySelector(".nbr-spans-hint").textContent).toContain("“capital” selected");
    expect(textOf(root).querySelector(".nbr-seg-pending").textContent).toBe("capital");
    expect(window.getSelection().isCollapsed).toBe(true);
    press(root, "2");
    expect(answers(model)).toEqual([[capital]]);
    expect(capital.start).toBe(25); // 22 code points: the emoji before it take 7 units for 4
    expect(tags(root)).toEqual([["bias", false]]); // shown before the kernel answers
  });

  it("keeps character precision with Alt held", () => {
    const { model, root } = mount();
    const capital = span("capital");
    mouseSelect(root, capital.start + 1, capital.start + 4, { altKey: true });
    press(root, "1");
    expect(lastValue(model)).toEqual([{ start: capital.start + 1, end: capital.start + 4, label: "factual", text: "api" }]);
  });

  it("a selection over emoji and CJK keeps them whole", () => {
    const { model, root } = mount();
    mouseSelect(root, 2, 9); // from inside the ZWJ sequence into 東京
    press(root, "3");
    expect(lastValue(model)).toEqual([{ start: 0, end: 10, label: "unsupported", text: "👩🏽‍💻 東京" }]);
  });

  it("clicking a label marks the selection too", () => {
    const { model, root } = mount();
    mouseSelect(root, span("dogs").start, span("dogs").end);
    root.querySelector('.nbr-spans-label[data-label="unsupported"]').click();
    expect(lastValue(model)).toEqual([span("dogs", "unsupported")]);
    expect(document.activeElement).toBe(root);
  });

  it("a label key without a selection says how to select", () => {
    const { model, root } = mount();
    press(root, "1");
    expect(model.sent).toEqual([]);
    expect(notice(root).hidden).toBe(false);
    expect(notice(root).textContent).toBe(SELECT_FIRST);
  });

  it("refuses an overlapping span with a visible message, and sends nothing", () => {
    const { model, root } = mount(configOf(), viewOf(record("k1", { answers: { errors: [span("Paris")] } })));
    mouseSelect(root, span("Paris is").start, span("Paris is").end);
    press(root, "2");
    expect(model.sent).toEqual([]);
    expect(notice(root).dataset.kind).toBe("error");
    // dataset text sits in bidi isolates (FSI … PDI), so right-to-left text keeps its place
    expect(notice(root).textContent).toBe(
      "“\u2068Paris is\u2069” overlaps “\u2068Paris\u2069” (\u2068factual\u2069): spans may not overlap in this question.",
    );
  });

  it("takes nested and crossing spans when overlap is allowed", () => {
    const { model, root } = mount(configOf({ overlap: true }), viewOf(record("k1", { answers: { errors: [span("Paris is")] } })));
    mouseSelect(root, span("is the").start, span("is the").end);
    press(root, "2");
    expect(lastValue(model)).toEqual([span("Paris is"), span("is the", "bias")]);
  });
});

describe("editing spans", () => {
  const two = () => viewOf(record("k1", { answers: { errors: [span("Paris"), span("Japan", "bias")] } }));

  it("click a span, relabel it by key, delete it with Backspace", () => {
    const { model, root } = mount(configOf(), two());
    clickIn(tagOf(root, "factual"));
    expect(root.querySelector(".nbr-span-item.nbr-selected").dataset.label).toBe("factual");
    expect(textOf(root).querySelectorAll(".nbr-handle").length).toBe(2);
    press(root, "3");
    expect(lastValue(model)).toEqual([span("Paris", "unsupported"), span("Japan", "bias")]);
    ack(model);
    expect(root.querySelector(".nbr-span-item.nbr-selected").dataset.label).toBe("unsupported");
    const e = press(root, "Backspace");
    expect(e.defaultPrevented).toBe(true);
    expect(lastValue(model)).toEqual([span("Japan", "bias")]);
  });

  it("deletes, selects and puts the caret with the table's keys, remapped (Review(keys=))", () => {
    const keys = { delete_span: ["x"], next_turn: ["n"], prev_turn: ["p"], caret: ["w"] };
    const { model, root } = mount({ ...configOf(), keys }, two());
    const selected = () => root.querySelector(".nbr-span-item.nbr-selected")?.dataset.label ?? null;
    press(root, "ArrowDown"); // the old keys do nothing now
    expect(selected()).toBeNull();
    press(root, "n");
    expect(selected()).toBe("factual");
    press(root, "n");
    expect(selected()).toBe("bias");
    press(root, "p");
    expect(selected()).toBe("factual");
    expect(root.querySelector(".nbr-spans-hint").textContent).toContain("x delete");
    const sent = answers(model).length;
    press(root, "Backspace");
    press(root, "Delete");
    expect(answers(model).length).toBe(sent);
    press(root, "x");
    expect(lastValue(model)).toEqual([span("Japan", "bias")]);
    press(root, "c");
    expect(root.querySelector(".nbr-spans-hint").textContent).not.toContain("Caret:");
    press(root, "w");
    expect(root.querySelector(".nbr-spans-hint").textContent).toContain("Caret:");
    const help = keyList({ ...configOf(), keys }).map(([k]) => k);
    for (const k of ["w", "p / n", "x"]) expect(help).toContain(k);
    expect(help).not.toContain("Backspace or Delete");
  });

  it("clicking marked text picks the innermost span, and again the next one", () => {
    const value = [span("Paris is the"), span("is", "bias", 1)];
    const { root } = mount(configOf({ overlap: true }), viewOf(record("k1", { answers: { errors: value } })));
    const seg = () => [...textOf(root).querySelectorAll(".nbr-seg")].find((s) => s.textContent === "is");
    clickIn(seg());
    expect(root.querySelector(".nbr-span-item.nbr-selected").dataset.label).toBe("bias");
    clickIn(seg());
    expect(root.querySelector(".nbr-span-item.nbr-selected").dataset.label).toBe("factual");
    clickIn([...textOf(root).querySelectorAll(".nbr-seg")].find((s) => s.textContent.includes("Cats")));
    expect(root.querySelector(".nbr-span-item.nbr-selected")).toBeNull();
  });

  it("↑/↓ step through the spans in text order; Esc unselects", () => {
    const { model, root } = mount(configOf(), two());
    const selected = () => root.querySelector(".nbr-span-item.nbr-selected")?.dataset.label ?? null;
    press(root, "ArrowDown");
    expect(selected()).toBe("factual");
    press(root, "ArrowDown");
    expect(selected()).toBe("bias");
    press(root, "ArrowDown");
    expect(selected()).toBe("factual");
    press(root, "ArrowUp");
    expect(selected()).toBe("bias");
    press(root, "Escape");
    expect(selected()).toBeNull();
    expect(press(root, "Backspace").defaultPrevented).toBe(false); // nothing selected: not ours
    expect(model.sent).toEqual([]);
  });

  it("the list is in text order; clicking an entry selects, ✕ deletes", () => {
    const { model, root } = mount(configOf(), two());
    expect(items(root).map(([t]) => t)).toEqual(["Paris", "Japan"]);
    root.querySelectorAll(".nbr-span-item")[1].click();
    expect(root.querySelectorAll(".nbr-span-item")[1].classList.contains("nbr-selected")).toBe(true);
    expect(textOf(root).querySelector(".nbr-tag-selected").dataset.label).toBe("bias");
    root.querySelectorAll(".nbr-span-item .nbr-span-delete")[0].click();
    expect(lastValue(model)).toEqual([span("Japan", "bias")]);
    expect(document.activeElement).toBe(root);
  });

  it("drags an edge to resize, snapping to words unless Alt is held", () => {
    const { model, root } = mount(configOf(), two());
    clickIn(tagOf(root, "factual"));
    const el = textOf(root);
    let at = 0;
    document.caretRangeFromPoint = () => {
      const r = document.createRange();
      r.setStart(...point(el, at));
      return r;
    };
    const handle = el.querySelector('.nbr-handle[data-edge="end"]');
    handle.dispatchEvent(new MouseEvent("mousedown", { bubbles: true, button: 0 }));
    at = span("the").start + 2; // into "the": snaps to its end
    window.dispatchEvent(new MouseEvent("mousemove", { clientX: 1, clientY: 1 }));
    expect(textOf(root).querySelector(".nbr-tag-selected")).not.toBeNull();
    window.dispatchEvent(new MouseEvent("mouseup", { clientX: 1, clientY: 1 }));
    expect(lastValue(model)).toEqual([span("Paris is the"), span("Japan", "bias")]);
    ack(model);

    clickIn(tagOf(root, "factual"));
    at = span("Paris").start + 2;
    textOf(root).querySelector('.nbr-handle[data-edge="start"]').dispatchEvent(new MouseEvent("mousedown", { bubbles: true, button: 0 }));
    window.dispatchEvent(new MouseEvent("mouseup", { altKey: true }));
    expect(lastValue(model)).toEqual([{ ...span("Paris is the"), start: span("Paris").start + 2, text: "ris is the" }, span("Japan", "bias")]);
  });

  it("a resize that would overlap is refused", () => {
    const { model, root } = mount(configOf(), two());
    clickIn(tagOf(root, "factual"));
    const el = textOf(root);
    document.caretRangeFromPoint = () => {
      const r = document.createRange();
      r.setStart(...point(el, span("Japan").end));
      return r;
    };
    el.querySelector('.nbr-handle[data-edge="end"]').dispatchEvent(new MouseEvent("mousedown", { bubbles: true, button: 0 }));
    window.dispatchEvent(new MouseEvent("mouseup", {}));
    expect(model.sent).toEqual([]);
    expect(notice(root).textContent).toContain("overlaps “\u2068Japan\u2069” (\u2068bias\u2069)");
  });

  it("a span the kernel refuses goes away again, with the kernel's message", () => {
    const { model, root } = mount();
    mouseSelect(root, span("Cats").start, span("Cats").end);
    press(root, "1");
    expect(items(root).length).toBe(1);
    const text = "errors: the span 46–50 labelled 'factual' is refused: its text 'x' is not the text there";
    model.kernelSets("view", viewOf(record("k1"), { ack: 1, notice: { kind: "error", text } }));
    expect(items(root)).toEqual([]);
    expect(notice(root).textContent).toBe(text);
  });
});

describe("the keyboard caret", () => {
  it("c, arrows by word, Shift extends, a label key marks, Esc leaves", () => {
    const { model, root } = mount();
    press(root, "c");
    expect(textOf(root).classList.contains("nbr-caret-mode")).toBe(true);
    expect(textOf(root).querySelector(".nbr-caret").dataset.at).toBe("0");
    for (let i = 0; i < 3; i += 1) press(root, "ArrowRight"); // 👩🏽‍💻 東京 : Paris
    expect(textOf(root).querySelector(".nbr-caret").dataset.at).toBe(String(span("Paris").start));
    press(root, "ArrowRight", { shiftKey: true });
    press(root, "ArrowRight", { shiftKey: true });
    expect(root.querySelector(".nbr-spans-hint").textContent).toContain("“Paris is”");
    press(root, "2");
    expect(lastValue(model)).toEqual([span("Paris is", "bias")]);
    // The caret stays after the new span, ready for the next one.
    expect(textOf(root).querySelector(".nbr-caret").dataset.at).toBe(String(span("Paris is").end));
    press(root, "ArrowRight");
    press(root, "ArrowRight", { shiftKey: true });
    press(root, "ArrowLeft", { shiftKey: true });
    press(root, "ArrowRight", { shiftKey: true });
    press(root, "1");
    expect(lastValue(model)).toEqual([span("Paris is", "bias"), span("the")]);
    expect(model.sent.filter((m) => m.type === "nav")).toEqual([]); // arrows moved the caret only
    press(root, "Escape");
    expect(textOf(root).querySelector(".nbr-caret")).toBeNull();
    press(root, "ArrowRight");
    expect(model.sent.at(-1)).toMatchObject({ type: "nav", to: "next" });
  });

  it("Home and End, and a caret that leaves with the focus", () => {
    const { root } = mount();
    press(root, "c");
    press(root, "End");
    expect(textOf(root).querySelector(".nbr-caret").dataset.at).toBe(String(TEXT.length));
    press(root, "Home", { shiftKey: true });
    expect(textOf(root).querySelector(".nbr-seg-pending").textContent).toBe(TEXT);
    press(root, "Tab"); // to the rating: caret mode ends
    expect(textOf(root).querySelector(".nbr-caret")).toBeNull();
    expect(press(root, "ArrowLeft").defaultPrevented).toBe(true);
  });

  it("keys in caret mode never reach the notebook", () => {
    const { root } = mount();
    const reached = [];
    const spy = (e) => reached.push(e.key);
    document.addEventListener("keydown", spy);
    for (const k of ["c", "ArrowRight", "ArrowLeft", "Home", "End", "Backspace", "ArrowDown", "Escape"]) press(root, k);
    document.removeEventListener("keydown", spy);
    expect(reached).toEqual([]);
  });
});

describe("suggested spans", () => {
  const suggested = () =>
    viewOf(record("k1", { suggestions: { errors: [span("Paris", "bias"), span("Japan"), span("dogs", "unsupported")] } }));

  it("are drawn apart until accepted, and a accepts them all", () => {
    const { model, root } = mount(configOf(), suggested());
    expect(tags(root)).toEqual([
      ["bias", true],
      ["factual", true],
      ["unsupported", true],
    ]);
    expect(items(root).every(([, , s]) => s)).toBe(true);
    expect(root.querySelector(".nbr-accept").hidden).toBe(false);
    expect(root.querySelector('.nbr-question[data-question="errors"] .nbr-suggested-tag').hidden).toBe(false);
    press(root, "a");
    expect(model.sent.map((m) => m.type)).toEqual(["accept"]);
    expect(tags(root).every(([, s]) => !s)).toBe(true);
  });

  it("one by one: accept from the list, reject with Backspace, then a accepts the rest", () => {
    const { model, root } = mount(configOf(), suggested());
    root.querySelectorAll(".nbr-span-accept")[1].click(); // Japan
    expect(lastValue(model)).toEqual([span("Japan")]);
    ack(model, { suggestions: {} }); // an answer exists: the kernel stops suggesting
    expect(items(root)).toEqual([
      ["Paris", "bias", true],
      ["Japan", "factual", false],
      ["dogs", "unsupported", true],
    ]);
    expect(root.querySelector(".nbr-accept").hidden).toBe(false);
    expect(root.querySelector(".nbr-span-item.nbr-selected .nbr-span-text").textContent).toBe("Japan");
    press(root, "ArrowUp"); // Paris (suggested)
    press(root, "Backspace"); // rejected
    expect(lastValue(model)).toEqual([span("Japan")]);
    expect(items(root).map(([t]) => t)).toEqual(["Japan", "dogs"]);
    press(root, "a");
    expect(lastValue(model)).toEqual([span("Japan"), span("dogs", "unsupported")]);
    expect(model.sent.filter((m) => m.type === "accept")).toEqual([]);
    expect(root.querySelector(".nbr-accept").hidden).toBe(true);
  });

  it("a label key on a selected suggestion accepts it with that label", () => {
    const { model, root } = mount(configOf(), suggested());
    press(root, "ArrowDown");
    press(root, "1");
    expect(lastValue(model)).toEqual([span("Paris", "factual")]);
  });

  it("rejecting the first suggestion saves the empty answer; the others stay suggested", () => {
    const { model, root } = mount(configOf(), suggested());
    root.querySelectorAll(".nbr-span-delete")[0].click();
    expect(lastValue(model)).toEqual([]);
    ack(model, { suggestions: {} });
    expect(items(root).map(([t, , s]) => [t, s])).toEqual([
      ["Japan", true],
      ["dogs", true],
    ]);
  });

  it("are forgotten with the record, and come back after an undo", () => {
    const { model, root } = mount(configOf(), suggested());
    root.querySelectorAll(".nbr-span-accept")[0].click();
    ack(model, { suggestions: {} });
    model.kernelSets("view", viewOf(record("k1", { suggestions: suggested().record.suggestions }), { ack: 2 }));
    expect(items(root).every(([, , s]) => s)).toBe(true);
    expect(items(root).length).toBe(3);
    model.kernelSets("view", viewOf(record("k2"), { ack: 3, position: 1 }));
    expect(items(root)).toEqual([]);
  });
});
