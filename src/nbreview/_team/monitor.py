"""`review.monitor(every=10)`: the lead's live view of the team's work, read from the store.

A background thread rebuilds the view every `every` seconds while a page shows it (the
front end says so with a "seen" message each period; no message for three periods and the
thread only waits), so it never runs on a reviewer's path and costs nothing when hidden.
It reads what quality() reads: progress per annotator and per assignment, gold accuracy and
submitted per hour at every refresh; agreement so far, competence and the flags, which fit
every answer, from a second thread at most every 30 s (or 5 periods) while the work
changes; and a small bar chart drawn as inline SVG made here (no script, no CDN). Every
name and figure is escaped: annotator names come from pages.
"""

from __future__ import annotations

import copy
import html
import logging
import math
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import anywidget
import pandas as pd
import pyarrow.compute as pc
import traitlets

if TYPE_CHECKING:
    from ..review import Review

log = logging.getLogger("nbreview")
SLOW = 30  # seconds: the slow figures are refitted at most this often (or 5 periods)

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


@dataclass
class Slow:
    """What a monitor refits in a thread of its own, at most every `slow` seconds while
    answers come in: quality()'s agreement, competence and flags, and agreement()'s alphas."""

    at: float  # time.time() when they were read
    quality: pd.DataFrame
    alphas: pd.DataFrame


def snapshot(review: Review, slow: Slow | None = None) -> str:
    """The monitor's HTML now: progress, time and gold accuracy read from the store now; the
    figures that fit every answer (agreement, competence, flags) as of `slow`."""
    from .quality import progress

    team = progress(review)
    if slow is not None:
        keep = ["annotator", "agreement", "competence", "flag"]
        team = team.merge(slow.quality[keep], on="annotator", how="left")
    counts = dict(zip(team["annotator"], team["submitted"].astype(int), strict=True))
    assignments = review.assignments()
    per_assignment = _table(
        assignments, ["annotator", "assigned", "submitted", "remaining"], "nbr-monitor-assign"
    )
    table = _table(team, TEAM_COLUMNS, "nbr-monitor-team")
    stamp = time.strftime("%H:%M:%S")
    if slow is None:
        alphas, fitted = "", "agreement, competence and flags are being computed"
    else:
        alphas = _table(slow.alphas, ["question", "level", "alpha", "records"], "nbr-monitor-alpha")
        when = time.strftime("%H:%M:%S", time.localtime(slow.at))
        fitted = f"agreement, competence and flags as of {when}"
    return (
        '<div class="nbr-monitor-body" style="font-family: var(--jp-ui-font-family, '
        'sans-serif); font-size: 13px">'
        f"<div><strong>{html.escape(review.name)}</strong>: {len(review.source)} records, "
        f"{sum(counts.values())} answers submitted · updated {stamp}</div>"
        f'{chart(counts)}<h4>Team</h4>{table}<div class="nbr-monitor-fitted">{fitted}</div>'
        + (f"<h4>Assignments</h4>{per_assignment}" if per_assignment else "")
        + f"<h4>Agreement so far</h4>{alphas}</div>"
    )


def state(review: Review) -> tuple:
    """A cheap sign that the store's work changed: rows, latest change, time on screen."""
    times = review.store.times(review.name)
    at, seconds = times["annotated_at"], times["seconds"]
    if not len(at):
        return (0,)
    return (times.num_rows, pc.max(at).as_py(), pc.sum(seconds).as_py())


def reader(review: Review) -> Review:
    """The review as a monitor reads it: on SQLite, through a connection of its own.

    A SQLite store is one connection behind one lock, so a monitor reading 100,000 records
    every few seconds (and every answer at a refit) through the reviewer's own store made
    each of their key presses in the same kernel wait for the read to finish; a second
    connection reads beside the writer (the store is in WAL mode). PostgreSQL's store hands
    each thread a connection of its pool already."""
    from ..store.sqlite import SQLiteStore

    if not isinstance(review.store, SQLiteStore):
        return review
    view = copy.copy(review)  # the same review, data, questions and caches; reads only
    view.store = SQLiteStore(review.store.path)
    return view


def check_every(every: Any) -> float:
    if isinstance(every, bool) or not isinstance(every, (int, float)) or not every > 0:
        raise ValueError(f"monitor every= is a number of seconds above 0, got {every!r}")
    return float(every)


class Monitor(anywidget.AnyWidget):
    """The live view; `stop()` (or closing the widget) ends its threads.

    Each refresh (every `every` s while shown) reads the store's progress and gold records
    only (well under a second on 100,000 answers); the figures that fit every answer are
    refitted in a second thread at most every `slow` s, and only when the work changed,
    so a reviewer answering in the same kernel is not slowed by a fit every refresh.
    """

    _esm = ESM
    html = traitlets.Unicode("").tag(sync=True)
    every = traitlets.Float(10).tag(sync=True)

    def __init__(self, review: Review, every: float = 10, **kwargs: Any):
        super().__init__(every=check_every(every), **kwargs)
        self.review = reader(review)
        self._shared_store = review.store  # the reviewer's: never closed here
        self.slow_every = max(SLOW, 5 * self.every)
        self.seen_at = 0.0  # when a page last said it shows the monitor
        self.refreshes = 0
        self.error: str | None = None
        self.slow: Slow | None = None
        self._slow_state: tuple | None = None  # the store's state the slow figures are of
        self._fitting: threading.Thread | None = None
        self._lock = threading.Lock()  # one redraw at a time (the fit's thread redraws too)
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
        """Read the store and redraw (a failure is shown in the view, never raised); start
        a refit of the slow figures when they are due."""
        self._draw()
        self.refreshes += 1
        if self.error is None:
            self._fit_if_due()

    def _draw(self) -> None:
        with self._lock:
            try:
                self.html = snapshot(self.review, self.slow)
                self.error = None
            except Exception as exc:  # the store away, say: the monitor says so and goes on
                log.exception("nbreview monitor could not refresh")
                self.error = str(exc)
                self.html = (
                    f"<div>The monitor could not read the store: {html.escape(str(exc))}</div>"
                )

    def _fit_if_due(self) -> None:
        if self._fitting is not None and self._fitting.is_alive():
            return
        if self.slow is not None and time.time() - self.slow.at < self.slow_every:
            return
        try:
            now = state(self.review)
        except Exception:  # shown by the next refresh
            return
        if self.slow is not None and now == self._slow_state:
            return  # nothing new since the last fit
        self._fitting = threading.Thread(
            target=self._fit, args=(now,), name="nbreview-monitor-fit", daemon=True
        )
        self._fitting.start()

    def _fit(self, now: tuple) -> None:
        try:
            at = time.time()
            self.slow = Slow(at, self.review.quality(), self.review.agreement())
            self._slow_state = now
        except Exception:  # the last figures stay; the next due refit tries again
            log.exception("nbreview monitor could not fit agreement and competence")
            return
        if not self._stop.is_set():
            self._draw()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            if self.shown():
                self.refresh()

    def stop(self) -> None:
        self._stop.set()

    def close(self) -> None:
        self.stop()
        for thread in (getattr(self, "_thread", None), self._fitting):
            if thread is not None and thread is not threading.current_thread():
                thread.join()
        if self.review.store is not self._shared_store:
            self.review.store.close()  # the connection reader() opened
        super().close()
