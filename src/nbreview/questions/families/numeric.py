"""The numeric family (Rating, Number): answers that are numbers.

The rules every numeric kind shares, each once: a float consensus by the kind's `center`
(`combine.mean` or `combine.median`), named on the card from it; interval agreement; grading
within a tolerance (`within`, which Rubric's criteria use too); the stored digits read by an
Arrow cast; and numbers written as a person writes them (`number_text`: 3, 2.5) in the card,
in `summary()` (which orders items that are numbers as numbers) and in gold feedback.
"""

from __future__ import annotations

import math
import numbers
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

import datasets
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..base import number
from ..combine import Answers
from ..hooks import Rows


def real(value: Any) -> bool:
    """A finite int or float (not a bool)."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)


def number_text(value: float) -> str:
    """A number as a person writes it: 3, 2.5, 0.001."""
    return f"{value:g}" if abs(value) < 1e15 else str(value)


def within(got: Any, want: Any, tolerance: float) -> np.ndarray:
    """Whether each given number is within `tolerance` of the known one (NaN: never)."""
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    with np.errstate(invalid="ignore"):  # NaN (unanswered) compares False
        return np.abs(got - want) <= tolerance + 1e-9 * np.maximum(1.0, np.abs(want))


class Numeric:
    """Mixin of the numeric kinds: put it before `Question` in the bases, and set `center`."""

    agreement_level: ClassVar[str | None] = "interval"
    # How several annotators' answers become one: (records, float64 values).
    center: ClassVar[Callable[[Answers], tuple[pa.Array, pa.Array]]]

    def consensus(self, a: Answers) -> tuple[pa.Array, pa.Array]:
        return type(self).center(a)

    @property
    def consensus_rule(self) -> str:
        """The card's words for the centre: "their mean", "their median"."""
        return f"their {type(self).center.__name__}"

    def consensus_feature(self) -> Any:
        return datasets.Value("float64")

    def agreed_parts(self, a: Answers) -> list[Answers]:
        return [a]

    def from_stored(self, texts: pa.Array) -> pa.Array:
        try:  # a stored number is its digits
            return texts.cast(self.arrow_type())
        except pa.ArrowInvalid:
            return super().from_stored(texts)

    def grade(
        self,
        given: Sequence[Any],
        expected: Sequence[Any],
        records: Sequence[str],
        rows: Rows,
        tolerance: float = 0,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Right within `tolerance` of the known number (an unanswered one is wrong)."""
        got = pa.array(list(given), pa.float64()).to_numpy(zero_copy_only=False)
        return within(got, expected, tolerance).astype(float), np.ones(len(got))

    def count_rows(self, given: list, feature: Any) -> list[list[Any]]:
        """Whole numbers counted per value in order; other numbers (a consensus) by their mean."""
        if isinstance(feature, datasets.Value) and feature.dtype.startswith(("int", "uint")):
            counts = Counter(given)
            return [[k, counts[k]] for k in sorted(counts)]
        if isinstance(feature, datasets.Value) and feature.dtype.startswith("float"):
            return [["mean", number(sum(given) / len(given) if given else float("nan"))]]
        return []

    def summary_items(self, column: pa.Array) -> tuple[pa.Array, pa.Array]:
        """Each answer once, as `number_text` writes it ("2.5", "10")."""
        valid = pc.is_valid(column)
        index = pa.array(np.arange(len(column), dtype=np.int64)).filter(valid)
        texts = [number_text(float(v)) for v in column.filter(valid).to_pylist()]
        return index, pa.array(texts, pa.string())

    def answer_text(self, value: Any) -> str:
        return number_text(float(value)) if real(value) else super().answer_text(value)
