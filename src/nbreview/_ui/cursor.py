"""Where one annotator is in the queue: the order, the record shown, the next open one.

It knows statuses and claims, nothing of messages or of what the browser is shown.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from .._data.keys import CHUNK, RecordKeys
from .._data.progress import count_statuses, progress_counts
from ..store import Store
from ..store.base import DONE, STATUSES

BLOCK = 256
FIRST_BLOCK = 16  # keys read first when looking for the next open record: it is nearly always near
CLAIM_TTL = 600.0  # seconds a record stays reserved for the annotator it was handed to


def _open(status: dict[str, str], held: set[str], key: str) -> bool:
    return status.get(key) not in DONE and key not in held


@dataclass(frozen=True)
class Seat:
    """Who works where: the store, the review's name in it, the annotator, and overlap=k."""

    store: Store
    review: str
    annotator: str
    overlap: int | None = None


class Cursor:
    """The queue order, the row on screen, and this annotator's statuses and their counts."""

    def __init__(self, keys: RecordKeys, rows: int, seat: Seat, order: np.ndarray | None):
        self.keys, self.rows, self.seat = keys, rows, seat
        self.status: dict[str, str] = seat.store.statuses(seat.review, seat.annotator)
        self.counts: Counter = count_statuses(keys if self.status else None, self.status)
        self.done = False
        self.held: set[str] = set()  # records this annotator's other windows are on
        self.scope: np.ndarray | None = None  # rows the progress counts, if not every row
        self._last_key: tuple[int | None, str] = (None, "")
        self.set_order(order)

    # -- the queue ---------------------------------------------------------------------------

    def set_order(self, order: np.ndarray | None) -> None:
        """Review these rows in this order (None: every row in dataset order)."""
        self.order = order
        self._inverse: np.ndarray | None = None
        self.position: int | None = self.first_open()
        # Nothing left to answer (or, with overlap, nothing left for this annotator).
        self.done = self.position is not None and self._nothing_open

    def progress(self) -> dict[str, int]:
        """The progress bar's counts: over the dataset, or over the session's scope."""
        if self.scope is None:
            return progress_counts(self.rows, self.counts)
        counts: Counter = Counter(dict.fromkeys(STATUSES, 0))
        for key in self.keys.take(self.scope).to_pylist():  # a few disputed records
            if key in self.status:
                counts[self.status[key]] += 1
        return progress_counts(len(self.scope), counts)

    def queue_len(self) -> int:
        return self.rows if self.order is None else len(self.order)

    def row_at(self, index: int) -> int:
        return index if self.order is None else int(self.order[index])

    def index_of(self, row: int | None) -> int | None:
        """Where a row stands in the queue, or None when the queue does not hold it."""
        if row is None or self.order is None:
            return row
        if self._inverse is None:
            self._inverse = np.full(self.rows, -1, dtype=np.int64)
            self._inverse[self.order] = np.arange(len(self.order))
        index = int(self._inverse[row])
        return None if index < 0 else index

    def keys_at(self, start: int, stop: int) -> list[str]:
        """Keys of queue entries start..stop (at most one chunk of the key cache at a time)."""
        if self.order is None:
            first = (start // CHUNK) * CHUNK
            chunk = self.keys.chunk(start // CHUNK)
            stop = min(stop, first + len(chunk))
            return chunk.slice(start - first, stop - start).to_pylist()
        return self.keys.take(self.order[start:stop]).to_pylist()

    def position_of(self, key: str) -> int | None:
        """The row of a record key, or None (one lookup: undo after a restart, presence)."""
        return self.keys.position_of(key)

    @property
    def key(self) -> str | None:
        return None if self.position is None else self.key_at(self.position)

    def key_at(self, position: int) -> str:
        """A row's record key; the last one asked is kept (a message asks it several times)."""
        if self._last_key[0] != position:
            self._last_key = (position, self.keys.key(position))
        return self._last_key[1]

    # -- statuses ----------------------------------------------------------------------------

    def mark(self, key: str, status: str | None) -> None:
        """A record's status changed in the store: keep the counts in step."""
        old = self.status.get(key)
        if old == status:
            return
        if old is not None:
            self.counts[old] -= 1
        if status is None:
            self.status.pop(key, None)
        else:
            self.status[key] = status
            self.counts[status] += 1

    # -- where to go -------------------------------------------------------------------------

    def _open_from(self, start: int, stop: int) -> int | None:
        """The first queue index in start..stop without a submitted or skipped answer.

        Scans in small blocks: the next open record is nearly always close by.
        """
        status, held, claims = self.status, self.held, self.seat.overlap is not None
        index, size = start, BLOCK if claims else FIRST_BLOCK  # a claim weighs many at once
        while index < stop:
            block = self.keys_at(index, min(stop, index + size))
            if not claims:  # the first open one: no list of them all
                found = next((i for i, k in enumerate(block) if _open(status, held, k)), None)
                if found is not None:
                    return index + found
            else:
                open_ = [i for i, key in enumerate(block) if _open(status, held, key)]
                open_ = self._claim([block[i] for i in open_], open_) if open_ else open_
                if open_:
                    return index + open_[0]
            index, size = index + len(block), BLOCK
        return None

    def candidates(self) -> tuple[list[str], list[int]]:
        """(keys, rows) of the open records just after the one on screen, which a submit is
        about to leave done: what its transaction claims (overlap=k) or moves to (the first).
        None found in the next block: empty, and the session moves as usual after the write."""
        index = self.index_of(self.position)
        if index is None:
            return [], []
        claims, current = self.seat.overlap is not None, self.key
        start = index + 1
        size = BLOCK if claims else FIRST_BLOCK
        keys, rows = [], []
        for offset, key in enumerate(self.keys_at(start, min(self.queue_len(), start + size))):
            if key != current and _open(self.status, self.held, key):
                keys.append(key)
                rows.append(self.row_at(start + offset))
                if not claims:  # the first open one is the next record
                    break
        return keys, rows

    def _claim(self, keys: list[str], offsets: list[int]) -> list[int]:
        """With overlap=k: reserve the first of these records that still needs answers."""
        seat = self.seat
        claimed = seat.store.claim(seat.review, seat.annotator, keys, seat.overlap, CLAIM_TTL)
        return [] if claimed is None else [offsets[keys.index(claimed)]]

    def keep_claim(self) -> None:
        """With overlap=k, keep the record on screen reserved while its annotator stays on it
        (the page's heartbeat, every 30 s, renews the claim well inside CLAIM_TTL)."""
        seat, key = self.seat, self.key
        if seat.overlap is None or key is None or self.status.get(key) in DONE:
            return
        seat.store.claim(seat.review, seat.annotator, [key], seat.overlap, CLAIM_TTL)

    def _visible(self, index: int) -> bool:
        """With overlap=k, records others have filled are not shown unless this annotator
        touched them."""
        seat = self.seat
        if seat.overlap is None:
            return True
        key = self.keys_at(index, index + 1)[0]
        if key in self.status:
            return True
        counts = seat.store.submitted_counts(seat.review, [key], exclude=seat.annotator)
        return counts.get(key, 0) < seat.overlap

    def first_open(self) -> int | None:
        """The row of the first record in queue order without a submitted or skipped answer."""
        n = self.queue_len()
        if n == 0:
            return None
        found = self._open_from(0, n)
        self._nothing_open = found is None
        return self.row_at(0 if found is None else found)

    def next_open(self, after: int) -> int | None:
        """The row of the next open record after queue index `after`, wrapping around once."""
        n = self.queue_len()
        found = self._open_from(after + 1, n)
        if found is None:
            found = self._open_from(0, min(after + 1, n))
        return None if found is None else self.row_at(found)

    def goto(self, position: int) -> None:
        self.position = position
        self.done = False

    def step(self, forward: bool) -> int | None:
        """The row one step along the queue (skipping what overlap hides), or None at an edge."""
        index = self.index_of(self.position)
        step = 1 if forward else -1
        # From a row outside the queue, → steps back into it at its start.
        target = (0 if forward else None) if index is None else index + step
        while target is not None and 0 <= target < self.queue_len() and not self._visible(target):
            target += step
        if target is None or not 0 <= target < self.queue_len():
            return None
        return self.row_at(target)

    def upcoming(self, count: int, open_only: bool) -> list[int]:
        """Rows the next few Enter (open_only) or → presses would show, for the browser to
        paint ahead of the kernel; none with overlap=k, where claims decide."""
        index = self.index_of(self.position)
        if self.seat.overlap is not None or index is None:
            return []
        rows: list[int] = []
        start = index + 1
        while len(rows) < count and start < self.queue_len():
            block = self.keys_at(start, min(self.queue_len(), start + BLOCK))
            for offset, key in enumerate(block):
                if not open_only or (self.status.get(key) not in DONE and key not in self.held):
                    rows.append(self.row_at(start + offset))
                    if len(rows) == count:
                        break
            start += len(block)
        return rows

    def advance(self) -> None:
        """After a submit or skip: the next open record, or done when there is none."""
        index = self.index_of(self.position)
        following = self.next_open(-1 if index is None else index)
        if following is None or following == self.position:
            self.done = True
        else:
            self.position = following
            self.done = False
