// A record's fields as the reader expects them: text as text, markdown rendered, chats as
// conversations. Markdown (a Markdown field, or one message of a Chat) is a "unit" with two
// views: `.nbr-raw-text`, the text exactly as stored (what span questions mark), and
// `.nbr-rendered`, the sanitized rendering. Units start rendered; the widget's raw switch
// (key r) shows every unit raw; a unit a question draws over (claimed) always shows raw.
// Rendering is lazy: a unit is rendered the first time it is shown rendered.
import "./render.css";
import "./trace.css";
import { h } from "../dom.js";
import {
  buildChat,
  chatLength,
  chatMessage,
  chatSlot,
  isChat,
  messageText,
  onMessagesAdded,
  onMessagesAttached,
} from "./chat.js";
import { toggleFolds } from "./folds.js";
import { enqueue, runJob, schedule } from "./lazy.js";
import { buildSteps, stepsOf } from "./steps.js";
import { messagePosition, parseTarget } from "./target.js";
import { notice, rawBody, unitParts } from "./units.js";
import { schedule as scheduleWindows, windowOf } from "./window.js";

export { toggleFolds };

export const NOT_MARKDOWN = "This value is not text, so it is shown as data, not rendered.";
export const NOT_CHAT =
  'This value is not a list of {"role", "content"} messages, so it is shown as data.';
export const NOT_STEPS = "This value is not a list of steps (strings), so it is shown as data.";

const typeName = (value) => (Array.isArray(value) ? "a list" : value === null ? "null" : `a ${typeof value}`);

/** A field value as display text (JSON for lists and dicts). */
export function valueText(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "object") return JSON.stringify(value, null, 2);
  return String(value);
}

function badValue(section, why, value) {
  section.append(notice(`${why} (It is ${typeName(value)}.)`), rawBody(valueText(value), "nbr-field-body"));
  section.classList.add("nbr-field-bad");
}

/** One .nbr-field for a field spec {column, kind} and the record's value. */
export function buildField({ column, kind = "text", sep }, value, textOf = valueText) {
  const header = h("div", { class: "nbr-field-header" }, h("span", { class: "nbr-field-name", dir: "auto" }, column));
  const section = h("section", { class: "nbr-field", dataset: { column, kind } }, header);
  if (kind === "markdown") {
    if (value === null || value === undefined || typeof value === "string") {
      section.classList.add("nbr-md-unit");
      section.dataset.view = "rendered";
      section.append(...unitParts(value ?? "", "nbr-field-body"));
    } else badValue(section, NOT_MARKDOWN, value);
  } else if (kind === "chat") {
    if (value === null || value === undefined || isChat(value)) {
      const chat = buildChat(value ?? [], unitParts);
      chat.classList.add("nbr-field-body");
      if (!value?.length) chat.classList.add("nbr-empty");
      for (const m of chat.querySelectorAll(".nbr-message")) m.dataset.view = "rendered";
      section.append(chat);
    } else badValue(section, NOT_CHAT, value);
  } else if (kind === "steps") {
    const steps = stepsOf(value, sep);
    if (steps) {
      const list = buildSteps(steps);
      list.classList.add("nbr-field-body");
      if (!steps.length) list.classList.add("nbr-empty");
      section.append(list);
    } else badValue(section, NOT_STEPS, value);
  } else {
    section.append(rawBody(textOf(value), "nbr-field-body"));
  }
  scrollRegions(section, column);
  return section;
}

/** A field's body scrolls when long: the keyboard can reach it, and it says whose it is. */
function scrollRegions(section, column) {
  for (const body of section.querySelectorAll(":scope > .nbr-field-body, :scope > .nbr-field-body-rendered")) {
    body.setAttribute("tabindex", "0");
    body.setAttribute("aria-label", String(column));
  }
}

/** Replace the container's children with one .nbr-field per configured field. */
export function buildFields(container, fields = [], values = {}, textOf = valueText) {
  container.replaceChildren(...fields.map((f) => buildField(f, values?.[f.column], textOf)));
}

/** Run the work a unit or card put off, as it should show now (raw units stay unrendered). */
function renderPending(scope, options) {
  const own = scope.matches?.(".nbr-md-unit") ? [scope] : [];
  for (const unit of [...own, ...scope.querySelectorAll(".nbr-md-unit")]) {
    if (unit.dataset.view !== "rendered") continue;
    const el = unit.querySelector(":scope > .nbr-rendered[data-pending]");
    if (el) runJob(el, options);
    unit.removeAttribute("data-unrendered");
  }
  for (const el of scope.querySelectorAll("[data-pending]:not(.nbr-rendered)")) runJob(el, options);
}

/**
 * Show every markdown unit as it should be now: raw when `raw` is on or the unit is claimed,
 * rendered otherwise (rendering it now if it never was). A long chat renders its first
 * messages now and the others as they come near the visible area (js/render/lazy.js).
 */
