"""The default store: one SQLite file in WAL mode, safe for several kernels on one machine."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from . import suggestions, tables
from .base import (
    ADJUDICATOR,
    APP,
    SCHEMA_VERSION,
    Change,
    RecordState,
    Store,
    StoreError,
    StoreUnavailable,
    claim_first,
    dump,
    hold_seat,
    last_change_sql,
    load,
    load_many,
    now_us,
)
from .faults import is_sqlite_fault, sqlite_unavailable
from .rekey import LEGACY_SQLITE, legacy_keys_sql, rekey

HEADER = b"SQLite format 3\x00"
BUSY_SECONDS = 1.0  # how long a change waits for another writer before it is not saved
CACHE_KIB = 16_384  # page cache: an export scans tens of MB of answers (the default is 2 MB)

SCHEMA = """
CREATE TABLE IF NOT EXISTS nbreview_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reviews (
    name TEXT PRIMARY KEY, config TEXT NOT NULL, created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT, review TEXT NOT NULL, record TEXT NOT NULL,
    annotator TEXT NOT NULL, at INTEGER NOT NULL, seconds REAL NOT NULL DEFAULT 0,
    undo_of INTEGER REFERENCES changes(id));
CREATE TABLE IF NOT EXISTS events (
    change INTEGER NOT NULL REFERENCES changes(id), question TEXT,
    value TEXT, previous TEXT);
CREATE INDEX IF NOT EXISTS events_change ON events(change);
CREATE TABLE IF NOT EXISTS answers (
    review TEXT NOT NULL, annotator TEXT NOT NULL, record TEXT NOT NULL, question TEXT NOT NULL,
    value TEXT NOT NULL, updated_at INTEGER NOT NULL,
    PRIMARY KEY (review, annotator, record, question));
CREATE TABLE IF NOT EXISTS records (
    review TEXT NOT NULL, annotator TEXT NOT NULL, record TEXT NOT NULL, status TEXT,
    annotated_at INTEGER NOT NULL, seconds REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (review, annotator, record));
CREATE INDEX IF NOT EXISTS records_status ON records(review, status);
CREATE TABLE IF NOT EXISTS reservations (
    review TEXT NOT NULL, record TEXT NOT NULL, annotator TEXT NOT NULL,
    expires_at INTEGER NOT NULL, PRIMARY KEY (review, record, annotator));
CREATE TABLE IF NOT EXISTS seats (
    review TEXT NOT NULL, annotator TEXT NOT NULL, seat TEXT NOT NULL, record TEXT,
    expires_at INTEGER NOT NULL, PRIMARY KEY (review, annotator, seat));
CREATE TABLE IF NOT EXISTS settings (
    review TEXT NOT NULL, annotator TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
    updated_at INTEGER NOT NULL, PRIMARY KEY (review, annotator, name));
""" + suggestions.SCHEMA.format(t="")


# Rows as Arrow (store/tables.py), a range of rowids at a time; `+review` keeps SQLite on the
# rowid range instead of the review's index (which would need a sort to chunk by). `{columns}`
# is the select list, in the text form or, as a fallback, the JSON form.
def _json_columns(expressions: list[str]) -> str:
    """One JSON array per column: SQLite builds them far faster than a JSON object per row."""
    return ", ".join(f"json_group_array({name})" for name in expressions)


TIMES_COLUMNS = ["record", "annotator", "status", "annotated_at", "seconds"]
TIMES_SQL = "SELECT {columns} FROM records WHERE +review = ? AND rowid BETWEEN ? AND ?"
RECORDS_SQL = (
    "SELECT {columns} FROM records "
    "WHERE +review = ? AND annotator = ? AND status IS NOT NULL AND rowid BETWEEN ? AND ?"
)
ANSWERS_COLUMNS = ["record", "question", "value"]
ANSWERS_SQL = (
    "SELECT {columns} FROM answers WHERE +review = ? AND annotator = ? AND rowid BETWEEN ? AND ?"
)
SUBMITTED_COLUMNS = ["a.record", "a.annotator", "a.question", "a.value"]
SUBMITTED_SQL = (
    "SELECT {columns} FROM answers a JOIN records r "
    "ON r.review = a.review AND r.annotator = a.annotator AND r.record = a.record "
    "WHERE +a.review = ? AND r.status = 'submitted' AND a.annotator <> ?{where} "
    "AND a.rowid BETWEEN ? AND ?"
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
    tables, meta = _read_meta(path)
    if not tables:
        return
    if meta.get("app") != APP:
        raise StoreError(
            f"{str(path)!r} is a SQLite database of another application, not an nbreview store; "
            "it was left untouched: choose another store path"
        )
    _check_version(path, meta.get("schema_version"))


def _read_meta(path: Path) -> tuple[set[str], dict[str, str]]:
    """The file's tables and nbreview_meta, after PRAGMA quick_check says its pages are sound."""
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
            return tables, {}
        return tables, dict(con.execute("SELECT key, value FROM nbreview_meta"))
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{str(path)!r} cannot be read as an nbreview store: {exc}") from None
    finally:
        con.close()


