"""What every store keeps, and the interface the SQLite and PostgreSQL stores implement."""

from __future__ import annotations

import json
import time
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import pyarrow as pa

SCHEMA_VERSION = 1
APP = "nbreview"
STATUSES = ("draft", "submitted", "skipped")
DONE = ("submitted", "skipped")  # a record with one of these needs nothing more from its annotator
ADJUDICATOR = "adjudicated"  # the annotator name under which a lead's final answers are kept


class StoreError(ValueError):
    """The store cannot be used as asked; the message says which file or URL and why."""


class StoreUnavailable(RuntimeError):
    """The store could not be read or written just now (server down, file locked, disk full).

    Nothing of the failed call was stored; the same call may succeed once the cause is gone.
    """


def claim_first(
    con: Any,
    tables: str,
    mark: str,
    key: tuple[str, str],
    candidates: list[str],
    overlap: int,
    ttl: float,
) -> str | None:
    """The claim both stores make, inside their own transaction and lock.

    `con` is a DB-API connection of either store, `tables` their table prefix and `mark`
    their placeholder; `key` is (review, annotator). Releases the annotator's earlier
    claims and expired ones, then reserves the first candidate whose taken places (others'
    submitted answers plus live claims) are fewer than `overlap`.
    """
    t, m = tables, mark
    review, annotator = key
    at = now_us()
    con.execute(
        f"DELETE FROM {t}reservations WHERE review = {m} AND (annotator = {m} OR expires_at < {m})",
        (review, annotator, at),
    )
    taken_sql = (
        f"SELECT (SELECT COUNT(*) FROM {t}records WHERE review = {m} AND record = {m} "
        f"AND status = 'submitted' AND annotator NOT IN ({m}, {m})) + "
        f"(SELECT COUNT(*) FROM {t}reservations v WHERE v.review = {m} AND v.record = {m} "
        # a claim whose holder has submitted the record is counted once, as an answer
        f"AND NOT EXISTS (SELECT 1 FROM {t}records d WHERE d.review = v.review "
        "AND d.record = v.record AND d.annotator = v.annotator AND d.status = 'submitted'))"
    )
    for record in candidates:
        args = (review, record, annotator, ADJUDICATOR, review, record)
        if con.execute(taken_sql, args).fetchone()[0] < overlap:
            con.execute(
                f"INSERT INTO {t}reservations VALUES ({m}, {m}, {m}, {m})",
                (review, record, annotator, at + int(ttl * 1e6)),
            )
            return record
    return None


def hold_seat(
    con: Any,
    tables: str,
    mark: str,
    key: tuple[str, str],
    seat: str,
    record: str | None,
    ttl: float,
) -> dict[str, str | None]:
    """The seat both stores keep, inside their own transaction and lock.

    A seat is one place (a tab, a kernel) where `key` = (review, annotator) is reviewing.
    Drops expired seats, then holds `record` for `seat` unless another live seat of the
    same annotator holds it (this seat then holds none), for `ttl` seconds. Returns the
    annotator's other live seats: seat -> the record each holds.
    """
    t, m = tables, mark
    review, annotator = key
    at = now_us()
    con.execute(f"DELETE FROM {t}seats WHERE expires_at < {m}", (at,))
    rows = con.execute(
        f"SELECT seat, record FROM {t}seats WHERE review = {m} AND annotator = {m} AND seat <> {m}",
        (review, annotator, seat),
    ).fetchall()
    others = {row[0]: row[1] for row in rows}
    held = None if record in others.values() else record
    con.execute(
        f"INSERT INTO {t}seats VALUES ({m}, {m}, {m}, {m}, {m}) ON CONFLICT (review, annotator, "
        "seat) DO UPDATE SET record = excluded.record, expires_at = excluded.expires_at",
        (review, annotator, seat, held, at + int(ttl * 1e6)),
    )
    return others


def last_change_sql(tables: str, mark: str) -> str:
    """The query behind `Store.last_change`, in either store's table prefix and placeholder."""
    t, m = tables, mark
    return (
        f"SELECT c.id, c.record FROM {t}changes c WHERE c.review = {m} AND c.annotator = {m} "
        f"AND c.undo_of IS NULL AND EXISTS (SELECT 1 FROM {t}events e WHERE e.change = c.id) "
        f"AND NOT EXISTS (SELECT 1 FROM {t}changes u WHERE u.undo_of = c.id) "
        "ORDER BY c.id DESC LIMIT 1"
    )


def now_us() -> int:
    """Microseconds since the epoch, UTC: the one clock every store writes."""
    return time.time_ns() // 1000


def to_datetime(us: int | None) -> datetime | None:
    return None if us is None else datetime.fromtimestamp(us / 1e6, tz=timezone.utc)


