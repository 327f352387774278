"""Stable record keys, so annotations re-attach after reloading, shuffling or filtering.

With `id=` a record's key is its id as text. Otherwise it is a content key of scheme 2
(content_hash.py): computed per chunk straight from the Arrow buffers. Finding the rows of
stored records (`find`: progress, reopening, exports, quality, a second window) never
hashes every row: a sorted index of the rows' signatures names the few rows each wanted
key can be on (signature_index.py), only those are hashed, and what was hashed is kept.
For a big `datasets.Dataset` both are kept beside the store (index_cache.py), so a reopen
reads neither the text nor more than a few pages of the index.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import xxhash

from . import content_hash as ch
from . import fast_hash
from .distinct import all_distinct
from .index_cache import IndexCache
from .known_keys import KnownKeys, as_arrow
from .signature_index import SignatureIndex
from .source import MIXED, RecordSource

CHUNK = 16_384  # keys hashed at a time: the first record's view waits for one chunk
TAKE = 65_536  # take() of at most this many rows hashes them alone
SCHEME = ch.SCHEME
# find(): past this share of rows to hash, hashing every row (and keeping them) is cheaper.
FIND_ALL = 0.25
PIECE = 1 << 18  # rows hashed at a time when every key is needed
# every key of this many rows or more: hashed a column at a time where polars-hash is
# installed (fast_hash.py); below it, importing polars costs more than it saves
VECTORIZED = 1_000_000


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
    return ch.keys_from(*_content_parts(columns, read, single, rows))


def _content_parts(
    columns: list[str],
    read: Callable[[str], pa.Array | pa.ChunkedArray],
    single: Callable[[str, int], pa.Array] | None,
    rows: int,
    vectorized: bool = False,
    signatures: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(signatures, digests) of `rows` rows: what a key is made of (content_hash.keys_from);
    `vectorized`: each column hashed in one call where polars-hash is installed;
    `signatures`: the rows' signatures, known already (then no features are read)."""
    digest = np.zeros((rows, 16), dtype=np.uint8)
    features = {}
    signed = signatures is None
    for column in columns:
        try:
            values = read(column)
        except MIXED:
            if single is None:
                raise
            one = [single(column, j) for j in range(rows)]
            if signed:
                features[column] = np.concatenate([ch.features(v) for v in one])
            digest ^= np.concatenate([ch.column_digests(column, v) for v in one])
            continue
        if signed:
            features[column] = ch.features(values)
        digest ^= ch.column_digests(column, values, vectorized)
    return (ch.signatures(features) if signatures is None else signatures), digest


