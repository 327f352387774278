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
import { answerForDigit, chooseOption, isAnswered } from "../answers.js";
import { h, setText } from "../dom.js";
import { roleKind } from "../render/chat.js";
import { defer } from "../render/lazy.js";
import { stepsOf } from "../render/steps.js";
import { messageText } from "../render/trace.js";
import { questionShell } from "./shell.js";

export const TURN_KEYS = { next_turn: ["ArrowDown", "j"], prev_turn: ["ArrowUp", "k"] };

/** Whether a keydown is one of `keys` (KeyboardEvent.key values, "Shift+…" etc. as contract B). */
export function matchesKey(e, keys = []) {
  for (const spec of keys) {
    const parts = String(spec).split("+");
    const key = parts.pop() || "+";
    const mods = new Set(parts.map((p) => p.toLowerCase()));
    if (Boolean(e.ctrlKey || e.metaKey) !== mods.has("ctrl")) continue;
    if (Boolean(e.altKey) !== mods.has("alt")) continue;
    if (mods.has("shift") && !e.shiftKey) continue;
    if (!mods.has("shift") && e.shiftKey && key.length !== 1) continue;
    if (e.key === key || (key.length === 1 && e.key?.toLowerCase?.() === key.toLowerCase() && !e.shiftKey)) return true;
  }
  return false;
}

const turnKeys = (ctx) => {
  const keys = ctx.keys?.() ?? {};
  return { next: keys.next_turn ?? TURN_KEYS.next_turn, prev: keys.prev_turn ?? TURN_KEYS.prev_turn };
};

const answeredBy = (plugin) => plugin.isAnswered ?? isAnswered;

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

/** What a turn is called in the hint: "message #4 (assistant)" or "step 3". */
function turnName(record, column, i) {
  const value = record?.fields?.[column];
  const m = Array.isArray(value) ? value[i] : null;
  if (m && typeof m === "object" && "role" in m) return `message #${i} (${roleKind(m.role) === "other" ? m.role : m.role})`;
  return `step ${i + 1}`;
}

