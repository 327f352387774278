// @vitest-environment jsdom
// Access for every reviewer (API.md 14, issue 23): names and roles, what is announced, the name
// box a keyboard reaches, guidelines as prose, long span names readable whole, and each block
// of text taking its own direction. Layout and contrast are checked in Chromium
// (tests/e2e/test_accessibility.py, test_bidi.py).
import { afterEach, describe, expect, it } from "vitest";
import { renderMarkdown } from "../render/markdown.js";
import widget from "../widget.js";
import { fakeModel, mountWidget, press, unmountAll } from "./helpers.js";

const ARABIC = "الجو مشمس في باريس (Paris is sunny) اليوم.";
const LABEL = { name: "verdict", kind: "label", labels: ["good", "bad"], required: true };
const NOTE = { name: "note", kind: "freetext", required: false };
const SPANS = { name: "who", kind: "spans", field: "text", labels: ["Charlotte Brontë, novelist"], overlap: false, required: true };

const config = (questions, extra = {}) => ({
  name: "default",
  annotator: "ada",
  fields: [{ column: "text", kind: "text" }],
  questions,
  guidelines: "",
  one_key: false,
  ...extra,
});
const view = (fields = { text: "hello" }, answers = {}) => ({
  ack: 0,
  position: 0,
  total: 2,
  record: { key: "k1", row: 0, fields, answers, suggestions: {}, status: null, layout: {} },
  progress: { total: 2, submitted: 1, skipped: 0, remaining: 1 },
  done: false,
  notice: null,
  can_undo: false,
});
const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));

afterEach(unmountAll);

