// A chat drawn as the conversation it is (API.md 11): one card per message, roles told apart;
// a message's text as markdown; its reasoning folded; each tool it calls a card with the
// tool's name and its arguments as highlighted JSON, the tool's result under the call it
// answers (by id, else the first call still unanswered, in order); images as placeholders;
// a part nobody knows as JSON text. Nothing in a message is ever run: text goes in as text,
// and HTML made from it only through the sanitizer (markdown.js, code.js).
import { h } from "../dom.js";
import { jsonFragment } from "./code.js";
import { clipFold, FOLD_LINES, hiddenFold, lineCount } from "./folds.js";
import { defer, later } from "./lazy.js";
import { ChatWindow, WINDOW_FROM } from "./window.js";
import { sanitize } from "./sanitize.js";
import { escapeHtml } from "./markdown.js";
import {
  argumentsOf,
  asText,
  DRAWN_KEYS,
  isChat,
  isMessage,
  messageText,
  otherParts,
  reasoningOf,
  resultOf,
  resultText,
  toolCallsOf,
} from "./trace.js";

export { isChat, isMessage, messageText };

const ROLE_KINDS = {
  system: "system",
  developer: "system",
  user: "user",
  human: "user",
  assistant: "assistant",
  model: "assistant",
  gpt: "assistant",
  bot: "assistant",
  tool: "tool",
  function: "tool",
  ipython: "tool",
  observation: "tool",
};

/** system | user | assistant | tool | other: what a role is drawn as. */
export const roleKind = (role) => ROLE_KINDS[String(role ?? "").toLowerCase()] ?? "other";

const words = (text) => (text.trim() ? text.trim().split(/\s+/).length : 0);

function reasoningFold({ source, text }) {
  const body = h("div", { class: "nbr-reasoning-text", dir: "auto" });
  body.textContent = text;
  const n = words(text);
  return hiddenFold("nbr-reasoning", source === "thinking" ? "Thinking" : "Reasoning", `${n} word${n === 1 ? "" : "s"}`, body);
}

/** Highlighted JSON (or the text as it is, when it is not JSON), rendered when first shown. */
function argsBlock(args) {
  const { value, text } = argumentsOf(args);
  const el = h("div", { class: "nbr-tool-args" });
  if (value === undefined) {
    el.classList.add("nbr-tool-args-text");
    el.append(h("div", { class: "nbr-tool-note" }, "arguments (not JSON)"), h("pre", { class: "nbr-plain", dir: "ltr" }, text));
    return el;
  }
  return defer(el, (node) => node.replaceChildren(jsonFragment(value)));
}

function callCard(call) {
  const results = h("div", { class: "nbr-tool-results", role: "list", "aria-label": "results" });
  const card = h(
    "div",
    { class: "nbr-tool-call", dataset: { callId: call.id ?? "", tool: call.name ?? "" } },
    h(
      "div",
      { class: "nbr-tool-call-header" },
      h("span", { class: "nbr-tool-icon", "aria-hidden": "true" }, "ƒ"),
      h("span", { class: "nbr-tool-name", dir: "auto" }, call.name ?? "(unnamed tool)"),
      call.id ? h("span", { class: "nbr-tool-id" }, call.id) : null,
    ),
    argsBlock(call.args),
    results,
  );
  return { card, results, call, answered: false };
}

/** A tool_result part: its text (or JSON), folded past FOLD_LINES lines. */
function resultPart(part) {
  const text = resultText(part.content);
  const body = h("div", { class: "nbr-part-result-text nbr-fold-body", dir: "auto" });
  body.textContent = text;
  const el = h(
    "div",
    { class: "nbr-part-result", role: "listitem", dataset: { callId: part.id ?? "", error: part.error ? "true" : "false" } },
    h("div", { class: "nbr-part-result-header" }, part.error ? "tool result (error)" : "tool result", part.id ? ` · ${part.id}` : ""),
    body,
  );
  const n = lineCount(text);
  return n > FOLD_LINES ? clipFold(el, n) : el;
}

