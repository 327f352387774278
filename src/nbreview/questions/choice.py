"""Choice kinds: a rating on a scale, one label, several labels.

What they share is their families' (families/): `OptionKeys` (a key per option, one-key
mode), `Choice` (labels: ClassLabel column, majority, nominal agreement, counts by name),
`ChoiceSet` for MultiLabel (a list of them, per-label majority, presence agreement) and, for
Rating, `Numeric` (mean, interval agreement, tolerance, numbers as numbers)."""

from __future__ import annotations

import numbers
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import datasets

from . import combine
from .base import Question
from .families import Choice, ChoiceSet, Numeric, OptionKeys
from .families.choice import check_labels


def parse_scale(name: str, scale: Any) -> tuple[int, int]:
    """A scale as (low, high): `n` is 1..n; a (low, high) pair of whole numbers, low >= 0,
    holds at least two values. A list is taken as a pair (specs come back from JSON so)."""
    if isinstance(scale, (tuple, list)):
        if len(scale) != 2 or not all(_whole(v) for v in scale):
            raise ValueError(
                f"question {name!r}: scale is n (1..n) or a (low, high) pair of whole numbers, "
                f"got {scale!r}"
            )
        low, high = (int(v) for v in scale)
        if low < 0:
            raise ValueError(f"question {name!r}: scale starts at {low}; the lowest is 0")
        if high - low < 1:
            raise ValueError(
                f"question {name!r}: scale ({low}, {high}) must hold at least two values; "
                "give low below high"
            )
        return low, high
    if not _whole(scale):
        raise ValueError(f"question {name!r}: scale must be an integer, got {scale!r}")
    if scale < 2:
        raise ValueError(f"question {name!r}: scale must be at least 2, got {scale}")
    return 1, int(scale)


def scale_spec(low: int, high: int) -> int | list[int]:
    """How a spec writes a scale: n for 1..n (as stores have always held it), else [low, high]."""
    return high if low == 1 else [low, high]


def _whole(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


LEVELS = ("ordinal", "interval", "ratio")


class Rating(OptionKeys, Numeric, Question):
    """A value on a scale (1..n, or low..high from 0 up), optionally with a label per value."""

    kind = "rating"
    per_turn_ok = True  # turns= asks it per message or step (turns.py)
    task = "text-classification"
    center = combine.mean  # consensus, grading and agreement: families/numeric.py

    def __init__(
        self,
        name: str,
        scale: int | tuple[int, int] = 5,
        labels: Sequence[str] | None = None,
        *,
        required: bool | None = None,
        suggestion: str | None = None,
        gold: str | None = None,
        keys: Sequence[str] | str | None = None,
        level: str = "interval",
    ):
        super().__init__(name, required=required, suggestion=suggestion, gold=gold)
        if level not in LEVELS:  # Krippendorff's level for agreement() and alignment()
            raise ValueError(f"question {name!r}: level must be one of {LEVELS!r}, got {level!r}")
        self.agreement_level = level
        self.low, self.high = parse_scale(name, scale)
        self.scale = self.high if self.low == 1 else (self.low, self.high)
        self.labels = None if labels is None else check_labels(name, labels)
        count = self.high - self.low + 1
        if self.labels is not None and len(self.labels) != count:
            size = self.scale if self.low == 1 else f"{self.low}..{self.high} ({count} values)"
            raise ValueError(
                f"question {name!r}: {len(self.labels)} labels for a scale of {size}; "
                "give one label per value"
            )
        self.set_option_keys(keys)

    def option_names(self) -> list[str]:
        return list(self.labels) if self.labels else [str(v) for v in self.values]

    @property
    def values(self) -> range:
        return range(self.low, self.high + 1)

    def feature(self) -> Any:
        return datasets.Value("int32")

    def validate(self, value: Any, record: Mapping[str, Any] | None = None) -> Any:
        if value is None:
            return None
        if not _whole(value):
            raise self._error(value, f"a rating is a whole number from {self.low} to {self.high}")
        if not self.low <= value <= self.high:
            raise self._error(value, f"out of range {self.low}..{self.high}")
        return int(value)

    def spec(self) -> dict:
        scale = scale_spec(self.low, self.high)
        spec = {**super().spec(), "scale": scale, "labels": self.labels, **self.keys_spec()}
        level = self.agreement_level
        return spec if level == "interval" else {**spec, "level": level}

    def accepts(self) -> str:
        text = f"{self.low} to {self.high}"
        if self.labels:
            named = zip(self.values, self.labels, strict=True)
            text += " (" + ", ".join(f"{v} = {label}" for v, label in named) + ")"
        return text

    def count_rows(self, given: list, feature: Any) -> list[list[Any]]:
        if isinstance(feature, datasets.Value) and feature.dtype.startswith("int"):
            counts = Counter(given)
            return [[v, counts[v]] for v in self.values]
        return super().count_rows(given, feature)

    def summary_names(self) -> list[str] | None:
        return [str(v) for v in self.values]


class Label(OptionKeys, Choice, Question):
    """Exactly one label out of a fixed list."""

    kind = "label"
    per_turn_ok = True  # turns= asks it per message or step (turns.py)
    title = "one label"
    task = "text-classification"
    trl_roles: ClassVar[Mapping[str, int]] = {"label": 0}

    def __init__(
        self,
        name: str,
        labels: Sequence[str],
        *,
        required: bool | None = None,
        suggestion: str | None = None,
        gold: str | None = None,
        keys: Sequence[str] | str | None = None,
    ):
        super().__init__(name, required=required, suggestion=suggestion, gold=gold)
        self.labels = check_labels(name, labels)
        self.set_option_keys(keys)

    def option_names(self) -> list[str]:
        return list(self.labels)

    def validate(self, value: Any, record: Mapping[str, Any] | None = None) -> Any:
        if value is None:
            return None
        if value not in self.labels:
            raise self._error(value, f"unknown label; the labels are {self.labels!r}")
        return value

    def spec(self) -> dict:
        return {**super().spec(), "labels": self.labels, **self.keys_spec()}

    def accepts(self) -> str:
        return ", ".join(self.labels)


class MultiLabel(ChoiceSet, Label):
    """Any number of labels; an empty list means "none apply" and is an answer."""

    kind = "multilabel"
    title = "labels"
    trl_roles: ClassVar[Mapping[str, int]] = {}

    def validate(self, value: Any, record: Mapping[str, Any] | None = None) -> Any:
        if value is None:
            return None
        if isinstance(value, str) or not isinstance(value, Sequence):
            raise self._error(value, "a multi-label answer is a list of labels")
        unknown = [v for v in value if v not in self.labels]
        if unknown:
            raise self._error(value, f"unknown labels {unknown!r}; the labels are {self.labels!r}")
        chosen = set(value)
        return [label for label in self.labels if label in chosen]

    def accepts(self) -> str:
        return super().accepts() + " (any number; an empty list means none apply)"
