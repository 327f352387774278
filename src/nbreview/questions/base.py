"""The questions an annotator answers: the base class, the registry, and the hooks of a kind.

A kind is a subclass of `Question` with a `kind` name of its own; defining it registers it.
Everything downstream asks the kind, never its name: the column type (`feature`), how
several annotators' answers combine (`consensus`), what agreement scores
(`agreement_units`), what the dataset card says (`title`, `task`, `describe`,
`answer_counts`, `card_details`), what TRL may take from it (`trl_roles`, `pairs`), and
what quality control asks: whether an answer is right against a known one (`grade`), which
side a comparison chose (`left_choices`) and what `summary()` counts (`summary_items`,
`summary_names`). docs/kinds.md shows how to add one.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import datasets
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .._keywords import suggest_keywords
from . import combine
from .combine import Answers

if TYPE_CHECKING:
    from .._data.fields import Target
    from .._data.source import RecordSource

# Reads the records of some keys: key -> {column: value} for the question's target columns.
Rows = Callable[[set[str]], dict[str, Mapping[str, Any]]]
Table = tuple[list[str], list[list[Any]]]  # a header and its rows, for the dataset card


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
            raise ValueError(
                f"question {name!r}: turns= asks once per turn, which {cls.__name__} questions "
                "do not do; Rating, Label, MultiLabel, FreeText and Rubric do"
            )
        if turns is None:
            raise ValueError(f"question {name!r}: roles= needs turns=, the chat column to ask on")
        from .turns import per_turn_class

        question = super(_Kind, per_turn_class(cls)).__call__(*args, **kwargs)
        question.setup_turns(turns, roles)
        return question


@dataclass
class AgreementUnit:
    """One row of `agreement()`: a question, or one part of it (a rubric's criterion).

    `level` None means not computed (`note` says why). Otherwise the figure is
    Krippendorff's alpha of `codes(answers)`, or `score(answers)` for a measure of its own
    (spans' token F1); both get only the records that two or more annotators answered.
    """

    name: str
    answers: Answers
    level: str | None = None
    note: str = ""
    codes: Callable[[Answers], tuple[list, list, list[float]]] | None = None
    score: Callable[[Answers], tuple[float, str]] | None = None


class Question(metaclass=_Kind):
    """Base of every question: a name, whether it must be answered, a suggestion column, and
    a gold column (known right answers for some records)."""

    kind: ClassVar[str] = ""
    required_default: ClassVar[bool] = True
    one_key: ClassVar[bool] = False  # alone in a review, one key answers, submits, advances
    key_actions: ClassVar[tuple[str, ...]] = ()  # kind actions of the keys table it takes
    title: ClassVar[str] = ""  # the card's name for the kind ("one label"); default `kind`
    task: ClassVar[str | None] = None  # the Hub task its answers train for, if any
    agreement_level: ClassVar[str | None] = None  # Krippendorff level; None: not computed
    agreement_note: ClassVar[str] = ""  # why agreement is not computed
    # What to_trl may take it as, and its rank among kinds of that role (lower first):
    # "completion" (sft), "pairs" (dpo: see `pairs`), "label" (kto).
    trl_roles: ClassVar[Mapping[str, int]] = {}
    target: Target | None = None  # the text the question is about (spans, edits), if one
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

    def unanswered_parts(self, value: Any) -> list[str]:
        """The parts still to answer in a partial answer (a rubric's unrated criteria)."""
        return []

    def missing_in(
        self, answers: Mapping[str, Any], record: Mapping[str, Any] | None = None
    ) -> bool:
        """Whether these answers of a record leave this question required but unanswered
        (`record`, its target columns, tells a per-turn question which turns are asked)."""
        return self.required and not self.is_answered(answers.get(self.name))

    def use_fields(self, fields: Sequence[Any]) -> None:
        """The review's fields, once it is built (a Steps field tells a per-turn question
        where its column splits)."""

    def companions(self) -> list[Question]:
        """Questions this one brings along, each with its own column (a preference's strength)."""
        return []

    def layout(self, key: str, record: Mapping[str, Any]) -> dict | None:
        """Per-record display data for the browser (a preference's sides), or None."""
        return None

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

    # -- several annotators: to_dataset(annotators="consensus") and agreement() ----------------

    def consensus(self, a: Answers) -> tuple[pa.Array, pa.Array]:
        """(records, one value each, typed `consensus_feature()`) from submitted answers.

        By default the answer when every annotator gave the same one, else null: for text,
        a majority means little.
        """
        return combine.majority(self, a, unanimous=True)

    # How `consensus` combines answers, in the dataset card's words.
    consensus_rule: ClassVar[str] = "the answer when all gave the same one, else null"

    def consensus_feature(self) -> Any:
        """The column type of the consensus (a rating's mean is a float)."""
        return self.feature()

    def adjudicated(self, consensus: pa.Array, final: pa.Array) -> pa.Array:
        """The consensus column with the adjudicated answers (null where none) put in."""
        return pc.if_else(pc.is_valid(final), final, consensus)

    def unit_record(self, units: pa.Array) -> pa.Array:
        """The record key of each unit `agreed_parts` counts in (a per-turn question's units are
        (record, turn) pairs)."""
        return units

    def agreed_parts(self, a: Answers) -> list[Answers]:
        """Answers whose exact agreement counts in the consensus `agreement` column: the
        share of a record's annotators giving the most common one. None by default."""
        return []

    def agreement_units(self, a: Answers, rows: Rows) -> list[AgreementUnit]:
        """The rows `agreement()` gives this question; `rows` reads records' target columns."""
        if self.agreement_level is None:
            note = self.agreement_note or f"not computed for {self.kind} questions"
            return [AgreementUnit(self.name, a, note=note)]
        return [AgreementUnit(self.name, a, self.agreement_level, codes=self.agreement_codes)]

    def agreement_codes(self, a: Answers) -> tuple[list, list, list[float]]:
        """(unit, coder, number) triples for alpha: one unit per record; numbers as they are
        for interval, ordinal and ratio levels, else one code per distinct answer."""
        if self.agreement_level in ("interval", "ordinal", "ratio"):
            return a.records, a.annotators, [float(v) for v in a.values]
        index: dict[str, int] = {}
        codes = [float(index.setdefault(_text(v), len(index))) for v in a.values]
        return a.records, a.annotators, codes

    # -- the dataset card ----------------------------------------------------------------------

    def accepts(self) -> str:
        """The answers it takes, in words ("1 to 5", "good, bad"), or "" to say nothing."""
        return ""

    def describe(self) -> str:
        """The card's "answers" cell: what it accepts, what it reads, what pre-fills it."""
        spec = self.spec()
        parts = [self.accepts()] if self.accepts() else []
        if spec.get("field"):
            parts.append(f"on `{spec['field']}`")
        if spec.get("fields"):
            parts.append("between " + ", ".join(f"`{f}`" for f in spec["fields"]))
        if spec.get("suggestion"):
            parts.append(f"pre-filled from `{spec['suggestion']}`")
        return "; ".join(parts) or self.kind

    def column_meaning(self) -> str:
        """More the card says of the column's shape (a per-turn list), or ""."""
        return ""

    def card_details(self) -> Table | None:
        """A table the card shows under the questions (a rubric's criteria), or None."""
        return None

    def answer_counts(self, values: list, feature: Any) -> Table:
        """The card's counts of a column's values (`feature` as published: the consensus
        feature, or the item of a list in annotators="all")."""
        given = [v for v in values if v is not None and v != ""]
        rows = self.count_rows(given, feature)
        rows.append(["answered", len(given)])
        rows.append(["not answered", len(values) - len(given)])
        return ["answer", "count"], rows

    def count_rows(self, given: list, feature: Any) -> list[list[Any]]:
        """Counts per answer value, read from the column type (labels by name)."""
        inner = getattr(feature, "feature", None)
        if isinstance(feature, datasets.ClassLabel):
            counts = Counter(given)
            return [[label, counts[i]] for i, label in enumerate(feature.names)]
        if isinstance(inner, datasets.ClassLabel):
            counts = Counter(i for v in given for i in v)
            rows = [[label, counts[i]] for i, label in enumerate(inner.names)]
            return [*rows, ["(none apply)", sum(1 for v in given if not v)]]
        if isinstance(feature, datasets.Value) and feature.dtype.startswith(("int", "uint")):
            counts = Counter(given)
            return [[k, counts[k]] for k in sorted(counts)]
        if isinstance(feature, datasets.Value) and feature.dtype.startswith("float"):
            return [["mean", number(sum(given) / len(given) if given else float("nan"))]]
        return []

    # -- quality control: gold answers, judges, position bias, summaries ----------------------

    def grade(
        self,
        given: Sequence[Any],
        expected: Sequence[Any],
        records: Sequence[str],
        rows: Rows,
        tolerance: float = 0,
    ) -> tuple[np.ndarray, np.ndarray]:
        """(right, counted) per answer, against a known answer (gold, or a judge's).

        `given[i]` is an annotator's stored answer (None: not answered, which is wrong),
        `expected[i]` the known one for record `records[i]`; `rows` reads records' target
        columns. Each answer counts as one part by default, right when equal to the known
        one; a kind of several parts (a rubric's criteria) counts each.
        """
        text = combine.encode([*given, *expected])
        n = len(given)
        same = pc.equal(text.slice(0, n), text.slice(n)).fill_null(False)
        right = np.asarray(same.to_numpy(zero_copy_only=False), dtype=float)
        return right, np.ones(n)

    def left_choices(self, records: Sequence[str], values: Sequence[Any]) -> list[bool | None]:
        """For each answer: whether it chose the side the widget showed on the left (None:
        no side chosen, or a kind that shows no sides)."""
        return [None] * len(values)

    def summary_units(self, column: pa.Array) -> tuple[pa.Array, pa.Array | None, pa.Array]:
        """What `summary()` counts over: (answer index, turn or None, value) per unit, from
        `to_arrow` values; each answer once, a per-turn question's each answered turn."""
        return pa.array(np.arange(len(column), dtype=np.int64)), None, column

    def summary_items(self, column: pa.Array) -> tuple[pa.Array, pa.Array]:
        """(answer index, item as text) pairs that `summary()` counts, from `to_arrow` values:
        by default each answer once, as its text."""
        valid = pc.is_valid(column)
        index = pa.array(np.arange(len(column), dtype=np.int64)).filter(valid)
        kind, column = column.type, column.filter(valid)
        if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_string(kind):
            return index, pc.cast(column, pa.string())
        return index, pa.array([self.answer_text(v) for v in column.to_pylist()], pa.string())

    def summary_names(self) -> list[str] | None:
        """Every item `summary()` can count, in order (so zero counts show), or None."""
        return None

    def answer_text(self, value: Any) -> str:
        """An answer as a short line of text (a confusion matrix's axis, gold feedback)."""
        return _short(value)

    # -- TRL -----------------------------------------------------------------------------------

    def pairs(self, answer: Any) -> list[tuple[str, str]]:
        """(better, worse) field names an answer ranks, for DPO (kinds with role "pairs")."""
        return []


def number(value: Any) -> str:
    """A figure as the card prints it: three decimals, n/a for NaN or nothing."""
    if isinstance(value, float):
        return "n/a" if math.isnan(value) else f"{value:.3f}"
    return "n/a" if value is None else str(value)


def _short(value: Any) -> str:
    """Text of any answer: strings as they are, lists joined, dicts as `key: value`."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {_short(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(_short(v) for v in value) if value else "(none)"
    return str(value)


def label_items(labels: Sequence[str], codes: pa.Array) -> tuple[pa.Array, pa.Array]:
    """summary_items of label indices (Label, Preference), or lists of them (MultiLabel)."""
    names = pa.array(list(labels), pa.string())
    if pa.types.is_list(codes.type):
        index = pc.list_parent_indices(codes).cast(pa.int64())
        return index, pc.take(names, pc.list_flatten(codes))
    valid = pc.is_valid(codes)
    index = pa.array(np.arange(len(codes), dtype=np.int64)).filter(valid)
    return index, pc.take(names, codes.filter(valid))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def plain_strings(texts: pa.Array) -> pa.Array | None:
    """Stored JSON strings as the strings they hold, in Arrow; None when one has an escape."""
    if pc.any(pc.match_substring(texts, "\\")).as_py():
        return None
    return pc.utf8_slice_codeunits(texts, 1, -1)
