// Buttons and actions as every question kind makes them, written once.
//
// A kind's button never takes focus (the widget root keeps it, and the keys with it), and its
// click goes no further than the button: the section's own click would focus the question
// again. What the click does goes through `ctx.dispatch`, so during a record change it is held
// and replayed like a key (docs/protocol.md, "Front end: question kinds").
import { h } from "../dom.js";

/** On mousedown: the button does not take focus, so the widget root keeps it. */
export const keepFocus = (e) => e.preventDefault();

/**
 * The actions of question `index`: `act(op, extra)` is a `{type: "kind", index, op, ...}`
 * action; `run(action)` dispatches it and gives the keyboard back to the widget root
 * (`refocus = false`: the click only moves within the question, focus stays as it is).
 */
export function actions(ctx, index) {
  const act = (op, extra = {}) => ({ type: "kind", index, op, ...extra });
  const run = (action, refocus = true) => {
    ctx.dispatch(action);
    if (refocus) ctx.refocus?.();
  };
  return { act, run };
}

/** A button that keeps focus where it is; `onClick(event)` runs on a click, which stops there. */
export function button(props, onClick, ...children) {
  return h(
    "button",
    {
      type: "button",
      tabindex: "-1",
      ...props,
      onmousedown: keepFocus,
      onclick: (e) => {
        e.stopPropagation();
        onClick(e);
      },
    },
    ...children,
  );
}

/** The key that does it, as a `kbd.nbr-key` badge; null (nothing drawn) without a key. */
export const keyBadge = (key) => (key ? h("kbd", { class: "nbr-key" }, key) : null);

/**
 * An option's insides: its key, its value (`.nbr-option-value`) and its label
 * (`.nbr-option-label`); each left out when null. `dir: "auto"` for dataset or config text,
 * so a right-to-left label reads right to left; null for the widget's own English.
 */
export function optionParts({ key = null, value = null, label = null, dir = "auto" }) {
  return [
    keyBadge(key),
    value === null ? null : h("span", { class: "nbr-option-value" }, String(value)),
    label === null ? null : h("span", { class: "nbr-option-label", dir }, String(label)),
  ];
}

/** Show an option as chosen (`.nbr-selected`, `aria-pressed`), or as the suggestion. */
export function showChosen(el, on, suggested = false) {
  el.classList.toggle("nbr-selected", on && !suggested);
  el.classList.toggle("nbr-suggested", on && suggested);
  el.setAttribute("aria-pressed", String(on && !suggested));
}
