"""The rules every numeric kind shares (Rating, Number): interval agreement, a float
consensus by the kind's centre (`combine.mean` or `combine.median`), grading within a
tolerance, and answers as numbers in the card and in `summary()` (numeric order there is
`_team/summary.py`'s, for every kind whose items are numbers)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

import datasets
import numpy as np
import pyarrow as pa

from .base import Rows
from .combine import Answers


class Numeric:
    """Mixin of the numeric kinds: put it before `Question` in the bases."""

    agreement_level: ClassVar[str | None] = "interval"
    # How several annotators' answers become one: (records, float64 values).
    center: ClassVar[Callable[[Answers], tuple[pa.Array, pa.Array]]]

    def consensus(self, a: Answers) -> tuple[pa.Array, pa.Array]:
        return type(self).center(a)

    def consensus_feature(self) -> Any:
        return datasets.Value("float64")

    def agreed_parts(self, a: Answers) -> list[Answers]:
        return [a]

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
        want = np.asarray(expected, dtype=float)
        with np.errstate(invalid="ignore"):  # NaN (unanswered) compares False
            right = np.abs(got - want) <= tolerance + 1e-9 * np.maximum(1.0, np.abs(want))
        return right.astype(float), np.ones(len(got))
