"""Free text: a comment or a reference completion (the text family's rules: families/text.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from .base import Question
from .families import Text


class FreeText(Text, Question):
    """A text box: a comment, or a reference completion; an empty string is no answer."""

    kind = "freetext"
    per_turn_ok = True  # turns= asks it per message or step (turns.py)
    required_default = False
    title = "free text"
    text_noun = "free text"
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

    def spec(self) -> dict:
        return {**super().spec(), "placeholder": self.placeholder}

    def accepts(self) -> str:
        return "free text"
