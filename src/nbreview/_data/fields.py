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


FIELD_KINDS: dict[str, type[Field]] = {"text": Text, "markdown": Markdown, "chat": Chat}


def field_from_spec(spec: dict) -> Field:
    """Rebuild a field from `spec()`, as saved in a store or a dataset card."""
    kind = spec.get("kind", "text")
    if kind not in FIELD_KINDS:
        raise ValueError(f"unknown field kind {kind!r}; known: {sorted(FIELD_KINDS)}")
    return FIELD_KINDS[kind](spec["column"])


def as_field(item: str | Field) -> Field:
    """Accept a bare column name where a Field is expected, as the API allows."""
    if isinstance(item, Field):
        return item
    if isinstance(item, str):
        return Text(item)
    raise ValueError(
        f"fields takes column names or nr.Text/nr.Markdown/nr.Chat, got {type(item).__name__}: "
        f"{item!r}"
    )


_MESSAGE = re.compile(r"^(?P<column>.+)\[(?P<index>-?\d+)\]$")


@dataclass(frozen=True)
class Target:
    """The text a Spans or Edit question works on: a column, or one message of a chat column.

    `"response"` is the column's text; `"messages[-1]"` is the content of the last message
    of the chat in column `messages` (`messages[0]` the first, and so on).
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
        content = message.get("content") if isinstance(message, Mapping) else None
        return None if content is None else str(content)
