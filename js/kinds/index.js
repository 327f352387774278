// The registry of question kinds: the widget core builds every question through it.
//
// A kind is a plugin object:
//   {
//     kinds: ["spans"],                       // config `kind`s it draws
//     build(question, index, ctx) → component,
//     isAnswered?(question, value, answers) → boolean, // default: answers.isAnswered
//     help?(question) → [[keys, what], …],    // rows for the "?" panel
//     companions?(question) → [question, …],  // questions answered with it (a preference's
//                                             // strength): rows of the adjudication table
//   }
// See docs/protocol.md ("Front end: question kinds") for the component and ctx contract.
import choice from "./choice.js";
import edit from "./edit.js";
import freetext from "./freetext.js";
import preference from "./preference.js";
import ranking from "./ranking.js";
import rubric from "./rubric.js";
import spans from "./spans.js";
import { wholeChatSpans, perTurn } from "./turns.js";
import unsupported from "./unsupported.js";

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

/**
 * The plugin that draws a question: its kind's, wrapped by a capability the kinds share when
 * the question asks for it (per turn: `turns`, js/kinds/turns.js; spans over a whole chat).
 */
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

for (const plugin of [choice, freetext, spans, edit, preference, ranking, rubric]) registerKind(plugin);
