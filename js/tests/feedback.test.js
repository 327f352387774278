// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { buildFeedback } from "../widget/feedback.js";

const FEEDBACK = {
  record: "r-b",
  questions: ["verdict", "answer"],
  expected: { verdict: "bad", answer: "Canberra" },
  given: { verdict: "bad", answer: "Sydney" },
  right: { verdict: true, answer: false },
  text: {
    verdict: { expected: "bad", given: "bad" },
    answer: { expected: "Canberra", given: "<img src=x onerror=alert(1)>" },
  },
};

describe("buildFeedback", () => {
  it("is hidden without feedback", () => {
    const panel = buildFeedback();
    panel.update(null);
    expect(panel.el.hidden).toBe(true);
    panel.update({ record: "r", questions: "not a list" });
    expect(panel.el.hidden).toBe(true);
  });

  it("shows the expected answer beside the given one, question by question, as text", () => {
    const panel = buildFeedback();
    panel.update(FEEDBACK);
    expect(panel.el.hidden).toBe(false);
    expect(panel.el.dataset.record).toBe("r-b");
    const rows = [...panel.el.querySelectorAll(".nbr-feedback-row")];
    expect(rows.map((r) => r.dataset.question)).toEqual(["verdict", "answer"]);
    expect(rows[0].classList.contains("nbr-feedback-right")).toBe(true);
    expect(rows[1].classList.contains("nbr-feedback-wrong")).toBe(true);
    expect(rows[1].querySelector(".nbr-feedback-expected").textContent).toBe("Canberra");
    const given = rows[1].querySelector(".nbr-feedback-given");
    expect(given.textContent).toBe("<img src=x onerror=alert(1)>");
    expect(panel.el.querySelector("img")).toBeNull(); // dataset text never becomes HTML
  });

  it("redraws only when the feedback changes, and hides when it ends", () => {
    const panel = buildFeedback();
    panel.update(FEEDBACK);
    const first = panel.el.querySelector(".nbr-feedback-row");
    panel.update(JSON.parse(JSON.stringify(FEEDBACK))); // a new view, the same feedback
    expect(panel.el.querySelector(".nbr-feedback-row")).toBe(first);
    panel.update(undefined);
    expect(panel.el.hidden).toBe(true);
    expect(panel.el.querySelectorAll(".nbr-feedback-row")).toHaveLength(0);
  });
});
