"""Where annotations live: every change is written the moment it is made."""

from __future__ import annotations

import os

from .base import Change, RecordState, Store, StoreError
from .sqlite import SQLiteStore

__all__ = ["Change", "RecordState", "SQLiteStore", "Store", "StoreError", "open_store"]

DEFAULT_PATH = "nbreview.sqlite"


def open_store(spec: str | os.PathLike | Store | None) -> Store:
    """Open the store a Review names: a path (SQLite), a database URL, or a Store."""
    if isinstance(spec, Store):
        return spec
    if spec is None:
        spec = DEFAULT_PATH
    text = os.fspath(spec)
    if text.startswith(("postgresql://", "postgres://")):
        raise StoreError(
            "PostgreSQL stores are not available in this version of nbreview yet; "
            "use a SQLite path for now"
        )
    if text.startswith("sqlite:///"):
        text = text[len("sqlite:///") :]
    return SQLiteStore(text)
