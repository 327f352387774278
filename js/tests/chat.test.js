// @vitest-environment jsdom
// Fields as the reader expects them: chats as conversations, markdown rendered with a raw
// switch (key r), bad values shown with a notice, and span questions marking the raw text of
// a Markdown field or of one chat message ("messages[-1]").
import { afterEach, describe, expect, it } from "vitest";
import { buildChat, isChat, messageText, roleKind } from "../render/chat.js";
import { buildFields, claimTarget, NOT_CHAT, NOT_MARKDOWN, showUnits } from "../render/record.js";
import { messagePosition, parseTarget, targetText } from "../render/target.js";
import widget from "../widget.js";
import { fakeModel, press } from "./helpers.js";

const CHAT = [
  { role: "system", content: "Be *brief*." },
  { role: "user", content: "A table, please. <img src=x onerror=alert(1)>" },
  { role: "assistant", content: "| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nprint('hi')\n```" },
  { role: "tool", content: '{"ok": true}', name: "lookup", tool_call_id: "c1" },
  { role: "assistant", content: "Paris is in **Japan**. 👩🏽‍💻" },
];

const fieldsBox = (fields, values) => {
  const box = document.createElement("div");
  document.body.append(box);
  buildFields(box, fields, values);
  return box;
};

afterEach(() => document.body.replaceChildren());

describe("targets", () => {
  it("parse as Python's fields.Target does", () => {
    expect(parseTarget("response")).toEqual({ column: "response", message: null });
    expect(parseTarget("messages[-1]")).toEqual({ column: "messages", message: -1 });
    expect(parseTarget("messages[0]")).toEqual({ column: "messages", message: 0 });
    expect(parseTarget("a[b][2]")).toEqual({ column: "a[b]", message: 2 });
    expect(parseTarget("x[1.5]")).toEqual({ column: "x[1.5]", message: null });
  });
  it("resolve negative positions from the end", () => {
    expect(messagePosition(-1, 5)).toBe(4);
    expect(messagePosition(0, 5)).toBe(0);
    expect(messagePosition(5, 5)).toBeNull();
    expect(messagePosition(-6, 5)).toBeNull();
    expect(messagePosition(0, 0)).toBeNull();
  });
  it("give the text of a column or a message, null when a record lacks it", () => {
    const fields = { messages: CHAT, response: "r", n: 3, none: null };
    expect(targetText(fields, "messages[-1]")).toBe(CHAT[4].content);
    expect(targetText(fields, "messages[1]")).toBe(CHAT[1].content);
    expect(targetText(fields, "messages[9]")).toBeNull();
    expect(targetText(fields, "response")).toBe("r");
    expect(targetText(fields, "n")).toBe("3");
    expect(targetText(fields, "none")).toBe("");
    expect(targetText(fields, "response[0]")).toBeNull();
    // A message of parts has a text too: its text parts joined by a blank line (API.md 11).
    const parts = [{ type: "text", text: "x" }, { type: "image_url", image_url: { url: "u" } }, { type: "text", text: "y" }];
    expect(targetText({ messages: [{ role: "user", content: parts }] }, "messages[0]")).toBe("x\n\ny");
    expect(targetText({ messages: CHAT }, "messages")).toBeNull();
  });
});

