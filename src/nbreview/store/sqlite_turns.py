"""Writers of one SQLite file take turns: a lock that keeps passing is waited for, a stuck one
is reported.

SQLite's busy timeout (1 s, so a file held by another program says "Not saved" at once)
also gave up on a lock that twenty reviewers were merely passing around, each holding it
a few milliseconds (issue 25: "Not saved: locked" at 20 writers). `PRAGMA data_version`
moves whenever another connection commits: while it moves, the lock is passing and the
transaction is tried again, up to `LIMIT` seconds; a lock under which nothing was committed
for a whole busy timeout is held, and the fault goes to the caller as before.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
LIMIT = 20.0  # seconds a change waits at most for a lock other writers keep passing


def _version(con: sqlite3.Connection) -> int:
    return con.execute("PRAGMA data_version").fetchone()[0]


def locked(exc: sqlite3.Error) -> bool:
    """A lock another connection holds (SQLite says locked or busy)."""
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def take_turns(con: sqlite3.Connection, attempt: Callable[[], T], limit: float = LIMIT) -> T:
    """`attempt()` (one whole transaction, rolled back when it fails), again after a lock
    timeout while other connections commit meanwhile."""
    deadline = time.monotonic() + limit
    version = _version(con)
    while True:
        try:
            return attempt()
        except sqlite3.OperationalError as exc:
            if not locked(exc) or time.monotonic() > deadline:
                raise
            try:
                now = _version(con)
            except sqlite3.Error:
                raise exc from None
            if now == version:  # nothing committed during a whole wait: held, not passing
                raise
            version = now
