"""One annotator open in two places (tabs, kernels): each window holds the record it is on.

A window is a seat in the store (store.take_seat). The record a seat holds is passed over
when another window of the same name looks for its next record, and an answer to it from
another window is refused with a notice: nothing is ever superseded silently.
"""

from __future__ import annotations

import atexit
import contextlib
import time
import uuid
import weakref
from typing import TYPE_CHECKING

from ..store import StoreUnavailable
from ..store.base import DONE

if TYPE_CHECKING:
    from .session import Session

SEAT_TTL = 150.0  # seconds a seat outlives its page's last message (pages beat every 30 s)
REFRESH = 10.0  # between changes of record, ask the store who else is here at most this often
MAX_MOVES = 20  # records passed over when a window opens on a record another one holds
# Windows whose seats the process gives up when it exits. Weak: in `marimo run` every
# visitor's session lives in the server's one process, and must not be kept alive by this.
SEATED: weakref.WeakSet[Presence] = weakref.WeakSet()


@atexit.register
def _leave_all() -> None:
    for presence in list(SEATED):
        presence.leave()


def places_text(labels: list[str]) -> str:
    """ "record 12", "records 3 and 12", "records 1, 3 and 12", "record 2 and row 40"."""
    numbers = [label.removeprefix("record ") for label in labels]
    if len(labels) > 1 and all(label.startswith("record ") for label in labels):
        numbers.sort(key=lambda n: int(n) if n.isdigit() else 0)
        labels = ["records " + numbers[0], *numbers[1:]]
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"


