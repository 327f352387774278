// Dragging with the mouse (a span's edge, a ranked item): the whole window is followed, in the
// capture phase, so the drag goes on when the pointer leaves the element it started on.

/** Send window mousemove to `onMove` and mouseup to `onUp` until the returned stop() is called. */
export function followMouse(el, onMove, onUp) {
  const win = el.ownerDocument.defaultView;
  win.addEventListener("mousemove", onMove, true);
  win.addEventListener("mouseup", onUp, true);
  return () => {
    win.removeEventListener("mousemove", onMove, true);
    win.removeEventListener("mouseup", onUp, true);
  };
}
