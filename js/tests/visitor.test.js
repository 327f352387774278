// @vitest-environment jsdom
// Who answers (the name box), the annotator's other windows, the layout's classes, and the
// host (marimo's shadow DOM and theme, Esc, the full window), in jsdom.
import { afterEach, describe, expect, it } from "vitest";
import widget from "../widget.js";
import { actionForKey } from "../keys.js";
import { inMarimo, releaseTarget } from "../widget/host.js";
import { GUIDE_MIN, layoutFor, SIDE_MIN } from "../widget/layout.js";
import { rememberedName, rememberName, tabId } from "../widget/visitor.js";
import { fakeModel, key, press } from "./helpers.js";

const CONFIG = {
  name: "default",
  annotator: null,
  fields: [{ column: "text", kind: "text" }],
  questions: [{ name: "verdict", kind: "label", labels: ["good", "bad"], required: true }],
  guidelines: "",
  one_key: true,
  layout: "auto",
};
const VIEW = {
  ack: 0,
  position: 0,
  total: 3,
  record: { key: "k1", row: 0, fields: { text: "hello" }, answers: {}, suggestions: {} },
  progress: { total: 3, submitted: 0, skipped: 0, remaining: 3 },
  done: false,
  notice: null,
};

const mounted = [];
function mount(traits, into = document.body) {
  const el = document.createElement("div");
  into.append(el);
  const model = fakeModel({ config: CONFIG, view: {}, ...traits });
  const cleanup = widget.render({ model, el });
  mounted.push(() => {
    cleanup?.();
    el.remove();
  });
  return { model, el, root: el.querySelector(".nbr-root") };
}

afterEach(() => {
  for (const undo of mounted.splice(0)) undo();
  localStorage.clear();
  document.body.className = "";
});

describe("asking who answers", () => {
  it("shows only the name box, and Enter sends the name as typed", () => {
    const { model, root } = mount({ visitor: { ask: true, annotator: null } });
    expect(root.classList.contains("nbr-asking")).toBe(true);
    const input = root.querySelector(".nbr-ask-name");
    expect(input.closest(".nbr-ask").hidden).toBe(false);
    input.value = "  zoe ";
    const typed = press(input, "1"); // typed text: never the widget's answer key
    expect(typed.defaultPrevented).toBe(false);
    press(input, "Enter");
    expect(model.sent).toEqual([
      { type: "hello", tab: tabId() },
      { type: "annotator", name: "zoe" },
    ]);
  });

  it("a refused name is shown, and the review appears once the kernel takes one", () => {
    const { model, root } = mount({ visitor: { ask: true, annotator: null } });
    model.kernelSets("visitor", { ask: true, annotator: null, error: "The name is empty." });
    expect(root.querySelector(".nbr-ask-error").textContent).toBe("The name is empty.");
    const input = root.querySelector(".nbr-ask-name");
    input.value = "yan";
    press(input, "Enter");
    model.kernelSets("config", { ...CONFIG, annotator: "yan" });
    model.kernelSets("visitor", { ask: false, annotator: "yan", windows: 0, elsewhere: null });
    model.kernelSets("view", VIEW);
    expect(root.classList.contains("nbr-asking")).toBe(false);
    expect(root.querySelector(".nbr-who").textContent).toBe("Reviewing as yan");
    expect(rememberedName()).toBe("yan"); // remembered for this page
  });

  it("a page that remembers a name sends it without asking again", () => {
    rememberName("mia");
    const { model } = mount({ visitor: { ask: true, annotator: null } });
    expect(model.sent.filter((m) => m.type === "annotator")).toEqual([
      { type: "annotator", name: "mia" },
    ]);
  });

  it("remembers per page, and survives storage that refuses", () => {
    rememberName("ann", localStorage, "/a");
    expect(rememberedName(localStorage, "/a")).toBe("ann");
    expect(rememberedName(localStorage, "/b")).toBe(null);
    const refusing = {
      getItem() {
        throw new Error("denied");
      },
      setItem() {
        throw new Error("denied");
      },
    };
    expect(rememberedName(refusing, "/a")).toBe(null);
    expect(() => rememberName("x", refusing, "/a")).not.toThrow();
  });
});

describe("the annotator's other windows", () => {
  it("says where the other window is, and marks a record it holds", () => {
    const text = "alice is also reviewing in another window, on record 12 (kept for that window).";
    const { model, root } = mount({
      view: VIEW,
      visitor: { ask: false, annotator: "alice", windows: 1, elsewhere: text, blocked: false },
    });
    const line = root.querySelector(".nbr-presence");
    expect(line.hidden).toBe(false);
    expect(line.textContent).toBe(text);
    model.kernelSets("visitor", { ask: false, annotator: "alice", elsewhere: "held", blocked: true });
    expect(line.dataset.blocked).toBe("true");
    model.kernelSets("visitor", { ask: false, annotator: "alice", windows: 0, elsewhere: null });
    expect(line.hidden).toBe(true);
  });

  it("says which browser tab it is, the same id across reloads of the tab", () => {
    const { model } = mount({ view: VIEW, visitor: {} });
    const id = model.sent[0].tab;
    expect(model.sent[0]).toEqual({ type: "hello", tab: id });
    expect(id).toMatch(/^[a-z0-9]{6,}$/);
    expect(tabId()).toBe(id);
    sessionStorage.clear();
    expect(tabId()).not.toBe(id);
  });

  it("tells the kernel when the page closes", () => {
    const { model } = mount({ view: VIEW, visitor: { ask: false, annotator: "alice" } });
    window.dispatchEvent(new Event("pagehide"));
    expect(model.sent).toContainEqual({ type: "leave" });
  });
});

