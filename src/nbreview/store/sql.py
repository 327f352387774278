"""Every statement of the store, once: `SQLStore` runs them on SQLite and PostgreSQL alike.

A statement is written here with `?` for its arguments and `{t}` before each table name;
the backend's `Dialect` turns it into its own text (`%s`, the `nbreview_` prefix) once and
keeps it. What the two databases do differently is a field or a method of `Dialect`
(locking, a list argument, reading a query as Arrow), and each backend module
(`sqlite.py`, `postgres.py`) adds only its connection, its transactions and its faults:
`_tx(what, work)` runs `work(con)` in one write transaction, `_read(what, work)` reads.

To add a statement: write a method here that calls `self._x(con, "... {t}table ... ?",
args)` inside `self._tx` or `self._read`; a new table goes in `SCHEMA` (below), which
both backends create. Nothing else changes, on either backend.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import pyarrow as pa

from . import rekey as rekeying
from . import tables
from .base import ADJUDICATOR, Change, RecordState, Store, StoreError, dump, load, load_many, now_us

T = TypeVar("T")
KEY = "review = ? AND annotator = ? AND record = ?"
SCHEMA = """
CREATE TABLE IF NOT EXISTS nbreview_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS {t}reviews (
    name TEXT PRIMARY KEY, config TEXT NOT NULL, created_at {int} NOT NULL,
    updated_at {int} NOT NULL);
CREATE TABLE IF NOT EXISTS {t}changes (
    id {serial}, review TEXT NOT NULL, record TEXT NOT NULL, annotator TEXT NOT NULL,
    at {int} NOT NULL, seconds {real} NOT NULL DEFAULT 0, undo_of {int} REFERENCES {t}changes(id));
CREATE TABLE IF NOT EXISTS {t}events ({event_id}
    change {int} NOT NULL REFERENCES {t}changes(id), question TEXT, value TEXT, previous TEXT);
CREATE INDEX IF NOT EXISTS {t}events_change ON {t}events(change);
CREATE TABLE IF NOT EXISTS {t}answers (
    review TEXT NOT NULL, annotator TEXT NOT NULL, record TEXT NOT NULL, question TEXT NOT NULL,
    value TEXT NOT NULL, updated_at {int} NOT NULL,
    PRIMARY KEY (review, annotator, record, question));
CREATE TABLE IF NOT EXISTS {t}records (
    review TEXT NOT NULL, annotator TEXT NOT NULL, record TEXT NOT NULL, status TEXT,
    annotated_at {int} NOT NULL, seconds {real} NOT NULL DEFAULT 0,
    PRIMARY KEY (review, annotator, record));
CREATE INDEX IF NOT EXISTS {t}records_status ON {t}records(review, status);
CREATE TABLE IF NOT EXISTS {t}reservations (
    review TEXT NOT NULL, record TEXT NOT NULL, annotator TEXT NOT NULL,
    expires_at {int} NOT NULL, PRIMARY KEY (review, record, annotator));
CREATE TABLE IF NOT EXISTS {t}seats (
    review TEXT NOT NULL, annotator TEXT NOT NULL, seat TEXT NOT NULL, record TEXT,
    expires_at {int} NOT NULL, PRIMARY KEY (review, annotator, seat));
CREATE TABLE IF NOT EXISTS {t}settings (
    review TEXT NOT NULL, annotator TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
    updated_at {int} NOT NULL, PRIMARY KEY (review, annotator, name))
