// Work a record's display can put off until it is needed: rendering a message's markdown,
// highlighting a tool call's JSON, drawing an image. A long chat (thousands of messages) must
// open without a long main-thread task, so past its first messages that work waits until a
// message comes near the chat's visible area (an IntersectionObserver on the chat's scroll box).
// Where there is no IntersectionObserver (jsdom), everything runs at once.

const JOBS = new WeakMap(); // element → job(element, options)

/** Everything up to this many messages of a chat is rendered at once. */
export const EAGER_MESSAGES = 24;

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

const OBSERVERS = new Set(); // {chat, io}

function observerFor(chat, run) {
  for (const o of OBSERVERS) {
    if (!o.chat.isConnected) {
      o.io.disconnect();
      OBSERVERS.delete(o);
    } else if (o.chat === chat) return o;
  }
  const o = { chat, seen: new WeakSet(), io: null };
  o.io = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        o.io.unobserve(entry.target);
        run(entry.target);
        // Work held back by the raw switch runs when it is switched off (and seen again).
        if (entry.target.querySelector("[data-pending]")) o.seen.delete(entry.target);
      }
    },
    // The chat scrolls inside itself when it is taller than its box; otherwise the page does.
    { root: chat.scrollHeight > chat.clientHeight + 1 ? chat : null, rootMargin: "1200px 0px" },
  );
  OBSERVERS.add(o);
  return o;
}

/**
 * Run `run(message)` for the messages of `chat` now (the first EAGER_MESSAGES, or all where
 * the browser cannot tell what is in view), the rest when they come near the visible area.
 */
export function schedule(chat, messages, run) {
  if (typeof IntersectionObserver !== "function" || messages.length <= EAGER_MESSAGES) {
    for (const m of messages) run(m);
    return;
  }
  const o = observerFor(chat, run);
  messages.forEach((m, i) => {
    if (i < EAGER_MESSAGES) run(m);
    else if (!o.seen.has(m)) {
      o.seen.add(m);
      o.io.observe(m);
    }
  });
}
