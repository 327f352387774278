// Folds: parts of a record shown closed until the reader opens them. Reasoning is folded away
// (only its summary shows); a long tool result is clipped to its first lines. A fold's button
// opens or closes it; the widget's `unfold` key (t) opens every fold of the record, and closes
// them again when all are open. Buttons never take focus: the widget root keeps the keys.
import { h } from "../dom.js";
import { detachedIn } from "./window.js";

/** Tool results longer than this many lines start folded. */
export const FOLD_LINES = 40;

export const lineCount = (text) => (text ? String(text).split("\n").length : 0);

function setOpen(fold, open) {
  fold.toggleAttribute("data-folded", !open);
  const toggle = fold.querySelector(":scope > .nbr-fold-toggle, :scope > .nbr-fold-head > .nbr-fold-toggle");
  if (!toggle) return;
  toggle.setAttribute("aria-expanded", String(open));
  const label = toggle.querySelector(".nbr-fold-label");
  if (label) label.textContent = open ? toggle.dataset.close : toggle.dataset.open;
}

/** The button that opens and closes `fold`; `open` and `close` are what it says in each state. */
function toggleButton(fold, open, close) {
  return h(
    "button",
    {
      type: "button",
      class: "nbr-fold-toggle",
      tabindex: "-1",
      "aria-expanded": "false",
      dataset: { open, close },
      onmousedown: (e) => e.preventDefault(),
      onclick: (e) => {
        e.stopPropagation();
        setOpen(fold, fold.hasAttribute("data-folded"));
      },
    },
    h("span", { class: "nbr-fold-label" }, open),
    h("kbd", { class: "nbr-key", title: "t opens or closes every fold" }, "t"),
  );
}

/**
 * A fold that hides its body: a head line (`title`, an optional `note`) with the toggle, and
 * `body` shown only when open. Used for reasoning.
 */
export function hiddenFold(cls, title, note, body) {
  const fold = h("div", { class: `nbr-fold nbr-fold-hide ${cls}`, dataset: { folded: "" } });
  const head = h(
    "div",
    { class: "nbr-fold-head" },
    h("span", { class: "nbr-fold-title" }, title),
    note ? h("span", { class: "nbr-fold-note" }, note) : null,
  );
  head.append(toggleButton(fold, "show", "hide"));
  body.classList.add("nbr-fold-body");
  fold.append(head, body);
  return fold;
}

/**
 * Make `el` a fold that clips its `.nbr-fold-body` children to their first lines, with a
 * toggle after them ("show all N lines"). Used for tool results over FOLD_LINES lines.
 */
export function clipFold(el, lines) {
  el.classList.add("nbr-fold", "nbr-fold-clip");
  el.setAttribute("data-folded", "");
  el.append(toggleButton(el, `show all ${lines} lines`, "show less"));
  return el;
}

/** `t`: open every fold in `container`; when every one is open already, close them all. */
export function toggleFolds(container) {
  // A long chat's cards out of the page (js/render/window.js) count too.
  const folds = [container, ...detachedIn(container)].flatMap((el) => [...el.querySelectorAll(".nbr-fold")]);
  const open = folds.some((f) => f.hasAttribute("data-folded"));
  for (const f of folds) setOpen(f, open);
  return open;
}