function imagePart(src) {
  const el = h("span", { class: "nbr-part-image nbr-md-image", title: src ? `not loaded: ${src.slice(0, 200)}` : null }, "[image]");
  return defer(el, (node, { loadImages = false } = {}) => {
    if (!loadImages || !src) return;
    const fragment = sanitize(`<img src="${escapeHtml(src)}" alt="image">`, { loadImages: true });
    if (fragment.querySelector("img")) node.replaceChildren(fragment);
  });
}

function unknownPart(part) {
  const type = part && typeof part === "object" && typeof part.type === "string" ? part.type : typeof part;
  return h(
    "div",
    { class: "nbr-part-unknown" },
    h("div", { class: "nbr-tool-note" }, `part “${type}” (shown as data)`),
    h("pre", { class: "nbr-plain", dir: "ltr" }, asText(part)),
  );
}

function header(m, i, link) {
  const role = m.role === null || m.role === undefined ? "" : String(m.role);
  return h(
    "div",
    { class: "nbr-message-header" },
    h("span", { class: "nbr-message-role" }, role || "(no role)"),
    typeof m.name === "string" && m.name ? h("span", { class: "nbr-message-name", dir: "auto" }, m.name) : null,
    link,
    h("span", { class: "nbr-message-index" }, `#${i}`),
  );
}

/** One message: header, reasoning, text, other parts, tool calls, other keys. */
function messageCard(m, i, unit) {
  const role = m.role === null || m.role === undefined ? "" : String(m.role);
  const kind = roleKind(role);
  const link = h("span", { class: "nbr-message-link", hidden: true });
  const text = messageText(m.content);
  const el = h("div", {
    class: "nbr-message nbr-md-unit",
    role: "listitem",
    dataset: {
      role,
      roleKind: kind,
      index: String(i),
      content: typeof m.content === "string" || m.content == null ? "text" : "parts",
    },
  });
  const reasoning = reasoningOf(m);
  el.append(header(m, i, link), ...reasoning.map(reasoningFold));
  const parts = otherParts(m);
  const calls = toolCallsOf(m);
  // "(empty)" only where a message has nothing at all: no text beside a call is no text.
  if (text !== "" || (calls.length === 0 && parts.length === 0 && reasoning.length === 0)) {
    el.append(...unit(text, "nbr-message-text", kind === "tool" ? "result" : "markdown"));
    const n = lineCount(text);
    if (kind === "tool" && n > FOLD_LINES) {
      for (const part of el.querySelectorAll(":scope > .nbr-message-text, :scope > .nbr-message-text-rendered")) {
        part.classList.add("nbr-fold-body");
      }
      clipFold(el, n);
    }
  }
  const results = [];
  for (const part of parts) {
    if (part.kind === "image") el.append(imagePart(part.src));
    else if (part.kind === "result") {
      const block = resultPart(part);
      results.push({ part, block });
      el.append(block);
    } else el.append(unknownPart(part.part));
  }
  const cards = calls.map(callCard);
  if (cards.length) el.append(h("div", { class: "nbr-tool-calls" }, cards.map((c) => c.card)));
  const rest = Object.entries(m).filter(
    ([k, v]) => !DRAWN_KEYS.has(k) && v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0),
  );
  if (rest.length) el.append(h("pre", { class: "nbr-message-extra" }, asText(Object.fromEntries(rest))));
  return { el, kind, link, cards, results, message: m };
}

/** The call a result answers: by id, else the first one not yet answered (same tool first). */
function callFor(open, id, name) {
  if (id !== null) {
    const byId = open.find((c) => c.call.id === id);
    if (byId) return byId;
  }
  const free = open.filter((c) => !c.answered && (id === null || !c.call.id));
  return free.find((c) => name !== null && c.call.name === name) ?? free[0] ?? null;
}

/** Put each result under its call; a result part leaves a note where it was. */
function attachResults(built, open = []) {
  for (const b of built) {
    if (b.kind === "tool" && !b.message.tool_calls) {
      const { id, name } = resultOf(b.message);
      const target = callFor(open, id, name);
      if (target) {
        target.answered = true;
        target.results.append(b.el);
        b.el.dataset.nested = "";
        b.link.hidden = false;
        b.link.textContent = `result of ${target.call.name ?? "a call"}`;
        b.nested = true;
      } else if (id !== null) {
        b.link.hidden = false;
        b.link.textContent = `answers ${id}`;
      }
    }
    for (const r of b.results) {
      const target = callFor(open, r.part.id, null);
      if (!target) continue;
      target.answered = true;
      r.block.replaceWith(h("div", { class: "nbr-tool-note nbr-moved" }, `result of ${target.call.name ?? "a call"}: shown under the call`));
      target.results.append(r.block);
    }
    open.push(...b.cards);
  }
}

