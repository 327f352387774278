"""`review.alignment(column, question)`: a model's answers (an LLM judge's) against the humans'.

The column holds the judge's answers in the question's units (what `submit` takes), null
where it gave none; only records with submitted human answers are read, and a judge's
answer the question would not take is a ValueError naming its row. One row per annotator,
then `"consensus"`, the humans' most common answer per record (records where they tie are
left out):

- `records`: records with both a human answer and the judge's.
- `agreement`: the share of parts the judge got equal, as `Question.grade` counts (ratings
  within `tolerance`, spans by token F1 >= 0.5, a rubric criterion by criterion).
- `alpha`: Krippendorff's alpha at the question's level with the judge as one more coder
  (the annotator and the judge; for the consensus row every annotator and the judge); the
  kind's own measure where it has one (span F1); NaN where the kind computes none.

With `confidence=COLUMN` (the judge's probability that its answer is right, in [0, 1]; null
rows left out of these two), a judge's answer counts as right by the share of its parts
graded equal (0 or 1 for one-part kinds), and two columns follow:

- `ece`: expected calibration error over 10 equal-width bins of confidence ([0, 0.1), ...,
  [0.9, 1], 1.0 in the last): sum over bins of (answers in it / all) * |share right - mean
  confidence|.
- `brier`: the mean of (confidence - right)^2.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._export.agreement import alpha
from ..questions import AnswerError, Question
from ..questions.combine import Answers, decode, modes
from .gold import whole
from .log import answers_of, reader, row_positions
from .quality import points

if TYPE_CHECKING:
    from ..review import Review

COLUMNS = ["annotator", "records", "agreement", "alpha"]
CONSENSUS = "consensus"
JUDGE = "\x1fjudge"  # the judge as a coder: a name no annotator has


def judged(review: Review, column: str, question: str) -> tuple[Question, Answers, list]:
    """(question, submitted human answers the judge also answered, the judge's answers)."""
    if column not in review.source.columns:
        raise ValueError(
            f"unknown column {column!r} (the judge's answers); the dataset has columns "
            f"{review.source.columns!r}"
        )
    q = review.questions[question]
    a, at = answers_of(review, q)
    rows = at.to_numpy().astype(np.int64)
    found = review.source.take(column, rows).to_pylist() if len(rows) else []
    targets = {c: review.source.take(c, rows).to_pylist() for c in q.target_columns()}
    judge: list[Any] = []
    for i, (row, value) in enumerate(zip(rows.tolist(), found, strict=True)):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            judge.append(None)
            continue
        try:
            judge.append(q.validate(whole(value), {c: targets[c][i] for c in targets}))
        except (AnswerError, ValueError, TypeError) as exc:
            raise ValueError(
                f"column {column!r} at row {row}: not an answer to {question!r}: {exc}"
            ) from None
    keep = [v is not None for v in judge]
    return q, a.where(keep), [v for v in judge if v is not None]


def alignment(
    review: Review, column: str, question: str, tolerance: float = 0, confidence: str | None = None
) -> pd.DataFrame:
    tolerance = points(tolerance)
    q, a, judge = judged(review, column, question)
    sure = None if confidence is None else confidences(review, confidence, a.records)
    rows = reader(review, q)
    out = []
    for annotator in sorted(set(a.annotators)):
        mine = [who == annotator for who in a.annotators]
        theirs, said = a.where(mine), [v for v, m in zip(judge, mine, strict=True) if m]
        line = [annotator, *_compare(q, theirs, said, rows, tolerance)]
        if sure is not None:
            line += calibration(q, theirs, said, rows, tolerance, sure)
        out.append(line)
    mode, said = _consensus(a, judge)
    share = _share(q, mode, said, rows, tolerance)
    line = [CONSENSUS, len(mode.records), share, _alpha(q, _with_judge(a, judge), rows)]
    if sure is not None:
        line += calibration(q, mode, said, rows, tolerance, sure)
    out.append(line)
    frame = pd.DataFrame(out, columns=COLUMNS + ([] if sure is None else ["ece", "brier"]))
    kinds = {"records": "int64", "agreement": "float64", "alpha": "float64"}
    return frame.astype({**kinds, **({} if sure is None else {"ece": float, "brier": float})})


def confidences(review: Review, column: str, records: list[str]) -> dict[str, float]:
    """record -> the judge's confidence in [0, 1] (records with a null one left out)."""
    if column not in review.source.columns:
        raise ValueError(
            f"unknown column {column!r} (the judge's confidence); the dataset has columns "
            f"{review.source.columns!r}"
        )
    unique = sorted(set(records))
    at = row_positions(review, pa.array(unique, pa.string()))
    values = review.source.take(column, at.to_numpy()).to_pylist() if unique else []
    out = {}
    for record, row, value in zip(unique, at.to_pylist(), values, strict=True):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise ValueError(
                f"column {column!r} at row {row}: a confidence must be a number in [0, 1], "
                f"got {value!r}"
            )
        out[record] = float(value)
    return out


def outcomes(q: Question, a: Answers, judge: list, rows, tolerance: float, sure: dict):
    """(confidence, right) per answer of `a` whose record has a confidence."""
    if not a.records:
        return np.zeros(0), np.zeros(0)
    right, counted = q.grade(a.values, judge, a.records, rows, tolerance)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(counted > 0, right / np.maximum(counted, 1), np.nan)
    conf = np.array([sure.get(r, np.nan) for r in a.records], dtype=float)
    keep = ~np.isnan(conf) & ~np.isnan(share)
    return conf[keep], share[keep]


def ece_brier(conf: np.ndarray, right: np.ndarray, bins: int = 10) -> tuple[float, float]:
    if not len(conf):
        return np.nan, np.nan
    which = np.minimum((conf * bins).astype(int), bins - 1)
    n = np.bincount(which, minlength=bins)
    gap = np.abs(
        np.bincount(which, right, minlength=bins) - np.bincount(which, conf, minlength=bins)
    )
    ece = float(gap.sum() / len(conf))  # sum of n_b/N * |acc_b - conf_b| = |sums| / N
    return ece if n.sum() else np.nan, float(np.mean((conf - right) ** 2))


def calibration(q, a, judge, rows, tolerance, sure) -> list[float]:
    return list(ece_brier(*outcomes(q, a, judge, rows, tolerance, sure)))


def reliability(
    review: Review, column: str, question: str, confidence: str, tolerance: float = 0
) -> pd.DataFrame:
    """Per bin of confidence (10, equal width) against the humans' consensus: `bin` (its
    lower edge), `confidence` (mean), `accuracy` (share right), `answers`."""
    q, a, judge = judged(review, column, question)
    sure = confidences(review, confidence, a.records)
    mode, said = _consensus(a, judge)
    conf, right = outcomes(q, mode, said, reader(review, q), points(tolerance), sure)
    which = np.minimum((conf * 10).astype(int), 9)
    frame = pd.DataFrame({"bin": which / 10, "confidence": conf, "right": right})
    table = frame.groupby("bin", as_index=False).agg(
        confidence=("confidence", "mean"), accuracy=("right", "mean"), answers=("right", "size")
    )
    return table


def _compare(q: Question, a: Answers, judge: list, rows, tolerance: float) -> tuple:
    """(records, agreement, alpha) of one coder's answers against the judge's."""
    if not a.records:
        return 0, np.nan, np.nan
    share = _share(q, a, judge, rows, tolerance)
    return len(set(a.records)), share, _alpha(q, _with_judge(a, judge), rows)


def _share(q: Question, a: Answers, judge: list, rows, tolerance: float) -> float:
    """The share of parts the judge's answers get equal to `a`'s, as the kind grades."""
    if not a.records:
        return np.nan
    right, counted = q.grade(a.values, judge, a.records, rows, tolerance)
    return float(right.sum() / counted.sum()) if counted.sum() else np.nan


def _with_judge(a: Answers, judge: list) -> Answers:
    """The answers and, once per record, the judge's as one more coder's."""
    first = {}
    for record, value in zip(a.records, judge, strict=True):
        first.setdefault(record, value)
    return Answers(
        [*a.records, *first], [*a.annotators, *[JUDGE] * len(first)], [*a.values, *first.values()]
    )


def _consensus(a: Answers, judge: list) -> tuple[Answers, list]:
    """The humans' most common answer per record (none on a tie), and the judge's beside it."""
    if not a.records:
        return Answers([], [], []), []
    table = modes(a.records, a.values)
    values = decode(table["value"], a.values)
    of_record = dict(zip(a.records, judge, strict=True))
    pairs = zip(table["record"].to_pylist(), values, strict=True)
    kept = [(r, v) for r, v in pairs if v is not None]
    mode = Answers([r for r, _ in kept], [CONSENSUS] * len(kept), [v for _, v in kept])
    return mode, [of_record[r] for r, _ in kept]


def _alpha(q: Question, a: Answers, rows) -> float:
    """Alpha (or the kind's own score) of every coder of `a`, parts of a question pooled."""
    units, coders, numbers, scores, level = [], [], [], [], None
    for n, unit in enumerate(q.agreement_units(a, rows)):
        pairable = _pairable(unit.answers)
        if unit.level is None or not pairable.records:
            continue
        if unit.score is not None:
            scores.append(unit.score(pairable)[0])
            continue
        u, c, v = unit.codes(pairable)
        units += [(n, x) for x in u]
        coders += list(c)
        numbers += list(v)
        level = unit.level
    if scores:
        return float(np.nanmean(scores)) if not all(map(math.isnan, scores)) else np.nan
    return np.nan if level is None else alpha(units, coders, numbers, level)[0]


def _pairable(a: Answers) -> Answers:
    """The answers of records with two coders or more: the rest show no (dis)agreement."""
    records = pa.array(a.records, pa.string())
    counts = pc.value_counts(records)
    many = counts.field("values").filter(pc.greater_equal(counts.field("counts"), 2))
    keep = pc.is_in(records, value_set=many).to_numpy(zero_copy_only=False)
    return a if keep.all() else a.where(keep.tolist())


def confusion(review: Review, column: str, question: str) -> pd.DataFrame:
    """(human, judge, count): every submitted human answer against the judge's, as text."""
    q, a, judge = judged(review, column, question)
    pairs = pd.DataFrame(
        {"human": [q.answer_text(v) for v in a.values], "judge": [q.answer_text(v) for v in judge]}
    )
    return pairs.value_counts(["human", "judge"]).rename("count").reset_index()
