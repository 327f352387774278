"""Where a dataset's key file is kept between processes, and when it is trusted.

Finding stored records by hashing rows reads their text; reopening a review must not pay
that again. So every row's key is kept in a file (key_file.py):

- **where**: beside a SQLite store, in a ``<store>-keys`` folder (as SQLite keeps
  ``<store>-wal``); for other stores, in the user's cache folder (``$XDG_CACHE_HOME`` or
  ``~/.cache``, then ``nbreview/keys``). The `KEEP` most recently used files stay.
- **named by** the data's fingerprint, the key columns, the row count and the key scheme.
  A `datasets.Dataset` has a cheap fingerprint of its own (its files and their times, and
  every transform applied: a shuffled or filtered dataset has its own). A pandas DataFrame
  has none that costs less than hashing it: nothing is kept for it.
- **trusted** because the fingerprint changes with the data, and checked: `CHECKS` random
  rows are hashed from the data when the file is opened and must be found on their rows,
  and a lookup of a few records hashes the rows found (keys.py); a file that fails either
  is written again.
- Data under `MIN_ROWS` rows is hashed in a blink: nothing is written for it. A folder that
  cannot be written keeps nothing, silently: the keys then live in the process.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import xxhash

from . import key_file
from .key_file import KeyFile

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
    """One dataset's index file: loaded if it passes the spot check, saved once built."""

    def __init__(self, folder: Path, fingerprint: str, columns: list[str], rows: int, scheme: str):
        name = json.dumps([VERSION, scheme, fingerprint, sorted(columns), rows])
        self.path = folder / f"{xxhash.xxh3_64_hexdigest(name.encode('utf-8'))}.keys"
        self.rows = rows

    @classmethod
    def of(cls, store: Any, data: Any, columns: list[str], scheme: str) -> IndexCache | None:
        """The cache for this data in this store, or None when nothing is to be kept."""
        fingerprint = data_fingerprint(data)
        rows = len(data)
        if fingerprint is None or not MIN_ROWS <= rows < 2**32:
            return None
        return cls(folder_for(store), fingerprint, columns, rows, scheme)

    def load(self, check: Callable[[KeyFile], bool]) -> KeyFile | None:
        """The kept file, if there is one and `check` trusts it."""
        found = KeyFile.open(self.path, self.rows)
        if found is None or not check(found):
            return None
        with contextlib.suppress(OSError):
            os.utime(self.path)  # recently used: kept when the folder is pruned
        return found

    def save(self, signature: np.ndarray, digest: np.ndarray) -> KeyFile | None:
        """Keep every row's key (best effort: a folder that cannot be written keeps nothing)."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            key_file.write(self.path, signature, digest)
            _prune(self.path.parent)
        except OSError:
            return None
        return KeyFile.open(self.path, self.rows)


def _prune(folder: Path) -> None:
    """Only the KEEP most recently used index files stay."""
    files = sorted(folder.glob("*.keys"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[KEEP:]:
        with contextlib.suppress(OSError):
            old.unlink()