describe("layout", () => {
  it("side by side from SIDE_MIN px unless stacked; guidelines beside from GUIDE_MIN", () => {
    expect(layoutFor(SIDE_MIN, "auto")).toEqual({ side: true, guideBeside: true });
    expect(layoutFor(SIDE_MIN - 1, "auto")).toEqual({ side: false, guideBeside: true });
    expect(layoutFor(2000, "stacked")).toEqual({ side: false, guideBeside: true });
    expect(layoutFor(GUIDE_MIN - 1, "auto")).toEqual({ side: false, guideBeside: false });
  });

  it("keeps questions, buttons and notice in one column that takes no box while stacked", () => {
    const { root } = mount({ view: VIEW, visitor: {} });
    const aside = root.querySelector(":scope > .nbr-aside");
    expect([...aside.children].map((c) => c.className.split(" ")[0])).toEqual([
      "nbr-others",
      "nbr-questions",
      "nbr-actions",
      "nbr-notice",
    ]);
    expect(aside.previousElementSibling.classList.contains("nbr-fields")).toBe(true);
  });
});

describe("the host", () => {
  function inShadowCell() {
    const cell = document.createElement("div");
    cell.className = "marimo-cell";
    cell.tabIndex = -1;
    const host = document.createElement("marimo-anywidget");
    cell.append(host);
    document.body.append(cell);
    mounted.push(() => cell.remove());
    return { cell, shadow: host.attachShadow({ mode: "open" }) };
  }

  it("finds marimo's cell through the shadow root, and Esc hands it the keyboard", () => {
    const { cell, shadow } = inShadowCell();
    const { root } = mount({ view: VIEW, visitor: {} }, shadow);
    expect(inMarimo(root)).toBe(true);
    expect(releaseTarget(root)).toBe(cell);
    root.focus();
    press(root, "Escape");
    expect(document.activeElement).toBe(cell);
  });

  it("follows marimo's dark theme as body.dark-theme comes and goes", async () => {
    const { shadow } = inShadowCell();
    const { root } = mount({ view: VIEW, visitor: {} }, shadow);
    expect(root.classList.contains("nbr-host-marimo")).toBe(true);
    expect(root.classList.contains("nbr-dark")).toBe(false);
    document.body.classList.add("dark-theme");
    await new Promise((r) => setTimeout(r, 0)); // the MutationObserver's turn
    expect(root.classList.contains("nbr-dark")).toBe(true);
    document.body.classList.remove("dark-theme");
    await new Promise((r) => setTimeout(r, 0));
    expect(root.classList.contains("nbr-dark")).toBe(false);
  });

  it("is no marimo in a notebook cell", () => {
    const { root } = mount({ view: VIEW, visitor: {} });
    expect(inMarimo(root)).toBe(false);
    expect(root.classList.contains("nbr-host-marimo")).toBe(false);
  });

  it("f toggles the full window; Esc leaves it before anything else", () => {
    expect(actionForKey(key("f"))).toEqual({ type: "full" });
    const { model, root } = mount({ view: VIEW, visitor: {} });
    root.focus();
    press(root, "f");
    expect(root.classList.contains("nbr-full")).toBe(true);
    expect(model.sent.map((m) => m.type)).toEqual(["hello"]); // nothing more for the kernel
    press(root, "Escape");
    expect(root.classList.contains("nbr-full")).toBe(false);
    press(root, "f");
    press(root, "f");
    expect(root.classList.contains("nbr-full")).toBe(false);
  });
});

describe("styles in a shadow root", () => {
  it("copies the head's widget style into marimo's shadow root, once", () => {
    const head = document.createElement("style");
    head.id = "nbreview-css";
    head.textContent = ".nbr-root{color:red}";
    document.head.append(head);
    const host = document.createElement("marimo-anywidget");
    document.body.append(host);
    const shadow = host.attachShadow({ mode: "open" });
    const { root } = mount({ view: VIEW, visitor: {} }, shadow);
    const copies = shadow.querySelectorAll("style[data-nbreview]");
    expect(copies).toHaveLength(1);
    expect(copies[0].textContent).toBe(".nbr-root{color:red}");
    expect(root.isConnected).toBe(true);
    head.remove();
    host.remove();
  });
});
