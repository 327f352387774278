"""The store of a review as Arrow tables, for the analytics: read once, restricted to the
records of the data, joined and grouped by Arrow and DuckDB rather than row by row.

- `records`: one row per (record, annotator) anyone has had on screen, status null for
  records viewed and never answered: `record`, `annotator`, `status`, `annotated_at`
  (µs since the epoch, UTC), `seconds`, and `row`, the record's row position in the data.
- `answers`: the current answers of submitted records, without annotator "adjudicated" (a
  lead's final answers are no annotator's work): `record`, `annotator`, `question`, `at`,
  an index into `values`, the decoded answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .._data import filter_sql
from ..questions.combine import Answers, flat
from ..store.base import ADJUDICATOR

if TYPE_CHECKING:
    from ..questions import Question
    from ..review import Review

RECORDS = pa.schema(
    {
        "record": pa.string(),
        "annotator": pa.string(),
        "status": pa.string(),
        "annotated_at": pa.int64(),
        "seconds": pa.float64(),
    }
)


@dataclass
class Log:
    records: pa.Table
    answers: pa.Table
    values: list[Any]

    def of(self, question: Question) -> Answers:
        """One question's submitted answers, as the kinds' hooks take them."""
        chosen = self.answers.filter(pc.equal(self.answers["question"], question.name))
        at = chosen["at"].to_numpy()
        return Answers(
            chosen["record"].to_pylist(),
            chosen["annotator"].to_pylist(),
            [self.values[i] for i in at],
        )

    def submitted(self) -> pa.Table:
        """(record, annotator, row) of every submitted record, without "adjudicated"."""
        r = self.records
        keep = pc.and_(
            pc.equal(r["status"], "submitted"), pc.not_equal(r["annotator"], ADJUDICATOR)
        )
        return r.filter(keep).select(["record", "annotator", "row"])


def read(review: Review, answers: bool = True) -> Log:
    """The review's records and submitted answers from its store, for rows of the data."""
    store, name = review.store, review.name
    rows = store.times(name)
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in RECORDS]
    records = pa.table(
        [pa.array(c, f.type) for c, f in zip(columns, RECORDS, strict=True)], RECORDS
    )
    records = records.append_column("row", row_positions(review, records["record"]))
    records = records.filter(pc.is_valid(records["row"]))
    found = store.answers(name) if answers else []
    if not found:
        empty = pa.table(
            {c: pa.array([], pa.string()) for c in ("record", "annotator", "question")}
        )
        return Log(records, empty.append_column("at", pa.array([], pa.int64())), [])
    record, annotator, question, values, _ = zip(*found, strict=True)
    table = pa.table(
        {
            "record": pa.array(record, pa.string()),
            "annotator": pa.array(annotator, pa.string()),
            "question": pa.array(question, pa.string()),
            "at": pa.array(np.arange(len(values), dtype=np.int64)),
        }
    )
    done = Log(records, table, list(values)).submitted()
    keep = pc.is_in(_pairs(table), value_set=_pairs(done))
    return Log(records, table.filter(keep), list(values))


def row_positions(review: Review, records: pa.ChunkedArray | pa.Array) -> pa.Array:
    """The row of each record key in the data (its first, for rows of equal content), or null."""
    records = flat(records)
    if len(records) == 0:
        return pa.array([], pa.int64())
    positions, keys = review.keys.find(set(pc.unique(records).to_pylist()))  # ascending
    at = pc.index_in(records, value_set=keys)  # a key's first occurrence: its first row
    return pc.take(pa.array(positions, pa.int64()), at)


def _pairs(table: pa.Table) -> pa.Array:
    return flat(pc.binary_join_element_wise(table["record"], table["annotator"], "\x1f"))


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


def sql(query: str, **tables: pa.Table) -> pa.Table:
    """Run one query over Arrow tables on a DuckDB that can touch no file."""
    con = filter_sql.connect()
    try:
        for name, table in tables.items():
            con.register(name, table)
        return con.sql(query).to_arrow_table()
    except duckdb.Error as exc:  # a bug here, never the user's input: say what failed
        raise RuntimeError(f"nbreview could not compute a quality table: {exc}") from None
    finally:
        con.close()
