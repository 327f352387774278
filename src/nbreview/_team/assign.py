"""Assignments: which records are whose, kept in the store so every kernel hands them out.

`review.assign("ana", "model == 'a'")` stores the record keys the filter (or `rows=`) picks
as ana's, in the store's settings (one setting per annotator, and an index of who has one
under the annotator `""`, a name no annotator can have). An annotator with assignments is
handed only those; the others are handed the records nobody is assigned, or nothing with
`assigned_only=True`. Overlap and gold_rate apply to what is left (gold.hand_out).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._data.queue import Queue
from ..context import check_name
from ..store.base import ADJUDICATOR, DONE

if TYPE_CHECKING:
    from ..review import Review

SETTING = "assigned"  # per annotator: the record keys assigned to them
INDEX = ""  # the settings' "annotator" holding the names that have assignments


def _positions(review: Review, filter: str | Callable | None, rows: Iterable[int] | None):
    n = len(review.source)
    keep = np.ones(n, dtype=bool)
    if filter is None and rows is None:
        raise ValueError("assign needs filter= (a condition as in queue) or rows= (positions)")
    if filter is not None:
        if not isinstance(filter, str) and not callable(filter):
            raise ValueError(f"assign filter must be a string or a callable, got {filter!r}")
        try:
            chosen = Queue(filter=filter).positions(review)
        except ValueError as exc:
            raise ValueError(f"assign filter {filter!r} is not a valid filter: {exc}") from None
        except Exception as exc:  # a SQL error from a condition that does not parse
            raise ValueError(f"assign filter {filter!r} is not a valid filter: {exc}") from None
        mask = np.zeros(n, dtype=bool)
        mask[chosen] = True
        keep &= mask
    if rows is not None:
        if isinstance(rows, (str, bytes)):
            raise ValueError(f"assign rows takes row positions, got {rows!r}")
        wanted = list(rows)
        bad = [r for r in wanted if isinstance(r, bool) or not isinstance(r, (int, np.integer))]
        if bad:
            raise ValueError(f"assign rows takes whole row positions, got {bad[0]!r}")
        array = np.asarray(wanted, dtype=np.int64)
        outside = array[(array < 0) | (array >= n)]
        if len(outside):
            raise ValueError(f"assign row {int(outside[0])} is outside the data (0..{n - 1})")
        mask = np.zeros(n, dtype=bool)
        mask[array] = True
        keep &= mask
    return np.flatnonzero(keep)


def table(review: Review) -> dict[str, list[str]]:
    """annotator -> assigned record keys, as the store holds them now."""
    store, name = review.store, review.name
    names = store.setting(name, INDEX, SETTING) or []
    out = {}
    for who in names:
        keys = store.setting(name, who, SETTING)
        if keys:
            out[who] = keys
    return out


def assign(
    review: Review,
    annotator: str,
    filter: str | Callable | None = None,
    rows: Iterable[int] | None = None,
) -> int:
    """Add the records chosen to `annotator`'s assignment; returns how many they now have."""
    annotator = check_name("annotator", annotator)
    if annotator == INDEX:
        raise ValueError("annotator must be a name")
    positions = _positions(review, filter, rows)
    keys = review.keys.take(positions).to_pylist()
    store = review.store
    before = store.setting(review.name, annotator, SETTING) or []
    merged = list(dict.fromkeys([*before, *keys]))
    store.set_setting(review.name, annotator, SETTING, merged)
    names = store.setting(review.name, INDEX, SETTING) or []
    if annotator not in names:
        store.set_setting(review.name, INDEX, SETTING, sorted([*names, annotator]))
    review.live.rehand()
    return len(merged)


def unassign(review: Review, annotator: str) -> None:
    """`annotator` has no assignment any more: handed what nobody is assigned again."""
    store = review.store
    store.set_setting(review.name, annotator, SETTING, None)
    names = store.setting(review.name, INDEX, SETTING) or []
    if annotator in names:
        rest = [n for n in names if n != annotator]
        store.set_setting(review.name, INDEX, SETTING, rest or None)
    review.live.rehand()


def _mask(review: Review, keys: list[str]) -> np.ndarray:
    mask = np.zeros(len(review.source), dtype=bool)
    if keys:
        mask[review.keys.find(keys)[0]] = True
    return mask


def restrict(review: Review, order: np.ndarray | None) -> np.ndarray | None:
    """The queue order with only what this annotator may be handed (gold records, with
    gold_rate, are everyone's; the adjudicator's are the disputed records)."""
    if review.annotator == ADJUDICATOR:
        return order
    assigned = table(review)
    mine = assigned.get(review.annotator)
    if mine:
        allowed = _mask(review, mine)
    elif getattr(review, "assigned_only", False):
        allowed = np.zeros(len(review.source), dtype=bool)
    elif assigned:
        allowed = ~_mask(review, [k for keys in assigned.values() for k in keys])
    else:
        return order
    if review.gold_rate is not None:
        allowed |= review.gold.mask
    if order is None:
        return np.flatnonzero(allowed).astype(np.int64)
    return order[allowed[order]]


def assignments(review: Review) -> pd.DataFrame:
    """One row per annotator with an assignment: assigned, submitted, remaining."""
    rows = []
    for who, keys in sorted(table(review).items()):
        present = review.keys.find(keys)[1]  # keys of records still in the data
        status = review.store.statuses(review.name, who)
        states = pa.array([status.get(k) for k in present.to_pylist()], type=pa.string())
        submitted = int(pc.sum(pc.equal(states, "submitted")).as_py() or 0)
        done = int(pc.sum(pc.is_in(states, value_set=pa.array(sorted(DONE)))).as_py() or 0)
        rows.append((who, len(present), submitted, len(present) - done))
    frame = pd.DataFrame(rows, columns=["annotator", "assigned", "submitted", "remaining"])
    return frame.astype({"assigned": "int64", "submitted": "int64", "remaining": "int64"})


def with_assignments(review: Review, progress: pd.DataFrame) -> pd.DataFrame:
    """progress_by_annotator's table plus each annotator's assignment, when there are any."""
    table = assignments(review)
    if table.empty:
        return progress
    table = table.rename(columns={"remaining": "assigned_remaining"})
    merged = progress.merge(table.drop(columns="submitted"), on="annotator", how="outer")
    for column in ("submitted", "skipped", "drafts", "assigned", "assigned_remaining"):
        merged[column] = merged[column].fillna(0).astype("int64")
    return merged.sort_values("annotator", ignore_index=True)
