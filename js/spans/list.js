// The panel beside the marked text: the label legend (a click labels the selection), the
// "nothing to mark" button (key 0) and the list of spans, each to select, accept or delete.
import { h, setText } from "../dom.js";
import { button, keepFocus, keyBadge, optionParts, showChosen } from "../kinds/buttons.js";
import { allSpans, answeredNone } from "./answer.js";
import { isSelected } from "./state.js";

/** The panel; `act`/`run` from kinds/buttons.js actions(). Returns {el, draw(cur)}. */
export function spansPanel(s, { act, run }) {
  const legend = h(
    "div",
    { class: "nbr-spans-legend", role: "group", "aria-label": `${s.question.name} labels` },
    s.labels.map((label) => labelButton(s, label, () => run(act("label", { label })))),
  );
  // An empty list is a real answer ("nothing to mark"), so it has a key and a button.
  const none = button(
    { class: "nbr-none nbr-spans-none", title: "nothing to mark in this text (key 0)", "aria-pressed": "false" },
    () => run(act("none")),
    optionParts({ key: "0", label: "nothing to mark", dir: null }),
  );
  legend.append(none);
  const title = h("div", { class: "nbr-spans-list-title" });
  const list = h("ol", { class: "nbr-spans-list" });
  const el = h(
    "div",
    {
      class: "nbr-spans-panel",
      dataset: { question: String(s.question.name) },
      onmousedown: () => s.ctx.focus?.(s.index),
    },
    legend,
    title,
    list,
  );
  let drawnKey = null;
  function draw(cur) {
    const spans = allSpans(cur);
    const isNone = answeredNone(s, cur);
    showChosen(none, isNone);
    const key = JSON.stringify([s.view.key, spans, s.st.selected, isNone]);
    if (key === drawnKey) return;
    drawnKey = key;
    const nSuggested = cur.pending.length;
    setText(title, `Spans: ${cur.confirmed.length}${nSuggested ? ` · ${nSuggested} suggested (a accepts all)` : ""}`);
    if (spans.length > 0) list.replaceChildren(...spans.map((x) => spanItem(s, x, act, run)));
    else list.replaceChildren(h("li", { class: "nbr-spans-empty" }, emptyText(isNone)));
  }
  return { el, draw };
}

const emptyText = (none) =>
  none
    ? "Nothing to mark ✓ (select text and press a label key to mark a span after all)"
    : "Nothing marked. Select text, then press a label key (0: nothing to mark).";

function labelButton(s, label, onClick) {
  const key = s.keyOf(label);
  const el = button(
    {
      class: "nbr-spans-label",
      dataset: { label },
      // The label's whole name: the legend cuts long names short.
      title: key ? `${label}: label the selection (key ${key})` : `${label}: label the selection`,
    },
    onClick,
    keyBadge(key),
    h("span", { class: "nbr-swatch" }),
    h("span", { class: "nbr-spans-label-text", dir: "auto" }, label),
  );
  el.style.setProperty("--nbr-c", s.color(label));
  return el;
}

/** One span in the list: its label chip and text; ✓ accepts a suggestion, ✕ deletes or rejects. */
function spanItem(s, x, act, run) {
  // Chip and text are cut short in a narrow column: each says its whole self in a title.
  const chip = h("span", { class: "nbr-span-chip", dir: "auto", title: x.label }, x.label);
  chip.style.setProperty("--nbr-c", s.color(x.label));
  const small = (cls, title, label, op, text) =>
    button({ class: cls, title, "aria-label": label }, () => run(act(op, { span: x })), text);
  return h(
    "li",
    {
      class: `nbr-span-item${x.suggested ? " nbr-span-suggested" : ""}${isSelected(s, x) ? " nbr-selected" : ""}`,
      dataset: { start: String(x.start), end: String(x.end), label: x.label },
      title: `${x.label}: ${x.text}${x.suggested ? " (suggested)" : ""}. Click to select.`,
      onmousedown: keepFocus,
      onclick: () => run(act("pick", { span: x })),
    },
    chip,
    h("span", { class: "nbr-span-text", dir: "auto", title: x.text }, x.text),
    x.suggested ? small("nbr-span-accept", "accept this suggestion", "accept", "accept-one", "✓") : null,
    x.suggested
      ? small("nbr-span-delete", "reject this suggestion", "reject", "remove", "✕")
      : small("nbr-span-delete", "delete (Backspace)", "delete", "remove", "✕"),
  );
}
