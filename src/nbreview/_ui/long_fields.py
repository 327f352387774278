"""Long text fields cross to the browser in pieces (issue 25, attack 9).

A 50 MB field went whole into the synced record (and its JSON copies): 642 MB in the
kernel for one record on screen. A text or markdown field longer than `FIRST` characters
is sent cut there, with `record.more[column]` its whole length; the page's "Show more"
asks for the next `PIECE` characters (a `more` message, answered by a custom message,
never a synced trait). A field a question marks or edits (spans, edit) is sent whole:
its offsets and its copy need every character.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

FIRST = 100_000  # characters of a long field sent with its record
PIECE = 1_000_000  # characters sent for each "Show more"
KINDS = ("text", "markdown")


def clip(fields: list, values: Mapping[str, Any], whole: set[str]) -> tuple[dict, dict]:
    """(the shown values with long texts cut at FIRST, {column: whole length} of those cut)."""
    out, more = dict(values), {}
    for f in fields:
        value = out.get(f.column)
        cut = f.kind in KINDS and f.column not in whole and isinstance(value, str)
        if cut and len(value) > FIRST:
            out[f.column], more[f.column] = value[:FIRST], len(value)
    return out, more


def piece(review: Any, session: Any, message: Mapping[str, Any]) -> dict | None:
    """The reply to a `more` message: the next piece of a cut field of the record on screen,
    or None for a message that does not name one (another record, a column not cut)."""
    cursor = getattr(session, "cursor", None)
    key, column, start = message.get("key"), message.get("column"), message.get("start")
    if cursor is None or cursor.position is None or key != cursor.key:
        return None
    if isinstance(start, bool) or not isinstance(start, int) or start < 0:
        return None
    spec = next((f for f in review.fields if f.column == column), None)
    if spec is None or spec.kind not in KINDS:
        return None
    value = review.source.row(cursor.position, [column])[column]
    if not isinstance(value, str) or start > len(value):
        return None
    text = value[start : start + PIECE]
    end = start + len(text)
    return {"type": "more", "key": key, "column": column, "start": start, "end": end,
            "total": len(value), "text": text}  # fmt: skip
