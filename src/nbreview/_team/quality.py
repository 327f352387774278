"""`review.quality()`: one row per annotator, whose work to trust (API.md 8).

Counted from the store (submitted records of the data; annotator "adjudicated" left out):

- `submitted`, `skipped`: records with that status.
- `gold_answered`: gold records submitted. `gold_accuracy`: the share of gold questions
  answered right, as each kind grades (`Question.grade`: the same label, label set or text;
  a rating within `tolerance`; spans by token F1 >= 0.5; a rubric criterion by criterion).
  A gold question left unanswered on a submitted gold record is wrong. NaN without gold.
- `agreement`: the share of their answers equal to the most common answer of the other
  annotators of the record, over the answers each kind lets count exactly
  (`Question.agreed_parts`); answers where the others tie are left out. NaN without others.
- `median_seconds`: time on screen per submitted record. `per_hour`: submitted records per
  hour of all their time on screen (viewed and skipped records included).
- `left_rate`: the share of comparison answers that chose the side shown on the left
  (`Question.left_choices`; ties chose no side). NaN without any.
- `flag`: `"gold accuracy 0.62 below 0.8"`, or "".
"""

from __future__ import annotations

import math
import numbers
import weakref
from json import dumps
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..questions import Question
from ..store.base import ADJUDICATOR, load_many
from . import checks
from .log import Log, read, reader, sql
from .parts import Part, parts

if TYPE_CHECKING:
    from ..review import Review

COLUMNS = [
    "annotator",
    "submitted",
    "gold_answered",
    "gold_accuracy",
    "agreement",
    "median_seconds",
    "per_hour",
    "left_rate",
    "skipped",
    "flag",
]


