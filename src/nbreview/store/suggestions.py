"""The suggestions table: what a callable suggested, kept per (review, record, question, name).

Stored so a reopened review, every other annotator and `to_dataset(suggestions=True)` see
them, and none is computed twice. A record the callable was asked about has one row per
question it answers, `value` NULL where it suggested nothing (or something invalid): the
rows say the record is done. Functions over a DB-API connection, a table prefix and a
placeholder, which `SQLStore` (sql.py) hands them: both backends share the SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import repeat
from typing import Any

from .base import now_us

# One line of each store's schema ({t}: its table prefix).
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS {t}suggestions (review TEXT NOT NULL, record TEXT NOT NULL, "
    "question TEXT NOT NULL, name TEXT NOT NULL, value TEXT, at BIGINT NOT NULL, "
    "PRIMARY KEY (review, record, question, name)){keyed}"
)
CHUNK = 500  # keys per IN list
ALL = 5_000  # from this many keys on, one scan of the callable's records beats IN lists


def put(
    con: Any,
    t: str,
    m: str,
    review: str,
    name: str,
    rows: Iterable[tuple[str, str, str | None]],
    overwrite: bool = False,
) -> None:
    """Store (record, question, value as JSON text or None) rows of one callable `name`,
    inside the caller's transaction; existing rows stay unless `overwrite`."""
    at = now_us()
    keep = "DO UPDATE SET value = excluded.value, at = excluded.at" if overwrite else "DO NOTHING"
    sql = (
        f"INSERT INTO {t}suggestions VALUES ({m}, {m}, {m}, {m}, {m}, {m}) "
        f"ON CONFLICT (review, record, question, name) {keep}"
    )
    rows = list(rows)
    if rows:  # the parameter tuples made by zip in C, not a Python loop per row
        records, questions, values = zip(*rows, strict=True)
        params = zip(repeat(review), records, questions, repeat(name), values, repeat(at))
        con.cursor().executemany(sql, params)


def done(con: Any, t: str, m: str, review: str, name: str, keys: Sequence[str]) -> set[str]:
    """The records among `keys` that callable `name` was already asked about."""
    if len(keys) >= ALL:
        sql = f"SELECT DISTINCT record FROM {t}suggestions WHERE review = {m} AND name = {m}"
        return {r[0] for r in con.execute(sql, (review, name)).fetchall()}.intersection(keys)
    found: set[str] = set()
    for start in range(0, len(keys), CHUNK):
        chunk = list(keys[start : start + CHUNK])
        marks = ", ".join([m] * len(chunk))
        found.update(
            r[0]
            for r in con.execute(
                f"SELECT DISTINCT record FROM {t}suggestions WHERE review = {m} AND name = {m} "
                f"AND record IN ({marks})",
                (review, name, *chunk),
            ).fetchall()
        )
    return found


def rows(
    con: Any, t: str, m: str, review: str, keys: Sequence[str] | None = None
) -> list[tuple[str, str, str, str, int]]:
    """(record, question, name, value, at) of every stored suggestion (value not NULL), of
    these records or all, oldest first."""
    head = (
        f"SELECT record, question, name, value, at FROM {t}suggestions WHERE review = {m} "
        "AND value IS NOT NULL"
    )
    if keys is None:
        return list(con.execute(head + " ORDER BY at", (review,)).fetchall())
    out: list = []
    for start in range(0, len(keys), CHUNK):
        chunk = list(keys[start : start + CHUNK])
        marks = ", ".join([m] * len(chunk))
        out += con.execute(f"{head} AND record IN ({marks}) ORDER BY at", (review, *chunk))
    return sorted(out, key=lambda row: row[4])
