"""What the page was last shown of each record: a change from it is stored only over that.

The store checks it in the transaction that writes (store/expect.py), so an answer another
window of the same name stored after this page was shown the record is never replaced by a
change made without seeing it (issue 25, fault 5).
"""

from __future__ import annotations

from typing import Any

from ..store import RecordState

MAX_RECORDS = 32  # the record on screen, those painted ahead, a few just left


class Shown:
    """Record key -> (status, answers) of the last state a view or a write gave the page."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple[str | None, dict[str, Any]]] = {}

    def saw(self, key: str, state: RecordState) -> None:
        self._seen.pop(key, None)
        self._seen[key] = (state.status, dict(state.answers))
        while len(self._seen) > MAX_RECORDS:
            self._seen.pop(next(iter(self._seen)))

    def expect(self, key: str) -> tuple[str | None, dict[str, Any]] | None:
        """What a change to `key` must find stored; None when the page was never shown it."""
        return self._seen.get(key)

    def forget(self, key: str) -> None:
        self._seen.pop(key, None)
