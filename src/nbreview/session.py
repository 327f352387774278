"""One annotator working through a review: navigation, answers, undo — everything but pixels.

The widget forwards browser messages here and shows the `view()` it returns, so the
whole interaction is testable from Python without a browser.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from .keys import CHUNK
from .questions import AnswerError
from .store import Change, RecordState

if TYPE_CHECKING:
    from .review import Review

DONE = ("submitted", "skipped")
BLOCK = 256


def _jsonable(value: Any) -> Any:
    """Dataset values as the browser can take them (dates, bytes and numpy scalars as text)."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


class Session:
    """The cursor, the undo stack and the counts of one annotator in one review."""

    def __init__(self, review: Review):
        self.review = review
        self.status: dict[str, str] = review.store.statuses(review.name, review.annotator)
        self.counts = review._count_statuses(self.status)
        self.undo_stack: list[tuple[int, int]] = []  # (change id, row position)
        self.pending_seconds: dict[str, float] = {}
        self.ack = 0
        self.notice: dict | None = None
        self.done = False
        self.position: int | None = self.first_open()

    # -- where to go -------------------------------------------------------------------------

    def _open_from(self, start: int, stop: int) -> int | None:
        """Scan keys in small blocks: the next open record is nearly always close by."""
        keys = self.review.keys
        position = start
        while position < stop:
            first = (position // CHUNK) * CHUNK
            chunk = keys.chunk(position // CHUNK)
            end = min(stop, first + len(chunk), position + BLOCK)
            for i, key in enumerate(chunk.slice(position - first, end - position).to_pylist()):
                if self.status.get(key) not in DONE:
                    return position + i
            position = end
        return None

    def first_open(self) -> int | None:
        """The first record in queue order without a submitted or skipped answer."""
        n = len(self.review.source)
        if n == 0:
            return None
        found = self._open_from(0, n)
        return 0 if found is None else found

    def next_open(self, after: int) -> int | None:
        n = len(self.review.source)
        found = self._open_from(after + 1, n)
        return found if found is not None else self._open_from(0, after + 1)

    def goto(self, position: int) -> None:
        self.position = self.review.source.check_position(position)
        self.done = False

    # -- messages ----------------------------------------------------------------------------

    def handle(self, message: dict) -> None:
        """Apply one browser message; a bad one becomes a notice, never an exception."""
        self.notice = None
        try:
            self._dispatch(message)
        except (ValueError, IndexError) as exc:
            self.notice = {"kind": "error", "text": str(exc)}
        finally:
            seq = message.get("seq")
            if isinstance(seq, int):
                self.ack = max(self.ack, seq)

    def _dispatch(self, message: dict) -> None:
        kind = message.get("type")
        if self.position is not None and isinstance(message.get("elapsed_ms"), (int, float)):
            key = self.review.keys.key(self.position)
            seconds = max(0.0, float(message["elapsed_ms"]) / 1000)
            self.pending_seconds[key] = self.pending_seconds.get(key, 0.0) + seconds
        if kind == "nav":
            return self._nav(message.get("to"))
        if kind == "undo":
            return self.undo()
        if kind not in ("answer", "accept", "submit", "skip"):
            raise ValueError(f"unknown message type {kind!r}")
        if self.position is None:
            raise ValueError("there is no record to answer")
        key = self.review.keys.key(self.position)
        if message.get("key") != key:
            raise ValueError("that answer was for another record; it was not saved")
        if kind == "answer":
            answers = {message.get("question"): message.get("value")}
            return self.answer(answers, submit=bool(message.get("submit")))
        if kind == "accept":
            return self.accept()
        return self.finish("submitted" if kind == "submit" else "skipped")

    def _nav(self, to: Any) -> None:
        n = len(self.review.source)
        if self.position is None:
            return
        if to in ("next", "prev"):
            target = self.position + (1 if to == "next" else -1)
            if not 0 <= target < n:
                edge = "last" if to == "next" else "first"
                self.notice = {"kind": "info", "text": f"This is the {edge} record."}
                return
            self.goto(target)
        else:
            self.goto(to)

    def _state(self, position: int) -> RecordState:
        review = self.review
        return review.store.record(review.name, review.annotator, review.keys.key(position))

    # -- changes -----------------------------------------------------------------------------

    def _write(self, position: int, answers: dict, status: str | None) -> None:
        review = self.review
        key = review.keys.key(position)
        change = Change(
            review=review.name,
            annotator=review.annotator,
            record=key,
            answers=answers,
            status=status,
            seconds=self.pending_seconds.pop(key, 0.0),
        )
        change_id = review.store.write(change)
        self.undo_stack.append((change_id, position))
        if status is not None:
            self._set_status(key, status)

    def _set_status(self, key: str, status: str | None) -> None:
        old = self.status.get(key)
        if old == status:
            return
        if old is not None:
            self.counts[old] -= 1
        if status is None:
            self.status.pop(key, None)
        else:
            self.status[key] = status
            self.counts[status] += 1

    def answer(self, answers: dict, submit: bool = False) -> None:
        review = self.review
        answers = review.questions.validate(answers)
        if submit:
            state = self._state(self.position)
            missing = review.questions.missing({**state.answers, **answers})
            if not missing:
                self._write(self.position, answers, "submitted")
                return self._advance()
        self._write(self.position, answers, "draft")

    def accept(self) -> None:
        pending = self.suggestions(self.position)
        if not pending:
            self.notice = {"kind": "info", "text": "No suggestions to accept."}
            return
        self._write(self.position, pending, "draft")

    def finish(self, status: str) -> None:
        review = self.review
        if status == "submitted":
            state = self._state(self.position)
            missing = review.questions.missing(state.answers)
            if missing:
                raise AnswerError(f"Answer the required questions first: {', '.join(missing)}")
        self._write(self.position, {}, status)
        self._advance()

    def _advance(self) -> None:
        following = self.next_open(self.position)
        if following is None:
            self.done = True
        else:
            self.position = following
            self.done = False

    def undo(self) -> None:
        if not self.undo_stack:
            self.notice = {"kind": "info", "text": "Nothing to undo."}
            return
        change_id, position = self.undo_stack.pop()
        review = self.review
        key = review.store.undo(change_id)
        self._set_status(key, review.store.record(review.name, review.annotator, key).status)
        self.goto(position)

    # -- what the browser sees ---------------------------------------------------------------

    def suggestions(self, position: int) -> dict[str, Any]:
        """Suggested answers for the questions this annotator has not answered yet."""
        review = self.review
        state = self._state(position)
        asked = [q for q in review.questions if q.suggestion and q.name not in state.answers]
        if not asked:
            return {}
        values = review.source.row(position, [q.suggestion for q in asked])
        out = {}
        for q in asked:
            value = values[q.suggestion]
            if isinstance(value, float) and value.is_integer():
                value = int(value)  # pandas stores an int column with nulls as floats
            try:
                value = q.validate(value)
            except (AnswerError, TypeError):
                continue
            if value is not None:
                out[q.name] = value
        return out

    def record_view(self, position: int) -> dict:
        review = self.review
        key = review.keys.key(position)
        state = review.store.record(review.name, review.annotator, key)
        columns = [f.column for f in review.fields]
        for q in review.questions:  # a question may target a column that is not shown
            columns += [c for c in q.target_columns() if c not in columns]
        return {
            "key": key,
            "row": position,
            "fields": _jsonable(review.source.row(position, columns)),
            "answers": state.answers,
            "suggestions": self.suggestions(position),
            "status": state.status,
        }

    def view(self) -> dict:
        total = len(self.review.source)
        return {
            "ack": self.ack,
            "position": self.position,
            "total": total,
            "record": None if self.position is None else self.record_view(self.position),
            "progress": self.review._progress_dict(total, self.counts),
            "done": self.done,
            "notice": self.notice,
            "can_undo": bool(self.undo_stack),
        }


def count_statuses(keys: pa.Array, status: dict[str, str]) -> Counter:
    """Rows per status, counted over the dataset's keys so stale store entries don't count."""
    counts: Counter = Counter(dict.fromkeys(("draft", *DONE), 0))
    for name in counts:
        chosen = [k for k, s in status.items() if s == name]
        if chosen and len(keys):
            counts[name] = pc.sum(pc.is_in(keys, value_set=pa.array(chosen, pa.string()))).as_py()
    return counts
