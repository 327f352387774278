"""Every statement of the store, once: `SQLStore` runs them on SQLite and PostgreSQL alike.

A statement is written once, below, with `?` for its arguments, `{t}` before each table
name and `{...}` for the few words the databases spell differently (`Dialect.words`);
the backend's `Dialect` turns it into its own text (`%s`, the `nbreview_` prefix) once
and keeps it. What the databases do differently beyond words is a method of `Dialect`
(locks, list arguments, pipelining); each backend module (`sqlite.py`, `postgres.py`)
adds only its connections, transactions and faults: `_run(work, write)` runs `work(con)`
(in one transaction when it writes), `_fault` names what went wrong, `_arrow` reads a
query as Arrow.

To add a statement: a constant here, and a method of `SQLStore` running it with
`self._x(con, STATEMENT, args)` inside `self._tx` (writes) or `self._rows` (reads). A new
table goes in `SCHEMA`, which both backends create. Nothing changes in either backend.
"""

from __future__ import annotations

import contextlib
import functools
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any, TypeVar

import pyarrow as pa
import pyarrow.compute as pc

from . import claims as claiming
from . import expect as expecting
from . import rekey as rekeying
from . import tables
from .base import (
    ADJUDICATOR,
    APP,
    DONE,
    SCHEMA_VERSION,
    Change,
    RecordState,
    StoreError,
    dump,
    load,
    load_many,
    now_us,
)

T = TypeVar("T")
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
CREATE INDEX IF NOT EXISTS {t}records_record ON {t}records(review, record);
CREATE TABLE IF NOT EXISTS {t}reservations (
    review TEXT NOT NULL, record TEXT NOT NULL, annotator TEXT NOT NULL,
    expires_at {int} NOT NULL, PRIMARY KEY (review, record, annotator));
CREATE TABLE IF NOT EXISTS {t}seats (
    review TEXT NOT NULL, annotator TEXT NOT NULL, seat TEXT NOT NULL, record TEXT,
    expires_at {int} NOT NULL, PRIMARY KEY (review, annotator, seat));
CREATE TABLE IF NOT EXISTS {t}settings (
    review TEXT NOT NULL, annotator TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
    updated_at {int} NOT NULL, PRIMARY KEY (review, annotator, name));
CREATE TABLE IF NOT EXISTS {t}suggestions (
    review TEXT NOT NULL, record TEXT NOT NULL, question TEXT NOT NULL, name TEXT NOT NULL,
    value TEXT, at {int} NOT NULL, PRIMARY KEY (review, record, question, name)){keyed};
"""

META = (
    "INSERT INTO nbreview_meta VALUES ('app', ?), ('schema_version', ?) "
    "ON CONFLICT (key) DO NOTHING"
)


def create_schema(con: Any, dialect: Dialect, extra: Sequence[str] = ()) -> None:
    """Every table (a no-op where they exist) and the meta rows, in the caller's transaction."""
    for statement in [*dialect.schema(), *extra]:
        con.execute(statement)
    con.execute(dialect.sql(META), (APP, str(SCHEMA_VERSION)))


def check_meta(where: str, meta: dict[str, str]) -> None:
    """Refuse a store (`where` names it) of another application or of a schema this nbreview
    cannot read, before anything is written to it."""
    if meta.get("app") != APP:
        raise StoreError(
            f"{where} belongs to another application, not nbreview; it was left untouched: "
            "choose another store"
        )
    text = meta.get("schema_version")
    if text is None or not text.isascii() or not text.isdigit() or int(text) < 1:
        raise StoreError(
            f"{where} has a bad schema_version {str(text)[:40]!r} in nbreview_meta (this "
            f"nbreview reads versions 1 to {SCHEMA_VERSION}); it was left untouched"
        )
    if int(text) > SCHEMA_VERSION:
        raise StoreError(
            f"{where} was written by a newer nbreview (store schema {int(text)}, this version "
            f"reads up to {SCHEMA_VERSION}); upgrade nbreview. It was left untouched"
        )


def excluded(*columns: str) -> str:
    """An upsert's SET of these columns to the values the INSERT gave."""
    return ", ".join(f"{c} = excluded.{c}" for c in columns)


