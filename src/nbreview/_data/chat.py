"""Checks that a column holds what a field or a target says, on a few rows, at construction.

A Review over a million rows must build in a moment, so these read the Arrow type of a
`datasets.Dataset` column (which holds for every row) and, for a pandas column of Python
objects, the first few non-null values only. A row further down that breaks the rule is shown
with a notice in the widget, never a crash.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa

if TYPE_CHECKING:
    from .source import RecordSource

SAMPLE = 20  # non-null values checked in a pandas column
SCAN = 1000  # rows looked through to find them

PARSE_HINT = (
    "if each row holds the messages as a JSON string, parse it first, e.g. "
    "ds.map(lambda r: {{{column!r}: json.loads(r[{column!r}])}})"
)


def _is_text_type(kind: pa.DataType) -> bool:
    return pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_null(kind)


def arrow_type(source: RecordSource, column: str) -> pa.DataType | None:
    """The column's Arrow type when it holds for every row (a Dataset), else None."""
    from .source import DatasetSource

    if not isinstance(source, DatasetSource):
        return None  # pandas: the values say, not the dtype
    return source.arrow_column(column, 0, 0).type


def _missing(value: Any) -> bool:
    """None, NaN, pd.NA or NaT: a null of any kind pandas uses."""
    if value is None or isinstance(value, (str, bytes, Sequence, Mapping, np.ndarray)):
        return value is None
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def sample(source: RecordSource, column: str) -> list[tuple[int, Any]]:
    """(row, value) of the first few non-null values of a pandas column."""
    series = source.data[column]
    out: list[tuple[int, Any]] = []
    for row, value in enumerate(series.iloc[:SCAN].tolist()):
        if _missing(value):
            continue
        out.append((row, value))
        if len(out) == SAMPLE:
            break
    return out


def _describe(value: Any) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 60 else text[:59] + '…'}"


def _messages(value: Any) -> list | None:
    """A pandas value as a list of messages, or None when it is not one."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
        return None
    return list(value)


def message_problem(value: Any) -> str | None:
    """Why a value is not a list of {"role", "content"} messages, or None when it is one."""
    messages = _messages(value)
    if messages is None:
        return f"holds {_describe(value)}, not a list of messages"
    for i, m in enumerate(messages):
        if not isinstance(m, Mapping) or "role" not in m or "content" not in m:
            return f"message {i} is {_describe(m)}, not a {{'role', 'content'}} dict"
        if m["role"] is not None and not isinstance(m["role"], str):
            return f"message {i} has the role {_describe(m['role'])}, not a string"
    return None


def chat_type_problem(kind: pa.DataType) -> str | None:
    """Why an Arrow type is not a list of {role, content} structs, or None."""
    if pa.types.is_null(kind):
        return None
    if not (pa.types.is_list(kind) or pa.types.is_large_list(kind)):
        return f"holds {kind}, not lists of messages"
    item = kind.value_type
    if pa.types.is_null(item):  # only empty chats so far
        return None
    if not pa.types.is_struct(item):
        return f"holds lists of {item}, not of {{'role', 'content'}} dicts"
    names = [item.field(i).name for i in range(item.num_fields)]
    missing = [k for k in ("role", "content") if k not in names]
    if missing:
        return f"holds messages without {' and '.join(repr(k) for k in missing)} ({kind})"
    if not _is_text_type(item.field("role").type):
        return f"holds messages whose role is {item.field('role').type}, not a string"
    return None


def is_chat_type(kind: pa.DataType) -> bool:
    """A list of {role, content} structs: a `messages` column (not an all-null or empty one)."""
    is_list = pa.types.is_list(kind) or pa.types.is_large_list(kind)
    return is_list and pa.types.is_struct(kind.value_type) and chat_type_problem(kind) is None


def is_messages(value: Any) -> bool:
    """A non-empty list of {"role", "content"} messages."""
    return isinstance(value, list) and len(value) > 0 and message_problem(value) is None


def check_chat(source: RecordSource, column: str, who: str) -> None:
    """A ValueError naming the problem when `column` is not a column of chats."""
    kind = arrow_type(source, column)
    if kind is not None:
        problem = chat_type_problem(kind)
        rows = ""
    else:
        problem, rows = None, ""
        for row, value in sample(source, column):
            problem = message_problem(value)
            if problem:
                rows = f" (row {row})"
                break
    if problem:
        hint = PARSE_HINT.format(column=column)
        raise ValueError(
            f"{who}: column {column!r}{rows} {problem}; a chat is a list of "
            f'{{"role": ..., "content": ...}} dicts; {hint}'
        )


def check_text(source: RecordSource, column: str, who: str) -> None:
    """A ValueError when `column` does not hold strings (nulls allowed)."""
    kind = arrow_type(source, column)
    if kind is not None:
        if _is_text_type(kind):
            return
        raise ValueError(
            f"{who}: column {column!r} holds {kind}, not text; show it with nr.Text "
            "(or a plain column name), or nr.Chat for lists of messages"
        )
    for row, value in sample(source, column):
        if not isinstance(value, str):
            raise ValueError(
                f"{who}: column {column!r} (row {row}) holds {_describe(value)}, not text; "
                "show it with nr.Text (or a plain column name), or nr.Chat for lists of messages"
            )


def _content_is_text(kind: pa.DataType) -> bool:
    item = kind.value_type
    return pa.types.is_null(item) or _is_text_type(item.field("content").type)


def _lengths(source: RecordSource, column: str) -> list[tuple[int, int]]:
    """(row, number of messages) of the first few non-null chats."""
    kind = arrow_type(source, column)
    if kind is None:
        return [
            (row, len(m)) for row, v in sample(source, column) if (m := _messages(v)) is not None
        ]
    values = source.arrow_column(column, 0, min(len(source), SCAN))
    if pa.types.is_null(kind):
        return []
    out = []
    for row, value in enumerate(values):
        if value.is_valid:
            out.append((row, len(value)))
            if len(out) == SAMPLE:
                break
    return out


def check_message_target(source: RecordSource, column: str, index: int, who: str) -> None:
    """A message target needs a chat column, text content, and that message in some chat."""
    check_chat(source, column, who)
    kind = arrow_type(source, column)
    if kind is not None and not pa.types.is_null(kind) and not _content_is_text(kind):
        content = kind.value_type.field("content").type
        raise ValueError(
            f"{who}: the messages of {column!r} hold {content} as content, not text, so "
            f"{column}[{index}] has no text to work on"
        )
    if kind is None:
        for row, value in sample(source, column):
            for m in _messages(value) or []:
                content = m.get("content")
                if content is not None and not isinstance(content, str):
                    raise ValueError(
                        f"{who}: a message of {column!r} (row {row}) holds {_describe(content)} "
                        f"as content, not text, so {column}[{index}] has no text to work on"
                    )
    lengths = _lengths(source, column)
    if lengths and not any(-n <= index < n for _, n in lengths):
        seen = sorted({n for _, n in lengths})
        raise ValueError(
            f"{who}: no chat in the first rows of {column!r} has a message {column}[{index}] "
            f"(they have {', '.join(map(str, seen))} messages); count from 0, or from the end "
            f"with {column}[-1]"
        )
