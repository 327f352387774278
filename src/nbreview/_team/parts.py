"""The answers two annotators or more gave to one question of one record, split into the
parts each kind lets count exactly (`Question.agreed_parts`), decoded and encoded once:
quality()'s `agreement` column and its `competence` check both read them, so a call over
100,000 answers parses each answer once rather than once per figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

from ..questions.combine import Answers, encode
from .log import Log

if TYPE_CHECKING:
    from ..review import Review


@dataclass
class Part:
    """One part of one question: `name` is "question\\x1fn"; `values` are canonical texts."""

    name: str
    answers: Answers
    values: pa.Array


def shared(answers: pa.Table) -> pa.Table:
    """The answer rows of (record, question) pairs two annotators or more answered."""
    counts = answers.group_by(["record", "question"]).aggregate([("annotator", "count")])
    many = counts.filter(pc.greater_equal(counts["annotator_count"], 2))
    return answers.join(
        many.select(["record", "question"]), ["record", "question"], join_type="inner"
    )


def parts(review: Review, answers: pa.Table) -> list[Part]:
    """Every agreed part of every question over the shared ones of `answers`."""
    table = shared(answers)
    out = []
    for q in review.questions:
        for n, part in enumerate(q.agreed_parts(Log.of(q, table))):
            if part.records:
                out.append(Part(f"{q.name}\x1f{n}", part, encode(part.values)))
    return out
