"""Suggestions from a callable: batches of records in, `{question: value}` dicts out, checked
and stored whole (the store's suggestions table) so none is computed twice.

A batch the callable fails on (raises, hangs, the wrong length, an item that is not a dict)
stores nothing and is reported by its rows and the reason; a value its question refuses is
dropped and counted, the rest of the batch kept.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import TYPE_CHECKING, Any

import numpy as np

from ..questions import Question
from ..store.base import dump
from .calls import Caller

if TYPE_CHECKING:
    from ..review import Review

ROW = "_row"  # the row position, added to every record the callable receives


@dataclass
class Suggester:
    """One callable, the questions it answers and the name its suggestions are kept under."""

    caller: Caller
    questions: list[Question]
    name: str
    batch_size: int = 32

    @property
    def fn(self) -> Callable:
        return self.caller.fn


def name_of(fn: Callable, name: str | None = None) -> str:
    if name is not None:
        if not isinstance(name, str) or not name:
            raise ValueError(f"name must be a non-empty string, got {name!r}")
        return name
    return getattr(fn, "__qualname__", None) or type(fn).__qualname__


def make(
    review_questions,
    fn: Callable,
    questions: Sequence[Question] | None = None,
    *,
    name: str | None = None,
    batch_size: int = 32,
    concurrency: int = 1,
    timeout: float = 60.0,
) -> Suggester:
    """A Suggester for `fn` (every question of the review unless `questions`), checked."""
    if not callable(fn):
        raise ValueError(f"suggest takes a callable (records -> list of dicts), got {fn!r}")
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a whole number of at least 1, got {batch_size!r}")
    asked = list(review_questions) if questions is None else list(questions)
    return Suggester(Caller(fn, concurrency, timeout), asked, name_of(fn, name), batch_size)


def of_review(review: Review, fn: Callable | None, **options: Any) -> list[Suggester]:
    """The review's suggesters, preferred first: each question's own `suggestion=fn`, then
    `Review(suggest=fn)` for every question."""
    out = []
    for q in review.questions:
        own = getattr(q, "suggest_fn", None)
        if own is not None:
            out.append(make(review.questions, own, [q], **{**options, "name": None}))
    return out + ([make(review.questions, fn, **options)] if fn is not None else [])


def records(review: Review, positions: Sequence[int]) -> list[dict]:
    """The rows as dicts of every column but the gold ones (a model never sees the known
    right answers), plus `"_row"`, read column by column from Arrow."""
    source, rows = review.source, np.asarray(positions, dtype=np.int64)
    gold = {q.gold for q in review.questions if q.gold}
    columns = {}
    for c in [c for c in source.columns if c not in gold]:
        try:
            columns[c] = source.take(c, rows).to_pylist()
        except Exception:  # a column Arrow cannot type (mixed objects): value by value
            columns[c] = [source.row(int(p), [c])[c] for p in rows]
    columns[ROW] = rows.tolist()
    names = list(columns)  # one dict per row, made by map and zip in C, no Python loop
    return list(map(dict, map(zip, repeat(names), zip(*columns.values(), strict=True))))


class BatchFailed(ValueError):
    """The whole batch is unusable: nothing of it is stored."""


@dataclass
class Outcome:
    """What one batch gave: rows to store and counts per question."""

    rows: list[tuple[str, str, str | None]] = field(default_factory=list)
    suggested: Counter = field(default_factory=Counter)
    invalid: Counter = field(default_factory=Counter)
    example: str | None = None  # one invalid value and why


def span(batch: list[dict]) -> str:
    rows = [r[ROW] for r in batch]
    return f"rows {rows[0]}-{rows[-1]}" if len(rows) > 1 else f"row {rows[0]}"


def judged(s: Suggester, batches: list[tuple[list[dict], list[str]]], results: list):
    """Yield (records, keys, Outcome or BatchFailed): each failed batch alone, then the good
    batches of the group together, their values checked in one pass per question."""
    records_, keys_, items_ = [], [], []
    for (batch, keys), result in zip(batches, results, strict=True):
        try:
            items = _items(batch, result)
        except BatchFailed as exc:
            yield batch, keys, exc
            continue
        records_ += batch
        keys_ += keys
        items_ += items
    if items_:
        yield records_, keys_, check(s, records_, keys_, items_)


def check(s: Suggester, batch: list[dict], keys: list[str], items: list[Mapping]) -> Outcome:
    """Rows to store for the items (one dict per record), values the questions refuse
    dropped and counted."""
    out = Outcome()
    names = {q.name for q in s.questions}
    if not set().union(*items) <= names:  # a key no question has: which items
        for i in [i for i, item in enumerate(items) if not item.keys() <= names]:
            for extra in set(items[i]) - names:
                out.invalid[str(extra)] += 1
                why = f"row {batch[i][ROW]}: no question {extra!r} to suggest for"
                out.example = out.example or why
    for q in s.questions:
        texts, refused = _texts(q, [item.get(q.name) for item in items], batch)
        if refused:
            out.invalid[q.name] += len(refused)
            i, why = refused[0]
            out.example = out.example or f"row {batch[i][ROW]}, {q.name}: {why}"
        out.suggested[q.name] += len(texts) - texts.count(None)
        out.rows += zip(keys, repeat(q.name), texts)
    return out


def _items(batch: list[dict], result: Any) -> list[Mapping]:
    """The result's items (None as {}), or BatchFailed when its shape is wrong."""
    if isinstance(result, BaseException):
        raise BatchFailed(f"{span(batch)}: the callable raised {type(result).__name__}: {result}")
    if not isinstance(result, (list, tuple)):
        raise BatchFailed(
            f"{span(batch)}: the callable returned {type(result).__name__}, not a list of dicts"
        )
    if len(result) != len(batch):
        raise BatchFailed(
            f"{span(batch)}: the callable returned {len(result)} results for {len(batch)} records"
        )
    items = [{} if item is None else item for item in result]
    for record, item in zip(batch, items, strict=True):
        if type(item) is not dict and not isinstance(item, Mapping):
            raise BatchFailed(
                f"{span(batch)}: the result for row {record[ROW]} is a {type(item).__name__}, "
                "not a dict of {question: value}"
            )
    return items