"""
# One record's state in one statement: its status row, then one row per answer.
RECORD = (
    f"SELECT NULL, status, annotated_at, seconds FROM {{t}}records WHERE {KEY} "
    f"UNION ALL SELECT question, value, NULL, NULL FROM {{t}}answers WHERE {KEY}"
)
UPSERT = "ON CONFLICT ({}) DO UPDATE SET "
# Rows of the Arrow reads: (expressions, FROM ... WHERE ..., the table chunked by rowid).
# `{+}` marks the column SQLite must not take an index for (it reads by rowid ranges).
TIMES = (["record", "annotator", "status", "annotated_at", "seconds"], "records", "{+}review = ?")
RECORDS = (
    list(tables.ANSWERED_FIELDS),
    "records",
    "{+}review = ? AND annotator = ? AND status IS NOT NULL",
)
ANSWERS = (["record", "question", "value"], "answers", "{+}review = ? AND annotator = ?")
SUBMITTED_FROM = (
    "{t}answers a JOIN {t}records r ON r.review = a.review AND r.annotator = a.annotator "
    "AND r.record = a.record WHERE {+}a.review = ? AND r.status = 'submitted' AND a.annotator <> ?"
)


@dataclass(frozen=True)
class Dialect:
    """What one database spells its own way; each backend module makes one."""

    prefix: str  # before every table name
    mark: str  # the placeholder of an argument
    types: tuple[tuple[str, str], ...]  # SCHEMA's {int}, {real}, {serial}, {event_id}
    legacy: str  # the test for a key of scheme 1 (32 lowercase hex digits)
    event_order: str  # the column that orders a change's events
    for_update: str = ""  # locks the rows a SELECT reads, where the database needs it
    returning: bool = True  # INSERT ... RETURNING (SQLite 3.35+)

    @functools.lru_cache(maxsize=512)  # noqa: B019 (dialects are a few constants)
    def sql(self, text: str) -> str:
        """A statement of this module in the database's own text."""
        text = text.replace("{t}", self.prefix)
        return text if self.mark == "?" else text.replace("?", self.mark)

    def schema(self) -> list[str]:
        text = SCHEMA.replace("{t}", self.prefix)
        for name, value in self.types:
            text = text.replace("{" + name + "}", value)
        return [s for s in text.split(";") if s.strip()]

    def in_list(self, column: str) -> str:
        """`column` among the values of one list argument (`list_arg`)."""
        return f"{column} IN (SELECT value FROM json_each(?))"

    def list_arg(self, values: Sequence[str]) -> Any:
        return dump(list(values))

    def many(self, con: Any, sql: str, rows: list[tuple]) -> None:
        if rows:
            con.executemany(self.sql(sql), rows)

    def lock_review(self, con: Any, review: str) -> None:
        """Claimers and seat takers of one review take turns (SQLite: its write lock does)."""

    def pipeline(self, con: Any) -> contextlib.AbstractContextManager:
        """Statements sent together and answered together, where the driver can."""
        return contextlib.nullcontext()

    def change_id(self, cursor: Any) -> int:
        return cursor.fetchone()[0] if self.returning else cursor.lastrowid


