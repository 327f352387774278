// The "?" panel: which key does what.
import { h } from "./dom.js";
import { kindOf } from "./kinds/index.js";

/** [keys, what they do] for this review's config. */
export function keyList(config = {}) {
  return [
    config.one_key
      ? ["1 – 9", "answer, submit and open the next record"]
      : ["1 – 9", "answer the focused question (toggle a label in a multi-label question)"],
    ["0", "none apply (multi-label) · 10 on a ten-point scale"],
    ["Tab / Shift+Tab", "next / previous question (into a text box)"],
    ["Enter", "submit and open the next record without an answer"],
    ["← / →", "previous / next record"],
    ["s", "skip this record"],
    ["a", "accept the suggested answers"],
    ["Ctrl+Z / ⌘Z", "undo the last change"],
    ["g", "show or hide the guidelines"],
    ["/", "search the shown fields (Enter applies, Esc leaves)"],
    ["q", "show or hide the queue table (click a row to jump there)"],
    ...((config.fields ?? []).some((f) => f.kind === "markdown" || f.kind === "chat")
      ? [["r", "markdown and chats: raw text / rendered (text a question marks is always raw)"]]
      : []),
    ["?", "show or hide this list"],
    ["Esc", "leave a text box; outside one, back to the notebook"],
    ["Ctrl+Enter", "submit from inside a text box"],
    ...kindRows(config.questions ?? []),
  ];
}

/** The rows the review's question kinds add, once per kind. */
function kindRows(questions) {
  const seen = new Set();
  const rows = [];
  for (const q of questions) {
    const plugin = kindOf(q.kind);
    if (seen.has(q.kind) || !plugin.help) continue;
    seen.add(q.kind);
    rows.push(...plugin.help(q));
  }
  return rows;
}

export function buildHelp(config) {
  const rows = keyList(config).map(([keys, what]) =>
    h("div", { class: "nbr-help-row" }, h("dt", {}, h("kbd", {}, keys)), h("dd", {}, what)),
  );
  return h(
    "div",
    { class: "nbr-help", hidden: true },
    h("div", { class: "nbr-section-title" }, "Keys"),
    h("dl", {}, rows),
  );
}
