"""Qualification: `qualify=nr.Qualify(records=10, min_accuracy=0.8)`.

An annotator's first `records` records are gold records (in the seeded gold order), each
followed by the gold feedback. Once they have submitted that many, their accuracy on those
(graded as quality() grades gold) decides: under `min_accuracy` their review ends ("You did
not qualify for this review") and their answers are left out of consensus, agreement and
the card. The decision is read from the store, so it holds across restarts and kernels.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..store.base import ADJUDICATOR

if TYPE_CHECKING:
    from ..review import Review
    from .gold import Gold

STOPPED = "You did not qualify for this review"


@dataclass(frozen=True)
class Qualify:
    """The test a new annotator passes first: `records` gold records, `min_accuracy` right."""

    records: int = 10
    min_accuracy: float = 0.8

    def __post_init__(self) -> None:
        n, a = self.records, self.min_accuracy
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
            raise ValueError(f"Qualify records is a whole number of at least 1, got {n!r}")
        if isinstance(a, bool) or not isinstance(a, numbers.Real) or not 0 <= a <= 1:
            raise ValueError(f"Qualify min_accuracy is a share from 0 to 1, got {a!r}")


def check(qualify: Any, gold: Gold) -> Qualify | None:
    if qualify is None:
        return None
    if not isinstance(qualify, Qualify):
        raise ValueError(
            f"qualify takes nr.Qualify(records=..., min_accuracy=...), got {qualify!r}"
        )
    have = int(np.count_nonzero(gold.mask))
    if have < qualify.records:
        raise ValueError(
            f"Qualify(records={qualify.records}) needs {qualify.records} gold records, and the "
            f"data has {have}: add gold= answers or ask for fewer records"
        )
    return qualify


@dataclass
class Result:
    done: int  # qualification records submitted (at most `records`)
    accuracy: float  # on those; NaN before any
    qualified: bool | None  # None while still qualifying


def results(review: Review) -> dict[str, Result]:
    """Every annotator's qualification, from the store (gold records in submit order)."""
    from .log import read
    from .quality import gold_grades

    q = review.qualify
    log = read(review)
    r = log.records
    submitted = r.filter(pc.equal(r["status"], "submitted"))
    on_gold = pc.is_in(submitted["row"], value_set=pa.array(np.flatnonzero(review.gold.mask)))
    gold = submitted.filter(on_gold)
    if gold.num_rows == 0:
        return {}
    answers = log.answers(records=pc.unique(gold["record"]).to_pylist())
    grades = gold_grades(review, log, answers, 0).to_pandas()
    order = gold.select(["annotator", "record", "annotated_at"]).to_pandas()
    order = order.sort_values(["annotator", "annotated_at", "record"])
    first = order.groupby("annotator", sort=True).head(q.records)
    marks = grades.groupby(["annotator", "record"])[["right", "counted"]].sum().reset_index()
    marked = first.merge(marks, on=["annotator", "record"], how="left").fillna(0)
    out = {}
    for who, part in marked.groupby("annotator"):
        if who == ADJUDICATOR:
            continue
        counted = float(part["counted"].sum())
        accuracy = float(part["right"].sum()) / counted if counted else float("nan")
        done = len(part)
        decided = None if done < q.records else bool(accuracy >= q.min_accuracy)
        out[str(who)] = Result(done, accuracy, decided)
    return out


def unqualified(review: Review) -> list[str]:
    """Annotators who failed the qualification: left out of consensus, agreement, the card."""
    if getattr(review, "qualify", None) is None:
        return []
    return sorted(who for who, r in results(review).items() if r.qualified is False)


def refuse_unqualified(review: Review) -> None:
    """`review.submit()` from code by an annotator who failed the test: a ValueError naming
    them, nothing stored (their page is closed; code must not go round it)."""
    if review.qualify is None or review.annotator == ADJUDICATOR:
        return
    known = review.live.qualifier.result
    result = known if known is not None and known.qualified is False else None
    if result is None:  # not decided here yet: another kernel may have seen them fail
        result = review.live.qualifier.update()
    if result.qualified is False:
        raise ValueError(
            f"annotator {review.annotator!r} did not qualify for this review (accuracy "
            f"{result.accuracy:.2f} on the {review.qualify.records} qualification records, "
            f"under {review.qualify.min_accuracy:g}): their answers are not taken"
        )


class Tracker:
    """This kernel's annotator's qualification: read once, then again after their gold
    submits until decided (never on the path of a record that is not gold)."""

    def __init__(self, review: Review):
        self.review = review
        self.result: Result | None = None

    def update(self) -> Result:
        found = results(self.review).get(self.review.annotator)
        self.result = found or Result(0, float("nan"), None)
        return self.result

    @property
    def decided(self) -> bool | None:
        if self.result is None:
            self.update()
        return self.result.qualified

    def qualifying(self) -> bool:
        return self.decided is None

    def failed(self) -> bool:
        return self.decided is False


def first_gold(review: Review, order: np.ndarray | None) -> np.ndarray | None:
    """While an annotator qualifies, the gold records they still owe come first."""
    if getattr(review, "qualify", None) is None or review.annotator == ADJUDICATOR:
        return order
    known = review.live.qualifier.result
    if known is not None and known.qualified is not None:
        return order  # decided: read once, never again on this kernel's hand-outs
    result = review.live.qualifier.update()
    if result.qualified is not None:
        return order
    from ..store.base import DONE
    from .gold import seed

    statuses = review.store.statuses(review.name, review.annotator)
    done_keys = [k for k, s in statuses.items() if s in DONE]
    done = np.zeros(len(review.source), dtype=bool)
    if done_keys:
        done[review.keys.find(done_keys)[0]] = True
    golds = np.flatnonzero(review.gold.mask & ~done)
    owed = np.random.default_rng(seed(review)).permutation(golds)[
        : review.qualify.records - result.done
    ]
    positions = np.arange(len(review.source), dtype=np.int64) if order is None else order
    rest = positions[~np.isin(positions, owed)]
    return np.concatenate([owed.astype(np.int64), rest])
