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
from . import long_fields
from .cursor import Cursor
from .shown import Shown

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
        self._fresh: str | None = None  # the record whose state is read for this message
        self._stored: tuple[str, dict] | None = None  # a record's stored suggestions
        self._row: tuple[int, dict, dict] | None = None  # the last row read: (position, values,
        # what the view makes of it once: its fields as JSON and its layout)
        shown = [f.column for f in review.fields]
        for q in review.questions:  # a question may target a column that is not shown
            shown += [c for c in q.target_columns() if c not in shown]
        self._shown = shown  # the columns a record's `fields` hold
        self._whole = set(review.questions.target_columns())  # marked or edited: never cut
        suggested = [q.suggestion for q in review.questions if q.suggestion]
        targets = review.questions.target_columns()
        self._columns = list(dict.fromkeys(shown + targets + suggested))  # all a message reads
        self._team: tuple[float, list[dict]] | None = None  # (read at, counts per annotator)
        self.shown = Shown()  # what the page was shown of each record: changes expect it

    # -- the store, read with a fallback ------------------------------------------------------

    def state(self, key: str, offline: bool = False) -> RecordState:
        """This annotator's saved state of a record, read once per message (a write returns
        it) with its stored suggestions; the last one read when the store is down."""
        cached = self._state
        if cached is not None and cached[0] == key and (offline or self._fresh == key):
            return cached[1]
        try:
            return self._read([key])[key]
        except StoreUnavailable:
            if cached is not None and cached[0] == key:
                return cached[1]
            raise

    def _read(self, keys: list[str]) -> dict[str, RecordState]:
        """Records' states and stored suggestions in one read; the first's kept as the one
        shown (for this message)."""
        review = self.review
        states = review.store.shown(review.name, review.annotator, keys)
        states = {key: states.get(key) or RecordState() for key in keys}
        self._shows(keys[0], states[keys[0]])
        return states

    def arrived(self, key: str, state: RecordState) -> None:
        """The state (with its stored suggestions) of the record a submit's transaction
        moved to: the record shown next, read in that transaction."""
        self._shows(key, state)

    def _shows(self, key: str, state: RecordState) -> None:
        self._state, self._fresh = (key, state), key
        self._stored = (key, model_loop.stored(self.review, state.suggested))

    def begin(self) -> None:
        """A new message: a state read for an earlier one may have changed (another kernel)."""
        self._fresh = None

    def forget(self) -> None:
        """A change the session did not make (another window, code): the next read sees it."""
        self._state = self._stored = None

    def renew(self) -> None:
        """A view asked for outside a message (code, the model loop, a heartbeat): read the
        record's state and its stored suggestions again."""
        self._fresh = self._stored = None

    def _stored_for(self, key: str, offline: bool) -> dict[str, Any]:
        """A callable's stored suggestions for the record, read once per record shown (a
        browser message does not change them; whatever stores them renews the view)."""
        if self._stored is not None and self._stored[0] == key:
            return self._stored[1]
        if offline:
            return {}
        review = self.review
        try:
            rows = review.store.suggestions(review.name, [key])
        except StoreUnavailable:
            return {}
        self._stored = (key, model_loop.stored(review, rows))
        return self._stored[1]

    def remember(self, key: str, state: RecordState) -> None:
        """The record's state a write returned: no read after it."""
        self._state, self._fresh = (key, state), key

    def values(self, position: int) -> dict[str, Any]:
        """The row's values of every column a message or the view reads (the dataset never
        changes under a review: read once, however many times a message asks)."""
        if self._row is None or self._row[0] != position:
            self._row = (position, self.review.source.row(position, self._columns), {})
        return self._row[1]

    def _fixed(self, position: int, key: str) -> dict:
        """The record's part that never changes, made once per row: `fields` as JSON (the
        same object each time, so comparing it is cheap) and `layout`."""
        values = self.values(position)
        fixed = self._row[2]
        if not fixed:
            shown = {c: values[c] for c in self._shown}
            cut, more = long_fields.clip(self.review.fields, shown, self._whole)  # long: cut
            fixed["fields"] = jsonable(fields_to_browser(self.review.fields, cut))  # Steps split
            fixed["layout"] = self.review.questions.layout(key, shown)  # e.g. a preference's sides
            fixed["more"] = more
        return fixed

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
        key = self.cursor.key_at(position)
        state = self.state(key, offline)
        out = {q: v for q, v in self._stored_for(key, offline).items() if q not in state.answers}
        asked = [q for q in review.questions if q.suggestion and q.name not in state.answers]
        if not asked:
            return out
        values = self.values(position)
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
        key = self.cursor.key_at(position)
        state = self.state(key, offline)
        self.shown.saw(key, state)
        fixed, values = self._fixed(position, key), self.values(position)
        to_browser = review.questions.to_browser  # e.g. span offsets in UTF-16 units
        view = {
            "key": key,
            "row": position,
            "fields": fixed["fields"],
            "answers": to_browser(state.answers, values),
            "suggestions": to_browser(self.suggestions(position, offline), values),
            "status": state.status,
        }
        if fixed["layout"]:
            view["layout"] = fixed["layout"]
        if fixed["more"]:
            view["more"] = fixed["more"]
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
        on_screen = self._state, self._row, self._fresh, self._stored  # the record on screen
        rows = {name: self.cursor.upcoming(count, name == "open") for name in ("open", "next")}
        keys = list(dict.fromkeys(self.cursor.key_at(r) for r in rows["open"] + rows["next"]))
        try:
            states = self._read(keys) if keys else {}
        except StoreUnavailable:
            states = {}
        for name in ("open", "next"):
            records = []
            for row in rows[name] if states else []:
                self._shows(self.cursor.key_at(row), states[self.cursor.key_at(row)])
                record = self.record(row)
                record["index"] = self.cursor.index_of(row)
                budget -= len(json.dumps(record, ensure_ascii=False))
                if budget < 0:
                    break
                records.append(record)
            out[name] = records
        self._state, self._row, self._fresh, self._stored = on_screen
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