def dump(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def load(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def load_many(texts: list[str]) -> list[Any]:
    """Decode many stored JSON values in one parse: an export reads 100k at a time."""
    return json.loads("[" + ",".join(texts) + "]") if texts else []


@dataclass
class RecordState:
    """One annotator's saved answers and status for one record."""

    answers: dict[str, Any] = field(default_factory=dict)
    status: str | None = None
    annotated_at: int | None = None
    seconds: float = 0.0


@dataclass(frozen=True)
class Change:
    """Everything one user action changes on one record, written in one transaction."""

    review: str
    annotator: str
    record: str
    answers: Mapping[str, Any] = field(default_factory=dict)  # question -> value (None clears)
    status: str | None = None  # new status, or None to leave it as it is
    seconds: float = 0.0  # time spent on the record since the last change
    # When the change was made (µs since the epoch, UTC); None means now. Only imports set it
    # (Review.from_hub_folder keeps each answer's original annotated_at): a store writes this
    # time, instead of its clock, to the change, the answers and the record's annotated_at.
    at: int | None = None


class Store(ABC):
    """An append-only log of changes plus the current state it implies, per review."""

    url: str

    @abstractmethod
    def register_review(self, name: str, config: dict) -> None:
        """Create or update the review's entry (its questions), so the store describes itself."""

    def review_config(self, name: str) -> dict | None:
        """The config a review was last registered with (its key scheme), or None."""
        return None

    def legacy_keys(self, review: str) -> list[str]:
        """The review's record keys of scheme 1 (nbreview 0.1's content keys), to migrate."""
        return []

    def rekey(self, review: str, mapping: Mapping[str, str]) -> None:
        """Move every row of the review from old keys to new ones in one transaction."""
        raise NotImplementedError(f"{type(self).__name__} cannot rename record keys")

    @abstractmethod
    def write(self, change: Change) -> int:
        """Apply and log one change atomically; return its id (for undo)."""

    def write_many(self, changes: list[Change]) -> None:
        """Apply and log several changes (an import); a store may commit them together."""
        for change in changes:
            self.write(change)

    @abstractmethod
    def add_seconds(self, review: str, annotator: str, record: str, seconds: float) -> None:
        """Add time on screen to a record, answered or not, leaving answers and status as they are.

        A record viewed but never answered gets a row with no status: its time still counts.
        """

    @abstractmethod
    def last_change(self, review: str, annotator: str) -> tuple[int, str] | None:
        """(change id, record) of the annotator's latest change that undo may still revert.

        That is the newest change with an effect that is not an undo and was not undone:
        after a restart, undo goes on where the last session's undo stack would have.
        """

    @abstractmethod
    def undo(self, change_id: int) -> str:
        """Log a change restoring what `change_id` replaced; return the record key it touched."""

    @abstractmethod
    def setting(self, review: str, annotator: str, name: str) -> Any:
        """A per-annotator setting of a review (its queue), or None."""

    @abstractmethod
    def set_setting(self, review: str, annotator: str, name: str, value: Any) -> None:
        """Keep a JSON-able setting; None removes it."""

    @abstractmethod
    def claim(
        self, review: str, annotator: str, candidates: list[str], overlap: int, ttl: float
    ) -> str | None:
        """Reserve for `annotator` the first candidate that still needs answers, atomically.

        A candidate needs answers while its submitted answers by others plus others'
        unexpired reservations are fewer than `overlap`. The annotator's other
        reservations in the review are released; the claim expires after `ttl` seconds.
        """

    def take_seat(
        self, review: str, annotator: str, seat: str, record: str | None, ttl: float
    ) -> dict[str, str | None]:
        """Hold `record` for one place the annotator reviews in, unless another holds it.

        Atomic: of one annotator's live seats, at most one holds a record. Refreshes the
        seat for `ttl` seconds and returns the annotator's other live seats and their
        records (see `hold_seat`).
        """
        raise NotImplementedError(f"{type(self).__name__} keeps no seats")

    def leave_seat(self, review: str, annotator: str, seat: str) -> None:
        """Give up a seat (its page closed): its record is free for the annotator's others."""
        raise NotImplementedError(f"{type(self).__name__} keeps no seats")

    @abstractmethod
    def submitted_counts(self, review: str, keys: list[str], exclude: str) -> dict[str, int]:
        """Submitted answers per record by annotators other than `exclude` (and "adjudicated")."""

    @abstractmethod
    def status_counts(self, review: str) -> list[tuple[str, str, int]]:
        """(annotator, status, records) for everyone: the team's progress, from the store alone."""

    @abstractmethod
    def record(self, review: str, annotator: str, key: str) -> RecordState:
        """The current state of one record for one annotator."""

    @abstractmethod
    def statuses(self, review: str, annotator: str) -> dict[str, str]:
        """Record key -> status for every record this annotator has touched."""

    @abstractmethod
    def records(self, review: str, annotator: str | None = None) -> list[tuple]:
        """(record, annotator, status, annotated_at, seconds) rows, for one or all annotators."""

    @abstractmethod
    def answers(self, review: str, annotator: str | None = None) -> list[tuple]:
        """(record, annotator, question, value, updated_at) rows of current answers."""

    @abstractmethod
    def history(self, review: str) -> list[tuple]:
        """(change, record, annotator, question, value, previous, at, undo_of) per logged event."""

    @abstractmethod
    def answers_table(self, review: str, annotator: str) -> pa.Table:
        """`tables.ANSWERS` of every current answer (draft ones too) of one annotator: what
        `to_dataset()` reads, parsed by Arrow rather than a Python tuple per answer."""

    @abstractmethod
    def times(self, review: str) -> pa.Table:
        """`tables.TIMES` (record, annotator, status, annotated_at, seconds) of every record
        anyone has had on screen: records() and those viewed, never answered (status null)."""

    @abstractmethod
    def records_table(self, review: str, annotator: str) -> pa.Table:
        """`tables.RECORDS` (record, status, annotated_at) of every record one annotator has
        answered (status not null): what `to_dataset()` reads beside `answers_table()`."""

    @abstractmethod
    def submitted_answers(
        self,
        review: str,
        question: str | None = None,
        *,
        records: Sequence[str] | None = None,
    ) -> pa.Table:
        """`tables.SUBMITTED` (record, annotator, question, text: the answer as stored JSON)
        of submitted records, annotator "adjudicated" left out: of one question or all, of
        these records or all. The quality tables read these and decode only what they need
        (answers are stored validated, so equal answers have equal text)."""

    @abstractmethod
    def close(self) -> None: ...

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.url!r})"
