"""The optional hooks of a question kind, grouped by the layer that asks them.

`Question` (base.py) holds the core every kind writes (`feature`, `validate`, `spec`); these
classes hold what a kind may override, each with the default most kinds want. The families
(questions/families/) override them once for every kind of one shape, so a kind usually
writes none. docs/kinds.md lists every hook and which family implements it.

- `RecordHooks`: the record on screen (its columns, layout, the browser's units, keys).
- `TeamHooks`: several annotators (`to_dataset(annotators="consensus")`, `agreement()`).
- `QualityHooks`: gold answers and judges (`quality()`, `alignment()`) and `summary()`.
- `CardHooks`: the dataset card and what `to_trl` may take.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import combine
from .combine import Answers

if TYPE_CHECKING:
    from .._data.fields import Target
    from .._data.source import RecordSource
    from .base import Question

# Reads the records of some keys: key -> {column: value} for the question's target columns.
Rows = Callable[[set[str]], dict[str, Mapping[str, Any]]]
Table = tuple[list[str], list[list[Any]]]  # a header and its rows, for the dataset card
Codes = Callable[[Answers], tuple[list, list, list[float]]]
NUMERIC_LEVELS = ("interval", "ordinal", "ratio")  # alpha reads the answers as numbers


def level_codes(level: str) -> Codes:
    """How alpha reads answers at a Krippendorff level: one unit per record; the numbers as
    they are at interval, ordinal and ratio levels, else one code per distinct answer."""
    if level in NUMERIC_LEVELS:
        return lambda a: (a.records, a.annotators, [float(v) for v in a.values])

    def nominal(a: Answers) -> tuple[list, list, list[float]]:
        index: dict[str, int] = {}
        codes = [float(index.setdefault(_text(v), len(index))) for v in a.values]
        return a.records, a.annotators, codes

    return nominal


@dataclass
class AgreementUnit:
    """One row of `agreement()`: a question, or one part of it (a rubric's criterion).

    `level` None means not computed (`note` says why). Otherwise the figure is
    Krippendorff's alpha of `codes(answers)` (by default read at the level, `level_codes`),
    or `score(answers)` for a measure of its own (spans' token F1); both get only the
    records that two or more annotators answered.
    """

    name: str
    answers: Answers
    level: str | None = None
    note: str = ""
    codes: Codes | None = None
    score: Callable[[Answers], tuple[float, str]] | None = None

    def __post_init__(self) -> None:
        if self.codes is None and self.score is None and self.level is not None:
            self.codes = level_codes(self.level)


class RecordHooks:
    """The record on screen: what a question reads, shows and takes from the browser."""

    name: str
    required: bool
    one_key: ClassVar[bool] = False  # alone in a review, one key answers, submits, advances
    key_actions: ClassVar[tuple[str, ...]] = ()  # kind actions of the keys table it takes
    target: Target | None = None  # the text the question is about (spans, edits), if one

    def target_columns(self) -> list[str]:
        """Columns the question reads: checked to exist, and hashed into content keys."""
        return []

    def check(self, source: RecordSource) -> None:
        """Refuse, with a ValueError, a dataset this question cannot work on (its columns exist)."""

    def use_fields(self, fields: Sequence[Any]) -> None:
        """The review's fields, once it is built (a Steps field tells a per-turn question
        where its column splits)."""

    def companions(self) -> list[Question]:
        """Questions this one brings along, each with its own column (a preference's strength)."""
        return []

    def layout(self, key: str, record: Mapping[str, Any]) -> dict | None:
        """Per-record display data for the browser (a comparison's order), or None."""
        return None

    # The browser's view of a value, and back (identity unless the units differ, as for spans).
    def to_browser(self, value: Any, record: Mapping[str, Any]) -> Any:
        return value

    def from_browser(self, value: Any, record: Mapping[str, Any]) -> Any:
        return value

    def unanswered_parts(self, value: Any) -> list[str]:
        """The parts still to answer in a partial answer (a rubric's unrated criteria)."""
        return []


class TeamHooks:
    """Several annotators: `to_dataset(annotators="consensus")` and `agreement()`."""

    name: str
    kind: ClassVar[str]
    agreement_level: ClassVar[str | None] = None  # Krippendorff level; None: not computed
    agreement_note: ClassVar[str] = ""  # why agreement is not computed
    # How `consensus` combines answers, in the dataset card's words.
    consensus_rule: ClassVar[str] = "the answer when all gave the same one, else null"

    def consensus(self, a: Answers) -> tuple[pa.Array, pa.Array]:
        """(records, one value each, typed `consensus_feature()`) from submitted answers.

        By default the answer when every annotator gave the same one, else null: for text,
        a majority means little. The families pick their rule from combine.py.
        """
        return combine.majority(self, a, unanimous=True)

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
        return [AgreementUnit(self.name, a, self.agreement_level)]


class QualityHooks:
    """Gold answers and judges (`quality()`, `alignment()`, gold feedback) and `summary()`."""

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
        by default each answer once, as `answer_text` writes it."""
        valid = pc.is_valid(column)
        index = pa.array(np.arange(len(column), dtype=np.int64)).filter(valid)
        texts = [self.answer_text(v) for v in column.filter(valid).to_pylist()]
        return index, pa.array(texts, pa.string())

    def summary_names(self) -> list[str] | None:
        """Every item `summary()` can count, in order (so zero counts show), or None."""
        return None

    def answer_text(self, value: Any) -> str:
        """An answer as a short line of text (a confusion matrix's axis, gold feedback)."""
        return short(value)


class CardHooks:
    """The dataset card (`save_hub_folder`, `push_to_hub`) and what `to_trl` may take."""

    kind: ClassVar[str]
    title: ClassVar[str] = ""  # the card's name for the kind ("one label"); default `kind`
    task: ClassVar[str | None] = None  # the Hub task its answers train for, if any
    # What to_trl may take it as, and its rank among kinds of that role (lower first):
    # "completion" (sft), "pairs" (dpo: the kind writes `pairs(answer)`), "label" (kto).
    trl_roles: ClassVar[Mapping[str, int]] = {}

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
        """Rows of `answer_counts` above answered / not answered: counts per label for the
        choice family, per value or the mean for the numeric one; none by default."""
        return []


def short(value: Any) -> str:
    """Text of any answer: strings as they are, lists joined, dicts as `key: value`."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {short(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(short(v) for v in value) if value else "(none)"
    return str(value)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)