class SQLStore(Store):
    """The store's statements on a DB-API connection; a backend brings connections and faults."""

    d: Dialect

    def _tx(self, what: str, work: Callable[[Any], T]) -> T:
        """Run `work(con)` in one write transaction; faults become `StoreUnavailable`."""
        raise NotImplementedError

    def _read(self, what: str, work: Callable[[Any], T]) -> T:
        raise NotImplementedError

    def _arrow(
        self, columns: list[str], source: str, args: tuple, schema: pa.Schema, alias: str
    ) -> pa.Table:
        """`SELECT columns FROM source` as an Arrow table of `schema`; `alias`: how source
        names its first table (SQLite reads that table a range of rowids at a time)."""
        raise NotImplementedError

    def _x(self, con: Any, sql: str, args: tuple | list = ()) -> Any:
        return con.execute(self.d.sql(sql), args)

    def _rows(self, sql: str, args: tuple | list = ()) -> list[tuple]:
        return self._read("could not be read", lambda con: self._x(con, sql, args).fetchall())

    def _one(self, sql: str, args: tuple) -> Any:
        """The first column of the first row, or None."""
        rows = self._rows(sql, args)
        return rows[0][0] if rows else None

    def _do(self, what: str, sql: str, args: tuple) -> None:
        self._tx(what, lambda con: self._x(con, sql, args))

    # -- reviews and settings ----------------------------------------------------------------

    def register_review(self, name: str, config: dict) -> None:
        at = now_us()
        sql = "INSERT INTO {t}reviews VALUES (?, ?, ?, ?) " + UPSERT.format("name")
        sql += "config = excluded.config, updated_at = excluded.updated_at"
        self._do("could not register the review", sql, (name, dump(config), at, at))

    def review_config(self, name: str) -> dict | None:
        return load(self._one("SELECT config FROM {t}reviews WHERE name = ?", (name,)))

    def setting(self, review: str, annotator: str, name: str) -> Any:
        sql = "SELECT value FROM {t}settings WHERE review = ? AND annotator = ? AND name = ?"
        return load(self._one(sql, (review, annotator, name)))

    def set_setting(self, review: str, annotator: str, name: str, value: Any) -> None:
        where = "review = ? AND annotator = ? AND name = ?"
        if value is None:
            return self._do(
                "could not save the setting",
                f"DELETE FROM {{t}}settings WHERE {where}",
                (review, annotator, name),
            )
        sql = "INSERT INTO {t}settings VALUES (?, ?, ?, ?, ?) " + UPSERT.format(
            "review, annotator, name"
        )
        sql += "value = excluded.value, updated_at = excluded.updated_at"
        self._do(
            "could not save the setting", sql, (review, annotator, name, dump(value), now_us())
        )

    # -- record keys -------------------------------------------------------------------------

    def legacy_keys(self, review: str) -> list[str]:
        sql = rekeying.legacy_keys_sql(self.d.legacy)
        return [r[0] for r in self._rows(sql, (review,) * 3)]

    def rekey(self, review: str, mapping: Mapping[str, str]) -> None:
        def work(con: Any) -> None:
            self.d.lock_review(con, review)  # a claim must not land on a key being renamed
            rekeying.rekey(con, self.d, review, mapping)

        self._tx("could not migrate the record keys", work)

    # -- changes -----------------------------------------------------------------------------

    def write(self, change: Change) -> RecordState:
        return self._tx("could not save the change", lambda con: self._write(con, change))

    def write_many(self, changes: list[Change], batch: int = 500) -> None:
        """An import: a few hundred changes per transaction, not one commit per record."""
        changes = list(changes)
        for start in range(0, len(changes), batch):
            part = changes[start : start + batch]
            self._tx(
                "could not import the changes", lambda con, p=part: [self._write(con, c) for c in p]
            )

    def _write(self, con: Any, change: Change) -> RecordState:
        """Lock (or create) the record's row, log the change, apply what differs; the
        record's new state comes from the one read of its old state."""
        at = now_us() if change.at is None else change.at
        key = (change.review, change.annotator, change.record)
        with self.d.pipeline(con):
            # The same record's writers queue here (PostgreSQL), and take change ids in order.
            self._x(
                con,
                "INSERT INTO {t}records AS r VALUES (?, ?, ?, NULL, ?, ?) "
                + UPSERT.format("review, annotator, record")
                + "annotated_at = "
                "excluded.annotated_at, seconds = r.seconds + excluded.seconds",
                (*key, at, change.seconds),
            )
            created = self._insert_change(con, key, at, change.seconds, None)
            state = self._x(con, RECORD, key * 2)
            change_id, state = self.d.change_id(created), self._state(state.fetchall())
        self._set_answers(
            con, change_id, key, state.answers, {q: dump(v) for q, v in change.answers.items()}, at
        )
        new = change.status if change.status is not None else state.status
        self._set_status(con, change_id, key, state.status, new, at)
        state.answers = {q: v for q, v in state.answers.items() if v is not None}
        state.status, state.annotated_at, state.change = new, at, change_id
        return state

    def _state(self, rows: list[tuple]) -> RecordState:
        """RECORD's rows as a state; answers still as stored text (decoded by the caller)."""
        state = RecordState(answers={q: v for q, v, *_ in rows if q is not None})
        for question, status, at, seconds in rows:
            if question is None:
                state.status, state.annotated_at, state.seconds = status, at, seconds
        return state

    def _insert_change(self, con: Any, key: tuple, at: int, seconds: float, undo_of: int | None):
        sql = "INSERT INTO {t}changes (review, record, annotator, at, seconds, undo_of) "
        sql += "VALUES (?, ?, ?, ?, ?, ?)" + (" RETURNING id" if self.d.returning else "")
        return self._x(con, sql, (key[0], key[2], key[1], at, seconds, undo_of))

    def _set_answers(self, con, change_id, key, current: dict, answers: dict, at) -> None:
        """Apply the answers that differ from the stored text; `current` becomes the new
        answers, decoded."""
        events, upserts, deletes = [], [], []
        for question, value in answers.items():
            previous = current.get(question)
            if previous == value:
                continue
            events.append((change_id, question, value, previous))
            target = deletes if value is None else upserts
            target.append((*key, question) if value is None else (*key, question, value, at))
            current[question] = value
        for question, text in current.items():
            current[question] = load(text)
        self.d.many(
            con,
            "INSERT INTO {t}events (change, question, value, previous) VALUES (?, ?, ?, ?)",
            events,
        )
        self.d.many(con, f"DELETE FROM {{t}}answers WHERE {KEY} AND question = ?", deletes)
        self.d.many(
            con,
            "INSERT INTO {t}answers VALUES (?, ?, ?, ?, ?, ?) "
            + UPSERT.format("review, annotator, record, question")
            + "value = excluded.value, updated_at = excluded.updated_at",
            upserts,
        )

    def _set_status(self, con, change_id, key, old, new, at, touch: bool = False) -> None:
        if new != old:
            self._x(
                con,
                "INSERT INTO {t}events (change, question, value, previous) VALUES (?, NULL, ?, ?)",
                (change_id, dump(new), dump(old)),
            )
        if new != old or touch:
            sql = f"UPDATE {{t}}records SET status = ?, annotated_at = ? WHERE {KEY}"
            self._x(con, sql, (new, at, *key))

    def add_seconds(self, review: str, annotator: str, record: str, seconds: float) -> None:
        sql = "INSERT INTO {t}records AS r VALUES (?, ?, ?, NULL, ?, ?) " + UPSERT.format(
            "review, annotator, record"
        )
        sql += "seconds = r.seconds + excluded.seconds"
        self._do(
            "could not save the time on screen", sql, (review, annotator, record, now_us(), seconds)
        )

    def last_change(self, review: str, annotator: str) -> tuple[int, str] | None:
        rows = self._rows(
            "SELECT c.id, c.record FROM {t}changes c WHERE c.review = ? AND c.annotator = ? "
            "AND c.undo_of IS NULL AND EXISTS (SELECT 1 FROM {t}events e WHERE e.change = c.id) "
            "AND NOT EXISTS (SELECT 1 FROM {t}changes u WHERE u.undo_of = c.id) "
            "ORDER BY c.id DESC LIMIT 1",
            (review, annotator),
        )
        return (rows[0][0], rows[0][1]) if rows else None

    def undo(self, change_id: int) -> str:
        return self._tx("could not undo the change", lambda con: self._undo(con, change_id))

    def _undo(self, con: Any, change_id: int) -> str:
        at = now_us()
        row = self._x(
            con, "SELECT review, annotator, record FROM {t}changes WHERE id = ?", (change_id,)
        ).fetchone()
        if row is None:
            raise StoreError(f"there is no change {change_id} to undo")
        key = tuple(row)
        status = self._x(
            con, f"SELECT status FROM {{t}}records WHERE {KEY}{self.d.for_update}", key
        ).fetchone()
        events = self._x(
            con,
            "SELECT question, previous FROM {t}events WHERE change = ? "
            f"ORDER BY {self.d.event_order} DESC",
            (change_id,),
        ).fetchall()
        undo_id = self.d.change_id(self._insert_change(con, key, at, 0.0, change_id))
        old = None if status is None else status[0]
        for question, previous in events:  # in reverse
            if question is None:
                self._set_status(con, undo_id, key, old, load(previous), at, touch=True)
                continue
            current = self._x(
                con,
                f"SELECT question, value FROM {{t}}answers WHERE {KEY} AND question = ?",
                (*key, question),
            ).fetchall()
            self._set_answers(con, undo_id, key, dict(current), {question: previous}, at)
        return key[2]

    # -- claims and seats --------------------------------------------------------------------

    def claim(
        self, review: str, annotator: str, candidates: list[str], overlap: int, ttl: float
    ) -> str | None:
        def work(con: Any) -> str | None:
            self.d.lock_review(con, review)  # two never take the last free place
            return self._claim(con, (review, annotator), candidates, overlap, ttl)

        return self._tx("could not claim a record", work)

    def _claim(self, con, key, candidates, overlap, ttl) -> str | None:
        """Release the annotator's earlier claims and expired ones, then reserve the first
        candidate whose taken places (others' submitted answers, live claims) are fewer
        than `overlap`."""
        review, annotator = key
        at = now_us()
        self._x(
            con,
            "DELETE FROM {t}reservations WHERE review = ? AND (annotator = ? OR expires_at < ?)",
            (review, annotator, at),
        )
        taken = (
            "SELECT (SELECT COUNT(*) FROM {t}records WHERE review = ? AND record = ? "
            "AND status = 'submitted' AND annotator NOT IN (?, ?)) + "
            "(SELECT COUNT(*) FROM {t}reservations v WHERE v.review = ? AND v.record = ? "
            # a claim whose holder has submitted the record is counted once, as an answer
            "AND NOT EXISTS (SELECT 1 FROM {t}records d WHERE d.review = v.review "
            "AND d.record = v.record AND d.annotator = v.annotator AND d.status = 'submitted'))"
        )
        for record in candidates:
            args = (review, record, annotator, ADJUDICATOR, review, record)
            if self._x(con, taken, args).fetchone()[0] < overlap:
                self._x(
                    con,
                    "INSERT INTO {t}reservations VALUES (?, ?, ?, ?)",
                    (review, record, annotator, at + int(ttl * 1e6)),
                )
                return record
        return None

    def take_seat(
        self, review: str, annotator: str, seat: str, record: str | None, ttl: float
    ) -> dict[str, str | None]:
        def work(con: Any) -> dict[str, str | None]:
            self.d.lock_review(con, review)  # two seats never hold the same record
            return self._hold_seat(con, (review, annotator), seat, record, ttl)

        return self._tx("could not take a seat", work)

    def _hold_seat(self, con, key, seat, record, ttl) -> dict[str, str | None]:
        """Drop expired seats, hold `record` unless another live seat of the annotator
        holds it; the annotator's other live seats, seat -> record."""
        at = now_us()
        self._x(con, "DELETE FROM {t}seats WHERE expires_at < ?", (at,))
        others = dict(
            self._x(
                con,
                "SELECT seat, record FROM {t}seats WHERE review = ? "
                "AND annotator = ? AND seat <> ?",
                (*key, seat),
            ).fetchall()
        )
        held = None if record in others.values() else record
        self._x(
            con,
            "INSERT INTO {t}seats VALUES (?, ?, ?, ?, ?) "
            + UPSERT.format("review, annotator, seat")
            + "record = excluded.record, expires_at = excluded.expires_at",
            (*key, seat, held, at + int(ttl * 1e6)),
        )
        return others

    def leave_seat(self, review: str, annotator: str, seat: str) -> None:
        sql = "DELETE FROM {t}seats WHERE review = ? AND annotator = ? AND seat = ?"
        self._do("could not leave a seat", sql, (review, annotator, seat))

    # -- reads -------------------------------------------------------------------------------

    def record(self, review: str, annotator: str, key: str) -> RecordState:
        state = self._state(self._rows(RECORD, (review, annotator, key) * 2))
        state.answers = {q: load(v) for q, v in state.answers.items()}
        return state

    def submitted_counts(self, review: str, keys: list[str], exclude: str) -> dict[str, int]:
        sql = (
            f"SELECT record, COUNT(*) FROM {{t}}records WHERE review = ? AND "
            f"{self.d.in_list('record')} AND status = 'submitted' AND annotator NOT IN "
            "(?, ?) GROUP BY record"
        )
        return dict(self._rows(sql, (review, self.d.list_arg(keys), exclude, ADJUDICATOR)))

    def status_counts(self, review: str) -> list[tuple[str, str, int]]:
        return self._rows(
            "SELECT annotator, status, COUNT(*) FROM {t}records WHERE review = ? "
            "AND status IS NOT NULL GROUP BY annotator, status ORDER BY annotator",
            (review,),
        )

    def statuses(self, review: str, annotator: str) -> dict[str, str]:
        sql = "SELECT record, status FROM {t}records WHERE review = ? AND annotator = ? "
        return dict(self._rows(sql + "AND status IS NOT NULL", (review, annotator)))

    def _select(self, sql: str, review: str, annotator: str | None) -> list[tuple]:
        if annotator is None:
            return self._rows(sql, (review,))
        return self._rows(sql + " AND annotator = ?", (review, annotator))

    def records(self, review: str, annotator: str | None = None) -> list[tuple]:
        sql = "SELECT record, annotator, status, annotated_at, seconds FROM {t}records "
        return self._select(sql + "WHERE review = ? AND status IS NOT NULL", review, annotator)

    def answers(self, review: str, annotator: str | None = None) -> list[tuple]:
        sql = "SELECT record, annotator, question, value, updated_at FROM {t}answers "
        rows = self._select(sql + "WHERE review = ?", review, annotator)
        values = load_many([row[3] for row in rows])
        return [(r, a, q, v, t) for (r, a, q, _, t), v in zip(rows, values, strict=True)]

    def history(self, review: str) -> list[tuple]:
        rows = self._rows(
            "SELECT c.id, c.record, c.annotator, e.question, e.value, e.previous, c.at, "
            "c.undo_of FROM {t}changes c JOIN {t}events e ON e.change = c.id "
            f"WHERE c.review = ? ORDER BY c.id, e.{self.d.event_order}",
            (review,),
        )
        return [(c, r, a, q, load(v), load(p), t, u) for c, r, a, q, v, p, t, u in rows]

    # -- reads as Arrow ----------------------------------------------------------------------

    def _table(self, query: tuple, args: tuple, schema: pa.Schema) -> pa.Table:
        columns, table, where = query
        return self._arrow(columns, f"{{t}}{table} WHERE {where}", args, schema, f"{{t}}{table}")

    def times(self, review: str) -> pa.Table:
        return self._table(TIMES, (review,), tables.TIMES)

    def records_table(self, review: str, annotator: str) -> pa.Table:
        return self._table(RECORDS, (review, annotator), tables.RECORDS)

    def answers_table(self, review: str, annotator: str) -> pa.Table:
        return self._table(ANSWERS, (review, annotator), tables.ANSWERS)

    def submitted_answers(
        self, review: str, question: str | None = None, *, records: Sequence[str] | None = None
    ) -> pa.Table:
        source, args = SUBMITTED_FROM, [review, ADJUDICATOR]
        if question is not None:
            source, args = source + " AND a.question = ?", [*args, question]
        if records is not None:
            source += f" AND {self.d.in_list('a.record')}"
            args.append(self.d.list_arg(records))
        columns = ["a.record", "a.annotator", "a.question", "a.value"]
        return self._arrow(columns, source, tuple(args), tables.SUBMITTED, "a")
