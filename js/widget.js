// The nbreview widget: a reducer (js/core/) that turns actions into state and messages, and a
// view (js/widget/view.js) that draws the state. This module wires them to the model and the
// page: keys become actions, actions go to the focused question's kind first, kernel replies
// become one action each, and effects the state cannot hold (focus, full window) happen here.
import "./widget.css";
import { buildOthers } from "./others.js";
import { buildQueue } from "./queue.js";
import { actionForKey, ownsKey } from "./keys.js";
import { takesText } from "./kinds/index.js";
import { guardShortcuts } from "./suppress.js";
import { isMove } from "./core/reducer.js";
import { recordOf } from "./core/state.js";
import { AWAIT_MS, createStore } from "./widget/store.js";
import {
  DONE_TEXT,
  EMPTY_TEXT,
  positionText,
  SAVED_TEXT,
  STALE_TEXT,
  STALLED_TEXT,
  unsavedText,
} from "./widget/notices.js";
import { createQuestions } from "./widget/questions.js";
import { buildRoot, buildShell } from "./widget/shell.js";
import { buildFeedback } from "./widget/feedback.js";
import { createView } from "./widget/view.js";
import { attachVisitor } from "./widget/visitor.js";

export { registerAction } from "./core/reducer.js";
export { registerKind } from "./kinds/index.js";
export { AWAIT_MS, DONE_TEXT, EMPTY_TEXT, positionText, SAVED_TEXT, STALE_TEXT, STALLED_TEXT, unsavedText };

const TRAITS = ["view", "record", "link", "queue_page"];

/** The widget's parts: shell, queue, adjudication panel, feedback, questions, root. */
function buildParts({ el, store, onKeydown }) {
  const refocus = () => root.focus({ preventScroll: true });
  const p = buildShell((action) => {
    store.dispatch(action);
    refocus();
  });
  // Adjudication: the other annotators' answers; "Use" takes one as the final answer.
  p.others = buildOthers((question, value) => {
    store.apply({ type: "answer", question: question.name, value });
    refocus();
  });
  // The queue: search, status filter and a table to jump from (js/queue.js).
  p.queue = buildQueue({
    send: (type, fields) =>
      store.dispatch(type === "nav" ? { type: "goto", row: fields.to } : { type: type === "queue" ? "filter" : type, ...fields }),
    leave: refocus,
  });
  const root = buildRoot(p, { queue: p.queue, others: p.others, onKeydown });
  p.root = root;
  p.refocus = refocus;
  p.feedback = buildFeedback(); // gold_feedback: the expected answers after a gold submit
  p.banner.after(p.feedback.el);
  p.stale.textContent = STALE_TEXT;
  p.kinds = createQuestions({ container: p.questions, fields: p.fields, store, refocus });
  el.append(root);
  return p;
}

