"""How much one annotator's answers take in the store: what their budget is counted against."""

from __future__ import annotations

# Characters of stored answer JSON (SQLite and PostgreSQL both count characters of text).
ANSWER_CHARS = (
    "SELECT COALESCE(SUM(length(value)), 0) FROM {t}answers WHERE review = ? AND annotator = ?"
)
