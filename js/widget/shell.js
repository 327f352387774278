// The widget's fixed parts: header, panels, field and question areas, buttons, notice.
// Buttons never take focus, so the widget root keeps it (and the keys with it).
import { h, setFlag, setText } from "../dom.js";
import { buildHelp } from "../help.js";
import { keysText } from "../keys.js";
import { buildProgress } from "../progress.js";
import { DONE_TEXT, EMPTY_TEXT, positionText } from "./notices.js";

const keepFocus = (e) => e.preventDefault();

/** `act(action)` runs a button's action; returns the parts `render` updates. */
export function buildShell(act) {
  const button = (label, cls, action, title) =>
    h(
      "button",
      { type: "button", class: `nbr-button ${cls}`, tabindex: "-1", title, onmousedown: keepFocus,
        onclick: () => act(action) },
      label,
    );
  const parts = {
    button,
    position: h("span", { class: "nbr-position" }),
    status: h("span", { class: "nbr-status", hidden: true }),
    progress: buildProgress(),
    guidelinesToggle: button("Guidelines", "nbr-guidelines-toggle", { type: "guidelines" }),
    helpToggle: button("Keys", "nbr-help-toggle", { type: "help" }),
    // Markdown and chats: rendered, or (key r) the raw text as stored.
    rawToggle: button("Raw", "nbr-raw-toggle", { type: "raw" }),
    guidelinesText: h("div", { class: "nbr-guidelines-text", tabindex: "0", "aria-label": "Guidelines text" }),
    banner: h("div", { class: "nbr-banner", role: "status", hidden: true }),
    stale: h("div", { class: "nbr-stale-banner", role: "alert", hidden: true }),
    fields: h("div", { class: "nbr-fields" }),
    questions: h("div", { class: "nbr-questions" }),
    accept: button("Accept suggestions", "nbr-accept", { type: "accept" }),
    submit: button("Submit", "nbr-submit", { type: "submit" }),
    skip: button("Skip", "nbr-skip", { type: "skip" }),
    prev: button("← Prev", "nbr-prev", { type: "prev" }),
    next: button("Next →", "nbr-next", { type: "next" }),
    undo: button("Undo", "nbr-undo", { type: "undo" }),
    notice: h("div", { class: "nbr-notice", role: "status", "aria-live": "polite", hidden: true }),
    help: buildHelp({}),
  };
  parts.guidelinesToggle.setAttribute("aria-expanded", "false");
  parts.helpToggle.setAttribute("aria-expanded", "false");
  parts.rawToggle.setAttribute("aria-pressed", "false");
  parts.guidelines = h(
    "div",
    { class: "nbr-guidelines", hidden: true },
    h("div", { class: "nbr-section-title" }, "Guidelines"),
    parts.guidelinesText,
  );
  const p = parts;
  p.actions = h("div", { class: "nbr-actions" }, p.accept, p.submit, p.skip,
    h("span", { class: "nbr-spacer" }), p.prev, p.next, p.undo);
  p.header = h("div", { class: "nbr-header" }, p.position, p.status, p.progress.el, p.rawToggle,
    p.guidelinesToggle, p.helpToggle);
  return parts;
}

// Each button's words, and how its key is shown: in the label ("Submit (Enter)") or the title.
const HINTS = [
  ["guidelinesToggle", "guidelines", "Guidelines", null],
  ["helpToggle", "help", "Keys", null],
  ["rawToggle", "raw", "Raw", "show markdown as raw text"],
  ["accept", "accept", "Accept suggestions", null],
  ["submit", "submit", "Submit", null],
  ["skip", "skip", "Skip", null],
  ["prev", "prev", null, "previous record"],
  ["next", "next", null, "next record"],
  ["undo", "undo", null, "undo the last change"],
];

/** Show the keys in force on the buttons: "Skip (x)", or a title "next record (l)". */
export function showKeys(p, keys) {
  for (const [part, action, label, title] of HINTS) {
    const k = keysText(keys, action);
    if (label !== null) setText(p[part], k ? `${label} (${k})` : label);
    if (title !== null) p[part].title = k ? `${title} (${k})` : title;
  }
}

/** The focusable root, holding the parts in reading order. */
export function buildRoot(p, { queue, others, onKeydown }) {
  return h(
    "div",
    { class: "nbr-root", tabindex: "0", role: "application", "aria-label": "Review",
      "aria-roledescription": "review widget", onkeydown: onKeydown },
    p.stale, p.header, queue.el, p.guidelines, p.help, p.banner, p.fields, others.el, p.questions,
    p.actions, p.notice,
  );
}

/** Show the view's state in the fixed parts: header, banner, buttons, notice, root data. */
export function showChrome(p, root, { v, rec, ack, raw, help, acceptable, ready, unsaved, notice }) {
  root.dataset.ack = String(ack);
  root.dataset.position = v.position === null || v.position === undefined ? "" : String(v.position);
  root.dataset.key = rec?.key ?? "";
  root.dataset.status = rec?.status ?? "";
  root.classList.toggle("nbr-no-record", !rec);
  root.classList.toggle("nbr-unsaved", unsaved);
  setText(p.position, rec ? positionText(v) : "");
  setFlag(p.status, "hidden", !rec?.status);
  setText(p.status, rec?.status ?? "");
  p.status.dataset.status = rec?.status ?? "";
  p.progress.update(v.progress);
  const bannerText = !rec ? EMPTY_TEXT : v.done ? DONE_TEXT : "";
  setText(p.banner, bannerText);
  setFlag(p.banner, "hidden", bannerText === "");
  for (const part of [p.fields, p.questions, p.actions]) setFlag(part, "hidden", !rec);
  p.rawToggle.setAttribute("aria-pressed", String(raw));
  setFlag(p.accept, "hidden", !acceptable);
  p.submit.classList.toggle("nbr-ready", ready);
  setFlag(p.undo, "disabled", !v.can_undo);
  // Arrows move in queue order; from a row outside the queue, → steps back into it.
  const at = v.index ?? v.position ?? 0;
  setFlag(p.prev, "disabled", !rec || v.index === null || at <= 0);
  setFlag(p.next, "disabled", !rec || (v.index !== null && at >= (v.total ?? 0) - 1));
  const told = p.notice.hidden ? "" : p.notice.textContent;
  setText(p.notice, notice?.text ?? "");
  p.notice.dataset.kind = notice?.kind ?? "";
  setFlag(p.notice, "hidden", !notice);
  // A refusal or an error is seen where it is: brought into view when it first says so.
  if (notice?.kind === "error" && notice.text !== told) p.notice.scrollIntoView?.({ block: "nearest" });
  p.guidelinesToggle.setAttribute("aria-expanded", String(!p.guidelines.hidden));
  p.helpToggle.setAttribute("aria-expanded", String(!help.hidden));
}
