"""The questions an annotator answers, each owning its validation and column type."""

from __future__ import annotations

import itertools
import numbers
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import datasets
import pyarrow as pa

from .fields import Target
from .offsets import OffsetError, spans_to_codepoint, spans_to_utf16

if TYPE_CHECKING:
    from .source import RecordSource


class AnswerError(ValueError):
    """An answer that the question cannot take; the message names question and value."""


QUESTION_KINDS: dict[str, type[Question]] = {}


class Question:
    """Base of every question: a name, whether it must be answered, and a suggestion column."""

    kind: ClassVar[str] = ""
    required_default: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Every concrete kind can be rebuilt from its spec (store, Hub card); a subclass that
        # declares no kind of its own (a Preference's strength) does not replace its parent.
        if cls.__dict__.get("kind"):
            QUESTION_KINDS[cls.kind] = cls

    @staticmethod
    def from_spec(spec: dict) -> Question:
        """Rebuild a question from `spec()`, as saved in a store or a dataset card."""
        spec = dict(spec)
        kind = spec.pop("kind", None)
        if kind not in QUESTION_KINDS:
            raise ValueError(f"unknown question kind {kind!r}; known: {sorted(QUESTION_KINDS)}")
        return QUESTION_KINDS[kind](**spec)

    def __init__(self, name: str, *, required: bool | None = None, suggestion: str | None = None):
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"a question needs a non-empty string name, got {name!r}")
        if suggestion is not None and not isinstance(suggestion, str):
            raise ValueError(f"question {name!r}: suggestion names a column, got {suggestion!r}")
        self.name = name
        self.required = self.required_default if required is None else bool(required)
        self.suggestion = suggestion

    def __repr__(self) -> str:
        return f"nr.{type(self).__name__}({self.name!r})"

    # Columns the question reads: checked to exist, and hashed into content keys.
    def target_columns(self) -> list[str]:
        return []

    def feature(self) -> Any:
        raise NotImplementedError

    def check(self, source: RecordSource) -> None:
        """Refuse, with a ValueError, a dataset this question cannot work on (its columns exist)."""

    def validate(self, value: Any, record: Mapping[str, Any] | None = None) -> Any:
        """Return the value as stored (JSON-able), or raise AnswerError naming the problem.

        `record` maps column -> value for the row answered (at least the target columns);
        kinds whose answers depend on the record's content (spans) need it.
        """
        raise NotImplementedError

    def from_suggestion(self, value: Any, record: Mapping[str, Any] | None = None) -> Any:
        """A suggestion column's value as a suggested answer, or None when it offers nothing."""
        return self.validate(value, record)

    # The browser's view of a value, and back (identity unless the units differ, as for spans).
    def to_browser(self, value: Any, record: Mapping[str, Any]) -> Any:
        return value

    def from_browser(self, value: Any, record: Mapping[str, Any]) -> Any:
        return value

    def is_answered(self, value: Any) -> bool:
        return value is not None

    def missing_in(self, answers: Mapping[str, Any]) -> bool:
        """Whether these answers of a record leave this question required but unanswered."""
        return self.required and not self.is_answered(answers.get(self.name))

    def companions(self) -> list[Question]:
        """Questions this one brings along, each with its own column (a preference's strength)."""
        return []

    def layout(self, key: str, record: Mapping[str, Any]) -> dict | None:
        """Per-record display data for the browser (a preference's sides), or None."""
        return None

    def to_arrow(self, values: Sequence[Any]) -> pa.Array:
        """Turn stored values (None where unanswered) into the column's Arrow array."""
        return pa.array(values, type=self.arrow_type())

    def arrow_type(self) -> pa.DataType:
        return datasets.Features({self.name: self.feature()}).arrow_schema.field(self.name).type

    def spec(self) -> dict:
        """Everything needed to rebuild the question (and to draw it in the browser)."""
        spec = {"name": self.name, "kind": self.kind, "required": self.required}
        return {**spec, "suggestion": self.suggestion} if self.suggestion else spec

    def _error(self, value: Any, why: str) -> AnswerError:
        return AnswerError(f"{self.name}: {value!r} is not a valid answer: {why}")


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


class FreeText(Question):
    """A text box: a comment, or a reference completion; an empty string is no answer."""

    kind = "freetext"
    required_default = False

    def __init__(
        self,
        name: str,
        *,
        placeholder: str = "",
        required: bool | None = None,
        suggestion: str | None = None,
    ):
        super().__init__(name, required=required, suggestion=suggestion)
        self.placeholder = placeholder

    def feature(self) -> Any:
        return datasets.Value("string")

    def validate(self, value: Any, record: Mapping[str, Any] | None = None) -> Any:
        if value is None:
            return None
        if not isinstance(value, str):
            raise self._error(value, "free text is a string")
        return value or None  # an empty box is no answer: stored as none, exported as null

    def is_answered(self, value: Any) -> bool:
        return isinstance(value, str) and value.strip() != ""

    def spec(self) -> dict:
        return {**super().spec(), "placeholder": self.placeholder}


SPAN_KEYS = ("start", "end", "label", "text")


