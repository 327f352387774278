"""Acknowledgements per browser view: each message is handled once, in order, or not at all.

A view (one rendering of the widget: a tab, a reload) numbers its messages 1, 2, 3 … and
resends, with the same numbers, the ones the kernel has not acknowledged. `ack` is the
last number handled; a message is handled only when it is the next one, so a message
that could not be stored holds every later one until it is resent and stored, and a
number far ahead is refused without moving the ack.
"""

from __future__ import annotations

from collections import OrderedDict

MAX_VIEWS = 16  # views remembered; a page reloaded many times forgets the oldest
DEFAULT = ""  # the view of messages that name none (scripts, tests)


class Channels:
    """The ack of each view, and which view spoke last."""

    def __init__(self) -> None:
        self._acks: OrderedDict[str, int] = OrderedDict()
        self.last = DEFAULT

    def ack(self, view: str | None = None) -> int:
        return self._acks.get(self.last if view is None else view, 0)

    def acks(self) -> dict[str, int]:
        return dict(self._acks)

    def verdict(self, view: str, seq: int) -> str:
        """ "next" to handle it, "again" for one already handled, "ahead" for a gap."""
        self.last = view
        ack = self._acks.get(view, 0)
        if seq <= ack:
            return "again"
        return "next" if seq == ack + 1 else "ahead"

    def handled(self, view: str, seq: int) -> None:
        self._acks[view] = seq
        self._acks.move_to_end(view)
        while len(self._acks) > MAX_VIEWS:
            self._acks.popitem(last=False)
