"""overlap=k claims: hand each annotator the first candidate that still needs answers.

A claim is one transaction of a few statements whatever the review's size and however
many annotators claim at once: one statement finds, among the candidates in queue order,
those others have not filled (submitted answers plus live claims fewer than `overlap`,
found through the index on (review, record)) and, on PostgreSQL, takes the first whose
lock no other claim holds (`pg_try_advisory_xact_lock`, as FOR UPDATE SKIP LOCKED would:
a record being claimed is passed over, never waited for); one more reserves it if it is
still open once locked (a claim committed meanwhile is seen: READ COMMITTED gives each
statement a fresh snapshot). Before this, every candidate cost a query scanning the
review's records, so a claim grew with the records others had taken.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .base import ADJUDICATOR, now_us

RELEASE = "DELETE FROM {t}reservations WHERE review = ? AND (annotator = ? OR expires_at < ?)"
# Others' submitted answers plus live claims (a claim whose holder submitted counts once),
# of record `{record}`; arguments: review, annotator, ADJUDICATOR, review.
FILLED = (
    "(SELECT COUNT(*) FROM {t}records d WHERE d.review = ? AND d.record = {record} "
    "AND d.status = 'submitted' AND d.annotator NOT IN (?, ?)) + "
    "(SELECT COUNT(*) FROM {t}reservations v WHERE v.review = ? AND v.record = {record} "
    "AND NOT EXISTS (SELECT 1 FROM {t}records s WHERE s.review = v.review "
    "AND s.record = v.record AND s.annotator = v.annotator AND s.status = 'submitted'))"
)
# The open candidates, first in queue order first (arguments: candidates, FILLED's, overlap).
OPEN = (
    "SELECT c.record FROM {candidates} WHERE "
    + FILLED.replace("{record}", "c.record")
    + " < ? ORDER BY c.n LIMIT ?"
)
# PostgreSQL: the first open one no other claim is taking, locked (argument: review first).
PICK = (
    "SELECT o.record FROM (" + OPEN + ") o "
    "WHERE pg_try_advisory_xact_lock(hashtextextended(? || chr(31) || o.record, 0)) LIMIT 1"
)
RESERVE = (
    "INSERT INTO {t}reservations SELECT ?, ?, ?, ? WHERE "
    + FILLED.replace("{record}", "?")
    + " < ? RETURNING record"
)
LOOK = 64  # open candidates one claim considers: more than annotators claiming at once
PICKS = 3  # picks one claim tries when the one it picked was just claimed by another


class Retry(Exception):
    """A lock another transaction holds (without waiting for it): run this one again."""


def claim(
    run: Callable[[str, Sequence], Any],
    d: Any,
    review: str,
    annotator: str,
    candidates: list[str],
    overlap: int,
    ttl: float,
) -> str | None:
    """The claim's statements, `run(sql, args)` in the caller's transaction: the record
    reserved for `annotator` (their earlier claims released), or None when none is open;
    raises `Retry` when the open ones were all being claimed by others just then."""
    at = now_us()
    filled = (review, annotator, ADJUDICATOR, review)
    run(RELEASE, (review, annotator, at))  # earlier and expired claims
    if not candidates:
        return None
    listed, expires = d.list_arg(candidates), at + int(ttl * 1e6)
    for _ in range(PICKS):
        if d.lock_first:  # PostgreSQL: take the first open one no other claim is on
            rows = run(PICK, (listed, *filled, overlap, LOOK, review)).fetchall()
            if not rows and not run(OPEN, (listed, *filled, overlap, 1)).fetchall():
                return None  # every candidate is filled
        else:  # SQLite: the write transaction already excludes every other claim
            rows = run(OPEN, (listed, *filled, overlap, 1)).fetchall()
            if not rows:
                return None
        if not rows:
            raise Retry(f"records of {review!r} were being claimed")
        record = rows[0][0]
        args = (review, record, annotator, expires, review, record, annotator, ADJUDICATOR, review)
        if run(RESERVE, (*args, record, overlap)).fetchone() is not None:
            return record
        # A claim of it committed after PICK's snapshot: the next PICK (a statement, so a
        # new snapshot under READ COMMITTED) sees it filled; the whole transaction need not
        # run again.
    raise Retry(f"record {record!r} of {review!r} was just claimed")
