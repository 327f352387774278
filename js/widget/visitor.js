// The widget on a page: who is answering (a served page without ?annotator= asks for a name
// before it shows the review, and remembers it for that page), the annotator's other windows,
// the layout (js/widget/layout.js) and the host's theme, Esc and full window (host.js).
import { h, setFlag, setText } from "../dom.js";
import { createFullWindow, followTheme, inMarimo, releaseTarget } from "./host.js";
import { attachLayout } from "./layout.js";
import "./visitor.css";

export const HEARTBEAT_MS = 30_000; // the kernel keeps a window's seat 150 s past its last beat
export const ASK_TEXT = "Who is reviewing? Your name is saved with each answer.";
const MEMORY = "nbreview.annotator:";
const TAB = "nbreview.tab";

/** The name this page remembers (typed here before), or null; storage may be refused. */
export function rememberedName(store = globalThis.localStorage, path = location.pathname) {
  try {
    return store?.getItem(MEMORY + path) || null;
  } catch {
    return null;
  }
}

export function rememberName(name, store = globalThis.localStorage, path = location.pathname) {
  try {
    if (name) store?.setItem(MEMORY + path, name);
    else store?.removeItem(MEMORY + path);
  } catch {
    // private browsing: the page asks again next time
  }
}

/**
 * This browser tab's id, kept across reloads (sessionStorage is per tab): the kernel seats the
 * page under it, so a reloaded page takes its own seat over instead of meeting it as another
 * window of the same name.
 */
export function tabId(store = globalThis.sessionStorage) {
  const fresh = () => Math.random().toString(36).slice(2, 14);
  try {
    let id = store?.getItem(TAB);
    if (!id) {
      id = fresh();
      store?.setItem(TAB, id);
    }
    return id;
  } catch {
    return fresh();
  }
}

/** The name box: Enter sends the name; every key typed in it is text, never the widget's. */
function buildAsk(send) {
  const input = h("input", {
    type: "text",
    class: "nbr-ask-name",
    autocomplete: "name",
    maxlength: "100",
    spellcheck: "false",
    "aria-label": "Your name",
    placeholder: "Your name",
  });
  const error = h("div", { class: "nbr-ask-error", role: "alert", hidden: true });
  const label = h("label", { class: "nbr-ask-label" }, ASK_TEXT, input);
  const hint = h("div", { class: "nbr-ask-hint" }, "Press Enter to start.");
  input.addEventListener("keydown", (e) => {
    e.stopPropagation(); // typed text: no widget key, no host shortcut
    if (e.key === "Enter" && !e.isComposing) {
      e.preventDefault();
      if (input.value.trim()) send(input.value);
    }
  });
  // A div, not a form: Enter is handled above, and nothing in the widget can be submitted.
  const el = h(
    "div",
    { class: "nbr-ask", role: "form", "aria-label": "Your name", hidden: true },
    label,
    hint,
    error,
  );
  return { el, input, error, label, hint };
}

/**
 * A seated page's heartbeat (`here` every 30 s while visible) and goodbye (`leave` as the page
 * closes). Returns {stop}.
 */
function keepSeat(model, seated, asking) {
  const beat = () => {
    if (seated && !asking() && document.visibilityState !== "hidden") model.send({ type: "here" });
  };
  // Closing the page frees its record for the annotator's other windows at once: before
  // Voilà's own beforeunload handler (registered earlier, without capture) closes the line.
  const bye = () => {
    if (!seated) return;
    try {
      model.send({ type: "leave" });
    } catch {
      // Voilà closes the line first: the tab's next page takes the seat over (tabId)
    }
  };
  const timer = setInterval(beat, HEARTBEAT_MS);
  document.addEventListener("visibilitychange", beat);
  window.addEventListener("beforeunload", bye, { capture: true });
  window.addEventListener("pagehide", bye);
  return {
    stop() {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", beat);
      window.removeEventListener("beforeunload", bye, { capture: true });
      window.removeEventListener("pagehide", bye);
    },
  };
}

/**
 * The name box as the kernel's `visitor` says: asking, or a page the kernel closed (a private
 * link not valid, a reviewer who did not qualify): its sentence and nothing else, no name box.
 * Returns whether it asks for a name.
 */
