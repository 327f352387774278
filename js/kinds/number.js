// Number questions (nr.Number): an <input type="number"> saved as the annotator types.
//
// Self-contained: the keys it takes, how a value is parsed and checked, and its CSS live
// here. The input is the question's text box (`takesText`): keys typed in it are its own
// (digits, ".", "-", arrows); the widget still takes Tab (next question), Esc (back to the
// widget's keys) and Ctrl/Cmd+Enter, and a blur sends the value first. Enter submits from
// the box too (a one-line box has no newline to type): the value is sent, then the submit.
// With the question focused and the box not, a digit starts typing the number.
import { h, setFlag } from "../dom.js";
import { debounce } from "../debounce.js";
import "./number.css";
import { questionShell } from "./shell.js";

export const NUMBER_DELAY_MS = 400;

/** The range and step in words ("0 to 10, steps of 0.5"), for the header and errors. */
export function describe(question) {
  const { min, max, step } = question;
  const has = (v) => typeof v === "number";
  let text = "number";
  if (has(min) && has(max)) text = `${min} to ${max}`;
  else if (has(min)) text = `≥ ${min}`;
  else if (has(max)) text = `≤ ${max}`;
  return has(step) ? `${text}, steps of ${step}` : text;
}

/** What the box holds: a number, null (empty), or an error saying why it cannot be sent. */
export function parseNumber(question, text) {
  const trimmed = String(text ?? "").trim();
  if (trimmed === "") return { value: null };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { error: "not a number" };
  const { min, max, step } = question;
  if ((typeof min === "number" && value < min) || (typeof max === "number" && value > max)) {
    return { error: `out of range (${describe(question)})` };
  }
  if (typeof step === "number") {
    const steps = (value - (typeof min === "number" ? min : 0)) / step;
    if (Math.abs(steps - Math.round(steps)) > 1e-9 * Math.max(1, Math.abs(steps))) {
      return { error: `not a step of ${step}` };
    }
  }
  return { value };
}

/** The box: an <input type="number"> that says its range, and the note beside it. */
function numberBox(question, index, ctx) {
  const attrs = (v) => (typeof v === "number" ? String(v) : null);
  const input = h("input", {
    type: "number",
    class: "nbr-number",
    tabindex: "-1",
    inputmode: "decimal",
    min: attrs(question.min),
    max: attrs(question.max),
    step: attrs(question.step) ?? "any",
    "aria-label": `${question.name}: ${describe(question)}`,
    title: "Enter submit · Tab next question · Esc back to keys",
    onfocus: () => ctx.focus?.(index),
  });
  const error = h("span", { class: "nbr-number-error", role: "status", hidden: true });
  return { input, error };
}

function build(question, index, ctx) {
  const shell = questionShell(question, index, ctx, describe(question));
  const { input, error } = numberBox(question, index, ctx);
  shell.el.append(h("div", { class: "nbr-number-row" }, input, error));

  let dirty = false; // typed but not yet sent
  const showError = (text) => {
    error.textContent = text ?? "";
    setFlag(error, "hidden", !text);
    input.setAttribute("aria-invalid", text ? "true" : "false");
  };
  const flush = () => {
    saver.cancel();
    if (!dirty) return;
    const parsed = parseNumber(question, input.value);
    showError(parsed.error);
    if (parsed.error) return; // kept in the box, marked, until it is fixed
    dirty = false;
    ctx.answer(question, parsed.value);
  };
  const saver = debounce(flush, NUMBER_DELAY_MS);
  const onInput = () => {
    dirty = true;
    saver.schedule();
  };
  const onKeydown = (e) => {
    if (e.isComposing || e.key !== "Enter" || e.ctrlKey || e.metaKey || e.altKey || e.shiftKey) return;
    e.stopPropagation();
    e.preventDefault();
    flush(); // the number first, then the submit
    ctx.dispatch({ type: "submit" });
  };
  input.addEventListener("input", onInput);
  input.addEventListener("blur", flush);
  input.addEventListener("keydown", onKeydown);

  return {
    el: shell.el,
    question,
    input,
    focusEl: input, // Tab onto this question puts the keyboard in the box
    takesText: (target) => target === input, // keys typed there are the number's
    update(state) {
      shell.update(state);
      const text = typeof state.value === "number" ? String(state.value) : "";
      if (!dirty && input.value !== text) {
        input.value = text;
        showError(null);
      }
      input.classList.toggle("nbr-suggested", Boolean(state.suggested) && !dirty);
    },
    perform(action) {
      if (action.type !== "digit") return false;
      input.focus();
      input.value = String(action.digit);
      onInput();
      return true;
    },
    flush,
    reset() {
      saver.cancel();
      dirty = false;
      showError(null);
    },
    destroy() {
      saver.cancel();
      input.removeEventListener("input", onInput);
      input.removeEventListener("blur", flush);
      input.removeEventListener("keydown", onKeydown);
    },
  };
}

function isAnswered(question, value) {
  return typeof value === "number" && parseNumber(question, value).error === undefined;
}

function help() {
  return [["0–9, Tab", "type the number (Enter submits, Esc back to keys)"]];
}

export default { kinds: ["number"], build, isAnswered, help };
