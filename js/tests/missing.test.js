// @vitest-environment jsdom
import { afterEach, expect, it } from "vitest";
import { missingQuestions } from "../answers.js";
import widget from "../widget.js";
import { fakeModel, press } from "./helpers.js";

afterEach(() => document.body.replaceChildren());

const QUESTIONS = [
  { name: "quality", kind: "rating", scale: 5, labels: null, required: true },
  { name: "comment", kind: "freetext", required: false },
  { name: "topic", kind: "label", labels: ["a", "b"], required: true },
];
const CONFIG = { name: "d", annotator: "a", fields: [{ column: "p", kind: "text" }], questions: QUESTIONS };
const RECORD = { key: "k1", row: 0, fields: { p: "text" }, answers: {}, suggestions: {}, status: null };

it("lists the required questions left unanswered, in order", () => {
  expect(missingQuestions(QUESTIONS, {})).toEqual([0, 2]);
  expect(missingQuestions(QUESTIONS, { quality: 3 })).toEqual([2]);
  expect(missingQuestions(QUESTIONS, { quality: 3, topic: "a" })).toEqual([]);
});

it("Enter with answers missing marks them and moves the focus to the first", () => {
  const model = fakeModel({ config: CONFIG, view: { ack: 0, position: 0, index: 0, total: 2, record: RECORD } });
  const el = document.createElement("div");
  document.body.append(el);
  widget.render({ model, el });
  const root = el.querySelector(".nbr-root");
  root.focus();
  press(root, "3"); // quality, the focused question
  press(root, "Enter");
  const q = (name) => root.querySelector(`.nbr-question[data-question="${name}"]`);
  expect(q("topic").classList.contains("nbr-missing")).toBe(true);
  expect(q("topic").classList.contains("nbr-focused")).toBe(true);
  expect(q("quality").classList.contains("nbr-missing")).toBe(false);
  expect(q("comment").classList.contains("nbr-missing")).toBe(false);
  expect(model.sent.at(-1).type).toBe("submit"); // the kernel decides, and says why
  const refused = { kind: "error", text: "Answer the required questions first: topic" };
  const answered = { ...RECORD, answers: { quality: 3 } };
  model.kernelSets("view", { ack: 2, position: 0, index: 0, total: 2, record: answered, notice: refused });
  press(root, "1"); // answers the topic: its mark goes
  expect(q("topic").classList.contains("nbr-missing")).toBe(false);
});
