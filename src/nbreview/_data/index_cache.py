"""Where a dataset's signature index and known keys are kept between processes.

Building the signature index reads the start and end of every shown value (on a
memory-mapped dataset, every page of its text), and hashing the rows of stored records
reads their text; reopening a review must pay neither again. So both are kept in files:

- **where**: beside a SQLite store, in a ``<store>-keys`` folder (as SQLite keeps
  ``<store>-wal``); for other stores, in the user's cache folder (``$XDG_CACHE_HOME`` or
  ``~/.cache``, then ``nbreview/keys``). The `KEEP` most recently used datasets stay.
- **named by** the data's fingerprint, the key columns, the row count and the key scheme.
  A `datasets.Dataset` has a cheap fingerprint of its own (its files and their times, and
  every transform applied: a shuffled or filtered dataset has its own). A pandas DataFrame
  has none that costs less than the pass itself: nothing is kept for it.
- **trusted** because the fingerprint changes with the data, and checked when opened:
  `CHECKS` random rows' signatures, and `CHECKS` known keys, are computed from the data
  and must agree, else the file is built again.
- Data under `MIN_ROWS` rows is indexed in a blink: nothing is written for it. A folder
  that cannot be written keeps nothing, silently: the index then lives in the process.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import xxhash

from . import signature_index
from .known_keys import KnownKeys, as_arrow
from .signature_index import SignatureIndex

VERSION = 1  # of the file's layout and of how its name is made
MIN_ROWS = 50_000
KEEP = 8
CHECKS = 4


def folder_for(store: Any) -> Path:
    """The folder the indexes of reviews kept in `store` go to."""
    path = getattr(store, "path", None)
    if isinstance(path, Path) and path.name and path.name != ":memory:":
        return path.with_name(path.name + "-keys")
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "nbreview" / "keys"


def data_fingerprint(data: Any) -> str | None:
    """A `datasets.Dataset`'s fingerprint, or None for data without a cheap one."""
    found = getattr(data, "_fingerprint", None)
    return found if isinstance(found, str) and found else None


class IndexCache:
    """One dataset's files: the signature index and the keys hashed so far."""

    def __init__(self, folder: Path, fingerprint: str, columns: list[str], rows: int, scheme: str):
        name = json.dumps([VERSION, scheme, fingerprint, sorted(columns), rows])
        stem = xxhash.xxh3_64_hexdigest(name.encode("utf-8"))
        self.index_path = folder / f"{stem}.index.npy"
        self.known_path = folder / f"{stem}.known.npy"
        self.rows = rows

    @classmethod
    def of(cls, store: Any, data: Any, columns: list[str], scheme: str) -> IndexCache | None:
        """The cache for this data in this store, or None when nothing is to be kept."""
        fingerprint = data_fingerprint(data)
        rows = len(data)
        if fingerprint is None or not MIN_ROWS <= rows < 2**32:
            return None
        return cls(folder_for(store), fingerprint, columns, rows, scheme)

    def load_index(
        self, signatures_at: Callable[[np.ndarray], np.ndarray]
    ) -> SignatureIndex | None:
        """The kept index, if there is one and `signatures_at(rows)` agrees on random rows."""
        index = signature_index.load(self.index_path, self.rows)
        if index is None:
            return None
        sample = np.unique(np.random.default_rng().integers(0, self.rows, size=CHECKS))
        computed = signatures_at(sample)
        if not all(index.holds(int(r), int(s)) for r, s in zip(sample, computed, strict=True)):
            return None
        with contextlib.suppress(OSError):
            os.utime(self.index_path)  # recently used: kept when the folder is pruned
        return index

    def save_index(self, index: SignatureIndex) -> None:
        if self._writable():
            with contextlib.suppress(OSError):
                signature_index.save(index, self.index_path)
                self.known_path.unlink(missing_ok=True)  # keys of another index's data
                _prune(self.index_path.parent)

    def load_known(self, keys_at: Callable[[np.ndarray], pa.Array]) -> KnownKeys:
        """The keys hashed by earlier processes, if `keys_at(rows)` agrees on a few."""
        known = KnownKeys.load(self.known_path, self.rows)
        if not len(known):
            return known
        pick = np.unique(np.random.default_rng().integers(0, len(known), size=CHECKS))
        if not as_arrow(known.keys[pick]).equals(keys_at(known.rows[pick])):
            return KnownKeys()
        return known

    def save_known(self, known: KnownKeys) -> None:
        if self._writable():
            with contextlib.suppress(OSError):
                known.save(self.known_path)

    def _writable(self) -> bool:
        try:
            self.index_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            return False
        return True


def _prune(folder: Path) -> None:
    """Only the files of the KEEP most recently used datasets stay."""
    indexes = sorted(folder.glob("*.index.npy"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in indexes[KEEP:]:
        with contextlib.suppress(OSError):
            old.unlink()
            old.with_name(old.name.replace(".index.npy", ".known.npy")).unlink(missing_ok=True)
