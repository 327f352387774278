// Keeps a free-text box and the kernel in step: saves ~400 ms after typing stops, or at once on blur.
import { debounce } from "./debounce.js";

export const FREETEXT_DELAY_MS = 400;

/** Free text as an answer: an empty box clears the answer. */
export function freetextValue(text) {
  return text === "" ? null : text;
}

/** save(value) sends the answer; value is the text, or null for an empty box. */
export function createFreetext(textarea, save, delay = FREETEXT_DELAY_MS) {
  let dirty = false; // typed but not yet sent
  const flush = () => {
    saver.cancel();
    if (!dirty) return;
    dirty = false;
    save(freetextValue(textarea.value));
  };
  const saver = debounce(flush, delay);
  const onInput = () => {
    dirty = true;
    saver.schedule();
  };
  textarea.addEventListener("input", onInput);
  textarea.addEventListener("blur", flush);
  return {
    flush,
    /** A new record: forget unsent typing (it belonged to the old record). */
    reset() {
      saver.cancel();
      dirty = false;
    },
    /** Show the kernel's value unless the annotator is mid-edit. */
    show(value, suggested) {
      const text = typeof value === "string" ? value : "";
      if (!dirty && textarea.value !== text) textarea.value = text;
      textarea.classList.toggle("nbr-suggested", suggested && !dirty);
    },
    get dirty() {
      return dirty;
    },
    destroy() {
      saver.cancel();
      textarea.removeEventListener("input", onInput);
      textarea.removeEventListener("blur", flush);
    },
  };
}
