"""`review.similar(row, k, embeddings=)` and the widget's `m`: records nearest to one by
cosine similarity over an embeddings column, computed on Arrow's buffers with numpy.

The column holds fixed-size lists of floats (`Sequence(Value("float32"), length=d)`) or
lists that all have the same length (what `ds.map(embed, batched=True)` makes). Its values
are read in storage order without a copy (a shuffled Dataset is not gathered first), a
block of rows at a time, so the dot products and norms of a block are taken while it is
in cache and memory grows by a few floats per row, not by the column. numpy's einsum, not
BLAS: a BLAS call per block pays its threads' start-up, which a busy machine makes slow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

if TYPE_CHECKING:
    from .._data.source import RecordSource
    from ..review import Review

BLOCK = 4096  # rows per block: a few MB of 384 floats, in cache for both passes


def _floats(kind: pa.DataType) -> bool:
    return pa.types.is_floating(kind)


def check_column(source: RecordSource, column: str) -> None:
    """A ValueError naming the column unless it holds lists of floats."""
    if column not in source.columns:
        raise ValueError(
            f"unknown embeddings column {column!r}; the dataset has columns {source.columns!r}"
        )
    kind = source.arrow_column(column, 0, min(1, len(source))).type
    is_list = (
        pa.types.is_fixed_size_list(kind)
        or pa.types.is_list(kind)
        or (pa.types.is_large_list(kind))
    )
    if not (is_list and _floats(kind.value_type)):
        raise ValueError(
            f"embeddings column {column!r} must hold fixed-size lists of floats (one vector "
            f"per row), but its type is {kind}"
        )


def _matrix(chunk: pa.Array, column: str) -> np.ndarray:
    """One chunk as an (rows, d) array, zero-copy where Arrow allows (null rows: zeros)."""
    if pa.types.is_fixed_size_list(chunk.type):
        d = chunk.type.list_size
        values = chunk.values.slice(chunk.offset * d, len(chunk) * d)
        flat = values.to_numpy(zero_copy_only=values.null_count == 0)
        return (np.nan_to_num(flat) if values.null_count else flat).reshape(len(chunk), d)
    lengths = pc.list_value_length(chunk).to_numpy(zero_copy_only=False)
    valid = ~np.isnan(lengths.astype(float)) if chunk.null_count else np.ones(len(chunk), bool)
    sizes = set(np.unique(lengths[valid]).astype(int).tolist())
    if len(sizes) > 1:
        raise ValueError(
            f"embeddings column {column!r} holds vectors of different dimensions "
            f"({sorted(sizes)[:5]}); every row needs the same number of floats"
        )
    d = sizes.pop() if sizes else 0
    if chunk.null_count:
        out = np.zeros((len(chunk), d), dtype=np.float32)
        out[valid] = _matrix(chunk.filter(pa.array(valid)), column)
        return out
    values = chunk.flatten()
    return values.to_numpy(zero_copy_only=values.null_count == 0).reshape(len(chunk), d)


def _chunks(values: pa.Array | pa.ChunkedArray) -> list[pa.Array]:
    return list(values.chunks) if isinstance(values, pa.ChunkedArray) else [values]


def scores(source: RecordSource, column: str, row: int) -> np.ndarray:
    """Cosine similarity of every row to `row`, in row order (NaN for a null or zero vector)."""
    check_column(source, column)
    values, rows = source.stored_values(column)
    query = np.asarray(source.row(row, [column])[column], dtype=np.float64)
    if query.size == 0 or not np.any(query):
        raise ValueError(f"row {row} has no embedding in column {column!r}")
    parts = []
    for chunk in _chunks(values):
        matrix = _matrix(chunk, column)
        if matrix.shape[1] != query.size:
            raise ValueError(
                f"embeddings column {column!r} holds vectors of different dimensions "
                f"({matrix.shape[1]} and {query.size})"
            )
        q = (query / np.linalg.norm(query)).astype(matrix.dtype)
        part = np.empty(len(matrix), dtype=np.float32)
        for start in range(0, len(matrix), BLOCK):
            block = matrix[start : start + BLOCK]
            norms = np.sqrt(np.einsum("ij,ij->i", block, block))
            with np.errstate(divide="ignore", invalid="ignore"):
                part[start : start + BLOCK] = np.einsum("ij,j->i", block, q) / norms
        parts.append(part)
    found = np.concatenate(parts) if parts else np.zeros(0, np.float32)
    found[~np.isfinite(found)] = np.nan
    return found if rows is None else found[rows]


def nearest(review: Review, row: int, k: int = 20, embeddings: str | None = None) -> np.ndarray:
    """`row`, then the `k` rows most similar to it, most similar first."""
    column = embeddings or review.context.model.embeddings
    if column is None:
        raise ValueError("similar needs an embeddings column: give embeddings=COLUMN")
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be a whole number of at least 1, got {k!r}")
    row = review.source.check_position(row)
    sims = scores(review.source, column, row)
    sims[row] = np.nan
    candidates = np.flatnonzero(~np.isnan(sims))
    k = min(k, len(candidates))
    if k == 0:
        return np.array([row], dtype=np.int64)
    top = candidates[np.argpartition(-sims[candidates], k - 1)[:k]]
    top = top[np.lexsort((top, -sims[top]))]
    return np.concatenate([[row], top]).astype(np.int64)


def similar_queue(review: Review, row: int, k: int = 20, embeddings: str | None = None) -> Review:
    """Set the queue to `row` and its k nearest records (saved like any queue)."""
    from .._data.queue import Queue

    rows = nearest(review, row, k, embeddings)
    review.live.use_queue(Queue(rows=tuple(int(r) for r in rows)))
    return review


SIMILAR_K = 20  # records the widget's `m` puts in the queue after the one on screen


def similar_here(session) -> None:
    """The widget's `m`: the queue becomes the record on screen and the records like it; the
    record stays on screen (answered records stay answered)."""
    from .._data.queue import Queue

    review = session.review
    if review.context.model.embeddings is None:
        session.notice = {
            "kind": "info",
            "text": "No similar records: build the review with embeddings=COLUMN.",
        }
        return
    position = session.cursor.position
    if position is None:
        return
    rows = nearest(review, position, SIMILAR_K)
    queue = Queue(rows=tuple(int(r) for r in rows))
    session.leave()
    review.store.set_setting(review.name, review.annotator, "queue", queue.spec())
    review.live.queue, review.live.order = queue, rows
    session.use_queue(queue, rows)
    session.cursor.goto(position)
    session.notice = {
        "kind": "info",
        "text": f"The queue: this record and {len(rows) - 1} like it.",
    }
