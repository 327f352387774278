// @vitest-environment jsdom
// Agent traces render as what they are (API.md 11): tool calls as cards with highlighted
// JSON arguments, each result under the call it answers, reasoning and long results folded
// (t unfolds), images as placeholders unless loaded, unknown parts as JSON text, and none of
// the XSS corpus ever runs, whether it sits in a tool's name, arguments, result or reasoning.
import { afterEach, describe, expect, it } from "vitest";
import CORPUS from "../../tests/data/xss-payloads.json";
import { toggleFolds } from "../render/folds.js";
import { buildFields, claimTarget, showUnits } from "../render/record.js";
import { isChat, messageText, reasoningOf, toolCallsOf } from "../render/trace.js";
import widget from "../widget.js";
import { mountWidget, press, unmountAll } from "./helpers.js";
import { HF, longResult, OPENAI, PARTS } from "./traces.js";

const chatBox = (messages, opts = {}) => {
  const box = document.createElement("div");
  document.body.append(box);
  buildFields(box, [{ column: "messages", kind: "chat" }], { messages });
  showUnits(box, opts);
  return box;
};
const message = (box, i) => box.querySelector(`.nbr-message[data-index="${i}"]`);

afterEach(() => {
  unmountAll();
  document.body.replaceChildren();
  for (const k of Object.keys(window)) if (k.startsWith("__xss")) delete window[k];
});

describe("reading a trace", () => {
  it("accepts every form as a chat, and still refuses what is not one", () => {
    for (const chat of [OPENAI, HF, PARTS]) expect(isChat(chat)).toBe(true);
    expect(isChat([{ role: "user" }])).toBe(false);
    expect(isChat([{ content: "x" }])).toBe(false);
  });
  it("finds calls in tool_calls (string or dict arguments) and tool_use parts", () => {
    expect(toolCallsOf(OPENAI[2])).toEqual([
      { id: "call_a", name: "get_weather", args: '{"city": "Paris", "unit": "C"}' },
      { id: "call_b", name: "get_weather", args: { city: "Rome" } },
    ]);
    expect(toolCallsOf(HF[1])).toEqual([{ id: null, name: "add", args: { a: 2, b: 3 } }]);
    expect(toolCallsOf(PARTS[1])).toEqual([{ id: "tu_1", name: "vision", args: { image: 0 } }]);
  });
  it("finds reasoning beside content and in thinking parts; text is the text parts", () => {
    expect(reasoningOf(OPENAI[2]).map((r) => r.text)).toEqual(["Two cities: call the tool twice."]);
    expect(reasoningOf(HF[3]).map((r) => r.source)).toEqual(["thinking"]);
    expect(reasoningOf(PARTS[1]).map((r) => r.text)).toEqual(["I should look it up."]);
    expect(messageText(PARTS[1].content)).toBe("Let me check.");
    expect(messageText(PARTS[2].content)).toBe("");
  });
});

