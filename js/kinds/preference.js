// Preference questions: two fields side by side; 1 the left is better, 2 the right, 3 a tie.
//
// The answer names the FIELD, never the side: which field is drawn left comes from the kernel
// (`record.layout[name].order`, fixed per record by a hash of its key), so position bias
// cancels over a dataset. With `strength`, 4 / 5 say "slightly" / "much" better, saved as the
// answer of the question `<name>_strength` (cleared when a tie is chosen).
import "./compare.css";
import { h, setFlag } from "../dom.js";
import { drawField, giveBack, takeOver } from "../compare/fields.js";
import { actions, button, keyBadge, optionParts, showChosen } from "./buttons.js";
import { questionShell } from "./shell.js";

export const TIE = "tie";
export const STRENGTHS = ["slightly", "much"];
export const CHOOSE_FIRST = "Choose the better side first (1 left, 2 right); then 4 or 5 says by how much.";

/** [left, right] for a record: the kernel's order when it sent one, else the fields in order. */
export function sidesOf(question, record) {
  const fields = (question.fields ?? []).map(String);
  const order = record?.layout?.[question.name]?.order;
  const valid =
    Array.isArray(order) && order.length === 2 && fields.every((f) => order.includes(f)) && order[0] !== order[1];
  return valid ? order.map(String) : fields.slice(0, 2);
}

/** The answer a digit gives (1 left, 2 right, 3 tie), or undefined. */
export function answerForSide(question, sides, digit) {
  if (digit === 1 || digit === 2) return sides[digit - 1];
  if (digit === 3 && question.allow_tie !== false) return TIE;
  return undefined;
}

/** One side: its key, "Left" or "Right", the "preferred" badge and the field drawn in `body`. */
function pane(side, i) {
  const badge = h("span", { class: "nbr-pref-badge", hidden: true }, "preferred");
  const body = h("div", { class: "nbr-pref-body" });
  const el = h(
    "div",
    { class: "nbr-pref-pane", dataset: { side } },
    h(
      "div",
      { class: "nbr-pref-pane-header" },
      keyBadge(String(i + 1)),
      h("span", { class: "nbr-pref-side" }, side === "left" ? "Left" : "Right"),
      badge,
    ),
    body,
  );
  return { side, el, body, badge, column: null };
}

/** The choice buttons (1 · 2 · 3) and, with `strength`, the row of 4 · 5. */
function choiceButtons(question, { act, run }) {
  const option = (cls, key, label, action, data) =>
    button(
      { class: `nbr-option ${cls}`, title: `key ${key}`, "aria-pressed": "false", dataset: data },
      () => run(action),
      optionParts({ key, label, dir: null }),
    );
  const side = (digit, label, data) => option("nbr-pref-choice", String(digit), label, act("side", { digit }), data);
  // In key order, 1 · 2 · 3, so the row reads like the keys (a tie between the sides read 1 · 3 · 2).
  const sides = [
    side(1, "Left is better", { side: "left" }),
    side(2, "Right is better", { side: "right" }),
    question.allow_tie !== false ? side(3, "About the same (tie)", { side: "tie", value: TIE }) : null,
  ].filter(Boolean);
  if (!question.strength) return { sides, strengths: [], strengthRow: null };
  const strengths = STRENGTHS.map((s, i) =>
    option("nbr-pref-strength", String(4 + i), `${s} better`, act("strength", { value: s }), { value: s }),
  );
  const strengthRow = h(
    "div",
    { class: "nbr-options nbr-pref-strengths", role: "group", "aria-label": "how much better" },
    h("span", { class: "nbr-pref-strength-title" }, "How much better?"),
    strengths,
  );
  return { sides, strengths, strengthRow };
}

/** Show the value: the chosen pane and button, or the suggested one; the strength given. */
function showChoice(question, { panes, buttons }, { value, suggested }, strength) {
  const given = value !== undefined && value !== null;
  for (const p of panes) {
    const chosen = value === p.column;
    p.el.classList.toggle("nbr-chosen", chosen && !suggested);
    p.el.classList.toggle("nbr-suggested", chosen && suggested);
    p.el.classList.toggle("nbr-tied", value === TIE);
    p.el.classList.toggle("nbr-other", given && !chosen && value !== TIE);
    setFlag(p.badge, "hidden", !chosen);
    p.badge.textContent = suggested ? "suggested" : "preferred";
  }
  for (const b of buttons.sides) showChosen(b, given && b.dataset.value === value, suggested);
  if (!buttons.strengthRow) return;
  const sideChosen = (question.fields ?? []).map(String).includes(value) && !suggested;
  buttons.strengthRow.classList.toggle("nbr-inactive", !sideChosen);
  for (const b of buttons.strengths) showChosen(b, sideChosen && strength === b.dataset.value);
}

