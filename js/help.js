// The "?" panel: which key does what, from the keys in force (config.keys: js/keys.js). Drawn
// with classed divs, not dl/dt/dd, so a host's element rules (JupyterLab and Voilà float every
// output dt at 20% width) cannot reach it.
import { actionHelp } from "./core/reducer.js";
import { h } from "./dom.js";
import { keysOf, keysText, pairText } from "./keys.js";
import { pluginOf } from "./kinds/index.js";

const hasMarkdown = (config) => (config.fields ?? []).some((f) => f.kind === "markdown" || f.kind === "chat");

/** [keys, what they do] for this review's config; rows of actions without a key are left out. */
export function keyList(config = {}) {
  const keys = keysOf(config);
  const k = (action) => keysText(keys, action);
  const rows = [
    config.one_key
      ? ["1 – 9", "answer, submit and open the next record"]
      : ["1 – 9", "answer the focused question (toggle a label in a multi-label question)"],
    ["0", "none apply (multi-label) · 10 on a ten-point scale"],
    [pairText(keys, "next_question", "prev_question"), "next / previous question (into a text box)"],
    [k("submit"), "submit and open the next record without an answer"],
    [pairText(keys, "prev", "next"), "previous / next record"],
    [k("skip"), "skip this record"],
    [k("accept"), "accept the suggested answers"],
    [k("undo"), "undo the last change"],
    ...(config.guidelines ? [[k("guidelines"), "show or hide the guidelines"]] : []),
    [k("search"), "search the shown fields (Enter applies, Esc leaves)"],
    [k("queue"), "show or hide the queue table (click a row to jump there)"],
    ...(hasMarkdown(config)
      ? [[k("raw"), "markdown and chats: raw text / rendered (text a question marks is always raw)"]]
      : []),
    [k("full"), `full-window view, and back (${k("release") || "Esc"} leaves it too)`],
    [k("help"), "show or hide this list"],
    [k("release"), "leave a text box; outside one, back to the notebook"],
    ["Ctrl+Enter", "submit from inside a text box"],
    ...actionHelp(config).map(([action, what]) => [k(action), what]),
    ...kindRows(config.questions ?? [], keys, config),
  ];
  return rows.filter(([key]) => key !== "");
}

/** The rows the review's questions add (a row two questions share is listed once). */
function kindRows(questions, keys, config) {
  const seen = new Set();
  const rows = [];
  for (const q of questions) {
    for (const row of pluginOf(q).help?.(q, keys, config) ?? []) {
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
