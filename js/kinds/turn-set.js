// The component a per-turn question (or spans over a whole chat) is drawn as: one component
// of the question's own kind per asked turn, built where the turn is drawn (js/kinds/turns.js
// says what a turn's entry is and which turns are asked: `mode`). A class, so each part of the
// machine is a short method over one state.
import { hasValue } from "../answers.js";
import { h, setText } from "../dom.js";
import { keyLabel } from "../keys.js";
import { defer } from "../render/lazy.js";
import { questionShell } from "./shell.js";

export const TURN_KEYS = { next_turn: ["ArrowDown", "j"], prev_turn: ["ArrowUp", "k"] };

/** The table a whole chat's spans see: the turn keys but the arrows are the set's (messages). */
export function arrowKeys(keys) {
  const arrows = (list) => (list ?? []).filter((k) => /^Arrow/.test(k));
  return { ...keys, next_turn: arrows(keys.next_turn), prev_turn: arrows(keys.prev_turn) };
}

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

/** What a turn is called: "message #4 (assistant)" or "step 3". */
export function turnName(record, column, i) {
  const value = record?.fields?.[column];
  const m = Array.isArray(value) ? value[i] : null;
  if (m && typeof m === "object" && "role" in m) return `message #${i} (${m.role})`;
  return `step ${i + 1}`;
}

export class TurnSet {
  constructor(question, index, ctx, plugin, mode) {
    Object.assign(this, { question, index, ctx, plugin, mode });
    this.column = mode.place === "slot" ? question.turns : question.field;
    const word = mode.place === "slot" ? `${question.kind} · per turn` : "mark spans · any message";
    this.shell = questionShell(question, index, ctx, word);
    this.hint = h("div", { class: "nbr-turns-hint", "aria-live": "polite" });
    this.list = h("div", { class: "nbr-turn-list" });
    this.shell.el.append(this.hint, this.list);
    this.judge = plugin.isAnswered ?? hasValue;
    this.subs = new Map(); // turn → {question, comp (built when its turn is near the view, or needed)}
    this.key = undefined;
    this.layout = { count: 0, asked: [] };
    this.marked = null; // the turn digits answer
    this.last = null; // the last state the widget gave
    this.current = null; // the turn element shown as current
  }

  whole() {
    return this.ctx.current(this.question);
  }

  valueOf(i) {
    return this.mode.split(this.whole().value, i);
  }

  isDone(i) {
    return this.judge(this.subs.get(i)?.question ?? this.question, this.valueOf(i));
  }

  answerTurn(i, v) {
    this.ctx.answer(this.question, this.mode.join(this.whole().value, this.layout.count, i, v));
  }

  /** Turn i's own ctx: its entry of the list, its actions routed back through this set. */
  subCtx(i) {
    const { ctx, index, question } = this;
    const wrap = (inner) => ({ type: "kind", index, op: "turn", turn: i, inner });
    const claim = this.mode.place === "claim";
    return {
      ...ctx,
      keys: () => (claim ? arrowKeys(ctx.keys?.() ?? TURN_KEYS) : (ctx.keys?.() ?? TURN_KEYS)),
      focus: () => this.mark(i),
      answer: (_q, v) => this.answerTurn(i, v),
      dispatch: (action) => ctx.dispatch(wrap(action)),
      current: () => {
        const { value, suggested } = ctx.current(question);
        return { value: this.mode.split(value, i), suggested };
      },
      claimField: (target) => ctx.claimField?.(target, index) ?? false,
    };
  }

  rebuild() {
    for (const s of this.subs.values()) {
      s.comp?.destroy?.();
      s.comp?.el.remove();
    }
    this.subs = new Map();
    this.list.replaceChildren();
    for (const i of this.layout.asked) this.subs.set(i, { question: this.mode.sub(this.question, i), comp: null, slot: null });
    this.marked = this.layout.asked.find((i) => !this.isDone(i)) ?? this.layout.asked[0] ?? null;
  }

  /** Turn i's component, built now if it was not yet (a long chat builds them as they show). */
  ensure(i) {
    const s = this.subs.get(i);
    if (!s || s.comp) return s?.comp ?? null;
    const comp = this.plugin.build(s.question, this.index, this.subCtx(i));
    comp.el.classList.add("nbr-turn-question");
    comp.el.dataset.turn = String(i);
    comp.el.setAttribute("aria-label", `${this.question.name}, ${turnName(this.last?.record, this.column, i)}`);
    s.comp = comp;
    this.placeOne(i, s);
    if (this.last) this.updateOne(i, s, this.last);
    return comp;
  }

  updateOne(i, s, state) {
    const v = this.mode.split(state.value, i);
    s.comp.update({
      value: v,
      suggested: state.suggested,
      focused: Boolean(state.focused) && i === this.marked,
      answered: this.judge(s.question, v),
      record: state.record ?? null,
    });
  }

