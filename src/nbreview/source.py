"""Row access to the user's data where it already lives, without copying it."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pyarrow as pa


class RecordSource:
    """Read columns of a `datasets.Dataset` or a pandas `DataFrame` by row position, as Arrow."""

    def __init__(self, data: Any):
        self.data = data

    @staticmethod
    def of(data: Any) -> RecordSource:
        import datasets

        if isinstance(data, datasets.Dataset):
            return DatasetSource(data)
        if isinstance(data, pd.DataFrame):
            return DataFrameSource(data)
        if isinstance(data, datasets.DatasetDict):
            raise ValueError(
                f"Review takes one split, got a DatasetDict with splits {list(data)}; "
                f"pass one of them, e.g. ds[{next(iter(data), 'train')!r}]"
            )
        raise ValueError(
            f"Review takes a datasets.Dataset or a pandas.DataFrame, got {type(data).__name__}"
        )

    @property
    def columns(self) -> list[str]:
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError

    def arrow_column(self, column: str, start: int = 0, stop: int | None = None) -> pa.Array:
        """Values of rows start..stop of one column, in row order."""
        raise NotImplementedError

    def is_text_column(self, column: str) -> bool:
        raise NotImplementedError

    def row(self, position: int, columns: list[str]) -> dict[str, Any]:
        return {c: self.arrow_column(c, position, position + 1)[0].as_py() for c in columns}

    def check_position(self, position: Any) -> int:
        """Turn a user's row position (negative counts from the end) into a checked index."""
        if isinstance(position, bool) or not hasattr(position, "__index__"):
            raise IndexError(f"row position must be an integer, got {position!r}")
        position = int(position.__index__())
        n = len(self)
        if not -n <= position < n:
            raise IndexError(f"row {position} is out of range: the dataset has {n} rows")
        return position % n


class DatasetSource(RecordSource):
    """A Hugging Face Dataset, read through its Arrow table (and indices mapping, if any)."""

    def __init__(self, data: Any):
        super().__init__(data)
        self._table: pa.Table = data.data.table
        indices = getattr(data, "_indices", None)
        self._indices = None if indices is None else indices.column(0)

    @property
    def columns(self) -> list[str]:
        return list(self.data.column_names)

    def __len__(self) -> int:
        return len(self.data)

    def arrow_column(self, column: str, start: int = 0, stop: int | None = None) -> pa.Array:
        stop = len(self) if stop is None else min(stop, len(self))
        if self._indices is None:
            values = self._table.column(column).slice(start, stop - start)
        else:
            values = self._table.column(column).take(self._indices.slice(start, stop - start))
        return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values

    def is_text_column(self, column: str) -> bool:
        kind = self._table.schema.field(column).type
        return pa.types.is_string(kind) or pa.types.is_large_string(kind)


class DataFrameSource(RecordSource):
    """A pandas DataFrame, converted to Arrow one slice at a time."""

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.data.columns]

    def __len__(self) -> int:
        return len(self.data)

    def arrow_column(self, column: str, start: int = 0, stop: int | None = None) -> pa.Array:
        return pa.array(self.data[column].iloc[start:stop], from_pandas=True)

    def is_text_column(self, column: str) -> bool:
        series = self.data[column]
        if pd.api.types.is_string_dtype(series.dtype) and series.dtype != object:
            return True
        sample = series.dropna().head(100)
        return len(sample) > 0 and all(isinstance(v, str) for v in sample)
