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

function build(question, index, ctx) {
  const fields = (question.fields ?? []).map(String);
  const allowTie = question.allow_tie !== false;
  const strength = Boolean(question.strength);
  const strengthQuestion = { name: `${question.name}_strength`, kind: "preference_strength", required: false };
  const { act, run } = actions(ctx, index);
  const option = (cls, key, label, action, data) =>
    button(
      { class: `nbr-option ${cls}`, title: `key ${key}`, "aria-pressed": "false", dataset: data },
      () => run(action),
      optionParts({ key, label, dir: null }),
    );

  const shell = questionShell(question, index, ctx, "which is better?");
  const panes = ["left", "right"].map((side, i) => {
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
  });
  // In key order, 1 · 2 · 3, so the row reads like the keys (a tie between the sides read 1 · 3 · 2).
  const sideButtons = [
    option("nbr-pref-choice", "1", "Left is better", act("side", { digit: 1 }), { side: "left" }),
    option("nbr-pref-choice", "2", "Right is better", act("side", { digit: 2 }), { side: "right" }),
    allowTie ? option("nbr-pref-choice", "3", "About the same (tie)", act("side", { digit: 3 }), { side: "tie", value: TIE }) : null,
  ].filter(Boolean);
  const strengthButtons = strength
    ? STRENGTHS.map((s, i) =>
        option("nbr-pref-strength", String(4 + i), `${s} better`, act("strength", { value: s }), { value: s }),
      )
    : [];
  const strengthRow = strength
    ? h("div", { class: "nbr-options nbr-pref-strengths", role: "group", "aria-label": "how much better" },
        h("span", { class: "nbr-pref-strength-title" }, "How much better?"),
        strengthButtons,
      )
    : null;
  shell.el.append(
    h("div", { class: "nbr-pref-panes" }, panes.map((p) => p.el)),
    h("div", { class: "nbr-options nbr-pref-choices", role: "group", "aria-label": String(question.name) }, sideButtons),
  );
  if (strengthRow) shell.el.append(strengthRow);

  let sides = fields.slice(0, 2);
  let drawnKey = null;

  function choose(value) {
    if (value === undefined) return;
    ctx.answer(question, value);
    if (strength && value === TIE) ctx.answer(strengthQuestion, null); // a tie has no strength
  }

  function setStrength(value) {
    const chosen = ctx.current(question);
    if (chosen.suggested || !fields.includes(chosen.value)) {
      ctx.notify(CHOOSE_FIRST, "info");
      return;
    }
    ctx.answer(strengthQuestion, value);
  }

  function draw(record) {
    const kinds = takeOver(ctx, index, shell.el, fields);
    sides = sidesOf(question, record);
    const key = JSON.stringify([record?.key ?? null, sides]);
    if (key === drawnKey) return;
    drawnKey = key;
    panes.forEach((pane, i) => {
      pane.column = sides[i];
      pane.el.dataset.column = sides[i];
      pane.body.replaceChildren(drawField(sides[i], record?.fields?.[sides[i]], kinds[sides[i]]));
    });
    sideButtons.forEach((b) => {
      if (b.dataset.side !== "tie") b.dataset.value = sides[b.dataset.side === "left" ? 0 : 1];
    });
  }

  return {
    el: shell.el,
    question,
    update(state) {
      shell.update(state);
      draw(state.record ?? null);
      const { value, suggested } = state;
      const given = value !== undefined && value !== null;
      for (const pane of panes) {
        const chosen = value === pane.column;
        pane.el.classList.toggle("nbr-chosen", chosen && !suggested);
        pane.el.classList.toggle("nbr-suggested", chosen && suggested);
        pane.el.classList.toggle("nbr-tied", value === TIE);
        pane.el.classList.toggle("nbr-other", given && !chosen && value !== TIE);
        setFlag(pane.badge, "hidden", !chosen);
        pane.badge.textContent = suggested ? "suggested" : "preferred";
      }
      for (const b of sideButtons) showChosen(b, given && b.dataset.value === value, suggested);
      if (strengthRow) {
        const picked = ctx.current(strengthQuestion).value;
        const sideChosen = fields.includes(value) && !suggested;
        strengthRow.classList.toggle("nbr-inactive", !sideChosen);
        for (const b of strengthButtons) showChosen(b, sideChosen && picked === b.dataset.value);
      }
    },
    perform(action) {
      if (action.type === "digit") {
        if (strength && (action.digit === 4 || action.digit === 5)) {
          setStrength(STRENGTHS[action.digit - 4]);
          return true;
        }
        const value = answerForSide(question, sides, action.digit);
        if (value === undefined) return false;
        choose(value);
        return true;
      }
      if (action.type !== "kind") return false;
      if (action.op === "side") choose(answerForSide(question, sides, action.digit));
      else if (action.op === "strength") setStrength(action.value);
      else return false;
      return true;
    },
    reset() {
      drawnKey = null;
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

export default {
  kinds: ["preference"],
  build,
  isAnswered: (question, value) =>
    (question.fields ?? []).includes(value) || (question.allow_tie !== false && value === TIE),
  help,
};