/** Draw the record's two fields in the panes, in the kernel's order; the buttons follow it. */
function drawSides(p, record) {
  const kinds = takeOver(p.ctx, p.index, p.shell.el, p.fields);
  p.sides = sidesOf(p.question, record);
  const key = JSON.stringify([record?.key ?? null, p.sides]);
  if (key === p.drawnKey) return;
  p.drawnKey = key;
  p.panes.forEach((pane, i) => {
    const column = p.sides[i];
    pane.column = column;
    pane.el.dataset.column = column;
    pane.body.replaceChildren(drawField(column, record?.fields?.[column], kinds[column]));
  });
  p.buttons.sides.forEach((b) => {
    if (b.dataset.side !== "tie") b.dataset.value = p.sides[b.dataset.side === "left" ? 0 : 1];
  });
}

function choose(p, value) {
  if (value === undefined) return;
  p.ctx.answer(p.question, value);
  if (p.question.strength && value === TIE) p.ctx.answer(p.strengthQuestion, null); // a tie has no strength
}

function setStrength(p, value) {
  const chosen = p.ctx.current(p.question);
  if (chosen.suggested || !p.fields.includes(chosen.value)) {
    p.ctx.notify(CHOOSE_FIRST, "info");
    return;
  }
  p.ctx.answer(p.strengthQuestion, value);
}

/** A digit: 1 · 2 · 3 choose, 4 · 5 say by how much; false for any other. */
function digit(p, d) {
  const value = answerForSide(p.question, p.sides, d);
  if (p.question.strength && (d === 4 || d === 5)) setStrength(p, STRENGTHS[d - 4]);
  else if (value !== undefined) choose(p, value);
  else return false;
  return true;
}

function build(question, index, ctx) {
  const fields = (question.fields ?? []).map(String);
  const shell = questionShell(question, index, ctx, "which is better?");
  const p = {
    question,
    index,
    ctx,
    fields,
    strengthQuestion: strengthOf(question),
    shell,
    panes: ["left", "right"].map(pane),
    buttons: choiceButtons(question, actions(ctx, index)),
    sides: fields.slice(0, 2),
    drawnKey: null,
  };
  shell.el.append(
    h("div", { class: "nbr-pref-panes" }, p.panes.map((x) => x.el)),
    h(
      "div",
      { class: "nbr-options nbr-pref-choices", role: "group", "aria-label": String(question.name) },
      p.buttons.sides,
    ),
  );
  if (p.buttons.strengthRow) shell.el.append(p.buttons.strengthRow);

  return {
    el: shell.el,
    question,
    update(state) {
      shell.update(state);
      drawSides(p, state.record ?? null);
      const strength = p.buttons.strengthRow ? ctx.current(p.strengthQuestion).value : undefined;
      showChoice(question, p, state, strength);
    },
    perform(action) {
      if (action.type === "digit") return digit(p, action.digit);
      if (action.type !== "kind") return false;
      if (action.op === "side") choose(p, answerForSide(question, p.sides, action.digit));
      else if (action.op === "strength") setStrength(p, action.value);
      else return false;
      return true;
    },
    reset() {
      p.drawnKey = null;
    },
    destroy() {
      giveBack(shell.el, fields);
    },
  };
}

function help(question) {
  const rows = [["1 / 2", "preference: the left / right one is better (saved as its field's name)"]];
  if (question.allow_tie !== false) rows.push(["3", "preference: about the same (a tie)"]);
  if (question.strength) rows.push(["4 / 5", "preference: slightly / much better"]);
  return rows;
}

/** The companion question `<name>_strength` (Python's PreferenceStrength) a `strength` asks. */
export function strengthOf(question) {
  return { name: `${question.name}_strength`, kind: "preference_strength", required: false };
}

/** A side or a tie; with `strength`, a side also needs how much better (the kernel asks it). */
export function isAnswered(question, value, answers = {}) {
  if (question.allow_tie !== false && value === TIE) return true;
  if (!(question.fields ?? []).includes(value)) return false;
  return !question.strength || STRENGTHS.includes(answers?.[`${question.name}_strength`]);
}

export default {
  kinds: ["preference"],
  build,
  isAnswered,
  companions: (question) => (question.strength ? [strengthOf(question)] : []),
  help,
};
