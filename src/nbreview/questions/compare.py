"""Questions that compare: a correction with its original, two fields, several fields.

`Edit` stores the corrected text of a field (the SFT completion: the text family);
`Preference` the name of the better of two fields (a DPO pair), `Ranking` every field's name,
best first (the compare family: answers name fields, never screen positions, and the order
shown for a record comes from `shown_order`). families/ holds the rules they share.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import datasets

from .._data.fields import Target
from .base import Question
from .choice import Label
from .families import Choice, Compare, Text
from .families.compare import check_fields, digest

if TYPE_CHECKING:
    from .._data.source import RecordSource

TIE = "tie"
STRENGTHS = ("slightly", "much")


class Edit(Text, Question):
    """The corrected text of a field: a column, or one chat message ("messages[-1]").

    The answer is the whole corrected text. Storing the original unchanged is an answer
    ("no change needed", key `0` in the widget); an empty text, or no text, is none.
    """

    kind = "edit"
    key_actions = ("edit",)  # its key in the review's table (_ui/keymap.py)
    title = "corrected text"
    text_noun = "a corrected text"
    task = "text-generation"
    agreement_note = "not computed for edits"
    trl_roles: ClassVar[Mapping[str, int]] = {"completion": 0}  # the SFT completion

    def __init__(
        self,
        name: str,
        field: str,
        *,
        required: bool | None = None,
        suggestion: str | None = None,
        gold: str | None = None,
    ):
        super().__init__(name, required=required, suggestion=suggestion, gold=gold)
        if not isinstance(field, str) or not field:
            raise ValueError(
                f"question {name!r}: field names the text to correct (a column, or a chat "
                f"message such as 'messages[-1]'), got {field!r}"
            )
        self.field = field
        self.target = Target.parse(field)

    def __repr__(self) -> str:
        return f"nr.Edit({self.name!r}, field={self.field!r})"

    def target_columns(self) -> list[str]:
        return [self.target.column]

    def check(self, source: RecordSource) -> None:
        self.target.check(source, f"question {self.name!r}")  # "messages[-1]": a chat message
        if self.target.message is None and not source.is_text_column(self.target.column):
            raise ValueError(
                f"question {self.name!r}: an edit corrects text, but column {self.field!r} "
                "does not hold strings; point field= at a text column, or at one message of "
                "a chat column ('messages[-1]')"
            )

    def original(self, record: Mapping[str, Any]) -> str | None:
        """The text this question corrects, in one record (None when the record has none)."""
        return self.target.text(record)

    def from_suggestion(self, value: Any, record: Mapping[str, Any] | None = None) -> Any:
        return value if isinstance(value, str) and value.strip() else None

    def spec(self) -> dict:
        return {**super().spec(), "field": self.field}


class Preference(Compare, Choice, Question):
    """The better of two fields, or "tie"; stored as the field's name, never as a side.

    The widget shows the two side by side, in an order fixed per record by a hash of the
    record key and the question name (`sides(key)`), so position bias cancels out over a
    dataset while a record always looks the same. `strength=True` also asks how much better
    (`slightly` or `much`), stored as the answer of the question `<name>_strength`.
    """

    kind = "preference"

    def __init__(
        self,
        name: str,
        fields: Sequence[str],
        *,
        allow_tie: bool = True,
        strength: bool = False,
        required: bool | None = None,
        suggestion: str | None = None,
        gold: str | None = None,
    ):
        super().__init__(name, required=required, suggestion=suggestion, gold=gold)
        self.fields = check_fields(name, fields, 2, 2)
        for flag, value in (("allow_tie", allow_tie), ("strength", strength)):
            if not isinstance(value, bool):
                raise ValueError(f"question {name!r}: {flag} is True or False, got {value!r}")
        if allow_tie and TIE in self.fields:
            raise ValueError(
                f"question {name!r}: a field named {TIE!r} cannot be told apart from a tie; "
                "rename the column, or pass allow_tie=False"
            )
        self.allow_tie = allow_tie
        self.strength = strength
        self._strength = PreferenceStrength(self) if strength else None

    def __repr__(self) -> str:
        return f"nr.Preference({self.name!r}, fields={tuple(self.fields)!r})"

    @property
    def labels(self) -> list[str]:
        """Every answer: the two field names, then "tie" when ties are allowed."""
        return [*self.fields, TIE] if self.allow_tie else list(self.fields)

    def companions(self) -> list[Question]:
        return [] if self._strength is None else [self._strength]

    def validate(self, value: Any, record: Mapping[str, Any] | None = None) -> Any:
        if value is None:
            return None
        if value in self.labels:
            return value
        sides = " (the answer names the field, not the side)" if value in ("left", "right") else ""
        raise self._error(value, f"the answers are {self.labels!r}{sides}")

    def sides(self, key: str) -> tuple[str, str]:
        """(left, right): the fields in the order the widget shows them for record `key`."""
        a, b = self.fields
        return (b, a) if digest(self.name, key)[0] & 1 else (a, b)

    def shown_order(self, key: str) -> list[str]:
        return list(self.sides(key))

    def left_choices(self, records: Sequence[str], values: Sequence[Any]) -> list[bool | None]:
        """The chosen field against the side `sides(key)` showed it on; a tie chose none."""
        return [
            value == self.sides(key)[0] if value in self.fields else None
            for key, value in zip(records, values, strict=True)
        ]

    def pairs(self, answer: Any) -> list[tuple[str, str]]:
        if answer not in self.fields:  # a tie says nothing about which is better
            return []
        return [(answer, next(f for f in self.fields if f != answer))]

    def spec(self) -> dict:
        return {
            **super().spec(),
            "allow_tie": self.allow_tie,
            "strength": self.strength,
        }


class PreferenceStrength(Label):
    """How much better the preferred field is: `<preference>_strength`, slightly or much.

    Made by `Preference(..., strength=True)`, never by hand, so it is not in the specs a
    review is saved with. Asked when a side is chosen (not for a tie); a Label in every
    export (ClassLabel column, majority consensus, nominal agreement).
    """

    one_key = False
    trl_roles: ClassVar[Mapping[str, int]] = {}  # not a verdict on a completion

    def __init__(self, preference: Preference):
        super().__init__(f"{preference.name}_strength", labels=list(STRENGTHS), required=False)
        self.preference = preference

    def __repr__(self) -> str:
        return f"<strength of nr.Preference({self.preference.name!r})>"

    def missing_in(
        self, answers: Mapping[str, Any], record: Mapping[str, Any] | None = None
    ) -> bool:
        chosen = answers.get(self.preference.name)
        return chosen in self.preference.fields and not self.is_answered(answers.get(self.name))


class Ranking(Compare, Question):
    """The fields ordered best first: every field name once.

    The widget first shows them in an order fixed per record by a hash of the record key and
    the question name (`initial_order(key)`); moving one, or confirming the order shown
    (key `0`), answers.
    """

    kind = "ranking"
    agreement_note = "not computed for rankings"

    def __init__(
        self,
        name: str,
        fields: Sequence[str],
        *,
        required: bool | None = None,
        suggestion: str | None = None,
        gold: str | None = None,
    ):
        super().__init__(name, required=required, suggestion=suggestion, gold=gold)
        self.fields = check_fields(name, fields, 2)

    def __repr__(self) -> str:
        return f"nr.Ranking({self.name!r}, fields={self.fields!r})"

    def feature(self) -> Any:
        return datasets.List(datasets.Value("string"))

    def validate(self, value: Any, record: Mapping[str, Any] | None = None) -> Any:
        if value is None:
            return None
        if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
            raise self._error(value, f"a ranking is a list of the field names {self.fields!r}")
        value = list(value)
        unknown = [v for v in value if v not in self.fields]
        if unknown:
            raise self._error(value, f"unknown fields {unknown!r}; the fields are {self.fields!r}")
        twice = sorted({v for v in value if value.count(v) > 1})
        if twice:
            raise self._error(value, f"{twice!r} ranked twice; name every field once")
        missing = [f for f in self.fields if f not in value]
        if missing:
            raise self._error(value, f"{missing!r} not ranked; name every field once")
        return value

    def initial_order(self, key: str) -> list[str]:
        """The order the widget first shows for record `key`, before anyone moves a field."""
        return sorted(self.fields, key=lambda f: digest(self.name, key, f))

    def shown_order(self, key: str) -> list[str]:
        return self.initial_order(key)

    def pairs(self, answer: Any) -> list[tuple[str, str]]:
        """The best against each lower one."""
        return [(answer[0], lower) for lower in answer[1:]] if answer else []
