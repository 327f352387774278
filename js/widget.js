// The nbreview widget: a reducer (js/core/) that turns actions into state and messages, and a
// view (js/widget/view.js) that draws the state. This module wires them to the model and the
// page: keys become actions (js/widget/input.js), a kernel reply becomes one action, and the
// view is drawn once per action from outside.
import "./widget.css";
import { buildAnnouncer } from "./widget/announce.js";
import { buildOthers } from "./others.js";
import { buildQueue } from "./queue.js";
import { ownsKey } from "./keys.js";
import "./similar.js"; // the `similar` action (more like this)
import { guardShortcuts } from "./suppress.js";
import { createEffects, createKeyHandler, createRoute } from "./widget/input.js";
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
import { attachMore } from "./render/more.js";
import "./widget/unfold.js";

export { effect, registerAction, send, set } from "./core/reducer.js";
export { registerEffect } from "./widget/input.js";
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
  const queueAction = (type, fields) =>
    type === "nav" ? { type: "goto", row: fields.to } : { ...fields, type: type === "queue" ? "filter" : type };
  p.queue = buildQueue({ send: (type, fields) => store.dispatch(queueAction(type, fields)), leave: refocus });
  const root = buildRoot(p, { queue: p.queue, others: p.others, onKeydown });
  Object.assign(p, { root, refocus, feedback: buildFeedback() }); // feedback: gold_feedback
  p.banner.after(p.feedback.el);
  p.stale.textContent = STALE_TEXT;
  p.kinds = createQuestions({ container: p.questions, fields: p.fields, store, refocus });
  el.append(root);
  return p;
}

/** One action per kernel reply: a sync that replaced several traits fires a change for each,
 * after all are set, so the first handler sees them all and the others see nothing new. */
function listenKernel(model, store) {
  let last = [];
  const onKernel = () => {
    const now = TRAITS.map((t) => model.get(t));
    if (now.every((x, i) => x === last[i])) return;
    last = now;
    const [view, record, link, page] = now;
    store.kernel({ view, record, link, page });
  };
  const onConfig = () => store.apply({ type: "config", config: model.get("config") ?? {} });
  model.on("change:config", onConfig);
  for (const t of TRAITS) model.on(`change:${t}`, onKernel);
  onConfig();
  onKernel();
  return () => {
    model.off("change:config", onConfig);
    for (const t of TRAITS) model.off(`change:${t}`, onKernel);
  };
}

function render({ model, el, signal }) {
  // The store calls back into parts built after it: the route, the effects and the view.
  let route;
  let onEffect;
  let view;
  let visitor;
  const announcer = buildAnnouncer(); // the focused question and turn, said aloud
  const store = createStore({
    model,
    config: model.get("config") ?? {},
    route: (action) => route(action),
    effect: (e) => onEffect(e),
    render: (state) => {
      view.draw(state);
      announcer.say(p, state);
    },
  });
  const onKeydown = (e) => keydown(e);
  const p = buildParts({ el, store, onKeydown });
  const keydown = createKeyHandler(store, p);
  route = createRoute(store, p);
  onEffect = createEffects(store, p, () => view, () => visitor);
  view = createView(p);
  p.root.append(announcer.el);
  // Who answers, their other windows, the layout, the host (js/widget/visitor.js).
  visitor = attachVisitor({ model, el, root: p.root, parts: p, others: p.others, refocus: p.refocus });
  model.send({ type: "ahead" }); // rendered: the kernel may now send the next records ahead

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
  const unlisten = listenKernel(model, store);
  const unmore = attachMore(model, p.fields); // "Show more" on a long field (after the view)
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
    unlisten();
    unmore();
    visitor.destroy();
    model.off("comm_live_update", goStale);
    p.kinds.destroy();
    store.destroy();
    // A model closed by a kernel restart leaves its view on the page, marked stale (goStale,
    // on the abort signal); a view that is simply removed takes its element along.
    if (!store.state.stale) p.root.remove();
  };
}

export default { render };
