"""`review.suggest(fn, ...)`: a callable's suggestions for many rows ahead of time.

Resumable: rows whose suggestions under this name are stored are skipped (unless
`overwrite`), and batches are stored as they come, a few thousand rows per transaction, so
an interrupted run keeps what it finished. Failed batches and invalid values are warned
about (one warning each, with the count and an example) and counted in the result.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .suggest import BatchFailed, Tally, make, outcomes

if TYPE_CHECKING:
    from ..review import Review

FLUSH = 4096  # suggestion rows stored per transaction
PER_CALL = 128  # rounds of batches read and handed to the callable's thread together: each
# hand-off is two thread wake-ups, milliseconds each on a busy machine


def fill(
    review: Review,
    fn: Callable,
    rows: Sequence[int] | None = None,
    *,
    name: str | None = None,
    overwrite: bool = False,
    **options: Any,
) -> pd.DataFrame:
    s = make(review.questions, fn, name=name, **options)
    positions = _rows(review, rows)
    if not overwrite and len(positions):
        positions = _not_done(review, s.name, positions)
    tally, pending = Tally(), []
    with _bar(len(positions), s.name) as bar, _Writer(review, s.name, overwrite) as writer:
        for batch, _, outcome in outcomes(review, s, positions.tolist(), per_call=PER_CALL):
            tally.add(s, batch, outcome)
            if not isinstance(outcome, BatchFailed):
                pending += outcome.rows
            if len(pending) >= FLUSH:
                writer.put(pending)
                pending = []
            bar.update(len(batch))
        writer.put(pending)
    _warn(tally)
    names = [q.name for q in s.questions]
    counts = {k: [getattr(tally, k)[n] for n in names] for k in ("suggested", "invalid", "failed")}
    return pd.DataFrame({"question": names, **counts}).astype(
        {"suggested": "int64", "invalid": "int64", "failed": "int64"}
    )


class _Writer:
    """Stores rows in a thread of its own, one transaction at a time, while the next
    batches are read and called (SQLite leaves the GIL while it writes). At most one write
    is in flight; its error is raised at the next put or on leaving, and leaving waits for
    it: each transaction is whole, and what returns is stored."""

    def __init__(self, review: Review, name: str, overwrite: bool):
        self.store, self.review = review.store, review.name
        self.name, self.overwrite = name, overwrite
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="nbreview-store")
        self.flight: Future | None = None

    def put(self, rows: list) -> None:
        self._wait()
        if rows:
            args = (self.review, self.name, rows, self.overwrite)
            self.flight = self.pool.submit(self.store.put_suggestions, *args)

    def _wait(self) -> None:
        flight, self.flight = self.flight, None
        if flight is not None:
            flight.result()

    def __enter__(self) -> _Writer:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._wait()
        finally:
            self.pool.shutdown(wait=True)


def _rows(review: Review, rows: Sequence[int] | None) -> np.ndarray:
    if rows is None:
        return np.arange(len(review.source), dtype=np.int64)
    if isinstance(rows, (str, bytes)) or not hasattr(rows, "__iter__"):
        raise ValueError(f"rows takes a list of row positions, got {rows!r}")
    checked = [review.source.check_position(r) for r in rows]
    return np.array(list(dict.fromkeys(checked)), dtype=np.int64)


def _not_done(review: Review, name: str, positions: np.ndarray) -> np.ndarray:
    """The positions whose records callable `name` was not asked about, matched in Arrow."""
    keys = review.keys.take(positions)
    done = review.store.suggested(review.name, name, keys.to_pylist())
    if not done:
        return positions
    asked = pc.is_in(keys, value_set=pa.array(list(done), pa.string()))
    return positions[~asked.to_numpy(zero_copy_only=False)]


def _bar(total: int, name: str):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=f"suggest {name}", unit="rows", leave=True)


def _warn(tally: Tally) -> None:
    if tally.failures:
        more = f" (and {len(tally.failures) - 1} more)" if len(tally.failures) > 1 else ""
        warnings.warn(
            f"suggestions failed for {len(tally.failures)} batch(es), nothing of them stored: "
            f"{tally.failures[0]}{more}",
            stacklevel=3,
        )
    if tally.invalid:
        n = sum(tally.invalid.values())
        warnings.warn(f"{n} invalid suggestion(s) dropped, e.g. {tally.example}", stacklevel=3)
