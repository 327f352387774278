// The questions as built components (js/kinds/), and the `ctx` they talk to the widget through
// (docs/protocol.md, "Front end: question kinds"): answers and actions go to the store, what is
// shown comes from its state.
import { claimTarget, revealTurn, turnElement, turnSlot } from "../render/record.js";
import { currentOf } from "../core/state.js";
import { buildQuestion } from "../kinds/index.js";

/** `store`: {state, apply, dispatch}; `fields`: the field area; `refocus()`: keys back to the root. */
export function createQuestions({ container, fields, store, refocus }) {
  let built = [];
  const claims = new Map(); // target → index of the question that draws over its text
  const ctx = {
    answer: (question, value) => store.apply({ type: "answer", question: question.name, value }),
    dispatch: (action) => store.dispatch(action),
    current: (question) => currentOf(store.state, question),
    keys: () => store.state.keys, // the keys table in force (js/keys.js), for hints
    focus: (index) => store.apply({ type: "focus", index }),
    refocus,
    notify: (text, kind = "error") => store.apply({ type: "notify", text, kind }),
    claimField(target, index) {
      if (!claims.has(target)) claims.set(target, index);
      return claims.get(target) === index;
    },
    // A column, or one message of a chat ("messages[-1]"): js/render/record.js.
    fieldBody: (target) => claimTarget(fields, target),
    // Per-turn questions (js/kinds/turns.js): where turn i of a chat or steps field is drawn.
    turnSlot: (column, i) => turnSlot(fields, column, i),
    turnElement: (column, i) => turnElement(fields, column, i),
    revealTurn: (column, i) => revealTurn(fields, column, i),
    keys: () => store.state.keys,
    fieldKind: (column) => (store.state.config.fields ?? []).find((f) => f.column === column)?.kind ?? null,
  };

  return {
    get all() {
      return built;
    },
    /** Build the config's questions afresh (the config changed). */
    build(questions) {
      for (const c of built) c.destroy?.();
      claims.clear();
      built = questions.map((q, i) => buildQuestion(q, i, ctx));
      container.replaceChildren(...built.map((c) => c.el));
    },
    /** The component that has `target` inside it, or undefined. */
    owning: (target) => built.find((c) => c.el.contains(target) || c.owns?.(target)),
    /** Before the record changes: send typing not yet sent. */
    flush() {
      for (const c of built) c.flush?.();
    },
    /** A different record: forget local state. */
    reset() {
      for (const c of built) c.reset?.();
    },
    /** `a`: the kinds that keep suggestions of their own accept them first. */
    accept() {
      for (const c of built) c.accept?.();
    },
    /** Whether a kind keeps suggestions of its own (shows the accept button). */
    hasPending: () => built.some((c) => c.hasPending?.()),
    /** Give an action to question `index` first; true when it took it. */
    perform: (index, action) => Boolean(built[index]?.perform?.(action)),
    destroy() {
      for (const c of built) c.destroy?.();
    },
  };
}
