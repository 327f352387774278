"""Rubric: several criteria, each rated on one scale, written as one struct column.

`nr.Rubric("scores", criteria={"helpfulness": "Does it do what was asked?", ...},
scale=(0, 4), descriptors={0: "none", 4: "fully"})` stores `{"helpfulness": 3, ...}`: an
int32 per criterion, in the order given, null for a criterion not yet rated. A required
rubric is answered when every criterion is rated; a partly rated one is a draft.
"""

from __future__ import annotations

import numbers
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import datasets
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .base import AnswerError, Question, number
from .choice import parse_scale, scale_spec
from .combine import Answers
from .families.numeric import within
from .hooks import AgreementUnit, Rows, Table

WIDE = 11  # scales with more values list only the values given in the card's counts


def _criteria(name: str, criteria: Any) -> dict[str, str]:
    """name -> description, from a dict of them or a list of names (no description)."""
    if isinstance(criteria, Mapping):
        pairs = list(criteria.items())
    elif isinstance(criteria, Sequence) and not isinstance(criteria, str):
        pairs = [(c, "") for c in criteria]
    else:
        raise ValueError(
            f"question {name!r}: criteria is a dict of name -> what it asks, or a list of "
            f"names, got {criteria!r}"
        )
    if not pairs:
        raise ValueError(f"question {name!r}: the criteria are empty; give at least one")
    bad = [c for c, _ in pairs if not isinstance(c, str) or not c.strip()]
    if bad:
        raise ValueError(f"question {name!r}: criteria are named by non-empty strings: {bad!r}")
    names = [c for c, _ in pairs]
    dupes = sorted({c for c in names if names.count(c) > 1})
    if dupes:
        raise ValueError(f"question {name!r}: criteria {dupes!r} are given twice")
    for c, text in pairs:
        if not isinstance(text, str):
            raise ValueError(
                f"question {name!r}: criterion {c!r} is described by a string, got {text!r}"
            )
    return dict(pairs)


def _descriptors(name: str, descriptors: Any, low: int, high: int) -> dict[int, str]:
    """score -> its meaning, for values on the scale."""
    if descriptors is None:
        return {}
    if not isinstance(descriptors, Mapping):
        raise ValueError(
            f"question {name!r}: descriptors maps scores to what they mean, such as "
            f"{{{low}: 'none', {high}: 'fully'}}; got {descriptors!r}"
        )
    out = {}
    for value, text in descriptors.items():
        whole = isinstance(value, numbers.Integral) and not isinstance(value, bool)
        if not whole or not low <= value <= high:
            raise ValueError(
                f"question {name!r}: descriptor for {value!r}, which is not a score on the "
                f"scale {low}..{high}"
            )
        if not isinstance(text, str) or not text.strip():
            raise ValueError(
                f"question {name!r}: the descriptor of {value} must be a non-empty string, "
                f"got {text!r}"
            )
        out[int(value)] = text
    return dict(sorted(out.items()))


