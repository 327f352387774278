"""Stable record keys, so annotations re-attach after reloading, shuffling or filtering."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

import pyarrow as pa
import pyarrow.compute as pc

from .source import RecordSource

CHUNK = 65_536


def content_key(values: dict) -> str:
    """Hash a record's shown and annotated values; sorted names keep it independent of order."""
    text = json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def _all_distinct(ids: pa.Array | pa.ChunkedArray) -> bool:
    """No value twice, for ids without nulls (integers as they are: their keys are one-to-one).

    Ids in strictly increasing order (sequential ids, the common case) are proved distinct
    by one comparison pass; others by a hash table (pc.unique, ~3x faster than count_distinct).
    """
    if not (pa.types.is_integer(ids.type) or pa.types.is_string(ids.type)):
        ids = pc.cast(ids, pa.string())
    if len(ids) < 2:
        return True
    head = min(len(ids), 1024)  # a glance first: most unsorted ids show it at once
    if (
        pc.all(pc.less(ids[: head - 1], ids[1:head])).as_py()
        and pc.all(pc.less(ids[:-1], ids[1:])).as_py()
    ):
        return True
    distinct = len(pc.unique(ids)) == len(ids)
    pa.default_memory_pool().release_unused()  # the hash table (~70 MB a million ids) to the OS
    return distinct


class RecordKeys:
    """Keys by row position, from an id column or a content hash, computed lazily per chunk."""

    def __init__(self, source: RecordSource, id_column: str | None, key_columns: list[str]):
        self.source = source
        self.id_column = id_column
        self.key_columns = sorted(set(key_columns))
        self._chunks: dict[int, pa.Array] = {}
        self._all: pa.Array | None = None
        if id_column is not None:
            self._check_ids()

    def _check_ids(self) -> None:
        ids = self.source.all_values(self.id_column)  # order does not matter here
        if ids.null_count:
            raise ValueError(f"id column {self.id_column!r} has {ids.null_count} missing values")
        if not _all_distinct(ids):
            keys = pc.cast(ids, pa.string()) if not pa.types.is_string(ids.type) else ids
            counts = pc.value_counts(keys)
            dupes = [c["values"] for c in counts.to_pylist() if c["counts"] > 1][:5]
            raise ValueError(f"id column {self.id_column!r} has duplicate values, e.g. {dupes!r}")

    def _compute(self, start: int, stop: int) -> pa.Array:
        if self.id_column is not None:
            return pc.cast(self.source.arrow_column(self.id_column, start, stop), pa.string())
        columns = {c: self._values(c, start, stop) for c in self.key_columns}
        rows = (
            dict(zip(columns, values, strict=True))
            for values in zip(*columns.values(), strict=True)
        )
        return pa.array([content_key(r) for r in rows], type=pa.string())

    def _values(self, column: str, start: int, stop: int) -> list:
        try:
            return self.source.arrow_column(column, start, stop).to_pylist()
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            # A pandas column mixing kinds (a chat, then a string): no Arrow type holds it
            # all, but each value alone converts, as the record view reads it.
            return [self.source.row(i, [column])[column] for i in range(start, stop)]

    def chunk(self, index: int) -> pa.Array:
        if index not in self._chunks:
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
        return self.all().take(pa.array(positions, type=pa.int64()))