  /** A turn's component under its turn (or in this question, when the turn is not shown). */
  placeOne(i, s) {
    const el = s.comp.el;
    if (el.isConnected && el.parentNode !== this.list) return;
    const slot = this.mode.place === "slot" ? this.ctx.turnSlot?.(this.column, i) : null;
    if (slot) slot.append(el);
    else if (el.parentNode !== this.list) {
      this.list.append(el);
      if (this.mode.place === "slot") el.prepend(h("div", { class: "nbr-turn-label" }, turnName(this.last?.record, this.column, i)));
    }
  }

  /**
   * Every turn's component where it goes. A turn not built yet leaves a job on its slot, run
   * when its message is rendered (js/render/lazy.js): a 2,000-message chat builds the
   * controls of the turns in view, not a thousand at once.
   */
  place() {
    for (const [i, s] of this.subs) {
      if (this.mode.place === "claim") {
        if (!s.tagged?.isConnected) {
          s.tagged = this.ctx.turnElement?.(this.column, i) ?? null; // its panel shows only while marked
          s.tagged?.classList.add("nbr-chat-spans");
        }
        this.ensure(i);
      }
      if (s.comp) this.placeOne(i, s);
      else this.waitForSlot(i, s);
    }
  }

  waitForSlot(i, s) {
    const slot = this.ctx.turnSlot?.(this.column, i) ?? null;
    if (!slot) this.ensure(i);
    else if (s.slot !== slot) {
      s.slot = slot;
      defer(slot, () => {
        if (this.subs.get(i) === s) this.ensure(i);
      });
    }
  }

  /** The turn keys; over a whole chat's spans the arrows stay the spans' (select a span). */
  turnKeys() {
    const keys = this.ctx.keys?.() ?? {};
    const mine = (list) => (this.mode.place === "claim" ? list.filter((k) => !/^Arrow/.test(k)) : list);
    return { next: mine(keys.next_turn ?? TURN_KEYS.next_turn), prev: mine(keys.prev_turn ?? TURN_KEYS.prev_turn) };
  }

  showMark(state) {
    const focused = Boolean(state?.focused);
    const el = focused && this.marked !== null ? (this.ctx.turnElement?.(this.column, this.marked) ?? null) : null;
    if (this.current && this.current !== el) this.current.classList.remove("nbr-turn-current");
    this.current = el;
    this.current?.classList.add("nbr-turn-current");
    for (const [i, s] of this.subs) {
      if (!s.comp) continue;
      const on = i === this.marked;
      s.comp.el.classList.toggle("nbr-turn-marked", on && focused);
      if (this.mode.place === "claim") s.comp.el.hidden = !on;
    }
    setText(this.hint, this.hintText(state, focused));
  }

  hintText(state, focused) {
    const { asked } = this.layout;
    if (asked.length === 0) return "No turn to answer in this record.";
    const done = asked.filter((i) => this.isDone(i)).length;
    const where = this.marked === null ? "" : ` · ${turnName(state?.record, this.column, this.marked)} marked`;
    const keys = this.turnKeys();
    const label = (list) => list.map(keyLabel).join(" or ");
    const how = focused ? ` · ${label(keys.next)} next, ${label(keys.prev)} previous` : "";
    const what = this.mode.place === "slot" ? "turns answered" : "messages";
    return `${done} of ${asked.length} ${what}${where}${how}`;
  }

  update(state) {
    this.last = state;
    this.shell.update(state);
    const record = state.record ?? null;
    const next = this.mode.turns(this.question, record);
    if (record?.key !== this.key || JSON.stringify(next) !== JSON.stringify(this.layout)) {
      this.key = record?.key;
      this.layout = next;
      this.rebuild();
    }
    this.place();
    if (state.focused && this.marked !== null) this.ensure(this.marked);
    for (const [i, s] of this.subs) if (s.comp) this.updateOne(i, s, state);
    this.showMark(state);
  }

  redraw() {
    if (this.last) this.update({ ...this.last, ...this.whole() });
  }

  mark(i, scroll = false) {
    if (!this.subs.has(i)) return;
    this.marked = i;
    this.ctx.focus?.(this.index);
    this.redraw();
    if (scroll) {
      const at = this.ctx.revealTurn ?? this.ctx.turnElement; // a long chat's card put back in the page
      const el = at?.(this.column, i) ?? this.ensure(i)?.el;
      el?.scrollIntoView?.({ block: "nearest", inline: "nearest" });
    }
  }

  move(by) {
    const { asked } = this.layout;
    const at = asked.indexOf(this.marked);
    const to = asked[Math.max(0, Math.min(asked.length - 1, (at === -1 ? 0 : at) + by))];
    if (to !== undefined) this.mark(to, true);
  }

  /** After answering turn i: mark the next unanswered turn (after it, else from the start). */
  advance(i) {
    const { asked } = this.layout;
    const at = asked.indexOf(i);
    const to = [...asked.slice(at + 1), ...asked.slice(0, at)].find((j) => !this.isDone(j));
    if (to !== undefined) this.mark(to, true);
    else this.redraw();
  }