class Presence:
    """This window's seat: the record it holds and the other windows of the same name."""

    def __init__(self, session: Session, seat: str | None = None):
        self.session = session
        review = session.review
        self.where = (review.store, review.name, review.annotator)
        self.seat = seat or uuid.uuid4().hex  # the browser tab's id, once the page has said it
        self.others: dict[str, str | None] = {}  # other seat -> the record it holds
        self.holding: str | None = None  # the record this seat holds
        self.blocked: str | None = None  # the record on screen, held by another window
        self.enabled = True
        self.moved = False  # whether join() passed over records other windows held
        self._moving = False  # whether the change being handled moves on from a held record
        self._pass = False  # whether a submit's transaction moved to a record to pass over
        self._asked = self._synced = -1e18
        self._labels: dict = {}  # record key -> its label, under None: the queue order
        session.hold, session.presence = self.guard, self
        SEATED.add(self)

    # -- the store ---------------------------------------------------------------------------

    def _take(self, key: str | None) -> bool:
        """Hold `key` for this seat; False when another window of this name holds it."""
        store, review, annotator = self.where
        try:
            others = store.take_seat(review, annotator, self.seat, key, SEAT_TTL)
        except NotImplementedError:  # a store of another kind, without seats
            self.enabled = False
            return True
        return self.seated(key, others)

    def seated(self, key: str | None, others: dict[str, str | None], moved: bool = False) -> bool:
        """The store's answer to this seat taking `key` (alone, or in the transaction of a
        submit that `moved` to it: store.Move): the other windows, and whether the record is
        this window's. A submit moved to one another window holds, or has answered, is
        passed over after the message (update)."""
        self._asked = time.monotonic()
        if others and (others != self.others or self._asked - self._synced > REFRESH):
            self._sync()
        self.others = others
        self.session.cursor.held = {r for r in others.values() if r is not None}
        granted = key is None or key not in self.session.cursor.held
        self.holding = key if granted else None
        self.blocked = None if granted else key
        self._pass = moved and (not granted or self.session.cursor.status.get(key) in DONE)
        return granted

    def _sync(self) -> None:
        """Statuses the other windows stored (read only while there are others): the next
        open record here is one no window of this name has answered."""
        store, review, annotator = self.where
        stored = store.statuses(review, annotator)
        cursor = self.session.cursor
        for key in set(stored) | set(cursor.status):
            if stored.get(key) != cursor.status.get(key):
                cursor.mark(key, stored.get(key))
        self.session.views.forget()
        self._synced = time.monotonic()

    def join(self) -> None:
        """The first seat: a record another window holds is passed over for the next open one."""
        cursor = self.session.cursor
        for _ in range(MAX_MOVES):
            if self._take(cursor.key) or cursor.done or not self.enabled:
                return
            cursor.advance()
            self.moved = True  # the record the window would have opened on was taken

    def adopt(self, tab: str, fresh: bool) -> None:
        """The page said which browser tab it is: seat as that tab from now on.

        A reloaded page so replaces the seat its previous page left behind (Voilà closes a
        page's line before the page can say goodbye) instead of meeting it as another
        window. Before the page's first message (`fresh`), the window opens again where a
        new one would, with the old page out of the way.
        """
        prefix = f"{tab}."
        if self.seat.startswith(prefix) or not self.enabled:
            return
        self.leave(final=False)
        self.seat = prefix + uuid.uuid4().hex[:12]
        store, review, annotator = self.where
        with contextlib.suppress(StoreUnavailable):
            for seat in store.take_seat(review, annotator, self.seat, None, SEAT_TTL):
                if seat.startswith(prefix):  # this tab's earlier page
                    store.leave_seat(review, annotator, seat)
            self._take(None)
            if fresh:
                cursor = self.session.cursor
                if self.moved:  # passed over a seat that may be this tab's own: open anew
                    self.moved = False
                    cursor.set_order(cursor.order)
                self.join()  # a record chosen from code (review.position = …) stays
            else:
                self.update(force=True)

    def guard(self, key: str, moving: bool = True) -> None:
        """Before a change to `key`: refuse it while another window of this name holds it.

        A record this window did not hold when its view was made (it was another window's,
        or this seat had lapsed) may have been answered meanwhile, when another window of
        this name is or was about: the first change to it is refused too, and the view
        shows what is stored now. A change that stays on a record this seat holds (`moving`
        false: a draft) asks the store nothing: no other window can hold that record.
        """
        if not self.enabled:
            return
        name = self.where[2]
        lapsed = time.monotonic() - self._asked >= SEAT_TTL - 5
        held = self.holding == key and not lapsed
        if held:  # a live seat holds it, so no other window of this name can; a change that
            self._moving = moving  # moves on asks who is where after it (update: _pass_over)
            return
        others_before = bool(self.others)
        if not self._take(key):
            raise ValueError(
                f"{name} is reviewing this record in another window: this change was not "
                "saved here (answer it there, or go on to another record)"
            )
        # Alone all along (undo of the record just left, say), nobody else can have changed it.
        if not held and (others_before or self.others or lapsed):
            raise ValueError(
                f"This record was just with {name}'s other window: it now shows what is "
                "stored, and nothing was changed here; answer again to change it"
            )

    def update(self, force: bool = False) -> None:
        """After a message or a heartbeat: hold the record on screen, see who else is here."""
        moving, self._moving = self._moving, False
        if not self.enabled or self.session.fault is not None:
            return  # the store is failing: the session says so, and waiting twice helps no one
        key = self.session.cursor.key
        fresh = time.monotonic() - self._asked < REFRESH
        passed, self._pass = self._pass, False
        if not force and fresh and key in (self.holding, self.blocked) and not passed:
            return
        with contextlib.suppress(StoreUnavailable):  # the session reports store faults
            self._take(key)
            if moving or passed:
                self._pass_over()

    def _pass_over(self) -> None:
        """After a change moved on (the seat asked nothing before it): past a record another
        window holds, or has answered (learnt only now), as join() passes over at opening."""
        cursor = self.session.cursor
        for _ in range(MAX_MOVES):
            key = cursor.key
            if not self.enabled or cursor.done or key is None:
                return
            if self.holding == key and cursor.status.get(key) not in DONE:
                return
            cursor.advance()
            self._take(cursor.key)

    def leave(self, final: bool = True) -> None:
        """Give the seat up: the page closed (its heartbeat takes it again if it comes back),
        the widget closed or the kernel stops (final)."""
        if final:
            SEATED.discard(self)
            if self.session.presence is self:
                self.session.presence = None
        self.holding, self._asked = None, -1e18
        store, review, annotator = self.where
        with contextlib.suppress(Exception):  # the store may be closed or gone by now
            store.leave_seat(review, annotator, self.seat)

    # -- what the page is told ---------------------------------------------------------------

    def label(self, key: str | None) -> str | None:
        """How this window names a record: "record 12" in its queue, else "row 40"."""
        if key is None:
            return None
        cursor = self.session.cursor
        if self._labels.get(None) is not cursor.order:  # another queue: other numbers
            self._labels = {None: cursor.order}
        if key not in self._labels:
            row = cursor.position_of(key)
            index = None if row is None else cursor.index_of(row)
            self._labels[key] = (
                "a record this data does not hold"
                if row is None
                else f"record {index + 1}"
                if index is not None
                else f"row {row + 1}"
            )
        return self._labels[key]

    def told(self) -> dict:
        """For the page: how many other windows, where they are, whether this record is theirs."""
        name = self.where[2]
        if not self.enabled or not self.others:
            return {"windows": 0, "elsewhere": None, "blocked": False}
        places = [p for p in (self.label(key) for key in self.others.values()) if p]
        count = "another window" if len(self.others) == 1 else f"{len(self.others)} other windows"
        text = f"{name} is also reviewing in {count}" + (
            f", on {places_text(places)}" if places else ""
        )
        one = len(self.others) == 1
        text += (
            (" (kept for that window)." if one else " (kept for those windows).") if places else "."
        )
        if self.blocked is not None:
            text = (
                f"{name} is reviewing this record in another window: a change to it here "
                "is not saved."
            )
        return {"windows": len(self.others), "elsewhere": text, "blocked": self.blocked is not None}
