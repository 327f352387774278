"""The default store: one SQLite file in WAL mode, safe for several kernels on one machine.

Its faults (a lock, a full disk, I/O) become `StoreUnavailable`, in words a reviewer can act
on: the caller keeps what it could not store and tries again; misuse stays a `StoreError`.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pyarrow as pa

from . import tables
from .base import StoreError, StoreUnavailable
from .sql import Dialect, SQLStore, check_meta, create_schema

T = TypeVar("T")
HEADER = b"SQLite format 3\x00"
BUSY_SECONDS = 1.0  # how long a change waits for another writer before it is not saved
TURNS = 20.0  # seconds a change waits at most for a lock other writers keep passing
CACHE_KIB = 16_384  # page cache: an export scans tens of MB of answers (the default is 2 MB)
DIALECT = Dialect(
    prefix="",
    mark="?",
    words=(
        ("{int}", "INTEGER"),
        ("{real}", "REAL"),
        ("{serial}", "INTEGER PRIMARY KEY AUTOINCREMENT"),
        ("{event_id}", ""),
        ("{keyed}", " WITHOUT ROWID"),  # one b-tree: the key is the row
        ("{order}", "rowid"),
        ("{lock}", ""),  # a write transaction holds the whole file
        ("{in}", "IN (SELECT value FROM json_each(?))"),
        ("{candidates}", "(SELECT value AS record, key AS n FROM json_each(?)) AS c"),
        ("{+}", "+"),
        ("{returning}", ""),  # lastrowid: RETURNING makes SQLite's commit slower
        ("{legacy}", "length(record) = 32 AND record NOT GLOB '*[^0-9a-f]*'"),
    ),
)


REFUSED = (sqlite3.ProgrammingError, sqlite3.IntegrityError)  # a statement's fault, not the store's
# SQLite's message (lower case) -> what to tell the reviewer.
SQLITE_REASONS = (
    (("locked", "busy"), "the store file is locked by another program"),
    (("full",), "the disk is full"),
    (("readonly", "read-only"), "the store file is read-only"),
    (("disk i/o",), "the disk could not be written (I/O error)"),
    (("unable to open",), "the store file could not be opened"),
)


def _check_existing(path: Path) -> None:
    """Refuse, without writing a byte, a file that is not an nbreview store we can read."""
    if path.is_dir():
        raise StoreError(f"store {str(path)!r} is a directory; give a file path")
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with path.open("rb") as f:
            header = f.read(len(HEADER))
    except OSError as exc:
        raise StoreError(
            f"store {str(path)!r} cannot be read ({exc.strerror}); it was left untouched"
        ) from None
    if header != HEADER:
        raise StoreError(
            f"{str(path)!r} exists and is not an nbreview store (not a SQLite database); "
            "it was left untouched: choose another store path"
        )
    meta = _read_meta(path)
    if meta is not None:
        check_meta(f"store {str(path)!r}", meta)


def _read_meta(path: Path) -> dict[str, str] | None:
    """The file's nbreview_meta, after PRAGMA quick_check says its pages are sound; None when
    it has no tables yet (an empty database is ours to fill)."""
    con = sqlite3.connect(_read_only_uri(path), uri=True)
    try:
        try:
            problems = [r[0] for r in con.execute("PRAGMA quick_check(5)")]
        except sqlite3.DatabaseError as exc:
            problems = [str(exc)]
        if problems != ["ok"]:
            found = "; ".join(" ".join(p.split("\n")) for p in problems)
            raise StoreError(
                f"store {str(path)!r} is damaged (PRAGMA quick_check: {found[:300]}); it was "
                "left untouched: restore it from a backup or choose another store path"
            )
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "nbreview_meta" not in tables:
            return {} if tables else None
        return dict(con.execute("SELECT key, value FROM nbreview_meta"))
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{str(path)!r} cannot be read as an nbreview store: {exc}") from None
    finally:
        con.close()


def _read_only_uri(path: Path) -> str:
    """A URI that reads the file and creates nothing beside it: through SQLite's locks when
    its -wal and -shm exist (another kernel's checkpoint is not damage), else immutable."""
    uri = path.resolve().as_uri()
    live = all(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-shm"))
    return f"{uri}?mode=ro" if live else f"{uri}?mode=ro&immutable=1"


def _check_writable(path: Path) -> None:
    """The store keeps every change: its file, and its folder (for -wal/-shm), must be writable."""
    folder = path.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StoreError(
            f"store {str(path)!r}: folder {str(folder)!r} is not writable, and the store needs "
            "to create its file and its -wal/-shm files there; choose a writable folder"
        )
    if path.exists() and not os.access(path, os.W_OK):
        raise StoreError(
            f"store {str(path)!r} is read-only, and the store writes every change; make the "
            "file writable or choose another store path. It was left untouched"
        )


def _connect(path: Path) -> sqlite3.Connection:
    """Open the store in WAL mode with its tables; a failure to write names the path.

    mode=rw creates no file where one was expected. SQLite still falls back to a read-only
    connection on a file it may not write, which is why `_check_writable` runs first.
    """
    mode = "rw" if path.exists() else "rwc"
    try:
        con = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode={mode}",
            uri=True,
            isolation_level=None,
            check_same_thread=False,
            timeout=30,  # SQLite's busy timeout while the store is opened
        )
    except sqlite3.OperationalError as exc:
        raise _open_error(path, exc) from None
    try:
        _retry_locked(lambda: con.execute("PRAGMA journal_mode = WAL"))
        con.execute("PRAGMA synchronous = NORMAL")
        con.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        _transaction(con, lambda c: create_schema(c, DIALECT))  # a no-op on an existing store
    except sqlite3.OperationalError as exc:
        con.close()
        raise _open_error(path, exc) from None
    except BaseException:
        con.close()
        raise
    return con


def _transaction(con: sqlite3.Connection, work: Callable[[Any], T], begin: str = "IMMEDIATE") -> T:
    """`work(con)` between BEGIN and COMMIT, rolled back on any error."""
    try:
        con.execute(f"BEGIN {begin}")
        result = work(con)
        con.execute("COMMIT")
        return result
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise


def _open_error(path: Path, exc: sqlite3.Error) -> Exception:
    """A lock may pass (StoreUnavailable); a file or folder we may not write will not."""
    if locked(exc):
        return StoreUnavailable(
            f"store {str(path)!r} is locked by another process ({exc}); try again once it is "
            "released"
        )
    return StoreError(
        f"store {str(path)!r} cannot be opened for writing ({exc}); check that the file and "
        f"its folder {str(path.parent)!r} are writable"
    )


class SQLiteStore(SQLStore):
    """Every change in one transaction; concurrent kernels wait on SQLite's lock, never lose."""

    d = DIALECT

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.url = str(self.path)
        if not self.path.parent.exists():
            raise StoreError(f"store {self.url!r}: folder {str(self.path.parent)!r} does not exist")
        _check_existing(self.path)
        _check_writable(self.path)
        self._lock = threading.RLock()
        self._con = _connect(self.path)
        # Opening waits for another kernel creating the store; a change waits only briefly,
        # so a lock held by another program is reported ("Not saved") instead of freezing.
        self._con.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")

    def _run(self, work: Callable[[Any], T], write: bool) -> T:
        """Under the store's lock; a write in BEGIN IMMEDIATE ... COMMIT, tried again while
        the file's lock passes between other writers (`take_turns`)."""
        with self._lock:
            if not write:
                return work(self._con)
            return take_turns(self._con, lambda: _transaction(self._con, work))

    def _fault(self, what: str, exc: Exception) -> Exception:
        """What may pass (a lock held past the busy timeout, I/O, a full disk) becomes
        StoreUnavailable in words a reviewer can act on; a refused statement a StoreError."""
        if not isinstance(exc, sqlite3.Error):
            return exc
        if isinstance(exc, REFUSED) or not isinstance(exc, sqlite3.DatabaseError):
            return StoreError(f"store {self.url!r} {what}: {exc}")
        text = str(exc).lower()
        reason = next((why for words, why in SQLITE_REASONS if any(w in text for w in words)), None)
        return StoreUnavailable(f"{reason or f'the store failed ({exc})'}: {self.url}")

    def _arrow(self, query: tuple, args: tuple, schema: pa.Schema) -> pa.Table:
        """The text form (store/tables.py) a range of rowids at a time, or JSON when a
        value holds its separator."""
        columns, source = query[0].split(", "), query[1]
        table = self.d.sql(source.split()[0])  # the first table, read by rowid ranges
        sql = self.d.sql(f"SELECT {{columns}} FROM {source} AND x.rowid BETWEEN ? AND ?")
        text = sql.replace("{columns}", tables.text_columns(columns, schema))
        parsed = tables.from_text_columns(self._chunks(text, args, table), schema)
        if parsed is None:
            json_columns = ", ".join(f"json_group_array({c})" for c in columns)
            chunks = self._chunks(sql.replace("{columns}", json_columns), args, table)
            parsed = tables.from_json_columns(chunks, schema)
        return parsed

    def _chunks(self, sql: str, args: tuple, table: str) -> list[tuple]:
        """One row per `tables.CHUNK` rowids of `table`, from one snapshot of the store."""

        def read(con: sqlite3.Connection) -> list[tuple]:
            # (each alone is one b-tree step; min and max in one select scan the table)
            bounds = f"SELECT (SELECT min(rowid) FROM {table}), (SELECT max(rowid) FROM {table})"
            low, high = con.execute(bounds).fetchone()
            return [
                con.execute(sql, (*args, start, start + tables.CHUNK - 1)).fetchone()
                for start in range(low or 0, (high or -1) + 1, tables.CHUNK)
            ]

        return self._tx("could not be read", lambda c: _transaction(c, read, ""), write=False)

    def close(self) -> None:
        with self._lock:
            self._con.close()


def _retry_locked(statement, seconds: float = 30.0):
    """Switching to WAL ignores busy_timeout; another kernel creating the store must be awaited.

    Any other error, or a lock held past `seconds`, is raised as it is for the caller to name.
    """
    deadline = time.monotonic() + seconds
    while True:
        try:
            return statement()
        except sqlite3.OperationalError as exc:
            if not locked(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


# -- locks -----------------------------------------------------------------------------------


def locked(exc: sqlite3.Error) -> bool:
    """A lock another connection holds (SQLite says locked or busy)."""
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def take_turns(con: sqlite3.Connection, attempt: Callable[[], T], limit: float = TURNS) -> T:
    """`attempt()` (one whole transaction, rolled back when it fails), again after a lock
    timeout while other connections commit meanwhile.

    SQLite's busy timeout (1 s, so a file held by another program says "Not saved" at once)
    also gave up on a lock that twenty reviewers were merely passing around, each holding it
    a few milliseconds (issue 25: "Not saved: locked" at 20 writers). `PRAGMA data_version`
    moves whenever another connection commits: while it moves, the lock is passing and the
    transaction is tried again, up to `limit` seconds; a lock under which nothing was
    committed for a whole busy timeout is held, and the fault goes to the caller as before.
    """
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


def _version(con: sqlite3.Connection) -> int:
    return con.execute("PRAGMA data_version").fetchone()[0]
