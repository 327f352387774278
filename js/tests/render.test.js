// @vitest-environment jsdom
import { describe, expect, it, vi } from "vitest";
import { append, h, setFlag, setText } from "../dom.js";
import { fieldText, renderFields } from "../fields.js";
import { buildHelp, keyList } from "../help.js";
import { buildProgress, progressText } from "../progress.js";
import { buildQuestion } from "../questions.js";

const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';

describe("dom helpers", () => {
  it("h sets class, dataset, attributes, listeners and text children", () => {
    const onclick = vi.fn();
    const el = h("button", { class: "a b", dataset: { value: "1" }, title: "t", hidden: true, onclick }, "x", 2, null);
    expect(el.className).toBe("a b");
    expect(el.dataset.value).toBe("1");
    expect(el.getAttribute("title")).toBe("t");
    expect(el.hidden).toBe(true);
    expect(el.textContent).toBe("x2");
    el.click();
    expect(onclick).toHaveBeenCalledOnce();
  });
  it("never parses strings as HTML", () => {
    const el = h("div", {}, HOSTILE);
    append(el, [HOSTILE]);
    expect(el.children.length).toBe(0);
    expect(el.textContent).toBe(HOSTILE + HOSTILE);
  });
  it("setText and setFlag", () => {
    const el = h("div");
    setText(el, "a");
    expect(el.textContent).toBe("a");
    setFlag(el, "disabled", true);
    expect(el.hasAttribute("disabled")).toBe(true);
    setFlag(el, "disabled", false);
    expect(el.hasAttribute("disabled")).toBe(false);
  });
});

describe("fields", () => {
  it("turns values into text", () => {
    expect(fieldText("a\n  b")).toBe("a\n  b");
    expect(fieldText(null)).toBe("");
    expect(fieldText(undefined)).toBe("");
    expect(fieldText(3)).toBe("3");
    expect(fieldText(false)).toBe("false");
    expect(fieldText({ a: 1 })).toBe('{\n  "a": 1\n}');
    expect(fieldText([1, 2])).toBe("[\n  1,\n  2\n]");
    expect(
      fieldText([
        { role: "user", content: "hi" },
        { role: "assistant", content: "hello" },
      ]),
    ).toBe("user:\nhi\n\nassistant:\nhello");
  });
  it("renders one .nbr-field per field, in order, as text only", () => {
    const box = h("div");
    document.body.append(box);
    renderFields(
      box,
      [
        { column: "response", kind: "text" },
        { column: "prompt", kind: "markdown" },
        { column: "missing", kind: "text" },
      ],
      { prompt: "**p**", response: HOSTILE },
    );
    const fields = [...box.querySelectorAll(".nbr-field")];
    expect(fields.map((f) => f.dataset.column)).toEqual(["response", "prompt", "missing"]);
    expect(fields[0].querySelector(".nbr-field-header").textContent).toBe("response");
    const body = fields[0].querySelector(".nbr-field-body");
    expect(body.textContent).toBe(HOSTILE);
    expect(body.children.length).toBe(0);
    expect(box.querySelector("img, script")).toBeNull();
    expect(window.__pwned).toBeUndefined();
    expect(fields[1].querySelector(".nbr-field-body").textContent).toBe("**p**");
    expect(fields[2].querySelector(".nbr-field-body").classList.contains("nbr-empty")).toBe(true);
  });
  it("replaces the previous record's fields", () => {
    const box = h("div");
    renderFields(box, [{ column: "a" }], { a: "1" });
    renderFields(box, [{ column: "a" }], { a: "2" });
    expect(box.querySelectorAll(".nbr-field").length).toBe(1);
    expect(box.textContent).toContain("2");
  });
});

describe("progress", () => {
  it("says the counts", () => {
    expect(progressText({ total: 40, submitted: 3, skipped: 1, remaining: 36 })).toBe(
      "3 submitted · 1 skipped · 36 remaining of 40",
    );
    expect(progressText(null)).toBe("");
  });
  it("draws the bar", () => {
    const p = buildProgress();
    p.update({ total: 40, submitted: 10, skipped: 2, remaining: 28 });
    expect(p.el.classList.contains("nbr-progress")).toBe(true);
    expect(p.el.querySelector(".nbr-progress-submitted").style.width).toBe("25%");
    expect(p.el.querySelector(".nbr-progress-skipped").style.width).toBe("5%");
    expect(p.el.querySelector(".nbr-progress-text").textContent).toContain("28 remaining of 40");
    p.update({ total: 0, submitted: 0, skipped: 0, remaining: 0 });
    expect(p.el.querySelector(".nbr-progress-submitted").style.width).toBe("0%");
  });
});