function multiTurn(question, index, ctx, plugin, mode) {
  const column = mode.place === "slot" ? question.turns : question.field;
  const hintWord = mode.place === "slot" ? `${question.kind} · per turn` : "mark spans · any message";
  const shell = questionShell(question, index, ctx, hintWord);
  const hint = h("div", { class: "nbr-turns-hint", "aria-live": "polite" });
  const list = h("div", { class: "nbr-turn-list" });
  shell.el.append(hint, list);
  const answered = answeredBy(plugin);

  let subs = new Map(); // turn → {question, comp (built when its turn is near the view, or needed)}
  let key;
  let layout = { count: 0, asked: [] };
  let marked = null; // the turn digits answer
  let last = null; // the last state the widget gave
  let current = null; // the turn element shown as current

  const whole = () => ctx.current(question);
  const valueOf = (i) => mode.split(whole().value, i);
  const isDone = (i) => answered(subs.get(i)?.question ?? question, valueOf(i));

  function answerTurn(i, v) {
    ctx.answer(question, mode.join(whole().value, layout.count, i, v));
  }

  function subCtx(i, subQ) {
    const wrap = (inner) => ({ type: "kind", index, op: "turn", turn: i, inner });
    return {
      ...ctx,
      choose: (_index, value) => {
        ctx.dispatch(wrap({ type: "option", value }));
        ctx.refocus?.();
      },
      none: () => {
        ctx.dispatch(wrap({ type: "none" }));
        ctx.refocus?.();
      },
      focus: () => mark(i),
      answer: (_q, v) => answerTurn(i, v),
      dispatch: (action) => ctx.dispatch(wrap(action)),
      current: () => {
        const { value, suggested } = whole();
        return { value: mode.split(value, i), suggested };
      },
      claimField: (target) => ctx.claimField?.(target, index) ?? false,
      question: subQ,
    };
  }

  function rebuild(record) {
    for (const s of subs.values()) {
      s.comp?.destroy?.();
      s.comp?.el.remove();
    }
    subs = new Map();
    list.replaceChildren();
    for (const i of layout.asked) subs.set(i, { question: mode.sub(question, i), comp: null, slot: null });
    marked = layout.asked.find((i) => !isDone(i)) ?? layout.asked[0] ?? null;
  }

  /** Turn i's component, built now if it was not yet (a long chat builds them as they show). */
  function ensure(i) {
    const s = subs.get(i);
    if (!s || s.comp) return s?.comp ?? null;
    const comp = plugin.build(s.question, index, subCtx(i, s.question));
    comp.el.classList.add("nbr-turn-question");
    comp.el.dataset.turn = String(i);
    comp.el.setAttribute("aria-label", `${question.name}, ${turnName(last?.record, column, i)}`);
    s.comp = comp;
    placeOne(i, s, last?.record);
    if (last) updateOne(i, s, last);
    return comp;
  }

  function updateOne(i, s, state) {
    const v = mode.split(state.value, i);
    s.comp.update({
      value: v,
      suggested: state.suggested,
      focused: Boolean(state.focused) && i === marked,
      answered: answered(s.question, v),
      record: state.record ?? null,
    });
  }

  /** A turn's component under its turn (or in this question, when the turn is not shown). */
  function placeOne(i, s, record) {
    if (s.comp.el.isConnected && s.comp.el.parentNode !== list) return;
    const slot = mode.place === "slot" ? ctx.turnSlot?.(column, i) : null;
    if (slot) slot.append(s.comp.el);
    else if (s.comp.el.parentNode !== list) {
      list.append(s.comp.el);
      if (mode.place === "slot") s.comp.el.prepend(h("div", { class: "nbr-turn-label" }, turnName(record, column, i)));
    }
  }

  /**
   * Every turn's component where it goes. A turn not built yet leaves a job on its slot, run
   * when its message is rendered (js/render/lazy.js): a 2,000-message chat builds the
   * controls of the turns in view, not a thousand at once.
   */
  function place(record) {
    for (const [i, s] of subs) {
      if (mode.place === "claim") {
        if (!s.tagged?.isConnected) {
          s.tagged = ctx.turnElement?.(column, i) ?? null; // its panel shows only while marked
          s.tagged?.classList.add("nbr-chat-spans");
        }
        ensure(i);
      }
      if (s.comp) {
        placeOne(i, s, record);
        continue;
      }
      const slot = ctx.turnSlot?.(column, i) ?? null;
      if (!slot) ensure(i);
      else if (s.slot !== slot) {
        s.slot = slot;
        defer(slot, () => {
          if (subs.get(i) === s) ensure(i);
        });
      }
    }
  }

  function showMark(state) {
    const focused = Boolean(state?.focused);
    const el = marked === null ? null : (ctx.turnElement?.(column, marked) ?? null);
    if (current && current !== el) current.classList.remove("nbr-turn-current");
    current = focused ? el : null;
    current?.classList.add("nbr-turn-current");
    for (const [i, s] of subs) {
      if (!s.comp) continue;
      const on = i === marked;
      s.comp.el.classList.toggle("nbr-turn-marked", on && focused);
      if (mode.place === "claim") s.comp.el.hidden = !on;
    }
    const done = layout.asked.filter(isDone).length;
    const where = marked === null ? "" : ` · ${turnName(state?.record, column, marked)} marked`;
    const keys = turnKeys(ctx);
    const how = focused ? ` · ${[...keys.next, ...keys.prev].map(arrow).join("/")} move` : "";
    const total = layout.asked.length;
    setText(hint, total === 0 ? "No turn to answer in this record." : `${done} of ${total} ${mode.place === "slot" ? "turns answered" : "messages"}${where}${how}`);
  }

  function update(state) {
    last = state;
    shell.update(state);
    const record = state.record ?? null;
    const next = mode.turns(question, record);
    if (record?.key !== key || JSON.stringify(next) !== JSON.stringify(layout)) {
      key = record?.key;
      layout = next;
      rebuild(record);
    }
    place(record);
    if (state.focused && marked !== null) ensure(marked);
    for (const [i, s] of subs) if (s.comp) updateOne(i, s, state);
    showMark(state);
  }

  const redraw = () => last && update({ ...last, value: whole().value, suggested: whole().suggested });

  function mark(i, scroll = false) {
    if (!subs.has(i)) return;
    marked = i;
    ctx.focus?.(index);
    redraw();
    if (scroll) {
      const el = ctx.turnElement?.(column, i) ?? ensure(i)?.el;
      el?.scrollIntoView?.({ block: "nearest", inline: "nearest" });
    }
  }

  function move(by) {
    const at = layout.asked.indexOf(marked);
    const to = layout.asked[Math.max(0, Math.min(layout.asked.length - 1, (at === -1 ? 0 : at) + by))];
    if (to !== undefined) mark(to, true);
  }

  /** After answering turn i: mark the next unanswered turn (after it, else from the start). */
  function advance(i) {
    const at = layout.asked.indexOf(i);
    const order = [...layout.asked.slice(at + 1), ...layout.asked.slice(0, at)];
    const to = order.find((j) => !isDone(j));
    if (to !== undefined) mark(to, true);
    else redraw();
  }

  function choose(i, inner) {
    const s = subs.get(i);
    ensure(i);
    const v = inner.type === "none" ? [] : chooseOption(s.question, valueOf(i), inner.value);
    answerTurn(i, v);
    mark(i);
  }

  function digit(action) {
    const s = subs.get(marked);
    if (!s) return true;
    ensure(marked);
    const i = marked;
    const before = isDone(i);
    if (!s.comp.perform?.(action)) {
      const v = answerForDigit(s.question, action.digit, valueOf(i));
      if (v === undefined) {
        ctx.notify?.(`${action.digit} is not an answer to ${question.name}`, "info");
        return true;
      }
      answerTurn(i, v);
    }
    const value = valueOf(i);
    // A turn just answered hands the mark on; a multi-choice turn keeps it (more labels may follow).
    if (mode.place === "slot" && !Array.isArray(value) && isDone(i) && (!before || !s.comp.perform)) advance(i);
    else redraw();
    return true;
  }

  return {
    el: shell.el,
    question,
    get focusEl() {
      return marked === null ? null : (ensure(marked)?.focusEl ?? null);
    },
    update,
    keyAction(e) {
      const keys = turnKeys(ctx);
      if (!e.isComposing && matchesKey(e, keys.next)) return { type: "kind", index, op: "turn-move", by: 1 };
      if (!e.isComposing && matchesKey(e, keys.prev)) return { type: "kind", index, op: "turn-move", by: -1 };
      const inner = marked === null ? null : (ensure(marked)?.keyAction?.(e) ?? null);
      return inner ? { type: "kind", index, op: "turn", turn: marked, inner } : null;
    },
    perform(action) {
      if (action.type === "digit") return digit(action);
      if (action.type !== "kind") return false;
      if (action.op === "turn-move") {
        move(action.by);
        return true;
      }
      if (action.op !== "turn" || !subs.has(action.turn)) return false;
      const { inner, turn } = action;
      if (inner.type === "option" || inner.type === "none") choose(turn, inner);
      else {
        marked = turn;
        ensure(turn)?.perform?.(inner);
        mark(turn);
      }
      return true;
    },
    accept: () => [...subs.values()].some((s) => s.comp?.accept?.()),
    hasPending: () => [...subs.values()].some((s) => s.comp?.hasPending?.()),
    flush() {
      for (const s of subs.values()) s.comp?.flush?.();
    },
    reset() {
      for (const s of subs.values()) s.comp?.reset?.();
      key = undefined;
    },
    destroy() {
      for (const s of subs.values()) s.comp?.destroy?.();
      current?.classList.remove("nbr-turn-current");
    },
  };
}

