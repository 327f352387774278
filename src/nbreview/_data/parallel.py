"""Work on pieces of a column on every core: Arrow, numpy and xxhash release the GIL.

One pool of a thread per core serves the whole process (a pool made per call cost more
than the work on small pieces). Work already running on the pool runs its own pieces in
its thread: a piece never waits for a free thread that it holds itself.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

Piece = TypeVar("Piece")
Result = TypeVar("Result")

_pool: ThreadPoolExecutor | None = None
_lock = threading.Lock()
_inside = threading.local()  # set in the pool's threads


def _mark() -> None:
    _inside.busy = True


def _shared() -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            workers = os.cpu_count() or 1
            _pool = ThreadPoolExecutor(workers, "nbreview-pieces", initializer=_mark)
        return _pool


def map_pieces(work: Callable[[Piece], Result], pieces: Sequence[Piece]) -> list[Result]:
    """`[work(p) for p in pieces]`, in order, on a thread per core when there are several."""
    if len(pieces) <= 1 or (os.cpu_count() or 1) <= 1 or getattr(_inside, "busy", False):
        return [work(p) for p in pieces]
    return list(_shared().map(work, pieces))
