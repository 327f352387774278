// A long chat keeps only the messages near the visible area in the page (a windowed list):
// with thousands of message cards in the DOM, Chromium's own per-frame work (style, layout,
// paint, the content-visibility checks) grew past 200 ms a frame while scrolling fast. The
// cards are built once and kept; those out of the window are only detached, so their folds,
// per-turn controls and spans keep their state, and two spacers stand for their height
// (measured once shown, else the mean of those measured). Reading the DOM of a windowed chat:
// `windowOf(chat)`, `reveal()` before scrolling to a message, `detachedIn()` for work over
// every message (t opens every fold).
import { h } from "../dom.js";

/** Chats with more messages than this are windowed; shorter ones are all in the page. */
export const WINDOW_FROM = 120;

/** Pixels above and below the visible area kept in the page. */
export const MARGIN = 1200;

const FIRST_PX = 3000; // what the window holds before the chat is laid out
const GUESS_PX = 120; // a card's height before any is measured
const WINDOWS = new Set();
const OF = new WeakMap(); // chat → its window
let ticking = false;

function tick() {
  ticking = false;
  for (const w of WINDOWS) {
    if (w.chat.isConnected) {
      w.seen = true;
      w.update();
    } else if (w.seen || ++w.missed > 20) WINDOWS.delete(w); // a record gone from the page
  }
}

/** Update every window at the next frame (scrolling, a resize, new cards, a render). */
export function schedule() {
  if (ticking || typeof requestAnimationFrame !== "function") return;
  ticking = true;
  requestAnimationFrame(tick);
}

let listening = false;
function listen() {
  if (listening || typeof document === "undefined") return;
  listening = true;
  // Scroll events do not bubble: a capture listener sees the chat's box and every box around it.
  document.addEventListener("scroll", schedule, { capture: true, passive: true });
  window.addEventListener("resize", schedule, { passive: true });
}

export const windowOf = (chat) => OF.get(chat) ?? null;

/** The detached cards of the windowed chats inside `container`. */
export function detachedIn(container) {
  const out = [];
  for (const w of WINDOWS) {
    if (container.contains(w.chat)) out.push(...w.items.filter((el) => !el.isConnected || el.parentNode !== w.chat));
  }
  return out;
}

export class ChatWindow {
  /** `onAttach(els)` runs for cards as they come into the page (render them, show them raw…). */
  constructor(chat, onAttach) {
    Object.assign(this, { chat, onAttach, items: [], first: 0, last: -1, seen: false, missed: 0 });
    this.heights = new WeakMap(); // card → its height last measured (with the gap after it)
    this.measured = { n: 0, sum: 0 };
    this.index = new Map(); // card → its place in items
    const spacer = () => h("div", { class: "nbr-chat-spacer", "aria-hidden": "true" });
    this.top = spacer();
    this.bottom = spacer();
    chat.append(this.top, this.bottom);
    chat.dataset.windowed = "";
    OF.set(chat, this);
    WINDOWS.add(this);
    listen();
  }

  /** Top-level cards built, in order; `left` messages are still to be built. */
  add(els, left) {
    for (const el of els) {
      this.index.set(el, this.items.length);
      this.items.push(el);
      el.setAttribute("aria-posinset", String(this.items.length)); // of the cards (the list's items)
      el.setAttribute("aria-setsize", "-1"); // not known until every card is built
    }
    this.left = left;
    if (!this.seen && (this.last < 0 || this.height(this.first, this.last) < FIRST_PX)) {
      // Not laid out yet: the first cards, as many as fill a few screens.
      let b = this.first;
      while (b + 1 < this.items.length && this.height(this.first, b) < FIRST_PX) b += 1;
      this.attach(this.first, b);
    } else this.spacers();
    schedule();
  }

  guess() {
    return this.measured.n ? this.measured.sum / this.measured.n : GUESS_PX;
  }

  heightOf(i) {
    return this.heights.get(this.items[i]) ?? this.guess();
  }

  height(a, b) {
    let sum = 0;
    for (let i = a; i <= b; i += 1) sum += this.heightOf(i);
    return sum;
  }

  /** Heights of the cards in the page (one layout read for all). */
  measure() {
    if (this.last < this.first) return;
    const tops = [];
    for (let i = this.first; i <= this.last; i += 1) tops.push(this.items[i].offsetTop);
    tops.push(this.bottom.offsetTop);
    for (let i = this.first; i <= this.last; i += 1) {
      const px = tops[i - this.first + 1] - tops[i - this.first];
      if (px <= 0) continue; // not laid out (hidden)
      if (!this.heights.has(this.items[i])) {
        this.measured.n += 1;
        this.measured.sum += px;
      }
      this.heights.set(this.items[i], px);
    }
  }

  /** The cards over the visible part of the chat and MARGIN around it: [first, last]. */
  range() {
    const box = this.chat.getBoundingClientRect();
    const seenTop = Math.max(box.top, 0);
    const seenBottom = Math.min(box.bottom, window.innerHeight);
    if (seenBottom <= seenTop) return [this.first, this.last]; // out of view: as it is
    const zero = this.top.getBoundingClientRect().top; // where card 0 would start
    const from = seenTop - zero - MARGIN;
    const to = seenBottom - zero + MARGIN;
    let y = 0;
    let a = -1;
    let b = this.items.length - 1;
    for (let i = 0; i < this.items.length; i += 1) {
      const next = y + this.heightOf(i);
      if (a < 0 && next > from) a = i;
      if (y > to) {
        b = i - 1;
        break;
      }
      y = next;
    }
    return a < 0 ? [Math.max(0, this.items.length - 1), this.items.length - 1] : [a, Math.max(a, b)];
  }

  /** Put cards first…last in the page (and only those), in order between the spacers. */
  attach(a, b) {
    for (let i = this.first; i <= this.last; i += 1) if (i < a || i > b) this.items[i].remove();
    const added = [];
    let after = this.top;
    for (let i = a; i <= b; i += 1) {
      const el = this.items[i];
      if (el.parentNode !== this.chat) {
        after.after(el);
        added.push(el);
      }
      after = el;
    }
    this.first = a;
    this.last = b;
    this.spacers();
    if (added.length) this.onAttach?.(added);
  }

  spacers() {
    const n = this.items.length;
    this.top.style.height = `${this.first > 0 ? this.height(0, this.first - 1) : 0}px`;
    const below = this.last + 1 < n ? this.height(this.last + 1, n - 1) : 0;
    this.bottom.style.height = `${below + (this.left ?? 0) * this.guess()}px`;
  }

  /** Put the card holding `el` (a message, maybe nested in a call's card) in the page now,
   * with a few around it, so that it can be scrolled to. */
  reveal(el) {
    let card = el;
    while (card && !this.index.has(card)) card = card.parentElement;
    const k = this.index.get(card);
    if (k === undefined || (k >= this.first && k <= this.last)) return;
    this.measure();
    this.attach(Math.max(0, k - 8), Math.min(this.items.length - 1, k + 16));
  }

  update() {
    if (!this.items.length) return;
    this.measure();
    const [a, b] = this.range();
    if (a !== this.first || b !== this.last) this.attach(a, b);
    else this.spacers();
  }
}
