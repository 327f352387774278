"""`to_dataset(suggestions=True)`: `<question>_suggestion` columns beside the answers, typed
as the question's own column: the suggestion column's value where a question has one
(it wins), else a callable's stored suggestion, null elsewhere."""

from __future__ import annotations

from typing import TYPE_CHECKING

import datasets
import numpy as np

from ..store.base import load
from .loop import stored_texts
from .rank import column_text

if TYPE_CHECKING:
    from ..review import Review


def with_suggestions(review: Review, ds: datasets.Dataset, prefix: str = "") -> datasets.Dataset:
    from ..store.base import dump

    texts = stored_texts(review)
    keys = review.keys.all().to_pylist()
    features = dict(ds.features)
    for q in review.questions:
        name = f"{prefix}{q.name}_suggestion"
        if name in features:
            raise ValueError(f"to_dataset(suggestions=True): column {name!r} exists already")
        values = [None if (k, q.name) not in texts else load(texts[k, q.name]) for k in keys]
        if q.suggestion:
            column = review.source.take(q.suggestion, np.arange(len(keys))).to_pylist()
            targets = {
                c: review.source.take(c, np.arange(len(keys))).to_pylist()
                for c in q.target_columns()
            }
            for i, value in enumerate(column):
                text = column_text(q, value, {c: v[i] for c, v in targets.items()}, dump)
                if text is not None:
                    values[i] = load(text)
        ds = ds.add_column(name, q.to_arrow(values).to_pylist(), feature=q.feature())
    return ds
