"""Counts of statuses over the dataset's records: what progress bars and `review.progress` show."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ..store.base import DONE, STATUSES


def count_statuses(keys: Any, status: dict[str, str]) -> Counter:
    """Rows per status, counted over the dataset's keys so stale store entries don't count.

    `keys` is the review's RecordKeys (only the rows of stored records are hashed: see
    RecordKeys.find), an array of every row's key, or None when `status` is empty.
    """
    counts: Counter = Counter(dict.fromkeys(STATUSES, 0))
    if keys is None or not status:
        return counts
    found = keys if isinstance(keys, pa.Array) else keys.find(status)[1]
    if not len(found):
        return counts
    stored = pa.array(list(status), pa.string())
    index = pc.index_in(found, value_set=stored).drop_null()
    names = pa.array(list(status.values()), pa.string()).take(index)
    for row in pc.value_counts(names).to_pylist():
        if row["values"] in counts:
            counts[row["values"]] += row["counts"]
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