def _excerpt(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


class Spans(Question):
    """Labelled character spans over the text of one column; [] means "nothing to mark".

    Offsets are Python code point indices into the column's `str`, so for every stored span
    `record[field][start:end] == text`. Spans are stored sorted by (start, end, label).
    """

    kind = "spans"

    def __init__(
        self,
        name: str,
        field: str,
        labels: Sequence[str],
        overlap: bool = False,
        *,
        required: bool | None = None,
        suggestion: str | None = None,
    ):
        super().__init__(name, required=required, suggestion=suggestion)
        if not isinstance(field, str) or not field:
            raise ValueError(
                f"question {name!r}: field names the text column to mark, got {field!r}"
            )
        if not isinstance(overlap, bool):
            raise ValueError(f"question {name!r}: overlap is True or False, got {overlap!r}")
        self.field = field
        self.target = Target.parse(field)
        self.labels = _check_labels(name, labels)
        self.overlap = overlap

    def __repr__(self) -> str:
        return f"nr.Spans({self.name!r}, field={self.field!r})"

    def target_columns(self) -> list[str]:
        return [self.target.column]

    def feature(self) -> Any:
        # datasets.List of a dict is list<struct<...>>; datasets.Sequence of a dict would be a
        # struct of lists, which is not this shape.
        return datasets.List(
            {
                "start": datasets.Value("int32"),
                "end": datasets.Value("int32"),
                "label": datasets.Value("string"),
                "text": datasets.Value("string"),
            }
        )

    def check(self, source: RecordSource) -> None:
        self.target.check(source, f"question {self.name!r}")
        if self.target.message is None and not source.is_text_column(self.field):
            raise ValueError(
                f"question {self.name!r}: spans mark text, but column {self.field!r} does not "
                "hold strings; point field= at a text column"
            )

    def spec(self) -> dict:
        return {
            **super().spec(),
            "field": self.field,
            "labels": self.labels,
            "overlap": self.overlap,
        }

    # -- values ------------------------------------------------------------------------------

    def _text(self, record: Mapping[str, Any] | None) -> str:
        if record is None or self.target.column not in record:
            raise AnswerError(
                f"{self.name}: spans are checked against the text of {self.field!r}, "
                "which was not given"
            )
        return self.target.text(record) or ""

    def _span_error(self, span: Any, why: str) -> AnswerError:
        if isinstance(span, Mapping) and {"start", "end", "label"} <= set(span):
            what = f"the span {span['start']}–{span['end']} labelled {span['label']!r}"
        else:
            what = f"the span {span!r}"
        return AnswerError(f"{self.name}: {what} is refused: {why}")

    def _span(self, span: Any, text: str) -> dict:
        if not isinstance(span, Mapping):
            raise self._span_error(span, "a span is a dict with start, end and label")
        missing = [k for k in ("start", "end", "label") if k not in span]
        if missing:
            raise self._span_error(span, f"it has no {', '.join(missing)}")
        start, end, label = span["start"], span["end"], span["label"]
        for edge, value in (("start", start), ("end", end)):
            if isinstance(value, bool) or not isinstance(value, numbers.Integral):
                raise self._span_error(span, f"{edge} must be a whole number, got {value!r}")
        start, end = int(start), int(end)
        if label not in self.labels:
            raise self._span_error(span, f"unknown label; the labels are {self.labels!r}")
        if not 0 <= start < end <= len(text):
            why = "start must come before end" if start >= end else "it is out of range"
            raise self._span_error(span, f"{why} (the text has {len(text)} characters)")
        piece = text[start:end]
        given = span.get("text")
        if given is not None and given != piece:
            raise self._span_error(
                span, f"its text {_excerpt(str(given))} is not the text there, {_excerpt(piece)}"
            )
        return {"start": start, "end": end, "label": label, "text": piece}

    def _conflict(self, a: dict, b: dict) -> str | None:
        """Why two spans sorted a <= b cannot both be stored, or None."""
        if (a["start"], a["end"], a["label"]) == (b["start"], b["end"], b["label"]):
            return f"it is marked twice ({_excerpt(a['text'])})"
        if not self.overlap and b["start"] < a["end"]:
            return (
                f"{_excerpt(b['text'])} overlaps {_excerpt(a['text'])} ({a['label']}), and "
                "this question does not allow overlapping spans"
            )
        return None

    def validate(self, value: Any, record: Mapping[str, Any] | None = None) -> Any:
        if value is None:
            return None
        text = self._text(record)
        if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
            raise self._error(value, "spans are a list of {start, end, label} dicts")
        spans = sorted((self._span(span, text) for span in value), key=_order)
        for a, b in itertools.pairwise(spans):
            why = self._conflict(a, b)
            if why:
                raise self._span_error(b, why)
        return spans

    def from_suggestion(self, value: Any, record: Mapping[str, Any] | None = None) -> Any:
        """Suggested spans one by one: a bad or conflicting span is left out, not the rest."""
        if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
            return None
        text = self._text(record)
        kept: list[dict] = []
        for span in value:
            try:
                span = self._span(span, text)
            except AnswerError:
                continue
            if not any(self._conflict(*sorted((k, span), key=_order)) for k in kept):
                kept.append(span)
        if value and not kept:
            return None  # nothing usable was suggested; [] would claim "nothing to mark"
        return sorted(kept, key=_order)

    def to_browser(self, value: Any, record: Mapping[str, Any]) -> Any:
        text = self.target.text(record)
        return value if value is None or text is None else spans_to_utf16(text, value)

    def from_browser(self, value: Any, record: Mapping[str, Any]) -> Any:
        text = self.target.text(record)
        if value is None or text is None:
            return value
        try:
            return spans_to_codepoint(text, value)
        except OffsetError as exc:
            raise AnswerError(f"{self.name}: a span edge splits a character: {exc}") from None


def _order(span: dict) -> tuple:
    return (span["start"], span["end"], span["label"])
