// Work a record's display can put off until it is needed: rendering a message's markdown,
// highlighting a tool call's JSON, drawing an image. A long chat (thousands of messages) must
// open without a long main-thread task, so past its first messages that work waits until a
// message comes near the chat's visible area (an IntersectionObserver on the chat's scroll box).
// Where there is no IntersectionObserver (jsdom), everything runs at once.

const JOBS = new WeakMap(); // element → job(element, options)

/** Everything up to this many messages of a chat is rendered at once. */
export const EAGER_MESSAGES = 8;

/** Milliseconds of deferred work run in one task before yielding to the browser. */
export const SLICE_MS = 12;

const QUEUE = []; // [run, message] waiting to run, in the order they came into view
let pumping = false;

/** Run queued work in slices of SLICE_MS, so no task grows long however many come into view. */
function pump() {
  const t0 = performance.now();
  while (QUEUE.length && performance.now() - t0 < SLICE_MS) {
    const [run, target] = QUEUE.shift();
    run(target);
  }
  if (QUEUE.length) setTimeout(pump, 0);
  else pumping = false;
}

/** Run `step()` in later tasks, a slice at a time, until it returns false. */
export function later(step) {
  enqueue(function again() {
    if (step()) enqueue(again, null);
  }, null);
}

/** Run `run(target)` in a later task, in the slices deferred work runs in. */
export function enqueue(run, target) {
  QUEUE.push([run, target]);
  if (!pumping) {
    pumping = true;
    setTimeout(pump, 0);
  }
}

/** Put off `job(el, options)`: it runs once, when runPending reaches `el`. */
export function defer(el, job) {
  el.dataset.pending = "";
  JOBS.set(el, job);
  return el;
}

/** Run the job `el` holds (once). */
export function runJob(el, options = {}) {
  if (!el.hasAttribute("data-pending")) return;
  el.removeAttribute("data-pending");
  const job = JOBS.get(el);
  JOBS.delete(el);
  job?.(el, options);
}

const OBSERVERS = new Set(); // {chat, io, seen, blocks}

/** Messages are watched in blocks: the observer's work each frame grows with what it watches. */
export const BLOCK = 16;

function observerFor(chat, run) {
  for (const o of OBSERVERS) {
    if (!o.chat.isConnected) {
      o.io.disconnect();
      OBSERVERS.delete(o);
    } else if (o.chat === chat) return o;
  }
  const o = { chat, seen: new WeakSet(), blocks: new WeakMap(), io: null };
  o.io = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        const block = entry.isIntersecting ? o.blocks.get(entry.target) : null;
        if (!block || block.done) continue;
        block.done = true;
        for (const sentinel of block.sentinels) o.io.unobserve(sentinel);
        for (const m of block.messages) {
          enqueue((target) => {
            run(target);
            // Work held back by the raw switch runs when it is switched off (and seen again).
            if (target.querySelector("[data-pending]")) o.seen.delete(target);
          }, m);
        }
      }
    },
    // The viewport: a chat scrolls in its own box, or with the page (side by side, full
    // window), and the observer sees through both.
    { root: null, rootMargin: "1200px 0px" },
  );
  OBSERVERS.add(o);
  return o;
}

/** Watch `messages` a block at a time: its first and last message stand for the block. */
function watch(o, messages) {
  for (let i = 0; i < messages.length; i += BLOCK) {
    const part = messages.slice(i, i + BLOCK);
    const sentinels = [...new Set([part[0], part.at(-1)])];
    const block = { messages: part, sentinels, done: false };
    for (const sentinel of sentinels) {
      o.blocks.set(sentinel, block);
      o.io.observe(sentinel);
    }
  }
}

/**
 * Run `run(message)` for the messages of `chat` now (the first EAGER_MESSAGES, or all where
 * the browser cannot tell what is in view), the rest when they come near the visible area.
 */
export function schedule(chat, messages, run, eager = true) {
  if (typeof IntersectionObserver !== "function" || (eager && messages.length <= EAGER_MESSAGES)) {
    for (const m of messages) run(m);
    return;
  }
  const o = observerFor(chat, run);
  const waiting = [];
  messages.forEach((m, i) => {
    if (eager && i < EAGER_MESSAGES) run(m);
    else if (!o.seen.has(m)) {
      o.seen.add(m);
      waiting.push(m);
    }
  });
  watch(o, waiting);
}
