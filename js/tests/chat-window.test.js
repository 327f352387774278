// @vitest-environment jsdom
// A long chat is a windowed list (js/render/window.js): only the cards near the view are in
// the page, the others kept aside with their state. Asking for a message puts its card back,
// t opens the folds of every card (in the page or not), and a card put back shows as the
// others do (raw when the raw switch is on). jsdom lays nothing out, so the window stays the
// first cards; the browser's side is tests/e2e/test_turns_widget.py and the benchmark.
import { afterEach, describe, expect, it } from "vitest";
import { toggleFolds } from "../render/folds.js";
import { buildFields, revealTurn, showUnits, turnElement } from "../render/record.js";
import { WINDOW_FROM, windowOf } from "../render/window.js";

const N = 200;
const trace = Array.from({ length: N }, (_, i) =>
  i % 2 === 0
    ? { role: "user", content: `question **${i}**` }
    : { role: "assistant", content: `answer ${i}`, reasoning_content: `thinking ${i}` },
);

function open(messages = trace, opts = {}) {
  const box = document.createElement("div");
  document.body.append(box);
  buildFields(box, [{ column: "messages", kind: "chat" }], { messages });
  showUnits(box, opts);
  return box;
}
const inPage = (box) => box.querySelectorAll(".nbr-chat > .nbr-message").length;

afterEach(() => document.body.replaceChildren());

describe("a long chat", { timeout: 30_000 }, () => {
  it("keeps a window of its cards in the page, between two spacers", () => {
    const box = open();
    const chat = box.querySelector(".nbr-chat");
    expect(windowOf(chat)).not.toBeNull();
    expect(inPage(box)).toBeGreaterThan(5);
    expect(inPage(box)).toBeLessThan(60);
    expect(chat.firstElementChild.classList.contains("nbr-chat-spacer")).toBe(true);
    expect(chat.lastElementChild.classList.contains("nbr-chat-spacer")).toBe(true);
    expect(chat.lastElementChild.getAttribute("aria-hidden")).toBe("true");
    expect(parseFloat(chat.lastElementChild.style.height)).toBeGreaterThan(0); // the rest's height
  });

  it("a short chat is not windowed: every card is in the page", () => {
    const box = open(trace.slice(0, WINDOW_FROM));
    expect(windowOf(box.querySelector(".nbr-chat"))).toBeNull();
    expect(turnElement(box, "messages", WINDOW_FROM - 1).isConnected).toBe(true); // built now
    expect(inPage(box)).toBe(WINDOW_FROM);
  });

  it("asking for a message far down builds it; revealing it puts it in the page with its neighbours", () => {
    const box = open();
    const el = turnElement(box, "messages", 181);
    expect(el.dataset.index).toBe("181");
    expect(el.isConnected).toBe(false);
    expect(revealTurn(box, "messages", 181)).toBe(el);
    expect(el.isConnected).toBe(true);
    expect(box.querySelector('.nbr-message[data-index="180"]')).not.toBeNull();
    expect(box.querySelector('.nbr-message[data-index="0"]')).toBeNull(); // out of the window now
    const indexes = [...box.querySelectorAll(".nbr-chat > .nbr-message")].map((m) => Number(m.dataset.index));
    expect(indexes).toEqual([...indexes].sort((a, b) => a - b)); // in order
  });

  it("t opens the folds of the cards out of the page too, and they stay open when put back", () => {
    const box = open();
    const far = turnElement(box, "messages", 161);
    expect(far.querySelector(".nbr-reasoning").hasAttribute("data-folded")).toBe(true);
    toggleFolds(box);
    expect(far.querySelector(".nbr-reasoning").hasAttribute("data-folded")).toBe(false);
    expect(box.querySelector(".nbr-reasoning").hasAttribute("data-folded")).toBe(false);
    revealTurn(box, "messages", 161);
    expect(far.querySelector(".nbr-reasoning").hasAttribute("data-folded")).toBe(false);
  });

  it("a card put back shows as the others: raw while the raw switch is on", () => {
    const box = open();
    showUnits(box, { raw: true });
    const el = revealTurn(box, "messages", 160);
    expect(el.dataset.view).toBe("raw");
    showUnits(box, { raw: false });
    expect(el.dataset.view).toBe("rendered");
  });
});
