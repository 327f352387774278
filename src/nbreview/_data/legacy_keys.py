"""Content keys as nbreview 0.1 wrote them (scheme 1), kept only to migrate stores.

json.dumps of the key columns (sorted names) + blake2b per row, in Python: ~20 s a million
rows, so it runs once per store, when a review still holds keys of this scheme. Never
change this module: it must give exactly the keys that were stored.
"""

from __future__ import annotations

import hashlib
import json
import re

import pyarrow as pa

from .source import RecordSource

CHUNK = 65_536
LOOKS_LEGACY = re.compile(r"[0-9a-f]{32}")


def content_key_v1(values: dict) -> str:
    """Scheme 1's key of one record's values (name -> value)."""
    text = json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def is_legacy(key: str) -> bool:
    return LOOKS_LEGACY.fullmatch(key) is not None


def _values(source: RecordSource, column: str, start: int, stop: int) -> list:
    try:
        return source.arrow_column(column, start, stop).to_pylist()
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return [source.row(i, [column])[column] for i in range(start, stop)]


def legacy_keys(source: RecordSource, key_columns: list[str]) -> pa.Array:
    """Every row's scheme-1 key, in row order."""
    columns = sorted(set(key_columns))
    parts = []
    for start in range(0, len(source), CHUNK):
        stop = min(start + CHUNK, len(source))
        values = {c: _values(source, c, start, stop) for c in columns}
        rows = (dict(zip(values, row, strict=True)) for row in zip(*values.values(), strict=True))
        parts.append(pa.array([content_key_v1(r) for r in rows], type=pa.string()))
    return pa.concat_arrays(parts) if parts else pa.array([], type=pa.string())
