// @vitest-environment jsdom
// The rubric kind, and scales that start at 0: a row of scores per criterion, a digit rates
// the marked criterion and moves on, ↑/↓ move, partial structs are sent as drafts, the
// question is answered only when every criterion has a score.
import { afterEach, describe, expect, it } from "vitest";
import { answered as isAnswered, answerFor } from "../kinds/index.js";
import { options } from "../kinds/options.js";
import { scaleRange, scoreForDigit } from "../kinds/scale.js";
import { keyList } from "../help.js";
import { kindOf } from "../kinds/index.js";

const answerForDigit = (question, digit, current) => answerFor(question, { type: "digit", digit }, current);
import { criteriaOf, digitsText, isRated, rated, scoresOf } from "../kinds/rubric.js";
import widget from "../widget.js";
import { mountWidget, press, unmountAll } from "./helpers.js";

const RUBRIC = {
  name: "scores",
  kind: "rubric",
  required: true,
  criteria: [
    { name: "helpfulness", description: "Does it do what the prompt asked?" },
    { name: "correctness", description: "Are its facts right?" },
    { name: "coherence", description: "" },
  ],
  scale: [0, 4],
  descriptors: [
    { value: 0, label: "none" },
    { value: 2, label: "partly" },
    { value: 4, label: "fully" },
  ],
};
const NAMES = ["helpfulness", "correctness", "coherence"];

function configOf(questions = [RUBRIC]) {
  return {
    name: "default",
    annotator: "alice",
    fields: [{ column: "prompt", kind: "text" }],
    questions,
    guidelines: "",
    one_key: false,
  };
}

function viewOf(extra = {}, key = "k1") {
  return {
    ack: 0,
    position: 0,
    total: 2,
    record: { key, row: 0, fields: { prompt: "Explain rain." }, answers: {}, suggestions: {}, status: null, ...extra },
    progress: { total: 2, submitted: 0, skipped: 0, remaining: 2 },
    done: false,
    notice: null,
    can_undo: false,
  };
}

afterEach(() => {
  unmountAll();
});

const sent = (model) => model.sent.filter((m) => m.type === "answer").map((m) => m.value);
const current = (root) => root.querySelector(".nbr-rubric-row.nbr-current")?.dataset.criterion ?? null;
const selected = (root, criterion) =>
  [...root.querySelectorAll(`.nbr-rubric-row[data-criterion="${criterion}"] .nbr-option.nbr-selected`)].map(
    (b) => b.dataset.value,
  );

describe("scales that start at 0", () => {
  const harm = { name: "harm", kind: "rating", scale: [0, 4], labels: null, required: true };
  const ten = { name: "ten", kind: "rating", scale: 10, labels: null, required: true };
  const zeroTen = { ...ten, scale: [0, 10] };

  it("reads n as 1..n and [low, high] as low..high", () => {
    expect(scaleRange(5)).toEqual({ low: 1, high: 5 });
    expect(scaleRange([0, 4])).toEqual({ low: 0, high: 4 });
    expect(scaleRange("5").high).toBeLessThan(scaleRange("5").low); // nothing to draw
  });

  it("draws 0..4 with a digit per value, 0 included", () => {
    expect(options(harm).map((o) => [o.value, o.key])).toEqual([
      [0, "0"],
      [1, "1"],
      [2, "2"],
      [3, "3"],
      [4, "4"],
    ]);
    expect(answerForDigit(harm, 0, 3)).toBe(0);
    expect(answerForDigit(harm, 5, 3)).toBeUndefined();
    expect(isAnswered(harm, 0)).toBe(true);
    expect(isAnswered(harm, 5)).toBe(false);
  });

  it("keeps 0 for 10 on a 1..10 scale, and 0 for 0 when the scale holds it", () => {
    expect(answerForDigit(ten, 0)).toBe(10);
    expect(scoreForDigit(10, 0)).toBe(10);
    expect(answerForDigit(zeroTen, 0)).toBe(0);
    expect(options(zeroTen).find((o) => o.value === 10).key).toBeNull(); // a click away
    expect(scoreForDigit([0, 4], 0)).toBe(0);
    expect(scoreForDigit(5, 0)).toBeUndefined();
    expect(scoreForDigit([2, 6], 1)).toBeUndefined();
    expect(digitsText(10)).toBe("1–9, 0 for 10");
    expect(digitsText([0, 4])).toBe("0–4");
  });

  it("draws a 0-based rating in the widget and rates 0 by key", () => {
    const { model, root } = mountWidget(widget, configOf([harm]), viewOf());
    const values = [...root.querySelectorAll(".nbr-option")].map((b) => b.dataset.value);
    expect(values).toEqual(["0", "1", "2", "3", "4"]);
    press(root, "0");
    expect(sent(model)).toEqual([0]);
  });
});

