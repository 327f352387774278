// @vitest-environment jsdom
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import widget from "../widget.js";
import { fakeModel, press } from "./helpers.js";

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  document.body.replaceChildren();
});

const CONFIG = {
  name: "d",
  annotator: "a",
  fields: [{ column: "text", kind: "text" }],
  questions: [{ name: "score", kind: "rating", scale: 5, labels: null, required: true }],
  one_key: true,
};
const rec = (key, row) => ({ key, row, fields: { text: `text of ${key}` } });
const entry = (key, row) => ({ ...rec(key, row), index: row, answers: {}, suggestions: {}, status: null });
const changing = (key, row, answers = {}) => ({ key, row, answers, suggestions: {}, status: null });
const viewAt = (key, row, ack, answers) => ({ ack, position: row, index: row, total: 4, rows: 4, done: false,
  notice: null, record: changing(key, row, answers) });

function mount() {
  const model = fakeModel({
    config: CONFIG,
    record: { ...rec("k0", 0), ahead: { open: [entry("k1", 1), entry("k2", 2)], next: [entry("k1", 1)] } },
    view: viewAt("k0", 0, 0),
    link: { acks: {}, fault: null },
  });
  const el = document.createElement("div");
  document.body.append(el);
  widget.render({ model, el });
  const root = el.querySelector(".nbr-root");
  root.focus();
  const text = () => root.querySelector('.nbr-field[data-column="text"] .nbr-field-body').textContent;
  return { model, root, text };
}

it("paints the next record the moment a one-key answer is given, and keeps going", () => {
  const { model, root, text } = mount();
  press(root, "4");
  expect(root.dataset.key).toBe("k1"); // no kernel round trip
  expect(text()).toBe("text of k1");
  press(root, "2"); // answers k1 at once, with k1's key
  expect(root.dataset.key).toBe("k2");
  expect(model.sent.map((m) => [m.type, m.key, m.value, m.submit])).toEqual([
    ["answer", "k0", 4, true],
    ["answer", "k1", 2, true],
  ]);
  const view = model.wire.find((m) => m.view).view;
  // The kernel confirms the first: k1 is its record now, and k1's own ahead list comes along.
  model.kernelSets("record", { ...rec("k1", 1), ahead: { open: [entry("k2", 2), entry("k3", 3)], next: [] } });
  model.kernelSets("view", viewAt("k1", 1, 1));
  model.kernelSets("link", { acks: { [view]: 1 }, fault: null });
  expect(root.dataset.key).toBe("k2"); // still ahead: message 2 is not acknowledged yet
  model.kernelSets("record", { ...rec("k2", 2), ahead: { open: [entry("k3", 3)], next: [] } });
  model.kernelSets("view", viewAt("k2", 2, 2));
  model.kernelSets("link", { acks: { [view]: 2 }, fault: null });
  expect(root.dataset.key).toBe("k2");
  expect(root.dataset.ack).toBe("2");
});

it("goes back to the kernel's record when the kernel moved elsewhere", () => {
  const { model, root, text } = mount();
  press(root, "4");
  expect(root.dataset.key).toBe("k1");
  const view = model.wire.find((m) => m.view).view;
  // k1 was submitted meanwhile from code: the kernel went on to k2.
  model.kernelSets("record", { ...rec("k2", 2), ahead: { open: [], next: [] } });
  model.kernelSets("view", viewAt("k2", 2, 1));
  model.kernelSets("link", { acks: { [view]: 1 }, fault: null });
  expect(root.dataset.key).toBe("k2");
  expect(text()).toBe("text of k2");
});

it("holds keys as before when nothing was sent ahead", () => {
  const { model, root } = mount();
  model.kernelSets("record", { ...rec("k0", 0), ahead: { open: [], next: [] } });
  press(root, "4");
  expect(root.dataset.key).toBe("k0"); // waits for the kernel
  press(root, "5"); // held until the kernel has moved
  expect(model.sent.length).toBe(1);
});

it("comes back to an unsaved record, its answer still on screen, when the store fails", () => {
  const model = fakeModel({
    config: { ...CONFIG, one_key: false, questions: [...CONFIG.questions, { name: "note", kind: "freetext", required: false }] },
    record: { ...rec("k0", 0), ahead: { open: [entry("k1", 1)], next: [entry("k1", 1)] } },
    view: viewAt("k0", 0, 0),
    link: { acks: {}, fault: null },
  });
  const el = document.createElement("div");
  document.body.append(el);
  widget.render({ model, el });
  const root = el.querySelector(".nbr-root");
  root.focus();
  press(root, "4"); // the score, a draft
  press(root, "Enter"); // complete: k1 is painted at once
  expect(root.dataset.key).toBe("k1");
  const fault = "the store file is locked by another program: x.sqlite";
  model.kernelSets("link", { acks: {}, fault });
  model.kernelSets("view", { ...viewAt("k0", 0, 0), notice: { kind: "unsaved", text: `Not saved: ${fault}` } });
  expect(root.dataset.key).toBe("k0"); // back where the unsaved answer is
  const chosen = root.querySelector('.nbr-question[data-question="score"] .nbr-option.nbr-selected');
  expect(chosen?.dataset.value).toBe("4");
  expect(root.querySelector(".nbr-notice").dataset.kind).toBe("unsaved");
});
