"""`nr.Number(name, min=None, max=None, step=None)`: a typed number (a price, a count of
errors, a latency read off a trace). A float64 column; annotators combine by their median
(one outlier does not move it), agree at the interval level, and grade within a tolerance
(families/numeric.py holds what it shares with Rating)."""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from typing import Any

import datasets

from . import combine
from .base import Question
from .families import Numeric
from .families.numeric import number_text, real


def _bound(name: str, what: str, value: Any) -> float | None:
    if value is None:
        return None
    if not real(value):
        raise ValueError(f"question {name!r}: {what} must be a finite number, got {value!r}")
    return float(value)


class Number(Numeric, Question):
    """A number typed in, optionally between `min` and `max` and a multiple of `step` (from
    `min`, or from 0 without one)."""

    kind = "number"
    title = "a number"
    center = combine.median  # consensus, grading, agreement, summary: families/numeric.py

    def __init__(
        self,
        name: str,
        min: float | None = None,
        max: float | None = None,
        step: float | None = None,
        *,
        required: bool | None = None,
        suggestion: str | None = None,
        gold: str | None = None,
    ):
        super().__init__(name, required=required, suggestion=suggestion, gold=gold)
        self.min, self.max = _bound(name, "min", min), _bound(name, "max", max)
        self.step = _bound(name, "step", step)
        if self.min is not None and self.max is not None and self.min >= self.max:
            raise ValueError(f"question {name!r}: min ({min}) must be below max ({max})")
        if self.step is not None and self.step <= 0:
            raise ValueError(f"question {name!r}: step must be above 0, got {step!r}")

    def __repr__(self) -> str:
        return f"nr.Number({self.name!r})"

    def feature(self) -> Any:
        return datasets.Value("float64")

    def validate(self, value: Any, record: Mapping[str, Any] | None = None) -> Any:
        if value is None:
            return None
        if not real(value):
            raise self._error(value, "a number answer is a finite int or float")
        value = float(value)
        if (self.min is not None and value < self.min) or (
            self.max is not None and value > self.max
        ):
            raise self._error(value, f"out of range {self.accepts()}")
        if self.step is not None:
            steps = (value - (self.min or 0.0)) / self.step
            if abs(steps - round(steps)) > 1e-9 * max(1.0, abs(steps)):
                step = number_text(self.step)
                raise self._error(value, f"not a step of {step} from {self._base()}")
        return value

    def spec(self) -> dict:
        return {**super().spec(), "min": self.min, "max": self.max, "step": self.step}

    def _base(self) -> str:
        return number_text(self.min) if self.min is not None else "0"

    def accepts(self) -> str:
        low = "-∞" if self.min is None else number_text(self.min)
        high = "∞" if self.max is None else number_text(self.max)
        text = "any number" if self.min is None and self.max is None else f"{low} to {high}"
        return text + (f", in steps of {number_text(self.step)}" if self.step is not None else "")

    def count_rows(self, given: list, feature: Any) -> list[list[Any]]:
        """The card's figures: how the numbers spread, not one row per distinct value."""
        if not given or not isinstance(feature, datasets.Value):
            return []
        values = [float(v) for v in given]
        return [
            ["min", number_text(min(values))],
            ["median", number_text(statistics.median(values))],
            ["mean", number_text(statistics.fmean(values))],
            ["max", number_text(max(values))],
        ]
