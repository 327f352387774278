// @vitest-environment jsdom
// The preference question inside the widget, with a fake model: the sides come from the
// kernel's layout, keys 1/2/3 answer with the FIELD's name (never the side), strength keys,
// and the compared fields are drawn once, without their column names.
import { afterEach, describe, expect, it } from "vitest";
import { keyList } from "../help.js";
import { answerForSide, CHOOSE_FIRST, sidesOf } from "../kinds/preference.js";
import widget from "../widget.js";
import { mountWidget, press, unmountAll } from "./helpers.js";

const PREF = { name: "better", kind: "preference", fields: ["model_a", "model_b"], allow_tie: true, strength: false, required: true };

function configOf(question = PREF, fields = ["prompt", "model_a", "model_b"]) {
  return {
    name: "default",
    annotator: "alice",
    fields: fields.map((column) => ({ column, kind: "text" })),
    questions: [question],
    guidelines: "",
    one_key: false,
  };
}

function viewOf(order, extra = {}, key = "k1") {
  return {
    ack: 0,
    position: 0,
    total: 2,
    record: {
      key,
      row: 0,
      fields: { prompt: "Say hi.", model_a: "Hello from A", model_b: "<b>Hi</b> from B" },
      answers: {},
      suggestions: {},
      status: null,
      layout: { better: { order } },
      ...extra,
    },
    progress: { total: 2, submitted: 0, skipped: 0, remaining: 2 },
    done: false,
    notice: null,
    can_undo: false,
  };
}

function mount(config, view) {
  return mountWidget(widget, config, view);
}

afterEach(() => {
  unmountAll();
});

const pane = (root, side) => root.querySelector(`.nbr-pref-pane[data-side="${side}"]`);
const sent = (model, name = "better") =>
  model.sent.filter((m) => m.type === "answer" && m.question === name).map((m) => m.value);

describe("sidesOf and answerForSide", () => {
  it("take the kernel's order, and fall back to the fields in order", () => {
    expect(sidesOf(PREF, { layout: { better: { order: ["model_b", "model_a"] } } })).toEqual(["model_b", "model_a"]);
    expect(sidesOf(PREF, { layout: {} })).toEqual(["model_a", "model_b"]);
    expect(sidesOf(PREF, { layout: { better: { order: ["model_b", "other"] } } })).toEqual(["model_a", "model_b"]);
    expect(answerForSide(PREF, ["model_b", "model_a"], 1)).toBe("model_b");
    expect(answerForSide(PREF, ["model_b", "model_a"], 3)).toBe("tie");
    expect(answerForSide({ ...PREF, allow_tie: false }, ["model_b", "model_a"], 3)).toBeUndefined();
  });
});