  /** What an action does to turn i's entry: the component's own `perform`, else the kind's
   * pure `onAction` (a key, a click on an option); true when something took it. */
  runOn(i, action) {
    const s = this.subs.get(i);
    const comp = this.ensure(i);
    if (comp?.perform?.(action)) return true;
    const v = this.plugin.onAction?.(s.question, action, this.valueOf(i));
    if (v === undefined) return false;
    this.answerTurn(i, v);
    return true;
  }

  /** A digit or a key for the marked turn; then the next unanswered turn is marked. */
  answerKey(action) {
    const i = this.marked;
    if (!this.subs.has(i)) return action.type === "digit";
    const before = this.isDone(i);
    const own = Boolean(this.ensure(i)?.perform);
    if (!this.runOn(i, action)) {
      if (action.type !== "digit") return false; // a letter that means nothing here is the widget's
      this.ctx.notify?.(`${action.digit} is not an answer to ${this.question.name}`, "info");
      return true;
    }
    // A turn just answered hands the mark on; a multi-choice turn keeps it (more labels may follow).
    const done = !Array.isArray(this.valueOf(i)) && this.isDone(i) && (!before || !own);
    if (this.mode.place === "slot" && done) this.advance(i);
    else this.redraw();
    return true;
  }

  /** A turn's own action (a click, or a key its kind claimed), routed back to its component. */
  turnAction({ turn, inner }) {
    if (!this.subs.has(turn)) return false;
    this.runOn(turn, inner);
    this.mark(turn);
    return true;
  }

  keyAction(e) {
    const keys = this.turnKeys();
    // The turn keys are this capability's, before any key the turn's own kind claims.
    if (!e.isComposing && matchesKey(e, keys.next)) return { type: "next_turn" };
    if (!e.isComposing && matchesKey(e, keys.prev)) return { type: "prev_turn" };
    const inner = this.marked === null ? null : (this.ensure(this.marked)?.keyAction?.(e) ?? null);
    if (inner) return { type: "kind", index: this.index, op: "turn", turn: this.marked, inner };
    // Over a chat's spans the arrows select spans; an arrow the spans did not take still moves.
    return this.mode.place === "claim" ? this.arrowMove(e) : null;
  }

  arrowMove(e) {
    const keys = this.ctx.keys?.() ?? TURN_KEYS;
    if (e.isComposing) return null;
    if (matchesKey(e, keys.next_turn ?? [])) return { type: "next_turn" };
    if (matchesKey(e, keys.prev_turn ?? [])) return { type: "prev_turn" };
    return null;
  }

  perform(action) {
    if (action.type === "digit" || action.type === "key") return this.answerKey(action);
    if (action.type === "next_turn" || action.type === "prev_turn") {
      this.move(action.type === "next_turn" ? 1 : -1);
      return true;
    }
    if (action.type === "kind" && action.op === "turn-move") {
      this.move(action.by);
      return true;
    }
    return action.type === "kind" && action.op === "turn" ? this.turnAction(action) : false;
  }

  built() {
    return [...this.subs.values()].filter((s) => s.comp).map((s) => s.comp);
  }

  /** The component the widget holds (docs/protocol.md, "Front end: question kinds"). */
  component() {
    return {
      el: this.shell.el,
      question: this.question,
      get focusEl() {
        return null;
      },
      update: (state) => this.update(state),
      keyAction: (e) => this.keyAction(e),
      perform: (action) => this.perform(action),
      accept: () => this.built().some((c) => c.accept?.()),
      hasPending: () => this.built().some((c) => c.hasPending?.()),
      flush: () => this.built().forEach((c) => c.flush?.()),
      reset: () => {
        this.built().forEach((c) => c.reset?.());
        this.key = undefined;
      },
      destroy: () => {
        this.built().forEach((c) => c.destroy?.());
        this.current?.classList.remove("nbr-turn-current");
      },
      owns: (target) => this.built().some((c) => c.el.contains(target)),
      takesText: (target) => this.takesText(target),
    };
  }

  /** A turn's text box takes typed text as the kind's own box does. */
  takesText(target) {
    const comp = this.built().find((c) => c.el.contains(target));
    if (!comp) return false;
    const t = comp.takesText;
    if (typeof t === "function") return Boolean(t(target));
    return t === true ? target !== comp.el : target.tagName === "TEXTAREA" || target.tagName === "INPUT";
  }
}

/** The component of a TurnSet, with `focusEl` the marked turn's (Tab into its text box). */
export function turnSet(question, index, ctx, plugin, mode) {
  const set = new TurnSet(question, index, ctx, plugin, mode);
  const c = set.component();
  Object.defineProperty(c, "focusEl", {
    get: () => (set.marked === null ? null : (set.ensure(set.marked)?.focusEl ?? null)),
  });
  return c;
}