def _texts(q: Question, values: list, batch: list[dict]) -> tuple[list, list[tuple[int, str]]]:
    """(the suggestions as stored JSON texts or None, [(index, why)] of refused ones). A kind
    that reads no column checks a value the same way on every record: each distinct plain
    value is checked once, the rest is a dict lookup in C."""
    if not q.target_columns():
        try:
            distinct = set(values)
        except TypeError:  # lists, dicts: value by value
            distinct = None
        if distinct is not None and _plain(distinct):
            found = {v: _stored(q, v, None) for v in distinct}
            texts = list(map({v: t for v, (t, _) in found.items()}.__getitem__, values))
            bad = {v: why for v, (_, why) in found.items() if why is not None}
            return texts, [(i, bad[v]) for i, v in enumerate(values) if v in bad] if bad else []
    found_each = [_stored(q, v, record) for v, record in zip(values, batch, strict=True)]
    refused = [(i, why) for i, (_, why) in enumerate(found_each) if why is not None]
    return [text for text, _ in found_each], refused


def _plain(distinct: set) -> bool:
    """Values a set keeps apart as the questions do (True and 1 are one in a set)."""
    types = {type(v) for v in distinct}
    return types <= PLAIN and not (bool in types and types & {int, float})


PLAIN = {str, int, float, bool, type(None)}


def _stored(q: Question, value: Any, record: dict | None) -> tuple[str | None, str | None]:
    checked, why = _valid(q, value, record or {})
    return (None if checked is None else dump(checked), why)


def _valid(q: Question, value: Any, record: dict) -> tuple[Any, str | None]:
    """(the suggested answer as stored, None) or (None, why it was refused)."""
    if hasattr(value, "item") and callable(value.item) and np.ndim(value) == 0:
        value = value.item()  # a numpy scalar
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None, None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        return q.from_suggestion(value, record), None
    except (ValueError, TypeError) as exc:
        return None, str(exc)[:200]


@dataclass
class Tally:
    """Counts per question over a run, and the reasons batches failed."""

    suggested: Counter = field(default_factory=Counter)
    invalid: Counter = field(default_factory=Counter)
    failed: Counter = field(default_factory=Counter)
    example: str | None = None
    failures: list[str] = field(default_factory=list)

    def add(self, s: Suggester, batch: list[dict], outcome: Outcome | BatchFailed) -> None:
        if isinstance(outcome, BatchFailed):
            self.failures.append(str(outcome))
            for q in s.questions:
                self.failed[q.name] += len(batch)
            return
        self.suggested.update(outcome.suggested)
        self.invalid.update(outcome.invalid)
        self.example = self.example or outcome.example


def outcomes(review: Review, s: Suggester, positions: Sequence[int], per_call: int = 1):
    """Yield (batch, its keys, Outcome or BatchFailed) for the rows, `concurrency` batches
    called at once, `per_call` rounds of them read and handed over together."""
    group_rows = s.batch_size * s.caller.concurrency * per_call
    for start in range(0, len(positions), group_rows):
        rows = list(positions[start : start + group_rows])
        batch_records = records(review, rows)
        keys = review.keys.take(np.asarray(rows, dtype=np.int64)).to_pylist()
        batches = [
            (batch_records[i : i + s.batch_size], keys[i : i + s.batch_size])
            for i in range(0, len(rows), s.batch_size)
        ]
        yield from judged(s, batches, s.caller.call([b for b, _ in batches]))