describe("rubric helpers", () => {
  it("read criteria and scores, and say when every criterion is rated", () => {
    expect(criteriaOf(RUBRIC).map((c) => c.name)).toEqual(NAMES);
    expect(scoresOf(RUBRIC, { helpfulness: 3, correctness: 9 })).toEqual({
      helpfulness: 3,
      correctness: null, // off the scale: not shown as a score
      coherence: null,
    });
    expect(isRated(RUBRIC, { helpfulness: 0, correctness: 4, coherence: 2 })).toBe(true);
    expect(isRated(RUBRIC, { helpfulness: 0, correctness: 4, coherence: null })).toBe(false);
    expect(isRated(RUBRIC, null)).toBe(false);
    expect(kindOf("rubric").isAnswered).toBe(isRated);
    expect(rated(RUBRIC, undefined, "correctness", 2)).toEqual({ helpfulness: null, correctness: 2, coherence: null });
    expect(rated(RUBRIC, { correctness: 2 }, "correctness", null)).toBeNull();
  });
});

describe("rubric question", () => {
  it("draws a row per criterion, with its description and the scores' meanings", () => {
    const { root } = mountWidget(widget, configOf(), viewOf());
    const rows = [...root.querySelectorAll(".nbr-rubric-row")];
    expect(rows.map((r) => r.dataset.criterion)).toEqual(NAMES);
    expect(rows[0].querySelector(".nbr-rubric-desc").textContent).toBe("Does it do what the prompt asked?");
    expect(rows[2].querySelector(".nbr-rubric-desc")).toBeNull();
    const buttons = [...rows[0].querySelectorAll(".nbr-option")];
    expect(buttons.map((b) => b.dataset.value)).toEqual(["0", "1", "2", "3", "4"]);
    expect(buttons.map((b) => b.querySelector(".nbr-option-label")?.textContent ?? null)).toEqual([
      "none",
      null,
      "partly",
      null,
      "fully",
    ]);
    expect(buttons[2].title).toBe("key 2 · partly");
    expect(current(root)).toBe("helpfulness"); // the first question is focused
  });

  it("rates the marked criterion by digit and moves on, sending partial structs as drafts", () => {
    const { model, root } = mountWidget(widget, configOf(), viewOf());
    press(root, "3");
    expect(current(root)).toBe("correctness");
    press(root, "0");
    expect(sent(model)).toEqual([
      { helpfulness: 3, correctness: null, coherence: null },
      { helpfulness: 3, correctness: 0, coherence: null },
    ]);
    expect(selected(root, "helpfulness")).toEqual(["3"]);
    expect(selected(root, "correctness")).toEqual(["0"]);
    const section = root.querySelector(".nbr-question");
    expect(section.classList.contains("nbr-answered")).toBe(false); // one criterion left
    expect(root.querySelector(".nbr-submit").classList.contains("nbr-ready")).toBe(false);
    press(root, "4");
    expect(sent(model).at(-1)).toEqual({ helpfulness: 3, correctness: 0, coherence: 4 });
    expect(section.classList.contains("nbr-answered")).toBe(true);
    expect(root.querySelector(".nbr-submit").classList.contains("nbr-ready")).toBe(true);
    expect(current(root)).toBe("coherence"); // the last stays marked
  });

  it("moves between criteria with ↑/↓ and re-rates one", () => {
    const answers = { scores: { helpfulness: 1, correctness: 2, coherence: 3 } };
    const { model, root } = mountWidget(widget, configOf(), viewOf({ answers }));
    press(root, "ArrowDown");
    press(root, "ArrowDown");
    press(root, "ArrowDown"); // already last
    expect(current(root)).toBe("coherence");
    press(root, "ArrowUp");
    expect(current(root)).toBe("correctness");
    press(root, "4");
    expect(sent(model)).toEqual([{ helpfulness: 1, correctness: 4, coherence: 3 }]);
    press(root, "ArrowUp");
    press(root, "ArrowUp");
    expect(current(root)).toBe("helpfulness");
  });

  it("moves between criteria with the table's prev_turn / next_turn, remapped (Review(keys=))", () => {
    const keys = { next_turn: ["n"], prev_turn: ["p"] };
    const { root } = mountWidget(widget, { ...configOf(), keys }, viewOf());
    press(root, "ArrowDown"); // the old key moves nothing now
    press(root, "j");
    expect(current(root)).toBe("helpfulness");
    press(root, "n");
    press(root, "n");
    expect(current(root)).toBe("coherence");
    press(root, "p");
    expect(current(root)).toBe("correctness");
    expect(root.querySelector(".nbr-rubric-hint").textContent).toContain("p / n criterion");
    expect(keyList({ ...configOf(), keys }).map(([k]) => k)).toContain("p / n");
  });

  it("refuses a digit off the scale with a notice, sending nothing", () => {
    const { model, root } = mountWidget(widget, configOf(), viewOf());
    press(root, "7");
    expect(sent(model)).toEqual([]);
    expect(root.querySelector(".nbr-notice").textContent).toBe("7 is not on the scale 0–4");
    expect(current(root)).toBe("helpfulness");
  });

  it("rates a criterion by click", () => {
    const { model, root } = mountWidget(widget, configOf(), viewOf());
    root.querySelector('.nbr-rubric-row[data-criterion="coherence"] .nbr-option[data-value="2"]').click();
    expect(sent(model)).toEqual([{ helpfulness: null, correctness: null, coherence: 2 }]);
    expect(document.activeElement).toBe(root);
  });

  it("shows a suggestion and builds on it", () => {
    const suggestions = { scores: { helpfulness: 2, correctness: 2, coherence: 2 } };
    const { model, root } = mountWidget(widget, configOf(), viewOf({ suggestions }));
    expect(root.querySelectorAll(".nbr-rubric .nbr-option.nbr-suggested")).toHaveLength(3);
    press(root, "4");
    expect(sent(model)).toEqual([{ helpfulness: 4, correctness: 2, coherence: 2 }]);
  });

  it("starts at the first criterion on the next record, and the other question's digits are its own", () => {
    const harm = { name: "harm", kind: "rating", scale: [0, 4], labels: null, required: true };
    const { model, root } = mountWidget(widget, configOf([RUBRIC, harm]), viewOf());
    press(root, "2");
    expect(current(root)).toBe("correctness");
    model.kernelSets("view", viewOf({}, "k2"));
    expect(current(root)).toBe("helpfulness");
    press(root, "Tab"); // to the rating: no criterion is marked, digits rate it
    expect(current(root)).toBeNull();
    press(root, "0");
    expect(model.sent.filter((m) => m.type === "answer").at(-1)).toMatchObject({ question: "harm", value: 0 });
  });

  it("lists its keys in the help", () => {
    const keys = keyList(configOf()).map(([k]) => k);
    // the criterion keys are the table's prev_turn / next_turn (was the literal "↑ / ↓")
    expect(keys).toEqual(expect.arrayContaining(["0–4", "↑ / ↓ or k / j"]));
  });
});
