"""`queue(order=fn, every=k)`: the model orders the queue again after every k submitted
answers by anyone, in a background thread.

The thread counts the team's submitted answers (after each view, and every few seconds
for other kernels' answers), calls `fn(review)` through the queue when k more are in, and
hands the new order to the kernel's main thread, which keeps the record on screen where it
is: the next Enter opens the first open record of the new order. Answers are untouched.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .._data.queue import Queue
    from .loop import ModelLoop

log = logging.getLogger("nbreview")
POLL = 2.0  # seconds between counts of the team's answers when nothing happens here


class Reranker:
    def __init__(self, model: ModelLoop, queue: Queue):
        self.model, self.queue = model, queue
        self.seen: int | None = None  # submitted answers when the order was last computed
        self.reranks = 0
        self.applied = threading.Event()  # set after each new order is in place (tests)
        self.told = threading.Event()  # set once its failure notice is out (tests)
        self._wake = threading.Event()
        self._stopped = False
        self._told = False
        try:  # the order queue() just computed is this fresh: counted before any submit
            self.seen = self._submitted()
        except Exception:
            self.seen = 0
        threading.Thread(target=self._run, name="nbreview-rerank", daemon=True).start()

    def poke(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stopped = True
        self._wake.set()

    def _submitted(self) -> int:
        review = self.model.review
        return sum(
            n for _, status, n in review.store.status_counts(review.name) if status == "submitted"
        )

    def _run(self) -> None:
        while not self._stopped:
            self._wake.wait(POLL)
            self._wake.clear()
            if self._stopped:
                return
            try:
                self._check()
            except Exception as exc:  # the model failed: the queue stays as it was
                log.warning("nbreview could not re-rank the queue: %s", exc)
                if not self._told:
                    self.model.show(
                        notice={"kind": "error", "text": f"Re-ranking failed: {exc}"[:300]}
                    )
                    self._told = True
                    self.told.set()  # after the notice is out: tests wait on this

    def _check(self) -> None:
        total = self._submitted()
        if self.seen is not None and total - self.seen < (self.queue.every or 1):
            return
        self.seen = total
        from .._team.gold import hand_out

        review = self.model.review
        order = hand_out(review, self.queue.positions(review))
        self.model.on_main(lambda: self._apply(order))

    def _apply(self, order: np.ndarray | None) -> None:
        """On the main thread: the new order, the record on screen kept."""
        live = self.model.review.live
        session = live.session
        if self._stopped or session is None or session.queue is not self.queue:
            return
        cursor = session.cursor
        position, done = cursor.position, cursor.done
        cursor.set_order(order)
        if position is not None:
            cursor.position, cursor.done = position, done
        live.order = order  # later hand-outs (assignments changed) start from it
        self.reranks += 1
        self.applied.set()
        live.refresh()
