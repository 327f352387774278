"""Counts of statuses over the dataset's records: what progress bars and `review.progress` show."""

from __future__ import annotations

from collections import Counter

import pyarrow as pa
import pyarrow.compute as pc

from ..store.base import DONE, STATUSES


def count_statuses(keys: pa.Array | None, status: dict[str, str]) -> Counter:
    """Rows per status, counted over the dataset's keys so stale store entries don't count.

    `keys` may be None when `status` is empty: nothing stored needs no key computed.
    """
    counts: Counter = Counter(dict.fromkeys(STATUSES, 0))
    if keys is None or not len(keys):
        return counts
    for name in counts:
        chosen = [k for k, s in status.items() if s == name]
        if chosen:
            counts[name] = pc.sum(pc.is_in(keys, value_set=pa.array(chosen, pa.string()))).as_py()
    return counts


def progress_counts(total: int, counts: Counter) -> dict[str, int]:
    """total, submitted, skipped and remaining, as `Progress` and the view carry them."""
    done = sum(counts[name] for name in DONE)
    return {
        "total": total,
        "submitted": counts["submitted"],
        "skipped": counts["skipped"],
        "remaining": max(total - done, 0),
    }
