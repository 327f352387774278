// Actions about the widget itself, not the record: the focused question, panels, the raw
// switch, notices, and the ones only the view can carry out (focus, full window, Esc).
import { keysOf } from "../keys.js";
import { questionsOf } from "./state.js";
import { effect, set } from "./step.js";

export const NO_GUIDELINES = "No guidelines were given for this review.";

function moveFocus(r, by) {
  const n = questionsOf(r.state).length;
  if (n === 0) return r;
  set(r, { focus: (((r.state.focus + by) % n) + n) % n });
  return effect(r, "focusEl");
}

const toggle = (name) => (r) => set(r, { panels: { ...r.state.panels, [name]: !r.state.panels[name] } });
const viewOnly = (name) => (r) => effect(r, name);

export const panelHandlers = {
  config(r, { config }) {
    const next = config ?? {};
    const n = (next.questions ?? []).length;
    set(r, { config: next, keys: keysOf(next), focus: Math.min(r.state.focus, Math.max(0, n - 1)) });
    if (!next.guidelines) set(r, { panels: { ...r.state.panels, guidelines: false } });
    return effect(r, "configured");
  },
  focus: (r, { index }) => (index === r.state.focus ? r : set(r, { focus: index })),
  next_question: (r) => moveFocus(r, 1),
  prev_question: (r) => moveFocus(r, -1),
  help: toggle("help"),
  guidelines(r) {
    if (r.state.config.guidelines) return toggle("guidelines")(r);
    return set(r, { notice: { kind: "info", text: NO_GUIDELINES } });
  },
  raw: (r) => set(r, { raw: !r.state.raw }),
  notify: (r, { text, kind = "error" }) => set(r, { notice: { kind, text } }),
  stale: (r) => set(r, { stale: true }),
  release: viewOnly("release"),
  leave: viewOnly("leave"),
  full: viewOnly("full"),
  search: viewOnly("search"),
  queue: viewOnly("queue"),
};
