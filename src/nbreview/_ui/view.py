"""What the browser is shown: the record on screen, progress, the queue table.

When the store cannot be read, the view is built from the last state read of the record
on screen (nothing of it has changed since: every write goes through this kernel's
session, and a failed one stored nothing), so a fault never leaves the page blank.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

from .._data.fields import fields_to_browser
from .._data.queue import preview
from .._model import loop as model_loop
from ..store import RecordState, StoreUnavailable
from ..store.base import ADJUDICATOR
from .cursor import Cursor

if TYPE_CHECKING:
    from ..review import Review

TEAM_REFRESH = 30.0  # seconds between reads of the team's progress (a GROUP BY)
PAGE = 10  # entries of a page of the queue table
AHEAD = 4  # records read ahead for each of Enter and →
AHEAD_BYTES = 400_000  # at most this much JSON of them, so a long chat is not sent eight times


def jsonable(value: Any) -> Any:
    """Dataset values as the browser can take them (dates, bytes and numpy scalars as text)."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


class ViewBuilder:
    """Builds `view` dicts for one review and one cursor (docs/protocol.md, "view")."""

    def __init__(self, review: Review, cursor: Cursor):
        self.review, self.cursor = review, cursor
        self.others: dict | None = None  # adjudication: record -> annotator -> answers
        self._state: tuple[str, RecordState] | None = None  # the last record read
        self._team: tuple[float, list[dict]] | None = None  # (read at, counts per annotator)

    # -- the store, read with a fallback ------------------------------------------------------

    def state(self, key: str, offline: bool = False) -> RecordState:
        """This annotator's saved state of a record; the last one read when the store is down."""
        cached = self._state
        if offline and cached is not None and cached[0] == key:
            return cached[1]
        review = self.review
        try:
            state = review.store.record(review.name, review.annotator, key)
        except StoreUnavailable:
            if cached is not None and cached[0] == key:
                return cached[1]
            raise
        self._state = (key, state)
        return state

    def forget(self) -> None:
        """A write changed the store: the next read must see it."""
        self._state = None

    def team(self, offline: bool = False) -> list[dict]:
        """Everyone's submitted and skipped counts, when more than one person works on it.

        The others' counts are read at most every few seconds (other kernels write them); this
        annotator's own come from the cursor, so a submit shows at once. A lead's final
        answers ("adjudicated") are nobody's work on the team.
        """
        now = time.monotonic()
        review = self.review
        stale = self._team is None or now - self._team[0] > TEAM_REFRESH
        if stale and not offline:
            counts: dict[str, dict[str, int]] = {}
            for annotator, status, n in review.store.status_counts(review.name):
                if annotator not in (ADJUDICATOR, review.annotator):
                    blank = {"submitted": 0, "skipped": 0, "draft": 0}
                    counts.setdefault(annotator, blank)[status] = n
            self._team = (now, [{"annotator": a, **c} for a, c in sorted(counts.items())])
        others = [] if self._team is None else self._team[1]
        if review.annotator == ADJUDICATOR:
            return others if len(others) > 1 else []
        own = self.cursor.counts
        mine = {k: int(own.get(k, 0)) for k in ("submitted", "skipped", "draft")}
        if not any(mine.values()):
            return others if len(others) > 1 else []
        team = sorted(
            [*others, {"annotator": review.annotator, **mine}], key=lambda t: t["annotator"]
        )
        return team if len(team) > 1 else []

    # -- the record ---------------------------------------------------------------------------

    def suggestions(self, position: int, offline: bool = False) -> dict[str, Any]:
        """Suggested answers for the questions this annotator has not answered yet."""
        review = self.review
        state = self.state(review.keys.key(position), offline)
        out = model_loop.stored(review, review.keys.key(position), state.answers, offline)
        asked = [q for q in review.questions if q.suggestion and q.name not in state.answers]
        if not asked:
            return out
        columns = [q.suggestion for q in asked] + review.questions.target_columns()
        values = review.source.row(position, list(dict.fromkeys(columns)))
        for q in asked:
            value = values[q.suggestion]
            if isinstance(value, float) and value.is_integer():
                value = int(value)  # pandas stores an int column with nulls as floats
            try:
                value = q.from_suggestion(value, values)
            except (ValueError, TypeError):
                continue
            if value is not None:
                out[q.name] = value
        return out

    def record(self, position: int, offline: bool = False) -> dict:
        review = self.review
        key = review.keys.key(position)
        state = self.state(key, offline)
        columns = [f.column for f in review.fields]
        for q in review.questions:  # a question may target a column that is not shown
            columns += [c for c in q.target_columns() if c not in columns]
        values = review.source.row(position, columns)
        to_browser = review.questions.to_browser  # e.g. span offsets in UTF-16 units
        view = {
            "key": key,
            "row": position,
            "fields": jsonable(fields_to_browser(review.fields, values)),  # e.g. Steps split
            "answers": to_browser(state.answers, values),
            "suggestions": to_browser(self.suggestions(position, offline), values),
            "status": state.status,
        }
        layout = review.questions.layout(key, values)  # e.g. a preference's sides
        if layout:
            view["layout"] = layout
        if self.others is not None:
            others = self.others.get(key, {})
            view["others"] = {name: to_browser(a, values) for name, a in sorted(others.items())}
        return view

    def ahead(self, count: int = AHEAD, budget: int = AHEAD_BYTES) -> dict[str, list[dict]]:
        """The records the next Enter and → presses would show, within a byte budget.

        The browser paints one of them the moment a key is pressed and the kernel's view
        confirms it (or puts back what the kernel says) when it arrives.
        """
        out: dict[str, list[dict]] = {}
        on_screen = self._state  # reading ahead must not replace the record on screen's state
        for name, open_only in (("open", True), ("next", False)):
            records = []
            for row in self.cursor.upcoming(count, open_only):
                try:
                    record = self.record(row)
                except StoreUnavailable:
                    break
                record["index"] = self.cursor.index_of(row)
                budget -= len(json.dumps(record, ensure_ascii=False))
                if budget < 0:
                    break
                records.append(record)
            out[name] = records
        self._state = on_screen
        return out

    # -- the queue table ----------------------------------------------------------------------

    def queue_page(self, start: int, size: int = PAGE) -> dict:
        """A page of the queue table: position, a preview of the first field, status."""
        cursor, review = self.cursor, self.review
        n = cursor.queue_len()
        start = max(0, min(start, max(n - size, 0)))
        stop = min(n, start + size)
        first = review.fields[0].column if review.fields else None
        rows = []
        for index, key in zip(range(start, stop), cursor.keys_at(start, stop), strict=False):
            row = cursor.row_at(index)
            value = review.source.row(row, [first])[first] if first else None
            status = cursor.status.get(key)
            rows.append({"index": index, "row": row, "preview": preview(value), "status": status})
        return {"start": start, "size": n, "rows": rows}

    # -- the whole view -----------------------------------------------------------------------

    def view(self, *, ack: int, notice: dict | None, queue: dict, page_start: int | None,
             can_undo: bool, offline: bool = False) -> dict:  # fmt: skip
        cursor = self.cursor
        position = cursor.position
        record = None
        if position is not None:
            try:
                record = self.record(position, offline)
            except StoreUnavailable as exc:  # down, and nothing read of this record yet
                notice = notice or {"kind": "error", "text": f"Not saved: {exc}"}
                offline = True
        progress = {**cursor.progress(), "team": self._team_or(offline)}
        model_loop.ahead(self.review, cursor)  # suggestions ahead, re-ranking: in the background
        return {
            "ack": ack,
            "position": position,
            "index": cursor.index_of(position),
            "total": cursor.queue_len(),
            "rows": cursor.rows,
            "record": record,
            "progress": progress,
            "queue": {
                "spec": queue,
                "page": None if page_start is None else self.queue_page(page_start),
            },
            "done": cursor.done,
            "notice": notice,
            "can_undo": can_undo,
        }

    def _team_or(self, offline: bool) -> list[dict]:
        try:
            return self.team(offline)
        except StoreUnavailable:
            return self.team(offline=True)
