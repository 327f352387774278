"""The questions an annotator answers: the base class, its core, and the registry of kinds.

A kind is a subclass of `Question` with a `kind` name of its own; defining it registers it.
`Question` holds only the core every kind has: a name, whether it must be answered, a
suggestion and a gold column, its column type (`feature`), what it takes (`validate`,
`is_answered`), how it is stored and rebuilt (`spec`, `to_arrow`, `from_stored`). Everything
else downstream asks through hooks with defaults, grouped by the layer that asks them
(hooks.py), and the families (families/: choice, numeric, text, compare) implement them once
for every kind of one shape. Nothing downstream asks a kind's name. docs/kinds.md shows how
to add one.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import datasets
import pyarrow as pa
import pyarrow.compute as pc

from .._keywords import suggest_keywords
from .hooks import (  # noqa: F401  (Rows, Table, AgreementUnit: the kinds' types, kept here)
    AgreementUnit,
    CardHooks,
    QualityHooks,
    RecordHooks,
    Rows,
    Table,
    TeamHooks,
)


class AnswerError(ValueError):
    """An answer that the question cannot take; the message names question and value."""


QUESTION_KINDS: dict[str, type[Question]] = {}


class _Kind(type):
    """Builds a question given `turns=` (and `roles=`) as its kind's per-turn variant
    (questions/turns.py), so the kinds' own constructors never see those arguments."""

    def __call__(cls, *args: Any, turns: Any = None, roles: Any = None, **kwargs: Any) -> Any:
        if turns is None and roles is None and not getattr(cls, "turns", None):
            return super().__call__(*args, **kwargs)
        name = args[0] if args else kwargs.get("name")
        if not cls.per_turn_ok:
            able = [k.__name__ for k in QUESTION_KINDS.values() if k.per_turn_ok]
            raise ValueError(
                f"question {name!r}: turns= asks once per turn, which {cls.__name__} questions "
                f"do not do; {', '.join(able[:-1])} and {able[-1]} do"
            )
        if turns is None:
            raise ValueError(f"question {name!r}: roles= needs turns=, the chat column to ask on")
        from .turns import per_turn_class

        question = super(_Kind, per_turn_class(cls)).__call__(*args, **kwargs)
        question.setup_turns(turns, roles)
        return question


class Question(RecordHooks, TeamHooks, QualityHooks, CardHooks, metaclass=_Kind):
    """Base of every question: a name, whether it must be answered, a suggestion column, and
    a gold column (known right answers for some records). The hooks' defaults are in
    hooks.py; a kind overrides what its family (families/) does not."""

    kind: ClassVar[str] = ""
    required_default: ClassVar[bool] = True
    # `turns=COLUMN` asks it once per message or step (questions/turns.py); kinds that allow it
    # say so here, and `turns` names the column on a per-turn question.
    per_turn_ok: ClassVar[bool] = False
    turns: str | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Every concrete kind can be rebuilt from its spec (store, Hub card); a subclass that
        # declares no kind of its own (a Preference's strength) does not replace its parent.
        if cls.__dict__.get("kind"):
            QUESTION_KINDS[cls.kind] = cls
        if "__init__" in cls.__dict__:  # a misspelt keyword names the closest one (issue 23)
            cls.__init__ = suggest_keywords(cls.__init__)

    @staticmethod
    def from_spec(spec: dict) -> Question:
        """Rebuild a question from `spec()`, as saved in a store or a dataset card."""
        spec = dict(spec)
        kind = spec.pop("kind", None)
        if kind not in QUESTION_KINDS:
            raise ValueError(f"unknown question kind {kind!r}; known: {sorted(QUESTION_KINDS)}")
        return QUESTION_KINDS[kind].from_arguments(spec)

    @classmethod
    def from_arguments(cls, spec: dict) -> Question:
        """The question a spec (without its kind) describes; kinds whose spec differs from
        their arguments (a rubric's criteria) translate here."""
        return cls(**spec)

    def __init__(
        self,
        name: str,
        *,
        required: bool | None = None,
        suggestion: str | None = None,
        gold: str | None = None,
    ):
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"a question needs a non-empty string name, got {name!r}")
        # A callable suggests in the background (nbreview/_model); a string names a column.
        self.suggest_fn = suggestion if callable(suggestion) else None
        suggestion = None if self.suggest_fn is not None else suggestion
        if suggestion is not None and not isinstance(suggestion, str):
            raise ValueError(f"question {name!r}: suggestion names a column, got {suggestion!r}")
        if gold is not None and (not isinstance(gold, str) or not gold):
            raise ValueError(f"question {name!r}: gold names a column, got {gold!r}")
        self.name = name
        self.required = self.required_default if required is None else bool(required)
        self.suggestion = suggestion
        self.gold = gold

    def __repr__(self) -> str:
        return f"nr.{type(self).__name__}({self.name!r})"

    def feature(self) -> Any:
        raise NotImplementedError

    def validate(self, value: Any, record: Mapping[str, Any] | None = None) -> Any:
        """Return the value as stored (JSON-able), or raise AnswerError naming the problem.

        `record` maps column -> value for the row answered (at least the target columns);
        kinds whose answers depend on the record's content (spans) need it.
        """
        raise NotImplementedError

    def from_suggestion(self, value: Any, record: Mapping[str, Any] | None = None) -> Any:
        """A suggestion column's value as a suggested answer, or None when it offers nothing."""
        return self.validate(value, record)

    def is_answered(self, value: Any) -> bool:
        return value is not None

    def missing_in(
        self, answers: Mapping[str, Any], record: Mapping[str, Any] | None = None
    ) -> bool:
        """Whether these answers of a record leave this question required but unanswered
        (`record`, its target columns, tells a per-turn question which turns are asked)."""
        return self.required and not self.is_answered(answers.get(self.name))

    def to_arrow(self, values: Sequence[Any]) -> pa.Array:
        """Turn stored values (None where unanswered) into the column's Arrow array."""
        return pa.array(values, type=self.arrow_type())

    def from_stored(self, texts: pa.Array) -> pa.Array:
        """The column's Arrow array from the answers' stored JSON texts. Kinds whose JSON Arrow
        reads as it is (numbers, plain strings) override it: no Python object per answer."""
        return self.to_arrow(json.loads("[" + ",".join(texts.to_pylist()) + "]"))

    def arrow_type(self) -> pa.DataType:
        return datasets.Features({self.name: self.feature()}).arrow_schema.field(self.name).type

    def spec(self) -> dict:
        """Everything needed to rebuild the question (and to draw it in the browser)."""
        spec: dict = {"name": self.name, "kind": self.kind, "required": self.required}
        if self.suggestion:
            spec["suggestion"] = self.suggestion
        if self.gold:  # kept in stores and cards; Review leaves it out of the browser's config
            spec["gold"] = self.gold
        return spec

    def _error(self, value: Any, why: str) -> AnswerError:
        return AnswerError(f"{self.name}: {value!r} is not a valid answer: {why}")


def number(value: Any) -> str:
    """A figure as the card prints it: three decimals, n/a for NaN or nothing."""
    if isinstance(value, float):
        return "n/a" if math.isnan(value) else f"{value:.3f}"
    return "n/a" if value is None else str(value)


def plain_strings(texts: pa.Array) -> pa.Array | None:
    """Stored JSON strings as the strings they hold, in Arrow; None when one has an escape."""
    if pc.any(pc.match_substring(texts, "\\")).as_py():
        return None
    return pc.utf8_slice_codeunits(texts, 1, -1)
