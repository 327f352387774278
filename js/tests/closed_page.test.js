// @vitest-environment jsdom
// A page the kernel closed (a private link that is not valid, a reviewer who did not
// qualify): its sentence only, no name box, no record, and no name is ever sent.
import { afterEach, describe, expect, it } from "vitest";
import widget from "../widget.js";
import { rememberName } from "../widget/visitor.js";
import { fakeModel, press } from "./helpers.js";

const CONFIG = {
  name: "default",
  annotator: null,
  fields: [{ column: "text", kind: "text" }],
  questions: [{ name: "verdict", kind: "label", labels: ["good", "bad"], required: true }],
  guidelines: "",
  one_key: true,
  layout: "auto",
};
const CLOSED = "This link is not valid: ask for yours";
const mounted = [];

function mount(traits) {
  const el = document.createElement("div");
  document.body.append(el);
  const model = fakeModel({ config: CONFIG, view: {}, ...traits });
  const cleanup = widget.render({ model, el });
  mounted.push(() => {
    cleanup?.();
    el.remove();
  });
  return { model, root: el.querySelector(".nbr-root") };
}

afterEach(() => {
  for (const undo of mounted.splice(0)) undo();
  localStorage.clear();
});

describe("a closed page", () => {
  it("shows the kernel's sentence alone and sends no name, even one remembered", () => {
    rememberName("ana");
    const { model, root } = mount({ visitor: { ask: false, closed: CLOSED, annotator: null } });
    expect(root.classList.contains("nbr-closed")).toBe(true);
    expect(root.classList.contains("nbr-asking")).toBe(true); // hides the review's parts
    const error = root.querySelector(".nbr-ask-error");
    expect(error.textContent).toBe(CLOSED);
    expect(error.hidden).toBe(false);
    expect(root.querySelector(".nbr-ask-label").hidden).toBe(true);
    press(root, "1");
    expect(model.sent.filter((m) => m.type !== "hello")).toEqual([]);
  });

  it("a page closed later (did not qualify) hides the review it showed", () => {
    const { model, root } = mount({ visitor: { ask: false, annotator: "ana" } });
    expect(root.classList.contains("nbr-asking")).toBe(false);
    const stop = "You did not qualify for this review";
    model.kernelSets("visitor", { ask: false, closed: stop, annotator: "ana" });
    expect(root.classList.contains("nbr-asking")).toBe(true);
    expect(root.querySelector(".nbr-ask-error").textContent).toBe(stop);
  });
});
