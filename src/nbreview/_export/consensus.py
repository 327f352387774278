"""Several annotators in one export: everyone's answers side by side, or their consensus.

`to_dataset(annotators="all")`: every added column is a list with one entry per annotator
who touched the record (any status, "adjudicated" included), ordered by annotator name
(code point order), the same order in every column, so `row["quality"][i]` and
`row["annotator"][i]` belong together. An untouched record has empty lists.

`to_dataset(annotators="consensus")`: submitted answers only, one value per record:

- Rating: the mean, as `float64` (the mean of 4 and 5 is 4.5; rounding would hide the
  disagreement that the export is asked about).
- Label, Preference: the most frequent answer; a tie has no consensus (null).
- MultiLabel: per label majority: a label is in the consensus when more than half of the
  record's annotators chose it (a set nobody chose exactly can result; [] when no label has
  a majority).
- Spans: per span majority: a span (same start, end and label) is kept when more than half
  of the record's annotators marked it.
- FreeText, Edit, Ranking and others: the answer when every annotator gave the same one,
  else null.
- An answer submitted by annotator "adjudicated" replaces the consensus of its question.

and the record columns: `annotator` (the sorted list of annotators counted), `status`
("submitted" where at least one submitted answer exists), `annotated_at` (the latest of
them) and `agreement`: for each Rating, Label, MultiLabel and Preference question the
share of the record's annotators (without "adjudicated") who gave its most common answer
(exact value: the same rating, label or set of labels), averaged over those questions;
null when the record has no such answer.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import datasets
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

if TYPE_CHECKING:
    from ..questions import Question
    from ..review import Review

MODES = ("all", "consensus")
STATUSES = ("submitted", "skipped", "draft")
ADJUDICATED = "adjudicated"
TIMESTAMP = pa.timestamp("us", tz="UTC")
PAIR = pa.schema({"record": pa.string(), "annotator": pa.string()})
TIMESTAMP_FEATURE = "timestamp[us, tz=UTC]"
FLOAT = datasets.Value("float64")
MAJORITY_KINDS = ("label", "preference")  # the most frequent answer, ties null
AGREEMENT_KINDS = ("rating", "label", "multilabel", "preference")


def check_mode(annotators: Any) -> None:
    if annotators is not None and annotators not in MODES:
        raise ValueError(
            f"annotators takes 'all' or 'consensus' (or nothing: the review's own annotator), "
            f"got {annotators!r}"
        )


# -- what the store holds, restricted to the records of the data --------------------------------


@dataclass
class Answers:
    """One question's answers: parallel lists, one entry per (record, annotator)."""

    records: list[str]
    annotators: list[str]
    values: list[Any]


@dataclass
class Gathered:
    keys: pa.Array  # the dataset's record keys, by row position
    status: pa.Table  # record, annotator, status, annotated_at: every touched record's state
    answers: dict[str, Answers]  # question name -> its answers


def gather(review: Review, submitted_only: bool = False, answers: bool = True) -> Gathered:
    """The store's states and answers of this review, for the records in the data only."""
    store, name = review.store, review.name
    keys = review.keys.all()
    rows = store.records(name)
    status = pa.table(
        {
            "record": pa.array([r[0] for r in rows], pa.string()),
            "annotator": pa.array([r[1] for r in rows], pa.string()),
            "status": pa.array([r[2] for r in rows], pa.string()),
            "annotated_at": pa.array([r[3] for r in rows], pa.int64()),
        }
    )
    keep = pc.is_in(status["record"], value_set=keys)
    if submitted_only:
        keep = pc.and_(keep, pc.equal(status["status"], "submitted"))
    status = status.filter(keep).combine_chunks()
    by_question = {q: Answers([], [], []) for q in review.questions.names}
    found = store.answers(name) if answers else []
    if found:
        records = pa.array([r[0] for r in found], pa.string())
        pairs = _pair(records, pa.array([r[1] for r in found], pa.string()))
        if submitted_only:  # answers of the submitted (record, annotator) pairs
            keep = pc.is_in(pairs, value_set=_pair(status["record"], status["annotator"]))
        else:  # every answer of a record in the data, with or without a status
            keep = pc.is_in(records, value_set=keys)
        for i in np.flatnonzero(keep.to_numpy(zero_copy_only=False)):
            record, annotator, question, value, _ = found[i]
            if question in by_question:
                bucket = by_question[question]
                bucket.records.append(record)
                bucket.annotators.append(annotator)
                bucket.values.append(value)
    return Gathered(keys, status, by_question)


