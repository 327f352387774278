"""Queue orders that the team's answers or a model give (API.md 12), as full row orders.

- `sort="disagreement"`: records with at least two annotators' submitted answers first,
  lowest agreement first. A record's agreement is the mean, over its questions, of the share
  of answers equal to the most common one (answers are stored validated: equal answers have
  equal text); ties: more annotators first, then row order.
- `sort="suggestion_disagreement"`: records where submitted answers differ from the record's
  suggestion (its suggestion column, else a callable's stored one) first, the largest share
  differing first, then row order.
- `order=fn`: `fn(review)` lists rows; those come first in that order, the others after.
Every other record follows in row order; the queue's filter, status and search narrow it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

if TYPE_CHECKING:
    from .._data.queue import Queue
    from ..review import Review

SORTS = ("disagreement", "suggestion_disagreement")


def check_order(queue: Queue) -> None:
    """`order=` and `every=` as a Queue takes them (ValueError otherwise)."""
    if queue.order is not None and not callable(queue.order):
        raise ValueError(f"queue order takes a callable fn(review) -> rows, got {queue.order!r}")
    if queue.order is not None and (queue.sort is not None or queue.seed is not None):
        raise ValueError("a queue is ordered by one thing: give order=, sort= or seed=, not two")
    if queue.rows is not None:
        rows = queue.rows
        if not isinstance(rows, (list, tuple)) or not all(
            isinstance(r, int) and not isinstance(r, bool) and r >= 0 for r in rows
        ):
            raise ValueError(f"queue rows takes a list of row positions, got {rows!r}")
        if queue.order is not None or queue.sort is not None or queue.seed is not None:
            raise ValueError("a queue of given rows keeps their order: no order=, sort= or seed=")
        object.__setattr__(queue, "rows", tuple(rows))
    if queue.every is not None:
        if queue.order is None:
            raise ValueError("every= re-ranks a queue's order=fn: give order= too")
        if isinstance(queue.every, bool) or not isinstance(queue.every, int) or queue.every < 1:
            raise ValueError(f"every must be a whole number of at least 1, got {queue.every!r}")


def ranked(review: Review, queue: Queue) -> np.ndarray | None:
    """Every row position in the order the queue's model or team sort gives, or None."""
    if queue.order is not None:
        return by_callable(review, queue.order)
    if queue.rows is not None:
        rows = np.asarray(queue.rows, dtype=np.int64)
        if len(rows) and rows.max() >= len(review.source):
            raise ValueError(f"queue rows: row {int(rows.max())} is out of range")
        return rows
    if isinstance(queue.sort, str) and queue.sort in SORTS:
        if queue.sort in review.source.columns:  # the dataset's own column of that name
            return None
        if queue.sort == "disagreement":
            return disagreement(review)
        return suggestion_disagreement(review)
    return None


def first_then_rest(n: int, first: np.ndarray) -> np.ndarray:
    rest = np.ones(n, dtype=bool)
    rest[first] = False
    return np.concatenate([first, np.flatnonzero(rest)]).astype(np.int64)


def by_callable(review: Review, fn: Callable) -> np.ndarray:
    n = len(review.source)
    got = fn(review)
    try:
        rows = np.asarray(got if got is not None else [], dtype=np.int64).ravel()
    except (TypeError, ValueError):
        raise ValueError(
            f"queue order: fn(review) must return row positions, got {got!r}"
        ) from None
    bad = rows[(rows < -n) | (rows >= n)]
    if len(bad):
        raise ValueError(
            f"queue order: row {int(bad[0])} is out of range (the dataset has {n} rows)"
        )
    rows = rows % max(n, 1)
    _, first = np.unique(rows, return_index=True)
    return first_then_rest(n, rows[np.sort(first)])  # a row listed twice: its first place


def _positions(review: Review, keys: list[str] | pa.Array) -> np.ndarray:
    """Row positions of keys (-1 for a key this dataset does not hold), matched in Arrow."""
    keys = keys if isinstance(keys, pa.Array) else pa.array(keys, pa.string())
    if len(keys) == 0:
        return np.zeros(0, dtype=np.int64)
    found, found_keys = review.keys.find(keys)
    at = pc.index_in(keys, value_set=found_keys)
    rows = pc.take(pa.array(found, pa.int64()), at).fill_null(-1)
    return rows.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)


def disagreement(review: Review) -> np.ndarray:
    from .disagree import agreement, submitted

    records, agreement_, people = agreement(submitted(*review.store.team_answers(review.name)))
    return _first_by(review, records, agreement_, -people)


def _first_by(review: Review, keys, primary: np.ndarray, secondary: np.ndarray) -> np.ndarray:
    """Records of `keys` first, by primary then secondary ascending then row; the rest after."""
    positions = _positions(review, keys)
    held = positions >= 0
    positions, primary, secondary = positions[held], primary[held], secondary[held]
    first = positions[np.lexsort((positions, secondary, primary))]
    return first_then_rest(len(review.source), first)


def suggestion_disagreement(review: Review) -> np.ndarray:
    from ..store.base import dump, load
    from .loop import stored_texts

    answers = review.store.submitted_answers(review.name)
    keys = answers.column("record").to_pylist()
    questions = answers.column("question").to_pylist()
    texts = answers.column("text").to_pylist()
    suggested = stored_texts(review, sorted(set(keys)))  # (record, question) -> text
    columns = [q for q in review.questions if q.suggestion]
    if columns and keys:
        unique = sorted(set(keys))
        rows = _positions(review, unique)
        for q in columns:
            values = review.source.take(q.suggestion, np.maximum(rows, 0)).to_pylist()
            targets = {
                c: review.source.take(c, np.maximum(rows, 0)).to_pylist()
                for c in q.target_columns()
            }
            for i, (key, value) in enumerate(zip(unique, values, strict=True)):
                text = column_text(q, value, {c: v[i] for c, v in targets.items()}, dump)
                if rows[i] >= 0 and text is not None:
                    suggested[(key, q.name)] = text
    differ: dict[str, list[int]] = {}
    for key, question, text in zip(keys, questions, texts, strict=True):
        hint = suggested.get((key, question))
        if hint is None:
            continue
        count = differ.setdefault(key, [0, 0])
        count[1] += 1
        count[0] += load(hint) != load(text)
    changed = [k for k, (d, _) in differ.items() if d]
    share = np.array([-differ[k][0] / differ[k][1] for k in changed], dtype=float)
    return _first_by(review, changed, share, np.array([-differ[k][0] for k in changed]))


def column_text(q: Any, value: Any, record: dict, dump: Callable) -> str | None:
    """A suggestion column's value as the JSON text an equal answer is stored as, or None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        checked = q.from_suggestion(value, record)
    except (ValueError, TypeError):
        return None
    return None if checked is None else dump(checked)
