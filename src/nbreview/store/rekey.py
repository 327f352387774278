"""Renaming a review's record keys: how a store moves to a new key scheme, in one transaction.

`SQLStore.rekey` runs it inside its transaction: every row of the review under an old key
moves to its new key in records, answers, reservations and the change log. Where a row
already exists under the new key (an old version kept writing old keys, or two old keys name
one record now), the two are merged: the later status and answer win, time on screen adds
up, the later claim stays. Settings hold no record keys.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

TEMP = "nbreview_rekey"


# Distinct scheme-1 keys a review holds (records, answers, claims; takes the review 3x);
# `{legacy}` is the dialect's test for such a key (32 lowercase hex digits).
LEGACY_KEYS = " UNION ".join(
    f"SELECT record FROM {{t}}{table} WHERE review = ? AND {{legacy}}"
    for table in ("records", "answers", "reservations")
)


def rekey(con: Any, dialect: Any, review: str, mapping: Mapping[str, str]) -> None:
    """Move the review's rows from each old key to its new key (`mapping`: old -> new)."""
    d = dialect
    con.execute(f"CREATE TEMP TABLE {TEMP} (old TEXT PRIMARY KEY, new TEXT NOT NULL)")
    d.many(con, f"INSERT INTO {TEMP} VALUES (?, ?)", list(mapping.items()))
    touched = f"(record IN (SELECT old FROM {TEMP}) OR record IN (SELECT new FROM {TEMP}))"

    def move(table: str, columns: str, merge: Callable[[list[tuple]], list[tuple]]) -> None:
        where = d.sql(f"FROM {{t}}{table} WHERE review = ? AND {touched}")
        rows = con.execute(f"SELECT {columns} {where}", (review,)).fetchall()
        con.execute(f"DELETE {where}", (review,))
        merged = merge([(mapping.get(r[0], r[0]), *r[1:]) for r in rows])
        marks = ", ".join(["?"] * (len(columns.split(",")) + 1))
        d.many(
            con,
            f"INSERT INTO {{t}}{table} (review, {columns}) VALUES ({marks})",
            [(review, *row) for row in merged],
        )

    move("records", "record, annotator, status, annotated_at, seconds", _merge_records)
    move("answers", "record, annotator, question, value, updated_at", _latest(3, 4))
    move("reservations", "record, annotator, expires_at", _latest(2, 2))
    new = f"(SELECT new FROM {TEMP} WHERE old = {{t}}changes.record)"
    sql = f"UPDATE {{t}}changes SET record = {new} WHERE review = ? AND record IN "
    sql += f"(SELECT old FROM {TEMP})"
    con.execute(d.sql(sql), (review,))
    con.execute(f"DROP TABLE {TEMP}")


def _merge_records(rows: list[tuple]) -> list[tuple]:
    """One row per (record, annotator): the latest status given, time added up."""
    out: dict[tuple, list] = {}
    for record, annotator, status, at, seconds in sorted(rows, key=lambda r: r[3]):
        row = out.setdefault((record, annotator), [record, annotator, None, at, 0.0])
        row[2] = status if status is not None else row[2]
        row[3], row[4] = max(row[3], at), row[4] + seconds
    return [tuple(r) for r in out.values()]


def _latest(width: int, at: int) -> Callable[[list[tuple]], list[tuple]]:
    """A merge keeping, per key (the first `width` columns), the row latest by column `at`."""
    return lambda rows: list({r[:width]: r for r in sorted(rows, key=lambda r: r[at])}.values())
