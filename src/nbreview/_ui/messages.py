"""Browser messages checked field by field before anything acts on them.

A message comes from a page the kernel does not control: every field is checked for its
type and size here, and a refused one is named without echoing its value in full.
"""

from __future__ import annotations

import json
import math
import reprlib
from dataclasses import dataclass
from typing import Any

from .channels import DEFAULT

RECORD_TYPES = ("answer", "accept", "submit", "skip")
TYPES = (*RECORD_TYPES, "nav", "queue", "queue_page", "undo", "similar")
MAX_SEQ = 2**53  # what a JavaScript number counts exactly
MAX_ELAPSED_MS = 6 * 3600 * 1000  # more than six hours on one record is a clock gone wrong
MAX_VALUE_CHARS = 2_000_000  # an answer's JSON; a whole book is fewer characters
MAX_TEXT = 1_000  # a search text, a view id
MAX_NOTICE = 300

_short = reprlib.Repr()
_short.maxstring = 40
_short.maxother = 40
_short.maxlist = _short.maxdict = 4


def short(value: Any) -> str:
    """A value as a notice may quote it: a few dozen characters at most."""
    return _short.repr(value)


def clip(text: str) -> str:
    """A notice's text, cut short: a refused value must not come back in full."""
    return text if len(text) <= MAX_NOTICE else text[: MAX_NOTICE - 1] + "…"


class Refused(ValueError):
    """A message the kernel will not act on; nothing was changed."""


@dataclass(frozen=True)
class Message:
    """A checked browser message (docs/protocol.md, "Messages")."""

    type: str
    seq: int | None
    view: str
    seconds: float
    body: dict


def _number(name: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Refused(f"{name} must be a whole number from {low} to {high}, got {short(value)}")
    return value


def _text(name: str, value: Any, optional: bool = True) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise Refused(f"{name} must be a text of at most {MAX_TEXT} characters, got {short(value)}")
    return value


def _elapsed(value: Any) -> float:
    if value is None:
        return 0.0
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Refused(f"elapsed_ms must be a number of milliseconds, got {short(value)}")
    if isinstance(value, int):  # a whole number past any float (10**400) is just "too long"
        value = min(value, MAX_ELAPSED_MS)
    if not math.isfinite(value):
        raise Refused(f"elapsed_ms must be a number of milliseconds, got {short(value)}")
    return min(max(0.0, float(value)), MAX_ELAPSED_MS) / 1000


def _value(value: Any) -> Any:
    if value is None or isinstance(value, bool) or (isinstance(value, int) and abs(value) < 2**63):
        return value  # a rating, a choice's index: nothing to measure
    if isinstance(value, str) and 6 * len(value) + 2 <= MAX_VALUE_CHARS:
        return value  # even with every character escaped, within the limit
    try:
        size = len(json.dumps(value, ensure_ascii=False))
    except (TypeError, ValueError):
        raise Refused("the answer is not a JSON value") from None
    if size > MAX_VALUE_CHARS:
        raise Refused(f"the answer is too large ({size:,} characters; at most {MAX_VALUE_CHARS:,})")
    return value


def _body(kind: str, message: dict, rows: int) -> dict:
    """The fields of one message type, each checked; the rest of the message is ignored."""
    if kind in RECORD_TYPES:
        key = message.get("key")
        if not isinstance(key, str) or len(key) > MAX_TEXT:
            raise Refused(f"key must be the record's key, got {short(key)}")
        body: dict[str, Any] = {"key": key}
        if kind == "answer":
            question = message.get("question")
            if not isinstance(question, str) or len(question) > MAX_TEXT:
                raise Refused(f"question must be a question's name, got {short(question)}")
            submit = message.get("submit", False)
            if not isinstance(submit, bool):
                raise Refused(f"submit must be true or false, got {short(submit)}")
            body.update(question=question, value=_value(message.get("value")), submit=submit)
        return body
    if kind == "nav":
        to = message.get("to")
        if to in ("next", "prev"):
            return {"to": to}
        return {"to": _number("nav to", to, 0, max(rows - 1, 0))}
    if kind == "queue":
        return {"search": _text("search", message.get("search")), "status": message.get("status")}
    if kind == "queue_page":
        start = message.get("start")
        return {"start": None if start is None else _number("start", start, 0, MAX_SEQ)}
    return {}


def header(message: Any) -> tuple[int | None, str]:
    """(seq, view) of a message: what its acknowledgement needs, checked first."""
    if not isinstance(message, dict):
        raise Refused(f"a message is an object, got {type(message).__name__}")
    seq = message.get("seq")
    seq = None if seq is None else _number("seq", seq, 1, MAX_SEQ)
    return seq, _text("view", message.get("view")) or DEFAULT


def parse(message: dict, rows: int, head: tuple[int | None, str] | None = None) -> Message:
    """Check a browser message; `Refused` names the first field that is wrong. `head`: its
    `header()`, when the caller has checked it already."""
    seq, view = header(message) if head is None else head
    kind = message.get("type")
    if kind not in TYPES:
        raise Refused(f"unknown message type {short(kind)}")
    seconds = _elapsed(message.get("elapsed_ms"))
    return Message(kind, seq, view, seconds, _body(kind, message, rows))
