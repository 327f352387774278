"""Which records to review, in which order: computed with Arrow and DuckDB, never row by row.

A queue is an ordered array of row positions. It is computed once when set (so the
record just answered stays where it was) and its spec is kept in the store, so a
reopened review gets the same queue back.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .._model import rank as model_rank
from ..store.base import STATUSES as RECORD_STATUSES
from .parallel import map_pieces
from .source import MIXED, RecordSource

if TYPE_CHECKING:
    from ..review import Review

STATUSES = ("unanswered", *RECORD_STATUSES)  # what a queue may select by
POSITION = "__nbreview_position"
BATCH = 65_536
SEARCH_SLICE = 131_072  # rows per search task: a few tasks per core on a million rows


@dataclass(frozen=True)
class Queue:
    """A spec of the records to review: filter, status, search, then sort or shuffle.

    - `filter`: a SQL/pandas-style condition over the columns (`"model == 'b' and score < 0.5"`),
      or a callable taking a `pyarrow.RecordBatch` and returning a boolean mask for it.
    - `sort`: a column name, or several; a leading `-` sorts that column descending.
    - `status`: `"unanswered"` (no submitted or skipped answer from this annotator),
      `"draft"`, `"submitted"` or `"skipped"`.
    - `search`: text that a shown field must contain (case-insensitive).
    - `seed`: shuffle the records with this seed (instead of sorting).
    - `sort="disagreement"` / `"suggestion_disagreement"` (unless the dataset has a column
      of that name): orders the team's answers give (_model/rank.py).
    - `order`: `fn(review) -> row positions`, those rows first in that order, the others
      after in row order; called again in the background after every `every` submitted
      answers by anyone (_model/rerank.py).
    """

    filter: str | Callable[[pa.RecordBatch], Any] | None = None
    sort: str | Sequence[str] | None = None
    status: str | None = None
    search: str | None = None
    seed: int | None = None
    order: Callable | None = None
    every: int | None = None
    rows: tuple[int, ...] | None = None  # only these rows, in this order (review.similar)

    def __post_init__(self) -> None:
        from .._model.rank import check_order

        check_order(self)
        if self.filter is not None and not (isinstance(self.filter, str) or callable(self.filter)):
            raise ValueError(f"queue filter must be a string or a callable, got {self.filter!r}")
        if self.status is not None and self.status not in STATUSES:
            raise ValueError(f"queue status must be one of {STATUSES}, got {self.status!r}")
        if self.search is not None and not isinstance(self.search, str):
            raise ValueError(f"queue search must be a string, got {self.search!r}")
        if self.sort is not None and not _column_names(self.sort):
            raise ValueError(f"queue sort takes a column name or a list of them, got {self.sort!r}")
        if self.sort is not None and self.seed is not None:
            raise ValueError("a queue is either sorted or shuffled: give sort= or seed=, not both")
        if self.seed is not None and (
            isinstance(self.seed, bool) or not isinstance(self.seed, int)
        ):
            raise ValueError(f"queue seed must be an integer, got {self.seed!r}")

    @property
    def sort_keys(self) -> list[tuple[str, bool]]:
        """(column, descending) pairs."""
        names = [self.sort] if isinstance(self.sort, str) else list(self.sort or [])
        out = []
        for name in names:
            if not isinstance(name, str) or not name.lstrip("-"):
                raise ValueError(f"queue sort takes column names, got {name!r}")
            out.append((name.lstrip("-"), name.startswith("-")))
        return out

    def spec(self) -> dict | None:
        """JSON to keep in the store, or None when a callable filter cannot be kept."""
        if callable(self.filter) or self.order is not None:
            return None
        spec = {
            "filter": self.filter,
            "sort": self.sort if isinstance(self.sort, (str, type(None))) else list(self.sort),
            "status": self.status,
            "search": self.search,
            "seed": self.seed,
            "rows": None if self.rows is None else list(self.rows),
        }
        return {k: v for k, v in spec.items() if v is not None}

    @property
    def is_everything(self) -> bool:
        given = (self.filter, self.sort, self.status, self.search, self.seed, self.order, self.rows)
        return all(v is None for v in given)

    def positions(self, review: Review) -> np.ndarray:
        """The queue's row positions, in queue order."""
        n = len(review.source)
        keep = np.ones(n, dtype=bool)
        if callable(self.filter):
            keep &= _callable_mask(review, self.filter)
        if self.status is not None:
            keep &= _status_mask(review, self.status)
        if self.search:
            keep &= _search_mask(review, self.search)
        ranked = model_rank.ranked(review, self)  # a model's or the team's order, or None
        if ranked is not None:
            if isinstance(self.filter, str):
                keep &= _mask_of(_sql_order(review, self.filter, Queue()), len(keep))
            order = ranked[keep[ranked]]
        elif isinstance(self.filter, str) or self.sort is not None:
            order = _sql_order(review, self.filter if isinstance(self.filter, str) else None, self)
            order = order[keep[order]]
        else:
            order = np.flatnonzero(keep)
        if self.seed is not None:
            order = np.random.default_rng(self.seed).permutation(order)
        return order.astype(np.int64, copy=False)


def _mask_of(positions: np.ndarray, n: int) -> np.ndarray:
    mask = np.zeros(n, dtype=bool)
    mask[positions] = True
    return mask


