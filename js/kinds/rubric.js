// Rubric questions: one row of score buttons per criterion, rated criterion by criterion.
//
// With the rubric focused, a digit rates the criterion marked ▸ and moves the mark to the
// next one; the table's next_turn / prev_turn (↓/↑, j/k) move it. A click on a score rates that criterion. Every change sends the
// whole struct ({criterion: score or null}), so a partly rated rubric is saved as a draft;
// it counts as answered once every criterion has a score.
//
// The layout is set here (ROW, CURRENT below) rather than in a stylesheet, so the kind is
// this one module; colours come from the widget's theme variables.
import { onScale, scaleRange, scoreForDigit, scoreKey } from "./scale.js";
import { h, setText } from "../dom.js";
import { DEFAULT_KEYS, pairText } from "../keys.js";
import { actions, button, optionParts, showChosen } from "./buttons.js";
import { questionShell } from "./shell.js";

const ROW = {
  display: "grid",
  gridTemplateColumns: "minmax(10em, 20em) 1fr",
  alignItems: "center",
  gap: "2px 12px",
  padding: "5px 8px",
  borderLeft: "3px solid transparent",
  borderRadius: "var(--nbr-radius, 6px)",
};
const CURRENT = { background: "var(--nbr-bg, #ffffff)", borderLeftColor: "var(--nbr-accent, #1976d2)" };
const RESTING = { background: "transparent", borderLeftColor: "transparent" };
const MUTED = { color: "var(--nbr-muted, #57606a)", fontSize: "0.9em" };

/** The criteria as [{name, description}], whatever the config holds. */
export function criteriaOf(question) {
  return (question.criteria ?? []).map((c) => ({ name: String(c.name), description: String(c.description ?? "") }));
}

/** score → what it means, from the config's descriptors. */
export function descriptorsOf(question) {
  return new Map((question.descriptors ?? []).map((d) => [d.value, String(d.label)]));
}

/** The scores of a shown value (saved or suggested): {criterion: score or null}. */
export function scoresOf(question, value) {
  const given = value && typeof value === "object" && !Array.isArray(value) ? value : {};
  return Object.fromEntries(
    criteriaOf(question).map(({ name }) => [name, onScale(question.scale, given[name]) ? given[name] : null]),
  );
}

/** Answered: every criterion has a score on the scale. */
export function isRated(question, value) {
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  const criteria = criteriaOf(question);
  return criteria.length > 0 && criteria.every(({ name }) => onScale(question.scale, value[name]));
}

/** The struct after giving `criterion` a score; `null` when no criterion is left rated. */
export function rated(question, value, criterion, score) {
  const next = { ...scoresOf(question, value), [criterion]: score };
  return Object.values(next).every((v) => v === null) ? null : next;
}

function scoreButton(question, criterion, score, meaning, rate) {
  const key = scoreKey(score, scaleRange(question.scale));
  const title = [key === null ? null : `key ${key}`, meaning].filter(Boolean).join(" · ");
  return button(
    {
      class: "nbr-option",
      dataset: { value: String(score) },
      title: title || null,
      "aria-label": `${criterion}: ${score}${meaning ? ` (${meaning})` : ""}`,
      "aria-pressed": "false",
    },
    () => rate(criterion, score),
    optionParts({ key: key !== String(score) ? key : null, value: score, label: meaning || null }),
  );
}

function criterionRow(question, criterion, index, { act, run }) {
  const { low, high } = scaleRange(question.scale);
  const meanings = descriptorsOf(question);
  const buttons = [];
  for (let score = low; score <= high; score += 1) {
    const rate = (name, value) => run(act("rate", { criterion: name, score: value }));
    buttons.push(scoreButton(question, criterion.name, score, meanings.get(score), rate));
  }
  const marker = h("span", { "aria-hidden": "true", style: "display:inline-block;width:1em" });
  const name = h("span", { class: "nbr-rubric-name", dir: "auto", style: "font-weight:600" }, criterion.name);
  const el = h(
    "div",
    {
      class: "nbr-rubric-row",
      role: "group",
      "aria-label": criterion.description ? `${criterion.name}: ${criterion.description}` : criterion.name,
      dataset: { criterion: criterion.name },
      onmousedown: () => run(act("go", { to: index }), false),
    },
    h(
      "div",
      { class: "nbr-rubric-criterion" },
      h("div", {}, marker, name),
      criterion.description
        ? h("div", { class: "nbr-rubric-desc", dir: "auto", style: "padding-left:1em" }, criterion.description)
        : null,
    ),
    h("div", { class: "nbr-options" }, buttons),
  );
  Object.assign(el.style, ROW);
  const desc = el.querySelector(".nbr-rubric-desc");
  if (desc) Object.assign(desc.style, MUTED);
  return { el, marker, buttons };
}

