"""One annotator working through a review: navigation, answers, undo — everything but pixels.

The widget forwards browser messages here and shows the `view()` it returns, so the
whole interaction is testable from Python without a browser.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .._data.keys import CHUNK
from .._data.queue import preview
from ..questions import AnswerError
from ..store import Change, RecordState

if TYPE_CHECKING:
    from ..review import Review

DONE = ("submitted", "skipped")
BLOCK = 256
TEAM_REFRESH = 30.0  # seconds between reads of the team's progress (a GROUP BY)
CLAIM_TTL = 600.0  # seconds a record stays reserved for the annotator it was handed to


def _jsonable(value: Any) -> Any:
    """Dataset values as the browser can take them (dates, bytes and numpy scalars as text)."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


class Session:
    """The cursor, the undo stack and the counts of one annotator in one review."""

    def __init__(self, review: Review, order: np.ndarray | None = None):
        self.review = review
        self.status: dict[str, str] = review.store.statuses(review.name, review.annotator)
        self.counts = (  # nothing stored yet: zeros, without computing every record's key
            review._count_statuses(self.status)
            if self.status
            else count_statuses(pa.array([], pa.string()), {})
        )
        self.undo_stack: list[tuple[int, int]] = []  # (change id, row position)
        self.pending_seconds: dict[str, float] = {}
        self.ack = 0
        self.notice: dict | None = None
        self.done = False
        self.page_start: int | None = None  # first queue index of the queue table, if open
        self._team: tuple[float, list[dict]] | None = None  # (read at, counts per annotator)
        self.set_order(order)

    # -- the queue ---------------------------------------------------------------------------

    def set_order(self, order: np.ndarray | None) -> None:
        """Review these rows in this order (None: every row in dataset order)."""
        self.order = order
        self._inverse: np.ndarray | None = None
        self.position: int | None = self.first_open()
        # Nothing left to answer (or, with overlap, nothing left for this annotator).
        self.done = self.position is not None and self._nothing_open
        if self.page_start is not None:
            self.page_start = 0

    def queue_len(self) -> int:
        return len(self.review.source) if self.order is None else len(self.order)

    def row_at(self, index: int) -> int:
        return index if self.order is None else int(self.order[index])

    def index_of(self, row: int | None) -> int | None:
        """Where a row stands in the queue, or None when the queue does not hold it."""
        if row is None or self.order is None:
            return row
        if self._inverse is None:
            self._inverse = np.full(len(self.review.source), -1, dtype=np.int64)
            self._inverse[self.order] = np.arange(len(self.order))
        index = int(self._inverse[row])
        return None if index < 0 else index

    def _keys_at(self, start: int, stop: int) -> list[str]:
        """Keys of queue entries start..stop (at most one chunk of the key cache at a time)."""
        keys = self.review.keys
        if self.order is None:
            first = (start // CHUNK) * CHUNK
            chunk = keys.chunk(start // CHUNK)
            stop = min(stop, first + len(chunk))
            return chunk.slice(start - first, stop - start).to_pylist()
        return keys.take(self.order[start:stop]).to_pylist()

    # -- where to go -------------------------------------------------------------------------

    def _open_from(self, start: int, stop: int) -> int | None:
        """The first queue index in start..stop without a submitted or skipped answer.

        Scans in small blocks: the next open record is nearly always close by.
        """
        index = start
        while index < stop:
            block = self._keys_at(index, min(stop, index + BLOCK))
            open_ = [i for i, key in enumerate(block) if self.status.get(key) not in DONE]
            if open_ and self.review.overlap is not None:
                open_ = self._claim([block[i] for i in open_], open_)
            if open_:
                return index + open_[0]
            index += len(block)
        return None

    def _claim(self, keys: list[str], offsets: list[int]) -> list[int]:
        """With overlap=k: reserve the first of these records that still needs answers."""
        review = self.review
        claimed = review.store.claim(review.name, review.annotator, keys, review.overlap, CLAIM_TTL)
        return [] if claimed is None else [offsets[keys.index(claimed)]]

    def _visible(self, index: int) -> bool:
        """With overlap=k, records others have filled are not shown unless this annotator
        touched them."""
        review = self.review
        if review.overlap is None:
            return True
        key = self._keys_at(index, index + 1)[0]
        if key in self.status:
            return True
        counts = review.store.submitted_counts(review.name, [key], exclude=review.annotator)
        return counts.get(key, 0) < review.overlap

    def first_open(self) -> int | None:
        """The row of the first record in queue order without a submitted or skipped answer."""
        n = self.queue_len()
        if n == 0:
            return None
        found = self._open_from(0, n)
        self._nothing_open = found is None
        return self.row_at(0 if found is None else found)

    def next_open(self, after: int) -> int | None:
        """The row of the next open record after queue index `after`, wrapping around once."""
        n = self.queue_len()
        found = self._open_from(after + 1, n)
        if found is None:
            found = self._open_from(0, min(after + 1, n))
        return None if found is None else self.row_at(found)

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
        if kind == "queue":
            return self.review.queue(
                search=message.get("search") or None, status=message.get("status") or None
            )
        if kind == "queue_page":
            start = message.get("start")
            self.page_start = None if start is None else max(0, int(start))
            return None
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
            # Browser units (UTF-16 span offsets) become the kernel's before validation.
            answers = self.review.questions.from_browser(answers, self.record_values(self.position))
            return self.answer(answers, submit=bool(message.get("submit")))
        if kind == "accept":
            return self.accept()
        return self.finish("submitted" if kind == "submit" else "skipped")

    def _nav(self, to: Any) -> None:
        if self.position is None:
            return
        if to not in ("next", "prev"):
            return self.goto(to)
        index = self.index_of(self.position)
        if index is None:  # a row outside the queue: step back into it at its start
            target = 0 if to == "next" else None
        else:
            target = index + (1 if to == "next" else -1)
        step = 1 if to == "next" else -1
        while target is not None and 0 <= target < self.queue_len() and not self._visible(target):
            target += step
        if target is None or not 0 <= target < self.queue_len():
            edge = "last" if to == "next" else "first"
            self.notice = {"kind": "info", "text": f"This is the {edge} record of the queue."}
            return
        self.goto(self.row_at(target))

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
        answers = review.questions.validate(answers, self.record_values(self.position))
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
        index = self.index_of(self.position)
        following = self.next_open(-1 if index is None else index)
        if following is None or following == self.position:
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

    def record_values(self, position: int) -> dict[str, Any]:
        """The row's values of the columns questions read: what answers are checked against."""
        review = self.review
        return review.source.row(position, review.questions.target_columns())

    def suggestions(self, position: int) -> dict[str, Any]:
        """Suggested answers for the questions this annotator has not answered yet."""
        review = self.review
        state = self._state(position)
        asked = [q for q in review.questions if q.suggestion and q.name not in state.answers]
        if not asked:
            return {}
        columns = [q.suggestion for q in asked] + review.questions.target_columns()
        values = review.source.row(position, list(dict.fromkeys(columns)))
        out = {}
        for q in asked:
            value = values[q.suggestion]
            if isinstance(value, float) and value.is_integer():
                value = int(value)  # pandas stores an int column with nulls as floats
            try:
                value = q.from_suggestion(value, values)
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
        values = review.source.row(position, columns)
        to_browser = review.questions.to_browser  # e.g. span offsets in UTF-16 units
        view = {
            "key": key,
            "row": position,
            "fields": _jsonable(values),
            "answers": to_browser(state.answers, values),
            "suggestions": to_browser(self.suggestions(position), values),
            "status": state.status,
        }
        layout = review.questions.layout(key, values)  # e.g. a preference's sides
        if layout:
            view["layout"] = layout
        if review._others is not None:  # adjudication: every annotator's submitted answers
            others = review._others.get(key, {})
            view["others"] = {name: to_browser(a, values) for name, a in sorted(others.items())}
        return view

    def team(self) -> list[dict]:
        """Everyone's submitted and skipped counts, when more than one person works on it.

        Read from the store at most every few seconds: other kernels write to it too.
        """
        now = time.monotonic()
        if self._team is None or now - self._team[0] > TEAM_REFRESH:
            counts: dict[str, dict[str, int]] = {}
            for annotator, status, n in self.review.store.status_counts(self.review.name):
                counts.setdefault(annotator, {"submitted": 0, "skipped": 0, "draft": 0})[status] = n
            team = [{"annotator": a, **c} for a, c in sorted(counts.items())]
            self._team = (now, team if len(team) > 1 else [])
        return self._team[1]

    def queue_page(self, start: int, size: int = 10) -> dict:
        """A page of the queue table: position, a preview of the first field, status."""
        n = self.queue_len()
        start = max(0, min(start, max(n - size, 0)))
        stop = min(n, start + size)
        review = self.review
        first = review.fields[0].column if review.fields else None
        rows = []
        for index, key in zip(range(start, stop), self._keys_at(start, stop), strict=False):
            row = self.row_at(index)
            value = review.source.row(row, [first])[first] if first else None
            rows.append(
                {
                    "index": index,
                    "row": row,
                    "preview": preview(value),
                    "status": self.status.get(key),
                }
            )
        return {"start": start, "size": n, "rows": rows}

    def view(self) -> dict:
        rows = len(self.review.source)
        return {
            "ack": self.ack,
            "position": self.position,
            "index": self.index_of(self.position),
            "total": self.queue_len(),
            "rows": rows,
            "record": None if self.position is None else self.record_view(self.position),
            "progress": {**self.review._progress_dict(rows, self.counts), "team": self.team()},
            "queue": {
                "spec": self.review._queue.spec() or {},
                "page": None if self.page_start is None else self.queue_page(self.page_start),
            },
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
