"""The choice family: an answer picked from a fixed list of options.

`Choice` (Label, Preference and its strength): the answer is one of `labels`, stored by
name and exported as a ClassLabel column (its index). Several annotators combine by majority
(the most frequent label, none on a tie), agree at the nominal level, and the card and
`summary()` count by label name, every label listed.

`ChoiceSet` (MultiLabel): any number of the labels, a list of ClassLabel; a label is in the
consensus when more than half chose it, and agreement scores each label's presence.

`OptionKeys` (Label, MultiLabel, Rating): the Python side of answering by key. Each option
has a key: a digit by its position unless `keys=` gave a list, or "mnemonic" (resolved
against the review's action keys in `_ui/keymap.py`); the browser's rule for which digit
picks which option is in js/kinds/options.js. A key picks a whole answer, so such a kind
takes one-key mode (`one_key`) unless its answer takes several presses (MultiLabel).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any, ClassVar

import datasets
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..._ui.keymap import option_keys
from .. import combine
from ..base import Question, plain_strings
from ..combine import Answers
from ..hooks import AgreementUnit, Rows


def check_labels(name: str, labels: Any) -> list[str]:
    """A question's labels: a non-empty list of distinct non-empty strings."""
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


def label_items(labels: Sequence[str], codes: pa.Array) -> tuple[pa.Array, pa.Array]:
    """summary_items of label indices (Label, Preference), or lists of them (MultiLabel)."""
    names = pa.array(list(labels), pa.string())
    if pa.types.is_list(codes.type):
        index = pc.list_parent_indices(codes).cast(pa.int64())
        return index, pc.take(names, pc.list_flatten(codes))
    valid = pc.is_valid(codes)
    index = pa.array(np.arange(len(codes), dtype=np.int64)).filter(valid)
    return index, pc.take(names, codes.filter(valid))


class OptionKeys:
    """Mixin: options picked by a key; `option_keys` is None (digits), a list, or "mnemonic"."""

    name: str
    one_key: ClassVar[bool] = True  # a key is a whole answer: alone, it answers and moves on
    option_keys: list[str] | str | None = None

    def option_names(self) -> list[str]:
        """The options in the order their keys are given (labels, or a scale's values)."""
        raise NotImplementedError

    def set_option_keys(self, keys: Sequence[str] | str | None) -> None:
        self.option_keys = option_keys(self.name, keys, self.option_names())

    def keys_spec(self) -> dict[str, Any]:
        """The spec's "keys" entry, only when the user set keys= (contract B)."""
        return {} if self.option_keys is None else {"keys": self.option_keys}


class Choice:
    """Mixin: the answer is one of `labels` (a list, or a property), stored by name."""

    labels: list[str]
    agreement_level: ClassVar[str | None] = "nominal"
    consensus_rule: ClassVar[str] = "the most frequent answer, null on a tie"

    def feature(self) -> Any:
        return datasets.ClassLabel(names=self.labels)

    def to_arrow(self, values: Sequence[Any]) -> pa.Array:
        index = {label: i for i, label in enumerate(self.labels)}
        return pa.array([index.get(v) for v in values], type=pa.int64())

    def from_stored(self, texts: pa.Array) -> pa.Array:
        names = plain_strings(texts)
        if names is None:
            return super().from_stored(texts)
        return pc.index_in(names, value_set=pa.array(self.labels, pa.string())).cast(pa.int64())

    def consensus(self, a: Answers) -> tuple[pa.Array, pa.Array]:
        return combine.majority(self, a)  # the most frequent label; a tie has none

    def agreed_parts(self, a: Answers) -> list[Answers]:
        return [a]

    def summary_items(self, column: pa.Array) -> tuple[pa.Array, pa.Array]:
        return label_items(self.labels, column)  # by name; MultiLabel: each label chosen

    def summary_names(self) -> list[str] | None:
        return list(self.labels)

    def count_rows(self, given: list, feature: Any) -> list[list[Any]]:
        """Counts per label, read from the published column: a label's index, or a list of
        them (MultiLabel, with the answers where none apply)."""
        inner = getattr(feature, "feature", None)
        if isinstance(feature, datasets.ClassLabel):
            counts = Counter(given)
            return [[label, counts[i]] for i, label in enumerate(feature.names)]
        if isinstance(inner, datasets.ClassLabel):
            counts = Counter(i for v in given for i in v)
            rows = [[label, counts[i]] for i, label in enumerate(inner.names)]
            return [*rows, ["(none apply)", sum(1 for v in given if not v)]]
        return []


class ChoiceSet(Choice):
    """Mixin: the answer is a list of `labels` (none apply: an empty list), in label order."""

    name: str
    one_key: ClassVar[bool] = False  # a set takes several presses
    consensus_rule: ClassVar[str] = "each label more than half of them chose"

    def feature(self) -> Any:
        return datasets.List(datasets.ClassLabel(names=self.labels))

    def to_arrow(self, values: Sequence[Any]) -> pa.Array:
        index = {label: i for i, label in enumerate(self.labels)}
        encoded = [None if v is None else [index[x] for x in v if x in index] for v in values]
        return pa.array(encoded, type=pa.list_(pa.int64()))

    def from_stored(self, texts: pa.Array) -> pa.Array:  # lists of labels: decoded in Python
        return Question.from_stored(self, texts)

    def consensus(self, a: Answers) -> tuple[pa.Array, pa.Array]:
        """Per label majority: a label is in when more than half of the annotators chose it."""
        chosen = pa.array(a.values, pa.list_(pa.string()))
        records, kept = combine.majority_items(a, chosen)
        codes = pc.index_in(kept["item"], value_set=pa.array(self.labels, pa.string()))
        kept = kept.append_column("code", codes.cast(pa.int64()))
        kept = kept.sort_by([("record", "ascending"), ("code", "ascending")])
        return records, combine.lists(records, kept["record"], kept["code"], self.arrow_type())

    def agreement_units(self, a: Answers, rows: Rows) -> list[AgreementUnit]:
        return [AgreementUnit(self.name, a, self.agreement_level, codes=self.presence)]

    def presence(self, a: Answers) -> tuple[list, list, list[float]]:
        """Alpha's codes: every (record, label) a unit, 1 when the annotator chose the label,
        else 0, so "nobody chose it" agrees too."""
        units, coders, values = [], [], []
        for record, annotator, chosen in zip(a.records, a.annotators, a.values, strict=True):
            picked = set(chosen or ())
            for label in self.labels:
                units.append((record, label))
                coders.append(annotator)
                values.append(1.0 if label in picked else 0.0)
        return units, coders, values