def _read_only_uri(path: Path) -> str:
    """A URI that reads the file and creates nothing beside it.

    A store in use has its -wal and -shm: read it through SQLite's locks, so a checkpoint
    running in another kernel is not mistaken for damage. Otherwise immutable=1, which
    opens no -wal/-shm at all.
    """
    uri = path.resolve().as_uri()
    live = all(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-shm"))
    return f"{uri}?mode=ro" if live else f"{uri}?mode=ro&immutable=1"


def _check_version(path: Path, text: str | None) -> None:
    """The store schema must be a version this nbreview reads: 1 up to SCHEMA_VERSION."""
    if text is None or not text.isascii() or not text.isdigit() or int(text) < 1:
        raise StoreError(
            f"store {str(path)!r} has a bad schema_version {str(text)[:40]!r} in nbreview_meta "
            f"(this nbreview reads versions 1 to {SCHEMA_VERSION}); it was left untouched"
        )
    if int(text) > SCHEMA_VERSION:
        raise StoreError(
            f"{str(path)!r} was written by a newer nbreview (store schema {int(text)}, this "
            f"version reads up to {SCHEMA_VERSION}); upgrade nbreview. The file was left untouched"
        )


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
            timeout=30,
        )
    except sqlite3.OperationalError as exc:
        raise _open_error(path, exc) from None
    try:
        con.execute("PRAGMA busy_timeout = 30000")
        _retry_locked(lambda: con.execute("PRAGMA journal_mode = WAL"))
        con.execute("PRAGMA synchronous = NORMAL")
        con.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        _create_tables(con)
    except sqlite3.OperationalError as exc:
        con.close()
        raise _open_error(path, exc) from None
    except BaseException:
        con.close()
        raise
    return con


def _create_tables(con: sqlite3.Connection) -> None:
    """The schema and the meta rows in one transaction (a no-op on an existing store)."""
    con.execute("BEGIN IMMEDIATE")
    try:
        for statement in SCHEMA.split(";"):
            if statement.strip():
                con.execute(statement)
        con.execute(
            "INSERT OR IGNORE INTO nbreview_meta VALUES ('app', ?), ('schema_version', ?)",
            (APP, str(SCHEMA_VERSION)),
        )
        con.execute("COMMIT")
    finally:
        if con.in_transaction:
            con.execute("ROLLBACK")


def _open_error(path: Path, exc: sqlite3.Error) -> Exception:
    """A lock may pass (StoreUnavailable); a file or folder we may not write will not."""
    if "locked" in str(exc) or "busy" in str(exc):
        return StoreUnavailable(
            f"store {str(path)!r} is locked by another process ({exc}); try again once it is "
            "released"
        )
    return StoreError(
        f"store {str(path)!r} cannot be opened for writing ({exc}); check that the file and "
        f"its folder {str(path.parent)!r} are writable"
    )


