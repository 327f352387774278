"""The store of a review as Arrow tables, for the analytics: read once, restricted to the
records of the data, joined and grouped by Arrow and DuckDB rather than row by row.

- `records`: one row per (record, annotator) anyone has had on screen, status null for
  records viewed and never answered: `record`, `annotator`, `status`, `annotated_at`
  (µs since the epoch, UTC), `seconds`, and `row`, the record's row position in the data.
- answers: the current answers of submitted records, without annotator "adjudicated" (a
  lead's final answers are no annotator's work): `record`, `annotator`, `question`, and
  `text`, the answer as the store keeps it (JSON), fetched for what a figure reads (gold
  records, records two annotators answered, one question) and decoded only there.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from .._data import filter_sql
from .._model.disagree import submitted
from ..questions.combine import Answers, flat
from ..store.base import ADJUDICATOR, load_many

if TYPE_CHECKING:
    from ..questions import Question
    from ..review import Review


@dataclass
class Log:
    """The records of the data anyone had on screen; answers are fetched as figures need
    them (`answers`), each kind of figure only the few it reads."""

    review: Review
    records: pa.Table

    def answers(self, question: str | None = None, records: list[str] | None = None) -> pa.Table:
        """Submitted answers (`Store.submitted_answers`) of records of the data."""
        r = self.review
        if question is None and records is None:  # every answer, read without a join
            table = submitted(*r.store.team_answers(r.name))
        else:
            table = r.store.submitted_answers(r.name, question, records=records)
        return table.filter(pc.is_in(table["record"], value_set=flat(self.records["record"])))

    @staticmethod
    def of(question: Question, answers: pa.Table) -> Answers:
        """One question's answers of a table of them, decoded, as the kinds' hooks take them."""
        chosen = answers.filter(pc.equal(answers["question"], question.name))
        return Answers(
            chosen["record"].to_pylist(),
            chosen["annotator"].to_pylist(),
            load_many(chosen["text"].to_pylist()),
        )

    def submitted(self) -> pa.Table:
        """(record, annotator, row) of every submitted record, without "adjudicated"."""
        r = self.records
        keep = pc.and_(
            pc.equal(r["status"], "submitted"), pc.not_equal(r["annotator"], ADJUDICATOR)
        )
        return r.filter(keep).select(["record", "annotator", "row"])


def read(review: Review) -> Log:
    """The review's records from its store (every one on screen), for rows of the data."""
    records = review.store.times(review.name)
    records = records.append_column("row", row_positions(review, records["record"]))
    return Log(review, records.filter(pc.is_valid(records["row"])))


def answers_of(review: Review, question: Question) -> tuple[Answers, pa.Array]:
    """One question's submitted answers, and the row of each, for records of the data only."""
    table = review.store.submitted_answers(review.name, question.name)
    rows = row_positions(review, table["record"])
    keep = pc.is_valid(rows)
    return Log.of(question, table.filter(keep)), rows.filter(keep)


_found: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # RecordKeys -> (keys, rows)


def row_positions(review: Review, records: pa.ChunkedArray | pa.Array) -> pa.Array:
    """The row of each record key in the data (its first, for rows of equal content), or null.

    Keys found once are remembered for the review's keys (its data never changes), so a monitor
    re-reading the store every few seconds looks up only the records answered since."""
    records = flat(records)
    if len(records) == 0:
        return pa.array([], pa.int64())
    keys, rows = _found.get(review.keys, (pa.array([], pa.string()), pa.array([], pa.int64())))
    unique = pc.unique(records)
    new = unique.filter(pc.invert(pc.is_in(unique, value_set=keys)))
    if len(new):
        positions, hits = review.keys.find(new)  # ascending
        at = pc.index_in(new, value_set=hits)  # a key's first occurrence: its first row
        keys = pa.concat_arrays([keys, new.cast(pa.string())])
        rows = pa.concat_arrays([rows, pc.take(pa.array(positions, pa.int64()), at)])
        _found[review.keys] = (keys, rows)
    return pc.take(rows, pc.index_in(records, value_set=keys))


def reader(review: Review, q: Question):
    """Reads records by key: key -> the question's target columns (what spans grade on)."""
    columns = q.target_columns()

    def rows(records: set[str]) -> dict[str, Mapping[str, Any]]:
        if not columns or not records:
            return {key: {} for key in records}
        wanted = pa.array(sorted(records), pa.string())
        at = row_positions(review, wanted)
        keep = pc.is_valid(at)
        keys, positions = wanted.filter(keep).to_pylist(), at.filter(keep).to_numpy()
        values = {c: review.source.take(c, positions).to_pylist() for c in columns}
        return {k: {c: values[c][i] for c in columns} for i, k in enumerate(keys)}

    return rows


_duck: duckdb.DuckDBPyConnection | None = None
_duck_lock = threading.Lock()


def sql(query: str, **tables: pa.Table) -> pa.Table:
    """Run one query over Arrow tables on a DuckDB that can touch no file (one connection,
    made on first use: opening one costs more than most of these queries)."""
    global _duck
    with _duck_lock:
        if _duck is None:
            _duck = filter_sql.connect()
        try:
            for name, table in tables.items():
                _duck.register(name, table)
            return _duck.sql(query).to_arrow_table()
        except duckdb.Error as exc:  # a bug here, never the user's input: say what failed
            raise RuntimeError(f"nbreview could not compute a quality table: {exc}") from None
        finally:
            for name in tables:
                _duck.unregister(name)
