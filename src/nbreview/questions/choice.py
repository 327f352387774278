"""Choice kinds: a rating on a scale, one label, several labels."""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from typing import Any

import datasets
import pyarrow as pa

from .base import Question


def _check_labels(name: str, labels: Any) -> list[str]:
    if isinstance(labels, str) or not isinstance(labels, Sequence):
        raise ValueError(f"question {name!r}: labels must be a list of strings, got {labels!r}")
    labels = list(labels)
    if not labels:
        raise ValueError(f"question {name!r}: the label list is empty; give at least one label")
    bad = [label for label in labels if not isinstance(label, str) or not label]
    if bad:
        raise ValueError(f"question {name!r}: labels must be non-empty strings, got {bad!r}")
    dupes = sorted({label for label in labels if labels.count(label) > 1})
    if dupes:
        raise ValueError(f"question {name!r}: duplicate labels {dupes!r}")
    return labels


class Rating(Question):
    """A value from 1 to scale, optionally with a label per value."""

    kind = "rating"

    def __init__(
        self,
        name: str,
        scale: int = 5,
        labels: Sequence[str] | None = None,
        *,
        required: bool | None = None,
        suggestion: str | None = None,
    ):
        super().__init__(name, required=required, suggestion=suggestion)
        if isinstance(scale, bool) or not isinstance(scale, numbers.Integral):
            raise ValueError(f"question {name!r}: scale must be an integer, got {scale!r}")
        if scale < 2:
            raise ValueError(f"question {name!r}: scale must be at least 2, got {scale}")
        self.scale = int(scale)
        self.labels = None if labels is None else _check_labels(name, labels)
        if self.labels is not None and len(self.labels) != self.scale:
            raise ValueError(
                f"question {name!r}: {len(self.labels)} labels for a scale of {self.scale}; "
                "give one label per value"
            )

    def feature(self) -> Any:
        return datasets.Value("int32")

    def validate(self, value: Any, record: Mapping[str, Any] | None = None) -> Any:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise self._error(value, f"a rating is a whole number from 1 to {self.scale}")
        if not 1 <= value <= self.scale:
            raise self._error(value, f"out of range 1..{self.scale}")
        return int(value)

    def spec(self) -> dict:
        return {**super().spec(), "scale": self.scale, "labels": self.labels}


class Label(Question):
    """Exactly one label out of a fixed list."""

    kind = "label"

    def __init__(
        self,
        name: str,
        labels: Sequence[str],
        *,
        required: bool | None = None,
        suggestion: str | None = None,
    ):
        super().__init__(name, required=required, suggestion=suggestion)
        self.labels = _check_labels(name, labels)

    def feature(self) -> Any:
        return datasets.ClassLabel(names=self.labels)

    def validate(self, value: Any, record: Mapping[str, Any] | None = None) -> Any:
        if value is None:
            return None
        if value not in self.labels:
            raise self._error(value, f"unknown label; the labels are {self.labels!r}")
        return value

    def to_arrow(self, values: Sequence[Any]) -> pa.Array:
        index = {label: i for i, label in enumerate(self.labels)}
        return pa.array([index.get(v) for v in values], type=pa.int64())

    def spec(self) -> dict:
        return {**super().spec(), "labels": self.labels}


class MultiLabel(Label):
    """Any number of labels; an empty list means "none apply" and is an answer."""

    kind = "multilabel"

    def feature(self) -> Any:
        return datasets.List(datasets.ClassLabel(names=self.labels))

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

    def to_arrow(self, values: Sequence[Any]) -> pa.Array:
        index = {label: i for i, label in enumerate(self.labels)}
        encoded = [None if v is None else [index[x] for x in v if x in index] for v in values]
        return pa.array(encoded, type=pa.list_(pa.int64()))