def upsert(table: str, width: int, conflict: str, sets: str) -> str:
    """INSERT of a whole row that updates `sets` (`r` is the stored row) when it exists."""
    marks = ", ".join("?" * width)
    insert = f"INSERT INTO {{t}}{table} AS r VALUES ({marks})"
    return f"{insert} ON CONFLICT ({conflict}) DO UPDATE SET {sets}"


KEY = "review = ? AND annotator = ? AND record = ?"
REC = "review, annotator, record"
SET_VALUE = excluded("value", "updated_at")
ADD = "seconds = r.seconds + excluded.seconds"
REGISTER = upsert("reviews", 4, "name", excluded("config", "updated_at"))
REVIEW_CONFIG = "SELECT config FROM {t}reviews WHERE name = ?"
SETTING = "SELECT value FROM {t}settings WHERE review = ? AND annotator = ? AND name = ?"
SET_SETTING = upsert("settings", 5, "review, annotator, name", SET_VALUE)
DROP_SETTING = "DELETE FROM {t}settings WHERE review = ? AND annotator = ? AND name = ?"
# A change: lock (or create) the record's row, log the change, read the record's state.
SAVE_RECORD = upsert("records", 6, REC, f"{excluded('status', 'annotated_at')}, {ADD}")
ADD_SECONDS = upsert("records", 6, REC, ADD)
NEW_CHANGE = (
    "INSERT INTO {t}changes (review, record, annotator, at, seconds, undo_of) "
    "VALUES (?, ?, ?, ?, ?, ?){returning}"
)
STATE = (  # records' states: a status row each, then a row per answer
    "SELECT record, NULL, NULL, status, annotated_at, seconds FROM {t}records WHERE {where} "
    "UNION ALL SELECT record, question, NULL, value, NULL, NULL FROM {t}answers WHERE {where}"
)
RECORD = STATE.replace("{where}", KEY)  # one record's, in one statement
SHOWN = (  # and a row per stored suggestion: what records shown read from the store
    STATE.replace("{where}", "review = ? AND annotator = ? AND record {in}")
    + " UNION ALL SELECT record, question, name, value, at, NULL FROM {t}suggestions "
    "WHERE review = ? AND record {in} AND value IS NOT NULL"
)
EVENT = "INSERT INTO {t}events (change, question, value, previous) VALUES (?, ?, ?, ?)"
SET_ANSWER = upsert("answers", 6, f"{REC}, question", SET_VALUE)
DROP_ANSWER = f"DELETE FROM {{t}}answers WHERE {KEY} AND question = ?"
SET_STATUS = f"UPDATE {{t}}records SET status = ?, annotated_at = ? WHERE {KEY}"
# Undo.
CHANGE = "SELECT review, annotator, record FROM {t}changes WHERE id = ?"
LOCK_STATUS = f"SELECT status FROM {{t}}records WHERE {KEY}{{lock}}"
EVENTS = "SELECT question, previous FROM {t}events WHERE change = ? ORDER BY {order} DESC"
ANSWER = f"SELECT question, value FROM {{t}}answers WHERE {KEY} AND question = ?"
ANSWER_CHARS = (  # what a budget counts: characters of stored answer JSON, on both backends
    "SELECT COALESCE(SUM(length(value)), 0) FROM {t}answers WHERE review = ? AND annotator = ?"
)
LAST_CHANGE = (
    "SELECT c.id, c.record FROM {t}changes c WHERE c.review = ? AND c.annotator = ? "
    "AND c.undo_of IS NULL AND EXISTS (SELECT 1 FROM {t}events e WHERE e.change = c.id) "
    "AND NOT EXISTS (SELECT 1 FROM {t}changes u WHERE u.undo_of = c.id) ORDER BY c.id DESC LIMIT 1"
)
# Claims and seats.
EXPIRE_SEATS = "DELETE FROM {t}seats WHERE review = ? AND annotator = ? AND expires_at < ?"
SEATS = "SELECT seat, record FROM {t}seats WHERE review = ? AND annotator = ? AND seat <> ?"
SEAT = upsert("seats", 5, "review, annotator, seat", excluded("record", "expires_at"))
LEAVE = "DELETE FROM {t}seats WHERE review = ? AND annotator = ? AND seat = ?"
# A callable's suggestions: a record it was asked about has a row per question, NULL where
# it suggested nothing (so none is asked twice); kept for reopening, others, to_dataset.
SUGGEST = "INSERT INTO {t}suggestions VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT "
KEEP_SUGGESTION = SUGGEST + "DO NOTHING"
SET_SUGGESTION = (
    SUGGEST + f"(review, record, question, name) DO UPDATE SET {excluded('value', 'at')}"
)
ASKED_ALL = "SELECT DISTINCT record FROM {t}suggestions WHERE review = ? AND name = ?"
ASKED = ASKED_ALL + " AND record {in}"
ASK_ALL = 5_000  # keys from which one scan of a callable's records beats a list of them
SUGGESTIONS = (
    "SELECT record, question, name, value, at FROM {t}suggestions WHERE review = ? "
    "AND value IS NOT NULL"
)
# Reads.
SUBMITTED_COUNTS = (
    "SELECT record, COUNT(*) FROM {t}records WHERE review = ? AND record {in} "
    "AND status = 'submitted' AND annotator NOT IN (?, ?) GROUP BY record"
)
STATUS_COUNTS = (
    "SELECT annotator, status, COUNT(*) FROM {t}records WHERE review = ? "
    "AND status IS NOT NULL GROUP BY annotator, status ORDER BY annotator"
)
STATUSES = (
    "SELECT record, status FROM {t}records WHERE review = ? AND annotator = ? "
    "AND status IS NOT NULL"
)
RECORDS = (
    "SELECT record, annotator, status, annotated_at, seconds FROM {t}records "
    "WHERE review = ? AND status IS NOT NULL"
)
ANSWERS = "SELECT record, annotator, question, value, updated_at FROM {t}answers WHERE review = ?"
HISTORY = (
    "SELECT c.id, c.record, c.annotator, e.question, e.value, e.previous, c.at, c.undo_of "
    "FROM {t}changes c JOIN {t}events e ON e.change = c.id WHERE c.review = ? "
    "ORDER BY c.id, e.{order}"
)
# Reads as Arrow: (select list, FROM ... WHERE ...), the first table named `x` (SQLite reads it
# by rowid ranges); `{+}` keeps SQLite on those ranges rather than an index.
TIMES_TABLE = (
    "record, annotator, status, annotated_at, seconds",
    "{t}records x WHERE {+}review = ?",
)
WHOSE = "x WHERE {+}review = ? AND annotator = ?"  # one annotator's
RECORDS_TABLE = (", ".join(tables.ANSWERED_FIELDS), f"{{t}}records {WHOSE} AND status IS NOT NULL")
ANSWERS_TABLE = ("record, question, value", f"{{t}}answers {WHOSE}")
SUBMITTED = (
    "x.record, x.annotator, x.question, x.value",
    "{t}answers x JOIN {t}records r ON r.review = x.review AND r.annotator = x.annotator "
    "AND r.record = x.record WHERE {+}x.review = ? AND r.status = 'submitted' AND x.annotator <> ?",
)
# Every answer of a review but "adjudicated"'s, no join: a change writes a record's row with
# its answers, so SUBMITTED's rows are these minus those of the few records not submitted.
TEAM_ANSWERS = (
    "record, annotator, question, value",
    "{t}answers x WHERE {+}review = ? AND annotator <> ?",
)
NOT_SUBMITTED = (
    "SELECT annotator, record FROM {t}records WHERE review = ? AND annotator <> ? "
    "AND (status IS NULL OR status <> 'submitted')"
)


