// The "?" panel: which key does what. Drawn with classed divs, not dl/dt/dd, so a host's
// element rules (JupyterLab and Voilà float every output dt at 20% width) cannot reach it.
import { h } from "./dom.js";
import { pluginOf } from "./kinds/index.js";

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
    ...(config.guidelines ? [["g", "show or hide the guidelines"]] : []),
    ["/", "search the shown fields (Enter applies, Esc leaves)"],
    ["q", "show or hide the queue table (click a row to jump there)"],
    ...((config.fields ?? []).some((f) => f.kind === "markdown" || f.kind === "chat")
      ? [["r", "markdown and chats: raw text / rendered (text a question marks is always raw)"]]
      : []),
    ...((config.fields ?? []).some((f) => f.kind === "chat")
      ? [["t", "open every fold of the record (reasoning, long tool results); again: close them"]]
      : []),
    ["f", "full-window view, and back (Esc leaves it too)"],
    ["?", "show or hide this list"],
    ["Esc", "leave a text box; outside one, back to the notebook"],
    ["Ctrl+Enter", "submit from inside a text box"],
    ...kindRows(config.questions ?? [], config),
  ];
}

/** The rows the review's questions add (a row two questions share is listed once). */
function kindRows(questions, config) {
  const seen = new Set();
  const rows = [];
  for (const q of questions) {
    for (const row of pluginOf(q).help?.(q, config) ?? []) {
      const id = JSON.stringify(row);
      if (seen.has(id)) continue;
      seen.add(id);
      rows.push(row);
    }
  }
  return rows;
}

export function buildHelp(config) {
  const rows = keyList(config).map(([keys, what]) =>
    h(
      "div",
      { class: "nbr-help-row", role: "row" },
      h("span", { class: "nbr-help-keys", role: "rowheader" }, h("kbd", {}, keys)),
      h("span", { class: "nbr-help-what", role: "cell" }, what),
    ),
  );
  return h(
    "div",
    { class: "nbr-help", hidden: true },
    h("div", { class: "nbr-section-title" }, "Keys"),
    h("div", { class: "nbr-help-list", role: "table", "aria-label": "Keys" }, rows),
  );
}
