"""Every value's xxh3_128 in one call over its Arrow buffers, when polars-hash is installed.

The `xxhash` package hashes one buffer per call, so a column of a million values costs a
million Python calls and a memoryview each (~3x the hash itself). polars-hash (the
`nbreview[fast]` extra) runs the same XXH3-128 (seeded, big-endian digest, the bytes
`xxhash.xxh3_128_digest` gives) over a whole column in Rust on every core, with no Python
object per value; tests/test_content_keys.py checks the two agree byte for byte.

Importing polars costs what hashing about half a million rows value by value does, so only
passes over many rows use it (every key of a large dataset: `RecordKeys.all`); a record's
view and the rows of stored records keep the per-value loop. Without the extra, or if it
fails, the per-value loop does it all.
"""

from __future__ import annotations

import importlib.util

import numpy as np
import pyarrow as pa

_usable: bool | None = None  # None: not checked yet


def available() -> bool:
    """Whether polars-hash can be imported (checked once, without importing it)."""
    global _usable
    if _usable is None:
        _usable = importlib.util.find_spec("polars_hash") is not None
    return _usable


def digests(payload: pa.Array | pa.ChunkedArray, seed_value: int) -> np.ndarray | None:
    """xxh3_128 of each value's bytes (text as UTF-8), n x 16 uint8; null values give zeros
    (the caller sets their part). None when polars-hash cannot do it."""
    global _usable
    try:
        import polars as pl
        import polars_hash as plh

        frame = pl.DataFrame([pl.from_arrow(payload).alias("v")])
        found = frame.select(
            plh.col("v")
            .nchash.xxh3_128(seed=seed_value, return_binary=True, byte_order="big")
            .fill_null(bytes(16))
        ).to_series()
        return _as_rows(found.to_arrow(), len(payload))
    except Exception:  # an old or broken polars: the per-value loop is always right
        _usable = False
        return None


def _as_rows(found: pa.Array | pa.ChunkedArray, rows: int) -> np.ndarray | None:
    """The 16-byte values of a binary array as an n x 16 array, without a copy per value."""
    if isinstance(found, pa.ChunkedArray):
        found = found.combine_chunks()
    found = found.cast(pa.large_binary())
    if len(found) != rows or found.null_count:
        return None
    offsets = np.frombuffer(found.buffers()[1], dtype=np.int64)[found.offset :][: rows + 1]
    if rows and not (np.diff(offsets) == 16).all():
        return None
    data = np.frombuffer(found.buffers()[2] or b"", dtype=np.uint8)
    return data[offsets[0] : offsets[0] + 16 * rows].reshape(rows, 16)
