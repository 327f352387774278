"""One annotator working through a review: navigation, answers, undo — everything but pixels.

The widget forwards browser messages here and shows the `view()` it returns, so the
whole interaction is testable from Python without a browser. A message is acknowledged
only once what it changes is stored: when the store fails, the view says "Not saved",
the ack stays where it was, and the browser sends the message again (docs/protocol.md).
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np

from .._data.queue import Queue
from .._model.similar import similar_here
from .._team.gold import hand_out
from ..questions import AnswerError
from ..store import Change, StoreUnavailable
from ..store.base import Move
from ..store.expect import RecordChanged
from .budget import Budget
from .channels import Channels
from .cursor import CLAIM_TTL, Cursor, Seat
from .feedback import GoldFeedback
from .messages import RECORD_TYPES, Message, Refused, clip, header, parse
from .presence import SEAT_TTL
from .replay import Replay
from .view import ViewBuilder

if TYPE_CHECKING:
    from ..review import Review
    from .presence import Presence

ADVANCE_WAITS = (0.1, 0.3, 0.6)  # pauses before the next record's claim is tried again


def _locked(method: Callable) -> Callable:
    """Run the method holding the session's lock."""

    @functools.wraps(method)
    def run(self: Session, *args: Any, **kwargs: Any) -> Any:
        with self.lock:
            return method(self, *args, **kwargs)

    return run


