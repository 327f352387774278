// Test helpers: a fake anywidget model and key presses.

/** A model whose traits the "kernel" replaces with kernelSets; sent messages land in model.sent. */
export function fakeModel(traits) {
  const data = { ...traits };
  const handlers = new Map();
  const model = {
    sent: [],
    get: (name) => data[name],
    set: (name, value) => {
      data[name] = value;
    },
    save_changes() {},
    on(event, fn) {
      if (!handlers.has(event)) handlers.set(event, new Set());
      handlers.get(event).add(fn);
    },
    off(event, fn) {
      handlers.get(event)?.delete(fn);
    },
    wire: [], // messages exactly as sent, view id included
    send(msg) {
      model.wire.push(msg);
      if (msg.type === "ahead") return; // the request for records ahead is transport too
      const { view, ...rest } = msg; // the view id is transport, like seq: tests read the rest
      model.sent.push(rest);
    },
    listeners: (event) => handlers.get(event)?.size ?? 0,
    /** One reply that replaces several traits, as ipywidgets applies it: every trait is set
     * first, then each fires its change event (Backbone's `set` of several attributes). */
    kernelSync(traits) {
      Object.assign(data, traits);
      for (const name of Object.keys(traits)) {
        for (const fn of [...(handlers.get(`change:${name}`) ?? [])]) fn();
      }
    },
    /** The kernel replaces a trait whole, as traitlets sync does. */
    kernelSets(name, value) {
      data[name] = value;
      for (const fn of [...(handlers.get(`change:${name}`) ?? [])]) fn();
    },
  };
  return model;
}

const CODES = {
  Enter: "Enter",
  Tab: "Tab",
  Escape: "Escape",
  ArrowLeft: "ArrowLeft",
  ArrowRight: "ArrowRight",
  "?": "Slash",
};

/** A keydown-shaped object for the pure key functions. */
export function key(k, mods = {}) {
  let code = CODES[k];
  if (!code && /^[0-9]$/.test(k)) code = `Digit${k}`;
  if (!code && /^[a-z]$/i.test(k)) code = `Key${k.toUpperCase()}`;
  return {
    key: k,
    code: code ?? "",
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    shiftKey: k === "?",
    isComposing: false,
    ...mods,
  };
}

/** Dispatch a real keydown on target (bubbling, cancelable); returns the event. */
export function press(target, k, mods = {}) {
  const init = key(k, mods);
  const event = new KeyboardEvent("keydown", { ...init, bubbles: true, cancelable: true });
  target.dispatchEvent(event);
  return event;
}

/**
 * Render the widget into a fresh host with a fake model and focus its root.
 * Call unmountAll() in afterEach: it runs every widget's cleanup and removes its host.
 */
const mounted = [];
export function mountWidget(widget, config, view) {
  const host = document.createElement("div");
  document.body.append(host);
  const model = fakeModel({ config, view });
  const cleanup = widget.render({ model, el: host });
  mounted.push({ cleanup, host });
  const root = host.querySelector(".nbr-root");
  root.focus();
  return { model, root };
}

export function unmountAll() {
  for (const { cleanup, host } of mounted.splice(0)) {
    cleanup?.();
    host.remove();
  }
}
