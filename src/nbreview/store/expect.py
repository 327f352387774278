"""Compare-and-set for a change: stored only over the state its writer was shown.

One annotator open in two windows: a window may show a record open, then the other window
answers it and moves on, then the first window's answer arrives. The seat each window
holds cannot see this (the record was free again by then); the write can. A change that
carries `expect` (what its page was shown) is refused, in the transaction that would store
it, when the record's status or answers are no longer that (issue 25, fault 5).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .base import RecordState, load


class RecordChanged(ValueError):
    """The record is not as the page that sent the change was shown it; nothing was stored."""


def check(state: RecordState, expect: tuple[str | None, Mapping[str, Any]] | None) -> None:
    """Raise RecordChanged when `state` (answers as stored text, read in the writing
    transaction) differs from `expect`, (status, decoded answers); None expects nothing."""
    if expect is None:
        return
    status, answers = expect
    if state.status != status or len(state.answers) != len(answers):
        raise RecordChanged(status)
    for question, text in state.answers.items():
        if question not in answers or load(text) != answers[question]:
            raise RecordChanged(question)
