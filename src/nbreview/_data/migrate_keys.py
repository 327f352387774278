"""Keys a store already holds, moved to the scheme this nbreview computes, once per review.

The review's config in the store names its key scheme. A review that still holds scheme-1
keys (nbreview 0.1's content keys) is migrated when it is opened on its data: each stored
old key found among the rows is renamed to that row's new key, in one transaction.
Old keys that match no row (answers given on rows this data no longer has) are left as
they are, and looked for again when the review is opened on other data.
"""

from __future__ import annotations

import warnings

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..store import Store
from .keys import SCHEME, RecordKeys
from .legacy_keys import legacy_keys


def upgrade(keys: RecordKeys, store: Store, review: str, previous: dict | None) -> dict:
    """Migrate what can be; return the config entries that record the review's key scheme."""
    entry: dict = {"key_scheme": keys.scheme}
    if keys.id_column is not None or previous is None:  # id keys never change; a new review
        return entry
    if previous.get("key_scheme") == SCHEME and "legacy_unmatched" not in previous:
        return entry
    old = store.legacy_keys(review)
    if not old:
        return entry
    fingerprint = keys.fingerprint()
    tried = previous.get("legacy_unmatched")
    if tried == {"keys": len(old), "data": fingerprint}:  # this data was searched already
        return {**entry, "legacy_unmatched": tried}
    mapping = _mapping(keys, old)
    if mapping:
        store.rekey(review, mapping)
    left = len(old) - len(mapping)
    if not left:
        return entry
    warnings.warn(
        f"review {review!r}: {left} stored record(s) keyed by an earlier nbreview match no row "
        "of this data; they are kept as they are and re-attach when the review is opened on "
        "the data they were made on",
        stacklevel=3,
    )
    return {**entry, "legacy_unmatched": {"keys": left, "data": fingerprint}}


def _mapping(keys: RecordKeys, old: list[str]) -> dict[str, str]:
    """Old key -> new key for every stored old key some row of the data has."""
    legacy = legacy_keys(keys.source, keys.key_columns)
    hit = pc.is_in(legacy, value_set=pa.array(old, type=pa.string()))
    positions = np.flatnonzero(np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool))
    mapping: dict[str, str] = {}
    found = legacy.filter(hit).to_pylist()
    for old_key, new_key in zip(found, keys.take(positions).to_pylist(), strict=True):
        mapping.setdefault(old_key, new_key)
    return mapping