describe("help", () => {
  it("lists every key, hidden at first", () => {
    const help = buildHelp({});
    expect(help.hidden).toBe(true);
    const text = help.textContent;
    for (const k of ["1 – 9", "Tab", "Enter", "← / →", "Ctrl+Z", "Esc", "?"]) expect(text).toContain(k);
    expect(keyList({}).map(([k]) => k)).toContain("s");
    expect(keyList({}).map(([k]) => k)).toContain("a");
  });
  it("lists g only when the review has guidelines", () => {
    expect(keyList({}).map(([k]) => k)).not.toContain("g");
    expect(keyList({ guidelines: "Be kind." }).map(([k]) => k)).toContain("g");
  });
  it("draws no dl/dt/dd, which host rules float and squeeze", () => {
    const help = buildHelp({});
    expect(help.querySelector("dl, dt, dd")).toBeNull();
    const rows = help.querySelectorAll(".nbr-help-row");
    expect(rows.length).toBe(keyList({}).length);
    expect(rows[0].querySelector(".nbr-help-keys kbd").textContent).toBe("1 – 9");
  });
  it("spells out a labelled rating's scale, once per question", () => {
    const quality = { name: "quality", kind: "rating", scale: 3, labels: ["bad", "ok", "good"] };
    const tone = { name: "tone", kind: "rating", scale: 10 };
    const rows = keyList({ questions: [quality, tone, quality] });
    const scale = rows.filter(([, what]) => what.startsWith("quality:"));
    expect(scale).toEqual([["1 – 3", "quality: 1 = bad · 2 = ok · 3 = good"]]);
    expect(rows.some(([, what]) => what.startsWith("tone:"))).toBe(false); // no labels, no row
    const ten = { name: "ten", kind: "rating", scale: 10, labels: [..."abcdefghij"] };
    expect(keyList({ questions: [ten] }).at(-1)[0]).toBe("1 – 9, 0");
  });
  it("says when one key also submits", () => {
    expect(keyList({ one_key: true })[0][1]).toMatch(/submit/);
  });
});

describe("questions", () => {
  const on = () => ({ dispatch: vi.fn(), refocus: vi.fn(), focus: vi.fn() });

  it("renders a rating as 1..scale buttons with labels", () => {
    const q = buildQuestion({ name: "tone", kind: "rating", scale: 3, labels: ["bad", "ok", "good"] }, 0, on());
    const buttons = [...q.el.querySelectorAll(".nbr-option")];
    expect(q.el.dataset.question).toBe("tone");
    expect(buttons.map((b) => b.dataset.value)).toEqual(["1", "2", "3"]);
    expect(buttons[2].textContent).toContain("good");
    expect(buttons.map((b) => b.title)).toEqual(["1 = bad", "2 = ok", "3 = good"]);
    expect(buttons.every((b) => b.getAttribute("tabindex") === "-1")).toBe(true);
  });
  it("shows a key hint on label buttons", () => {
    const q = buildQuestion({ name: "t", kind: "label", labels: ["yes", "no"] }, 0, on());
    const keys = [...q.el.querySelectorAll(".nbr-option kbd")].map((k) => k.textContent);
    expect(keys).toEqual(["1", "2"]);
  });
  it("marks the selected and the suggested options apart", () => {
    const q = buildQuestion({ name: "f", kind: "multilabel", labels: ["x", "y"] }, 0, on());
    q.update({ value: ["y"], suggested: false, focused: true, answered: true });
    expect(q.el.querySelector('[data-value="y"]').classList.contains("nbr-selected")).toBe(true);
    expect(q.el.querySelector('[data-value="x"]').classList.contains("nbr-selected")).toBe(false);
    expect(q.el.classList.contains("nbr-focused")).toBe(true);
    q.update({ value: ["x"], suggested: true, focused: false, answered: true });
    const x = q.el.querySelector('[data-value="x"]');
    expect(x.classList.contains("nbr-suggested")).toBe(true);
    expect(x.classList.contains("nbr-selected")).toBe(false);
    expect(q.el.querySelector(".nbr-suggested-tag").hidden).toBe(false);
    expect(q.el.classList.contains("nbr-focused")).toBe(false);
  });
  it("has a none-apply button for multilabel", () => {
    const handlers = on();
    const q = buildQuestion({ name: "f", kind: "multilabel", labels: ["x"] }, 2, handlers);
    const none = q.el.querySelector(".nbr-none");
    expect(none.textContent).toContain("none apply");
    q.update({ value: [], suggested: false, focused: false, answered: true });
    expect(none.classList.contains("nbr-selected")).toBe(true);
    none.click();
    expect(handlers.dispatch).toHaveBeenCalledWith({ type: "kind", index: 2, op: "none" });
  });
  it("reports clicks with the question index and option value", () => {
    const handlers = on();
    const q = buildQuestion({ name: "r", kind: "rating", scale: 5 }, 1, handlers);
    q.el.querySelector('[data-value="4"]').click();
    expect(handlers.dispatch).toHaveBeenCalledWith({ type: "kind", index: 1, op: "choose", value: 4 });
    expect(handlers.refocus).toHaveBeenCalled();
    expect(handlers.focus).not.toHaveBeenCalled();
    q.el.click();
    expect(handlers.focus).toHaveBeenCalledWith(1);
  });
  it("gives free text a textarea", () => {
    const q = buildQuestion({ name: "c", kind: "freetext", required: false }, 0, on());
    expect(q.textarea.tagName).toBe("TEXTAREA");
    expect(q.el.textContent).toContain("optional");
  });
  it("shows a notice for kinds it does not know, and does not throw", () => {
    const q = buildQuestion({ name: "e", kind: "hologram", labels: ["x"] }, 0, on());
    expect(q.el.querySelector(".nbr-unsupported").textContent).toContain("hologram");
    expect(() => q.update({ value: [], suggested: false, focused: true, answered: true })).not.toThrow();
  });
  it("renders hostile names as text", () => {
    const q = buildQuestion({ name: HOSTILE, kind: "label", labels: [HOSTILE] }, 0, on());
    expect(q.el.querySelector("img, script")).toBeNull();
    expect(q.el.dataset.question).toBe(HOSTILE);
  });
});
