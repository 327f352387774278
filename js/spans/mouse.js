// The mouse over the marked text: a selection waiting for a label, a click that picks a span or
// puts the caret, and dragging the selected span's edge handles to resize it.
import { followMouse } from "../kinds/drag.js";
import { current, resize, selectedSpan } from "./answer.js";
import { pickAt, select } from "./controller.js";
import { domOffset, pointOffset, rangeOffsets } from "./text.js";
import { snapEdge, snapSelection } from "./words.js";

/**
 * Listen on the text element `el`; `markOf(id)` is the span drawn as mark `id`, `render()`
 * draws the new state. Returns {stopDrag} for a record change or teardown mid-drag.
 */
export function listenMouse(s, el, markOf, render) {
  const m = { s, el, markOf, render, stop: null };
  el.addEventListener("mousedown", (e) => onMouseDown(m, e));
  el.addEventListener("mouseup", (e) => onMouseUp(m, e));
  return { stopDrag: () => stopDrag(m) };
}

// The question takes the focus when the button is released, not pressed: over a whole chat,
// focusing a message shows its label panel and hides another's, which would move the text
// under a pointer that is starting a selection.
function onMouseDown(m, e) {
  if (e.button !== 0) return;
  const handle = e.target.closest?.(".nbr-handle");
  if (handle) {
    m.s.ctx.focus?.(m.s.index);
    e.preventDefault(); // no text selection while an edge is dragged
    e.stopPropagation();
    startDrag(m, handle.dataset.edge);
  }
}

function onMouseUp(m, e) {
  const { st } = m.s;
  if (e.button !== 0 || st.drag) return;
  const sel = m.el.ownerDocument.getSelection?.();
  if (sel && sel.rangeCount > 0 && !sel.isCollapsed && selected(m, sel, e)) {
    m.s.ctx.focus?.(m.s.index);
    return;
  }
  const tag = e.target.closest?.(".nbr-tag");
  const seg = e.target.closest?.(".nbr-seg");
  if (tag) select(m.s, m.markOf(tag.dataset.mark));
  else if (seg?.dataset.marks) pickAt(m.s, seg.dataset.marks.split(" ").map(m.markOf).filter(Boolean));
  else select(m.s, null);
  st.selection = null;
  if (st.caret && !st.selected && sel?.rangeCount) {
    const at = domOffset(m.el, sel.anchorNode, sel.anchorOffset);
    if (at !== null) st.caret = { anchor: at, focus: at };
  }
  m.render();
  m.s.ctx.focus?.(m.s.index);
}

/** Text dragged over: it becomes the selection, snapped to words (Alt: to characters). */
function selected(m, sel, e) {
  const range = rangeOffsets(m.el, sel.getRangeAt(0));
  if (!range) return false;
  const { st, view } = m.s;
  const snapped = snapSelection(view.text, range.start, range.end, { words: !e.altKey });
  sel.removeAllRanges();
  st.selected = null;
  st.selection = snapped;
  if (st.caret && snapped) st.caret = { anchor: snapped.start, focus: snapped.end };
  m.render();
  return true;
}

function startDrag(m, edge) {
  const span = selectedSpan(m.s, current(m.s));
  if (!span || (edge !== "start" && edge !== "end")) return;
  m.s.st.drag = { edge, span, start: span.start, end: span.end };
  m.stop = followMouse(m.el, (e) => onDragMove(m, e), (e) => onDragEnd(m, e));
}

function stopDrag(m) {
  m.stop?.();
  m.stop = null;
  const { drag } = m.s.st;
  m.s.st.drag = null;
  return drag;
}

function onDragMove(m, e) {
  const d = m.s.st.drag;
  if (!d) return;
  e.preventDefault();
  const p = pointOffset(m.el, e.clientX, e.clientY);
  if (p === null) return;
  const at = snapEdge(m.s.view.text, p, d.edge, { words: !e.altKey });
  if (d.edge === "start" && at < d.end) d.start = at;
  if (d.edge === "end" && at > d.start) d.end = at;
  m.render();
}

function onDragEnd(m, e) {
  onDragMove(m, e);
  const d = stopDrag(m);
  if (d) resize(m.s, d);
  m.render();
}
