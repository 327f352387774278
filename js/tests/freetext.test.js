// @vitest-environment jsdom
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { createFreetext } from "../freetext.js";

let textarea;
let save;
let ft;
beforeEach(() => {
  vi.useFakeTimers();
  textarea = document.createElement("textarea");
  document.body.append(textarea);
  save = vi.fn();
  ft = createFreetext(textarea, save, 400);
});
afterEach(() => {
  ft.destroy();
  textarea.remove();
  vi.useRealTimers();
});

const type = (text) => {
  textarea.value = text;
  textarea.dispatchEvent(new Event("input"));
};

it("saves 400 ms after typing stops", () => {
  type("h");
  vi.advanceTimersByTime(200);
  type("hi");
  vi.advanceTimersByTime(399);
  expect(save).not.toHaveBeenCalled();
  vi.advanceTimersByTime(1);
  expect(save).toHaveBeenCalledExactlyOnceWith("hi");
});

it("saves at once on blur, and only what changed", () => {
  textarea.focus();
  type("line 1\nline 2");
  textarea.blur();
  expect(save).toHaveBeenCalledExactlyOnceWith("line 1\nline 2");
  textarea.focus();
  textarea.blur();
  vi.advanceTimersByTime(1000);
  expect(save).toHaveBeenCalledOnce();
});

it("flush saves pending typing; an empty box clears the answer", () => {
  type("");
  ft.flush();
  expect(save).toHaveBeenCalledExactlyOnceWith(null);
});

it("shows the kernel's value unless the annotator is mid-edit", () => {
  ft.show("saved", false);
  expect(textarea.value).toBe("saved");
  type("saved and more");
  ft.show("saved", false);
  expect(textarea.value).toBe("saved and more");
  ft.flush();
  ft.show("saved and more", false);
  expect(textarea.value).toBe("saved and more");
  ft.show(undefined, false);
  expect(textarea.value).toBe("");
});

it("marks a suggested text until it is edited", () => {
  ft.show("model text", true);
  expect(textarea.classList.contains("nbr-suggested")).toBe(true);
  type("model text, fixed");
  ft.show("model text", true);
  expect(textarea.classList.contains("nbr-suggested")).toBe(false);
});

it("reset forgets unsent typing", () => {
  type("old record");
  ft.reset();
  vi.advanceTimersByTime(1000);
  textarea.blur();
  expect(save).not.toHaveBeenCalled();
});