/** The digits that rate on a scale, as the hint and the help show them. */
export function digitsText(scale) {
  const { low, high } = scaleRange(scale);
  if (high <= 9) return `${low}–${high}`;
  return low > 0 ? `${low}–9, 0 for 10` : `${low}–9`;
}

/** Show the scores given (or suggested), the criterion marked ▸ while focused, and the hint. */
function drawRubric(question, { rows, hint, keys }, shown, cursor) {
  const criteria = criteriaOf(question);
  const scores = scoresOf(question, shown.value);
  rows.forEach((row, i) => {
    const on = i === cursor && shown.focused;
    row.el.classList.toggle("nbr-current", on);
    row.el.setAttribute("aria-current", on ? "true" : "false");
    Object.assign(row.el.style, on ? CURRENT : RESTING);
    setText(row.marker, on ? "▸" : "");
    for (const b of row.buttons) {
      showChosen(b, scores[criteria[i].name] === Number(b.dataset.value), shown.suggested);
    }
  });
  const left = criteria.filter((c) => scores[c.name] === null).length;
  const where = criteria[cursor] ? `${digitsText(question.scale)} rate ${criteria[cursor].name}` : "";
  const state = left === 0 ? "every criterion rated" : `${left} of ${criteria.length} to rate`;
  const move = pairText(keys, "prev_turn", "next_turn");
  setText(hint, shown.focused && where ? `${state} · ${where}${move ? ` · ${move} criterion` : ""}` : state);
}

// The table's turn actions move the mark between criteria (a rubric has no turns of its own).
const STEP = { next_turn: 1, prev_turn: -1 };

function build(question, index, ctx) {
  const criteria = criteriaOf(question);
  const { low, high } = scaleRange(question.scale);
  const shell = questionShell(question, index, ctx, "rubric");
  const acts = actions(ctx, index);
  const rows = criteria.map((c, i) => criterionRow(question, c, i, acts));
  const hint = h("div", { class: "nbr-rubric-hint", "aria-live": "polite" });
  Object.assign(hint.style, MUTED, { marginTop: "4px" });
  shell.el.append(h("div", { class: "nbr-rubric" }, rows.map((r) => r.el)), hint);

  let cursor = 0; // the criterion digits rate
  let shown = { value: undefined, suggested: false, focused: false };

  const current = () => ctx.current(question).value;
  const go = (to) => {
    cursor = Math.max(0, Math.min(criteria.length - 1, to));
  };

  function rate(criterion, score) {
    const at = criteria.findIndex((c) => c.name === criterion);
    if (at === -1 || !onScale(question.scale, score)) return;
    ctx.answer(question, rated(question, current(), criterion, score));
    go(at + 1);
  }

  const render = () => drawRubric(question, { rows, hint, keys: ctx.keys?.() ?? DEFAULT_KEYS }, shown, cursor);

  return {
    el: shell.el,
    question,
    update(state) {
      shell.update(state);
      shown = { value: state.value, suggested: Boolean(state.suggested), focused: Boolean(state.focused) };
      render();
    },
    perform(action) {
      if (Object.hasOwn(STEP, action.type)) {
        go(cursor + STEP[action.type]);
        render();
        return true;
      }
      if (action.type === "digit") {
        const score = scoreForDigit(question.scale, action.digit);
        if (score === undefined) {
          ctx.notify(`${action.digit} is not on the scale ${low}–${high}`, "info");
        } else if (criteria[cursor]) rate(criteria[cursor].name, score);
        render();
        return true;
      }
      if (action.type !== "kind") return false;
      if (action.op === "rate") rate(action.criterion, action.score);
      else if (action.op === "go") go(action.to ?? cursor + (action.by ?? 0));
      else return false;
      ctx.focus?.(index);
      render();
      return true;
    },
    reset() {
      cursor = 0;
    },
  };
}

function help(question, keys = DEFAULT_KEYS) {
  const move = pairText(keys, "prev_turn", "next_turn");
  return [
    [digitsText(question.scale), "rubric: rate the criterion marked ▸, then go to the next"],
    ...(move ? [[move, "rubric: previous / next criterion"]] : []),
  ];
}

export default { kinds: ["rubric"], build, isAnswered: isRated, help };
