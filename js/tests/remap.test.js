// @vitest-environment jsdom
// Keys the reviewer chose (contract B): config.keys for actions, question.keys for options.
// The keys drive the widget, and the "?" panel and every hint show the keys in force.
import { afterEach, describe, expect, it } from "vitest";
import { keyList } from "../help.js";
import widget from "../widget.js";
import { mountWidget, press, unmountAll } from "./helpers.js";

const KEYS = { submit: ["x"], skip: ["Alt+k"], next: ["l"], prev: ["h"], help: ["F1"], guidelines: ["Ctrl+g"] };
const CONFIG = {
  name: "d",
  annotator: "a",
  fields: [{ column: "p", kind: "text" }],
  questions: [
    { name: "verdict", kind: "label", labels: ["accept", "reject"], required: true, keys: ["y", "n"] },
    { name: "flags", kind: "multilabel", labels: ["x1", "x2"], required: false },
  ],
  guidelines: "Be fair.",
  keys: KEYS,
};
const record = (key) => ({ key, row: 0, fields: { p: "text" }, answers: {}, suggestions: {}, status: null });
const view = { ack: 0, position: 1, index: 1, total: 3, record: record("k1"), notice: null, can_undo: true };

afterEach(unmountAll);

describe("remapped keys", () => {
  it("drive the review", () => {
    const { model, root } = mountWidget(widget, CONFIG, view);
    press(root, "n");
    expect(press(root, "Enter").defaultPrevented).toBe(false); // Enter is nobody's now
    press(root, "x");
    expect(model.sent.map((m) => [m.type, m.value])).toEqual([["answer", "reject"], ["submit", undefined]]);
    model.kernelSets("view", { ...view, ack: 2 });
    press(root, "k", { altKey: true });
    model.kernelSets("view", { ...view, ack: 3 });
    press(root, "l");
    model.kernelSets("view", { ...view, ack: 4 });
    press(root, "h");
    expect(model.sent.slice(2).map((m) => [m.type, m.to])).toEqual([["skip", undefined], ["nav", "next"], ["nav", "prev"]]);
    press(root, "F1");
    expect(root.querySelector(".nbr-help").hidden).toBe(false);
    press(root, "g", { ctrlKey: true });
    expect(root.querySelector(".nbr-guidelines").hidden).toBe(false);
  });

  it("show on the buttons, the options and in the ? panel", () => {
    const { root } = mountWidget(widget, CONFIG, view);
    expect(root.querySelector(".nbr-submit").textContent).toBe("Submit (x)");
    expect(root.querySelector(".nbr-skip").textContent).toBe("Skip (Alt+K)");
    expect(root.querySelector(".nbr-next").title).toBe("next record (l)");
    expect(root.querySelector(".nbr-guidelines-toggle").textContent).toBe("Guidelines (Ctrl+G / ⌘G)");
    expect(root.querySelector(".nbr-help-toggle").textContent).toBe("Keys (F1)");
    const verdict = root.querySelector('.nbr-question[data-question="verdict"]');
    expect([...verdict.querySelectorAll(".nbr-option kbd")].map((k) => k.textContent)).toEqual(["y", "n"]);
    expect(verdict.querySelector(".nbr-option").title).toBe("key y");
    const rows = keyList(CONFIG);
    expect(rows).toContainEqual(["x", "submit and open the next record without an answer"]);
    expect(rows).toContainEqual(["h / l", "previous / next record"]);
    expect(rows).toContainEqual(["y / n", "verdict: y = accept · n = reject"]);
    expect(rows.map(([k]) => k)).not.toContain("Enter");
    expect(root.querySelector(".nbr-help").textContent).toContain("Alt+K");
  });

  it("keep the defaults without config.keys, as contract B lists them", () => {
    const { root } = mountWidget(widget, { ...CONFIG, keys: undefined }, view);
    expect(root.querySelector(".nbr-submit").textContent).toBe("Submit (Enter)");
    expect(root.querySelector(".nbr-skip").textContent).toBe("Skip (s)");
    expect(root.querySelector(".nbr-prev").title).toBe("previous record (←)");
    expect(root.querySelector(".nbr-undo").title).toBe("undo the last change (Ctrl+Z / ⌘Z)");
    expect(root.querySelector(".nbr-raw-toggle").hidden).toBe(true);
  });
});
