"""How much annotators agree, per question: Krippendorff's alpha, or token F1 for spans.

Counted: submitted answers only, of records in the data, without annotator "adjudicated".
Only records answered by at least two annotators carry information about agreement; the
`records` and `annotators` columns count those records and the annotators who answered them.

- Label, Preference: alpha, nominal level.
- Rating: alpha, interval level.
- MultiLabel: alpha, nominal level on presence: every (record, label) pair is a unit whose
  value is 1 when the annotator chose the label and 0 when they did not; one alpha pooled
  over all labels (so "nobody chose it" agreements count too).
- Spans: token-overlap F1 (level "span-F1"), reported in the `alpha` column. The field's text
  is split into tokens: runs of word characters (`\\w+`) and single other non-space
  characters. An annotator marks (token, label) when one of their spans with that label
  overlaps the token by a character or more. For every pair of annotators of a record,
  F1 = 2·|A∩B| / (|A| + |B|); the figure pools all pairs of all records (sums numerators and
  denominators), so pairs where neither marked anything count for nothing.
- FreeText, Edit, Ranking: not computed (alpha NaN, with a note): exact text match is not a
  meaningful agreement.

Alpha is NaN, with a note, when no record has two annotators, or every answer is the same
value (alpha is then undefined: there is no disagreement to expect).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import combinations
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .consensus import ADJUDICATED, Answers, gather

if TYPE_CHECKING:
    from .._data.fields import Target
    from ..questions import Question
    from ..review import Review

COLUMNS = ["question", "kind", "level", "alpha", "records", "annotators", "note"]
TOKEN = re.compile(r"\w+|[^\w\s]")
NOMINAL = ("label", "preference")
NOT_COMPUTED = {
    "freetext": "not computed for free text",
    "edit": "not computed for edits",
    "ranking": "not computed for rankings",
}


def agreement(review: Review) -> pd.DataFrame:
    """One row per question: level, alpha (or span F1), records and annotators counted."""
    data = gather(review, submitted_only=True)
    rows = [
        _question_row(review, q, _without_adjudicated(data.answers[q.name]))
        for q in review.questions
    ]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["alpha"] = frame["alpha"].astype("float64")
    return frame.astype({"records": "int64", "annotators": "int64"})


def _without_adjudicated(a: Answers) -> Answers:
    keep = [i for i, name in enumerate(a.annotators) if name != ADJUDICATED]
    return Answers(
        [a.records[i] for i in keep], [a.annotators[i] for i in keep], [a.values[i] for i in keep]
    )


def _pairable(a: Answers) -> Answers:
    """Only records with two or more annotators: the rest cannot show (dis)agreement."""
    counts: dict[str, int] = {}
    for record in a.records:
        counts[record] = counts.get(record, 0) + 1
    keep = [i for i, record in enumerate(a.records) if counts[record] >= 2]
    return Answers(
        [a.records[i] for i in keep], [a.annotators[i] for i in keep], [a.values[i] for i in keep]
    )


def _question_row(review: Review, q: Question, a: Answers) -> dict:
    row = {"question": q.name, "kind": q.kind, "level": None, "alpha": np.nan, "note": ""}
    a = _pairable(a)
    row["records"] = len(set(a.records))
    row["annotators"] = len(set(a.annotators))
    if q.kind in NOT_COMPUTED or q.kind not in (*NOMINAL, "rating", "multilabel", "spans"):
        row["note"] = NOT_COMPUTED.get(q.kind, f"not computed for {q.kind} questions")
        return row
    if q.kind == "spans":
        row["level"] = "span-F1"
    else:
        row["level"] = "interval" if q.kind == "rating" else "nominal"
    if not a.records:
        row["note"] = "no record has answers from two annotators"
        return row
    if q.kind == "spans":
        texts = _texts(review, q.target, set(a.records))
        row["alpha"] = pooled_span_f1(_by_record(a, texts))
        if np.isnan(row["alpha"]):
            row["note"] = "no spans marked: F1 is undefined"
        return row
    if q.kind == "multilabel":
        units, coders, values = _presence(q, a)
    else:
        units, coders, values = a.records, a.annotators, _codes(q, a.values)
    row["alpha"], row["note"] = alpha(units, coders, values, row["level"])
    return row


def _codes(q: Question, values: Sequence[Any]) -> list[float]:
    if q.kind == "rating":
        return [float(v) for v in values]
    labels = getattr(q, "labels", None) or sorted({str(v) for v in values})
    index = {label: i for i, label in enumerate(labels)}
    return [float(index.setdefault(str(v), len(index))) for v in values]


def _presence(q: Question, a: Answers) -> tuple[list, list, list]:
    """MultiLabel as one binary unit per (record, label)."""
    units, coders, values = [], [], []
    for record, annotator, chosen in zip(a.records, a.annotators, a.values, strict=True):
        picked = set(chosen or ())
        for label in q.labels:
            units.append((record, label))
            coders.append(annotator)
            values.append(1.0 if label in picked else 0.0)
    return units, coders, values


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


# -- spans ----------------------------------------------------------------------------------------


def tokens(text: str) -> list[tuple[int, int]]:
    """(start, end) code point offsets of the tokens: word runs and single other characters."""
    return [m.span() for m in TOKEN.finditer(text)]


def marked(text: str | None, spans: Iterable[dict]) -> set[tuple[int, str]]:
    """(token index, label) of every token a span overlaps; without a text, every character."""
    out: set[tuple[int, str]] = set()
    spans = list(spans or ())
    if text is None:
        for s in spans:
            out.update((i, s["label"]) for i in range(s["start"], s["end"]))
        return out
    bounds = tokens(text)
    starts = np.array([b[0] for b in bounds], dtype=np.int64)
    ends = np.array([b[1] for b in bounds], dtype=np.int64)
    for s in spans:
        hit = np.flatnonzero((starts < s["end"]) & (ends > s["start"]))
        out.update((int(i), s["label"]) for i in hit)
    return out


def span_f1_counts(text: str | None, answers: Sequence[Sequence[dict]]) -> tuple[int, int]:
    """(sum of 2·|A∩B|, sum of |A|+|B|) over every pair of the record's annotators."""
    sets = [marked(text, spans) for spans in answers]
    matched = total = 0
    for a, b in combinations(sets, 2):
        matched += 2 * len(a & b)
        total += len(a) + len(b)
    return matched, total