/** Messages built at once; a longer chat builds the rest in later tasks (or when asked for). */
export const FIRST_MESSAGES = 60;
const CHATS = new WeakMap(); // .nbr-chat → its build state

/** Build messages up to `last` (inclusive) and append them; returns the messages added. */
function buildUpTo(state, last) {
  const added = [];
  const end = Math.min(last + 1, state.messages.length);
  const batch = [];
  for (let i = state.next; i < end; i += 1) {
    const b = messageCard(state.messages[i], i, state.unit);
    b.el.dataset.view = "rendered";
    if (b.el.querySelector(":scope > .nbr-rendered")) b.el.dataset.unrendered = ""; // raw text meanwhile
    state.els[i] = b.el;
    const slot = state.slots.get(i); // a per-turn question's slot, made before its message
    if (slot) {
      b.el.append(slot);
      state.slots.delete(i);
    }
    batch.push(b);
  }
  state.next = Math.max(state.next, end);
  attachResults(batch, state.open);
  const cards = [];
  for (const b of batch) {
    if (!b.nested) cards.push(b.el);
    added.push(b.el); // a result nested in an earlier card is rendered on its own too
  }
  if (state.win) state.win.add(cards, state.messages.length - state.next);
  else state.chat.append(...cards);
  if (added.length) state.onAdded?.(added);
  return added;
}

/** Build the rest of a long chat a slice at a time, so no task grows long. */
function buildRest(state) {
  later(() => {
    if (state.next >= state.messages.length || !state.chat.isConnected) return state.next < state.messages.length;
    buildUpTo(state, state.next + 19);
    return state.next < state.messages.length;
  });
}

/**
 * The chat: one .nbr-message per message in .nbr-chat (a tool's message inside the card of the
 * call it answers). `unit(text, cls, as)` makes a message's raw and rendered text parts. The
 * first FIRST_MESSAGES are built now, the others in the tasks after (chatMessage builds one
 * at once when it is asked for sooner).
 */
export function buildChat(messages, unit) {
  const chat = h("div", { class: "nbr-chat", role: "list" });
  const state = { messages, unit, chat, els: [], open: [], next: 0, slots: new Map(), onAdded: null, onAttach: null, win: null };
  CHATS.set(chat, state);
  // A long chat keeps only the cards near the view in the page (js/render/window.js).
  if (messages.length > WINDOW_FROM) state.win = new ChatWindow(chat, (els) => state.onAttach?.(els));
  buildUpTo(state, FIRST_MESSAGES - 1);
  if (state.next < messages.length) buildRest(state);
  return chat;
}

/** The number of messages of a chat (built or not). */
export const chatLength = (chat) => CHATS.get(chat)?.messages.length ?? 0;

/** Message i's element; built now (with those before it) unless `build` is false, then null. */
export function chatMessage(chat, i, build = true) {
  const state = CHATS.get(chat);
  if (!state || !Number.isInteger(i) || i < 0 || i >= state.messages.length) return null;
  if (i >= state.next && build) buildUpTo(state, i);
  return state.els[i] ?? null;
}

/** Message i's per-turn slot: in the message when built, else kept until it is. */
export function chatSlot(chat, i, make) {
  const el = chatMessage(chat, i, false);
  if (el) return null; // built: the caller puts the slot in the message itself
  const state = CHATS.get(chat);
  if (!state || !Number.isInteger(i) || i < 0 || i >= state.messages.length) return null;
  if (!state.slots.has(i)) state.slots.set(i, make());
  return state.slots.get(i);
}

/** Call `fn(messages)` with the top-level messages built from now on. */
export function onMessagesAdded(chat, fn) {
  const state = CHATS.get(chat);
  if (state) state.onAdded = fn;
}

/** Call `fn(cards)` with the cards a windowed chat puts back in the page (none otherwise). */
export function onMessagesAttached(chat, fn) {
  const state = CHATS.get(chat);
  if (state) state.onAttach = fn;
}
