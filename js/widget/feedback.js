// Training mode (gold_feedback=True): after a gold record is submitted, the expected answer
// beside the one given, until another record is shown. The kernel sends `view.feedback`
// only after that submit, with each answer already as text (docs/protocol.md, "feedback").
import { h, setFlag } from "../dom.js";
import "./feedback.css";

const RIGHT = "✓ right";
const WRONG = "✗ not the expected answer";

/** The feedback panel: `el` to place, `update(feedback)` with view.feedback (or null). */
export function buildFeedback() {
  const title = h("div", { class: "nbr-feedback-title" }, "Gold record just submitted: the expected answers");
  const list = h("div", { class: "nbr-feedback-list" });
  const el = h("div", { class: "nbr-feedback", role: "status", hidden: true }, title, list);
  let shown = ""; // the feedback drawn (as JSON), so an unchanged view redraws nothing

  function row(name, text, right) {
    return h(
      "div",
      { class: `nbr-feedback-row ${right ? "nbr-feedback-right" : "nbr-feedback-wrong"}`,
        dataset: { question: name } },
      h("span", { class: "nbr-feedback-question" }, name),
      h("span", { class: "nbr-feedback-label" }, "expected"),
      h("span", { class: "nbr-feedback-expected" }, text?.expected ?? ""),
      h("span", { class: "nbr-feedback-label" }, "given"),
      h("span", { class: "nbr-feedback-given" }, text?.given ?? ""),
      h("span", { class: "nbr-feedback-mark" }, right ? RIGHT : WRONG),
    );
  }

  return {
    el,
    update(feedback) {
      const valid = feedback && typeof feedback === "object" && Array.isArray(feedback.questions);
      const next = valid ? feedback : null;
      const text = next ? JSON.stringify(next) : "";
      if (text === shown) return;
      shown = text;
      setFlag(el, "hidden", !next);
      el.dataset.record = next ? String(next.record ?? "") : "";
      const rows = next
        ? next.questions.map((q) => row(String(q), next.text?.[q], Boolean(next.right?.[q])))
        : [];
      list.replaceChildren(...rows);
    },
  };
}