function render({ model, el, signal }) {
  let p;
  let visitor;
  let view;
  // An action that may run now: the question it is for takes it first (the focused one, or
  // the one a `kind` action names), then the reducer.
  const route = (action) => {
    if (isMove(action)) p.kinds.flush(); // typing not yet sent belongs to the record it was typed on
    if (recordOf(store.state)) {
      if (action.type === "accept") p.kinds.accept();
      else if (p.kinds.perform(action.type === "kind" ? action.index : store.state.focus, action)) return true;
    }
    return store.run(action);
  };
  const store = createStore({
    model,
    config: model.get("config") ?? {},
    route: (action) => route(action),
    effect: (e) => onEffect(e),
    render: (state) => view.draw(state),
  });

  function onEffect(e) {
    const { root, kinds } = p;
    const active = root.getRootNode().activeElement;
    if (e.type === "configured") view.configure(store.state);
    else if (e.type === "recordShown") {
      kinds.reset(); // unsent typing (and other local edits) belonged to the old record
      if (root.contains(active) && active !== root) p.refocus();
    } else if (e.type === "focusEl") {
      const target = kinds.all[store.state.focus]?.focusEl;
      if (target) target.focus({ preventScroll: false });
      else if (active !== root) p.refocus();
    } else if (e.type === "release") release();
    else if (e.type === "leave") p.refocus();
    else if (e.type === "full") visitor.toggleFull();
    else if (e.type === "search") p.queue.focusSearch();
    else if (e.type === "queue") p.queue.toggle();
  }

  /** Esc: give the keyboard back to the notebook (command mode in JupyterLab). */
  function release() {
    if (visitor.release()) return; // leaves the full window; marimo: to its cell
    p.root.blur();
    const target = p.root.closest(".jp-Notebook") ?? p.root.closest(".jp-Cell");
    target?.focus?.({ preventScroll: true });
  }

  function onKeydown(e) {
    const { state } = store;
    if (state.stale || !ownsKey(e, state.keys)) return; // Ctrl+S and friends belong to the notebook
    e.stopPropagation(); // no key of ours reaches JupyterLab's shortcuts
    // A box that takes text (the kind says which) keeps its keys, but Esc, Tab and Ctrl+Enter.
    const owner = e.target === p.root ? undefined : p.kinds.owning(e.target);
    const text = owner ? takesText(owner, e.target) : false;
    // The focused question may claim keys first (spans: caret, ↑/↓, Backspace).
    const own = text || e.isComposing ? null : (p.kinds.all[state.focus]?.keyAction?.(e) ?? null);
    const action = own ?? actionForKey(e, { keys: state.keys, text });
    if (action && store.dispatch(action)) e.preventDefault();
  }

  p = buildParts({ el, store, onKeydown });
  view = createView(p);
  // Who answers, their other windows, the layout, the host (js/widget/visitor.js).
  visitor = attachVisitor({ model, el, root: p.root, parts: p, others: p.others, refocus: p.refocus });
  model.send({ type: "ahead" }); // rendered: the kernel may now send the next records ahead

  // One action per kernel reply: a sync that replaced several traits fires a change for
  // each, after all are set, so the first handler sees them all and the others see no change.
  let last = [];
  const onKernel = () => {
    const now = TRAITS.map((t) => model.get(t));
    if (now.every((x, i) => x === last[i])) return;
    last = now;
    const [v, record, link, page] = now;
    store.kernel({ view: v, record, link, page });
  };
  const onConfig = () => store.apply({ type: "config", config: model.get("config") ?? {} });

  /** The kernel restarted or stopped: say so, and take no more input. */
  function goStale() {
    if (store.state.stale) return;
    store.apply({ type: "stale" });
    store.destroy();
    p.root.classList.add("nbr-stale");
    p.root.inert = true;
    p.stale.hidden = false;
  }

  const unguard = guardShortcuts(p.root, (e) => ownsKey(e, store.state.keys));
  model.on("change:config", onConfig);
  for (const t of TRAITS) model.on(`change:${t}`, onKernel);
  onConfig();
  onKernel();
  // anywidget aborts the signal when the model is destroyed (the kernel stopped); a kernel
  // restart leaves the model with a dead comm, which ipywidgets announces as comm_live_update
  // (it only ever turns false once a view is rendered).
  signal?.addEventListener("abort", () => {
    if (String(signal.reason ?? "").includes("Runtime destroyed")) goStale();
  });
  model.on("comm_live_update", goStale);

  return () => {
    try {
      p.kinds.flush(); // typing not yet sent is still an answer
    } catch {
      // the comm may already be closed
    }
    unguard();
    visitor.destroy();
    model.off("change:config", onConfig);
    for (const t of TRAITS) model.off(`change:${t}`, onKernel);
    model.off("comm_live_update", goStale);
    p.kinds.destroy();
    store.destroy();
    // A model closed by a kernel restart leaves its view on the page, marked stale (goStale,
    // on the abort signal); a view that is simply removed takes its element along.
    if (!store.state.stale) p.root.remove();
  };
}

export default { render };
