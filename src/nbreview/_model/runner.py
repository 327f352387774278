"""Suggestions for the records the reviewer sees next, computed in a background thread.

The view asks for the record on screen and the queue ahead (`want`, on the kernel's main
thread: it only hands over a list). The thread skips records whose suggestions are stored,
calls the callable a batch at a time, stores each batch whole, and asks the widget to show
the record on screen again when its suggestions arrive. When the reviewer moves on, the
thread starts over from the new list after the batch in hand; while keys come faster than
one per 50 ms it waits, so a burst of keys never shares the kernel with it. A failure is
told once.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

import numpy as np

from .suggest import BatchFailed, Suggester, outcomes

if TYPE_CHECKING:
    from .loop import ModelLoop

log = logging.getLogger("nbreview")
QUIET = 0.05  # seconds without a new view before the thread works: a burst of keys keeps
# the GIL and the store to itself


class Runner:
    def __init__(self, loop: ModelLoop, suggesters: list[Suggester]):
        self.loop, self.suggesters = loop, suggesters
        self._wanted: list[int] = []
        self._wake = threading.Event()
        self.idle = threading.Event()
        self.idle.set()
        self._thread: threading.Thread | None = None
        self._known: dict[str, set[str]] = {s.name: set() for s in suggesters}
        self._told: set[str] = set()  # kinds of trouble already told ("failed", "invalid")
        self.told = threading.Event()  # set once a notice is on the session (tests wait on it)

    def want(self, positions: list[int]) -> None:
        """Suggest for these rows (the one on screen first) from now on; returns at once."""
        if positions == self._wanted and self.idle.is_set() and self._thread is not None:
            return
        self._wanted = list(positions)
        self.idle.clear()
        self._wake.set()
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="nbreview-ahead", daemon=True)
            self._thread.start()

    def settle(self, timeout: float = 30.0) -> bool:
        """Wait until the rows asked for are done (tests, scripts); whether they are."""
        return self.idle.wait(timeout)

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            while self._wake.wait(QUIET):  # keys still coming: work once they pause
                self._wake.clear()
            try:
                self._work(list(self._wanted))
            except Exception as exc:  # the store, say: told once, the review goes on
                log.warning("nbreview suggestions stopped: %s", exc)
                self._tell("failed", f"Suggestions failed: {exc}")
            if not self._wake.is_set():
                self.idle.set()

    def _work(self, positions: list[int]) -> None:
        review = self.loop.review
        if not positions:
            return
        keys = review.keys.take(np.asarray(positions, dtype=np.int64)).to_pylist()
        for s in self.suggesters:
            known = self._known[s.name]
            todo = [(p, k) for p, k in zip(positions, keys, strict=True) if k not in known]
            if todo:
                known |= review.store.suggested(review.name, s.name, [k for _, k in todo])
            rows = [p for p, k in todo if k not in known]
            for _, batch_keys, outcome in outcomes(review, s, rows):
                self._keep(s, batch_keys, outcome)
                if self._wake.is_set():  # the reviewer moved on: start from the new list
                    return

    def _keep(self, s: Suggester, keys: list[str], outcome) -> None:
        review = self.loop.review
        known = self._known[s.name]
        if isinstance(outcome, BatchFailed):
            known.update(keys)  # not asked again in this kernel; a reopened review retries
            log.warning("nbreview suggestions failed: %s", outcome)
            self._tell("failed", f"Suggestions failed: {outcome}")
            return
        review.store.put_suggestions(review.name, s.name, outcome.rows)
        known.update(keys)
        if outcome.invalid:
            n = sum(outcome.invalid.values())
            log.warning("nbreview dropped %d invalid suggestions, e.g. %s", n, outcome.example)
            self._tell("invalid", f"Suggestions: invalid values dropped, e.g. {outcome.example}")
        self.loop.show(keys=set(keys))

    def _tell(self, kind: str, text: str) -> None:
        if kind in self._told:
            return
        self._told.add(kind)
        self.loop.show(notice={"kind": "error" if kind == "failed" else "info", "text": text[:300]})
        self.told.set()
