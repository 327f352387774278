"""Answers from the store as typed Arrow columns, attached to the user's data without a rewrite."""

from __future__ import annotations

import warnings
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import datasets
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from datasets.fingerprint import generate_random_fingerprint

from ..store.base import to_datetime
from .consensus import all_columns, check_mode, consensus_columns
from .names import named_series
from .types import TIMESTAMP, TIMESTAMP_FEATURE

if TYPE_CHECKING:
    from .._data.keys import RecordKeys
    from ..context import ReviewContext

RECORD_COLUMNS = ("annotator", "status", "annotated_at")


def _warn_if_others_answered(review: ReviewContext) -> None:
    """A lead exporting under their own name, which answered nothing while others did."""
    others = sorted({r[1] for r in review.store.records(review.name) if r[2] == "submitted"})
    if others:
        shown = ", ".join(repr(o) for o in others[:5]) + (", ..." if len(others) > 5 else "")
        warnings.warn(
            f"annotator {review.annotator!r} has no answers in this review, and {shown} "
            "have: every answer column is empty. Export the team's work with "
            "annotators='consensus' (one answer per record) or annotators='all' (each "
            "annotator's answers).",
            UserWarning,
            stacklevel=4,
        )


def added_columns(review: ReviewContext, annotators: str | None = None) -> dict[str, tuple]:
    """Name -> (Arrow array, datasets feature) of every column a review adds, unprefixed."""
    check_mode(annotators)
    if annotators == "all":  # a list per column, one entry per annotator
        return all_columns(review)
    if annotators == "consensus":  # majority, mean for ratings, and agreement
        return consensus_columns(review)
    store, name, annotator = review.store, review.name, review.annotator
    records = store.records_table(name, annotator)
    found = records["record"].combine_chunks()
    if len(found) == 0:
        _warn_if_others_answered(review)
    with ThreadPoolExecutor(max_workers=1) as pool:  # rows are found while SQLite reads answers
        probe = pool.submit(_Rows, review.keys, found)
        answers = store.answers_table(name, annotator)
        rows = probe.result()
    columns: dict[str, tuple] = {}
    for q in review.questions:
        chosen = answers.filter(pc.equal(answers["question"], q.name))
        values = q.from_stored(chosen["text"].combine_chunks())
        columns[q.name] = (rows.column(chosen["record"].combine_chunks(), values), q.feature())
    status = rows.column(found, records["status"].combine_chunks())
    mine = pc.if_else(pc.is_valid(status), pa.scalar(annotator), pa.scalar(None, pa.string()))
    at = records["annotated_at"].combine_chunks().cast(pa.int64()).cast(TIMESTAMP)
    columns["annotator"] = (mine, datasets.Value("string"))
    columns["status"] = (status, datasets.Value("string"))
    columns["annotated_at"] = (rows.column(found, at), datasets.Value(TIMESTAMP_FEATURE))
    return columns


class _Rows:
    """Which stored value each dataset row holds. With ids, one hash probe of every row's key
    against the records answered (a probe per column cost ~60 ms each on a million rows);
    with content keys, only the rows of answered records are found and hashed (keys.find)."""

    def __init__(self, keys: RecordKeys, found: pa.Array):
        self.keys, self.found, self.rows = keys, found, len(keys.source)
        self._seen: list[tuple[pa.Array, pa.Array]] = [(found, self._probe(found))]

    def _probe(self, stored: pa.Array) -> pa.Array:
        """Row -> index into `stored` of its key (null where the key is not stored)."""
        if self.keys.id_column is not None:
            return pc.index_in(self.keys.all(), value_set=stored)
        positions, keys = self.keys.find(stored)
        at = pc.index_in(keys, value_set=stored).to_numpy(zero_copy_only=False)
        index = np.zeros(self.rows, dtype=np.int32)
        index[positions] = at
        missing = np.ones(self.rows, dtype=bool)
        missing[positions] = False
        return pa.array(index, mask=missing)

    def _positions(self, stored: pa.Array) -> pa.Array:
        """Row -> index into values stored under `stored` keys (shared by columns with equal
        keys: the record columns, and questions answered on every record)."""
        for keys, positions in self._seen:
            if keys is stored or keys.equals(stored):
                return positions
        at = pc.index_in(self.found, value_set=stored)  # answered record -> its value, or null
        if len(at) - at.null_count == len(stored):  # every value on an answered record
            positions = pc.take(at, self._seen[0][1])
        else:  # an answer on a record without a status: find the rows of these keys
            positions = self._probe(stored)
        self._seen.append((stored, positions))
        return positions

    def column(self, stored: pa.Array, values: pa.Array) -> pa.Array:
        """The value stored under each row's key (null where nothing is)."""
        if not len(stored):
            return pa.nulls(self.rows, type=values.type)
        return pc.take(values, self._positions(stored))


