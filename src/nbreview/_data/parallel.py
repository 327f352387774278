"""Work on pieces of a column on every core: Arrow and numpy release the GIL while they run."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

Piece = TypeVar("Piece")
Result = TypeVar("Result")


def map_pieces(work: Callable[[Piece], Result], pieces: Sequence[Piece]) -> list[Result]:
    """`[work(p) for p in pieces]`, in order, on a thread per core when there are several."""
    workers = min(len(pieces), os.cpu_count() or 1)
    if workers <= 1:
        return [work(p) for p in pieces]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(work, pieces))
