// @vitest-environment jsdom
// What a newcomer hit (issue 16), with a fake model: right-to-left text, "nothing to mark" for a
// required spans question, Tab onto an edit, the preference row in key order, no guidelines.
import { afterEach, describe, expect, it } from "vitest";
import { keyList } from "../help.js";
import { MARKED_FIRST } from "../kinds/spans.js";
import widget from "../widget.js";
import { mountWidget, press, unmountAll } from "./helpers.js";

const ARABIC = "عاصمة فرنسا هي برلين.";
const SPANS = { name: "errors", kind: "spans", field: "response", labels: ["خطأ", "bias"], overlap: false, required: true };
const EDIT = { name: "fixed", kind: "edit", field: "response", required: true };
const LABEL = { name: "verdict", kind: "label", labels: ["قبول", "رفض"], required: true };
const PREF = { name: "better", kind: "preference", fields: ["a", "b"], allow_tie: true, strength: false, required: true };

function configOf(questions, { fields = ["prompt", "response"], guidelines = "" } = {}) {
  return {
    name: "default",
    annotator: "alice",
    fields: fields.map((column) => ({ column, kind: column === "chat" ? "chat" : "text" })),
    questions,
    guidelines,
    one_key: false,
  };
}

function viewOf(extra = {}) {
  return {
    ack: 0,
    position: 0,
    total: 2,
    record: {
      key: "k1",
      row: 0,
      fields: { prompt: "ما هي عاصمة فرنسا؟", response: ARABIC, a: "left text", b: "right text" },
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

const q = (root, name) => root.querySelector(`.nbr-question[data-question="${name}"]`);
const answers = (model, name) =>
  model.sent.filter((m) => m.type === "answer" && m.question === name).map((m) => m.value);

afterEach(unmountAll);

describe("right-to-left text", () => {
  it("puts dir=auto on every field, message, span text, editor and option", () => {
    const config = configOf([SPANS, EDIT, LABEL, { name: "note", kind: "freetext", required: false }], {
      fields: ["prompt", "response", "chat"],
    });
    const chat = [{ role: "user", content: "שלום, **עולם**" }];
    const { root } = mountWidget(widget, config, viewOf({ fields: { prompt: "؟", response: ARABIC, chat } }));
    const auto = (el) => el?.getAttribute("dir");
    expect(auto(root.querySelector('.nbr-field[data-column="prompt"] .nbr-field-body'))).toBe("auto");
    expect(auto(root.querySelector(".nbr-message .nbr-raw-text"))).toBe("auto");
    expect(auto(root.querySelector(".nbr-message .nbr-rendered p"))).toBe("auto"); // per block
    expect(auto(root.querySelector(".nbr-spans-text"))).toBe("auto");
    expect(auto(q(root, "fixed").querySelector("textarea"))).toBe("auto");
    expect(auto(q(root, "fixed").querySelector(".nbr-diff"))).toBe("auto");
    expect(auto(q(root, "note").querySelector("textarea"))).toBe("auto");
    const labels = [...q(root, "verdict").querySelectorAll(".nbr-option-label")];
    expect(labels.map(auto)).toEqual(["auto", "auto"]);
    expect(auto(root.querySelector(".nbr-spans-label-text"))).toBe("auto");
  });
});

describe("a required spans question with nothing to mark", () => {
  it("0 and the button answer []; the list and keys say so", () => {
    const { model, root } = mountWidget(widget, configOf([SPANS]), viewOf());
    const button = root.querySelector(".nbr-spans-none");
    expect(button.textContent).toContain("nothing to mark");
    expect(button.querySelector("kbd").textContent).toBe("0");
    press(root, "0");
    expect(answers(model, "errors")).toEqual([[]]);
    expect(keyList(configOf([SPANS])).some(([k, what]) => k === "0" && what.includes("nothing to mark"))).toBe(true);
    model.kernelSets("view", viewOf({ answers: { errors: [] } }));
    expect(button.getAttribute("aria-pressed")).toBe("true");
    expect(root.querySelector(".nbr-spans-empty").textContent).toMatch(/^Nothing to mark ✓/);
  });

  it("quotes right-to-left text in the hint inside a bdi, so it keeps its place", () => {
    const marked = [{ start: 12, end: 17, label: "خطأ", text: ARABIC.slice(12, 17) }];
    const { root } = mountWidget(widget, configOf([SPANS]), viewOf({ answers: { errors: marked } }));
    press(root, "ArrowDown"); // select the span
    const hint = root.querySelector(".nbr-spans-hint");
    expect([...hint.querySelectorAll("bdi")].map((b) => b.textContent)).toEqual([ARABIC.slice(12, 17), "خطأ"]);
    expect(hint.textContent).toContain(`“${ARABIC.slice(12, 17)}” (خطأ)`); // no control characters
  });

  it("rejects undecided suggestions, and asks before deleting marked spans", () => {
    const suggested = [{ start: 12, end: 17, label: "خطأ", text: ARABIC.slice(12, 17) }];
    const { model, root } = mountWidget(widget, configOf([SPANS]), viewOf({ suggestions: { errors: suggested } }));
    root.querySelector(".nbr-spans-none").click();
    expect(answers(model, "errors")).toEqual([[]]);

    unmountAll();
    const marked = mountWidget(widget, configOf([SPANS]), viewOf({ answers: { errors: suggested } }));
    press(marked.root, "0");
    expect(answers(marked.model, "errors")).toEqual([]);
    expect(marked.root.querySelector(".nbr-notice").textContent).toBe(MARKED_FIRST(1));
  });
});

describe("Tab onto an edit", () => {
  it("focuses the question, so 0 means no change needed; e enters the box", () => {
    const { model, root } = mountWidget(widget, configOf([SPANS, EDIT]), viewOf());
    press(root, "Tab");
    expect(q(root, "fixed").classList.contains("nbr-focused")).toBe(true);
    expect(document.activeElement).toBe(root);
    press(root, "0");
    expect(answers(model, "fixed")).toEqual([ARABIC]);
    press(root, "e");
    expect(document.activeElement).toBe(q(root, "fixed").querySelector("textarea"));
  });
});

describe("preference buttons", () => {
  it("read in key order: 1 · 2 · 3", () => {
    const { root } = mountWidget(widget, configOf([PREF]), viewOf());
    const keys = [...root.querySelectorAll(".nbr-pref-choice kbd")].map((k) => k.textContent);
    expect(keys).toEqual(["1", "2", "3"]);
  });
});

describe("a review without guidelines", () => {
  it("shows no guidelines control, and g says there are none", () => {
    const { root } = mountWidget(widget, configOf([LABEL]), viewOf());
    expect(root.querySelector(".nbr-guidelines-toggle").hidden).toBe(true);
    press(root, "g");
    expect(root.querySelector(".nbr-guidelines").hidden).toBe(true);
    expect(root.querySelector(".nbr-notice").textContent).toBe("No guidelines were given for this review.");
    expect(root.querySelector(".nbr-help").textContent).not.toContain("show or hide the guidelines");
  });

  it("keeps the control when there are guidelines", () => {
    const { root } = mountWidget(widget, configOf([LABEL], { guidelines: "Be fair." }), viewOf());
    expect(root.querySelector(".nbr-guidelines-toggle").hidden).toBe(false);
    press(root, "g");
    expect(root.querySelector(".nbr-guidelines").hidden).toBe(false);
  });
});
