// The marked text in the DOM, and DOM positions back to UTF-16 offsets.
//
// The text goes in only as text nodes, one per segment (.nbr-seg[data-start][data-end]).
// Labels, edge handles and the caret are empty elements whose visible text comes from CSS
// (content: attr(data-label)), so the container's textContent is exactly the field's text
// and every DOM text offset maps to the field by adding its segment's start.
import { h } from "../dom.js";
import { tint } from "./colors.js";
import { layout } from "./layout.js";

export const STRIPE_PX = 3; // one underline per lane
const LANE_PX = STRIPE_PX + 1;
const SELECTION = "rgba(33, 150, 243, 0.32)";

const layer = (image, size, position) => ({ image, size, position });
const flat = (color) => `linear-gradient(${color}, ${color})`;
const dashes = (color) => `repeating-linear-gradient(90deg, ${color} 0 6px, transparent 6px 9px)`;
const hatch = (color) =>
  `repeating-linear-gradient(135deg, ${color} 0 5px, transparent 5px 8px)`;

/** Background layers of one segment: selection on top, then a fill per span, then underlines. */
function segmentLayers(seg, byId, lanes, laneCount, selected) {
  const pad = laneCount * LANE_PX;
  const body = `100% calc(100% - ${pad}px)`;
  const layers = [];
  if (selected) layers.push(layer(flat(SELECTION), body, "0 0"));
  for (const id of seg.ids) {
    const m = byId.get(id);
    const alpha = m.selected ? 0.38 : 0.17;
    layers.push(layer(m.suggested ? hatch(tint(m.color, alpha + 0.08)) : flat(tint(m.color, alpha)), body, "0 0"));
  }
  for (const id of seg.ids) {
    const m = byId.get(id);
    const fromBottom = (laneCount - 1 - lanes.get(id)) * LANE_PX + 1;
    const stripe = m.suggested ? dashes(m.color) : flat(m.color);
    layers.push(layer(stripe, `100% ${STRIPE_PX}px`, `0 calc(100% - ${fromBottom}px)`));
  }
  return layers;
}

function marker(cls, at, dataset = {}) {
  return h("span", { class: cls, "aria-hidden": "true", dataset: { at: String(at), ...dataset } });
}

/**
 * Draw `text` into `container` with the marks over it.
 * marks: [{id, start, end, label, color, suggested, selected}];
 * selection: {start, end} to highlight, or null; caret: an offset, or null;
 * handles: the id of the mark that gets edge handles, or null.
 * Returns the layout drawn.
 */
export function drawText(container, text, marks, { selection = null, caret = null, handles = null } = {}) {
  const cuts = [];
  if (selection) cuts.push(selection.start, selection.end);
  if (caret !== null) cuts.push(caret);
  const drawn = layout(text.length, marks, cuts);
  const { lanes, laneCount, segments } = drawn;
  const byId = new Map(marks.map((m) => [m.id, m]));
  const handled = handles === null ? null : byId.get(handles);
  container.dataset.length = String(text.length);
  container.style.setProperty("--nbr-lane-pad", `${laneCount * LANE_PX}px`);
  container.classList.toggle("nbr-has-lanes", laneCount > 0);

  const out = [];
  const before = (pos) => {
    if (caret === pos) out.push(marker("nbr-caret", pos));
    if (handled && handled.start === pos) out.push(marker("nbr-handle", pos, { edge: "start" }));
  };
  for (const seg of segments) {
    before(seg.start);
    const el = h("span", { class: "nbr-seg", dataset: { start: String(seg.start), end: String(seg.end) } });
    el.append(document.createTextNode(text.slice(seg.start, seg.end)));
    const inSelection = Boolean(selection) && selection.start <= seg.start && seg.end <= selection.end;
    if (seg.ids.length > 0 || inSelection) {
      const layers = segmentLayers(seg, byId, lanes, laneCount, inSelection);
      el.style.backgroundImage = layers.map((l) => l.image).join(", ");
      el.style.backgroundSize = layers.map((l) => l.size).join(", ");
      el.style.backgroundPosition = layers.map((l) => l.position).join(", ");
      el.style.backgroundRepeat = "no-repeat";
    }
    if (seg.ids.length > 0) {
      el.classList.add("nbr-marked");
      el.dataset.marks = seg.ids.join(" ");
      if (seg.ids.some((id) => byId.get(id).selected)) el.classList.add("nbr-seg-selected");
    }
    if (inSelection) el.classList.add("nbr-seg-pending");
    out.push(el);
    if (handled && handled.end === seg.end) out.push(marker("nbr-handle", seg.end, { edge: "end" }));
    for (const id of seg.closing) {
      const m = byId.get(id);
      const tag = marker("nbr-tag", seg.end, { mark: id, label: String(m.label) });
      tag.style.setProperty("--nbr-c", m.color);
      tag.classList.toggle("nbr-tag-suggested", Boolean(m.suggested));
      tag.classList.toggle("nbr-tag-selected", Boolean(m.selected));
      tag.title = m.suggested ? `${m.label} (suggested)` : String(m.label);
      out.push(tag);
    }
  }
  if (caret === text.length) out.push(marker("nbr-caret", caret));
  container.replaceChildren(...out);
  return drawn;
}

