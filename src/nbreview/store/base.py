"""What every store keeps, and the interface the SQL store (sql.py) implements on each backend."""

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
    change: int | None = None  # the change that made this state, when a write returned it (undo)


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
    def write(self, change: Change) -> RecordState:
        """Apply and log one change atomically; return the record's new state, read in the
        same transaction (its `change` is the change's id, for undo)."""

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
