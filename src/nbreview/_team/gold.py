"""Gold records: the known right answers some records carry, and how they are handed out.

A question's `gold=` names a column holding its right answer for some records (null
elsewhere), in the units `submit` takes (a per-turn question: a list per record, graded
turn by turn). A record with a gold answer for any question is a
gold record. The answers are checked once, when the review is built, and kept by row, so
quality() and the widget's feedback read them without touching the column again.

`gold_rate=r` rearranges the order the cursor walks (`hand_out`): of every `round(1/r)`
records handed out in queue order one is gold, the first one this annotator has not
answered in a seeded order, while gold records last. Records already answered are never
counted as handed out, so a gold record is never handed twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..questions import AnswerError, Question
from ..store.base import DONE

if TYPE_CHECKING:
    from .._data.source import RecordSource
    from ..review import Review


class Gold:
    """The gold answers of a review's questions: row positions and checked values."""

    def __init__(self, source: RecordSource, questions: Iterable[Question]):
        self.questions = [q for q in questions if q.gold]
        self.rows: dict[str, np.ndarray] = {}  # question -> rows with a gold answer, ascending
        self.values: dict[str, list] = {}  # question -> those answers, as stored
        self.mask = np.zeros(len(source), dtype=bool)  # row -> is a gold record
        for q in self.questions:
            self._read(source, q)
            self.mask[self.rows[q.name]] = True

    def __bool__(self) -> bool:
        return bool(self.questions)

    @property
    def columns(self) -> list[str]:
        return [q.gold for q in self.questions]

    def _read(self, source: RecordSource, q: Question) -> None:
        """Read one gold column; a value the question would not accept is a ValueError."""
        column = source.table_column(q.gold)
        rows = np.flatnonzero(np.asarray(pc.is_valid(column).to_numpy(zero_copy_only=False)))
        given = column.take(pa.array(rows, pa.int64())).to_pylist()
        targets = {c: source.python_values(c, rows) for c in q.target_columns()}
        values = []
        for i, (row, value) in enumerate(zip(rows.tolist(), given, strict=True)):
            record = {c: targets[c][i] for c in targets}
            try:
                values.append(q.validate(whole(value), record))
            except (AnswerError, ValueError, TypeError) as exc:
                raise ValueError(
                    f"question {q.name!r}: the gold answer in column {q.gold!r} at row {row} "
                    f"is not an answer it takes: {exc}"
                ) from None
        self.rows[q.name], self.values[q.name] = rows, values

    def expected(self, position: int) -> dict[str, Any]:
        """Question name -> the gold answer of one row (empty for a record without gold)."""
        out = {}
        for name, rows in self.rows.items():
            at = int(np.searchsorted(rows, position))
            if at < len(rows) and rows[at] == position:
                out[name] = self.values[name][at]
        return out


def whole(value: Any) -> Any:
    """A float that is a whole number as an int: pandas keeps an int column with nulls as floats."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def check_columns(questions: Iterable[Question], shown: Iterable[str], id: str | None) -> None:
    """Gold columns are never shown, never suggestions, never what a question reads."""
    questions, shown = list(questions), set(shown)
    others: dict[str, str] = {} if id is None else {id: "the id column"}
    for q in questions:
        others.update(dict.fromkeys(q.target_columns(), f"what question {q.name!r} reads"))
        if q.suggestion:
            others[q.suggestion] = f"the suggestion column of question {q.name!r}"
    for q in (q for q in questions if q.gold):
        if q.gold in shown:
            raise ValueError(
                f"question {q.name!r}: its gold column {q.gold!r} is in fields; gold answers "
                "are never shown to annotators: leave it out of fields"
            )
        if q.gold in others:
            raise ValueError(
                f"question {q.name!r}: its gold column {q.gold!r} is also {others[q.gold]}; a "
                "gold column holds known right answers only"
            )


def check_rate(rate: Any, gold: Gold) -> float | None:
    if rate is None:
        return None
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 < rate < 1:
        raise ValueError(f"gold_rate is a share between 0 and 1 (0.1: one in ten), got {rate!r}")
    if not gold:
        raise ValueError("gold_rate mixes gold records in, but no question names a gold= column")
    return float(rate)


def check_feedback(feedback: Any, gold: Gold) -> bool:
    if not isinstance(feedback, bool):
        raise ValueError(f"gold_feedback is True or False, got {feedback!r}")
    if feedback and not gold:
        raise ValueError("gold_feedback shows gold answers, but no question names a gold= column")
    return feedback


# -- handing gold records out -----------------------------------------------------------------


def hand_out(review: Review, order: np.ndarray | None) -> np.ndarray | None:
    """The queue order the cursor walks: only what this annotator is assigned (assign.py),
    and with gold_rate, gold records mixed in at that rate."""
    from .assign import restrict
    from .qualify import first_gold

    return first_gold(review, _mixed(review, restrict(review, order)))


def _mixed(review: Review, order: np.ndarray | None) -> np.ndarray | None:
    rate, gold = review.gold_rate, review.gold
    if rate is None or not gold:
        return order
    rows = len(review.source)
    positions = np.arange(rows, dtype=np.int64) if order is None else order
    statuses = review.store.statuses(review.name, review.annotator)
    done_keys = [k for k, s in statuses.items() if s in DONE]
    done = np.zeros(rows, dtype=bool)
    if done_keys:
        done[review.keys.find(done_keys)[0]] = True
    return interleave(
        positions, gold.mask[positions], done[positions], round(1 / rate), seed(review)
    )


def seed(review: Review) -> int:
    """The seeded order of gold records: the same for every annotator of a review."""
    return int.from_bytes(hashlib.blake2b(review.name.encode(), digest_size=8).digest(), "big")


def interleave(
    order: np.ndarray, gold: np.ndarray, done: np.ndarray, every: int, seed: int
) -> np.ndarray:
    """`order` with its open gold records moved so that one comes after every `every - 1`
        open records that are not gold (all first when `every` is 1), in a seeded order; gold
        records already answered go to the start, where nobody is handed them again and where
    they were handed out (before every record still open)."""
    rest, rest_open = order[~gold], ~done[~gold]
    chosen = np.random.default_rng(seed).permutation(order[gold & ~done])
    between = every - 1
    if between <= 0 or len(rest) == 0:  # every record handed out is gold while they last
        places = np.zeros(len(chosen), dtype=np.int64)
    else:
        counts = np.cumsum(rest_open)
        # Records answered before (a restart) count as handed out: the rate keeps its step,
        # even when the review is reopened after every record. The gold records owed so far
        # are those of the steps completed; one answered beyond them (from code) moves nothing.
        rest_done = int(np.count_nonzero(~rest_open))
        handed = min(int(np.count_nonzero(gold & done)), rest_done // between)
        first = max(0, between * (handed + 1) - rest_done)  # open records before the next
        wanted = first + np.arange(len(chosen)) * between
        places = np.where(wanted > 0, np.searchsorted(counts, wanted, side="left") + 1, 0)
        places = np.minimum(places, len(rest))
    mixed = np.insert(rest, places, chosen)
    # Answered gold records go first: each was handed out before the records still open, so
    # a record keeps its number ("Record 16 of 20") when the page is reloaded.
    return np.concatenate([order[gold & done], mixed]).astype(np.int64, copy=False)