@dataclass(frozen=True)
class Dialect:
    """What one database spells or does its own way; each backend module makes one."""

    prefix: str  # before every table name
    mark: str  # the placeholder of an argument
    # SCHEMA's {int}, {real}, {serial}, {event_id}; the statements' {order} of events, {lock},
    # {in} a list, {+}, {returning}, {candidates} (a list of texts as rows (record, n), n its
    # place in the list), {legacy} (a key of scheme 1)
    words: tuple[tuple[str, str], ...]
    lock_first: bool = False  # a change locks its record's row before reading it
    nul: bool = True  # texts may hold a NUL byte

    spelled: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def sql(self, text: str) -> str:
        """A statement of this module in the database's own text (made once, then kept)."""
        found = self.spelled.get(text)
        if found is None:
            found = text
            for word, spelling in (("{t}", self.prefix), *self.words):
                found = found.replace(word, spelling)
            found = self.spelled[text] = found.replace("?", self.mark)
        return found

    def schema(self) -> list[str]:
        return [s for s in self.sql(SCHEMA).split(";") if s.strip()]

    def list_arg(self, values: Sequence[str]) -> Any:
        """The argument of `{in}`: a list of texts."""
        return dump(list(values))

    def many(self, con: Any, sql: str, rows: list[tuple]) -> None:
        if rows:  # (a cursor's: psycopg's connection has no executemany)
            con.cursor().executemany(self.sql(sql), rows)

    def lock_review(self, con: Any, review: str, annotator: str = "", shared: bool = False) -> None:
        """A rekey of one review waits for its claims (`shared`: claims do not wait for each
        other), seat takers of one annotator take turns (SQLite: its write lock does all)."""

    def pipeline(self, con: Any) -> contextlib.AbstractContextManager:
        """Statements sent together and answered together, where the driver can."""
        return contextlib.nullcontext()

    def change_id(self, cursor: Any) -> int:
        """The id NEW_CHANGE made: RETURNING where the database has it, else lastrowid."""
        return cursor.lastrowid if dict(self.words)["{returning}"] == "" else cursor.fetchone()[0]


