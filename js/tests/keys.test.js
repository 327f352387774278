import { describe, expect, it } from "vitest";
import { actionForKey, DEFAULT_KEYS, digitOf, keyLabel, keysOf, letterOf, ownsKey, pairText } from "../keys.js";
import { key } from "./helpers.js";

describe("ownsKey", () => {
  it("claims every key without Ctrl/Cmd/Alt, shifted or not", () => {
    for (const k of ["a", "b", "d", "m", "z", "1", "Enter", "Tab", "Escape", "ArrowUp", " ", "?"]) {
      expect(ownsKey(key(k))).toBe(true);
      expect(ownsKey(key(k, { shiftKey: true }))).toBe(true);
    }
  });
  it("claims Ctrl/Cmd+Z and Ctrl/Cmd+Enter", () => {
    expect(ownsKey(key("z", { ctrlKey: true }))).toBe(true);
    expect(ownsKey(key("z", { metaKey: true }))).toBe(true);
    expect(ownsKey(key("Z", { ctrlKey: true }))).toBe(true); // caps lock
    expect(ownsKey(key("Enter", { ctrlKey: true }))).toBe(true);
    expect(ownsKey(key("Enter", { metaKey: true }))).toBe(true);
  });
  it("lets other modified keys through to the notebook", () => {
    expect(ownsKey(key("s", { ctrlKey: true }))).toBe(false);
    expect(ownsKey(key("s", { metaKey: true }))).toBe(false);
    expect(ownsKey(key("z", { ctrlKey: true, shiftKey: true }))).toBe(false); // redo
    expect(ownsKey(key("c", { ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(ownsKey(key("Enter", { shiftKey: true, ctrlKey: true }))).toBe(false);
    expect(ownsKey(key("z", { altKey: true }))).toBe(false);
    expect(ownsKey(key("z", { ctrlKey: true, altKey: true }))).toBe(false);
    expect(ownsKey(key("1", { altKey: true }))).toBe(false);
  });
});

describe("actionForKey on the root", () => {
  it("maps every digit, leaving its meaning to the question focused when it runs", () => {
    for (let d = 0; d <= 9; d++) expect(actionForKey(key(String(d)))).toEqual({ type: "digit", digit: d });
    expect(actionForKey({ ...key("&"), code: "Digit1" })).toEqual({ type: "digit", digit: 1 });
  });
  it("maps the record keys", () => {
    expect(actionForKey(key("Enter"))).toEqual({ type: "submit" });
    expect(actionForKey(key("ArrowLeft"))).toEqual({ type: "prev" });
    expect(actionForKey(key("ArrowRight"))).toEqual({ type: "next" });
    expect(actionForKey(key("s"))).toEqual({ type: "skip" });
    expect(actionForKey(key("S", { shiftKey: true }))).toEqual({ type: "skip" });
    expect(actionForKey(key("z", { ctrlKey: true }))).toEqual({ type: "undo" });
    expect(actionForKey(key("z", { metaKey: true }))).toEqual({ type: "undo" });
    expect(actionForKey(key("Enter", { ctrlKey: true }))).toEqual({ type: "submit" });
    expect(actionForKey(key("a"))).toEqual({ type: "accept" });
  });
  it("maps focus and panel keys", () => {
    expect(actionForKey(key("Tab"))).toEqual({ type: "next_question" });
    expect(actionForKey(key("Tab", { shiftKey: true }))).toEqual({ type: "prev_question" });
    expect(actionForKey(key("g"))).toEqual({ type: "guidelines" });
    expect(actionForKey(key("?"))).toEqual({ type: "help" });
    expect(actionForKey(key("Escape"))).toEqual({ type: "release" });
    expect(actionForKey(key("m"))).toEqual({ type: "similar" }); // more like this
  });
  it("ignores keys it does not use; leaves letters outside the table to the focused question", () => {
    for (const k of [" ", "Home", "End"]) expect(actionForKey(key(k))).toBeNull();
    // Backspace/Delete are spans' delete_span now; a review without spans sends it no keys.
    expect(actionForKey(key("Backspace"))).toEqual({ type: "delete_span" });
    const noSpans = keysOf({ keys: { caret: [], delete_span: [], edit: [] } });
    for (const k of ["Backspace", "Delete"]) expect(actionForKey(key(k), { keys: noSpans })).toBeNull();
    for (const k of ["c", "e"]) expect(actionForKey(key(k), { keys: noSpans })).toEqual({ type: "key", key: k });
    for (const k of ["d", "b", "n", "x"]) expect(actionForKey(key(k))).toEqual({ type: "key", key: k });
    // Contract B: ↑/↓ (and j/k) go between turns, t unfolds, m asks for similar records; the
    // widget lets them through when nothing handles them (widget.test.js).
    expect(actionForKey(key("ArrowUp"))).toEqual({ type: "prev_turn" });
    expect(actionForKey(key("ArrowDown"))).toEqual({ type: "next_turn" });
    expect(actionForKey(key("j"))).toEqual({ type: "next_turn" });
    expect(actionForKey(key("m"))).toEqual({ type: "similar" });
    expect(actionForKey(key("Enter", { shiftKey: true }))).toBeNull();
    expect(actionForKey(key("s", { ctrlKey: true }))).toBeNull();
    expect(actionForKey(key("1", { altKey: true }))).toBeNull();
  });
  it("does nothing while an IME composes", () => {
    expect(actionForKey(key("Enter", { isComposing: true }))).toBeNull();
  });
});

describe("actionForKey in a text box", () => {
  const ctx = { text: true };
  it("lets typing through", () => {
    for (const k of ["a", "s", "g", "1", "Enter", "ArrowLeft", "?", " "]) {
      expect(actionForKey(key(k), ctx)).toBeNull();
    }
    expect(actionForKey(key("Enter", { shiftKey: true }), ctx)).toBeNull();
    expect(actionForKey(key("z", { ctrlKey: true }), ctx)).toBeNull(); // the box's own undo
  });
  it("leaves on Esc, moves on Tab, submits on Ctrl/Cmd+Enter", () => {
    expect(actionForKey(key("Escape"), ctx)).toEqual({ type: "leave" });
    expect(actionForKey(key("Tab"), ctx)).toEqual({ type: "next_question" });
    expect(actionForKey(key("Tab", { shiftKey: true }), ctx)).toEqual({ type: "prev_question" });
    expect(actionForKey(key("Enter", { ctrlKey: true }), ctx)).toEqual({ type: "submit" });
    expect(actionForKey(key("Enter", { metaKey: true }), ctx)).toEqual({ type: "submit" });
  });
});

describe("layouts", () => {
  it("reads digits from the physical key when the layout types a symbol (AZERTY)", () => {
    expect(digitOf({ key: "&", code: "Digit1", shiftKey: false })).toBe(1);
    expect(digitOf({ key: "1", code: "Numpad1", shiftKey: false })).toBe(1);
    expect(digitOf({ key: "!", code: "Digit1", shiftKey: true })).toBeNull();
    expect(digitOf({ key: "x", code: "KeyX", shiftKey: false })).toBeNull();
  });
  it("reads letters from the physical key on non-Latin layouts", () => {
    expect(letterOf({ key: "ы", code: "KeyS" })).toBe("s");
    expect(letterOf({ key: "S", code: "KeyS" })).toBe("s");
    expect(letterOf({ key: "Enter", code: "Enter" })).toBeNull();
    expect(actionForKey({ ...key("я"), code: "KeyZ", ctrlKey: true })).toEqual({ type: "undo" });
  });
});

describe("the keys table (contract B)", () => {
  it("has the documented defaults", () => {
    expect(DEFAULT_KEYS.submit).toEqual(["Enter"]);
    expect(DEFAULT_KEYS.undo).toEqual(["Ctrl+z"]);
    expect(DEFAULT_KEYS.prev_question).toEqual(["Shift+Tab"]);
    expect(DEFAULT_KEYS.next_turn).toEqual(["ArrowDown", "j"]);
    // the 19 of contract B, and the kinds' own: spans' caret and delete_span, edit's edit
    expect(DEFAULT_KEYS.caret).toEqual(["c"]);
    expect(DEFAULT_KEYS.delete_span).toEqual(["Backspace", "Delete"]);
    expect(DEFAULT_KEYS.edit).toEqual(["e"]);
    expect(Object.keys(DEFAULT_KEYS).length).toBe(22);
  });
  it("reads config.keys, keeping the defaults of actions it omits", () => {
    const keys = keysOf({ keys: { submit: ["x"], skip: ["Alt+k"], next: ["l"], prev: ["h"] } });
    expect(actionForKey(key("x"), { keys })).toEqual({ type: "submit" });
    expect(actionForKey(key("Enter"), { keys })).toBeNull(); // Enter is free now
    expect(actionForKey(key("l"), { keys })).toEqual({ type: "next" });
    expect(actionForKey(key("k", { altKey: true }), { keys })).toEqual({ type: "skip" });
    expect(actionForKey(key("k"), { keys })).toEqual({ type: "prev_turn" });
    expect(actionForKey(key("s"), { keys })).toEqual({ type: "key", key: "s" }); // s is free too
    expect(actionForKey(key("g"), { keys })).toEqual({ type: "guidelines" });
    expect(ownsKey(key("k", { altKey: true }), keys)).toBe(true); // a modified key in the table
    expect(ownsKey(key("k", { altKey: true }))).toBe(false);
    expect(keysOf({})).toEqual(DEFAULT_KEYS);
  });
  it("in a text box only keys that type nothing act", () => {
    const keys = keysOf({ keys: { release: ["q"], next_question: ["Ctrl+j"] } });
    expect(actionForKey(key("q"), { keys, text: true })).toBeNull(); // typed
    expect(actionForKey(key("j", { ctrlKey: true }), { keys, text: true })).toEqual({ type: "next_question" });
    expect(actionForKey(key("Enter", { ctrlKey: true }), { keys, text: true })).toEqual({ type: "submit" });
  });
  it("labels keys as a person reads them", () => {
    expect(keyLabel("ArrowLeft")).toBe("←");
    expect(keyLabel("Ctrl+z")).toBe("Ctrl+Z / ⌘Z");
    expect(keyLabel("Escape")).toBe("Esc");
    expect(keyLabel("Shift+Tab")).toBe("Shift+Tab");
    expect(pairText(DEFAULT_KEYS, "prev_turn", "next_turn")).toBe("↑ / ↓ or k / j");
    expect(pairText(DEFAULT_KEYS, "prev", "next")).toBe("← / →");
  });
});
