"""Steps: a text split at a separator, or a list of strings, as the turns of a per-turn question.

A text is split at `sep` and pieces that are blank (whitespace only) are dropped, so a
trailing separator or a doubled one makes no empty step; the pieces keep their own text. The
kernel splits (the browser is sent the list), so both count the same steps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pyarrow as pa

from .chat import _describe, _is_list_type, _is_text_type, arrow_type, as_list, sample

if TYPE_CHECKING:
    from .source import RecordSource


def split_steps(value: Any, sep: str = "\n\n") -> list[str] | None:
    """The steps of one value: a text split at `sep`, a list of strings as it is; else None."""
    if isinstance(value, str):
        return [piece for piece in value.split(sep) if piece.strip()]
    listed = as_list(value)
    if listed is None or not all(isinstance(s, str) for s in listed):
        return None
    return listed


def steps_type_problem(kind: pa.DataType) -> str | None:
    """Why an Arrow type holds neither text nor lists of strings, or None."""
    if _is_text_type(kind):
        return None
    if _is_list_type(kind) and _is_text_type(kind.value_type):
        return None
    return f"holds {kind}, neither text to split into steps nor lists of strings"


def steps_problem(source: RecordSource, column: str) -> str | None:
    """Why a column cannot be steps (read on its type, or its first pandas values), or None."""
    kind = arrow_type(source, column)
    if kind is not None:
        return steps_type_problem(kind)
    for row, value in sample(source, column):
        if split_steps(value) is None:
            return (
                f"(row {row}) holds {_describe(value)}, neither text to split into steps nor a "
                "list of strings"
            )
    return None


def check_steps(source: RecordSource, column: str, who: str) -> None:
    problem = steps_problem(source, column)
    if problem:
        raise ValueError(f"{who}: column {column!r} {problem}")