def share(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value <= 1:
        raise ValueError(f"{name} is a share from 0 to 1, got {value!r}")
    return float(value)


def points(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value >= 0:
        raise ValueError(f"tolerance is a number of points, 0 or more, got {value!r}")
    return float(value)


def quality(
    review: Review, min_gold_accuracy: float = 0.8, tolerance: float = 0, min_seconds: float = 2
) -> pd.DataFrame:
    least = share("min_gold_accuracy", min_gold_accuracy)
    tolerance = points(tolerance)
    if (
        isinstance(min_seconds, bool)
        or not isinstance(min_seconds, numbers.Real)
        or min_seconds < 0
    ):
        raise ValueError(f"min_seconds is a number of seconds, 0 or more, got {min_seconds!r}")
    log = read(review)
    frame = _counts(log).set_index("annotator")
    # One read of the submitted answers (the checks look at all); gold and shared records'
    # are what the other figures read, and each shared answer is decoded once (parts.py).
    everything = log.answers()
    keys = set(_gold_records(review, log)) | set(_shared_records(log))
    answers = everything.filter(
        pc.is_in(everything["record"], value_set=pa.array(sorted(keys), pa.string()))
    )
    agreed = parts(review, answers)
    _gold_columns(frame, review, log, answers, tolerance)
    frame["agreement"] = _by_annotator(frame, agreement(agreed), "agreement", np.nan)
    frame["left_rate"] = _by_annotator(frame, left_rates(review, everything), "left_rate", np.nan)
    checks.add(review, frame, log, float(min_seconds), everything, agreed)
    limits = {**checks.LIMITS, "min_seconds": float(min_seconds)}
    frame["flag"] = [
        "; ".join(x for x in [_flag(row["gold_accuracy"], least), *checks.flags(row, limits)] if x)
        for _, row in frame.iterrows()
    ]
    columns = [*COLUMNS[:-1], *checks.COLUMNS, "flag"]
    if review.qualify is not None:  # True, False, or None while still qualifying
        from .qualify import results

        passed = {who: r.qualified for who, r in results(review).items()}
        frame["qualified"] = pd.Series([passed.get(a) for a in frame.index], frame.index, object)
        frame["flag"] = [
            "; ".join(x for x in (f, "did not qualify" if q is False else "") if x)
            for f, q in zip(frame["flag"], frame["qualified"], strict=True)
        ]
        columns.insert(columns.index("flag"), "qualified")
    out = frame.reset_index()[columns]
    ints = dict.fromkeys(("submitted", "gold_answered", "skipped"), "int64")
    return out.astype({**ints, "annotator": object})


def progress(review: Review, tolerance: float = 0) -> pd.DataFrame:
    """quality()'s cheap columns (submitted, skipped, median_seconds, per_hour,
    gold_answered, gold_accuracy): the records' statuses and the gold records' answers
    only, what a monitor re-reads every few seconds."""
    log = read(review)
    frame = _counts(log).set_index("annotator")
    gold_keys = _gold_records(review, log)
    answers = _gold_answers(review, log, gold_keys) if gold_keys else None
    _gold_columns(frame, review, log, answers, points(tolerance))
    return frame.reset_index().astype({"annotator": object})


POINT_READS = 5000  # submitted gold records read one by one, under a scan of every answer


_gold_read: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # keys -> {pair: (at, rows)}


def _gold_answers(review: Review, log: Log, gold_keys: list[str]) -> pa.Table:
    """The submitted answers of the gold records (`tables.SUBMITTED`'s columns): one
    indexed read per (record, annotator) submitted or changed since the last call (a
    store's read of a list of records scans every answer), or that scan when many are new."""
    r = log.records
    on = r.filter(pc.is_in(r["record"], value_set=pa.array(gold_keys)))
    known = _gold_read.setdefault(review.keys, {})
    columns = ("record", "annotator", "annotated_at", "status")
    pairs = zip(*(on[c].to_pylist() for c in columns), strict=True)
    current = {
        (rec, who): at
        for rec, who, at, status in pairs
        if status == "submitted" and who != ADJUDICATOR
    }
    new = [p for p, at in current.items() if known.get(p, (None,))[0] != at]
    if len(new) > POINT_READS:
        return log.answers(records=gold_keys)
    for record, who in new:
        state = review.store.record(review.name, who, record)
        rows = [(q, dumps(v)) for q, v in state.answers.items()]
        known[(record, who)] = (current[(record, who)], rows if state.status == "submitted" else [])
    table = [(p[0], p[1], q, t) for p in current for q, t in known[p][1]]
    names = ("record", "annotator", "question", "text")
    return pa.table({n: pa.array([t[i] for t in table], pa.string()) for i, n in enumerate(names)})


def _gold_columns(
    frame: pd.DataFrame, review: Review, log: Log, answers: pa.Table | None, tolerance: float
) -> None:
    """gold_answered and gold_accuracy on the frame (indexed by annotator), in place."""
    if answers is None:  # no gold record submitted
        frame["gold_answered"] = 0
        frame["gold_accuracy"] = np.nan
        return
    gold = gold_grades(review, log, answers, tolerance)
    answered = gold.group_by("annotator").aggregate([("record", "count_distinct")])
    graded = gold.group_by("annotator").aggregate([("right", "sum"), ("counted", "sum")])
    frame["gold_answered"] = _by_annotator(frame, answered, "record_count_distinct", 0)
    right = _by_annotator(frame, graded, "right_sum", np.nan)
    counted = _by_annotator(frame, graded, "counted_sum", np.nan)
    frame["gold_accuracy"] = (right / counted.where(counted > 0)).astype("float64")


def _counts(log: Log) -> pd.DataFrame:
    """Statuses and time on screen per annotator, from every row they have on screen."""
    table = sql(
        f"""
        SELECT annotator,
          count(*) FILTER (WHERE status = 'submitted') AS submitted,
          count(*) FILTER (WHERE status = 'skipped') AS skipped,
          median(seconds) FILTER (WHERE status = 'submitted') AS median_seconds,
          sum(seconds) AS seconds
        FROM records WHERE annotator <> '{ADJUDICATOR}'
        GROUP BY annotator ORDER BY annotator
        """,
        records=log.records,
    )
    frame = table.to_pandas()
    hours = frame.pop("seconds").astype(float) / 3600
    frame["per_hour"] = frame["submitted"] / hours.where(hours > 0)
    frame["median_seconds"] = frame["median_seconds"].astype("float64")
    return frame


def _by_annotator(frame: pd.DataFrame, table: pa.Table, column: str, missing: Any) -> pd.Series:
    """A per-annotator figure lined up with the frame's annotators (`missing` where none)."""
    values = dict(zip(table["annotator"].to_pylist(), table[column].to_pylist(), strict=True))
    return pd.Series([values.get(a, missing) for a in frame.index], index=frame.index)


def _flag(accuracy: float, least: float) -> str:
    if math.isnan(accuracy) or accuracy >= least:
        return ""
    return f"gold accuracy {accuracy:.2f} below {least:g}"


# -- gold ---------------------------------------------------------------------------------------


def _gold_records(review: Review, log: Log) -> list[str]:
    """Keys of the gold records someone submitted."""
    submitted = log.submitted()
    on_gold = pc.is_in(submitted["row"], value_set=pa.array(np.flatnonzero(review.gold.mask)))
    return pc.unique(submitted["record"].filter(on_gold)).to_pylist()


def _shared_records(log: Log) -> list[str]:
    """Keys of the records two annotators or more submitted: where agreement is measured."""
    counts = log.submitted().group_by("record").aggregate([("annotator", "count")])
    return counts["record"].filter(pc.greater_equal(counts["annotator_count"], 2)).to_pylist()


def gold_grades(review: Review, log: Log, answers: pa.Table, tolerance: float) -> pa.Table:
    """(annotator, record, question, right, counted) per gold question of a submitted gold
    record (`answers` holds theirs): graded by the question's kind, one left unanswered
    counted wrong."""
    empty = pa.table(
        {
            "annotator": pa.array([], pa.string()),
            "record": pa.array([], pa.string()),
            "right": pa.array([], pa.float64()),
            "counted": pa.array([], pa.float64()),
        }
    )
    submitted = log.submitted()
    parts = [empty]
    for q in review.gold.questions:
        rows = review.gold.rows[q.name]
        on = submitted.filter(pc.is_in(submitted["row"], value_set=pa.array(rows, pa.int64())))
        if on.num_rows == 0:
            continue
        # the expected answer of each submitted gold record, by its row
        at = np.searchsorted(rows, on["row"].to_numpy())
        expected = [review.gold.values[q.name][i] for i in at]
        given = _given(answers, q.name, on)
        records = on["record"].to_pylist()
        right, counted = q.grade(given, expected, records, reader(review, q), tolerance)
        parts.append(
            pa.table(
                {
                    "annotator": on["annotator"],
                    "record": on["record"],
                    "right": pa.array(right, pa.float64()),
                    "counted": pa.array(counted, pa.float64()),
                }
            )
        )
    return pa.concat_tables(parts)


def _given(answers: pa.Table, question: str, on: pa.Table) -> list[Any]:
    """The stored answer to `question` of each (record, annotator) in `on`, or None."""
    answers = answers.filter(pc.equal(answers["question"], question))
    joined = on.append_column("i", pa.array(np.arange(on.num_rows))).join(
        answers.select(["record", "annotator", "text"]), ["record", "annotator"]
    )
    texts = ["null"] * on.num_rows  # JSON for none: a gold question left unanswered
    for i, text in zip(joined["i"].to_pylist(), joined["text"].to_pylist(), strict=True):
        texts[i] = "null" if text is None else text
    return load_many(texts)


# -- agreement with the others, and position bias -----------------------------------------------


def agreement(agreed: list[Part]) -> pa.Table:
    """(annotator, agreement): their answers equal to the others' majority, by part.

    Counted on the parts' integer codes (one answer per unit and annotator): with the
    unit's largest count `top` held by `k_top` values, an answer agrees when it is the only
    value at `top` and no other value sits at `top - 1` (the others' majority is then its
    own); it disagrees when the others' majority is another single value (it is below
    `top` and alone there is one, or it ties two-way at `top`); any other answer faces a
    tie among the others and is left out, as is an answer with no others."""
    empty = pa.table({"annotator": pa.array([], pa.string()), "agreement": pa.array([], "f8")})
    if not agreed:
        return empty
    names = sorted({str(n) for p in agreed for n in p.codes.names})
    units, values, who, u0, v0 = [], [], [], 0, 0
    for p in agreed:
        c = p.codes
        units.append(c.tasks + u0)
        values.append(c.labels + v0)
        who.append(np.searchsorted(names, c.names.astype(str))[c.workers])
        u0, v0 = u0 + int(c.tasks.max()) + 1, v0 + int(c.labels.max()) + 1
    unit, value, annotator = np.concatenate(units), np.concatenate(values), np.concatenate(who)
    pairs, at, n = np.unique(unit * v0 + value, return_inverse=True, return_counts=True)
    of = pairs // v0  # the unit of each (unit, value)
    top = np.zeros(u0, np.int64)
    np.maximum.at(top, of, n)
    k_top = np.bincount(of, weights=n == top[of], minlength=u0)[unit]
    k_below = np.bincount(of, weights=n == top[of] - 1, minlength=u0)[unit]
    mine, size, best = n[at], np.bincount(unit, minlength=u0)[unit], top[unit]
    agrees = (mine == best) & (k_top == 1) & (k_below == 0)
    differs = ((mine == best) & (k_top == 2)) | ((mine < best) & (k_top == 1))
    counted = (size > 1) & (agrees | differs)
    total = np.bincount(annotator[counted], minlength=len(names))
    right = np.bincount(annotator[counted], weights=agrees[counted], minlength=len(names))
    keep = np.flatnonzero(total)
    return pa.table(
        {
            "annotator": pa.array([names[i] for i in keep], pa.string()),
            "agreement": pa.array(right[keep] / total[keep], pa.float64()),
        }
    )


def left_rates(review: Review, answers: pa.Table) -> pa.Table:
    """(annotator, left_rate): the share of sided answers that chose the left side."""
    annotators, lefts = [], []
    for q in review.questions:
        if type(q).left_choices is Question.left_choices:  # a kind that shows no sides
            continue
        a = Log.of(q, answers)
        choices = q.left_choices(a.records, a.values)
        chosen = [(who, c) for who, c in zip(a.annotators, choices, strict=True) if c is not None]
        annotators += [who for who, _ in chosen]
        lefts += [float(c) for _, c in chosen]
    table = pa.table(
        {"annotator": pa.array(annotators, pa.string()), "left": pa.array(lefts, "f8")}
    )
    means = table.group_by("annotator").aggregate([("left", "mean")])
    return pa.table({"annotator": means["annotator"], "left_rate": means["left_mean"]})
