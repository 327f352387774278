"""`review.summary(question, by=None)`: the answers to a question counted, overall or per
value of a column: the view that shows a bias running through a dataset (API.md 8).

What an answer counts under is the kind's (`Question.summary_items`): the label, each label
chosen (MultiLabel), each label marked at least once (Spans), `criterion: score` (Rubric),
the answer's text otherwise. Submitted answers only, annotator "adjudicated" left out; every
annotator's answer counts. A per-turn question (`turns=`) counts each answered turn, and
`by="role"` or `by="tool"` split its turns by the message's role or the tool it calls or
answers (these mean the turn's, even where the dataset has a column of that name).
Columns: [`by`,] `answer`, `count` (answers holding it), `answered` (answers in the slice)
and `share` (count / answered). Every item the kind names (`summary_names`) is listed, with
0 where nobody gave it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .log import answers_of

if TYPE_CHECKING:
    from ..review import Review

COLUMNS = ["answer", "count", "answered", "share"]
SLICE = "__nbreview_slice"
TURN_SLICES = ("role", "tool")  # what a per-turn question's turns split by


def summary(review: Review, question: str, by: str | None = None) -> pd.DataFrame:
    q = review.questions[question]
    by_turn = q.turns is not None and by in TURN_SLICES
    if by is not None and by not in review.source.columns and not by_turn:
        raise ValueError(f"unknown column {by!r} (by=); the dataset has {review.source.columns!r}")
    if by in COLUMNS:
        raise ValueError(f"by={by!r} would clash with summary()'s column {by!r}; rename it first")
    a, rows = answers_of(review, q)
    owner, turns, units = q.summary_units(q.to_arrow(a.values))
    index, items = q.summary_items(units)
    if by_turn:
        at = pc.take(rows, owner).to_numpy().astype(np.int64)
        values = review.source.python_values(q.turns, at)
        slices = pa.array(q.turn_slices(by, values, turns.to_pylist()), pa.string())
    else:
        slices = pc.take(_slices(review, rows, by), owner)
    counted = pa.table({SLICE: pc.take(slices, index), "answer": items})
    counts = counted.group_by([SLICE, "answer"]).aggregate([([], "count_all")]).to_pandas()
    answered = pa.table({SLICE: slices}).group_by(SLICE).aggregate([([], "count_all")])
    answered = answered.to_pandas()
    if by is None and answered.empty:  # nothing answered yet: the items, counted 0 times
        answered = pd.DataFrame({SLICE: [0], "count_all": [0]})
    frame = _complete(counts, answered, q.summary_names())
    frame["share"] = frame["count"] / frame["answered"].where(frame["answered"] > 0)
    if by is None:
        return frame[COLUMNS]
    return frame.rename(columns={SLICE: by})[[by, *COLUMNS]]


def _slices(review: Review, rows: pa.Array, by: str | None) -> pa.Array:
    """Each answer's value of `by`, read at its row (one slice, 0, without `by`)."""
    if by is None:
        return pa.array(np.zeros(len(rows), dtype=np.int8))
    values = review.source.take(by, rows.to_numpy().astype(np.int64))
    values = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    if pa.types.is_nested(values.type):  # a list or dict column: group by its text
        values = pa.array([None if v is None else str(v) for v in values.to_pylist()])
    return values


def _complete(counts: pd.DataFrame, answered: pd.DataFrame, names: list[str] | None):
    """Every (slice, item) pair: the kind's items in order, others after, 0 where none."""
    counts = counts.rename(columns={"count_all": "count"})
    answered = answered.rename(columns={"count_all": "answered"})
    seen = sorted(set(counts["answer"]) - set(names or []), key=_numeric_first)
    items = pd.DataFrame({"answer": [*(names or []), *seen]})
    grid = answered[[SLICE]].merge(items, how="cross")
    frame = grid.merge(counts, on=[SLICE, "answer"], how="left").merge(answered, on=SLICE)
    frame["count"] = frame["count"].fillna(0).astype("int64")
    frame["answered"] = frame["answered"].astype("int64")
    order = {name: i for i, name in enumerate(items["answer"])}
    frame["_item"] = frame["answer"].map(order)
    frame = frame.sort_values([SLICE, "_item"], na_position="last", kind="stable")
    return frame.drop(columns="_item").reset_index(drop=True)


def _numeric_first(item: str) -> tuple:
    """Items that are numbers in numeric order ("2" before "10"), then the rest by text."""
    try:
        number = float(item)
    except (TypeError, ValueError):
        return (1, 0.0, str(item))
    return (0, number, "") if number == number else (1, 0.0, str(item))
