"""`to_dataset(suggestions=True)` and `to_pandas(suggestions=True)`: `<question>_suggestion`
columns beside the answers, typed as the question's own column: the suggestion column's
value where a question has one (it wins), else a callable's stored suggestion, null
elsewhere. In a DataFrame they read as the answer columns do (label names, not codes)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import datasets
import numpy as np
import pandas as pd

from ..store.base import dump, load
from .loop import stored_texts
from .rank import column_text

if TYPE_CHECKING:
    from ..review import Review


def suggestion_columns(review: Review, prefix: str, taken: Any) -> dict[str, tuple]:
    """{name: (Arrow array, feature)} of every question's suggestion column, one value per
    row; a name already in `taken` is a ValueError."""
    texts = stored_texts(review)
    # rows of records with a stored suggestion (the others null): no pass hashing every row
    keys = review.keys.sparse({record for record, _ in texts}).to_pylist()
    rows = np.arange(len(keys))
    out = {}
    for q in review.questions:
        name = f"{prefix}{q.name}_suggestion"
        if name in taken:
            raise ValueError(f"suggestions=True: column {name!r} exists already")
        values = [None if (k, q.name) not in texts else load(texts[k, q.name]) for k in keys]
        if q.suggestion:
            column = review.source.take(q.suggestion, rows).to_pylist()
            targets = {c: review.source.take(c, rows).to_pylist() for c in q.target_columns()}
            for i, value in enumerate(column):
                text = column_text(q, value, {c: v[i] for c, v in targets.items()}, dump)
                if text is not None:
                    values[i] = load(text)
        out[name] = (q.to_arrow(values), q.feature())
    return out


def with_suggestions(review: Review, ds: datasets.Dataset, prefix: str = "") -> datasets.Dataset:
    for name, (array, feature) in suggestion_columns(review, prefix, ds.features).items():
        ds = ds.add_column(name, array.to_pylist(), feature=feature)
    return ds


def with_suggestions_frame(review: Review, frame: pd.DataFrame, prefix: str = "") -> pd.DataFrame:
    from .._export.columns import _named

    columns = suggestion_columns(review, prefix, frame.columns)
    added = {
        name: _named(array, feature, frame.index) for name, (array, feature) in columns.items()
    }
    return pd.concat([frame, pd.DataFrame(added, index=frame.index)], axis=1)
