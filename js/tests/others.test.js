// @vitest-environment jsdom
import { describe, expect, it, vi } from "vitest";
import { buildOthers, formatAnswer } from "../others.js";

describe("formatAnswer", () => {
  it("shows each kind of answer as short text", () => {
    expect(formatAnswer(4)).toBe("4");
    expect(formatAnswer("good")).toBe("good");
    expect(formatAnswer(["a", "b"])).toBe("a, b");
    expect(formatAnswer([])).toBe("(none)");
    expect(formatAnswer(null)).toBe("—");
    expect(formatAnswer([{ start: 0, end: 2, label: "bias", text: "hi" }])).toBe("bias: “hi”");
  });
});

describe("buildOthers", () => {
  const questions = [{ name: "quality" }, { name: "verdict" }];

  it("is hidden without other answers", () => {
    const panel = buildOthers(() => {});
    panel.update(questions, {});
    expect(panel.el.hidden).toBe(true);
  });

  it("tables answers by question and annotator, as text, and uses one on click", () => {
    const use = vi.fn();
    const panel = buildOthers(use);
    panel.update(questions, {
      alice: { quality: 4, verdict: "<img src=x onerror=alert(1)>" },
      bob: { quality: 2 },
    });
    expect(panel.el.hidden).toBe(false);
    const cells = panel.el.querySelectorAll('tr[data-question="quality"] td.nbr-other');
    expect([...cells].map((c) => c.dataset.annotator)).toEqual(["alice", "bob"]);
    expect(panel.el.querySelector("img")).toBeNull();
    expect(panel.el.textContent).toContain("<img src=x onerror=alert(1)>");
    expect(panel.el.querySelector('tr[data-question="verdict"] .nbr-other-none')).not.toBeNull();
    cells[1].querySelector("button").click();
    expect(use).toHaveBeenCalledWith(questions[0], 2);
  });
});

describe("teamText", async () => {
  const { teamText } = await import("../progress.js");
  it("names everyone's submitted count, only for a team", () => {
    expect(teamText({ team: [] })).toBe("");
    expect(teamText({ team: [{ annotator: "alice", submitted: 3 }] })).toBe("");
    expect(
      teamText({ team: [{ annotator: "alice", submitted: 3 }, { annotator: "bob", submitted: 1 }] }),
    ).toBe("Team: alice 3 · bob 1 submitted");
  });
});
