"""A misspelt keyword (`feilds=`, `scael=`, `lables=`) names the closest one it meant.

Python's own "unexpected keyword argument" says what is wrong but not what was meant.
`suggest_keywords` wraps a callable (Review, every question kind's `__init__`) so unknown
keywords are caught before the call, with the nearest known name and the full list.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from difflib import get_close_matches
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class KeywordError(TypeError, ValueError):
    """An unknown keyword: a TypeError as Python raises, and a ValueError like bad input."""


def suggest_keywords(init: F) -> F:
    """A class's `__init__`, refusing unknown keywords with the closest known name (a set
    difference per call; nothing more when every keyword is known)."""
    params = inspect.signature(init).parameters
    if any(p.kind is p.VAR_KEYWORD for p in params.values()):
        return init
    skip = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.POSITIONAL_ONLY)
    known = [n for n, p in list(params.items())[1:] if p.kind not in skip]
    accepted = frozenset(known)

    @functools.wraps(init)
    def checked(self: Any, *args: Any, **kwargs: Any) -> Any:
        unknown = [k for k in kwargs if k not in accepted]
        if unknown:  # named after the class built (a MultiLabel, not the Label it inherits)
            raise KeywordError(_message(f"nr.{type(self).__name__}()", unknown, known))
        return init(self, *args, **kwargs)

    return checked  # type: ignore[return-value]


def _message(owner: str, unknown: list[str], known: list[str]) -> str:
    said = []
    for name in unknown:
        close = get_close_matches(name, known, n=1, cutoff=0.6)
        said.append(f"{name!r} (did you mean {close[0]!r}?)" if close else repr(name))
    noun = "argument" if len(unknown) == 1 else "arguments"
    return (
        f"{owner} got an unexpected keyword {noun} {', '.join(said)}; it takes {', '.join(known)}"
    )