const ARROWS = { ArrowDown: "↓", ArrowUp: "↑", ArrowLeft: "←", ArrowRight: "→" };
const arrow = (k) => ARROWS[k] ?? k;

/** Every asked turn answered (a list; entries as the kind counts an answer). */
function turnsAnswered(plugin, mode) {
  const one = answeredBy(plugin);
  return (question, value, _answers, record) => {
    if (!Array.isArray(value)) return false;
    const { asked } = mode.turns(question, record ?? null);
    const list = record ? asked : value.flatMap((v, i) => (v === null ? [] : [i]));
    return list.length > 0 && list.every((i) => one(mode.sub(question, i), mode.split(value, i)));
  };
}

function turnHelp(plugin, what) {
  return (question) => {
    const keys = `${TURN_KEYS.next_turn.map(arrow).join(" · ")} / ${TURN_KEYS.prev_turn.map(arrow).join(" · ")}`;
    const own = (plugin.help?.(question) ?? []).filter(([k]) => !String(k).includes("↑"));
    return [
      [keys, `${question.name}: next / previous ${what} (scrolls it into view)`],
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
    build: (q, index, ctx) => multiTurn(q, index, ctx, plugin, PER_TURN),
    isAnswered: turnsAnswered(plugin, PER_TURN),
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
      return multiTurn(q, index, ctx, plugin, CHAT_SPANS);
    },
    help(q, config = {}) {
      const own = plugin.help?.(q) ?? [];
      const chat = (config.fields ?? []).some((f) => f.column === q.field && f.kind === "chat");
      if (!chat) return own;
      return [...turnHelp(plugin, "message")(q).slice(0, 1), ...own.filter(([k]) => !String(k).includes("↑"))];
    },
  };
}
