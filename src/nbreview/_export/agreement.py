"""How much annotators agree, per question: Krippendorff's alpha, or a kind's own measure.

Counted: submitted answers only, of records in the data, without annotator "adjudicated".
Only records answered by at least two annotators carry information about agreement; the
`records` and `annotators` columns count those records and the annotators who answered them.

What is scored, at which level, belongs to the question's kind (`Question.agreement_units`):

- Label, Preference: alpha, nominal level.
- Rating: alpha, interval level. Rubric: one row per criterion (`"scores.helpfulness"`),
  interval alpha over the annotators who rated it.
- MultiLabel: alpha, nominal level on presence: every (record, label) pair is a unit whose
  value is 1 when the annotator chose the label and 0 when they did not; one alpha pooled
  over all labels (so "nobody chose it" agreements count too).
- Spans: token-overlap F1 (level "span-F1", see questions/span_f1.py), in the `alpha`
  column.
- FreeText, Edit, Ranking: not computed (alpha NaN, with a note): exact text match is not a
  meaningful agreement.

A per-turn question (`turns=`) is scored at its kind's level with each (record, turn) a
unit: its `records` column counts those units.

Alpha is NaN, with a note, when no record has two annotators, or every answer is the same
value (alpha is then undefined: there is no disagreement to expect).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._team.log import Log
from ..questions.base import AgreementUnit
from ..questions.span_f1 import marked, pooled_span_f1, span_f1, tokens
from ..store.base import ADJUDICATOR
from .consensus import Answers

if TYPE_CHECKING:
    from ..context import ReviewContext
    from ..questions import Question

__all__ = ["agreement", "alpha", "marked", "pooled_span_f1", "span_f1", "tokens"]

COLUMNS = ["question", "kind", "level", "alpha", "records", "annotators", "note"]


def agreement(review: ReviewContext) -> pd.DataFrame:
    """One row per question (or part of one): level, alpha, records and annotators counted."""
    table = _submitted(review)
    rows = []
    for q in review.questions:
        answers = _without_adjudicated(Log.of(q, table))
        for unit in q.agreement_units(answers, _reader(review, q)):
            rows.append(_row(q, unit))
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["alpha"] = frame["alpha"].astype("float64")
    return frame.astype({"records": "int64", "annotators": "int64"})


def _submitted(review: ReviewContext) -> pa.Table:
    """Submitted answers of records of the data, read as Arrow in one statement (100,000
    answers in a fraction of gather()'s time), without those who did not qualify."""
    from .._team.log import read
    from .._team.qualify import unqualified

    table = read(review).answers()
    out = unqualified(review)
    if out:
        keep = pc.invert(pc.is_in(table["annotator"], value_set=pa.array(out, pa.string())))
        table = table.filter(keep)
    return table


def _without_adjudicated(a: Answers) -> Answers:
    return a.where([name != ADJUDICATOR for name in a.annotators])


def _pairable(a: Answers) -> Answers:
    """Only records with two or more annotators: the rest cannot show (dis)agreement."""
    counts: dict[str, int] = {}
    for record in a.records:
        counts[record] = counts.get(record, 0) + 1
    return a.where([counts[record] >= 2 for record in a.records])


def _row(q: Question, unit: AgreementUnit) -> dict:
    a = _pairable(unit.answers)
    row = {"question": unit.name, "kind": q.kind, "level": unit.level, "alpha": np.nan}
    row |= {"records": len(set(a.records)), "annotators": len(set(a.annotators))}
    row["note"] = unit.note
    if unit.level is None:
        return row
    if not a.records:
        row["note"] = "no record has answers from two annotators"
        return row
    if unit.score is not None:
        row["alpha"], row["note"] = unit.score(a)
    else:
        row["alpha"], row["note"] = alpha(*unit.codes(a), unit.level)
    return row


def alpha(
    units: Sequence[Any], coders: Sequence[str], values: Sequence[float], level: str
) -> tuple[float, str]:
    """Krippendorff's alpha of (unit, coder, value) triples; NaN and a note when undefined."""
    import krippendorff

    unit_index = {u: i for i, u in enumerate(dict.fromkeys(units))}
    coder_index = {c: i for i, c in enumerate(sorted(set(coders)))}
    matrix = np.full((len(coder_index), len(unit_index)), np.nan)
    matrix[[coder_index[c] for c in coders], [unit_index[u] for u in units]] = values
    if len(set(values)) < 2:
        return np.nan, "every answer is the same value: alpha is undefined"
    return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement=level)), ""


def _reader(review: ReviewContext, q: Question):
    """Reads records by key: key -> the question's target columns, from a row holding it."""
    columns = q.target_columns()

    def rows(records: set[str]) -> dict[str, Mapping[str, Any]]:
        positions, keys = review.keys.find(records)  # the rows of these records alone
        out: dict[str, Mapping[str, Any]] = {}
        for key, position in zip(keys.to_pylist(), positions.tolist(), strict=True):
            if key not in out:  # rows with one key hold the same values: any will do
                out[key] = review.source.row(position, columns)
        return out

    return rows