describe("drawing a trace", () => {
  it("OpenAI: a card per call, highlighted indented JSON, each result under its call by id", () => {
    const box = chatBox(OPENAI);
    const cards = [...message(box, 2).querySelectorAll(".nbr-tool-call")];
    expect(cards.map((c) => c.querySelector(".nbr-tool-name").textContent)).toEqual(["get_weather", "get_weather"]);
    const args = cards[0].querySelector(".nbr-tool-args code");
    expect(args.textContent).toBe('{\n  "city": "Paris",\n  "unit": "C"\n}');
    expect(args.querySelector(".hljs-attr").textContent).toBe('"city"');
    expect(JSON.parse(cards[1].querySelector(".nbr-tool-args").textContent)).toEqual({ city: "Rome" });
    // Results arrived b, a: each sits in its own call's card, and keeps its index.
    expect(cards[0].querySelector(".nbr-tool-results > .nbr-message").dataset.index).toBe("4");
    expect(cards[1].querySelector(".nbr-tool-results > .nbr-message").dataset.index).toBe("3");
    expect(message(box, 3).querySelector(".nbr-message-link").textContent).toBe("result of get_weather");
    // A JSON result is shown as highlighted JSON; its raw text stays as stored.
    expect(message(box, 3).querySelector(".nbr-rendered .hljs-attr").textContent).toBe('"temp"');
    expect(message(box, 3).querySelector(".nbr-raw-text").textContent).toBe(OPENAI[3].content);
    // The top level lists the other messages in order.
    const top = [...box.querySelectorAll(".nbr-chat > .nbr-message")].map((m) => m.dataset.index);
    expect(top).toEqual(["0", "1", "2", "5"]);
  });

  it("HF/TRL: dict arguments, a tool message with a name and no id goes under the call in order", () => {
    const box = chatBox(HF);
    const card = message(box, 1).querySelector(".nbr-tool-call");
    expect(card.querySelector(".nbr-tool-name").textContent).toBe("add");
    expect(JSON.parse(card.querySelector(".nbr-tool-args").textContent)).toEqual({ a: 2, b: 3 });
    expect(card.querySelector('.nbr-message[data-index="2"] .nbr-raw-text').textContent).toBe("5");
    expect(message(box, 3).querySelector(".nbr-rendered strong").textContent).toBe("5");
  });

  it("parts: text as markdown, thinking folded, tool_use a card, tool_result under it, image a placeholder, unknown as JSON", () => {
    const box = chatBox(PARTS);
    expect(message(box, 0).querySelector(".nbr-part-image").textContent).toBe("[image]");
    expect(box.querySelector("img")).toBeNull();
    const thinking = message(box, 1).querySelector(".nbr-reasoning");
    expect(thinking.hasAttribute("data-folded")).toBe(true);
    expect(thinking.querySelector(".nbr-fold-title").textContent).toBe("Thinking");
    const card = message(box, 1).querySelector(".nbr-tool-call");
    expect(card.dataset.callId).toBe("tu_1");
    expect(card.querySelector(".nbr-part-result-text").textContent).toBe("a cat on a mat");
    expect(message(box, 2).querySelector(".nbr-moved").textContent).toContain("shown under the call");
    const unknown = message(box, 3).querySelector(".nbr-part-unknown");
    expect(unknown.textContent).toContain("hologram");
    expect(JSON.parse(unknown.querySelector("pre").textContent)).toEqual(PARTS[3].content[1]);
    expect(unknown.querySelector("b")).toBeNull();
  });

  it("images load only when the review opts in, and only over http(s)", () => {
    const box = chatBox(PARTS, { loadImages: true });
    expect(box.querySelector(".nbr-part-image img").getAttribute("src")).toBe("https://example.org/cat.png");
    const bad = chatBox([{ role: "user", content: [{ type: "image_url", image_url: { url: "javascript:alert(1)" } }] }], { loadImages: true });
    expect(bad.querySelector("img")).toBeNull();
  });

  it("reasoning starts folded, a result over 40 lines is clipped, t opens every fold and closes them again", () => {
    const chat = [...OPENAI.slice(0, 4), { role: "tool", tool_call_id: "call_a", content: longResult(41) }];
    const box = chatBox(chat);
    const folds = () => [...box.querySelectorAll(".nbr-fold")];
    expect(folds().length).toBe(2);
    expect(folds().every((f) => f.hasAttribute("data-folded"))).toBe(true);
    const long = message(box, 4);
    expect(long.classList.contains("nbr-fold-clip")).toBe(true);
    expect(long.querySelector(".nbr-fold-toggle").textContent).toContain("show all 41 lines");
    // 40 lines is not folded.
    expect(message(chatBox([...OPENAI.slice(0, 3), { role: "tool", content: longResult(40) }]), 3).classList.contains("nbr-fold")).toBe(false);
    expect(toggleFolds(box)).toBe(true);
    expect(folds().some((f) => f.hasAttribute("data-folded"))).toBe(false);
    expect(long.querySelector(".nbr-fold-toggle").getAttribute("aria-expanded")).toBe("true");
    toggleFolds(box);
    expect(folds().every((f) => f.hasAttribute("data-folded"))).toBe(true);
    // A fold's own button opens just that fold.
    box.querySelector(".nbr-reasoning .nbr-fold-toggle").click();
    expect(box.querySelector(".nbr-reasoning").hasAttribute("data-folded")).toBe(false);
    expect(long.hasAttribute("data-folded")).toBe(true);
  });

  it("arguments that are not JSON are shown as the text they are", () => {
    const chat = [{ role: "assistant", tool_calls: [{ id: "x", type: "function", function: { name: "f", arguments: "{not json" } }] }];
    const args = chatBox(chat).querySelector(".nbr-tool-args");
    expect(args.querySelector("pre").textContent).toBe("{not json");
    expect(args.textContent).toContain("not JSON");
  });

  it("a message of parts is marked on its text, like a string message", () => {
    const box = chatBox(PARTS);
    expect(claimTarget(box, "messages[1]").textContent).toBe("Let me check.");
  });

  it("a message of tool calls only shows no text; (empty) is kept for a message with nothing", () => {
    const call = { id: "c", type: "function", function: { name: "f", arguments: "{}" } };
    const box = chatBox([
      { role: "assistant", content: null, tool_calls: [call] },
      { role: "assistant", content: "", tool_calls: [call], reasoning_content: "hm" },
      { role: "assistant", content: null, reasoning_content: "only thinking" },
      { role: "assistant", content: "" },
      { role: "tool", tool_call_id: "c", content: "" },
    ]);
    const empty = (i) => message(box, i).querySelector(":scope > .nbr-message-text, :scope > .nbr-message-text-rendered");
    expect(empty(0)).toBeNull();
    expect(empty(1)).toBeNull();
    expect(empty(2)).toBeNull();
    expect(message(box, 0).querySelector(".nbr-tool-call")).not.toBeNull();
    expect(empty(3).classList.contains("nbr-empty")).toBe(true); // really nothing: "(empty)"
    expect(empty(4).classList.contains("nbr-empty")).toBe(true); // an empty tool result
  });
});

