"""Stable record keys, so annotations re-attach after reloading, shuffling or filtering.

With `id=` a record's key is its id as text. Otherwise it is a content key of scheme 2
(content_hash.py): computed per chunk straight from the Arrow buffers, and found for a
few stored records without hashing every row (`find`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import xxhash

from . import content_hash as ch
from .distinct import all_distinct
from .source import MIXED, RecordSource

CHUNK = 16_384  # keys hashed at a time: the first record's view waits for one chunk
TAKE = 65_536  # take() of at most this many rows hashes them alone
SCHEME = ch.SCHEME
# find(): past this share of rows to hash, hashing every row (and keeping them) is cheaper.
FIND_ALL = 0.25


def content_key(values: dict) -> str:
    """The scheme-2 key of one record given as name -> value (as the widget reads it)."""
    parts = {name: pa.array([value], from_pandas=True) for name, value in values.items()}
    return _content_keys(sorted(parts), lambda c: parts[c], None, 1)[0].as_py()


def _content_keys(
    columns: list[str],
    read: Callable[[str], pa.Array | pa.ChunkedArray],
    single: Callable[[str, int], pa.Array] | None,
    rows: int,
) -> pa.Array:
    """Keys of `rows` rows; `read(column)` gives their values, `single(column, j)` row j's alone
    (for a pandas column mixing types, which no one Arrow array holds)."""
    digest = np.zeros((rows, 16), dtype=np.uint8)
    features = {}
    for column in columns:
        try:
            values = read(column)
        except MIXED:
            if single is None:
                raise
            one = [single(column, j) for j in range(rows)]
            features[column] = np.concatenate([ch.features(v) for v in one])
            digest ^= np.concatenate([ch.column_digests(column, v) for v in one])
            continue
        features[column] = ch.features(values)
        digest ^= ch.column_digests(column, values)
    return ch.keys_from(ch.signatures(features), digest)


class RecordKeys:
    """Keys by row position, from an id column or a content hash, computed lazily per chunk."""

    def __init__(self, source: RecordSource, id_column: str | None, key_columns: list[str]):
        self.source = source
        self.id_column = id_column
        self.key_columns = sorted(set(key_columns))
        self.scheme = "id" if id_column is not None else SCHEME
        self._chunks: dict[int, pa.Array] = {}
        self._all: pa.Array | None = None
        self._signatures: np.ndarray | None = None
        self._found: dict[int, str] = {}  # keys find() hashed, by position
        if id_column is not None:
            self._check_ids()

    def _check_ids(self) -> None:
        ids = self.source.all_values(self.id_column)  # order does not matter here
        if ids.null_count:
            raise ValueError(f"id column {self.id_column!r} has {ids.null_count} missing values")
        if not all_distinct(ids):
            keys = pc.cast(ids, pa.string()) if not pa.types.is_string(ids.type) else ids
            counts = pc.value_counts(keys)
            dupes = [c["values"] for c in counts.to_pylist() if c["counts"] > 1][:5]
            raise ValueError(f"id column {self.id_column!r} has duplicate values, e.g. {dupes!r}")

    # -- computing ---------------------------------------------------------------------------

    def _compute(self, start: int, stop: int) -> pa.Array:
        if self.id_column is not None:
            return pc.cast(self.source.arrow_column(self.id_column, start, stop), pa.string())
        source = self.source
        return _content_keys(
            self.key_columns,
            lambda c: source.values(c, start, stop),
            lambda c, j: source.single(c, start + j),
            stop - start,
        )

    def _at(self, positions: np.ndarray) -> pa.Array:
        """Keys of rows at these positions, hashing only those rows."""
        if self.id_column is not None:
            return pc.cast(self.source.take(self.id_column, positions), pa.string())
        source = self.source
        return _content_keys(
            self.key_columns,
            lambda c: source.take(c, positions),
            lambda c, j: source.single(c, int(positions[j])),
            len(positions),
        )

    def chunk(self, index: int) -> pa.Array:
        if index not in self._chunks:
            if self._all is not None:
                self._chunks[index] = self._all.slice(index * CHUNK, CHUNK)
            else:
                start = index * CHUNK
                self._chunks[index] = self._compute(start, min(start + CHUNK, len(self.source)))
        return self._chunks[index]

    def key(self, position: int) -> str:
        return self.chunk(position // CHUNK)[position % CHUNK].as_py()

    def chunks(self, start: int = 0) -> Iterator[tuple[int, pa.Array]]:
        """Yield (first position, keys) from the chunk holding `start` to the end."""
        for index in range(start // CHUNK, -(-len(self.source) // CHUNK)):
            yield index * CHUNK, self.chunk(index)

    def all(self) -> pa.Array:
        if self._all is None:
            parts = [keys for _, keys in self.chunks()]
            self._all = pa.concat_arrays(parts) if parts else pa.array([], type=pa.string())
        return self._all

    def take(self, positions) -> pa.Array:
        """Keys of arbitrary rows (a queue's order), in the order given."""
        positions = np.asarray(positions, dtype=np.int64)
        if self._all is None and self.id_column is None and len(positions) <= TAKE:
            return self._at(positions)  # a block of a queue: hash those rows only
        return self.all().take(pa.array(positions, type=pa.int64()))

    # -- finding stored records --------------------------------------------------------------

    def signatures(self) -> np.ndarray:
        """Every row's 32-bit signature (content keys only), from lengths: no text is hashed."""
        if self._signatures is None:
            features = {c: self._features(c) for c in self.key_columns}
            self._signatures = ch.signatures(features)
        return self._signatures

    def _features(self, column: str) -> np.ndarray:
        try:
            values, rows = self.source.stored_values(column)
            found = ch.features(values)
            return found if rows is None else found[rows]
        except MIXED:
            one = (self.source.single(column, i) for i in range(len(self.source)))
            return np.concatenate([ch.features(v) for v in one] or [np.zeros(0, np.uint64)])

    def find(self, wanted: Collection[str]) -> tuple[np.ndarray, pa.Array]:
        """(positions, keys) of every row whose key is in `wanted`, positions ascending.

        Content keys: only rows whose signature a wanted key carries are hashed, so a store
        holding a few answers costs a few hashes, not one per row.
        """
        wanted_keys = pa.array(list(wanted), type=pa.string())
        if self.id_column is None and self._all is None:
            signatures = {ch.signature_of(k) for k in wanted}
            signatures.discard(None)
            if not signatures:
                return np.zeros(0, dtype=np.int64), pa.array([], type=pa.string())
            chosen = pa.array(sorted(signatures), type=pa.uint32())
            candidates = np.flatnonzero(_mask(pc.is_in(self.signatures(), value_set=chosen)))
            if len(candidates) <= FIND_ALL * len(self.source):
                keys = self._remembered(candidates)
                hit = pc.is_in(keys, value_set=wanted_keys)
                return candidates[_mask(hit)], keys.filter(hit)
        keys = self.all()
        hit = pc.is_in(keys, value_set=wanted_keys)
        return np.flatnonzero(_mask(hit)), keys.filter(hit)

    def _remembered(self, positions: np.ndarray) -> pa.Array:
        """Keys at positions, hashing only those no earlier find() hashed."""
        known = self._found
        missing = np.array([p for p in positions.tolist() if p not in known], dtype=np.int64)
        if len(missing):
            known.update(zip(missing.tolist(), self._at(missing).to_pylist(), strict=True))
        return pa.array([known[p] for p in positions.tolist()], type=pa.string())

    def fingerprint(self) -> str:
        """A short digest of the rows' signatures as a set: the same data gives the same one."""
        ordered = np.sort(self.signatures())
        return f"{len(ordered)}-{xxhash.xxh3_64_hexdigest(ordered.astype('>u4').tobytes())}"


def _mask(hit: pa.Array) -> np.ndarray:
    return np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool)
