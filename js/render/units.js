// A markdown unit's two views (see record.js): `.nbr-raw-text`, the text exactly as stored
// (what span questions mark), and `.nbr-rendered`, its sanitized rendering, made only when
// first shown (js/render/lazy.js).
import { h } from "../dom.js";
import { jsonFragment } from "./code.js";
import { defer } from "./lazy.js";
import { renderMarkdown } from "./markdown.js";

export function notice(text) {
  return h("div", { class: "nbr-field-notice", role: "note" }, text);
}

// dir="auto": right-to-left text (Arabic, Hebrew) is laid out right to left, per field.
export function rawBody(text, cls) {
  const body = h("div", { class: `${cls} nbr-raw-text`, dir: "auto" });
  body.textContent = text; // untrusted: text only
  if (text === "") body.classList.add("nbr-empty");
  return body;
}

/** Markdown, rendered and sanitized into `el`; the text as it is, and why, if that fails. */
export function markdownInto(el, text, { loadImages = false } = {}) {
  try {
    el.replaceChildren(renderMarkdown(text, { loadImages }));
  } catch (err) {
    // Never a blank or a crash: the text as it is, and why.
    el.replaceChildren(notice(`This text could not be rendered (${err?.message ?? err}); shown raw.`));
    el.append(rawBody(text, "nbr-md-fallback"));
  }
}

/** The text parsed as JSON when it is a JSON object or list, else undefined. */
function jsonOf(text) {
  const t = text.trimStart();
  if (!t.startsWith("{") && !t.startsWith("[")) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The raw and rendered parts of a unit. `as`: "markdown" (default), or "result" (a tool's
 * output: highlighted, indented JSON when it is JSON, else markdown).
 */
export function unitParts(text, cls, as = "markdown") {
  const rendered = h("div", { class: `${cls}-rendered nbr-rendered nbr-md`, dir: "auto" });
  defer(rendered, (el, options) => {
    const value = as === "result" ? jsonOf(text) : undefined;
    if (value !== undefined) el.replaceChildren(jsonFragment(value));
    else markdownInto(el, text, options);
  });
  if (text === "") rendered.classList.add("nbr-empty");
  return [rawBody(text, cls), rendered];
}
