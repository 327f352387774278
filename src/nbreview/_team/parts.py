"""The answers two annotators or more gave to one question of one record, split into the
parts each kind lets count exactly (`Question.agreed_parts`), decoded and encoded once:
quality()'s `agreement` column and its `competence` check both read them, so a call over
100,000 answers parses each answer once rather than once per figure, and both count on the
same integer codes (record, annotator, value) rather than on text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..questions.combine import Answers, encode, flat
from .log import Log

if TYPE_CHECKING:
    from ..review import Review


@dataclass
class Codes:
    """A part's answers as integer codes: `tasks` (its records), `workers` (indices into
    `names`, the annotators) and `labels` (its distinct canonical values)."""

    tasks: np.ndarray
    workers: np.ndarray
    labels: np.ndarray
    names: np.ndarray = field(repr=False)


@dataclass
class Part:
    """One part of one question: `name` is "question\\x1fn"; `values` are canonical texts."""

    name: str
    answers: Answers
    values: pa.Array

    @cached_property
    def codes(self) -> Codes:
        a = self.answers
        tasks = pc.dictionary_encode(pa.array(a.records, pa.string())).indices
        workers = pc.dictionary_encode(pa.array(a.annotators, pa.string()))
        labels = pc.dictionary_encode(self.values).indices
        names = np.asarray(workers.dictionary.to_pylist(), dtype=object)
        return Codes(
            _ints(tasks), _ints(workers.indices), _ints(labels), names
        )  # fmt: skip


def _ints(indices: pa.Array) -> np.ndarray:
    return indices.to_numpy(zero_copy_only=False).astype(np.int64)


def codes(column: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Each value's index among the column's distinct values, in order of first appearance."""
    return _ints(pc.dictionary_encode(flat(column)).indices)


def shared(answers: pa.Table) -> pa.Table:
    """The answer rows of (record, question) pairs two annotators or more answered."""
    if answers.num_rows == 0:
        return answers
    record, question = codes(answers["record"]), codes(answers["question"])
    pair = record * (int(question.max()) + 1) + question
    _, at, counts = np.unique(pair, return_inverse=True, return_counts=True)
    return answers.filter(pa.array(counts[at] >= 2))


def parts(review: Review, answers: pa.Table) -> list[Part]:
    """Every agreed part of every question over the shared ones of `answers`."""
    table = shared(answers)
    out = []
    for q in review.questions:
        for n, part in enumerate(q.agreed_parts(Log.of(q, table))):
            if part.records:
                out.append(Part(f"{q.name}\x1f{n}", part, encode(part.values)))
    return out
