// `unfold` (key t, API.md 11): open every fold of the record (reasoning, long tool results),
// or close them all when every one is open. Folds are the page's, so the reducer only asks
// the page to do it: effect "unfold" (js/widget/input.js, registerEffect; js/render/folds.js).
import { effect, registerAction } from "../core/reducer.js";
import { toggleFolds } from "../render/folds.js";
import { registerEffect } from "./input.js";

const hasChat = (config) => (config.fields ?? []).some((f) => f.kind === "chat");

registerEffect("unfold", (_effect, { root }) => toggleFolds(root));

registerAction("unfold", (r) => effect(r, "unfold"), {
  immediate: true,
  help: (config) =>
    hasChat(config) ? "open every fold of the record (reasoning, long tool results); again: close them" : null,
});
