// A Steps field (nr.Steps, API.md 11): a solution split into numbered steps. The kernel sends
// the steps already split, as a list of strings (contract A); a plain string (an older kernel)
// is split here on the field's `sep`. Each step is text, shown as text.
import { h } from "../dom.js";

/** The steps of a value: a list of strings as it is, a string split on `sep`, else null. */
export function stepsOf(value, sep = "\n\n") {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.every((s) => typeof s === "string") ? value : null;
  if (typeof value === "string") return value === "" ? [] : value.split(sep || "\n\n");
  return null;
}

/** An ordered list of .nbr-step items, each with its number and its text. */
export function buildSteps(steps) {
  return h(
    "ol",
    { class: "nbr-steps", "aria-label": "steps" },
    steps.map((text, i) =>
      h(
        "li",
        { class: "nbr-step", dataset: { index: String(i) } },
        h("span", { class: "nbr-step-number", "aria-hidden": "true" }, String(i + 1)),
        h("div", { class: "nbr-step-text nbr-raw-text", dir: "auto" }, text),
      ),
    ),
  );
}
