import { expect, it } from "vitest";
import { createOutbox } from "../outbox.js";

function clockAt(start) {
  const c = { t: start, now: () => c.t };
  return c;
}

it("numbers messages 1, 2, 3 and times them since the previous one", () => {
  const sent = [];
  const clock = clockAt(1000);
  const box = createOutbox({ send: (m) => sent.push(m) }, clock.now);
  clock.t = 3500;
  expect(box.send("answer", { key: "k", question: "q", value: 1 })).toBe(1);
  clock.t = 3600.4;
  box.send("submit", { key: "k" });
  expect(sent).toEqual([
    { type: "answer", seq: 1, elapsed_ms: 2500, key: "k", question: "q", value: 1 },
    { type: "submit", seq: 2, elapsed_ms: 100, key: "k" },
  ]);
  expect(box.seq).toBe(2);
});

it("starts the clock again when a new record is shown", () => {
  const sent = [];
  const clock = clockAt(0);
  const box = createOutbox({ send: (m) => sent.push(m) }, clock.now);
  clock.t = 500;
  box.send("submit", { key: "a" });
  clock.t = 900; // the next record arrives 400 ms later
  box.recordShown();
  clock.t = 2900;
  box.send("skip", { key: "b" });
  expect(sent[1]).toEqual({ type: "skip", seq: 2, elapsed_ms: 2000, key: "b" });
});

it("never reports negative time", () => {
  const sent = [];
  const clock = clockAt(100);
  const box = createOutbox({ send: (m) => sent.push(m) }, clock.now);
  clock.t = 50;
  box.send("undo");
  expect(sent[0].elapsed_ms).toBe(0);
});
