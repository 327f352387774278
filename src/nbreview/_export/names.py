"""Label answers by name for pandas: a ClassLabel is a dataset's business (API.md 3).

`to_dataset()` keeps ClassLabel integers; a DataFrame user expects what `annotations()`
shows: a `Categorical` of the label names for one choice, lists of names for several.
"""

from __future__ import annotations

from typing import Any

import datasets
import pandas as pd
import pyarrow as pa


def _has_labels(feature: Any) -> bool:
    """Whether a feature is a ClassLabel, or a list (of lists …) of one."""
    while not isinstance(feature, datasets.ClassLabel):
        feature = getattr(feature, "feature", None)
        if feature is None:
            return False
    return True


def _decode(value: Any, feature: Any) -> Any:
    """One stored value with every label number replaced by its name (None stays None)."""
    if value is None:
        return None
    if isinstance(feature, datasets.ClassLabel):
        return feature.int2str(int(value))
    return [_decode(v, feature.feature) for v in value]


def named_series(array: pa.Array, feature: Any, index: pd.Index) -> pd.Series | None:
    """The column with label names, or None when its feature holds no ClassLabel."""
    if not _has_labels(feature):
        return None
    if isinstance(feature, datasets.ClassLabel):
        codes = array.to_numpy(zero_copy_only=False)
        codes = pd.Series(codes).fillna(-1).astype("int64").to_numpy()  # null: no category
        return pd.Series(pd.Categorical.from_codes(codes, feature.names), index=index)
    values = [_decode(v, feature) for v in array.to_pylist()]
    return pd.Series(values, index=index, dtype=object)