describe("chats", () => {
  it("know messages and roles", () => {
    expect(isChat(CHAT)).toBe(true);
    expect(isChat([])).toBe(true);
    expect(isChat("hi")).toBe(false);
    expect(isChat([{ role: "user" }])).toBe(false);
    expect(isChat([["user", "hi"]])).toBe(false);
    expect(["system", "developer", "user", "human", "assistant", "tool", "function", "critic"].map(roleKind)).toEqual([
      "system",
      "system",
      "user",
      "user",
      "assistant",
      "tool",
      "tool",
      "other",
    ]);
    // Contract A: only text parts make a message's text; an image is drawn, not counted.
    expect(messageText([{ type: "text", text: "look" }, { type: "image" }])).toBe("look");
    expect(messageText([{ type: "text", text: "a" }, { type: "text", text: "b" }])).toBe("a\n\nb");
    expect(messageText(null)).toBe("");
  });
  it("draw one message per entry, roles apart, content as markdown", () => {
    const box = fieldsBox([{ column: "messages", kind: "chat" }], { messages: CHAT });
    showUnits(box);
    const messages = [...box.querySelectorAll(".nbr-message")];
    expect(messages.map((m) => [m.dataset.role, m.dataset.roleKind])).toEqual([
      ["system", "system"],
      ["user", "user"],
      ["assistant", "assistant"],
      ["tool", "tool"],
      ["assistant", "assistant"],
    ]);
    expect(messages.every((m) => m.dataset.view === "rendered")).toBe(true);
    expect(messages[0].querySelector(".nbr-rendered em").textContent).toBe("brief");
    expect(messages[2].querySelector(".nbr-rendered table td").textContent).toBe("1");
    expect(messages[2].querySelector(".nbr-rendered .hljs-built_in").textContent).toBe("print");
    // The payload in the user's message is text.
    expect(box.querySelector("img")).toBeNull();
    expect(messages[1].querySelector(".nbr-rendered").textContent).toContain("<img src=x onerror=alert(1)>");
    // Other keys of a message are shown under it; the name beside the role.
    expect(messages[3].querySelector(".nbr-message-name").textContent).toBe("lookup");
    // A tool message without a call to answer stays where it is; unknown keys show as data.
    expect(messages[3].querySelector(".nbr-message-extra")).toBeNull();
    expect(messages[3].parentElement.classList.contains("nbr-chat")).toBe(true);
    expect(messages[3].querySelector(".nbr-message-link").textContent).toBe("answers c1");
    // The raw text is kept, as stored, for the raw switch and span questions.
    expect(messages[4].querySelector(".nbr-message-text").textContent).toBe(CHAT[4].content);
  });
  it("show a role or content that is not text without failing", () => {
    const odd = [{ role: null, content: null }, { role: "user", content: [{ type: "text", text: "hi" }, { type: "image" }] }];
    const box = fieldsBox([{ column: "m", kind: "chat" }], { m: odd });
    showUnits(box);
    const [a, b] = box.querySelectorAll(".nbr-message");
    expect(a.querySelector(".nbr-message-role").textContent).toBe("(no role)");
    expect(a.querySelector(".nbr-message-text").classList.contains("nbr-empty")).toBe(true);
    expect(b.querySelector(".nbr-rendered").textContent).toContain("hi");
    expect(b.querySelector(".nbr-part-image").textContent).toBe("[image]");
  });
  it("render lazily: nothing is rendered while the raw switch is on", () => {
    const box = fieldsBox([{ column: "messages", kind: "chat" }], { messages: CHAT });
    showUnits(box, { raw: true });
    expect(box.querySelectorAll(".nbr-rendered[data-pending]").length).toBe(CHAT.length);
    expect([...box.querySelectorAll(".nbr-message")].every((m) => m.dataset.view === "raw")).toBe(true);
    showUnits(box, { raw: false });
    expect(box.querySelectorAll(".nbr-rendered[data-pending]").length).toBe(0);
  });
});

describe("bad values", () => {
  it("a chat field that is not a message list shows a notice and the value as data", () => {
    const box = fieldsBox([{ column: "messages", kind: "chat" }], { messages: "just text <b>x</b>" });
    const field = box.querySelector(".nbr-field");
    expect(field.querySelector(".nbr-field-notice").textContent).toContain(NOT_CHAT);
    expect(field.querySelector(".nbr-field-body").textContent).toBe("just text <b>x</b>");
    expect(box.querySelector("b")).toBeNull();
    const list = fieldsBox([{ column: "messages", kind: "chat" }], { messages: [{ from: "a" }] });
    expect(list.querySelector(".nbr-field-notice").textContent).toContain("a list");
  });
  it("a markdown field that is not text shows a notice and the value as data", () => {
    const box = fieldsBox([{ column: "response", kind: "markdown" }], { response: { a: 1 } });
    expect(box.querySelector(".nbr-field-notice").textContent).toContain(NOT_MARKDOWN);
    expect(JSON.parse(box.querySelector(".nbr-field-body").textContent)).toEqual({ a: 1 });
    expect(claimTarget(box, "response")).toBeNull();
  });
  it("an empty chat and a null markdown field are empty, not errors", () => {
    const box = fieldsBox(
      [
        { column: "m", kind: "chat" },
        { column: "r", kind: "markdown" },
      ],
      { m: [], r: null },
    );
    showUnits(box);
    expect(box.querySelector(".nbr-field-notice")).toBeNull();
    expect(box.querySelector(".nbr-chat").classList.contains("nbr-empty")).toBe(true);
    expect(box.querySelector(".nbr-field-body-rendered").classList.contains("nbr-empty")).toBe(true);
  });
});

