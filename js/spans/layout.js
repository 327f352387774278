// How spans lie over a text: lanes for overlapping spans, and the segments to draw. Pure.
//
// Every span gets a lane, the lowest one free at its start, outer spans first, so nested
// and crossing spans each keep a line of their own under the text. The text is cut at every
// span edge (and at extra cuts: a selection, the caret) into segments, each knowing which
// spans cover it and which start or end at its edges.

/** Text order of spans: start, then end, then label. */
export function compareSpans(a, b) {
  return a.start - b.start || a.end - b.end || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);
}

/** Map id → lane (0 = nearest the text), and how many lanes there are. */
export function assignLanes(spans) {
  const order = [...spans].sort((a, b) => a.start - b.start || b.end - a.end || compareSpans(a, b));
  const laneEnds = [];
  const lanes = new Map();
  for (const s of order) {
    let lane = laneEnds.findIndex((end) => end <= s.start);
    if (lane === -1) lane = laneEnds.length;
    laneEnds[lane] = s.end;
    lanes.set(s.id, lane);
  }
  return { lanes, count: laneEnds.length };
}

/**
 * Segments covering [0, length): {start, end, ids, opening, closing}. ids: the spans over
 * the segment, by lane; opening: spans starting at its start; closing: spans ending at
 * its end, inner ones first (so their labels read inside out).
 * spans: [{id, start, end, label}]; edges outside the text are clamped, empty spans dropped.
 */
export function layout(length, spans, cuts = []) {
  const kept = spans
    .map((s) => ({ ...s, start: Math.max(0, Math.min(length, s.start)), end: Math.max(0, Math.min(length, s.end)) }))
    .filter((s) => s.start < s.end);
  const { lanes, count } = assignLanes(kept);
  const points = new Set([0, length]);
  for (const s of kept) {
    points.add(s.start);
    points.add(s.end);
  }
  for (const c of cuts) if (c > 0 && c < length) points.add(c);
  const bounds = [...points].sort((a, b) => a - b);
  const byLane = (a, b) => lanes.get(a.id) - lanes.get(b.id);
  const segments = [];
  for (let i = 0; i + 1 < bounds.length; i += 1) {
    const start = bounds[i];
    const end = bounds[i + 1];
    const over = kept.filter((s) => s.start <= start && s.end >= end).sort(byLane);
    segments.push({
      start,
      end,
      ids: over.map((s) => s.id),
      opening: over.filter((s) => s.start === start).map((s) => s.id),
      closing: over
        .filter((s) => s.end === end)
        .sort((a, b) => b.start - a.start || a.end - b.end || lanes.get(b.id) - lanes.get(a.id))
        .map((s) => s.id),
    });
  }
  return { lanes, laneCount: count, segments };
}