function showAsk(root, ask, p) {
  const closed = typeof p.closed === "string" && p.closed ? p.closed : null;
  const asking = Boolean(p.ask) && !closed;
  root.classList.toggle("nbr-asking", asking || Boolean(closed));
  root.classList.toggle("nbr-closed", Boolean(closed));
  setFlag(ask.el, "hidden", !asking && !closed);
  setFlag(ask.label, "hidden", Boolean(closed));
  setFlag(ask.hint, "hidden", Boolean(closed));
  setText(ask.error, closed ?? p.error ?? "");
  setFlag(ask.error, "hidden", !(closed ?? p.error));
  return asking;
}

/**
 * A keyboard-only visitor reaches the name box: it is focused when shown (now, and once the
 * page has placed the widget: a served page renders it before it is in the document, where
 * focus() does nothing), and Tab reaches it (the root, which takes Tab as "next question",
 * leaves the tab order while it asks; a Tab on the root itself goes to the box).
 */
function askKeyboard(root, ask) {
  let on = false;
  const take = () => {
    if (!on || ask.el.hidden) return;
    const active = root.getRootNode().activeElement;
    if (active === ask.input || (root.contains(active) && active !== root)) return;
    ask.input.focus({ preventScroll: true });
  };
  const onKeydown = (e) => {
    if (!on || e.key !== "Tab" || e.target === ask.input) return;
    e.preventDefault();
    e.stopPropagation();
    ask.input.focus({ preventScroll: true });
  };
  root.addEventListener("keydown", onKeydown, true);
  return {
    show(shown) {
      on = shown;
      root.setAttribute("tabindex", on ? "-1" : "0");
      if (!on) return;
      take();
      requestAnimationFrame(take);
    },
    stop: () => root.removeEventListener("keydown", onKeydown, true),
  };
}

export function attachVisitor({ model, el, root, parts, others, refocus }) {
  const visitor = () => model.get("visitor") ?? {};
  // Only a page widget's kernel (trait "visitor") keeps seats; a bare ReviewWidget is told nothing.
  const seated = model.get("visitor") !== undefined;
  const config = () => model.get("config") ?? {};
  let typed = null; // the name typed on this page, remembered once the kernel takes it
  let autoSent = false;
  const sendName = (name) => {
    typed = name.trim();
    model.send({ type: "annotator", name: typed });
  };
  const ask = buildAsk(sendName);
  const presence = h("div", { class: "nbr-presence", role: "status", hidden: true });
  const who = h("span", { class: "nbr-who", hidden: true });
  parts.header.prepend(who);
  parts.banner.before(presence, ask.el);

  const layout = attachLayout({ el, root, parts, others, layout: () => config().layout });
  const theme = followTheme(root);
  const full = createFullWindow(root, () => layout.update());
  const keyboard = askKeyboard(root, ask);

  function onVisitor() {
    const p = visitor();
    const asking = showAsk(root, ask, p);
    if (asking) {
      const remembered = rememberedName();
      if (remembered && !autoSent && !p.error) {
        autoSent = true; // once: a name the kernel refuses is shown to be corrected
        sendName(remembered);
      } else if (!ask.input.value) ask.input.value = typed ?? remembered ?? "";
    } else if (typed && p.annotator === typed) {
      rememberName(typed);
      typed = null;
      refocus();
    }
    keyboard.show(asking);
    setText(who, p.annotator ? `Reviewing as ${p.annotator}` : "");
    setFlag(who, "hidden", !p.annotator);
    setText(presence, p.elsewhere ?? "");
    presence.dataset.blocked = String(Boolean(p.blocked));
    setFlag(presence, "hidden", !p.elsewhere);
    theme.check();
  }

  const seat = keepSeat(model, seated, () => visitor().ask);
  model.on("change:visitor", onVisitor);
  if (seated) model.send({ type: "hello", tab: tabId() });
  onVisitor();
  // On the page only now: a shadow root (marimo) and the scrolling box are known.
  requestAnimationFrame(() => {
    theme.check();
    layout.update();
  });

  return {
    toggleFull: () => full.toggle(),
    /** Esc: leave the full window first, else hand the keyboard to marimo's cell. */
    release() {
      if (full.on) {
        full.leave();
        return true;
      }
      if (!inMarimo(root)) return false;
      root.blur();
      releaseTarget(root)?.focus?.({ preventScroll: true });
      return true;
    },
    destroy() {
      seat.stop();
      keyboard.stop();
      model.off("change:visitor", onVisitor);
      layout.destroy();
      theme.stop();
      full.leave();
    },
  };
}
