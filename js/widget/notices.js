// What the widget says in its notice line and banner: the texts, and which one wins.

export const DONE_TEXT = "Every record has an answer — ←/→ to look back";
export const EMPTY_TEXT = "Nothing to review";
export const STALLED_TEXT = "The kernel has not answered; keys pressed meanwhile were dropped.";
export const STALE_TEXT = "The kernel restarted: run the cell again";
export const SAVED_TEXT = "Saved: every change is in the store now.";

/** "Not saved: …" while the kernel cannot store what was sent; it is sent again by itself. */
export function unsavedText(why, count) {
  const what = count === 1 ? "1 change waits" : `${count} changes wait`;
  return `${why || "Not saved."} — ${what} on this page and will be sent again until stored.`;
}

/** "Record 3 of 40" in queue order; a row reached by a jump outside the queue says so. */
export function positionText(v) {
  if (v.index === null && v.position !== null && v.position !== undefined) {
    return `Row ${v.position + 1} (outside the queue of ${v.total ?? "?"})`;
  }
  return `Record ${(v.index ?? v.position ?? 0) + 1} of ${v.total ?? "?"}`;
}

/**
 * The notice to show: unsaved changes first (they must never go unnoticed), then the
 * widget's own notice, then "Saved", then the kernel's (its "unsaved" one is replaced by
 * the first line, which counts what waits).
 */
export function chooseNotice({ unsaved, fault, waiting, local, saved, kernel }) {
  if (unsaved) {
    const why = fault ? `Not saved: ${fault}` : kernel?.kind === "unsaved" ? kernel.text : "";
    return { kind: "unsaved", text: unsavedText(why, waiting) };
  }
  if (local) return local;
  if (saved) return { kind: "info", text: SAVED_TEXT };
  return kernel && kernel.kind !== "unsaved" ? kernel : null;
}
