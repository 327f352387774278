// From the page to the reducer: a key becomes an action (the focused question's kind may claim
// it first; a box that takes text keeps its keys), and an action goes to the question it is for
// before the reducer (js/core/reducer.js) — so a kind handles any action without the core
// knowing it.
import { actionForKey, ownsKey } from "../keys.js";
import { takesText } from "../kinds/index.js";
import { isMove } from "../core/reducer.js";
import { recordOf } from "../core/state.js";
import { releaseToNotebook } from "./release.js";

/** An action that may run now: the question it is for takes it first, then the reducer. */
export function createRoute(store, parts) {
  return (action) => {
    const { kinds } = parts;
    if (isMove(action)) kinds.flush(); // typing not yet sent belongs to the record it was typed on
    if (recordOf(store.state)) {
      if (action.type === "accept") kinds.accept(); // kinds' own suggestions first (spans)
      else if (kinds.perform(action.type === "kind" ? action.index : store.state.focus, action)) return true;
    }
    return store.run(action);
  };
}

/** The root's keydown: what the widget owns stops here; an action taken prevents the default. */
export function createKeyHandler(store, parts) {
  return (e) => {
    const { state } = store;
    if (state.stale || !ownsKey(e, state.keys)) return; // Ctrl+S and friends belong to the notebook
    e.stopPropagation(); // no key of ours reaches JupyterLab's shortcuts
    // A box that takes text (its kind says which) keeps its keys, but Esc, Tab and Ctrl+Enter.
    const owner = e.target === parts.root ? undefined : parts.kinds.owning(e.target);
    const text = owner ? takesText(owner, e.target) : false;
    // The focused question may claim keys first (spans: caret, ↑/↓, Backspace).
    const own = text || e.isComposing ? null : (parts.kinds.all[state.focus]?.keyAction?.(e) ?? null);
    const action = own ?? actionForKey(e, { keys: state.keys, text });
    if (action && store.dispatch(action)) e.preventDefault();
  };
}

const EXTRA = new Map(); // effects modules add: name → (effect, {root, state}) => void

/**
 * Carry out effect `name` (an action handler's `effect(r, name, fields)`) on the page:
 * `fn(effect, {root, state})`, e.g. fold or unfold the chats in `root`. Returns the function
 * that removes it.
 */
export function registerEffect(name, fn) {
  EXTRA.set(name, fn);
  return () => {
    if (EXTRA.get(name) === fn) EXTRA.delete(name);
  };
}

/** What the reducer asks that only the page can do: focus, panels kept by modules, Esc. */
export function createEffects(store, parts, view, visitor) {
  /** Esc: give the keyboard back to the notebook (command mode in JupyterLab). */
  function release() {
    if (visitor().release()) return; // leaves the full window; marimo: to its cell
    if (!releaseToNotebook(parts.root)) parts.root.blur(); // Tab comes back (release.js)
  }
  function focusQuestion(active) {
    const target = parts.kinds.all[store.state.focus]?.focusEl;
    if (target) target.focus({ preventScroll: false });
    else if (active !== parts.root) parts.refocus();
  }
  const EFFECTS = {
    configured: () => view().configure(store.state),
    recordShown(active) {
      parts.kinds.reset(); // unsent typing (and other local edits) belonged to the old record
      if (parts.root.contains(active) && active !== parts.root) parts.refocus();
    },
    focusEl: focusQuestion,
    release,
    leave: () => parts.refocus(),
    full: () => visitor().toggleFull(),
    search: () => parts.queue.focusSearch(),
    queue: () => parts.queue.toggle(),
  };
  return (e) => {
    if (Object.hasOwn(EFFECTS, e.type)) EFFECTS[e.type](parts.root.getRootNode().activeElement);
    else EXTRA.get(e.type)?.(e, { root: parts.root, state: store.state });
  };
}