describe("claiming a target", () => {
  it("gives a markdown field's raw body and shows it raw", () => {
    const box = fieldsBox([{ column: "response", kind: "markdown" }], { response: "**bold**" });
    const body = claimTarget(box, "response");
    expect(body.textContent).toBe("**bold**");
    showUnits(box);
    expect(box.querySelector(".nbr-field").dataset.view).toBe("raw");
  });
  it("gives one chat message's raw text and leaves the others rendered", () => {
    const box = fieldsBox([{ column: "messages", kind: "chat" }], { messages: CHAT });
    const body = claimTarget(box, "messages[-1]");
    expect(body.textContent).toBe(CHAT[4].content);
    showUnits(box);
    const views = [...box.querySelectorAll(".nbr-message")].map((m) => m.dataset.view);
    expect(views).toEqual(["rendered", "rendered", "rendered", "rendered", "raw"]);
    expect(claimTarget(box, "messages[7]")).toBeNull();
    expect(claimTarget(box, "messages")).toBeNull();
    expect(claimTarget(box, "other[0]")).toBeNull();
  });
});

// --- in the widget ------------------------------------------------------------------------

const SPANS = { name: "errors", kind: "spans", labels: ["factual", "bias"], overlap: false, required: true };
const RATING = { name: "quality", kind: "rating", scale: 5, labels: null, required: true };

function configOf(fields, questions = [RATING], extra = {}) {
  return { name: "default", annotator: "alice", fields, questions, guidelines: "", one_key: false, ...extra };
}

function viewOf(key, fields) {
  return {
    ack: 0,
    position: 0,
    total: 2,
    record: { key, row: 0, fields, answers: {}, suggestions: {}, status: null },
    progress: { total: 2, submitted: 0, skipped: 0, remaining: 2 },
    done: false,
    notice: null,
    can_undo: false,
  };
}

let cleanup;
function mount(config, view) {
  const host = document.createElement("div");
  document.body.append(host);
  const model = fakeModel({ config, view });
  cleanup = widget.render({ model, el: host });
  const root = host.querySelector(".nbr-root");
  root.focus();
  return { model, root };
}

afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

