"""How much one annotator's answers take in the store: what their budget is counted against."""

from __future__ import annotations

from typing import Any

# Characters of stored answer JSON (SQLite and PostgreSQL both count characters of text).
ANSWER_CHARS = (
    "SELECT COALESCE(SUM(length(value)), 0) FROM {t}answers WHERE review = ? AND annotator = ?"
)


def answer_chars(store: Any, review: str, annotator: str) -> int:
    """The characters of every current answer (drafts too) of one annotator in one review."""
    return int(store._rows(ANSWER_CHARS, (review, annotator))[0][0])
