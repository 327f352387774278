"""What the annotator reads: a column and how to render it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


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


@dataclass(frozen=True)
class Text(Field):
    """Plain text, shown exactly as it is (whitespace kept, never as HTML)."""

    kind: ClassVar[str] = "text"


@dataclass(frozen=True)
class Markdown(Field):
    """GitHub-flavoured markdown, rendered then sanitized."""

    kind: ClassVar[str] = "markdown"


@dataclass(frozen=True)
class Chat(Field):
    """A list of {"role", "content"} messages, shown as a conversation."""

    kind: ClassVar[str] = "chat"


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
