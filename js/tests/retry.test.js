// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createOutbox } from "../outbox.js";
import { createRetry, DELAYS_MS } from "../retry.js";
import widget, { SAVED_TEXT, STALE_TEXT } from "../widget.js";
import { fakeModel, press } from "./helpers.js";

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  document.body.replaceChildren();
});

describe("outbox", () => {
  it("keeps what is not acknowledged and resends it unchanged, in order", () => {
    const sent = [];
    const box = createOutbox({ send: (m) => sent.push(m) }, () => 0, "view-1");
    box.send("answer", { key: "k", question: "q", value: 1 });
    box.send("answer", { key: "k", question: "c", value: "hi" });
    box.send("submit", { key: "k" });
    box.acked(1);
    expect(box.unacked).toBe(2);
    expect(box.resend()).toBe(2);
    expect(sent.slice(3)).toEqual([sent[1], sent[2]]);
    expect(sent.every((m) => m.view === "view-1")).toBe(true);
    box.acked(3);
    expect(box.resend()).toBe(0);
  });
});

describe("retry", () => {
  it("resends with growing pauses until nothing waits, then says saved", () => {
    const resend = vi.fn(() => 1);
    const onSaved = vi.fn();
    const retry = createRetry({ resend, onSaved });
    retry.update({ fault: true, unacked: 2 });
    expect(retry.failing).toBe(true);
    vi.advanceTimersByTime(DELAYS_MS[0] - 1);
    expect(resend).toHaveBeenCalledTimes(0);
    vi.advanceTimersByTime(1);
    expect(resend).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(DELAYS_MS[1]);
    expect(resend).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(DELAYS_MS[1]); // the third pause is longer
    expect(resend).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(DELAYS_MS[2]);
    expect(resend).toHaveBeenCalledTimes(3);
    retry.update({ fault: false, unacked: 0 });
    expect(onSaved).toHaveBeenCalledTimes(1);
    expect(retry.failing).toBe(false);
    vi.advanceTimersByTime(60_000);
    expect(resend).toHaveBeenCalledTimes(3);
  });

  it("does nothing without a fault", () => {
    const resend = vi.fn(() => 1);
    const retry = createRetry({ resend });
    retry.update({ fault: false, unacked: 3 });
    vi.advanceTimersByTime(60_000);
    expect(resend).not.toHaveBeenCalled();
  });
});

const CONFIG = {
  name: "default",
  annotator: "alice",
  fields: [{ column: "prompt", kind: "text" }],
  questions: [{ name: "quality", kind: "rating", scale: 5, labels: null, required: true }],
  guidelines: "",
  one_key: false,
};
const RECORD = { key: "k1", row: 0, fields: { prompt: "p" }, answers: {}, suggestions: {}, status: null };
const VIEW = { ack: 0, position: 0, index: 0, total: 3, rows: 3, record: RECORD, done: false, notice: null };

function mount(signal) {
  const model = fakeModel({ config: CONFIG, view: VIEW, link: { acks: {}, fault: null } });
  const el = document.createElement("div");
  document.body.append(el);
  const cleanup = widget.render({ model, el, signal });
  const root = el.querySelector(".nbr-root");
  root.focus();
  return { model, root, cleanup };
}

describe("widget under a store fault", () => {
  it("keeps an unsaved answer on screen, marked, retries it, and says when it is saved", () => {
    const { model, root } = mount();
    press(root, "4");
    const first = model.wire.find((m) => m.view);
    const notStored = `Not saved: the store file is locked by another program: /x.sqlite`;
    model.kernelSets("link", { acks: {}, fault: "the store file is locked by another program: /x.sqlite" });
    model.kernelSets("view", { ...VIEW, notice: { kind: "unsaved", text: notStored } });
    const notice = root.querySelector(".nbr-notice");
    expect(notice.dataset.kind).toBe("unsaved");
    expect(notice.textContent).toContain(notStored);
    expect(notice.textContent).toContain("1 change waits");
    expect(root.querySelector(".nbr-option.nbr-selected")?.dataset.value).toBe("4");
    const question = root.querySelector('.nbr-question[data-question="quality"]');
    expect(question.classList.contains("nbr-unsaved")).toBe(true);
    vi.advanceTimersByTime(DELAYS_MS[0]);
    expect(model.wire.at(-1)).toEqual(first); // the same message, same seq, sent again
    model.kernelSets("view", { ...VIEW, ack: 1, record: { ...RECORD, answers: { quality: 4 } } });
    model.kernelSets("link", { acks: { [first.view]: 1 }, fault: null });
    expect(notice.dataset.kind).toBe("info");
    expect(notice.textContent).toBe(SAVED_TEXT);
    expect(question.classList.contains("nbr-unsaved")).toBe(false);
    expect(root.dataset.ack).toBe("1");
  });

  it("says the kernel restarted and takes no keys once its model is destroyed", () => {
    const controller = new AbortController();
    const { model, root } = mount(controller.signal);
    controller.abort("[anywidget] Runtime destroyed.");
    const banner = root.querySelector(".nbr-stale-banner");
    expect(banner.hidden).toBe(false);
    expect(banner.textContent).toBe(STALE_TEXT);
    expect(root.inert).toBe(true);
    press(root, "4");
    expect(model.sent).toEqual([]);
  });
});