class Rubric(Question):
    """Criteria rated on one scale (`scale` as for Rating), with optional meanings of scores."""

    kind = "rubric"
    per_turn_ok = True  # turns= asks it per message or step (turns.py)
    task = "text-classification"
    agreement_level = "interval"

    def __init__(
        self,
        name: str,
        criteria: Mapping[str, str] | Sequence[str],
        scale: int | tuple[int, int] = 5,
        descriptors: Mapping[int, str] | None = None,
        *,
        required: bool | None = None,
        suggestion: str | None = None,
        gold: str | None = None,
    ):
        super().__init__(name, required=required, suggestion=suggestion, gold=gold)
        self.criteria = _criteria(name, criteria)
        self.low, self.high = parse_scale(name, scale)
        self.scale = self.high if self.low == 1 else (self.low, self.high)
        self.descriptors = _descriptors(name, descriptors, self.low, self.high)

    @classmethod
    def from_arguments(cls, spec: dict) -> Question:
        spec = dict(spec)
        spec["criteria"] = {c["name"]: c.get("description", "") for c in spec["criteria"]}
        spec["descriptors"] = {d["value"]: d["label"] for d in spec.get("descriptors") or []}
        return cls(**spec)

    def spec(self) -> dict:
        """Criteria and descriptors as lists: their order survives JSON, YAML and JavaScript."""
        return {
            **super().spec(),
            "criteria": [{"name": c, "description": d} for c, d in self.criteria.items()],
            "scale": scale_spec(self.low, self.high),
            "descriptors": [{"value": v, "label": t} for v, t in self.descriptors.items()],
        }

    def feature(self) -> Any:
        return {c: datasets.Value("int32") for c in self.criteria}

    # -- values ------------------------------------------------------------------------------

    def _score(self, criterion: str, value: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise AnswerError(
                f"{self.name}: {criterion}: {value!r} is not a score; scores are whole numbers "
                f"from {self.low} to {self.high}"
            )
        if not self.low <= value <= self.high:
            raise AnswerError(
                f"{self.name}: {criterion}: {value!r} is off the scale {self.low}..{self.high}"
            )
        return int(value)

    def validate(self, value: Any, record: Mapping[str, Any] | None = None) -> Any:
        if value is None:
            return None
        if not isinstance(value, Mapping):
            raise self._error(value, "a rubric answer is a dict of criterion -> score")
        unknown = [c for c in value if c not in self.criteria]
        if unknown:
            raise AnswerError(
                f"{self.name}: unknown criterion {unknown[0]!r}; the criteria are "
                f"{list(self.criteria)!r}"
            )
        scores = {c: self._score(c, value.get(c)) for c in self.criteria}
        return None if all(v is None for v in scores.values()) else scores

    def from_suggestion(self, value: Any, record: Mapping[str, Any] | None = None) -> Any:
        """Suggested scores criterion by criterion: a bad one is left out, not the rest."""
        if not isinstance(value, Mapping):
            return None
        kept = {}
        for c in self.criteria:
            try:
                kept[c] = self._score(c, value.get(c))
            except AnswerError:
                kept[c] = None
        return None if all(v is None for v in kept.values()) else kept

    def is_answered(self, value: Any) -> bool:
        return isinstance(value, Mapping) and all(value.get(c) is not None for c in self.criteria)

    def unanswered_parts(self, value: Any) -> list[str]:
        rated = value if isinstance(value, Mapping) else {}
        return [c for c in self.criteria if rated.get(c) is None]

    def to_arrow(self, values: Sequence[Any]) -> pa.Array:
        rows = [v if isinstance(v, Mapping) else None for v in values]
        return pa.array(rows, type=self.arrow_type())

    # -- several annotators ------------------------------------------------------------------

    consensus_rule: ClassVar[str] = "the mean per criterion of those who rated it"

    def consensus(self, a: Answers) -> tuple[pa.Array, pa.Array]:
        """The mean per criterion over the annotators who rated it (a struct of float64)."""
        columns = {"record": pa.array(a.records, pa.string())}
        names = [f"c{i}" for i in range(len(self.criteria))]  # criteria may be any string
        for key, c in zip(names, self.criteria, strict=True):
            scores = [None if v is None else v.get(c) for v in a.values]
            columns[key] = pa.array(scores, pa.float64())
        means = pa.table(columns).group_by("record").aggregate([(k, "mean") for k in names])
        fields = [means[f"{k}_mean"].combine_chunks() for k in names]
        values = pa.StructArray.from_arrays(fields, names=list(self.criteria))
        return means["record"].combine_chunks(), values

    def consensus_feature(self) -> Any:
        return {c: datasets.Value("float64") for c in self.criteria}

    def agreed_parts(self, a: Answers) -> list[Answers]:
        return [a.part(c) for c in self.criteria]

    def agreement_units(self, a: Answers, rows: Rows) -> list[AgreementUnit]:
        """One row per criterion, "scores.helpfulness": interval alpha over who rated it."""
        return [
            AgreementUnit(f"{self.name}.{c}", a.part(c), self.agreement_level)
            for c in self.criteria
        ]

    # -- quality control ---------------------------------------------------------------------

    def grade(
        self,
        given: Sequence[Any],
        expected: Sequence[Any],
        records: Sequence[str],
        rows: Rows,
        tolerance: float = 0,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each criterion with a known score is one part, right within `tolerance` points
        (the numeric family's `within`)."""
        right, counted = np.zeros(len(given)), np.zeros(len(given))
        for i, (got, want) in enumerate(zip(given, expected, strict=True)):
            got = got if isinstance(got, Mapping) else {}
            for c in self.criteria:
                score = want.get(c) if isinstance(want, Mapping) else None
                if score is None:
                    continue
                counted[i] += 1
                if got.get(c) is not None and within(got[c], score, tolerance):
                    right[i] += 1
        return right, counted

    def summary_items(self, column: pa.Array) -> tuple[pa.Array, pa.Array]:
        """`criterion: score` once per criterion rated."""
        indices, items = [], []
        everything = pa.array(np.arange(len(column), dtype=np.int64))
        for i, c in enumerate(self.criteria):
            scores = pc.struct_field(column, [i])
            rated = pc.is_valid(scores)
            text = pc.binary_join_element_wise(c, pc.cast(scores, pa.string()), ": ")
            indices.append(everything.filter(rated))
            items.append(text.filter(rated))
        return pa.concat_arrays(indices), pa.concat_arrays(items)

    def summary_names(self) -> list[str] | None:
        return [f"{c}: {v}" for c in self.criteria for v in range(self.low, self.high + 1)]

    # -- the dataset card --------------------------------------------------------------------

    def _value_name(self, value: int) -> str:
        meaning = self.descriptors.get(value)
        return f"{value} ({meaning})" if meaning else str(value)

    def accepts(self) -> str:
        text = f"{self.low} to {self.high}"
        if self.descriptors:
            text += " (" + ", ".join(f"{v} = {t}" for v, t in self.descriptors.items()) + ")"
        n = len(self.criteria)
        return f"{text} for each of {n} criteri{'on' if n == 1 else 'a'}: " + ", ".join(
            self.criteria
        )

    def card_details(self) -> Table | None:
        rows = [[f"`{c}`", d or "—"] for c, d in self.criteria.items()]
        return ["criterion", "asks"], rows

    def answer_counts(self, values: list, feature: Any) -> Table:
        """A row per criterion: how many records gave each score (the mean, for consensus)."""
        per = {c: [v.get(c) for v in values if v is not None] for c in self.criteria}
        per = {c: [s for s in scores if s is not None] for c, scores in per.items()}
        floats = isinstance(feature, Mapping) and any(
            getattr(f, "dtype", "").startswith("float") for f in feature.values()
        )
        if floats:
            rows = [[f"`{c}`", _mean(s), len(s), len(values) - len(s)] for c, s in per.items()]
            return ["criterion", "mean", "rated", "not rated"], rows
        shown = list(range(self.low, self.high + 1))
        if len(shown) > WIDE:
            shown = sorted({s for scores in per.values() for s in scores})
        header = ["criterion", *map(self._value_name, shown), "not rated"]
        rows = []
        for c, scores in per.items():
            counts = Counter(scores)
            rows.append([f"`{c}`", *(counts[v] for v in shown), len(values) - len(scores)])
        return header, rows


def _mean(scores: list[float]) -> str:
    return number(sum(scores) / len(scores) if scores else float("nan"))