export function showUnits(container, { raw = false, loadImages = false } = {}) {
  const options = { loadImages };
  for (const unit of container.querySelectorAll(".nbr-md-unit")) {
    unit.dataset.view = raw || unit.hasAttribute("data-claimed") ? "raw" : "rendered";
  }
  const chats = [...container.querySelectorAll(".nbr-chat")];
  for (const chat of chats) {
    const run = (m) => renderPending(m, options);
    if (windowOf(chat)) {
      showWindowed(chat, raw, run);
      continue;
    }
    schedule(chat, [...chat.querySelectorAll(":scope > .nbr-message")], run);
    // Messages a long chat builds later: shown as the others are, rendered as they come into view.
    onMessagesAdded(chat, (added) => {
      for (const m of added) {
        for (const unit of [m, ...m.querySelectorAll(".nbr-md-unit")]) {
          unit.dataset.view = raw || unit.hasAttribute("data-claimed") ? "raw" : "rendered";
        }
      }
      schedule(chat, added, run, false);
    });
  }
  for (const unit of container.querySelectorAll(".nbr-md-unit")) {
    if (unit.closest(".nbr-chat")) continue;
    renderPending(unit, options);
  }
  // A chat opens on the message a question marks (once per record: then the reader scrolls).
  for (const chat of chats) {
    if (chat.hasAttribute("data-scrolled")) continue;
    const claimed = chat.querySelector(".nbr-message[data-claimed]");
    if (!claimed) continue;
    chat.dataset.scrolled = "";
    const offset = claimed.getBoundingClientRect().top - chat.getBoundingClientRect().top;
    chat.scrollTop += Math.max(0, offset - 8);
  }
}

/** A windowed chat (js/render/window.js): each card shown as the others are when it comes
 * back into the page, and rendered then, a slice at a time. */
function showWindowed(chat, raw, run) {
  const show = (cards) => {
    for (const m of cards) {
      for (const unit of [m, ...m.querySelectorAll(".nbr-md-unit")]) {
        unit.dataset.view = raw || unit.hasAttribute("data-claimed") ? "raw" : "rendered";
      }
      if (!m.hasAttribute("data-unrendered") && !m.querySelector("[data-pending]")) continue;
      enqueue(() => {
        if (!m.isConnected) return; // scrolled past before its turn came: rendered when back
        run(m);
        scheduleWindows(); // its height changed
      }, m);
    }
  };
  onMessagesAttached(chat, show);
  show([...chat.querySelectorAll(":scope > .nbr-message")]);
}

const STEPS = new WeakMap(); // a steps section → its steps, by index

function stepsIn(section) {
  let steps = STEPS.get(section);
  if (!steps) {
    steps = [...section.querySelectorAll(".nbr-step[data-index]")];
    STEPS.set(section, steps);
  }
  return steps;
}

const chatIn = (section) => section.querySelector(":scope > .nbr-chat");

/** How many turns a chat or steps section has. */
const turnCount = (section) =>
  section.dataset.kind === "chat" ? chatLength(chatIn(section)) : stepsIn(section).length;

/** Turn `i` of a chat (built now if it was not yet) or steps section, or null. */
function messageAt(section, i, build = true) {
  if (section.dataset.kind === "chat") return chatMessage(chatIn(section), i, build);
  return stepsIn(section)[i] ?? null;
}

/**
 * The element holding a target's raw text, for a question to draw over, or null when the
 * record does not show it: "col" is field col's .nbr-field-body; "col[i]" the text of
 * message i of the chat field col. The unit it belongs to is marked claimed (shown raw).
 */
export function claimTarget(container, target) {
  const { column, message } = parseTarget(target);
  const section = [...container.children].find((f) => f.dataset.column === column);
  if (!section || section.classList.contains("nbr-field-bad")) return null;
  if (message === null) {
    if (section.dataset.kind === "chat" || section.dataset.kind === "steps") return null;
    if (section.classList.contains("nbr-md-unit")) section.dataset.claimed = "";
    return section.querySelector(":scope > .nbr-field-body");
  }
  if (section.dataset.kind !== "chat") return null;
  const i = messagePosition(message, turnCount(section));
  const el = i === null ? null : messageAt(section, i);
  const body = el?.querySelector(":scope > .nbr-message-text");
  if (!body) return null;
  el.dataset.claimed = "";
  return body;
}

/**
 * Where a per-turn question draws its controls for turn `i` of field `column` (a chat's
 * message or a step): a `.nbr-turn-slot` at the end of that turn, made on first use; null
 * when the record does not show that turn.
 */
export function turnSlot(container, column, i) {
  const section = [...container.children].find((f) => f.dataset.column === column);
  if (!section || section.classList.contains("nbr-field-bad")) return null;
  if (section.dataset.kind !== "chat" && section.dataset.kind !== "steps") return null;
  // A message a long chat has not built yet gets its slot when it is built.
  const waiting = section.dataset.kind === "chat" ? chatSlot(chatIn(section), i, () => h("div", { class: "nbr-turn-slot" })) : null;
  if (waiting) return waiting;
  const turn = messageAt(section, i);
  if (!turn) return null;
  let slot = turn.querySelector(":scope > .nbr-turn-slot");
  if (!slot) {
    slot = h("div", { class: "nbr-turn-slot" });
    turn.append(slot);
  }
  return slot;
}

/** Turn `i`'s element put in the page (a long chat keeps only the cards near the view in
 * it), to be scrolled into view; null when the record does not show it. */
export function revealTurn(container, column, i) {
  const el = turnElement(container, column, i);
  const section = [...container.children].find((f) => f.dataset.column === column);
  if (el && section?.dataset.kind === "chat") windowOf(chatIn(section))?.reveal(el);
  return el;
}

/** The element of turn `i` of field `column` (to scroll to and mark), built if need be, or null. */
export function turnElement(container, column, i) {
  const section = [...container.children].find((f) => f.dataset.column === column);
  if (!section || section.classList.contains("nbr-field-bad")) return null;
  if (section.dataset.kind !== "chat" && section.dataset.kind !== "steps") return null;
  return messageAt(section, i);
}

export { messageText };
