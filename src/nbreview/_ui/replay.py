"""Messages a page sent while the store failed: each change lands on the record it was made on.

After a message that could not be stored (a submit, say), the page shows the record the
kernel stayed on, and the reviewer may change that record again. Those changes wait behind
the failed message and are resent after it; by then the resent submit has moved the cursor
on. A resent change naming a record this view was shown while its messages waited goes
back to that record instead of being refused as "for another record" (issue 25, fault 4).
"""

from __future__ import annotations

MAX_KEYS = 16  # records remembered per view while its messages wait


class Replay:
    """Per view: the records it was shown while its messages waited, up to which seq."""

    def __init__(self) -> None:
        self._shown: dict[str, dict[str, int]] = {}  # view -> record key -> row position
        self._upto: dict[str, int] = {}  # view -> the highest seq seen while it waited

    def waited(self, view: str, seq: int | None, key: str | None, position: int | None) -> None:
        """A message of `view` was not stored, or waits behind one: its page shows `key`."""
        if seq is None:
            return
        self._upto[view] = max(self._upto.get(view, 0), seq)
        if key is not None and position is not None:
            shown = self._shown.setdefault(view, {})
            shown[key] = position
            while len(shown) > MAX_KEYS:
                shown.pop(next(iter(shown)))

    def position(self, view: str, seq: int | None, key: str) -> int | None:
        """The row a resent change to `key` belongs to, when it was made while messages
        waited and the view was shown `key` then; else None (the usual refusal stands)."""
        if seq is None or seq > self._upto.get(view, 0):
            return None
        return self._shown.get(view, {}).get(key)

    def handled(self, view: str, seq: int | None) -> None:
        """Every message sent while the view waited is stored: forget what it was shown."""
        if seq is not None and seq >= self._upto.get(view, 1 << 62):
            self._upto.pop(view, None)
            self._shown.pop(view, None)
