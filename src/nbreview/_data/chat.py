"""Chats: what counts as one, a message's text, and the checks that a column holds chats.

A chat is a list of messages, each a dict with a `role`. Its `content` is a string, null
(beside tool calls), or a list of parts (`{"type": "text", "text"}`, images, `tool_use`,
`tool_result`, `thinking`...); an assistant message may carry `tool_calls` (OpenAI's
`{"id", "type": "function", "function": {"name", "arguments"}}`, arguments a JSON string or
a dict, or the flat `{"name", "arguments"}`), a tool message `tool_call_id` or `name`, and
any message `reasoning_content`/`reasoning`/`thinking`. A part type nobody knows is kept
(the widget shows it as JSON); what is not a chat at all is refused, naming the row.

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
TEXT_JOIN = "\n\n"  # between the text parts of one message
REASONING = ("reasoning_content", "reasoning", "thinking")  # fields of a message's reasoning
EXTRAS = ("tool_calls", *REASONING)  # what a message may hold instead of content

PARSE_HINT = (
    "if each row holds the messages as a JSON string, parse it first, e.g. "
    "ds.map(lambda r: {{{column!r}: json.loads(r[{column!r}])}})"
)


def _is_text_type(kind: pa.DataType) -> bool:
    return pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_null(kind)


def _is_list_type(kind: pa.DataType) -> bool:
    return pa.types.is_list(kind) or pa.types.is_large_list(kind)


def arrow_type(source: RecordSource, column: str) -> pa.DataType | None:
    """The column's Arrow type when it holds for every row (a Dataset), else None."""
    from .source import DatasetSource, has_json

    if not isinstance(source, DatasetSource):
        return None  # pandas: the values say, not the dtype
    kind = source.arrow_column(column, 0, 0).type
    return None if has_json(kind) else kind  # Json values (List(Json)): the values say


def _missing(value: Any) -> bool:
    """None, NaN, pd.NA or NaT: a null of any kind pandas uses."""
    if value is None or isinstance(value, (str, bytes, Sequence, Mapping, np.ndarray)):
        return value is None
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def sample(source: RecordSource, column: str) -> list[tuple[int, Any]]:
    """(row, value) of the first few non-null values of a pandas column (or of a Dataset
    column whose type holds Json values)."""
    from .source import DataFrameSource

    if isinstance(source, DataFrameSource):
        values = source.data[column].iloc[:SCAN].tolist()
    else:
        values = source.python_values(column, np.arange(min(len(source), SCAN)))
    out: list[tuple[int, Any]] = []
    for row, value in enumerate(values):
        if _missing(value):
            continue
        out.append((row, value))
        if len(out) == SAMPLE:
            break
    return out


def _describe(value: Any) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 60 else text[:59] + '…'}"


def as_list(value: Any) -> list | None:
    """A list (or a numpy array, as pandas reads parquet lists) as a list; else None."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
        return None
    return list(value)


_messages = as_list  # a pandas value as a list of messages, or None when it is not one


# -- a message's text ---------------------------------------------------------------------------


def message_text(message: Any) -> str:
    """A message's text: its `content` when a string, else its text parts joined by a blank
    line, else "". Spans, edits and offsets on a message count this text's code points."""
    if not isinstance(message, Mapping):
        return ""
    content = message.get("content")
    if isinstance(content, str):
        return content
    parts = as_list(content)
    if not parts:
        return ""
    texts = [
        p["text"]
        for p in parts
        if isinstance(p, Mapping) and p.get("type") == "text" and isinstance(p.get("text"), str)
    ]
    return TEXT_JOIN.join(texts)


def tool_names(message: Any) -> list[str]:
    """The tools a message calls (`tool_calls`, `tool_use` parts) or answers (a tool message's
    `name`, `tool_result` parts say no name): what `summary(by="tool")` counts under."""
    if not isinstance(message, Mapping):
        return []
    names = [n for call in as_list(message.get("tool_calls")) or [] if (n := call_name(call))]
    for part in as_list(message.get("content")) or []:
        if isinstance(part, Mapping) and part.get("type") == "tool_use" and part.get("name"):
            names.append(str(part["name"]))
    if message.get("role") == "tool" and isinstance(message.get("name"), str):
        names.append(message["name"])
    return names


