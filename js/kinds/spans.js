// Spans questions: labelled marks over a field's text, made and edited by mouse or keyboard.
//
// This module wires the parts in js/spans/: the question's state (state.js), the answer as
// decisions change it (answer.js), keys and actions (controller.js), the mouse (mouse.js), the
// marked text (view.js), the label legend and span list (list.js) and what it says
// (messages.js). The answer is [{start, end, label, text}] in UTF-16 offsets.
import { h, setFlag } from "../dom.js";
import { targetText } from "../render/target.js";
import { acceptAll, current, selectedSpan } from "../spans/answer.js";
import { keyAction, keysIn, perform } from "../spans/controller.js";
import { spansPanel } from "../spans/list.js";
import { help, hintText, showIsolated } from "../spans/messages.js";
import { listenMouse } from "../spans/mouse.js";
import { blank, caretOff, spansState } from "../spans/state.js";
import { textView } from "../spans/view.js";
import { actions } from "./buttons.js";
import { questionShell } from "./shell.js";

export { MARKED_FIRST, SELECT_FIRST } from "../spans/messages.js";

function build(question, index, ctx) {
  const s = spansState(question, index, ctx);
  const acts = actions(ctx, index);
  const shell = questionShell(question, index, ctx, "mark spans");
  const hint = h("div", { class: "nbr-spans-hint", "aria-live": "polite" });
  const text = textView(s);
  const panel = spansPanel(s, acts);
  shell.el.append(hint, text.host);

  function render() {
    const cur = current(s);
    text.draw(cur);
    panel.draw(cur);
    showIsolated(hint, hintText(s, selectedSpan(s, cur), keysIn(s)));
    setFlag(shell.suggestedTag, "hidden", !(cur.suggested || cur.pending.length > 0));
  }
  const mouse = listenMouse(s, text.el, text.markOf, render);

  return {
    el: shell.el,
    question,
    update(state) {
      shell.update(state);
      showRecord(s, state, mouse);
      text.place(panel.el);
      render();
      setFlag(shell.suggestedTag, "hidden", !(state.suggested || current(s).pending.length > 0));
    },
    keyAction: (e) => keyAction(s, e, acts.act),
    perform(action) {
      const done = perform(s, action);
      if (done) render();
      return done;
    },
    accept: () => {
      const done = acceptAll(s);
      if (done) render();
      return done;
    },
    hasPending: () => {
      const cur = current(s);
      return !cur.suggested && cur.pending.length > 0;
    },
    reset() {
      mouse.stopDrag();
      s.st = blank();
    },
    destroy() {
      mouse.stopDrag();
      panel.el.remove();
      text.destroy();
    },
  };
}

/** Take in the state the widget shows: a new record starts afresh; losing focus ends caret mode. */
function showRecord(s, state, mouse) {
  const rec = state.record ?? null;
  const key = rec?.key ?? null;
  if (key !== s.view.key) {
    mouse.stopDrag();
    s.st = blank();
  }
  // `field` is a column or one chat message ("messages[-1]"); null: this record lacks it.
  const text = rec ? targetText(rec.fields, s.field) : "";
  s.view = { key, text: text ?? "", missing: text === null, focused: Boolean(state.focused) };
  if (state.suggested) s.st.localPending = null; // no answer: the kernel's suggestions are all pending
  if (!state.focused && s.st.caret) caretOff(s);
}

export default {
  kinds: ["spans"],
  build,
  isAnswered: (_question, value) => Array.isArray(value),
  help,
};
