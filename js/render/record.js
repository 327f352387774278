// A record's fields as the reader expects them: text as text, markdown rendered, chats as
// conversations. Markdown (a Markdown field, or one message of a Chat) is a "unit" with two
// views: `.nbr-raw-text`, the text exactly as stored (what span questions mark), and
// `.nbr-rendered`, the sanitized rendering. Units start rendered; the widget's raw switch
// (key r) shows every unit raw; a unit a question draws over (claimed) always shows raw.
// Rendering is lazy: a unit is rendered the first time it is shown rendered.
import "./render.css";
import { h } from "../dom.js";
import { buildChat, isChat } from "./chat.js";
import { renderMarkdown } from "./markdown.js";
import { messagePosition, parseTarget } from "./target.js";

const SOURCES = new WeakMap(); // .nbr-rendered element → its markdown text

export const NOT_MARKDOWN = "This value is not text, so it is shown as data, not rendered.";
export const NOT_CHAT =
  'This value is not a list of {"role", "content"} messages, so it is shown as data.';

const typeName = (value) => (Array.isArray(value) ? "a list" : value === null ? "null" : `a ${typeof value}`);

/** A field value as display text (JSON for lists and dicts). */
export function valueText(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "object") return JSON.stringify(value, null, 2);
  return String(value);
}

// dir="auto": right-to-left text (Arabic, Hebrew) is laid out right to left, per field.
function rawBody(text, cls) {
  const body = h("div", { class: `${cls} nbr-raw-text`, dir: "auto" });
  body.textContent = text; // untrusted: text only
  if (text === "") body.classList.add("nbr-empty");
  return body;
}

/** The raw and rendered parts of a markdown unit (the rendering waits until it is shown). */
function unitParts(text, cls) {
  const rendered = h("div", { class: `${cls}-rendered nbr-rendered nbr-md`, dir: "auto", dataset: { pending: "" } });
  SOURCES.set(rendered, text);
  if (text === "") rendered.classList.add("nbr-empty");
  return [rawBody(text, cls), rendered];
}

function notice(text) {
  return h("div", { class: "nbr-field-notice", role: "note" }, text);
}

/** One .nbr-field for a field spec {column, kind} and the record's value. */
export function buildField({ column, kind = "text" }, value, textOf = valueText) {
  const header = h("div", { class: "nbr-field-header" }, h("span", { class: "nbr-field-name", dir: "auto" }, column));
  const section = h("section", { class: "nbr-field", dataset: { column, kind } }, header);
  if (kind === "markdown") {
    if (value === null || value === undefined || typeof value === "string") {
      section.classList.add("nbr-md-unit");
      section.dataset.view = "rendered";
      section.append(...unitParts(value ?? "", "nbr-field-body"));
    } else {
      section.append(notice(`${NOT_MARKDOWN} (It is ${typeName(value)}.)`), rawBody(valueText(value), "nbr-field-body"));
      section.classList.add("nbr-field-bad");
    }
  } else if (kind === "chat") {
    if (value === null || value === undefined || isChat(value)) {
      const chat = buildChat(value ?? [], unitParts);
      chat.classList.add("nbr-field-body");
      if (!value?.length) chat.classList.add("nbr-empty");
      for (const m of chat.children) m.dataset.view = "rendered";
      section.append(chat);
    } else {
      section.append(notice(`${NOT_CHAT} (It is ${typeName(value)}.)`), rawBody(valueText(value), "nbr-field-body"));
      section.classList.add("nbr-field-bad");
    }
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

/**
 * Show every markdown unit as it should be now: raw when `raw` is on or the unit is claimed,
 * rendered otherwise (rendering it now if it never was).
 */
export function showUnits(container, { raw = false, loadImages = false } = {}) {
  for (const unit of container.querySelectorAll(".nbr-md-unit")) {
    const showRaw = raw || unit.hasAttribute("data-claimed");
    unit.dataset.view = showRaw ? "raw" : "rendered";
    if (showRaw) continue;
    const el = unit.querySelector(":scope > .nbr-rendered[data-pending]");
    if (!el) continue;
    delete el.dataset.pending;
    const text = SOURCES.get(el) ?? "";
    try {
      el.replaceChildren(renderMarkdown(text, { loadImages }));
    } catch (err) {
      // Never a blank or a crash: the text as it is, and why.
      el.replaceChildren(notice(`This text could not be rendered (${err?.message ?? err}); shown raw.`));
      el.append(rawBody(text, "nbr-md-fallback"));
    }
  }
  // A chat opens on the message a question marks (once per record: then the reader scrolls).
  for (const chat of container.querySelectorAll(".nbr-chat:not([data-scrolled])")) {
    const claimed = chat.querySelector(":scope > .nbr-message[data-claimed]");
    if (!claimed) continue;
    chat.dataset.scrolled = "";
    const offset = claimed.getBoundingClientRect().top - chat.getBoundingClientRect().top;
    chat.scrollTop += Math.max(0, offset - 8);
  }
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
    if (section.dataset.kind === "chat") return null;
    if (section.classList.contains("nbr-md-unit")) section.dataset.claimed = "";
    return section.querySelector(":scope > .nbr-field-body");
  }
  if (section.dataset.kind !== "chat") return null;
  const messages = section.querySelectorAll(".nbr-message");
  const i = messagePosition(message, messages.length);
  if (i === null || messages[i].dataset.content !== "text") return null;
  messages[i].dataset.claimed = "";
  return messages[i].querySelector(":scope > .nbr-message-text");
}