def span_f1(text: str | None, answers: Sequence[Sequence[dict]]) -> float:
    """Token-overlap F1 between the annotators of one record (NaN when nobody marked)."""
    return pooled_span_f1([(text, answers)])


def pooled_span_f1(records: Iterable[tuple[str | None, Sequence[Sequence[dict]]]]) -> float:
    """Token-overlap F1 pooled over records: sums of matches over sums of sizes."""
    matched = total = 0
    for text, answers in records:
        m, t = span_f1_counts(text, answers)
        matched, total = matched + m, total + t
    return matched / total if total else float("nan")


def _by_record(a: Answers, texts: dict[str, str | None]) -> list[tuple[str | None, list]]:
    grouped: dict[str, list] = {}
    for record, value in zip(a.records, a.values, strict=True):
        grouped.setdefault(record, []).append(value)
    return [(texts.get(record), answers) for record, answers in grouped.items()]


def _texts(review: Review, target: Target, records: set[str]) -> dict[str, str | None]:
    """The target's text of each record (a column, or one chat message), from a row holding it."""
    wanted = pa.array(sorted(records), pa.string())
    positions = pc.index_in(wanted, value_set=review.keys.all()).to_pylist()
    out: dict[str, str | None] = {}
    for key, position in zip(wanted.to_pylist(), positions, strict=True):
        if position is not None:  # rows with one key hold the same text: any of them will do
            out[key] = target.text(review.source.row(position, [target.column]))
    return out
