// The registry of question kinds: the widget core builds and asks every question through it,
// and never names a kind (docs/kinds.md, "The front-end plugin").
//
// A kind is a plugin object:
//   {
//     kinds: ["spans"],                       // config `kind`s it draws
//     build(question, index, ctx) → component,
//     isAnswered?(question, value, answers) → boolean, // default: any value but null
//     onAction?(question, action, current) → answer | undefined, // pure: a key (`digit`, `key`)
//                                             // while focused, or its own `kind` action
//     help?(question, keys) → [[keys, what], …], // rows for the "?" panel
//     companions?(question) → [question, …],  // questions answered with it (a preference's
//                                             // strength): rows of the adjudication table
//   }
// See docs/protocol.md ("Front end: question kinds") for the component and ctx contract.
import { hasValue } from "../answers.js";
import choice from "./choice.js";
import edit from "./edit.js";
import freetext from "./freetext.js";
import number from "./number.js";
import preference from "./preference.js";
import ranking from "./ranking.js";
import rubric from "./rubric.js";
import spans from "./spans.js";
import { perTurn, wholeChatSpans } from "./turns.js";
import unsupported from "./unsupported.js";

// Capabilities every kind shares, wrapped around its plugin when a question asks for them
// (js/kinds/turns.js: `turns=`, spans over a whole chat).
const WRAPPERS = [perTurn, wholeChatSpans];

const REGISTRY = new Map();

/** Make a kind available (a later registration of the same kind replaces the earlier one). */
export function registerKind(plugin) {
  for (const kind of plugin.kinds) REGISTRY.set(kind, plugin);
}

/** The plugin for a config kind; unknown kinds get a notice instead of controls. */
export function kindOf(kind) {
  return REGISTRY.get(kind) ?? unsupported;
}

/** The kinds registered now (for tests and the help panel). */
export function registeredKinds() {
  return [...REGISTRY.keys()];
}

/** The plugin that draws and judges a question: its kind's, or a capability wrapped around it. */
export function pluginOf(question) {
  const plugin = kindOf(question?.kind);
  for (const wrap of WRAPPERS) {
    const wrapped = wrap(question, plugin);
    if (wrapped) return wrapped;
  }
  return plugin;
}

export function buildQuestion(question, index, ctx) {
  return pluginOf(question).build(question, index, ctx);
}

/** Whether `value` answers `question`, as its kind decides (answers and record: the record's). */
export function answered(question, value, answers = {}, record = null) {
  return (pluginOf(question).isAnswered ?? hasValue)(question, value, answers, record);
}

/** The answer an action gives the question, as its kind decides; undefined: none. */
export function answerFor(question, action, current) {
  return pluginOf(question).onAction?.(question, action, current);
}

/** The questions, each followed by those answered with it (a preference's strength). */
export function withCompanions(questions) {
  return questions.flatMap((q) => [q, ...(pluginOf(q).companions?.(q) ?? [])]);
}

/** Whether the element `target` of a built question takes typed text (its `takesText`). */
export function takesText(component, target) {
  const t = component?.takesText;
  if (typeof t === "function") return Boolean(t(target));
  return t === true && target !== component.el && component.el.contains(target);
}

for (const plugin of [choice, freetext, number, spans, edit, preference, ranking, rubric]) {
  registerKind(plugin);
}