class SQLiteStore(Store):
    """Every change in one transaction; concurrent kernels wait on SQLite's lock, never lose."""

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

    def _transaction(self) -> _Transaction:
        return _Transaction(self._con, self._lock, self.url)

    def _reading(self) -> _Reading:
        return _Reading(self._con, self._lock, self.url)

    def register_review(self, name: str, config: dict) -> None:
        at = now_us()
        with self._transaction() as con:
            con.execute(
                "INSERT INTO reviews VALUES (?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
                "config = excluded.config, updated_at = excluded.updated_at",
                (name, dump(config), at, at),
            )

    def review_config(self, name: str) -> dict | None:
        with self._reading() as con:
            row = con.execute("SELECT config FROM reviews WHERE name = ?", (name,)).fetchone()
        return None if row is None else load(row[0])

    def legacy_keys(self, review: str) -> list[str]:
        with self._reading() as con:
            sql = legacy_keys_sql("", "?", LEGACY_SQLITE)
            return [r[0] for r in con.execute(sql, (review,) * 3).fetchall()]

    def rekey(self, review: str, mapping: Mapping[str, str]) -> None:
        with self._transaction() as con:
            rekey(con, "", "?", review, mapping)

    def write(self, change: Change) -> int:
        with self._transaction() as con:
            return self._write(con, change)

    def write_many(self, changes: list[Change]) -> None:
        with self._transaction() as con:  # one commit for an import, not one per record
            for change in changes:
                self._write(con, change)

    def _write(self, con: sqlite3.Connection, change: Change) -> int:
        at = now_us() if change.at is None else change.at
        key = (change.review, change.annotator, change.record)
        change_id = con.execute(
            "INSERT INTO changes (review, record, annotator, at, seconds) VALUES (?, ?, ?, ?, ?)",
            (change.review, change.record, change.annotator, at, change.seconds),
        ).lastrowid
        for question, value in change.answers.items():
            self._set_answer(con, change_id, key, question, dump(value), at)
        self._set_status(con, change_id, key, change.status, at, change.seconds)
        return change_id

    def add_seconds(self, review: str, annotator: str, record: str, seconds: float) -> None:
        with self._transaction() as con:
            con.execute(
                "INSERT INTO records VALUES (?, ?, ?, NULL, ?, ?) ON CONFLICT DO UPDATE SET "
                "seconds = records.seconds + excluded.seconds",
                (review, annotator, record, now_us(), seconds),
            )

    def last_change(self, review: str, annotator: str) -> tuple[int, str] | None:
        with self._reading() as con:
            row = con.execute(last_change_sql("", "?"), (review, annotator)).fetchone()
        return None if row is None else (row[0], row[1])

    def undo(self, change_id: int) -> str:
        at = now_us()
        with self._transaction() as con:
            row = con.execute(
                "SELECT review, annotator, record FROM changes WHERE id = ?", (change_id,)
            ).fetchone()
            if row is None:
                raise StoreError(f"there is no change {change_id} to undo")
            key = tuple(row)
            events = con.execute(
                "SELECT question, previous FROM events WHERE change = ? ORDER BY rowid DESC",
                (change_id,),
            ).fetchall()
            undo_id = con.execute(
                "INSERT INTO changes (review, record, annotator, at, undo_of) "
                "VALUES (?, ?, ?, ?, ?)",
                (key[0], key[2], key[1], at, change_id),
            ).lastrowid
            for question, previous in events:
                if question is None:
                    self._set_status(con, undo_id, key, load(previous), at, 0.0, force=True)
                else:
                    self._set_answer(con, undo_id, key, question, previous, at)
        return key[2]

    def _set_answer(self, con, change_id, key, question, value, at) -> None:
        old = con.execute(
            "SELECT value FROM answers WHERE review = ? AND annotator = ? AND record = ? "
            "AND question = ?",
            (*key, question),
        ).fetchone()
        old = None if old is None else old[0]
        if old == value:
            return
        con.execute("INSERT INTO events VALUES (?, ?, ?, ?)", (change_id, question, value, old))
        if value is None:
            con.execute(
                "DELETE FROM answers WHERE review = ? AND annotator = ? AND record = ? "
                "AND question = ?",
                (*key, question),
            )
        else:
            con.execute(
                "INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
                "value = excluded.value, updated_at = excluded.updated_at",
                (*key, question, value, at),
            )

    def _set_status(self, con, change_id, key, status, at, seconds, force=False) -> None:
        row = con.execute(
            "SELECT status FROM records WHERE review = ? AND annotator = ? AND record = ?", key
        ).fetchone()
        old = None if row is None else row[0]
        new = status if (status is not None or force) else old
        if new != old:
            con.execute(
                "INSERT INTO events VALUES (?, NULL, ?, ?)", (change_id, dump(new), dump(old))
            )
        con.execute(
            "INSERT INTO records VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
            "status = excluded.status, annotated_at = excluded.annotated_at, "
            "seconds = records.seconds + excluded.seconds",
            (*key, new, at, seconds),
        )

    def claim(
        self, review: str, annotator: str, candidates: list[str], overlap: int, ttl: float
    ) -> str | None:
        with self._transaction() as con:  # BEGIN IMMEDIATE: one claimer at a time
            return claim_first(con, "", "?", (review, annotator), candidates, overlap, ttl)

    def take_seat(
        self, review: str, annotator: str, seat: str, record: str | None, ttl: float
    ) -> dict[str, str | None]:
        with self._transaction() as con:  # BEGIN IMMEDIATE: one seat taker at a time
            return hold_seat(con, "", "?", (review, annotator), seat, record, ttl)

    def leave_seat(self, review: str, annotator: str, seat: str) -> None:
        with self._transaction() as con:
            con.execute(
                "DELETE FROM seats WHERE review = ? AND annotator = ? AND seat = ?",
                (review, annotator, seat),
            )

    def submitted_counts(self, review: str, keys: list[str], exclude: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        with self._reading() as con:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ", ".join("?" * len(chunk))
                counts.update(
                    con.execute(
                        f"SELECT record, COUNT(*) FROM records WHERE review = ? AND record IN "
                        f"({marks}) AND status = 'submitted' AND annotator NOT IN (?, ?) "
                        "GROUP BY record",
                        (review, *chunk, exclude, ADJUDICATOR),
                    ).fetchall()
                )
        return counts

    def status_counts(self, review: str) -> list[tuple[str, str, int]]:
        with self._reading() as con:
            return con.execute(
                "SELECT annotator, status, COUNT(*) FROM records WHERE review = ? "
                "AND status IS NOT NULL GROUP BY annotator, status ORDER BY annotator",
                (review,),
            ).fetchall()

    def setting(self, review: str, annotator: str, name: str) -> Any:
        with self._reading() as con:
            row = con.execute(
                "SELECT value FROM settings WHERE review = ? AND annotator = ? AND name = ?",
                (review, annotator, name),
            ).fetchone()
        return None if row is None else load(row[0])

    def set_setting(self, review: str, annotator: str, name: str, value: Any) -> None:
        with self._transaction() as con:
            if value is None:
                con.execute(
                    "DELETE FROM settings WHERE review = ? AND annotator = ? AND name = ?",
                    (review, annotator, name),
                )
            else:
                con.execute(
                    "INSERT INTO settings VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
                    "value = excluded.value, updated_at = excluded.updated_at",
                    (review, annotator, name, dump(value), now_us()),
                )

    def record(self, review: str, annotator: str, key: str) -> RecordState:
        args = (review, annotator, key)
        with self._reading() as con:
            answers = con.execute(
                "SELECT question, value FROM answers WHERE review = ? AND annotator = ? "
                "AND record = ?",
                args,
            ).fetchall()
            row = con.execute(
                "SELECT status, annotated_at, seconds FROM records WHERE review = ? "
                "AND annotator = ? AND record = ?",
                args,
            ).fetchone()
        state = RecordState(answers={q: load(v) for q, v in answers})
        if row is not None:
            state.status, state.annotated_at, state.seconds = row
        return state

    def statuses(self, review: str, annotator: str) -> dict[str, str]:
        with self._reading() as con:
            rows = con.execute(
                "SELECT record, status FROM records WHERE review = ? AND annotator = ? "
                "AND status IS NOT NULL",
                (review, annotator),
            ).fetchall()
        return dict(rows)

    def _select(self, sql: str, review: str, annotator: str | None) -> list[tuple]:
        args: tuple = (review,) if annotator is None else (review, annotator)
        if annotator is not None:
            sql += " AND annotator = ?"
        with self._reading() as con:
            return con.execute(sql, args).fetchall()

    def records(self, review: str, annotator: str | None = None) -> list[tuple]:
        return self._select(
            "SELECT record, annotator, status, annotated_at, seconds FROM records "
            "WHERE review = ? AND status IS NOT NULL",
            review,
            annotator,
        )

    def times(self, review: str) -> pa.Table:
        return self._arrow(TIMES_SQL, TIMES_COLUMNS, (review,), "records", tables.TIMES)

    def records_table(self, review: str, annotator: str) -> pa.Table:
        args = (review, annotator)
        return self._arrow(RECORDS_SQL, tables.ANSWERED_FIELDS, args, "records", tables.RECORDS)

    def submitted_answers(
        self,
        review: str,
        question: str | None = None,
        *,
        records: Sequence[str] | None = None,
    ) -> pa.Table:
        where, args = "", [review, ADJUDICATOR]
        if question is not None:
            where, args = where + " AND a.question = ?", [*args, question]
        if records is not None:  # the keys as one JSON array, unpacked by SQLite
            where += " AND a.record IN (SELECT value FROM json_each(?))"
            args.append(dump(list(records)))
        sql = SUBMITTED_SQL.replace("{where}", where)
        return self._arrow(sql, SUBMITTED_COLUMNS, tuple(args), "answers", tables.SUBMITTED)

    def answers_table(self, review: str, annotator: str) -> pa.Table:
        args = (review, annotator)
        return self._arrow(ANSWERS_SQL, ANSWERS_COLUMNS, args, "answers", tables.ANSWERS)

    def _arrow(
        self, sql: str, expressions: list[str], args: tuple, table: str, schema: pa.Schema
    ) -> pa.Table:
        """A query's rows as an Arrow table: the text form, or JSON when a value holds its
        separator."""
        columns = tables.text_columns(expressions, schema)
        parsed = tables.from_text_columns(
            self._chunks(sql.format(columns=columns), args, table), schema
        )
        if parsed is None:
            chunks = self._chunks(sql.format(columns=_json_columns(expressions)), args, table)
            parsed = tables.from_json_columns(chunks, schema)
        return parsed

    def _chunks(self, sql: str, args: tuple, table: str) -> list[tuple]:
        """A query's one row per `tables.CHUNK` rowids of `table`, from one snapshot of the
        store."""
        rows = []
        with self._reading() as con:
            con.execute("BEGIN")
            try:
                # (each alone is one b-tree step; min and max in one select scan the table)
                bounds = (
                    f"SELECT (SELECT min(rowid) FROM {table}), (SELECT max(rowid) FROM {table})"
                )
                low, high = con.execute(bounds).fetchone()
                for start in range(low or 0, (high or -1) + 1, tables.CHUNK):
                    end = start + tables.CHUNK - 1
                    rows.append(con.execute(sql, (*args, start, end)).fetchone())
            finally:
                con.execute("COMMIT")
        return rows

    def answers(self, review: str, annotator: str | None = None) -> list[tuple]:
        rows = self._select(
            "SELECT record, annotator, question, value, updated_at FROM answers WHERE review = ?",
            review,
            annotator,
        )
        values = load_many([row[3] for row in rows])
        return [(r, a, q, v, t) for (r, a, q, _, t), v in zip(rows, values, strict=True)]

    def history(self, review: str) -> list[tuple]:
        with self._reading() as con:
            rows = con.execute(
                "SELECT c.id, c.record, c.annotator, e.question, e.value, e.previous, c.at, "
                "c.undo_of FROM changes c JOIN events e ON e.change = c.id "
                "WHERE c.review = ? ORDER BY c.id, e.rowid",
                (review,),
            ).fetchall()
        return [(c, r, a, q, load(v), load(p), t, u) for c, r, a, q, v, p, t, u in rows]

    # A callable's suggestions (store/suggestions.py holds the SQL).
    def put_suggestions(self, review: str, name: str, rows: list, overwrite: bool = False) -> None:
        with self._transaction() as con:
            suggestions.put(con, "", "?", review, name, rows, overwrite)

    def suggested(self, review: str, name: str, keys: Sequence[str]) -> set[str]:
        with self._reading() as con:
            return suggestions.done(con, "", "?", review, name, keys)

    def suggestions(self, review: str, keys: Sequence[str] | None = None) -> list[tuple]:
        with self._reading() as con:
            return suggestions.rows(con, "", "?", review, keys)

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
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT under the store's lock, rolled back on any error.

    A lock held past the busy timeout, a full disk or an I/O error becomes
    `StoreUnavailable`, with nothing of the transaction kept.
    """

    def __init__(self, con: sqlite3.Connection, lock: threading.RLock, path: str):
        self.con, self.lock, self.path = con, lock, path

    def __enter__(self) -> sqlite3.Connection:
        self.lock.acquire()
        try:
            self.con.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            self.lock.release()
            raise _fault(self.path, exc) from None
        except BaseException:
            self.lock.release()
            raise
        return self.con

    def __exit__(self, kind, exc, tb) -> bool:
        try:
            if kind is None:
                try:
                    self.con.execute("COMMIT")
                    return False
                except sqlite3.Error as error:
                    exc = error
            if self.con.in_transaction:
                self.con.execute("ROLLBACK")
        finally:
            self.lock.release()
        if isinstance(exc, sqlite3.Error) and is_sqlite_fault(exc):
            raise sqlite_unavailable(self.path, exc) from None
        if kind is None:
            raise exc
        return False


class _Reading:
    """The store's lock for a read; a fault while reading becomes `StoreUnavailable`."""

    def __init__(self, con: sqlite3.Connection, lock: threading.RLock, path: str):
        self.con, self.lock, self.path = con, lock, path

    def __enter__(self) -> sqlite3.Connection:
        self.lock.acquire()
        return self.con

    def __exit__(self, kind, exc, tb) -> bool:
        self.lock.release()
        if isinstance(exc, sqlite3.Error) and is_sqlite_fault(exc):
            raise sqlite_unavailable(self.path, exc) from None
        return False


def _fault(path: str, exc: sqlite3.Error) -> Exception:
    return sqlite_unavailable(path, exc) if is_sqlite_fault(exc) else exc
