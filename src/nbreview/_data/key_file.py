"""Every row's content key, sorted, in a file read a few kilobytes at a time.

Finding the rows of stored records by hashing their text maps those rows' pages (and the
kernel maps up to 64 KB around each one): 10,000 answers on a memory-mapped dataset grew a
kernel by ~1.2 GB. This file holds each row's key in binary (its 32-bit signature and the
first 11 bytes of its digest), sorted, with the row it is on, so a later process finds the
rows of any keys without reading the data at all:

    magic, rows, BLOCK, fence count | fence: the first `hi` of every BLOCK entries |
    entries sorted by (hi, rest): hi = signature << 32 | digest[0:4], rest = digest[4:11], row

Only the small fence is read whole; the entries are read with `pread` in the blocks the
wanted keys fall in, never mapped, so what a lookup reads does not stay in the process.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import content_hash as ch

MAGIC = b"NBRKEYS1"
BLOCK = 128  # entries per fence post: a lookup reads 2.5 KB
RUN = 8192  # blocks matched at once when many are wanted (20 MB)
ENTRY = np.dtype([("hi", "<u8"), ("rest", "<u8"), ("row", "<u4")])  # 20 bytes, packed
HEADER = np.dtype([("magic", "S8"), ("rows", "<u8"), ("block", "<u8"), ("fence", "<u8")])


def split(signature: np.ndarray, digest: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(hi, rest) of keys given as signatures (uint32) and digests (n x >=11 uint8)."""
    head = digest[:, :4].copy().view(">u4").ravel().astype(np.uint64)
    tail = np.zeros((len(digest), 8), dtype=np.uint8)
    tail[:, :7] = digest[:, 4:11]
    hi = (signature.astype(np.uint64) << np.uint64(32)) | head
    return hi, tail.view(">u8").ravel().astype(np.uint64)


