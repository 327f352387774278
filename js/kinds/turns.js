// Asking one question once per turn (API.md 11, contract A): a capability every kind shares,
// written once. A per-turn question (its spec has `turns`) builds the kind's own component
// for each asked turn of the field named by `turns` (a chat's messages whose role is asked,
// or a Steps field's steps) and draws it under that turn. Spans over a whole chat (`field` a
// chat column) are the same machine: one spans component per message.
//
// The answer is the whole list (one entry per message or step, null where not asked or not
// answered); each turn's component sees and changes only its own entry. With the question
// focused, next_turn / prev_turn (↓/↑, j/k) move the mark between asked turns and scroll the
// turn into view; a digit answers the marked turn (through the kind's own digit handling) and
// marks the next unanswered turn. A kind's own actions reach its turn's component wrapped in
// {type: "kind", index, op: "turn", turn, inner}, so the widget routes them like any other.
import { hasValue } from "../answers.js";
import { keyLabel } from "../keys.js";
import { stepsOf } from "../render/steps.js";
import { messageText } from "../render/trace.js";
import { arrowKeys, TURN_KEYS, turnSet } from "./turn-set.js";

export { matchesKey, TURN_KEYS } from "./turn-set.js";

const answeredBy = (plugin) => plugin.isAnswered ?? hasValue;

/** The turns a per-turn question asks on a record: the kernel's layout, else worked out here. */
export function askedTurns(question, record) {
  const lay = record?.layout?.[question.name]?.turns;
  if (lay && Number.isInteger(lay.count) && Array.isArray(lay.asked)) {
    return { count: lay.count, asked: lay.asked.filter((i) => Number.isInteger(i) && i >= 0 && i < lay.count) };
  }
  const value = record?.fields?.[question.turns];
  if (Array.isArray(value) && value.some((m) => m && typeof m === "object" && "role" in m)) {
    const roles = new Set((question.roles ?? ["assistant"]).map(String));
    const asked = value.flatMap((m, i) => (roles.has(String(m?.role)) ? [i] : []));
    return { count: value.length, asked };
  }
  const steps = stepsOf(value) ?? [];
  return { count: steps.length, asked: steps.map((_, i) => i) };
}

/** A list answer with entry `i` set to `v`; null when no entry is left. */
export function withTurn(value, count, i, v) {
  const list = Array.from({ length: count }, (_, j) => (Array.isArray(value) ? (value[j] ?? null) : null));
  list[i] = v === undefined ? null : v;
  return list.every((x) => x === null) ? null : list;
}

const PER_TURN = {
  split: (value, i) => (Array.isArray(value) ? (value[i] ?? null) : value === undefined ? undefined : null),
  join: (value, count, i, v) => withTurn(value, count, i, v),
  turns: askedTurns,
  sub: (question) => {
    const { turns: _t, roles: _r, ...rest } = question;
    return rest;
  },
  place: "slot",
};

const bySpan = (a, b) => a.message - b.message || a.start - b.start || a.end - b.end || String(a.label).localeCompare(String(b.label));

const CHAT_SPANS = {
  split: (value, i) =>
    Array.isArray(value) ? value.filter((s) => s?.message === i).map(({ message: _m, ...s }) => s) : value,
  join: (value, _count, i, v) => {
    const others = Array.isArray(value) ? value.filter((s) => s?.message !== i) : [];
    if (v === null && others.length === 0 && !Array.isArray(value)) return null;
    return [...others, ...(v ?? []).map((s) => ({ message: i, ...s }))].sort(bySpan);
  },
  turns: (question, record) => {
    const chat = record?.fields?.[question.field];
    const messages = Array.isArray(chat) ? chat : [];
    return { count: messages.length, asked: messages.flatMap((m, i) => (messageText(m?.content) !== "" ? [i] : [])) };
  },
  sub: (question, i) => ({ ...question, field: `${question.field}[${i}]` }),
  place: "claim",
};

/** Every asked turn answered (a list; entries as the kind counts an answer). The record says
 * which turns are asked; without it, every entry given must be an answer. */
function turnsAnswered(plugin, mode) {
  const one = answeredBy(plugin);
  return (question, value, _answers, record) => {
    if (!Array.isArray(value)) return false;
    const { asked } = mode.turns(question, record ?? null);
    const list = record ? asked : value.flatMap((v, i) => (v === null ? [] : [i]));
    return list.length > 0 && list.every((i) => one(mode.sub(question, i), mode.split(value, i)));
  };
}

function turnHelp(plugin, what, arrows = true) {
  return (question, keys = TURN_KEYS) => {
    const label = (action) =>
      (keys?.[action] ?? TURN_KEYS[action])
        .filter((k) => arrows || !/^Arrow/.test(k))
        .map(keyLabel)
        .join(" or ");
    const own = (plugin.help?.(question, keys) ?? []).filter(([k]) => !String(k).includes("↑"));
    return [
      [`${label("next_turn")} / ${label("prev_turn")}`, `${question.name}: next / previous ${what} (scrolls it into view)`],
      ["1 – 9", `${question.name}: answer the marked ${what}, then mark the next unanswered one`],
      ...own,
    ];
  };
}

/** The per-turn plugin for a question with `turns`, or null (contract A). */
export function perTurn(question, plugin) {
  if (!question?.turns || question.kind === "spans") return null;
  return {
    ...plugin,
    build: (q, index, ctx) => turnSet(q, index, ctx, plugin, PER_TURN),
    isAnswered: turnsAnswered(plugin, PER_TURN),
    onAction: () => undefined, // each turn's component answers its own entry
    help: turnHelp(plugin, "turn"),
  };
}

/** Spans over every message of a chat (`field` a chat column, no `[i]`), or null. */
export function wholeChatSpans(question, plugin) {
  if (question?.kind !== "spans" || /\[-?\d+\]$/.test(String(question.field ?? ""))) return null;
  return {
    ...plugin,
    build(q, index, ctx) {
      if (ctx.fieldKind?.(q.field) !== "chat") return plugin.build(q, index, ctx);
      return turnSet(q, index, ctx, plugin, CHAT_SPANS);
    },
    help(q, keys, config = {}) {
      const chat = (config.fields ?? []).some((f) => f.column === q.field && f.kind === "chat");
      const own = plugin.help?.(q, chat ? arrowKeys(keys ?? TURN_KEYS) : keys) ?? [];
      if (!chat) return own;
      const turnRow = turnHelp(plugin, "message", false)(q, keys).slice(0, 1);
      return [...turnRow, ...own];
    },
  };
}