def turn_tools(messages: Sequence[Any]) -> list[str]:
    """Per message, the tool it calls or answers (several joined by ", "), else "(none)".

    A tool message names its tool (`name`), else the call it answers by `tool_call_id`, else
    the earliest call not yet answered; `tool_result` parts answer `tool_use` parts by id.
    """
    by_id: dict[str, str] = {}
    waiting: list[str] = []  # calls not answered yet, in order
    out = []
    for m in messages:
        m = m if isinstance(m, Mapping) else {}
        called = []
        for call in as_list(m.get("tool_calls")) or []:
            if (name := call_name(call)) is not None:
                called.append(name)
                by_id[str(call.get("id"))] = name
        answered = []
        for part in as_list(m.get("content")) or []:
            if not isinstance(part, Mapping):
                continue
            if part.get("type") == "tool_use" and isinstance(part.get("name"), str):
                called.append(part["name"])
                by_id[str(part.get("id"))] = part["name"]
            elif part.get("type") == "tool_result" and str(part.get("tool_use_id")) in by_id:
                answered.append(by_id[str(part.get("tool_use_id"))])
        waiting += called
        if m.get("role") == "tool":
            name = m.get("name") if isinstance(m.get("name"), str) else None
            name = name or by_id.get(str(m.get("tool_call_id")))
            name = name or (waiting[0] if waiting else None)
            if name is not None:
                answered.append(name)
        for name in answered:
            if name in waiting:
                waiting.remove(name)
        out.append(", ".join(dict.fromkeys(called + answered)) or "(none)")
    return out


def call_name(call: Any) -> str | None:
    """A tool call's tool: OpenAI's `function.name`, or a flat `name`."""
    if not isinstance(call, Mapping):
        return None
    function = call.get("function")
    if isinstance(function, Mapping) and isinstance(function.get("name"), str):
        return function["name"]
    return call["name"] if isinstance(call.get("name"), str) else None


def without_nulls(value: Any) -> Any:
    """Dicts without their null entries, all the way down (lists kept whole, nulls in them
    too: a list's positions mean something)."""
    if isinstance(value, Mapping):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [without_nulls(v) for v in value]
    return value


# -- Python values ------------------------------------------------------------------------------


def _content_problem(content: Any, i: int) -> str | None:
    if content is None or isinstance(content, str):
        return None
    parts = as_list(content)
    if parts is None:
        return f"message {i} has the content {_describe(content)}, neither text nor a list of parts"
    for j, part in enumerate(parts):
        if not isinstance(part, Mapping) or not isinstance(part.get("type"), str):
            return (
                f"part {j} of message {i} is {_describe(part)}, not a part such as "
                "{'type': 'text', 'text': ...}"
            )
    return None


def _calls_problem(calls: Any, i: int) -> str | None:
    if calls is None:
        return None
    listed = as_list(calls)
    if listed is None:
        return f"message {i} has tool_calls {_describe(calls)}, not a list of calls"
    for j, call in enumerate(listed):
        if call_name(call) is None:
            return (
                f"tool call {j} of message {i} is {_describe(call)}, without a tool name "
                "(function.name, or name)"
            )
    return None


def message_problem(value: Any) -> str | None:
    """Why a value is not a list of messages, or None when it is one."""
    messages = _messages(value)
    if messages is None:
        return f"holds {_describe(value)}, not a list of messages"
    for i, m in enumerate(messages):
        bare = isinstance(m, Mapping) and "content" not in m and not any(k in m for k in EXTRAS)
        if not isinstance(m, Mapping) or "role" not in m or bare:
            return f"message {i} is {_describe(m)}, not a {{'role', 'content'}} dict"
        if m["role"] is not None and not isinstance(m["role"], str):
            return f"message {i} has the role {_describe(m['role'])}, not a string"
        problem = _content_problem(m.get("content"), i) or _calls_problem(m.get("tool_calls"), i)
        if problem:
            return problem
    return None


# -- Arrow types --------------------------------------------------------------------------------


def _names(kind: pa.DataType) -> list[str]:
    return [kind.field(i).name for i in range(kind.num_fields)]


def _content_type_problem(kind: pa.DataType) -> str | None:
    """Why a messages' content type is neither text nor a list of parts, or None."""
    if _is_text_type(kind):
        return None
    if _is_list_type(kind):
        part = kind.value_type
        if pa.types.is_null(part):
            return None
        typed = pa.types.is_struct(part) and "type" in _names(part)
        if typed and _is_text_type(part.field("type").type):
            return None
    return f"holds messages whose content is {kind}, neither text nor a list of parts"


