"""`review.monitor(every=10)`: the lead's live view of the team's work, read from the store.

A background thread rebuilds the view every `every` seconds while a page shows it (the
front end says so with a "seen" message each period; no message for three periods and the
thread only waits), so it never runs on a reviewer's path and costs nothing when hidden.
It reads what quality() reads: progress per annotator and per assignment, gold accuracy,
agreement so far, flags, submitted per hour, and a small bar chart drawn as inline SVG made
here (no script, no CDN). Every name and figure is escaped: annotator names come from pages.
"""

from __future__ import annotations

import html
import logging
import math
import threading
import time
from typing import TYPE_CHECKING, Any

import anywidget
import pandas as pd
import traitlets

if TYPE_CHECKING:
    from ..review import Review

log = logging.getLogger("nbreview")

ESM = """
export default {
  render({ model, el }) {
    const box = document.createElement("div");
    box.className = "nbr-monitor";
    el.append(box);
    const show = () => { box.innerHTML = model.get("html"); };  // escaped in the kernel
    const seen = () => {
      if (box.isConnected && document.visibilityState !== "hidden") model.send({ type: "seen" });
    };
    model.on("change:html", show);
    show();
    seen();
    const timer = setInterval(seen, Math.max(1, model.get("every")) * 1000);
    return () => { clearInterval(timer); model.off("change:html", show); };
  },
};
"""


TEAM_COLUMNS = [
    "annotator", "submitted", "skipped", "gold_accuracy", "agreement", "competence",
    "per_hour", "flag",
]  # fmt: skip


def _number(value: Any, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return html.escape(str(value))


def _table(frame: pd.DataFrame, columns: list[str], css: str) -> str:
    if frame.empty:
        return ""
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_number(row.get(c))}</td>" for c in columns) + "</tr>"
        for row in frame.to_dict("records")
    )
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def chart(counts: dict[str, int], width: int = 360, bar: int = 16) -> str:
    """Submitted records per annotator as horizontal bars: an SVG made here, escaped."""
    if not counts:
        return ""
    top = max(counts.values()) or 1
    label_w, gap = 110, 4
    height = len(counts) * (bar + gap)
    parts = [
        f'<svg class="nbr-monitor-chart" role="img" aria-label="submitted per annotator" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (who, n) in enumerate(counts.items()):
        y = i * (bar + gap)
        w = max(1, round((width - label_w - 40) * n / top)) if n else 0
        name = html.escape(who[:16])
        parts.append(
            f'<text x="0" y="{y + bar - 4}" font-size="12" fill="currentColor">{name}</text>'
            f'<rect class="nbr-monitor-bar" x="{label_w}" y="{y}" width="{w}" height="{bar}" '
            f'fill="#4c78a8"><title>{name}: {n}</title></rect>'
            f'<text x="{label_w + w + 4}" y="{y + bar - 4}" font-size="12" '
            f'fill="currentColor">{n}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def snapshot(review: Review) -> str:
    """The monitor's HTML now: every figure read from the store."""
    progress = review.progress_by_annotator()
    quality = review.quality()
    merged = progress.merge(quality, on=["annotator"], how="left", suffixes=("", "_q"))
    assignments = review.assignments()
    agreement = review.agreement()
    counts = dict(zip(progress["annotator"], progress["submitted"].astype(int), strict=True))
    per_assignment = _table(
        assignments, ["annotator", "assigned", "submitted", "remaining"], "nbr-monitor-assign"
    )
    team = _table(merged, TEAM_COLUMNS, "nbr-monitor-team")
    alphas = _table(agreement, ["question", "level", "alpha", "records"], "nbr-monitor-alpha")
    stamp = time.strftime("%H:%M:%S")
    return (
        '<div class="nbr-monitor-body" style="font-family: var(--jp-ui-font-family, '
        'sans-serif); font-size: 13px">'
        f"<div><strong>{html.escape(review.name)}</strong>: {len(review.source)} records, "
        f"{sum(counts.values())} answers submitted · updated {stamp}</div>"
        f"{chart(counts)}<h4>Team</h4>{team}"
        + (f"<h4>Assignments</h4>{per_assignment}" if per_assignment else "")
        + f"<h4>Agreement so far</h4>{alphas}</div>"
    )


def check_every(every: Any) -> float:
    if isinstance(every, bool) or not isinstance(every, (int, float)) or not every > 0:
        raise ValueError(f"monitor every= is a number of seconds above 0, got {every!r}")
    return float(every)


class Monitor(anywidget.AnyWidget):
    """The live view; `stop()` (or closing the widget) ends its thread."""

    _esm = ESM
    html = traitlets.Unicode("").tag(sync=True)
    every = traitlets.Float(10).tag(sync=True)

    def __init__(self, review: Review, every: float = 10, **kwargs: Any):
        super().__init__(every=check_every(every), **kwargs)
        self.review = review
        self.seen_at = 0.0  # when a page last said it shows the monitor
        self.refreshes = 0
        self.error: str | None = None
        self._stop = threading.Event()
        self.refresh()
        self.on_msg(self._on_message)
        self._thread = threading.Thread(target=self._run, name="nbreview-monitor", daemon=True)
        self._thread.start()

    def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "seen":
            self.seen_at = time.monotonic()

    def shown(self) -> bool:
        return time.monotonic() - self.seen_at < 3 * self.every

    def refresh(self) -> None:
        """Read the store and redraw (a failure is shown in the view, never raised)."""
        try:
            self.html = snapshot(self.review)
            self.error = None
        except Exception as exc:  # the store away, say: the monitor says so and goes on
            log.exception("nbreview monitor could not refresh")
            self.error = str(exc)
            self.html = f"<div>The monitor could not read the store: {html.escape(str(exc))}</div>"
        self.refreshes += 1

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            if self.shown():
                self.refresh()

    def stop(self) -> None:
        self._stop.set()

    def close(self) -> None:
        self.stop()
        super().close()