describe("preference question", () => {
  it("draws the two fields side by side in the kernel's order, each once", () => {
    const { root } = mount(configOf(), viewOf(["model_b", "model_a"]));
    expect(pane(root, "left").dataset.column).toBe("model_b");
    expect(pane(root, "right").dataset.column).toBe("model_a");
    expect(pane(root, "left").textContent).toContain("<b>Hi</b> from B");
    expect(pane(root, "left").querySelector("b")).toBeNull(); // text, not markup
    // the list's own copies are hidden; the prompt is not
    const listed = (c) => root.querySelector(`.nbr-fields > .nbr-field[data-column="${c}"]`);
    expect(listed("model_a").hidden).toBe(true);
    expect(listed("model_b").hidden).toBe(true);
    expect(listed("prompt").hidden).toBe(false);
    // no column name gives a side away
    expect(root.querySelector(".nbr-question").textContent).not.toContain("model_");
  });

  it("stores the field name of the side chosen, never the side", () => {
    const { model, root } = mount(configOf(), viewOf(["model_b", "model_a"]));
    press(root, "1");
    expect(sent(model)).toEqual(["model_b"]);
    expect(pane(root, "left").classList.contains("nbr-chosen")).toBe(true);
    press(root, "2");
    press(root, "3");
    expect(sent(model)).toEqual(["model_b", "model_a", "tie"]);
    expect(pane(root, "left").classList.contains("nbr-tied")).toBe(true);
  });

  it("maps 1 to the first field when the sides are not swapped", () => {
    const { model, root } = mount(configOf(), viewOf(["model_a", "model_b"]));
    press(root, "1");
    expect(sent(model)).toEqual(["model_a"]);
  });

  it("answers from the buttons too", () => {
    const { model, root } = mount(configOf(), viewOf(["model_b", "model_a"]));
    root.querySelector('.nbr-pref-choice[data-side="right"]').click();
    expect(sent(model)).toEqual(["model_a"]);
    expect(root.querySelector('.nbr-pref-choice[data-side="right"]').classList.contains("nbr-selected")).toBe(true);
  });

  it("has no tie without allow_tie", () => {
    const { model, root } = mount(configOf({ ...PREF, allow_tie: false }), viewOf(["model_a", "model_b"]));
    expect(root.querySelector('.nbr-pref-choice[data-side="tie"]')).toBeNull();
    press(root, "3");
    expect(sent(model)).toEqual([]);
  });

  it("asks for strength after a side, and clears it on a tie", () => {
    const question = { ...PREF, strength: true };
    const { model, root } = mount(configOf(question), viewOf(["model_b", "model_a"]));
    press(root, "5");
    expect(root.querySelector(".nbr-notice").textContent).toBe(CHOOSE_FIRST);
    press(root, "2");
    press(root, "5");
    expect(sent(model)).toEqual(["model_a"]);
    expect(sent(model, "better_strength")).toEqual(["much"]);
    expect(root.querySelector('.nbr-pref-strength[data-value="much"]').classList.contains("nbr-selected")).toBe(true);
    press(root, "3");
    expect(sent(model, "better_strength")).toEqual(["much", null]);
  });

  it("is not ready to submit until a chosen side has its strength", () => {
    const question = { ...PREF, strength: true };
    const { model, root } = mount(configOf(question), viewOf(["model_b", "model_a"]));
    const ready = () => root.querySelector(".nbr-submit").classList.contains("nbr-ready");
    press(root, "2");
    expect(ready()).toBe(false);
    press(root, "Enter"); // the kernel refuses it: the question is marked where it lacks
    expect(root.querySelector(".nbr-question").classList.contains("nbr-missing")).toBe(true);
    const refused = { kind: "error", text: "Answer the required questions first: better_strength" };
    const chosen = viewOf(["model_b", "model_a"], { answers: { better: "model_a" } });
    model.kernelSets("view", { ...chosen, ack: 2, notice: refused });
    press(root, "4");
    expect(root.querySelector(".nbr-question").classList.contains("nbr-missing")).toBe(false);
    expect(ready()).toBe(true);
    press(root, "3"); // a tie needs no strength
    expect(ready()).toBe(true);
  });

  it("lists each annotator's strength beside their choice when adjudicating, and uses it", () => {
    const question = { ...PREF, strength: true };
    const others = {
      alice: { better: "model_a", better_strength: "much" },
      bob: { better: "model_b", better_strength: "slightly" },
    };
    const { model, root } = mount(configOf(question), viewOf(["model_b", "model_a"], { others }));
    const rows = [...root.querySelectorAll(".nbr-others-table tbody tr")];
    expect(rows.map((r) => r.dataset.question)).toEqual(["better", "better_strength"]);
    expect(rows[1].textContent).toContain("much");
    expect(rows[1].textContent).toContain("slightly");
    root.querySelector('tr[data-question="better"] .nbr-use').click(); // alice's choice
    rows[1].querySelector(".nbr-use").click(); // and her strength
    expect(sent(model)).toEqual(["model_a"]);
    expect(sent(model, "better_strength")).toEqual(["much"]);
  });

  it("shows a suggestion dashed, accepted with a", () => {
    const { model, root } = mount(configOf(), viewOf(["model_b", "model_a"], { suggestions: { better: "model_a" } }));
    expect(pane(root, "right").classList.contains("nbr-suggested")).toBe(true);
    press(root, "a");
    expect(model.sent.at(-1)).toMatchObject({ type: "accept" });
  });

  it("redraws the sides for the next record", () => {
    const { model, root } = mount(configOf(), viewOf(["model_b", "model_a"]));
    model.kernelSets("view", viewOf(["model_a", "model_b"], {}, "k2"));
    expect(pane(root, "left").dataset.column).toBe("model_a");
    press(root, "1");
    expect(model.sent.at(-1)).toMatchObject({ key: "k2", value: "model_a" });
  });

  it("renders a markdown field in its pane as the field list would", () => {
    const config = configOf();
    config.fields = config.fields.map((f) => (f.column === "model_a" ? { ...f, kind: "markdown" } : f));
    const view = viewOf(["model_b", "model_a"]);
    view.record.fields.model_a = "**Hello** from A";
    const { root } = mount(config, view);
    expect(pane(root, "right").querySelector("strong")?.textContent).toBe("Hello");
    expect(pane(root, "left").querySelector("b")).toBeNull(); // a text field stays text
  });

  it("lists its keys in the help", () => {
    const keys = keyList(configOf({ ...PREF, strength: true })).map(([k]) => k);
    expect(keys).toEqual(expect.arrayContaining(["1 / 2", "3", "4 / 5"]));
  });
});