def _calls_type_problem(kind: pa.DataType) -> str | None:
    if pa.types.is_null(kind):
        return None
    call = kind.value_type if _is_list_type(kind) else None
    if call is None or pa.types.is_null(call):
        return None if call is not None else f"holds tool_calls of {kind}, not lists of calls"
    if not pa.types.is_struct(call):
        return f"holds tool_calls of {kind}, not lists of calls"
    names = _names(call)
    function = call.field("function").type if "function" in names else None
    named = function is not None and pa.types.is_struct(function) and "name" in _names(function)
    if "name" in names or named:
        return None
    return f"holds tool calls without a tool name (function.name, or name): {kind}"


def chat_type_problem(kind: pa.DataType) -> str | None:
    """Why an Arrow type is not a list of message structs, or None."""
    if pa.types.is_null(kind):
        return None
    if not _is_list_type(kind):
        return f"holds {kind}, not lists of messages"
    item = kind.value_type
    if pa.types.is_null(item):  # only empty chats so far
        return None
    if not pa.types.is_struct(item):
        return f"holds lists of {item}, not of {{'role', 'content'}} dicts"
    names = _names(item)
    missing = [k for k in ("role", "content") if k not in names]
    if "content" in missing and any(k in names for k in EXTRAS):
        missing.remove("content")  # tool calls or reasoning only
    if missing:
        return f"holds messages without {' and '.join(repr(k) for k in missing)} ({kind})"
    if not _is_text_type(item.field("role").type):
        return f"holds messages whose role is {item.field('role').type}, not a string"
    if "content" in names and (problem := _content_type_problem(item.field("content").type)):
        return problem
    if "tool_calls" in names:
        return _calls_type_problem(item.field("tool_calls").type)
    return None


def is_chat_type(kind: pa.DataType) -> bool:
    """A list of message structs: a `messages` column (not an all-null or empty one)."""
    return (
        _is_list_type(kind) and pa.types.is_struct(kind.value_type) and not chat_type_problem(kind)
    )


def is_messages(value: Any) -> bool:
    """A non-empty list of messages."""
    return isinstance(value, list) and len(value) > 0 and message_problem(value) is None


def is_chat_column(source: RecordSource, column: str) -> bool:
    """Whether a column holds chats (its Arrow type, or its first non-null pandas values)."""
    kind = arrow_type(source, column)
    if kind is not None:
        return is_chat_type(kind)
    chats = [_messages(v) for _, v in sample(source, column)]
    if not any(chats) or any(m is None for m in chats):
        return False
    return all(message_problem(m) is None for m in chats)


# -- the checks a Review makes -----------------------------------------------------------------


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


def lengths(source: RecordSource, column: str) -> list[tuple[int, int]]:
    """(row, number of items) of the first few non-null lists of a column."""
    kind = arrow_type(source, column)
    if kind is None:
        return [(row, len(m)) for row, v in sample(source, column) if (m := as_list(v)) is not None]
    if not _is_list_type(kind):
        return []
    values = source.arrow_column(column, 0, min(len(source), SCAN))
    out = []
    for row, value in enumerate(values):
        if value.is_valid:
            out.append((row, len(value)))
            if len(out) == SAMPLE:
                break
    return out


def first_chats(source: RecordSource, column: str) -> list[tuple[int, list]]:
    """(row, messages) of the first few non-null chats of a column."""
    if arrow_type(source, column) is None:
        return [(row, m) for row, v in sample(source, column) if (m := _messages(v)) is not None]
    values = source.arrow_column(column, 0, min(len(source), SCAN))
    out = []
    for row, value in enumerate(values):
        if value.is_valid:
            out.append((row, value.as_py()))
            if len(out) == SAMPLE:
                break
    return out


def check_message_target(source: RecordSource, column: str, index: int, who: str) -> None:
    """A message target needs a chat column, and that message in some of its first chats."""
    check_chat(source, column, who)
    found = lengths(source, column)
    if found and not any(-n <= index < n for _, n in found):
        seen = sorted({n for _, n in found})
        raise ValueError(
            f"{who}: no chat in the first rows of {column!r} has a message {column}[{index}] "
            f"(they have {', '.join(map(str, seen))} messages); count from 0, or from the end "
            f"with {column}[-1]"
        )