def _prefixed(review: ReviewContext, prefix: str, annotators: str | None) -> dict[str, tuple]:
    if not isinstance(prefix, str):
        raise ValueError(f"prefix must be a string, got {prefix!r}")
    columns = {prefix + n: v for n, v in added_columns(review, annotators).items()}
    clash = [n for n in columns if n in review.source.columns]
    if clash:
        raise ValueError(
            f"the dataset already has columns {clash!r}; pass prefix='review_' (or another "
            "prefix) to name the added columns apart"
        )
    return columns


def to_dataset(
    review: ReviewContext, prefix: str = "", annotators: str | None = None
) -> datasets.Dataset:
    columns = _prefixed(review, prefix, annotators)
    data = review.source.data
    if isinstance(data, datasets.Dataset):
        base = data
    else:  # the index is pandas' business: to_pandas() keeps it, a Dataset has no index
        # as from_pandas(preserve_index=False), with a column mixing types read as text
        base = datasets.Dataset(datasets.table.InMemoryTable(review.source.arrow_table()))
    features = datasets.Features({n: feature for n, (_, feature) in columns.items()})
    if len(base) == 0:  # concatenate_datasets drops empty datasets, and their features with them
        everything = datasets.Features({**base.features, **features})
        return datasets.Dataset.from_dict({n: [] for n in everything}, features=everything)
    table = pa.table({n: array for n, (array, _) in columns.items()}, schema=features.arrow_schema)
    added = datasets.Dataset(
        datasets.table.InMemoryTable(table),
        info=datasets.DatasetInfo(features=features),
        # Without one, datasets hashes every added value for a fingerprint (~0.12 s a million
        # rows); a fresh random one is what datasets itself gives an unhashable transform.
        fingerprint=generate_random_fingerprint(),
    )
    return datasets.concatenate_datasets([base, added], axis=1)


def _nullable(kind: pa.DataType) -> Any:
    """pandas' nullable integer dtypes: unanswered stays <NA> instead of making ints floats."""
    return {pa.int32(): pd.Int32Dtype(), pa.int64(): pd.Int64Dtype()}.get(kind)


def _series(array: pa.Array, index: pd.Index) -> pd.Series:
    if pa.types.is_list(array.type) or pa.types.is_struct(array.type):  # lists, dicts (rubric)
        return pd.Series(array.to_pylist(), index=index, dtype=object)
    series = array.to_pandas(types_mapper=_nullable)
    series.index = index  # positional: the rows are already in the frame's order
    return series


def _named(array: pa.Array, feature: Any, index: pd.Index) -> pd.Series:
    named = named_series(array, feature, index)
    return _series(array, index) if named is None else named


def to_pandas(
    review: ReviewContext, prefix: str = "", annotators: str | None = None
) -> pd.DataFrame:
    columns = _prefixed(review, prefix, annotators)
    data = review.source.data
    if isinstance(data, pd.DataFrame):
        frame = data.copy(deep=False)
    else:
        frame = data.to_pandas()
        for name, kind in data.features.items():
            if kind.__class__.__name__ == "ClassLabel" or pa.types.is_integer(
                data.features.arrow_schema.field(name).type
            ):
                frame[name] = frame[name].astype(_nullable(pa.int64()) or frame[name].dtype)
    # Label answers by name, as in annotations() (API.md 3); the Dataset keeps the integers.
    added = {n: _named(array, feature, frame.index) for n, (array, feature) in columns.items()}
    return pd.concat([frame, pd.DataFrame(added, index=frame.index)], axis=1)


def annotations(review: ReviewContext) -> pd.DataFrame:
    """One row per (record, annotator, question): the current answers of everyone."""
    store, name = review.store, review.name
    status = {(r[0], r[1]): r[2] for r in store.records(name)}
    rows = [
        {
            "record": record,
            "annotator": annotator,
            "question": question,
            "value": value,
            "status": status.get((record, annotator)),
            "annotated_at": to_datetime(at),
        }
        for record, annotator, question, value, at in store.answers(name)
    ]
    columns = ["record", "annotator", "question", "value", "status", "annotated_at"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["annotated_at"] = pd.to_datetime(frame["annotated_at"], utc=True)
    return frame.sort_values(["record", "annotator", "question"], ignore_index=True)
