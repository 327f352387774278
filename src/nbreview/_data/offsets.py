"""Text offsets between the browser and Python: the one place they are converted.

Spans over a whole chat (with a `message` index) convert per message, each with its own
text. The browser indexes strings in UTF-16 code units (a character outside the Basic
Multilingual Plane, such as most emoji, takes two); Python indexes code points. Stores,
columns and `Spans` answers hold code points, so that `text[start:end]` is the span; the
session converts at its boundary with the browser through these functions.
"""

from __future__ import annotations

import numbers
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from typing import Any

# Code points that UTF-16 encodes as a surrogate pair.
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class OffsetError(ValueError):
    """A UTF-16 offset that falls between the two halves of a surrogate pair."""


class OffsetMap:
    """Both conversions for one text, after a single scan for its astral code points."""

    def __init__(self, text: str):
        self.text = text
        self._astral = [m.start() for m in _ASTRAL.finditer(text)]  # code point indices
        # UTF-16 index just past each astral character: its code point index + 1 + its rank.
        self._ends16 = [i + k + 2 for k, i in enumerate(self._astral)]
        self.utf16_length = len(text) + len(self._astral)

    def to_utf16(self, i: int) -> int:
        """The UTF-16 offset of code point offset `i` (past the end, both grow alike)."""
        return i + bisect_left(self._astral, i)

    def to_codepoint(self, u: int) -> int:
        """The code point offset of UTF-16 offset `u`; raises OffsetError inside a pair."""
        before = bisect_right(self._ends16, u)  # astral characters that end at or before u
        if before < len(self._ends16) and self._ends16[before] - 1 == u:
            char = self.text[self._astral[before]]
            raise OffsetError(f"UTF-16 offset {u} falls inside the character {char!r}")
        return u - before


def codepoint_to_utf16(text: str, i: int) -> int:
    """Code point offset -> UTF-16 code unit offset, for the browser."""
    return OffsetMap(text).to_utf16(i)


def utf16_to_codepoint(text: str, u: int) -> int:
    """UTF-16 code unit offset (from the browser) -> code point offset."""
    return OffsetMap(text).to_codepoint(u)


def _convert(spans: Any, convert) -> Any:
    """Convert the start/end of every span dict; anything else passes through for validation."""
    if isinstance(spans, (str, bytes)) or not isinstance(spans, Iterable):
        return spans
    out = []
    for span in spans:
        if isinstance(span, Mapping):
            span = dict(span)
            for edge in ("start", "end"):
                value = span.get(edge)
                if isinstance(value, numbers.Integral) and not isinstance(value, bool):
                    span[edge] = convert(int(value))
        out.append(span)
    return out


def spans_to_utf16(text: str, spans: Any) -> Any:
    """A list of {start, end, ...} in code points -> the same in UTF-16 units."""
    return _convert(spans, OffsetMap(text).to_utf16)


def spans_to_codepoint(text: str, spans: Any) -> Any:
    """A list of {start, end, ...} in UTF-16 units -> code points (OffsetError inside a pair)."""
    return _convert(spans, OffsetMap(text).to_codepoint)


def _per_message(texts: list[str], spans: Any, to_browser: bool) -> Any:
    """Convert spans over a whole chat, each with the map of its own message's text."""
    if isinstance(spans, (str, bytes)) or not isinstance(spans, Iterable):
        return spans
    maps: dict[int, OffsetMap] = {}
    out = []
    for span in spans:
        at = span.get("message") if isinstance(span, Mapping) else None
        whole = isinstance(at, numbers.Integral) and not isinstance(at, bool)
        if not whole or not 0 <= at < len(texts):
            out.append(span)  # validation names what is wrong with it
            continue
        offsets = maps.setdefault(int(at), OffsetMap(texts[int(at)]))
        convert = offsets.to_utf16 if to_browser else offsets.to_codepoint
        [converted] = _convert([span], convert)
        out.append(converted)
    return out


def chat_spans_to_utf16(texts: list[str], spans: Any) -> Any:
    """Spans with a `message` index, in code points of that message's text -> UTF-16 units."""
    return _per_message(texts, spans, to_browser=True)


def chat_spans_to_codepoint(texts: list[str], spans: Any) -> Any:
    """Spans with a `message` index, in UTF-16 units of that message's text -> code points."""
    return _per_message(texts, spans, to_browser=False)