def _column_names(value: Any) -> bool:
    """A sort is a name or a list of names (a saved one may have been written by anyone)."""
    items = [value] if isinstance(value, str) else value
    return isinstance(items, (list, tuple)) and all(isinstance(v, str) for v in items)


def as_queue(value: Any) -> Queue:
    """What `Review(queue=...)` takes: a Queue, a filter string or callable, or a dict of fields."""
    if value is None:
        return Queue()
    if isinstance(value, Queue):
        return value
    if isinstance(value, dict):
        unknown = set(value) - {
            "filter",
            "sort",
            "status",
            "search",
            "seed",
            "order",
            "every",
            "rows",
        }
        if unknown:
            raise ValueError(f"unknown queue settings {sorted(unknown)}")
        return Queue(**value)
    if isinstance(value, str) or callable(value):
        return Queue(filter=value)
    raise ValueError(f"queue takes nr.Queue(...), a filter string or a callable, got {value!r}")


def _table(review: Review) -> pa.Table:
    """All columns in row order, plus the row position, for DuckDB to scan without copying."""
    table = review.source.arrow_table()
    return table.append_column(POSITION, pa.array(np.arange(len(table), dtype=np.int64)))


def _sql_order(review: Review, condition: str | None, queue: Queue) -> np.ndarray:
    """Positions passing the filter, in sort order; the filter is checked before it runs."""
    import duckdb

    from . import filter_sql

    columns = list(review.source.columns)
    for column, _ in queue.sort_keys:
        if column not in columns:
            raise ValueError(
                f"queue sort: unknown column {column!r}; the columns are {sorted(columns)}"
            )
    order = [
        f"{filter_sql.quote(c)} {'DESC' if d else 'ASC'} NULLS LAST" for c, d in queue.sort_keys
    ]
    head = f"SELECT {filter_sql.quote(POSITION)} FROM records"
    tail = " ORDER BY " + ", ".join([*order, filter_sql.quote(POSITION)])
    con = filter_sql.connect()
    try:
        if condition:
            sql = filter_sql.checked_sql(con, head + " WHERE ", condition, tail, columns)
        else:
            sql = head + tail
        con.register("records", _table(review))
        result = filter_sql.run(con, sql)[POSITION]  # bounded when a saved one re-runs
    except duckdb.Error as exc:
        raise ValueError(filter_sql.describe(exc, con, condition)) from None
    finally:
        con.close()
    return filter_sql.checked_positions(result, len(review.source))


def _callable_mask(review: Review, fn: Callable) -> np.ndarray:
    parts = []
    for batch in review.source.arrow_table().to_batches(max_chunksize=BATCH):
        mask = fn(batch)
        if isinstance(mask, (pa.Array, pa.ChunkedArray)):
            mask = mask.to_numpy(zero_copy_only=False)
        mask = np.asarray(mask)
        if mask.shape != (batch.num_rows,):
            raise ValueError(
                f"the queue filter returned {mask.shape} for a batch of {batch.num_rows} rows; "
                "it must return one boolean per row"
            )
        parts.append(np.where(mask == None, False, mask).astype(bool))  # noqa: E711 - nulls
    return np.concatenate(parts) if parts else np.zeros(0, dtype=bool)


def _status_mask(review: Review, status: str) -> np.ndarray:
    statuses = review.store.statuses(review.name, review.annotator)
    if status == "unanswered":
        chosen = [k for k, s in statuses.items() if s in ("submitted", "skipped")]
    else:
        chosen = [k for k, s in statuses.items() if s == status]
    found = np.zeros(len(review.source), dtype=bool)
    found[review.keys.find(chosen)[0]] = True  # hashes only the rows stored records may be
    return ~found if status == "unanswered" else found


def _search_mask(review: Review, text: str) -> np.ndarray:
    """Rows whose shown fields contain `text`, ignoring case; searched where the data lives."""
    found = np.zeros(len(review.source), dtype=bool)
    for field in review.fields:
        values, rows = _searchable(review.source, field.column)
        if values is None:
            continue
        hit = _contains(values, text)
        found |= hit if rows is None else hit[rows]
    return found


def _searchable(source: RecordSource, column: str) -> tuple[Any, np.ndarray | None]:
    """(text values in storage order, row -> storage index), or (None, None) for no text.

    Storage order: a shuffled Dataset's column is searched as it is, not gathered first.
    """
    try:
        values, rows = source.stored_values(column)
    except MIXED:
        values, rows = source.table_column(column), None  # a mixed column as text
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        if not _castable(values.type):
            return None, None
        values = pc.cast(values, pa.string())
    return values, rows


def _contains(values: pa.Array | pa.ChunkedArray, text: str) -> np.ndarray:
    """match_substring over slices of the column on a few threads (Arrow releases the GIL)."""
    pieces = [values.slice(start, SEARCH_SLICE) for start in range(0, len(values), SEARCH_SLICE)]

    def search(piece: pa.Array | pa.ChunkedArray) -> np.ndarray:
        hit = pc.match_substring(piece, text, ignore_case=True).fill_null(False)
        return np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool)

    if not pieces:
        return np.zeros(0, dtype=bool)
    return np.concatenate(map_pieces(search, pieces))


def _castable(kind: pa.DataType) -> bool:
    return pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_boolean(kind)


def preview(value: Any, width: int = 80) -> str:
    """A one-line glimpse of a field value for the queue table."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, list):  # a chat: its last message is the one under review
        value = value[-1].get("content", "") if value and isinstance(value[-1], dict) else value
    text = " ".join(str(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"