def _pair(records: pa.Array | pa.ChunkedArray, annotators: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One string per (record, annotator), for set operations on pairs."""
    return _flat(pc.binary_join_element_wise(records, annotators, "\x1f"))


def _flat(array: pa.Array | pa.ChunkedArray) -> pa.Array:
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def _lookup(keys: pa.Array, found: pa.Array, values: pa.Array) -> pa.Array:
    """For every row's key, the value stored under it (null where nothing is)."""
    if len(found) == 0:
        return pa.nulls(len(keys), type=values.type)
    return pc.take(values, pc.index_in(keys, value_set=found))


def _arrow_type(feature: Any) -> pa.DataType:
    return datasets.Features({"x": feature}).arrow_schema.field("x").type


# -- annotators="all" ---------------------------------------------------------------------------


def all_columns(review: Review) -> dict[str, tuple]:
    """Name -> (list array, List feature): one entry per annotator who touched the record."""
    data = gather(review)
    # every (record, annotator) touched: a status row, or an answer to one of the questions
    parts = [data.status.select(["record", "annotator"])]
    for a in data.answers.values():
        pair = {"record": a.records, "annotator": a.annotators}
        parts.append(pa.table(pair, schema=PAIR))
    touched = (
        pa.concat_tables(parts)
        .group_by(["record", "annotator"])
        .aggregate([])
        .sort_by([("record", "ascending"), ("annotator", "ascending")])
    )
    pairs = _pair(touched["record"], touched["annotator"])
    offsets, take = _row_ranges(data.keys, _flat(touched["record"]))

    def listed(values: pa.Array, feature: Any) -> tuple:
        kind = _arrow_type(datasets.List(feature))
        items = pc.take(values, take).cast(kind.value_type)
        return pa.ListArray.from_arrays(offsets, items).cast(kind), datasets.List(feature)

    columns: dict[str, tuple] = {}
    for q in review.questions:
        a = data.answers[q.name]
        found = _pair(pa.array(a.records, pa.string()), pa.array(a.annotators, pa.string()))
        columns[q.name] = listed(_lookup(pairs, found, q.to_arrow(a.values)), q.feature())
    status_pairs = _flat(_pair(data.status["record"], data.status["annotator"]))
    columns["annotator"] = listed(_flat(touched["annotator"]), datasets.Value("string"))
    columns["status"] = listed(
        _lookup(pairs, status_pairs, _flat(data.status["status"])),
        datasets.Value("string"),
    )
    at = _flat(data.status["annotated_at"]).cast(TIMESTAMP)
    columns["annotated_at"] = listed(
        _lookup(pairs, status_pairs, at), datasets.Value(TIMESTAMP_FEATURE)
    )
    return columns


def _row_ranges(keys: pa.Array, sorted_records: pa.Array) -> tuple[pa.Array, pa.Array]:
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


# -- annotators="consensus" ---------------------------------------------------------------------


def _encode(values: Sequence[Any]) -> pa.Array:
    """Canonical text of each answer, so equal answers group together whatever their kind."""
    if all(isinstance(v, str) for v in values):
        return pa.array(values, pa.string())
    return pa.array([json.dumps(v, sort_keys=True, ensure_ascii=False) for v in values])


def modes(records: Sequence[str], values: Sequence[Any]) -> pa.Table:
    """Per record: its most common answer (encoded; null on a tie) and that answer's share."""
    table = pa.table({"record": pa.array(records, pa.string()), "value": _encode(values)})
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


def _decode(encoded: pa.ChunkedArray | pa.Array, values: Sequence[Any]) -> list[Any]:
    if all(isinstance(v, str) for v in values):
        return encoded.to_pylist()
    return [None if e is None else json.loads(e) for e in encoded.to_pylist()]


def _majority_items(q: Question, a: Answers) -> tuple[pa.Array, pa.Array]:
    """Per record, the items (labels, spans) that more than half of its annotators chose."""
    records = pa.array(a.records, pa.string())
    if q.kind == "multilabel":
        lists = pa.array(a.values, pa.list_(pa.string()))
    else:  # spans: one canonical text per span
        lists = pa.array(
            [[json.dumps(s, sort_keys=True, ensure_ascii=False) for s in v] for v in a.values],
            pa.list_(pa.string()),
        )
    voters = pa.table({"record": records}).group_by("record").aggregate([([], "count_all")])
    voters = voters.sort_by("record")
    items = pa.table(
        {
            "record": pc.take(records, pc.list_parent_indices(lists)),
            "item": pc.list_flatten(lists),
        }
    )
    votes = items.group_by(["record", "item"]).aggregate([([], "count_all")])
    votes = votes.rename_columns({"count_all": "votes"}).join(voters, "record")
    kept = votes.filter(pc.greater(pc.multiply(votes["votes"], 2), votes["count_all"]))
    if q.kind == "multilabel":  # in label order, as ClassLabel codes
        codes = pc.index_in(kept["item"], value_set=pa.array(q.labels, pa.string()))
        kept = kept.append_column("code", codes.cast(pa.int64()))
        kept = kept.sort_by([("record", "ascending"), ("code", "ascending")])
    else:  # by (start, end, label), as Spans stores them
        spans = [json.loads(x) for x in kept["item"].to_pylist()]
        for edge in ("start", "end"):
            kept = kept.append_column(edge, pa.array([x[edge] for x in spans], pa.int64()))
        kept = kept.append_column("label", pa.array([x["label"] for x in spans], pa.string()))
        kept = kept.sort_by([(c, "ascending") for c in ("record", "start", "end", "label")])
    kind = _arrow_type(q.feature())
    offsets, take = _row_ranges(_flat(voters["record"]), _flat(kept["record"]))
    if q.kind == "multilabel":
        flat = pc.take(_flat(kept["code"]), take)
    else:
        chosen = pc.take(_flat(kept["item"]), take).to_pylist()
        flat = pa.array([json.loads(x) for x in chosen], kind.value_type)
    values = pa.ListArray.from_arrays(offsets, flat.cast(kind.value_type)).cast(kind)
    return _flat(voters["record"]), values


def consensus_value(q: Question, a: Answers) -> tuple[pa.Array, pa.Array, Any]:
    """(records, consensus values, feature) of one question over non-adjudicated answers."""
    if q.kind == "rating":
        table = pa.table(
            {"record": pa.array(a.records, pa.string()), "value": pa.array(a.values, pa.float64())}
        )
        means = table.group_by("record").aggregate([("value", "mean")])
        return _flat(means["record"]), _flat(means["value_mean"]), FLOAT
    if q.kind in ("multilabel", "spans"):
        records, values = _majority_items(q, a)
        return records, values, q.feature()
    table = modes(a.records, a.values)
    if q.kind not in MAJORITY_KINDS:  # no majority for text: only a unanimous answer
        unanimous = pc.equal(table["share"], 1.0)
        table = table.set_column(
            1, "value", pc.if_else(unanimous, table["value"], pa.scalar(None, pa.string()))
        )
    values = _decode(table["value"], a.values)
    return _flat(table["record"]), q.to_arrow(values), q.feature()


def _split_adjudicated(a: Answers) -> tuple[Answers, Answers]:
    team, final = Answers([], [], []), Answers([], [], [])
    for record, annotator, value in zip(a.records, a.annotators, a.values, strict=True):
        target = final if annotator == ADJUDICATED else team
        target.records.append(record)
        target.annotators.append(annotator)
        target.values.append(value)
    return team, final


def consensus_columns(review: Review) -> dict[str, tuple]:
    """Name -> (array, feature): the consensus of the submitted answers, and agreement."""
    if "agreement" in review.questions.names:
        raise ValueError(
            "annotators='consensus' adds a column 'agreement', which is also the name of a "
            "question of this review; export with annotators='all' instead"
        )
    data = gather(review, submitted_only=True)
    keys = data.keys
    columns: dict[str, tuple] = {}
    shares: list[pa.Table] = []
    for q in review.questions:
        team, final = _split_adjudicated(data.answers[q.name])
        records, values, feature = consensus_value(q, team)
        kind = _arrow_type(feature)
        column = _lookup(keys, records, values.cast(kind))
        if final.records:
            chosen = q.to_arrow(final.values).cast(kind)
            override = _lookup(keys, pa.array(final.records, pa.string()), chosen)
            column = pc.if_else(pc.is_valid(override), override, column)
        columns[q.name] = (column, feature)
        if q.kind in AGREEMENT_KINDS and team.records:
            shares.append(modes(team.records, team.values).select(["record", "share"]))
    status = data.status
    counted = status.sort_by([("record", "ascending"), ("annotator", "ascending")])
    offsets, take = _row_ranges(keys, _flat(counted["record"]))
    names = pc.take(_flat(counted["annotator"]), take)
    columns["annotator"] = (
        pa.ListArray.from_arrays(offsets, names),
        datasets.List(datasets.Value("string")),
    )
    latest = status.group_by("record").aggregate([("annotated_at", "max")])
    at = _lookup(keys, _flat(latest["record"]), _flat(latest["annotated_at_max"]))
    columns["status"] = (
        pc.if_else(pc.is_valid(at), pa.scalar("submitted"), pa.scalar(None, pa.string())),
        datasets.Value("string"),
    )
    columns["annotated_at"] = (at.cast(TIMESTAMP), datasets.Value(TIMESTAMP_FEATURE))
    if shares:
        mean = pa.concat_tables(shares).group_by("record").aggregate([("share", "mean")])
        agreement = _lookup(keys, _flat(mean["record"]), _flat(mean["share_mean"]))
    else:
        agreement = pa.nulls(len(keys), pa.float64())
    columns["agreement"] = (agreement, FLOAT)
    return columns


# -- progress of everyone ------------------------------------------------------------------------


def progress_by_annotator(review: Review) -> pd.DataFrame:
    """One row per annotator in the store: submitted, skipped and draft records in the data."""
    status = gather(review, answers=False).status
    counts = status.group_by(["annotator", "status"]).aggregate([([], "count_all")])
    table: dict[str, dict[str, int]] = {}
    for row in counts.to_pylist():  # one row per (annotator, status): small
        entry = table.setdefault(row["annotator"], dict.fromkeys(STATUSES, 0))
        entry[row["status"]] = entry.get(row["status"], 0) + row["count_all"]
    names = sorted(table)
    return pd.DataFrame(
        {
            "annotator": pd.Series(names, dtype=object),
            "submitted": pd.Series([table[n]["submitted"] for n in names], dtype="int64"),
            "skipped": pd.Series([table[n]["skipped"] for n in names], dtype="int64"),
            "drafts": pd.Series([table[n]["draft"] for n in names], dtype="int64"),
        }
    )