const isElement = (n) => n && n.nodeType === 1;

/** The offset of the first segment or marker at or after `node` among its siblings (and up). */
function offsetFrom(container, parent, node) {
  for (let n = node; n; n = n.nextSibling) {
    if (!isElement(n)) continue;
    if (n.classList.contains("nbr-seg")) return Number(n.dataset.start);
    if (n.dataset.at !== undefined) return Number(n.dataset.at);
    const inner = n.querySelector?.(".nbr-seg, [data-at]");
    if (inner) return Number(inner.dataset.start ?? inner.dataset.at);
  }
  if (parent === container || !parent) return Number(container.dataset.length);
  return offsetFrom(container, parent.parentNode, parent.nextSibling);
}

/** A DOM position (node, offset), as a Range or a caret gives it, as a UTF-16 offset; null outside. */
export function domOffset(container, node, offset) {
  if (!node || !container.contains(node)) return null;
  if (node.nodeType === 3) {
    const seg = node.parentElement?.closest(".nbr-seg");
    if (seg && container.contains(seg)) return Number(seg.dataset.start) + offset;
    const mark = node.parentElement?.closest("[data-at]");
    return mark && container.contains(mark) ? Number(mark.dataset.at) : null;
  }
  if (node !== container) {
    if (node.classList?.contains("nbr-seg")) return Number(node.dataset[offset === 0 ? "start" : "end"]);
    const mark = node.closest?.("[data-at]");
    if (mark && container.contains(mark)) return Number(mark.dataset.at);
  }
  return offsetFrom(container, node, node.childNodes[offset] ?? null);
}

/** The part of a Range inside the container as {start, end} offsets, or null. */
export function rangeOffsets(container, range) {
  if (!range || !range.intersectsNode(container)) return null;
  const length = Number(container.dataset.length ?? 0);
  let start = domOffset(container, range.startContainer, range.startOffset);
  let end = domOffset(container, range.endContainer, range.endOffset);
  if (start === null) start = 0; // the range starts before the container
  if (end === null) end = length; // and ends after it
  return start < end ? { start, end } : null;
}

/** The text offset under a viewport point, or null. */
export function pointOffset(container, x, y) {
  const doc = container.ownerDocument;
  let node = null;
  let offset = 0;
  if (typeof doc.caretPositionFromPoint === "function") {
    const p = doc.caretPositionFromPoint(x, y);
    if (p) ({ offsetNode: node, offset } = p);
  } else if (typeof doc.caretRangeFromPoint === "function") {
    const r = doc.caretRangeFromPoint(x, y);
    if (r) ({ startContainer: node, startOffset: offset } = r);
  }
  return node ? domOffset(container, node, offset) : null;
}