class SQLStore(ABC):
    """An append-only log of changes plus the current state it implies, per review: the
    statements above on a DB-API connection, which a backend brings with its faults."""

    d: Dialect
    url: str

    @abstractmethod
    def close(self) -> None: ...

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.url!r})"

    @abstractmethod
    def _run(self, work: Callable[[Any], T], write: bool) -> T:
        """`work(con)` on a connection: when it writes, in one transaction, tried again
        where the database says another try will do."""

    @abstractmethod
    def _fault(self, what: str, exc: Exception) -> Exception:
        """What to raise for `exc`: a fault that passes as `StoreUnavailable`, a refused
        statement as `StoreError` (`what` failed), anything else as it is."""

    @abstractmethod
    def _arrow(self, query: tuple, args: tuple, schema: pa.Schema) -> pa.Table:
        """A query of the *_TABLE kind (above) as an Arrow table of `schema`."""

    def _x(self, con: Any, sql: str, args: tuple | list = ()) -> Any:
        return con.execute(self.d.sql(sql), args)

    def _tx(self, what: str, work: Callable[[Any], T], write: bool = True) -> T:
        """Run `work(con)`: in one write transaction (`write`), else as a read."""
        try:
            return self._run(work, write)
        except Exception as exc:
            raise self._fault(what, exc) from None

    def _rows(self, sql: str, args: tuple | list = ()) -> list[tuple]:
        return self._tx("could not be read", lambda c: self._x(c, sql, args).fetchall(), False)

    def _one(self, sql: str, args: tuple) -> Any:
        """The first column of the first row, or None."""
        rows = self._rows(sql, args)
        return rows[0][0] if rows else None

    def _do(self, what: str, sql: str, args: tuple) -> None:
        self._tx(f"could not {what}", lambda con: self._x(con, sql, args))

    # -- reviews, settings, record keys ------------------------------------------------------

    def check_texts(self, texts: Mapping[str, Any]) -> None:
        """Refuse, naming where, a text this database cannot keep (PostgreSQL: a NUL byte):
        `texts` maps what they are ("id column 'id'") to their values in row order, or to a
        function giving them (called only where a database refuses some)."""
        if self.d.nul:
            return
        for what, values in texts.items():
            values = values() if callable(values) else values
            values = values if isinstance(values, (pa.Array, pa.ChunkedArray)) else pa.array(values)
            if not pa.types.is_string(values.type) and not pa.types.is_large_string(values.type):
                continue
            found = pc.match_substring(values, "\x00")
            if pc.any(found).as_py():
                row = pc.index(found, True).as_py()
                raise ValueError(
                    f"{what} holds a NUL byte (row {row}: {values[row].as_py()[:40]!r}), which "
                    f"this store ({self.url}) cannot keep; remove it, or use a SQLite store"
                )

    def register_review(self, name: str, config: dict) -> None:
        """Create or update the review's entry (its questions), so the store describes itself."""
        at = now_us()
        self._do("register the review", REGISTER, (name, dump(config), at, at))

    def review_config(self, name: str) -> dict | None:
        """The config a review was last registered with (its key scheme), or None."""
        return load(self._one(REVIEW_CONFIG, (name,)))

    def setting(self, review: str, annotator: str, name: str) -> Any:
        """A per-annotator setting of a review (its queue), or None."""
        return load(self._one(SETTING, (review, annotator, name)))

    def set_setting(self, review: str, annotator: str, name: str, value: Any) -> None:
        """Keep a JSON-able setting; None removes it."""
        if value is None:
            return self._do("save the setting", DROP_SETTING, (review, annotator, name))
        args = (review, annotator, name, dump(value), now_us())
        self._do("save the setting", SET_SETTING, args)

    def legacy_keys(self, review: str) -> list[str]:
        """The review's record keys of scheme 1 (nbreview 0.1's content keys), to migrate."""
        return [r[0] for r in self._rows(rekeying.LEGACY_KEYS, (review,) * 3)]

    def rekey(self, review: str, mapping: Mapping[str, str]) -> None:
        """Move every row of the review from old keys to new ones in one transaction."""

        def work(con: Any) -> None:
            self.d.lock_review(con, review)  # a claim must not land on a key being renamed
            rekeying.rekey(con, self.d, review, mapping)

        self._tx("could not migrate the record keys", work)

    # -- changes -----------------------------------------------------------------------------

    def write(self, change: Change) -> RecordState:
        """Apply and log one change atomically; the record's new state, read in the same
        transaction (its `change`: the change's id, for undo)."""

        def work(con: Any) -> RecordState:
            state = self._write(con, change)
            if change.move is not None and state.status in DONE:
                state.moved = self._move(con, change)
            return state

        return self._tx("could not save the change", work)

    def _move(self, con: Any, change: Change) -> tuple | None:
        """A Move (store/base.py) after its change: take the next record, seat the window on
        it, read its state. None (the session moves as usual, in transactions of its own) with
        overlap=k: a claim inside the write held the claim's locks to its COMMIT, and at 20
        annotators on one PostgreSQL the server's CPU per record doubled (benchmarks/load.py:
        86 records/s against 134 with the claim in a transaction of its own)."""
        move, review, annotator = change.move, change.review, change.annotator
        record = move.candidates[0] if move.candidates else None
        if move.overlap is not None or record is None:
            return None
        others = None
        if move.seat is not None:
            others = self._seat(con, review, annotator, move.seat, record, move.seat_ttl)
        listed = self.d.list_arg([record])
        rows = self._x(con, SHOWN, (review, annotator, listed) * 2 + (review, listed)).fetchall()
        state = self._states(rows).get(record) or RecordState()
        return record, others, self._decoded(state)

    def write_many(self, changes: list[Change], batch: int = 500) -> None:
        """An import: a few hundred changes per transaction, not one commit per record."""
        changes = list(changes)
        for start in range(0, len(changes), batch):
            part = changes[start : start + batch]
            self._tx(
                "could not import the changes", lambda c, p=part: [self._write(c, x) for x in p]
            )

    def _write(self, con: Any, change: Change) -> RecordState:
        """Log the change and apply what differs: the new state comes from the one read of
        the old, in the same transaction (PostgreSQL: in one pipeline, a few round trips)."""
        at = now_us() if change.at is None else change.at
        key = (change.review, change.annotator, change.record)
        with self.d.pipeline(con):
            if self.d.lock_first:  # the same record's writers queue here, take ids in order
                self._x(con, ADD_SECONDS, (*key, None, at, 0.0))
            created = self._x(con, NEW_CHANGE, (key[0], key[2], key[1], at, change.seconds, None))
            state = self._states(self._x(con, RECORD, key * 2).fetchall()).get(key[2])
            state = state or RecordState()
            state.change = self.d.change_id(created)
            expecting.check(state, change.expect)  # another window's answer stays
            answers = {q: dump(v) for q, v in change.answers.items()}
            events = self._set_answers(con, state.change, key, state.answers, answers, at)
            new = change.status(state.answers) if callable(change.status) else change.status
            if new is not None and new != state.status:
                events.append((state.change, None, dump(new), dump(state.status)))
                state.status = new
            self.d.many(con, EVENT, events)
            self._x(con, SAVE_RECORD, (*key, state.status, at, change.seconds))
        state.annotated_at, state.seconds = at, (state.seconds or 0.0) + change.seconds
        return state

    def _states(self, rows: list[tuple]) -> dict[str, RecordState]:
        """STATE's (or SHOWN's) rows as states by record; answers still as stored text."""
        states: dict[str, RecordState] = {}
        for key, question, name, value, at, seconds in rows:
            state = states.get(key) or states.setdefault(key, RecordState())
            if question is None:
                state.status, state.annotated_at, state.seconds = value, at, seconds
            elif name is None:
                state.answers[question] = value
            else:
                state.suggested.append((key, question, name, value, at))
        return states

    def _set_answers(self, con, change_id, key, current: dict, answers: dict, at) -> list:
        """Apply the answers (stored text) that differ; `current`, the stored text of the
        record's answers, becomes its new answers, decoded. Their events, to log."""
        events, upserts, deletes = [], [], []
        for question, value in answers.items():
            previous = current.get(question)
            if previous != value:
                events.append((change_id, question, value, previous))
                if value is None:
                    deletes.append((*key, question))
                    current.pop(question, None)
                else:
                    upserts.append((*key, question, value, at))
                    current[question] = value
        current.update((question, load(text)) for question, text in current.items())
        self.d.many(con, DROP_ANSWER, deletes)
        self.d.many(con, SET_ANSWER, upserts)
        return events

    def add_seconds(self, review: str, annotator: str, record: str, seconds: float) -> None:
        """Add time on screen to a record, answered or not (a row with no status if need be),
        leaving answers and status as they are."""
        args = (review, annotator, record, None, now_us(), seconds)
        self._do("save the time on screen", ADD_SECONDS, args)

    def last_change(self, review: str, annotator: str) -> tuple[int, str] | None:
        """(change id, record) of the annotator's newest change with an effect that is not an
        undo and was not undone: after a restart, undo goes on where the last session's would."""
        rows = self._rows(LAST_CHANGE, (review, annotator))
        return (rows[0][0], rows[0][1]) if rows else None

    def undo(self, change_id: int) -> str:
        """Log a change restoring what `change_id` replaced; the record key it touched."""
        return self._tx("could not undo the change", lambda con: self._undo(con, change_id))

    def _undo(self, con: Any, change_id: int) -> str:
        """Log a change that puts back, newest first, what each event of `change_id` replaced."""
        at, row = now_us(), self._x(con, CHANGE, (change_id,)).fetchone()
        if row is None:
            raise StoreError(f"there is no change {change_id} to undo")
        key = tuple(row)
        status = self._x(con, LOCK_STATUS, key).fetchone()
        events = self._x(con, EVENTS, (change_id,)).fetchall()
        undo = self.d.change_id(
            self._x(con, NEW_CHANGE, (key[0], key[2], key[1], at, 0.0, change_id))
        )
        logged = []
        for question, previous in events:
            if question is None:
                old, new = status and status[0], load(previous)
                if new != old:
                    logged.append((undo, None, previous, dump(old)))
                self._x(con, SET_STATUS, (new, at, *key))
            else:
                current = dict(self._x(con, ANSWER, (*key, question)).fetchall())
                logged += self._set_answers(con, undo, key, current, {question: previous}, at)
        self.d.many(con, EVENT, logged)
        return key[2]

    # -- claims and seats --------------------------------------------------------------------

    def claim(
        self, review: str, annotator: str, candidates: list[str], overlap: int, ttl: float
    ) -> str | None:
        """Reserve for `annotator`, atomically, the first candidate whose others' submitted
        answers plus others' live claims are fewer than `overlap`; the annotator's other
        claims in the review are released; a claim expires after `ttl` seconds."""

        args = (review, annotator, candidates, overlap, ttl)
        return self._tx("could not claim a record", lambda con: self._claim(con, *args))

    def _claim(self, con: Any, review: str, annotator: str, candidates: list[str],
               overlap: int, ttl: float) -> str | None:  # fmt: skip
        self.d.lock_review(con, review, shared=True)  # only a rekey waits for claims
        run = functools.partial(self._x, con)
        return claiming.claim(run, self.d, review, annotator, candidates, overlap, ttl)

    def take_seat(
        self, review: str, annotator: str, seat: str, record: str | None, ttl: float
    ) -> dict[str, str | None]:
        """Hold `record` for one place (a tab, a kernel) the annotator reviews in, unless another
        of their live seats holds it (atomic: at most one does), for `ttl` seconds; the
        annotator's other live seats and their records."""

        args = (review, annotator, seat, record, ttl)
        return self._tx("could not take a seat", lambda con: self._seat(con, *args))

    def _seat(self, con: Any, review: str, annotator: str, seat: str, record: str | None,
              ttl: float) -> dict[str, str | None]:  # fmt: skip
        self.d.lock_review(con, review, annotator)  # their seats never hold one record
        at = now_us()
        self._x(con, EXPIRE_SEATS, (review, annotator, at))  # only theirs: rows they own
        others = dict(self._x(con, SEATS, (review, annotator, seat)).fetchall())
        held = None if record in others.values() else record
        self._x(con, SEAT, (review, annotator, seat, held, at + int(ttl * 1e6)))
        return others

    def leave_seat(self, review: str, annotator: str, seat: str) -> None:
        """Give up a seat (its page closed): its record is free for the annotator's others."""
        self._do("leave a seat", LEAVE, (review, annotator, seat))

    # -- a callable's suggestions ------------------------------------------------------------

    def put_suggestions(self, review: str, name: str, rows: list, overwrite: bool = False) -> None:
        """Keep (record, question, value as JSON text or None) rows of callable `name`."""
        at, sql = now_us(), SET_SUGGESTION if overwrite else KEEP_SUGGESTION
        if not rows:
            return
        records, questions, values = zip(*rows, strict=True)  # the tuples made in C
        args = list(zip(repeat(review), records, questions, repeat(name), values, repeat(at)))
        self._tx("could not store suggestions", lambda con: self.d.many(con, sql, args))

    def suggested(self, review: str, name: str, keys: Sequence[str]) -> set[str]:
        """The records among `keys` that callable `name` was already asked about (many
        keys: one scan of the callable's records, matched here)."""
        if len(keys) >= ASK_ALL:
            return {r[0] for r in self._rows(ASKED_ALL, (review, name))}.intersection(keys)
        return {r[0] for r in self._rows(ASKED, (review, name, self.d.list_arg(keys)))}

    def suggestions(self, review: str, keys: Sequence[str] | None = None) -> list[tuple]:
        """(record, question, name, value, at) of stored suggestions, oldest first."""
        if keys is None:
            return self._rows(SUGGESTIONS + " ORDER BY at", (review,))
        args = (review, self.d.list_arg(keys))
        return self._rows(SUGGESTIONS + " AND record {in} ORDER BY at", args)

    # -- reads -------------------------------------------------------------------------------

    def record(self, review: str, annotator: str, key: str) -> RecordState:
        """The current state of one record for one annotator."""
        state = self._states(self._rows(RECORD, (review, annotator, key) * 2)).get(key)
        return self._decoded(state or RecordState())

    def shown(self, review: str, annotator: str, keys: Sequence[str]) -> dict[str, RecordState]:
        """The states of records about to be shown, by key (none for one nothing is stored of),
        with their stored suggestions (`suggested`, as `suggestions()` gives them), in one read."""
        listed = self.d.list_arg(keys)
        rows = self._rows(SHOWN, (review, annotator, listed) * 2 + (review, listed))
        return {key: self._decoded(state) for key, state in self._states(rows).items()}

    def _decoded(self, state: RecordState) -> RecordState:
        state.answers = {q: load(v) for q, v in state.answers.items()}
        state.suggested.sort(key=lambda row: row[4])
        return state

    def submitted_counts(self, review: str, keys: list[str], exclude: str) -> dict[str, int]:
        """Submitted answers per record by annotators other than `exclude` and "adjudicated"."""
        args = (review, self.d.list_arg(keys), exclude, ADJUDICATOR)
        return dict(self._rows(SUBMITTED_COUNTS, args))

    def answer_chars(self, review: str, annotator: str) -> int:
        """Characters of every current answer (drafts too) of one annotator: their budget's use."""
        return int(self._one(ANSWER_CHARS, (review, annotator)))

    def status_counts(self, review: str) -> list[tuple[str, str, int]]:
        """(annotator, status, records) for everyone: the team's progress, from the store alone."""
        return self._rows(STATUS_COUNTS, (review,))

    def statuses(self, review: str, annotator: str) -> dict[str, str]:
        """Record key -> status for every record this annotator has touched."""
        return dict(self._rows(STATUSES, (review, annotator)))

    def _select(self, sql: str, review: str, annotator: str | None) -> list[tuple]:
        if annotator is None:
            return self._rows(sql, (review,))
        return self._rows(sql + " AND annotator = ?", (review, annotator))

    def records(self, review: str, annotator: str | None = None) -> list[tuple]:
        """(record, annotator, status, annotated_at, seconds) rows, for one or all annotators."""
        return self._select(RECORDS, review, annotator)

    def answers(self, review: str, annotator: str | None = None) -> list[tuple]:
        """(record, annotator, question, value, updated_at) rows of current answers."""
        rows = self._select(ANSWERS, review, annotator)
        values = load_many([row[3] for row in rows])
        return [(r, a, q, v, t) for (r, a, q, _, t), v in zip(rows, values, strict=True)]

    def history(self, review: str) -> list[tuple]:
        """(change, record, annotator, question, value, previous, at, undo_of) per event."""
        rows = self._rows(HISTORY, (review,))
        return [(c, r, a, q, load(v), load(p), t, u) for c, r, a, q, v, p, t, u in rows]

    def times(self, review: str) -> pa.Table:
        """`tables.TIMES` of every record anyone has had on screen, answered or not."""
        return self._arrow(TIMES_TABLE, (review,), tables.TIMES)

    def records_table(self, review: str, annotator: str) -> pa.Table:
        """`tables.RECORDS` of every record one annotator answered: what `to_dataset()` reads."""
        return self._arrow(RECORDS_TABLE, (review, annotator), tables.RECORDS)

    def answers_table(self, review: str, annotator: str) -> pa.Table:
        """`tables.ANSWERS`: every current answer (drafts too) of one annotator (to_dataset)."""
        return self._arrow(ANSWERS_TABLE, (review, annotator), tables.ANSWERS)

    def submitted_answers(
        self, review: str, question: str | None = None, *, records: Sequence[str] | None = None
    ) -> pa.Table:
        """`tables.SUBMITTED` (the answer as its stored JSON text) of submitted records but
        "adjudicated"'s: of one question or all, of these records or all (the quality tables)."""
        columns, source = SUBMITTED
        args: list = [review, ADJUDICATOR]
        if question is not None:
            source, args = source + " AND x.question = ?", [*args, question]
        if records is not None:
            source, args = source + " AND x.record {in}", [*args, self.d.list_arg(records)]
        return self._arrow((columns, source), tuple(args), tables.SUBMITTED)

    def team_answers(self, review: str) -> tuple[pa.Table, list[tuple[str, str]]]:
        """(every answer but "adjudicated"'s as `tables.SUBMITTED`, the (annotator, record)
        pairs not submitted): `submitted_answers(review)` is the first without the second,
        read without SQLite looking up each answer's record (half its time)."""
        skip = self._rows(NOT_SUBMITTED, (review, ADJUDICATOR))
        return self._arrow(TEAM_ANSWERS, (review, ADJUDICATOR), tables.SUBMITTED), skip


Store = SQLStore  # what Review and the layers above hold: one SQL store, any backend
