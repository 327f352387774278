"""Where annotations live: every change is written the moment it is made."""

from __future__ import annotations

import os
import re

from .base import Change, RecordState, StoreError, StoreUnavailable
from .sql import SQLStore, Store
from .sqlite import SQLiteStore

__all__ = [
    "Change",
    "RecordState",
    "SQLStore",
    "SQLiteStore",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "open_store",
]

DEFAULT_PATH = "nbreview.sqlite"
STORE_ENV = "NBREVIEW_STORE"  # the store a served notebook is handed


def __getattr__(name: str):
    if name == "PostgresStore":  # imported on first use: psycopg is not needed for SQLite
        from .postgres import PostgresStore

        return PostgresStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def open_store(spec: str | os.PathLike | Store | None) -> Store:
    """Open the store a Review names: a path (SQLite), a database URL, or a Store.

    None takes $NBREVIEW_STORE (what `nbreview serve --store` hands a notebook), else
    nbreview.sqlite in the working directory.
    """
    if isinstance(spec, Store):
        return spec
    if spec is None:
        spec = os.environ.get(STORE_ENV, "").strip() or DEFAULT_PATH
    text = os.fspath(spec)
    if text.startswith(("postgresql://", "postgres://")):
        from .postgres import PostgresStore  # psycopg is imported only by those who use it

        return PostgresStore(text)
    if text.startswith("sqlite:///"):
        text = text[len("sqlite:///") :]
    elif re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", text):  # a URL, never taken for a file name
        from .postgres import mask_url

        raise StoreError(
            f"store {mask_url(text)!r}: unknown kind of URL; give a SQLite path, sqlite:///path "
            "or postgresql://user:password@host/database"
        )
    return SQLiteStore(text)
