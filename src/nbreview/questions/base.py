"""The questions an annotator answers, each owning its validation and column type."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import datasets
import pyarrow as pa

if TYPE_CHECKING:
    from .._data.source import RecordSource


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
