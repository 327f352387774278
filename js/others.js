// Adjudication: every annotator's submitted answers beside the questions, each one a click away.
import { h } from "./dom.js";

/** An answer as short text for a side-by-side table; the value itself is untrusted text. */
export function formatAnswer(value) {
  if (value === null || value === undefined) return "—";
  if (Array.isArray(value)) {
    if (value.length === 0) return "(none)";
    return value
      .map((v) => (v && typeof v === "object" ? `${v.label ?? "?"}: “${v.text ?? ""}”` : String(v)))
      .join(value.every((v) => typeof v === "string") ? ", " : "; ");
  }
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/**
 * The panel: one row per question, one cell per annotator with a "Use" button.
 * use(question, value) answers the question with that annotator's value.
 */
export function buildOthers(use) {
  const body = h("div", { class: "nbr-others-body" });
  const el = h(
    "section",
    { class: "nbr-others", hidden: true, "aria-label": "Answers by annotator" },
    h("div", { class: "nbr-section-title" }, "Answers by annotator"),
    body,
  );
  let shown = null;

  function update(questions, others) {
    const same = shown && shown.others === others && shown.questions === questions;
    if (same) return;
    shown = { questions, others };
    const names = Object.keys(others ?? {});
    el.hidden = names.length === 0;
    if (names.length === 0) return body.replaceChildren();
    const header = h(
      "tr",
      {},
      h("th", {}, "question"),
      names.map((name) => h("th", { dataset: { annotator: name } }, name)),
    );
    const rows = questions.map((q) =>
      h(
        "tr",
        { dataset: { question: q.name } },
        h("th", { scope: "row" }, q.name),
        names.map((name) => {
          const answers = others[name] ?? {};
          if (!Object.hasOwn(answers, q.name)) return h("td", { class: "nbr-other-none" }, "—");
          const value = answers[q.name];
          return h(
            "td",
            { class: "nbr-other", dataset: { annotator: name } },
            h("span", { class: "nbr-other-value" }, formatAnswer(value)),
            h(
              "button",
              {
                type: "button",
                class: "nbr-button nbr-use",
                tabindex: "-1",
                title: `use ${name}'s answer`,
                onmousedown: (e) => e.preventDefault(),
                onclick: () => use(q, value),
              },
              "Use",
            ),
          );
        }),
      ),
    );
    body.replaceChildren(h("table", { class: "nbr-others-table" }, h("thead", {}, header), h("tbody", {}, rows)));
  }

  return { el, update };
}