def parse(keys: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(which of `keys`, hi, rest) for the scheme-2 keys among them (others left out)."""
    valid = pc.fill_null(pc.match_substring_regex(keys, "^k2[0-9a-fA-F]{30}$"), False)
    which = np.flatnonzero(np.asarray(valid.to_numpy(zero_copy_only=False), dtype=bool))
    if not len(which):
        empty = np.zeros(0, dtype=np.uint64)
        return which, empty, empty
    chosen = keys.take(pa.array(which))
    text = pc.utf8_slice_codeunits(chosen, 2, 32)
    offsets = ch._offsets(text)
    data = np.frombuffer(text.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
    nibbles = ch._NIBBLE[data.reshape(len(which), 30)]
    raw = (nibbles[:, 0::2] << 4) | nibbles[:, 1::2]  # 15 bytes: signature, then digest
    signature = raw[:, :4].copy().view(">u4").ravel().astype(np.uint32)
    hi, rest = split(signature, raw[:, 4:])
    return which, hi, rest


def write(path: Path, signature: np.ndarray, digest: np.ndarray) -> None:
    """Write the file for every row's signature and digest, in row order (atomically)."""
    rows = len(signature)
    hi, rest = split(signature, digest)
    order = np.lexsort((rest, hi))
    entries = np.empty(rows, dtype=ENTRY)
    entries["hi"], entries["rest"] = hi[order], rest[order]
    entries["row"] = order.astype(np.uint32)
    fence = entries["hi"][::BLOCK].copy()
    header = np.array([(MAGIC, rows, BLOCK, len(fence))], dtype=HEADER)
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")
    try:
        with open(partial, "wb") as f:
            f.write(header.tobytes())
            f.write(fence.astype("<u8").tobytes())
            f.write(entries.tobytes())
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


class KeyFile:
    """An open key file: the fence in memory, entries read on demand."""

    def __init__(self, path: Path, rows: int, fence: np.ndarray, start: int):
        self.path, self.rows, self.fence, self.start = path, rows, fence, start

    @classmethod
    def open(cls, path: Path, rows: int) -> KeyFile | None:
        """The file at `path` if it holds the keys of `rows` rows, else None."""
        try:
            with open(path, "rb") as f:
                header = np.frombuffer(f.read(HEADER.itemsize), dtype=HEADER)
                if len(header) != 1 or header["magic"][0] != MAGIC:
                    return None
                if int(header["rows"][0]) != rows or int(header["block"][0]) != BLOCK:
                    return None
                count = int(header["fence"][0])
                fence = np.frombuffer(f.read(8 * count), dtype="<u8")
                size = os.fstat(f.fileno()).st_size
        except OSError:
            return None
        start = HEADER.itemsize + 8 * count
        if len(fence) != count or count != -(-rows // BLOCK) or size != start + rows * 20:
            return None
        return cls(path, rows, fence.astype(np.uint64), start)

    def find(self, keys: pa.Array) -> tuple[np.ndarray, pa.Array]:
        """(rows ascending, their keys) of every row whose key is one of `keys` (unique)."""
        which, hi, rest = parse(keys)
        if not len(which) or not self.rows:
            return np.zeros(0, dtype=np.int64), pa.array([], type=pa.string())
        by_hi = np.argsort(hi, kind="stable")
        which, hi, rest = which[by_hi], hi[by_hi], rest[by_hi]
        first = np.maximum(np.searchsorted(self.fence, hi, side="left") - 1, 0)
        last = np.maximum(np.searchsorted(self.fence, hi, side="right") - 1, 0)
        blocks = np.unique(np.concatenate([first, last, *_between(first, last)]))
        found_rows, found_which = [], []
        pending: list[np.ndarray] = []  # blocks read, not yet matched

        def match() -> None:  # the blocks read so far, in one vectorized pass
            entries = np.concatenate(pending)
            pending.clear()
            low = np.searchsorted(hi, entries["hi"][0], side="left")
            high = np.searchsorted(hi, entries["hi"][-1], side="right")
            rows, at = _matches(entries, hi[low:high], rest[low:high])
            found_rows.append(rows)
            found_which.append(which[low:high][at])

        with open(self.path, "rb") as f:
            read = 0
            for first_block, last_block in _runs(blocks):
                pending.append(self._read(f, first_block, last_block))
                read += len(pending[-1])
                if read >= RUN * BLOCK:
                    match()
                    read = 0
            if pending:
                match()
        rows = np.concatenate(found_rows)
        chosen = np.concatenate(found_which)
        rows, unique = np.unique(rows, return_index=True)  # a row read in two batches once
        return rows, keys.take(pa.array(chosen[unique]))

    def row_order(self) -> tuple[np.ndarray, np.ndarray]:
        """(signatures, digests) of every row in row order, as content_hash.keys_from takes
        them: the file read in order, a RUN of blocks at a time."""
        signature = np.zeros(self.rows, dtype=np.uint32)
        digest = np.zeros((self.rows, 16), dtype=np.uint8)
        blocks = -(-self.rows // BLOCK)
        with open(self.path, "rb") as f:
            for first in range(0, blocks, RUN):
                entries = self._read(f, first, min(first + RUN, blocks) - 1)
                rows = entries["row"].astype(np.int64)
                signature[rows] = (entries["hi"] >> np.uint64(32)).astype(np.uint32)
                low = (entries["hi"] & np.uint64(0xFFFFFFFF)).astype(">u4")
                digest[rows, :4] = low.view(np.uint8).reshape(-1, 4)
                digest[rows, 4:12] = entries["rest"].astype(">u8").view(np.uint8).reshape(-1, 8)
        return signature, digest

    def _read(self, f, first_block: int, last_block: int) -> np.ndarray:
        first = first_block * BLOCK
        stop = min((last_block + 1) * BLOCK, self.rows)
        data = os.pread(f.fileno(), (stop - first) * ENTRY.itemsize, self.start + first * 20)
        return np.frombuffer(data, dtype=ENTRY)


def _between(first: np.ndarray, last: np.ndarray) -> list[np.ndarray]:
    """Blocks strictly inside a wanted key's range (many rows sharing one `hi`: rare)."""
    wide = np.flatnonzero(last - first > 1)
    return [np.arange(first[i] + 1, last[i]) for i in wide.tolist()]


def _runs(blocks: np.ndarray) -> list[tuple[int, int]]:
    """Consecutive blocks as (first, last) runs of at most RUN blocks."""
    breaks = np.flatnonzero(np.diff(blocks) != 1) + 1
    out = []
    for run in np.split(blocks, breaks):
        for at in range(0, len(run), RUN):
            piece = run[at : at + RUN]
            out.append((int(piece[0]), int(piece[-1])))
    return out


def _matches(entries: np.ndarray, hi: np.ndarray, rest: np.ndarray):
    """(rows, index into hi) of the entries equal to a wanted (hi, rest)."""
    entry_hi = np.ascontiguousarray(entries["hi"])
    left = np.searchsorted(entry_hi, hi, side="left")
    right = np.searchsorted(entry_hi, hi, side="right")
    counts = right - left
    total = int(counts.sum())
    if not total:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    wanted = np.repeat(np.arange(len(hi)), counts)
    at = np.repeat(left - np.cumsum(counts) + counts, counts) + np.arange(total)
    chosen = entries[at]
    same = chosen["rest"] == rest[wanted]
    return chosen["row"][same].astype(np.int64), wanted[same]
