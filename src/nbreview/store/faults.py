"""Store faults in words a reviewer can act on: every one becomes `StoreUnavailable`.

A fault is something that may pass (a lock, a server restart, a full disk), so the
caller keeps what it could not store and tries again; misuse stays a `StoreError`.
"""

from __future__ import annotations

import sqlite3

from .base import StoreUnavailable

# SQLite's message (lower case) -> what to tell the reviewer.
SQLITE_REASONS = (
    ("locked", "the store file is locked by another program"),
    ("busy", "the store file is locked by another program"),
    ("full", "the disk is full"),
    ("readonly", "the store file is read-only"),
    ("read-only", "the store file is read-only"),
    ("disk i/o", "the disk could not be written (I/O error)"),
    ("unable to open", "the store file could not be opened"),
)


def sqlite_unavailable(path: str, exc: sqlite3.Error) -> StoreUnavailable:
    """The reviewer-facing fault for an error SQLite raised while reading or writing."""
    text = str(exc).lower()
    reason = next((why for needle, why in SQLITE_REASONS if needle in text), None)
    return StoreUnavailable(f"{reason or f'the store failed ({exc})'}: {path}")


def is_sqlite_fault(exc: BaseException) -> bool:
    """Errors that may pass: locks, I/O, a full disk; not a bug in a statement."""
    return isinstance(exc, sqlite3.OperationalError) or (
        isinstance(exc, sqlite3.DatabaseError)
        and not isinstance(exc, (sqlite3.ProgrammingError, sqlite3.IntegrityError))
    )
