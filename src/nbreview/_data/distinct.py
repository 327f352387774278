"""Whether an id column holds each value once, fast for the ids datasets really have.

Sequential ids are proved distinct by one comparison pass. Others are hashed to 64 bits
with numpy (short text ids read as fixed-width words, no Python object per id) and sorted:
no two equal hashes proves the ids distinct; a tie (or ids of other shapes) goes to an
exact hash table.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .content_hash import _mix

MAX_WIDTH = 64  # text ids up to this many bytes are hashed by numpy


def all_distinct(ids: pa.Array | pa.ChunkedArray) -> bool:
    """No value twice, for ids without nulls (integers as they are: their keys are one-to-one)."""
    if not (pa.types.is_integer(ids.type) or pa.types.is_string(ids.type)):
        ids = pc.cast(ids, pa.string())
    if len(ids) < 2:
        return True
    if _increasing(ids):
        return True
    hashes = _hashes(ids)
    if hashes is not None:
        ordered = np.sort(hashes)
        if not np.any(ordered[1:] == ordered[:-1]):
            return True
    distinct = len(pc.unique(ids)) == len(ids)
    pa.default_memory_pool().release_unused()  # the hash table (~70 MB a million ids) to the OS
    return distinct


def _increasing(ids: pa.Array | pa.ChunkedArray) -> bool:
    head = min(len(ids), 1024)  # a glance first: most unsorted ids show it at once
    return (
        pc.all(pc.less(ids[: head - 1], ids[1:head])).as_py()
        and pc.all(pc.less(ids[:-1], ids[1:])).as_py()
    )


def _hashes(ids: pa.Array | pa.ChunkedArray) -> np.ndarray | None:
    """A 64-bit hash per id (equal ids, equal hashes), or None for ids numpy cannot read."""
    chunks = ids.chunks if isinstance(ids, pa.ChunkedArray) else [ids]
    if pa.types.is_integer(ids.type):
        return np.concatenate([c.to_numpy().astype(np.int64).view(np.uint64) for c in chunks])
    parts = [_text_hashes(c) for c in chunks if len(c)]
    if any(p is None for p in parts):
        return None
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint64)


def _text_hashes(chunk: pa.Array) -> np.ndarray | None:
    offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int32)
    offsets = offsets[chunk.offset : chunk.offset + len(chunk) + 1]
    lengths = np.diff(offsets)
    width = int(lengths.max())
    if width > MAX_WIDTH:
        return None
    data = np.frombuffer(chunk.buffers()[2], dtype=np.uint8) if width else np.zeros(0, np.uint8)
    words = -(-width // 8) or 1
    padded = np.zeros((len(chunk), words * 8), dtype=np.uint8)
    if width and np.all(lengths == width):  # fixed width: the data buffer is the matrix
        padded[:, :width] = data[offsets[0] : offsets[-1]].reshape(len(chunk), width)
    else:
        starts = offsets[:-1]
        for k in range(width):
            inside = lengths > k
            padded[inside, k] = data[starts[inside] + k]
    state = lengths.astype(np.uint64)
    for word in padded.view("<u8").T:
        state = _mix(state ^ word)
    return state