class RecordKeys:
    """Keys by row position, from an id column or a content hash, computed lazily per chunk."""

    def __init__(self, source: RecordSource, id_column: str | None, key_columns: list[str]):
        self.source = source
        self.id_column = id_column
        self.key_columns = sorted(set(key_columns))
        self.scheme = "id" if id_column is not None else SCHEME
        self._chunks: dict[int, pa.Array] = {}
        self._all: pa.Array | None = None
        self._index: SignatureIndex | None = None
        self._cache: IndexCache | None = None  # where the index is kept between processes
        self._known = KnownKeys()  # keys find() hashed, by position
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
        return ch.keys_from(*self._parts(start, stop))

    def _parts(
        self,
        start: int,
        stop: int,
        vectorized: bool = False,
        signatures: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        source = self.source
        return _content_parts(
            self.key_columns,
            lambda c: source.values(c, start, stop),
            lambda c, j: source.single(c, start + j),
            stop - start,
            vectorized,
            signatures,
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
            if self.id_column is None and not self._chunks:  # large pieces, no chunk cache
                self._all = ch.keys_from(*self._all_parts())
            else:
                parts = [keys for _, keys in self.chunks()]
                self._all = pa.concat_arrays(parts) if parts else pa.array([], type=pa.string())
        return self._all

    def sparse(self, wanted: Collection[str] | pa.Array | pa.ChunkedArray) -> pa.Array:
        """Every row's key where it is one of `wanted` (the records a store holds), null
        elsewhere: enough for a per-row column of stored answers, at the cost of the rows
        that have answers (content keys: found through the index, never a pass hashing every
        row); with `id=`, or once every key is known, simply every row's key."""
        if self.id_column is not None or self._all is not None:
            return self.all()
        positions, keys = self.find(wanted)
        rows = len(self.source)
        index, valid = np.zeros(rows, dtype=np.int64), np.zeros(rows, dtype=bool)
        index[positions], valid[positions] = np.arange(len(positions)), True
        return keys.take(pa.array(index, mask=~valid))

    def take(self, positions) -> pa.Array:
        """Keys of arbitrary rows (a queue's order), in the order given."""
        positions = np.asarray(positions, dtype=np.int64)
        if self._all is None and self.id_column is None and len(positions) <= TAKE:
            return self._at(positions)  # a block of a queue: hash those rows only
        return self.all().take(pa.array(positions, type=pa.int64()))

    # -- finding stored records --------------------------------------------------------------

    def keep_index_with(self, store: Any) -> None:
        """Keep the signature index between processes, in the place `store` implies
        (index_cache.py); only content keys of data with a cheap fingerprint have one."""
        if self.id_column is None:
            self._cache = IndexCache.of(store, self.source.data, self.key_columns, self.scheme)

    def index(self) -> SignatureIndex:
        """Rows by signature (content keys only): kept from an earlier process, or built
        from one pass over the rows' lengths and first and last bytes (no text is hashed)."""
        if self._index is None:
            cache = self._cache
            index = None if cache is None else cache.load_index(self._signatures_at)
            if index is None:
                features = {c: self._features(c) for c in self.key_columns}
                index = SignatureIndex.build(ch.signatures(features))
                if cache is not None:
                    cache.save_index(index)
            elif cache is not None:
                self._known = cache.load_known(self._at)
            self._index = index
        return self._index

    def _all_parts(self) -> tuple[np.ndarray, np.ndarray]:
        """(signatures, digests) of every row, hashed in large pieces one after the other:
        a column at a time by polars-hash where installed (on every core), else value by
        value, where the loop holds the GIL between xxhash calls (two threads taking turns
        at it per value ran slower than one)."""
        rows = len(self.source)
        fast = rows >= VECTORIZED and fast_hash.available()
        known = self._indexed_signatures()
        pieces = [
            self._parts(
                a, min(a + PIECE, rows), fast, None if known is None else known[a : a + PIECE]
            )
            for a in range(0, rows, PIECE)
        ]
        if not pieces:
            return np.zeros(0, np.uint32), np.zeros((0, 16), np.uint8)
        return np.concatenate([p[0] for p in pieces]), np.concatenate([p[1] for p in pieces])

    def _indexed_signatures(self) -> np.ndarray | None:
        """Every row's signature read back from the signature index, when one is built or
        kept beside the store: every key then needs the digests only, not the features'
        second pass over the text. None when there is no index to read."""
        if self._index is None and (self._cache is None or not self._cache.index_path.exists()):
            return None
        index = self.index()
        signatures = np.empty(len(index), dtype=np.uint32)
        signatures[np.asarray(index.rows)] = index.ordered
        return signatures

    def _features(self, column: str) -> np.ndarray:
        try:
            values, rows = self.source.stored_values(column)
            found = ch.features(values)
            return found if rows is None else found[rows]
        except MIXED:
            one = (self.source.single(column, i) for i in range(len(self.source)))
            return np.concatenate([ch.features(v) for v in one] or [np.zeros(0, np.uint64)])

    def _signatures_at(self, positions: np.ndarray) -> np.ndarray:
        """The signatures of the rows at these positions, reading only those rows."""
        features = {}
        for column in self.key_columns:
            try:
                features[column] = ch.features(self.source.take(column, positions))
            except MIXED:
                one = [self.source.single(column, int(p)) for p in positions]
                features[column] = np.concatenate([ch.features(v) for v in one])
        return ch.signatures(features)

    def find(
        self, wanted: Collection[str] | pa.Array | pa.ChunkedArray
    ) -> tuple[np.ndarray, pa.Array]:
        """(positions, keys) of every row whose key is in `wanted`, positions ascending.

        Content keys: the index names the rows whose signature a wanted key carries, and
        only those are hashed, so a store holding a few answers costs a few hashes and a
        binary search each, not a pass over the rows.
        """
        wanted_keys = _as_keys(wanted)
        if self.id_column is None and self._all is None:
            signatures = ch.signatures_of(wanted_keys)
            if not len(signatures):  # no scheme-2 key wanted: no row can hold one
                return np.zeros(0, dtype=np.int64), pa.array([], type=pa.string())
            candidates = self.index().rows_of(signatures)
            if len(candidates) <= FIND_ALL * len(self.source):
                keys = self._remembered(candidates)
                hit = pc.is_in(keys, value_set=wanted_keys)
                return candidates[_mask(hit)], keys.filter(hit)
        keys = self.all()
        hit = pc.is_in(keys, value_set=wanted_keys)
        return np.flatnonzero(_mask(hit)), keys.filter(hit)

    def position_of(self, key: str) -> int | None:
        """The first row holding the record `key`, or None: one lookup, not a pass."""
        positions, _ = self.find([key])
        return int(positions[0]) if len(positions) else None

    def _remembered(self, positions: np.ndarray) -> pa.Array:
        """Keys at positions, hashing only rows no find() hashed before, in this process or
        (data with a kept index) in an earlier one; what it hashes is kept for the next."""
        keys, missing = self._known.lookup(positions)
        if missing.any():
            hashed = self._at(positions[missing])
            self._known.add(positions[missing], hashed)
            keys, _ = self._known.lookup(positions)
            if self._cache is not None:
                self._cache.save_known(self._known)
        return as_arrow(keys)

    def fingerprint(self) -> str:
        """A short digest of the rows' signatures as a set: the same data gives the same one."""
        ordered = np.asarray(self.index().ordered)
        return f"{len(ordered)}-{xxhash.xxh3_64_hexdigest(ordered.astype('>u4').tobytes())}"


def _as_keys(wanted: Collection[str] | pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(wanted, pa.ChunkedArray):
        wanted = wanted.combine_chunks()
    if isinstance(wanted, pa.Array):
        return pc.unique(pc.cast(wanted, pa.string()))
    return pa.array(list(wanted), type=pa.string())


def _mask(hit: pa.Array) -> np.ndarray:
    return np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool)
