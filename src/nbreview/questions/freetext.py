"""Free text: a comment or a reference completion."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import datasets

from .base import Question


class FreeText(Question):
    """A text box: a comment, or a reference completion; an empty string is no answer."""

    kind = "freetext"
    per_turn_ok = True  # turns= asks it per message or step (turns.py)
    required_default = False
    title = "free text"
    agreement_note = "not computed for free text"  # exact text match means little
    trl_roles: ClassVar[Mapping[str, int]] = {"completion": 1}  # after an Edit

    def __init__(
        self,
        name: str,
        *,
        placeholder: str = "",
        required: bool | None = None,
        suggestion: str | None = None,
        gold: str | None = None,
    ):
        super().__init__(name, required=required, suggestion=suggestion, gold=gold)
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

    def accepts(self) -> str:
        return "free text"


SPAN_KEYS = ("start", "end", "label", "text")
