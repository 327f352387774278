"""Several annotators in one export: everyone's answers side by side, or their consensus.

`to_dataset(annotators="all")`: every added column is a list with one entry per annotator
who touched the record (any status, "adjudicated" included), ordered by annotator name
(code point order), the same order in every column, so `row["quality"][i]` and
`row["annotator"][i]` belong together. An untouched record has empty lists.

`to_dataset(annotators="consensus")`: submitted answers only, one value per record, as
the question's kind combines them (`Question.consensus`, typed `consensus_feature()`):

- Rating: the mean, as `float64` (the mean of 4 and 5 is 4.5; rounding would hide the
  disagreement that the export is asked about). Rubric: the mean per criterion.
- Label, Preference: the most frequent answer; a tie has no consensus (null).
- MultiLabel: per label majority: a label is in the consensus when more than half of the
  record's annotators chose it (a set nobody chose exactly can result; [] when no label has
  a majority).
- Spans: per span majority: a span (same start, end and label) is kept when more than half
  of the record's annotators marked it.
- FreeText, Edit, Ranking and others: the answer when every annotator gave the same one,
  else null.
- An answer submitted by annotator "adjudicated" replaces the consensus of its question.
- A per-turn question (`turns=`): each turn's entry combined by its kind's rule above, a
  list per record as the answers are (null for turns nobody answered); an adjudicated
  answer replaces the turns it answers.

and the record columns: `annotator` (the sorted list of annotators counted), `status`
("submitted" where at least one submitted answer exists), `annotated_at` (the latest of
them) and `agreement`: for each answer the kind lets count (`Question.agreed_parts`: Rating,
Label, MultiLabel, Preference, each criterion of a Rubric) the share of the record's
annotators (without "adjudicated") who gave its most common answer (exact value: the same
rating, label or set of labels), averaged over those; null when the record has no such
answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import datasets
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..questions.combine import Answers, flat, modes, row_ranges
from ..store.base import ADJUDICATOR, DONE
from .types import TIMESTAMP, TIMESTAMP_FEATURE

if TYPE_CHECKING:
    from ..context import ReviewContext
    from ..questions import Question

MODES = ("all", "consensus")
PAIR = pa.schema({"record": pa.string(), "annotator": pa.string()})
FLOAT = datasets.Value("float64")


def check_mode(annotators: Any) -> None:
    if annotators is not None and annotators not in MODES:
        raise ValueError(
            f"annotators takes 'all' or 'consensus' (or nothing: the review's own annotator), "
            f"got {annotators!r}"
        )


# -- what the store holds, restricted to the records of the data --------------------------------


@dataclass
class Gathered:
    keys: pa.Array  # by row position, the record key of rows the store holds, else null
    status: pa.Table  # record, annotator, status, annotated_at: every touched record's state
    answers: dict[str, Answers]  # question name -> its answers


def gather(review: ReviewContext, submitted_only: bool = False, answers: bool = True) -> Gathered:
    """The store's states and answers of this review, for the records in the data only."""
    store, name = review.store, review.name
    rows = store.records(name)
    found = store.answers(name) if answers else []
    # Rows whose record the store holds: the others' keys are never computed (content keys).
    keys = review.keys.sparse({r[0] for r in rows} | {r[0] for r in found})
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
        from .._team.qualify import unqualified  # qualify=: their answers count for nothing

        out = pa.array(unqualified(review), pa.string())
        keep = pc.and_(keep, pc.invert(pc.is_in(status["annotator"], value_set=out)))
    status = status.filter(keep).combine_chunks()
    by_question = {q: Answers([], [], []) for q in review.questions.names}
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
    return flat(pc.binary_join_element_wise(records, annotators, "\x1f"))


def _lookup(keys: pa.Array, found: pa.Array, values: pa.Array) -> pa.Array:
    """For every row's key, the value stored under it (null where nothing is)."""
    if len(found) == 0:
        return pa.nulls(len(keys), type=values.type)
    return pc.take(values, pc.index_in(keys, value_set=found))


def _arrow_type(feature: Any) -> pa.DataType:
    return datasets.Features({"x": feature}).arrow_schema.field("x").type


