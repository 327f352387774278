"""Keys already hashed, by row: the rows of stored records, hashed once per dataset.

Hashing a row reads its text; on a memory-mapped dataset the kernel maps the pages around
it into the process (~1 MB a row here), so hashing the 10,000 rows of 10,000 answers again
at every reopen grew a kernel by over a gigabyte. The keys `find` hashed are kept here,
and beside the store between processes (index_cache.py), so a reopen hashes only the rows
of records answered since.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa

WIDTH = 32  # a scheme-2 key: "k2" and 30 hex digits
ENTRY = np.dtype([("row", "<u4"), ("key", f"S{WIDTH}")])


class KnownKeys:
    """Rows (ascending) and their keys (32 ASCII bytes each)."""

    def __init__(self, rows: np.ndarray | None = None, keys: np.ndarray | None = None):
        self.rows = np.zeros(0, np.int64) if rows is None else rows.astype(np.int64)
        self.keys = np.zeros(0, f"S{WIDTH}") if keys is None else keys

    def __len__(self) -> int:
        return len(self.rows)

    def lookup(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(keys at positions, blank where unknown; which positions are unknown)."""
        at = np.searchsorted(self.rows, positions)
        inside = at < len(self.rows)
        known = np.zeros(len(positions), dtype=bool)
        known[inside] = self.rows[at[inside]] == positions[inside]
        keys = np.zeros(len(positions), dtype=f"S{WIDTH}")
        keys[known] = self.keys[at[known]]
        return keys, ~known

    def add(self, positions: np.ndarray, keys: pa.Array) -> None:
        """Remember these rows' keys (scheme-2 keys only: nothing else is 32 bytes wide)."""
        text = np.array(keys.to_pylist(), dtype=f"S{WIDTH}")
        rows = np.concatenate([self.rows, positions.astype(np.int64)])
        both = np.concatenate([self.keys, text])
        order = np.argsort(rows, kind="stable")
        rows, both = rows[order], both[order]
        keep = np.ones(len(rows), dtype=bool)
        keep[1:] = rows[1:] != rows[:-1]
        self.rows, self.keys = rows[keep], both[keep]

    def save(self, path: Path) -> None:
        entries = np.empty(len(self.rows), dtype=ENTRY)
        entries["row"], entries["key"] = self.rows, self.keys
        partial = path.with_name(f"{path.name}.{np.random.randint(1 << 30)}.part")
        try:
            with open(partial, "wb") as f:
                np.save(f, entries)
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)

    @classmethod
    def load(cls, path: Path, rows: int) -> KnownKeys:
        """The kept keys, or none when the file is missing or not of data of `rows` rows."""
        try:
            entries = np.load(path)
        except (OSError, ValueError):
            return cls()
        if entries.dtype != ENTRY or (len(entries) and int(entries["row"].max()) >= rows):
            return cls()
        return cls(entries["row"], entries["key"])


def as_arrow(keys: np.ndarray) -> pa.Array:
    """32-byte keys as an Arrow string array, without a Python object per key."""
    n = len(keys)
    offsets = np.arange(0, WIDTH * (n + 1), WIDTH, dtype=np.int32)
    data = np.ascontiguousarray(keys).view(np.uint8).tobytes()
    return pa.Array.from_buffers(pa.string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(data)])
