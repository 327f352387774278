"""What every store keeps: its constants, errors, changes and record states (the store: sql.py)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

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


ENCODE = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(...) makes one per call


def dump(value: Any) -> str | None:
    return None if value is None else ENCODE(value)


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
    suggested: list[tuple] = field(default_factory=list)  # stored suggestions, when read with it
    # What a write's Move did in its transaction: (the record moved to, the annotator's other
    # seats or None, that record's state); None when it did nothing (the session moves itself).
    moved: tuple[str, dict[str, str | None] | None, RecordState] | None = None


@dataclass(frozen=True)
class Move:
    """After a change that leaves its record done, in the same transaction: the next record
    (with overlap=k the first of `candidates` claimed, else the first), this window's seat on
    it (`seat`: its id) and its state: a submit is one transaction, not four."""

    candidates: tuple[str, ...]
    overlap: int | None = None
    claim_ttl: float = 0.0
    seat: str | None = None
    seat_ttl: float = 0.0


@dataclass(frozen=True)
class Change:
    """Everything one user action changes on one record, written in one transaction."""

    review: str
    annotator: str
    record: str
    answers: Mapping[str, Any] = field(default_factory=dict)  # question -> value (None clears)
    # The new status, or None to leave it as it is, or a function of the record's answers
    # once the change is applied, called inside the transaction (submit only what is complete).
    status: str | Callable[[dict[str, Any]], str] | None = None
    seconds: float = 0.0  # time spent on the record since the last change
    # When the change was made (µs since the epoch, UTC); None means now. Only imports set it
    # (Review.from_hub_folder keeps each answer's original annotated_at): a store writes this
    # time, instead of its clock, to the change, the answers and the record's annotated_at.
    at: int | None = None
    # (status, answers) the change's page was shown: stored only over that (store/expect.py).
    expect: tuple[str | None, Mapping[str, Any]] | None = None
    move: Move | None = None  # what follows in the same transaction once the record is done