# -- annotators="all" ---------------------------------------------------------------------------


def all_columns(review: ReviewContext) -> dict[str, tuple]:
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
    offsets, take = row_ranges(data.keys, flat(touched["record"]))

    def listed(values: pa.Array, feature: Any) -> tuple:
        kind = _arrow_type(datasets.List(feature))
        items = pc.take(values, take).cast(kind.value_type)
        return pa.ListArray.from_arrays(offsets, items).cast(kind), datasets.List(feature)

    columns: dict[str, tuple] = {}
    for q in review.questions:
        a = data.answers[q.name]
        found = _pair(pa.array(a.records, pa.string()), pa.array(a.annotators, pa.string()))
        columns[q.name] = listed(_lookup(pairs, found, q.to_arrow(a.values)), q.feature())
    status_pairs = flat(_pair(data.status["record"], data.status["annotator"]))
    columns["annotator"] = listed(flat(touched["annotator"]), datasets.Value("string"))
    columns["status"] = listed(
        _lookup(pairs, status_pairs, flat(data.status["status"])),
        datasets.Value("string"),
    )
    at = flat(data.status["annotated_at"]).cast(TIMESTAMP)
    columns["annotated_at"] = listed(
        _lookup(pairs, status_pairs, at), datasets.Value(TIMESTAMP_FEATURE)
    )
    return columns


# -- annotators="consensus" ---------------------------------------------------------------------


def consensus_value(q: Question, a: Answers) -> tuple[pa.Array, pa.Array, Any]:
    """(records, consensus values, feature) of one question over non-adjudicated answers."""
    records, values = q.consensus(a)
    return records, values, q.consensus_feature()


def _split_adjudicated(a: Answers) -> tuple[Answers, Answers]:
    team, final = Answers([], [], []), Answers([], [], [])
    for record, annotator, value in zip(a.records, a.annotators, a.values, strict=True):
        target = final if annotator == ADJUDICATOR else team
        target.records.append(record)
        target.annotators.append(annotator)
        target.values.append(value)
    return team, final


def consensus_columns(review: ReviewContext) -> dict[str, tuple]:
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
            column = q.adjudicated(column, override)
        columns[q.name] = (column, feature)
        for part in q.agreed_parts(team):
            if part.records:  # a per-turn question's parts are (record, turn) units
                share = modes(part.records, part.values)
                record = q.unit_record(flat(share["record"]))
                shares.append(pa.table({"record": record, "share": flat(share["share"])}))
    status = data.status
    counted = status.sort_by([("record", "ascending"), ("annotator", "ascending")])
    offsets, take = row_ranges(keys, flat(counted["record"]))
    names = pc.take(flat(counted["annotator"]), take)
    columns["annotator"] = (
        pa.ListArray.from_arrays(offsets, names),
        datasets.List(datasets.Value("string")),
    )
    latest = status.group_by("record").aggregate([("annotated_at", "max")])
    at = _lookup(keys, flat(latest["record"]), flat(latest["annotated_at_max"]))
    columns["status"] = (
        pc.if_else(pc.is_valid(at), pa.scalar("submitted"), pa.scalar(None, pa.string())),
        datasets.Value("string"),
    )
    columns["annotated_at"] = (at.cast(TIMESTAMP), datasets.Value(TIMESTAMP_FEATURE))
    if shares:
        mean = pa.concat_tables(shares).group_by("record").aggregate([("share", "mean")])
        agreement = _lookup(keys, flat(mean["record"]), flat(mean["share_mean"]))
    else:
        agreement = pa.nulls(len(keys), pa.float64())
    columns["agreement"] = (agreement, FLOAT)
    return columns


# -- progress of everyone ------------------------------------------------------------------------


def progress_by_annotator(review: ReviewContext) -> pd.DataFrame:
    """One row per annotator in the store: submitted, skipped and draft records in the data."""
    status = gather(review, answers=False).status
    counts = status.group_by(["annotator", "status"]).aggregate([([], "count_all")])
    table: dict[str, dict[str, int]] = {}
    for row in counts.to_pylist():  # one row per (annotator, status): small
        entry = table.setdefault(row["annotator"], dict.fromkeys((*DONE, "draft"), 0))
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
