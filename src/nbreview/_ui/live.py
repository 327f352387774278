"""The review as this kernel works it: who answers, the queue they are handed and its order,
their qualification, and the session and widget once shown: `review.live`.

The layers that act on a review go through here, never through the review's private
attributes: a served page says who answers (`answer_as`), a re-rank keeps its new
`order`, `similar` and `queue()` set a queue (`use_queue`), assignments hand the queue out
again (`rehand`), a background thread shows the view again (`refresh`).
"""

from __future__ import annotations

import warnings
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np

from .._data import filter_sql
from .._data.queue import Queue, as_queue
from .._serve.annotator import refuse_reserved
from .._team import gold as golden
from .._team.qualify import Tracker
from ..context import check_name
from .session import Session

if TYPE_CHECKING:
    from ..review import Review


class Live:
    """One annotator's queue, order, qualification, session and widget, in this kernel."""

    def __init__(self, review: Review, annotator: str | None, queue: Queue, given: bool):
        self.review = review
        self.annotator = annotator  # None on a served page until its visitor says who they are
        self.queue, self.given = queue, given  # given: queue= was passed (kept for them)
        # A status queue needs the store; the rest of it is checked before the store opens.
        self.order = self.order_of(replace(queue, status=None))
        self.qualifier = Tracker(review)  # qualify=: this annotator's test, read once
        self.session: Session | None = None
        self.widget: Any = None

    def order_of(self, queue: Queue) -> np.ndarray | None:
        """The queue's row positions (None: every record in order)."""
        return None if queue.is_everything else queue.positions(self.review)

    def open(self) -> Session:
        """The session, made once: the annotator's cursor, undo history and queue."""
        if self.session is None:
            order = golden.hand_out(self.review, self.order)
            self.session = Session(self.review, order, self.queue)
        return self.session

    def show(self) -> Any:
        """The widget, made once: displaying the review again shows the same live view."""
        if self.widget is None:
            from .page import PageWidget

            self.widget = PageWidget(self.review)
        return self.widget

    def refresh(self) -> None:
        """Show the view again, when a widget shows it."""
        if self.widget is not None:
            self.widget.refresh()

    def answer_as(self, name: str) -> None:
        """A served page's visitor said who they are: their queue, then (later) their session."""
        if self.annotator is not None:
            raise ValueError(f"this review already answers as {self.annotator!r}")
        self.annotator = refuse_reserved(check_name("annotator", name), "the name")
        try:
            self.settle()
        except BaseException:
            self.annotator = None
            raise

    def settle(self) -> None:
        """The annotator's queue: the one given (kept for them), else the one they last set."""
        review = self.review
        if not self.given:
            self._restore()
            return
        if self.queue.status is not None:
            self.order = self.order_of(self.queue)
        review.store.set_setting(review.name, review.annotator, "queue", self.queue.spec())

    def _restore(self) -> None:
        """Reopen with the queue this annotator last set, when it still applies."""
        review = self.review
        saved = review.store.setting(review.name, review.annotator, "queue")
        if not saved:
            return
        try:
            queue = as_queue(saved)
            with filter_sql.time_limit():  # a filter planted for this annotator: bounded
                self.order, self.queue = self.order_of(queue), queue
        except ValueError as exc:
            warnings.warn(f"the saved queue {saved!r} no longer applies ({exc})", stacklevel=3)

    def use_queue(self, queue: Queue) -> None:
        """Review this queue from now on: saved for the annotator, handed to the session."""
        if self.annotator is None:  # still asking who: kept, and saved once the name is known
            self.order = self.order_of(replace(queue, status=None))
            self.queue, self.given = queue, True
            return
        order = self.order_of(queue)  # fails before anything changes
        review = self.review
        review.store.set_setting(review.name, review.annotator, "queue", queue.spec())
        self.queue, self.order = queue, order
        if self.session is not None:
            self.session.use_queue(queue, golden.hand_out(review, order))
            self.refresh()

    def rehand(self) -> None:
        """Assignments changed: this kernel's own session walks the new hand-out at once."""
        if self.session is not None and self.annotator is not None:
            self.session.use_queue(self.queue, golden.hand_out(self.review, self.order))
            self.refresh()
