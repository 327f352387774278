// @vitest-environment jsdom
import { afterEach, expect, it } from "vitest";
import { ownsKey } from "../keys.js";
import { guardShortcuts, SUPPRESS_ATTR } from "../suppress.js";
import { press } from "./helpers.js";

let cleanups = [];
afterEach(() => {
  for (const f of cleanups) f();
  cleanups = [];
  document.body.replaceChildren();
});

function setup() {
  const root = document.createElement("div");
  const inner = document.createElement("textarea");
  root.append(inner);
  const outside = document.createElement("div");
  document.body.append(root, outside);
  const unguard = guardShortcuts(root, ownsKey);
  cleanups.push(unguard);
  return { root, inner, outside, unguard };
}

it("marks the target before a capture listener on document runs", () => {
  const { root } = setup();
  let seen = null;
  const spy = (e) => {
    seen = e.target.getAttribute(SUPPRESS_ATTR);
  };
  document.addEventListener("keydown", spy, true); // where Lumino listens
  cleanups.push(() => document.removeEventListener("keydown", spy, true));
  press(root, "d");
  expect(seen).toBe("true");
});

it("unmarks the target for keys that belong to the notebook", () => {
  const { root, inner } = setup();
  press(inner, "a");
  expect(inner.getAttribute(SUPPRESS_ATTR)).toBe("true");
  press(inner, "s", { ctrlKey: true });
  expect(inner.hasAttribute(SUPPRESS_ATTR)).toBe(false);
  press(root, "z", { metaKey: true });
  expect(root.getAttribute(SUPPRESS_ATTR)).toBe("true");
  press(root, "c", { ctrlKey: true, shiftKey: true });
  expect(root.hasAttribute(SUPPRESS_ATTR)).toBe(false);
});

it("leaves elements outside the widget alone", () => {
  const { outside } = setup();
  press(outside, "d");
  expect(outside.hasAttribute(SUPPRESS_ATTR)).toBe(false);
});

it("stops listening once removed", () => {
  const { root, unguard } = setup();
  unguard();
  press(root, "d");
  expect(root.hasAttribute(SUPPRESS_ATTR)).toBe(false);
});