class Session:
    """The cursor, the undo stack, the time on screen and the acks of one annotator."""

    def __init__(self, review: Review, order: np.ndarray | None = None, queue: Queue | None = None):
        self.review = review
        seat = Seat(review.store, review.name, review.annotator, review.overlap)
        self.cursor = Cursor(review.keys, len(review.source), seat, order)
        self.views = ViewBuilder(review, self.cursor)
        self.queue = Queue() if queue is None else queue
        self.channels = Channels()
        self.budget = Budget(review)  # what this annotator's answers may take (Review(budget=))
        self.replay = Replay()  # records shown while a view's messages waited (a fault)
        # Held while a change is applied: a background thread (a re-rank in plain Python,
        # where no event loop serializes it) waits for a submit under way to finish.
        self.lock = threading.RLock()
        self.undo_stack: list[tuple[int, int]] = []  # (change id, row position)
        # After a restart the store's history goes on where the last undo stack stopped.
        self._stored_undo = review.store.last_change(review.name, review.annotator) is not None
        self.pending_seconds: dict[str, float] = {}  # time on screen not yet stored, by record
        self.notice: dict | None = None
        self.fault: str | None = None  # why the last message could not be stored
        self.page_start: int | None = None  # first queue index of the queue table, if open
        self._wrote = False  # whether the message being handled has stored its change
        self._replying = False  # whether the next view() is the reply to a message
        # Raises ValueError when another window of this annotator is on the record: set by
        # _ui/presence.py, so one name open in two places never overwrites itself.
        self.hold: Callable[..., None] = lambda key, moving=True: None
        self.presence: Presence | None = None  # this window's seat, when a page shows it
        self._moved = False  # whether the last write's transaction moved on (store.Move)
        # gold_feedback=True: a gold record's expected answers, after its submit
        # (and qualify=: after each qualification record)
        shown = getattr(review, "gold_feedback", False) or getattr(review, "qualify", None)
        self.feedback = GoldFeedback(review) if shown else None

    # -- what the widget and Review read ------------------------------------------------------

    @property
    def position(self) -> int | None:
        return self.cursor.position

    @property
    def done(self) -> bool:
        return self.cursor.done

    @property
    def ack(self) -> int:
        return self.channels.ack()

    @property
    def others(self) -> dict | None:
        return self.views.others

    @others.setter
    def others(self, value: dict | None) -> None:
        self.views.others = value

    def queue_len(self) -> int:
        return self.cursor.queue_len()

    def row_at(self, index: int) -> int:
        return self.cursor.row_at(index)

    def suggestions(self, position: int) -> dict[str, Any]:
        return self.views.suggestions(position)

    def goto(self, position: Any) -> None:
        self.cursor.goto(self.review.source.check_position(position))

    def use_queue(
        self, queue: Queue, order: np.ndarray | None, within: np.ndarray | None = None
    ) -> None:
        """Review this queue from now on (its order computed by the caller). `within`: the
        only rows this session reviews from now on (the disputed ones, to adjudicate), in
        their order: the widget's search and status menu choose among them, and the progress
        bar counts them alone."""
        if within is not None:
            self.cursor.scope = within
        self.queue = queue
        self.cursor.set_order(order)
        if self.page_start is not None:
            self.page_start = 0

    def mark(self, key: str, status: str | None) -> None:
        """A record's status changed in the store (from code, say): keep counts in step."""
        self.cursor.mark(key, status)
        self.views.forget()

    # -- messages ----------------------------------------------------------------------------

    @_locked
    def handle(self, message: Any) -> None:
        """Apply one browser message; a bad one becomes a notice, never an exception."""
        self.notice, self._wrote, self._replying = None, False, True
        self.views.begin()
        try:
            seq, view = header(message)
        except Refused as exc:  # not even a number to acknowledge it by
            self.notice = {"kind": "error", "text": clip(f"Refused a message: {exc}")}
            return
        if seq is not None:
            verdict = self.channels.verdict(view, seq)
            if verdict != "next":  # a resend already stored, or a gap: nothing to do
                if verdict == "ahead":  # behind one not stored yet, or a number made up
                    if self.fault is not None:
                        self.replay.waited(view, seq, self.cursor.key, self.cursor.position)
                    self.notice = self._unsaved() or {
                        "kind": "error",
                        "text": "Refused a message out of order.",
                    }
                return
        try:
            checked = parse(message, len(self.review.source), (seq, view))
        except Refused as exc:
            self.notice = {"kind": "error", "text": clip(f"Refused a message: {exc}")}
            if seq is not None:
                self.channels.handled(view, seq)
            return
        self._apply(checked)

    def _apply(self, message: Message) -> None:
        where = (self.cursor.position, self.cursor.done)
        time_before = dict(self.pending_seconds)
        try:
            self._dispatch(message)
            if self.cursor.position is not None:  # the record shown next must be readable
                self.views.state(self.cursor.key)
        except StoreUnavailable as exc:
            if not self._wrote:  # nothing stored: as if the message had not come
                self.cursor.position, self.cursor.done = where
                self.pending_seconds = time_before
                self.fault = str(exc)
                self.notice = self._unsaved()
                self.replay.waited(message.view, message.seq, self.cursor.key, where[0])
                return
            self.notice = {"kind": "error", "text": clip(f"Saved, but then: {exc}")}
        except (ValueError, IndexError) as exc:  # refused: AnswerError, StoreError, a bad row
            self.notice = {"kind": "error", "text": clip(str(exc))}
        self.fault = None
        if message.seq is not None:
            self.channels.handled(message.view, message.seq)
            self.replay.handled(message.view, message.seq)

    def _unsaved(self) -> dict | None:
        """The notice while a message waits to be stored: what failed, said at once."""
        return (
            None
            if self.fault is None
            else {"kind": "unsaved", "text": clip(f"Not saved: {self.fault}")}
        )

    def _dispatch(self, message: Message) -> None:
        kind, body = message.type, message.body
        if kind in RECORD_TYPES and body["key"] != self.cursor.key:
            self._back_to(message)
        key = self.cursor.key
        if key is not None and message.seconds:
            self.pending_seconds[key] = self.pending_seconds.get(key, 0.0) + message.seconds
        if kind == "nav":
            return self._nav(body["to"])
        if kind == "queue":
            return self._set_queue(body["search"], body["status"])
        if kind == "queue_page":
            self.page_start = body["start"]
            return None
        if kind == "undo":
            return self.undo()
        if kind == "similar":  # the `m` key: records like the one on screen (_model/similar.py)
            return similar_here(self)
        if key is None:
            raise ValueError("there is no record to answer")
        if body["key"] != key:
            raise ValueError("that answer was for another record; it was not saved")
        self.hold(key, moving=kind in ("submit", "skip") or body.get("submit", False))
        if kind == "answer":
            record = self.record_values(self.cursor.position)
            # Browser units (UTF-16 span offsets) become the kernel's before validation.
            answers = self.review.questions.from_browser({body["question"]: body["value"]}, record)
            return self.answer(answers, submit=body["submit"])
        if kind == "accept":
            return self.accept()
        return self.finish("submitted" if kind == "submit" else "skipped")

    def _back_to(self, message: Message) -> None:
        """A resent change made on a record the page showed while the store failed: go back
        to that record (storing the time on the one left) so the change lands on it."""
        position = self.replay.position(message.view, message.seq, message.body["key"])
        if position is not None:
            self.leave()
            self.cursor.goto(position)

    def _nav(self, to: Any) -> None:
        if self.cursor.position is None:
            return
        if to not in ("next", "prev"):
            self.leave()
            return self.goto(to)
        target = self.cursor.step(forward=to == "next")
        if target is None:
            edge = "last" if to == "next" else "first"
            self.notice = {"kind": "info", "text": f"This is the {edge} record of the queue."}
            return
        self.leave()
        self.cursor.goto(target)

    def _set_queue(self, search: str | None, status: Any) -> None:
        """The widget's search box and status menu: the filter and sort set from code stay."""
        queue = replace(self.queue, search=search or None, status=status or None)
        order = None if queue.is_everything else queue.positions(self.review)
        scope = self.cursor.scope
        if scope is not None:  # among the session's rows, in their order
            order = scope if order is None else scope[np.isin(scope, order)]
        self.leave()
        review = self.review
        review.store.set_setting(review.name, review.annotator, "queue", queue.spec())
        self.use_queue(queue, hand_out(review, order))  # gold_rate: gold records mixed in

    # -- changes -----------------------------------------------------------------------------

    def leave(self) -> None:
        """Store the time spent on the record shown before another one is shown."""
        key = self.cursor.key
        seconds = self.pending_seconds.get(key, 0.0) if key is not None else 0.0
        if seconds > 0:
            review = self.review
            review.store.add_seconds(review.name, review.annotator, key, seconds)
            self.pending_seconds.pop(key, None)

    def _write(self, answers: dict, status: str | Callable[[dict], str], moves=False) -> str:
        """Store a change to the record on screen; its new status (`status` may decide it
        from the record's answers, in the write's transaction: nothing is read before).
        `moves`: a change that leaves the record done moves on in the same transaction."""
        review, position = self.review, self.cursor.position
        key = self.cursor.key_at(position)
        seconds = self.pending_seconds.get(key, 0.0)
        adding = self.budget.admit(answers, lambda: self.views.state(key).answers)
        expect = self.views.shown.expect(key)  # another window's answer is never replaced
        move, rows = self._next() if moves else (None, {})
        change = Change(review.name, review.annotator, key, answers, status, seconds, expect=expect,
                        move=move)  # fmt: skip
        try:
            state = review.store.write(change)  # the record's new state: nothing is read after
        except RecordChanged:
            raise self._changed_elsewhere(key) from None
        self._wrote = True
        self.budget.stored(adding)
        self.views.shown.saw(key, state)
        self.pending_seconds.pop(key, None)
        self.views.remember(key, state)
        self.undo_stack.append((state.change, position))
        self.cursor.mark(key, state.status)
        if state.status == "submitted" and self.feedback is not None:
            self.feedback.submitted(position, key)
        self._moved = self._arrive(state.moved, rows)
        return state.status

    def _next(self) -> tuple[Move | None, dict[str, int]]:
        """What a submit's transaction does once the record is done (store.Move): the next
        open records (with overlap=k, those to claim from) and this window's seat; their rows."""
        keys, rows = self.cursor.candidates()
        if not keys:
            return None, {}
        presence = self.presence
        seat = presence.seat if presence is not None and presence.enabled else None
        move = Move(tuple(keys), self.cursor.seat.overlap, CLAIM_TTL, seat, SEAT_TTL)
        return move, dict(zip(keys, rows, strict=True))

    def _arrive(self, moved: tuple | None, rows: dict[str, int]) -> bool:
        """Show the record a submit's transaction moved to, with its seat and state."""
        if moved is None:
            return False
        key, others, state = moved
        self.cursor.goto(rows[key])
        if others is not None and self.presence is not None:
            self.presence.seated(key, others, moved=True)
        self.views.arrived(key, state)
        return True

    def _complete(self, record: dict, refuse: bool) -> Callable[[dict], str]:
        """The status a submit gives, from the record's answers: "submitted" when every
        required question is answered, else "draft" or (`refuse`) an AnswerError."""

        def status(answers: dict) -> str:
            missing = self.review.questions.missing(answers, record)
            if missing and refuse:
                raise AnswerError(f"Answer the required questions first: {', '.join(missing)}")
            return "draft" if missing else "submitted"

        return status

    def _advance(self) -> None:
        """After a stored submit or skip: the next record. Its claim (overlap=k) may meet a
        lock past the busy timeout; the answer is stored, so try again a few times before
        saying "Saved, but then", which would leave the reviewer on the record just done.
        Nothing to do when the write's own transaction moved on (store.Move)."""
        if self._moved:
            return None
        for wait in ADVANCE_WAITS:
            try:
                return self.cursor.advance()
            except StoreUnavailable:
                time.sleep(wait)
        return self.cursor.advance()

    def _changed_elsewhere(self, key: str) -> ValueError:
        """The record changed in the store since the page was shown it (another window of
        this name): the view shows what is stored now, and the change is refused."""
        self.views.forget()
        self.views.shown.forget(key)
        self.cursor.mark(key, self.views.state(key).status)
        return ValueError(
            f"{self.review.annotator} changed this record in another window after this page "
            "showed it: it now shows what is stored, and nothing was changed here; answer "
            "again to change it"
        )

    @_locked
    def answer(self, answers: dict, submit: bool = False) -> None:
        record = self.record_values(self.cursor.position)
        answers = self.review.questions.validate(answers, record)
        status = self._complete(record, refuse=False) if submit else "draft"
        if self._write(answers, status, moves=submit) == "submitted":
            self._advance()

    @_locked
    def accept(self) -> None:
        pending = self.suggestions(self.cursor.position)
        if not pending:
            self.notice = {"kind": "info", "text": "No suggestions to accept."}
            return
        self._write(pending, "draft")

    @_locked
    def finish(self, status: str) -> None:
        record = self.record_values(self.cursor.position)
        status_of = self._complete(record, refuse=True) if status == "submitted" else status
        self._write({}, status_of, moves=True)
        self._advance()

    def _last_change(self) -> tuple[int, int] | None:
        """The change undo reverts next: this widget's last, else the store's (a restart)."""
        if self.undo_stack:
            return self.undo_stack[-1]
        review = self.review
        stored = review.store.last_change(review.name, review.annotator)
        self._stored_undo = stored is not None
        if stored is None:
            return None
        position = self.cursor.position_of(stored[1])
        if position is None:
            raise ValueError("the last change was made on a record this dataset does not hold")
        return stored[0], position

    def undo(self) -> None:
        last = self._last_change()
        if last is None:
            self.notice = {"kind": "info", "text": "Nothing to undo."}
            return
        change_id, position = last
        self.hold(self.cursor.key_at(position))
        self.leave()
        review = self.review
        key = review.store.undo(change_id)
        if self.undo_stack:
            self.undo_stack.pop()
        else:  # one step further back in the store's history, if there is one
            self._stored_undo = review.store.last_change(review.name, review.annotator) is not None
        self._wrote = True
        self.views.forget()
        self.cursor.mark(key, self.views.state(key).status)
        self.cursor.goto(position)

    # -- what the browser sees ---------------------------------------------------------------

    def record_values(self, position: int) -> dict[str, Any]:
        """The row's values of the columns questions read (and those the view shows): what
        answers are checked against, read once per row."""
        return self.views.values(position)

    def view(self) -> dict:
        if not self._replying:  # not the reply to a message: what others stored may show
            self.views.renew()
        self._replying = False
        view = self.views.view(
            ack=self.ack,
            notice=self.notice,
            queue=self.queue.spec() or {},
            page_start=self.page_start,
            can_undo=bool(self.undo_stack) or self._stored_undo,
            offline=self.fault is not None,
        )
        return view if self.feedback is None else self.feedback.attach(view, self.cursor.position)

    def ahead(self) -> dict[str, list[dict]]:
        """The next records of the queue, for the browser to show without a round trip."""
        return self.views.ahead()

    def link(self) -> dict:
        """Per-view acks and the store's state: what each browser view needs to retry."""
        return {"acks": self.channels.acks(), "fault": self.fault}
