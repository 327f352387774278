"""What the annotator reads: a column and how to render it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from .source import RecordSource


@dataclass(frozen=True)
class Field:
    """A column shown to the annotator; the subclass chooses the rendering."""

    column: str
    kind: ClassVar[str] = "text"

    def __post_init__(self) -> None:
        if not isinstance(self.column, str) or not self.column:
            raise ValueError(f"a field names a column by a non-empty string, got {self.column!r}")

    def spec(self) -> dict:
        return {"column": self.column, "kind": self.kind}

    def check(self, source: RecordSource) -> None:
        """Refuse, with a ValueError, a column this field cannot show (checked on a few rows)."""

    def to_browser(self, value: Any) -> Any:
        """The column's value as the browser gets it (a Steps field: already split)."""
        return value


@dataclass(frozen=True)
class Text(Field):
    """Plain text, shown exactly as it is (whitespace kept, never as HTML)."""

    kind: ClassVar[str] = "text"


@dataclass(frozen=True)
class Markdown(Field):
    """GitHub-flavoured markdown, rendered then sanitized."""

    kind: ClassVar[str] = "markdown"

    def check(self, source: RecordSource) -> None:
        from .chat import check_text

        check_text(source, self.column, f"nr.Markdown({self.column!r})")


@dataclass(frozen=True)
class Chat(Field):
    """A list of {"role", "content"} messages, shown as a conversation."""

    kind: ClassVar[str] = "chat"

    def check(self, source: RecordSource) -> None:
        from .chat import check_chat

        check_chat(source, self.column, f"nr.Chat({self.column!r})")

    def to_browser(self, value: Any) -> Any:
        """The messages without the null keys Arrow fills in (a struct column holds every key
        any message has), so the browser sees each message's own shape."""
        from .chat import without_nulls

        return without_nulls(value)


@dataclass(frozen=True)
class Steps(Field):
    """A text split into numbered steps at `sep` (blank pieces dropped), or a column of lists
    of strings, steps as they are: what a per-turn question (`turns=`) asks about step by step.
    """

    sep: str = "\n\n"
    kind: ClassVar[str] = "steps"

    def __post_init__(self) -> None:
        super().__post_init__()
        if not isinstance(self.sep, str) or not self.sep:
            raise ValueError(
                f"nr.Steps({self.column!r}): sep is the non-empty string between steps, "
                f"got {self.sep!r}"
            )

    def spec(self) -> dict:
        return {**super().spec(), "sep": self.sep}

    def check(self, source: RecordSource) -> None:
        from .steps import check_steps

        check_steps(source, self.column, f"nr.Steps({self.column!r})")

    def split(self, value: Any) -> list[str] | None:
        """The steps of one value: a text split at `sep`, a list as it is, None for null."""
        from .steps import split_steps

        return split_steps(value, self.sep)

    def to_browser(self, value: Any) -> Any:
        steps = self.split(value)
        return value if steps is None and value is not None else steps


FIELD_KINDS: dict[str, type[Field]] = {
    "text": Text,
    "markdown": Markdown,
    "chat": Chat,
    "steps": Steps,
}


def field_from_spec(spec: dict) -> Field:
    """Rebuild a field from `spec()`, as saved in a store or a dataset card."""
    kind = spec.get("kind", "text")
    if kind not in FIELD_KINDS:
        raise ValueError(f"unknown field kind {kind!r}; known: {sorted(FIELD_KINDS)}")
    extra = {"sep": spec["sep"]} if kind == "steps" and "sep" in spec else {}
    return FIELD_KINDS[kind](spec["column"], **extra)


def fields_to_browser(fields: list[Field], values: Mapping[str, Any]) -> dict[str, Any]:
    """A record's values as the browser gets them: each shown column through its field."""
    out = dict(values)
    for f in fields:
        if f.column in out:
            out[f.column] = f.to_browser(out[f.column])
    return out


def as_field(item: str | Field) -> Field:
    """Accept a bare column name where a Field is expected, as the API allows."""
    if isinstance(item, Field):
        return item
    if isinstance(item, str):
        return Text(item)
    raise ValueError(
        "fields takes column names or nr.Text/nr.Markdown/nr.Chat/nr.Steps, got "
        f"{type(item).__name__}: {item!r}"
    )


_MESSAGE = re.compile(r"^(?P<column>.+)\[(?P<index>-?\d+)\]$")


@dataclass(frozen=True)
class Target:
    """The text a Spans or Edit question works on: a column, or one message of a chat column.

    `"response"` is the column's text; `"messages[-1]"` is the text of the last message of
    the chat in column `messages` (`messages[0]` the first, and so on): `message_text`.
    """

    column: str
    message: int | None = None

    @staticmethod
    def parse(text: str) -> Target:
        if not isinstance(text, str) or not text:
            raise ValueError(f"a target names a column, or a chat message, got {text!r}")
        match = _MESSAGE.match(text)
        if match is None:
            return Target(text)
        return Target(match["column"], int(match["index"]))

    def __str__(self) -> str:
        return self.column if self.message is None else f"{self.column}[{self.message}]"

    def check(self, source: RecordSource, who: str) -> None:
        """A message target needs a chat column with text content, and that message in it."""
        if self.message is not None:
            from .chat import check_message_target

            check_message_target(source, self.column, self.message, who)

    def text(self, record: Mapping[str, Any]) -> str | None:
        """The targeted text of one record, or None when the record does not have it."""
        value = record.get(self.column)
        if self.message is None or value is None:
            return None if value is None else str(value)
        try:
            message = value[self.message]
        except (IndexError, KeyError, TypeError):
            return None
        from .chat import message_text

        return message_text(message) if isinstance(message, Mapping) else None