describe("names, roles and live regions", () => {
  it("names the progress bar and says its counts", () => {
    const { root } = mountWidget(widget, config([LABEL]), view());
    const bar = root.querySelector('[role="progressbar"]');
    expect(bar.getAttribute("aria-label")).toBe("Progress");
    expect(bar.getAttribute("aria-valuetext")).toBe("1 submitted · 0 skipped · 1 remaining of 2");
  });

  it("'Saved' and 'Not saved' go to a polite live region", () => {
    const { root } = mountWidget(widget, config([LABEL]), view());
    const notice = root.querySelector(".nbr-notice");
    expect(notice.getAttribute("role")).toBe("status");
    expect(notice.getAttribute("aria-live")).toBe("polite");
  });

  it("announces the record and the question focused, as Tab moves", () => {
    const { root } = mountWidget(widget, config([LABEL, NOTE]), view());
    const live = root.querySelector(".nbr-announce");
    expect(live.getAttribute("aria-live")).toBe("polite");
    expect(live.textContent).toBe("Record 1 of 2. Question 1 of 2: verdict, choose one");
    press(root, "Tab");
    expect(live.textContent).toMatch(/^Question 2 of 2: note, .*optional$/);
    press(root, "Shift+Tab".split("+")[1], { shiftKey: true });
    expect(live.textContent).toBe("Question 1 of 2: verdict, choose one");
  });

  it("says the turn marked in a per-turn question; its hint says it as ↓ moves it", () => {
    const turn = { name: "helpful", kind: "rating", scale: 3, labels: null, required: true, turns: "chat", roles: ["assistant"] };
    const chat = [
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello" },
      { role: "user", content: "More" },
      { role: "assistant", content: "Sure" },
    ];
    const cfg = { ...config([LABEL, turn]), fields: [{ column: "chat", kind: "chat" }] };
    const { root } = mountWidget(widget, cfg, view({ chat }));
    const live = root.querySelector(".nbr-announce");
    press(root, "Tab");
    expect(live.textContent).toMatch(/^Question 2 of 2: helpful, .*; .*message #1 \(assistant\) marked/);
    press(root, "ArrowDown"); // the next turn: the question's own live hint says it
    const hint = root.querySelector(".nbr-turns-hint");
    expect(hint.getAttribute("aria-live")).toBe("polite");
    expect(hint.textContent).toMatch(/message #3 \(assistant\) marked/);
  });

  it("gives every scrolling region a name and a place in the tab order", () => {
    const { root } = mountWidget(widget, config([LABEL], { guidelines: "Be fair." }), view());
    const body = root.querySelector('.nbr-field[data-column="text"] .nbr-field-body');
    expect(body.getAttribute("tabindex")).toBe("0");
    expect(body.getAttribute("aria-label")).toBe("text");
    const guide = root.querySelector(".nbr-guidelines-text");
    expect(guide.getAttribute("tabindex")).toBe("0");
    expect(guide.getAttribute("aria-label")).toBe("Guidelines text");
  });
});

describe("the name box of a served page", () => {
  function ask() {
    const el = document.createElement("div");
    const model = fakeModel({ config: { ...config([LABEL]), annotator: null }, view: {}, visitor: { ask: true, annotator: null } });
    const cleanup = widget.render({ model, el }); // rendered before the page places it
    document.body.append(el);
    return { model, el, root: el.querySelector(".nbr-root"), cleanup };
  }

  it("is focused once the page has placed the widget", async () => {
    const { root, el, cleanup } = ask();
    await frame();
    expect(document.activeElement).toBe(root.querySelector(".nbr-ask-name"));
    cleanup();
    el.remove();
  });

  it("is reached by Tab: the root leaves the tab order while asking, and passes Tab on", async () => {
    const { model, root, el, cleanup } = ask();
    expect(root.getAttribute("tabindex")).toBe("-1");
    root.focus();
    const tab = press(root, "Tab");
    expect(tab.defaultPrevented).toBe(true);
    const input = root.querySelector(".nbr-ask-name");
    expect(document.activeElement).toBe(input);
    model.kernelSets("visitor", { ask: false, annotator: "kim", windows: 0, elsewhere: null });
    expect(root.getAttribute("tabindex")).toBe("0"); // the review takes the keys again
    cleanup();
    el.remove();
  });
});

describe("guidelines are prose", () => {
  const box = (text, options) => {
    const el = document.createElement("div");
    el.append(renderMarkdown(text, options));
    return el;
  };
  it("a single newline is a space in guidelines, a line break in the data", () => {
    expect(box("Rate the answer\n(what an AI\nmodel answered).", { breaks: false }).querySelector("br")).toBeNull();
    expect(box("line one\nline two").querySelector("br")).not.toBeNull();
  });
  it("the guidelines panel renders without hard breaks", () => {
    const { root } = mountWidget(widget, config([LABEL], { guidelines: "Judge what\nthe model answered." }), view());
    const text = root.querySelector(".nbr-guidelines-text");
    expect(text.querySelector("br")).toBeNull();
    expect(text.querySelector("p").textContent).toBe("Judge what\nthe model answered.");
  });
  it("a table can be scrolled to by keyboard", () => {
    expect(box("| a |\n|---|\n| Rating |").querySelector("table").getAttribute("tabindex")).toBe("0");
  });
});

describe("long span names", () => {
  it("each span's label and text read whole in a title", () => {
    const marked = [{ start: 0, end: 5, label: SPANS.labels[0], text: "hello" }];
    const { root } = mountWidget(widget, config([SPANS]), view({ text: "hello world" }, { who: marked }));
    const item = root.querySelector(".nbr-span-item");
    expect(item.getAttribute("title")).toContain("Charlotte Brontë, novelist: hello");
    expect(item.querySelector(".nbr-span-chip").getAttribute("title")).toBe("Charlotte Brontë, novelist");
    expect(item.querySelector(".nbr-span-text").getAttribute("title")).toBe("hello");
    const legend = root.querySelector(".nbr-spans-label");
    expect(legend.getAttribute("title")).toMatch(/^Charlotte Brontë, novelist: label the selection/);
  });
});

describe("bidirectional text", () => {
  it("each paragraph, list item, cell and message takes its own direction; code stays ltr", () => {
    const el = document.createElement("div");
    el.append(renderMarkdown(`${ARABIC}\n\n- ${ARABIC}\n- English item\n\n| ${ARABIC} |\n|---|\n| x |\n\n\`\`\`\nf(x)\n\`\`\``));
    for (const sel of ["p", "li", "th", "td"]) {
      expect([...el.querySelectorAll(sel)].every((b) => b.getAttribute("dir") === "auto")).toBe(true);
    }
    expect(el.querySelector("pre").getAttribute("dir")).toBe("ltr");
  });

  it("the chat card, the edit box and the preference pane wrap it the same way", () => {
    const questions = [
      { name: "fixed", kind: "edit", field: "text", required: true },
      { name: "better", kind: "preference", fields: ["a", "b"], allow_tie: true, strength: false, required: true },
    ];
    const fields = [{ column: "text", kind: "text" }, { column: "chat", kind: "chat" }];
    const chat = [{ role: "assistant", content: ARABIC }];
    const { root } = mountWidget(
      widget,
      { ...config(questions), fields },
      view({ text: ARABIC, chat, a: ARABIC, b: "English" }),
    );
    const blocks = [
      root.querySelector(".nbr-message .nbr-raw-text"),
      root.querySelector(".nbr-message .nbr-rendered p"),
      root.querySelector('.nbr-question[data-question="fixed"] textarea'),
      root.querySelector('.nbr-question[data-question="better"] .nbr-field-body'),
    ];
    expect(blocks.map((b) => b?.getAttribute("dir"))).toEqual(["auto", "auto", "auto", "auto"]);
  });
});
