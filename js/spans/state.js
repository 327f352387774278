// What one spans question keeps: its config, the record on screen, and the annotator's state
// on that record. Every part of the kind (answer, controller, mouse, text view, list) reads and
// changes this one object, so none of them holds a copy that could go stale.
import { labelColor } from "./colors.js";
import { sameSpan } from "./model.js";

/** The annotator's state on one record: it starts afresh on every record. */
export const blank = () => ({
  selected: null, // {start, end, label, suggested}: the span clicked or stepped to
  selection: null, // {start, end}: text chosen by the mouse, waiting for a label
  caret: null, // {anchor, focus}: the keyboard caret (caret mode when set)
  lastCaret: null,
  localPending: null, // suggestions still undecided once an answer exists
  drag: null, // {edge, span, start, end} while an edge handle is dragged
});

/** A caret's anchor and focus as {start, end}, whichever way it was moved. */
export const ordered = ({ anchor, focus }) => ({
  start: Math.min(anchor, focus),
  end: Math.max(anchor, focus),
});

/** The text a caret has selected (Shift + arrows), or null when it selects nothing. */
export const caretRange = (caret) => (caret && caret.anchor !== caret.focus ? ordered(caret) : null);

/** The question's fixed parts, `st` (see blank) and `view` (the record's key and text). */
export function spansState(question, index, ctx) {
  const labels = (question.labels ?? []).map(String);
  return {
    question,
    index,
    ctx,
    labels,
    field: String(question.field ?? ""),
    color: (label) => labelColor(Math.max(0, labels.indexOf(label))),
    /** The digit that applies a label ("1" … "9"), or null past the ninth. */
    keyOf: (label) => {
      const i = labels.indexOf(label);
      return i >= 0 && i < 9 ? String(i + 1) : null;
    },
    st: blank(),
    view: { key: null, text: "", missing: false, focused: false },
  };
}

/** Whether `span` is the selected one (a suggestion and an accepted span are told apart). */
export function isSelected(s, span) {
  const sel = s.st.selected;
  return Boolean(sel) && sameSpan(span, sel) && Boolean(span.suggested) === Boolean(sel.suggested);
}

/** Leave caret mode, remembering where the caret was for the next `c`. */
export function caretOff(s) {
  s.st.lastCaret = s.st.caret;
  s.st.caret = null;
}