const fill = (payload, i) => payload.replaceAll("{URL}", `http://127.0.0.1:9/hit/${i}`).replaceAll("{FLAG}", `__xss${i}`);

describe("XSS in traces", () => {
  it.each(CORPUS.map((p, i) => [p.name, fill(p.payload, i), i]))(
    "%s in a tool name, arguments, result and reasoning runs nothing",
    (_name, payload, i) => {
      const chat = [
        {
          role: "assistant",
          content: payload,
          reasoning_content: payload,
          tool_calls: [
            { id: "c1", type: "function", function: { name: payload, arguments: { q: payload, [payload]: 1 } } },
            { id: "c2", type: "function", function: { name: "f", arguments: payload } },
          ],
        },
        { role: "tool", tool_call_id: "c1", content: payload },
        { role: "tool", tool_call_id: "c2", content: JSON.stringify({ out: payload }) },
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: payload },
            { type: "tool_use", id: "t", name: payload, input: { x: payload } },
            { type: payload, data: payload },
          ],
        },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "t", content: payload }] },
      ];
      const box = chatBox(chat);
      toggleFolds(box);
      expect(box.querySelector("script, iframe, object, embed, svg, math, style, form, img, link, meta, base")).toBeNull();
      for (const el of box.querySelectorAll("*")) {
        for (const { name } of el.attributes) expect(name.startsWith("on"), `${el.localName}[${name}]`).toBe(false);
        expect(el.getAttribute("style") ?? "").toBe("");
      }
      // The payload is there, as text: the tool's name shows it character for character.
      expect(box.querySelector(".nbr-tool-name").textContent).toBe(payload);
      expect(box.querySelector(".nbr-reasoning-text").textContent).toBe(payload);
      expect(Object.keys(window).filter((k) => k.startsWith("__xss"))).toEqual([]);
      expect(i).toBeGreaterThanOrEqual(0);
    },
  );
});

// --- in the widget ------------------------------------------------------------------------

const RATING = { name: "quality", kind: "rating", scale: 5, labels: null, required: true };
const config = (extra = {}) => ({
  name: "default",
  annotator: "alice",
  fields: [{ column: "messages", kind: "chat" }],
  questions: [RATING],
  guidelines: "",
  one_key: false,
  ...extra,
});
const view = (key, messages) => ({
  ack: 0,
  position: 0,
  total: 2,
  record: { key, row: 0, fields: { messages }, answers: {}, suggestions: {}, status: null },
  progress: { total: 2, submitted: 0, skipped: 0, remaining: 2 },
  done: false,
  notice: null,
  can_undo: false,
});

describe("in the widget", () => {
  it("t opens every fold of the record and sends nothing; the ? panel says so", () => {
    const { model, root } = mountWidget(widget, config(), view("k1", OPENAI));
    const fold = root.querySelector(".nbr-reasoning");
    expect(fold.hasAttribute("data-folded")).toBe(true);
    press(root, "t");
    expect(fold.hasAttribute("data-folded")).toBe(false);
    press(root, "t");
    expect(fold.hasAttribute("data-folded")).toBe(true);
    expect(model.sent.filter((m) => m.type !== "ahead")).toEqual([]);
    expect(root.querySelector(".nbr-help").textContent).toContain("open every fold");
    // A new record starts folded again.
    press(root, "t");
    model.kernelSets("view", view("k2", OPENAI));
    expect(root.querySelector(".nbr-reasoning").hasAttribute("data-folded")).toBe(true);
  });

  it("a fold's button opens it and leaves the keys with the widget", () => {
    const { root } = mountWidget(widget, config(), view("k1", HF));
    const toggle = root.querySelector(".nbr-reasoning .nbr-fold-toggle");
    toggle.dispatchEvent(new MouseEvent("mousedown", { bubbles: true, cancelable: true }));
    toggle.click();
    expect(root.querySelector(".nbr-reasoning").hasAttribute("data-folded")).toBe(false);
    expect(toggle.getAttribute("tabindex")).toBe("-1");
  });
});