describe("the widget", () => {
  const FIELDS = [
    { column: "prompt", kind: "text" },
    { column: "response", kind: "markdown" },
    { column: "messages", kind: "chat" },
  ];
  const VALUES = { prompt: "**not markdown**", response: "# Title\n\n~~x~~ [a](javascript:alert(1))", messages: CHAT };

  it("renders markdown and chats; r and the Raw button switch every unit to raw text and back", () => {
    const { root } = mount(configOf(FIELDS), viewOf("k1", VALUES));
    const units = () => [...root.querySelectorAll(".nbr-md-unit")].map((u) => u.dataset.view);
    const response = root.querySelector('.nbr-field[data-column="response"]');
    expect(response.querySelector(".nbr-rendered h1").textContent).toBe("Title");
    expect(response.querySelector(".nbr-rendered a").hasAttribute("href")).toBe(false);
    expect(root.querySelector('.nbr-field[data-column="prompt"] .nbr-field-body').textContent).toBe("**not markdown**");
    expect(units().every((v) => v === "rendered")).toBe(true);
    const toggle = root.querySelector(".nbr-raw-toggle");
    expect(toggle.hidden).toBe(false);
    expect(toggle.textContent).toBe("Raw (r)");
    press(root, "r");
    expect(units().every((v) => v === "raw")).toBe(true);
    expect(toggle.getAttribute("aria-pressed")).toBe("true");
    expect(response.querySelector(".nbr-field-body").textContent).toBe(VALUES.response);
    toggle.click();
    expect(units().every((v) => v === "rendered")).toBe(true);
    expect(document.activeElement).toBe(root);
    expect(root.querySelector(".nbr-help").textContent).toContain("raw text / rendered");
  });

  it("keeps the switch across records, and hides it without markdown", () => {
    const { model, root } = mount(configOf(FIELDS), viewOf("k1", VALUES));
    press(root, "r");
    model.kernelSets("view", viewOf("k2", { ...VALUES, response: "*other*" }));
    expect(root.querySelector('.nbr-field[data-column="response"]').dataset.view).toBe("raw");
    cleanup();
    const plain = mount(configOf([{ column: "prompt", kind: "text" }]), viewOf("k1", VALUES));
    expect(plain.root.querySelector(".nbr-raw-toggle").hidden).toBe(true);
    expect(plain.root.querySelector(".nbr-help").textContent).not.toContain("raw text / rendered");
  });

  it("marks spans on the raw text of a Markdown field", () => {
    const config = configOf(FIELDS, [{ ...SPANS, field: "response" }, RATING]);
    const { root } = mount(config, viewOf("k1", VALUES));
    const field = root.querySelector('.nbr-field[data-column="response"]');
    expect(field.dataset.view).toBe("raw");
    expect(field.classList.contains("nbr-field-spans")).toBe(true);
    expect(field.querySelector('.nbr-field-body .nbr-spans-text[data-question="errors"]').textContent).toBe(VALUES.response);
    // r leaves the claimed field raw: the marks are on its characters.
    press(root, "r");
    press(root, "r");
    expect(field.dataset.view).toBe("raw");
  });

  it("marks spans on one chat message, the others rendered; offsets are the message's", () => {
    const config = configOf(FIELDS, [{ ...SPANS, field: "messages[-1]" }, RATING]);
    const { model, root } = mount(config, viewOf("k1", VALUES));
    const messages = [...root.querySelectorAll(".nbr-message")];
    const last = messages.at(-1);
    expect(messages.map((m) => m.dataset.view)).toEqual(["rendered", "rendered", "rendered", "rendered", "raw"]);
    const text = last.querySelector('.nbr-message-text .nbr-spans-text[data-question="errors"]');
    expect(text.textContent).toBe(CHAT[4].content);
    expect(last.classList.contains("nbr-field-spans")).toBe(true);
    expect(last.querySelector(".nbr-spans-panel")).not.toBeNull();
    // Select "Japan" with the keyboard caret: c, End, then back by word.
    press(root, "c");
    press(root, "End");
    press(root, "ArrowLeft");
    press(root, "ArrowLeft", { shiftKey: true });
    press(root, "1");
    const sent = model.sent.filter((m) => m.type === "answer" && m.question === "errors").at(-1);
    const [span] = sent.value;
    expect(CHAT[4].content.slice(span.start, span.end)).toBe(span.text);
    expect(span.label).toBe("factual");
  });

  it("says so when a record has no such message", () => {
    const config = configOf(FIELDS, [{ ...SPANS, field: "messages[7]" }, RATING]);
    const { root } = mount(config, viewOf("k1", VALUES));
    expect(root.querySelector(".nbr-spans-hint").textContent).toContain("no text at messages[7]");
    expect(root.querySelectorAll('.nbr-message[data-view="raw"]').length).toBe(0);
  });

  it("renders the guidelines as sanitized markdown, images as alt text unless loaded", () => {
    const guidelines = "# Rules\n\n| do | don't |\n|---|---|\n| a | b |\n\n![logo](https://example.org/l.png)\n\n<script>top.__g=1</script>";
    const { root } = mount(configOf(FIELDS, [RATING], { guidelines }), viewOf("k1", VALUES));
    const panel = root.querySelector(".nbr-guidelines-text");
    expect(panel.querySelector("h1").textContent).toBe("Rules");
    expect(panel.querySelector("table")).not.toBeNull();
    expect(panel.querySelector("img, script")).toBeNull();
    expect(panel.textContent).toContain("[image: logo]");
    expect(panel.textContent).toContain("<script>top.__g=1</script>");
    cleanup();
    const loaded = mount(configOf(FIELDS, [RATING], { guidelines, load_images: true }), viewOf("k1", VALUES));
    expect(loaded.root.querySelector(".nbr-guidelines-text img").getAttribute("src")).toBe("https://example.org/l.png");
  });
});
