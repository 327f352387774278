"""How the answers of several annotators become one: the rules a kind's `consensus` picks from.

Every rule takes one question's answers (`Answers`: parallel lists, one entry per record and
annotator) and returns `(records, values)`: the records that have answers, and one value
for each, as Arrow arrays. The exporters only line these up with the dataset's rows.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

if TYPE_CHECKING:
    from .base import Question


SCALARS = (int, float)  # bool is an int: JSON true/false, as json.dumps gives it alone


@dataclass
class Answers:
    """One question's answers: parallel lists, one entry per (record, annotator)."""

    records: list[str]
    annotators: list[str]
    values: list[Any]

    def where(self, keep: Sequence[bool]) -> Answers:
        """The entries where `keep` is true."""
        chosen = [i for i, k in enumerate(keep) if k]
        return Answers(
            [self.records[i] for i in chosen],
            [self.annotators[i] for i in chosen],
            [self.values[i] for i in chosen],
        )

    def part(self, key: str) -> Answers:
        """One part of dict-valued answers (a rubric's criterion), without the unrated ones."""
        values = [None if v is None else v.get(key) for v in self.values]
        kept = self.where([v is not None for v in values])
        kept.values = [v for v in values if v is not None]
        return kept


def flat(array: pa.Array | pa.ChunkedArray) -> pa.Array:
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def encode(values: Sequence[Any]) -> pa.Array:
    """Canonical text of each answer, so equal answers group together whatever their kind."""
    if all(isinstance(v, str) for v in values):
        return pa.array(values, pa.string())
    if values and all(v is None or isinstance(v, SCALARS) for v in values):
        # one dumps for the list, cut at its separators: each piece is the value's own JSON
        return pa.array(json.dumps(list(values)).removeprefix("[").removesuffix("]").split(", "))
    return pa.array([json.dumps(v, sort_keys=True, ensure_ascii=False) for v in values])


def decode(encoded: pa.ChunkedArray | pa.Array, values: Sequence[Any]) -> list[Any]:
    if all(isinstance(v, str) for v in values):
        return encoded.to_pylist()
    return [None if e is None else json.loads(e) for e in encoded.to_pylist()]


def modes(records: Sequence[str], values: Sequence[Any]) -> pa.Table:
    """Per record: its most common answer (encoded; null on a tie) and that answer's share."""
    table = pa.table({"record": pa.array(records, pa.string()), "value": encode(values)})
    counts = table.group_by(["record", "value"]).aggregate([([], "count_all")])
    totals = counts.group_by("record").aggregate([("count_all", "sum"), ("count_all", "max")])
    joined = counts.join(totals, "record")
    top = joined.filter(pc.equal(joined["count_all"], joined["count_all_max"]))
    best = top.group_by("record").aggregate([("value", "min"), ([], "count_all")])
    best = best.join(totals, "record")
    unique = pc.equal(best["count_all"], 1)
    share = pc.divide(
        best["count_all_max"].cast(pa.float64()), best["count_all_sum"].cast(pa.float64())
    )
    return pa.table(
        {
            "record": best["record"],
            "value": pc.if_else(unique, best["value_min"], pa.scalar(None, pa.string())),
            "share": share,
        }
    )


def row_ranges(keys: pa.Array, sorted_records: pa.Array) -> tuple[pa.Array, pa.Array]:
    """List offsets per row and the indices into `sorted_records` that fill them.

    Rows with the same key (identical content) each get the full range of their record.
    """
    n = len(sorted_records)
    if n == 0:
        return pa.array(np.zeros(len(keys) + 1, np.int32)), pa.array([], pa.int64())
    records = sorted_records.to_numpy(zero_copy_only=False)
    starts = np.flatnonzero(np.r_[True, records[1:] != records[:-1]])
    counts = np.diff(np.r_[starts, n])
    where = pc.index_in(keys, value_set=pa.array(records[starts], pa.string()))
    found = ~np.asarray(where.is_null().to_numpy(zero_copy_only=False))
    index = where.fill_null(0).to_numpy(zero_copy_only=False)
    lengths = np.where(found, counts[index], 0)
    row_starts = np.where(found, starts[index], 0)
    offsets = np.r_[0, np.cumsum(lengths)].astype(np.int32)
    take = np.repeat(row_starts - offsets[:-1], lengths) + np.arange(offsets[-1])
    return pa.array(offsets), pa.array(take, pa.int64())


# -- the rules ----------------------------------------------------------------------------------


def mean(a: Answers) -> tuple[pa.Array, pa.Array]:
    """The mean of numeric answers, as float64 (rounding would hide a disagreement)."""
    table = pa.table(
        {"record": pa.array(a.records, pa.string()), "value": pa.array(a.values, pa.float64())}
    )
    means = table.group_by("record").aggregate([("value", "mean")])
    return flat(means["record"]), flat(means["value_mean"])


def median(a: Answers) -> tuple[pa.Array, pa.Array]:
    """The median of numeric answers, as float64: one outlier does not move it."""
    if not a.records:
        return pa.array([], pa.string()), pa.array([], pa.float64())
    records = np.asarray(a.records, dtype=object)
    values = np.asarray(a.values, dtype=float)
    order = np.lexsort((values, records))
    records, values = records[order], values[order]
    starts = np.flatnonzero(np.r_[True, records[1:] != records[:-1]])
    ends = np.r_[starts[1:], len(records)]
    middle = (values[(starts + ends - 1) // 2] + values[(starts + ends) // 2]) / 2
    return pa.array(records[starts].tolist(), pa.string()), pa.array(middle, pa.float64())


def majority(q: Question, a: Answers, unanimous: bool = False) -> tuple[pa.Array, pa.Array]:
    """The most frequent answer (null on a tie); with `unanimous`, only an answer all gave."""
    table = modes(a.records, a.values)
    if unanimous:
        everyone = pc.equal(table["share"], 1.0)
        table = table.set_column(
            1, "value", pc.if_else(everyone, table["value"], pa.scalar(None, pa.string()))
        )
    return flat(table["record"]), q.to_arrow(decode(table["value"], a.values))


def majority_items(a: Answers, items: pa.Array) -> tuple[pa.Array, pa.Table]:
    """Items of list answers (labels, spans as text) chosen by more than half of a record's
    annotators: (every record with answers, sorted; a table of record and item kept)."""
    records = pa.array(a.records, pa.string())
    voters = pa.table({"record": records}).group_by("record").aggregate([([], "count_all")])
    voters = voters.sort_by("record")
    chosen = pa.table(
        {"record": pc.take(records, pc.list_parent_indices(items)), "item": pc.list_flatten(items)}
    )
    votes = chosen.group_by(["record", "item"]).aggregate([([], "count_all")])
    votes = votes.rename_columns({"count_all": "votes"}).join(voters, "record")
    kept = votes.filter(pc.greater(pc.multiply(votes["votes"], 2), votes["count_all"]))
    return flat(voters["record"]), kept.select(["record", "item"])


def lists(
    records: pa.Array, kept_records: pa.Array, items: pa.Array, kind: pa.DataType
) -> pa.Array:
    """One list per record of `records` (sorted) from items sorted by their record."""
    offsets, take = row_ranges(records, flat(kept_records))
    chosen = pc.take(flat(items), take).cast(kind.value_type)
    return pa.ListArray.from_arrays(offsets, chosen).cast(kind)
