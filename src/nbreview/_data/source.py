"""Row access to the user's data where it already lives, without copying it."""

from __future__ import annotations

import json
import warnings
from collections import Counter
from collections.abc import Mapping
from typing import Any

import numpy as np
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

    def arrow_table(self) -> pa.Table:
        """Every column in row order (zero-copy for a Dataset without an indices mapping)."""
        raise NotImplementedError

    def all_values(self, column: str) -> pa.Array | pa.ChunkedArray:
        """Every row's value of one column, each row once, in no particular order."""
        return self.arrow_column(column)

    def table_column(self, column: str) -> pa.Array | pa.ChunkedArray:
        """One whole column as arrow_table() holds it, in row order (what search reads)."""
        return self.arrow_column(column)

    def values(
        self, column: str, start: int = 0, stop: int | None = None
    ) -> pa.Array | pa.ChunkedArray:
        """Rows start..stop of one column in row order, chunks as they are (no copy if it can)."""
        return self.arrow_column(column, start, stop)

    def take(self, column: str, positions: np.ndarray) -> pa.Array | pa.ChunkedArray:
        """The values of one column at these row positions, in the order given."""
        return self.arrow_column(column).take(pa.array(positions, type=pa.int64()))

    def stored_values(self, column: str) -> tuple[pa.Array | pa.ChunkedArray, np.ndarray | None]:
        """(values in storage order, row -> storage index or None): a whole column, no copy."""
        return self.values(column), None

    def row(self, position: int, columns: list[str]) -> dict[str, Any]:
        return {c: self.arrow_column(c, position, position + 1)[0].as_py() for c in columns}

    def single(self, column: str, position: int) -> pa.Array:
        """One row's value as a one-value array (content keys read a mixed column this way)."""
        return self.arrow_column(column, position, position + 1)

    def python_values(self, column: str, positions: np.ndarray) -> list[Any]:
        """The values of one column at these row positions, as Python objects."""
        return self.take(column, positions).to_pylist()

    def check_position(self, position: Any) -> int:
        """Turn a user's row position (negative counts from the end) into a checked index."""
        if isinstance(position, bool) or not hasattr(position, "__index__"):
            raise IndexError(f"row position must be an integer, got {position!r}")
        position = int(position.__index__())
        n = len(self)
        if not -n <= position < n:
            raise IndexError(f"row {position} is out of range: the dataset has {n} rows")
        return position % n


def _gather(column: pa.ChunkedArray, rows: np.ndarray) -> pa.Array:
    """column[rows], taking from each chunk what it holds.

    ChunkedArray.take concatenates every chunk of a string column first: reading one record
    through a shuffled Dataset's indices mapping would copy the whole column.
    """
    if column.num_chunks == 1 or len(rows) * 8 > len(column):  # most rows: one concatenation
        return column.take(pa.array(rows))
    bounds = np.cumsum([0] + [len(c) for c in column.chunks])
    which = np.searchsorted(bounds, rows, side="right") - 1
    if len(rows) == 1:
        return column.chunk(int(which[0])).slice(int(rows[0] - bounds[which[0]]), 1)
    order = np.argsort(which, kind="stable")
    groups = np.split(order, np.flatnonzero(np.diff(which[order])) + 1)
    pieces = [
        column.chunk(int(which[g[0]])).take(pa.array(rows[g] - bounds[which[g[0]]]))
        for g in groups
        if len(g)
    ]
    if not pieces:
        return pa.array([], type=column.type)
    gathered = pa.concat_arrays(pieces)
    if np.all(order[1:] > order[:-1]):
        return gathered
    inverse = np.empty(len(order), dtype=np.int64)
    inverse[order] = np.arange(len(order))
    return gathered.take(pa.array(inverse))


def has_json(kind: pa.DataType) -> bool:
    """Whether an Arrow type holds `datasets.Json` values (JSON text), at any depth: what
    `load_dataset("json")` makes of messages whose keys differ (`List(Json)`)."""
    level = [kind]
    while level:
        if any(_is_json(k) for k in level):
            return True
        level = [k.field(i).type for k in level for i in range(k.num_fields)]
    return False


def _is_json(kind: pa.DataType) -> bool:
    return getattr(kind, "extension_name", None) == "arrow.json"  # pa.JsonType, Arrow's own


def decode_json(value: Any, kind: pa.DataType) -> Any:
    """A Python value read from Arrow with its JSON-text parts parsed, as `datasets` decodes
    a `Json` feature."""
    if value is None:
        return None
    if _is_json(kind):
        return json.loads(value) if isinstance(value, str) else value
    if pa.types.is_struct(kind):
        types = {kind.field(i).name: kind.field(i).type for i in range(kind.num_fields)}
        return {k: decode_json(v, types[k]) for k, v in value.items()}
    if kind.num_fields == 1:  # lists of every kind
        return [decode_json(v, kind.field(0).type) for v in value]
    return value


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
            rows = self._indices.slice(start, stop - start).to_numpy().astype(np.int64, copy=False)
            values = _gather(self._table.column(column), rows)
        return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values

    def arrow_table(self) -> pa.Table:
        return self._table if self._indices is None else self._table.take(self._indices)

    def row(self, position: int, columns: list[str]) -> dict[str, Any]:
        out = super().row(position, columns)
        for c in columns:
            if has_json(kind := self._table.schema.field(c).type):
                out[c] = decode_json(out[c], kind)
        return out

    def python_values(self, column: str, positions: np.ndarray) -> list[Any]:
        values = super().python_values(column, positions)
        kind = self._table.schema.field(column).type
        return [decode_json(v, kind) for v in values] if has_json(kind) else values

    def values(
        self, column: str, start: int = 0, stop: int | None = None
    ) -> pa.Array | pa.ChunkedArray:
        if self._indices is not None:
            return self.arrow_column(column, start, stop)
        stop = len(self) if stop is None else min(stop, len(self))
        return self._table.column(column).slice(start, stop - start)

    def take(self, column: str, positions: np.ndarray) -> pa.Array:
        rows = np.asarray(positions, dtype=np.int64)
        if self._indices is not None:
            rows = self._indices.take(pa.array(rows)).to_numpy().astype(np.int64, copy=False)
        return _gather(self._table.column(column), rows)

    def stored_values(self, column: str) -> tuple[pa.ChunkedArray, np.ndarray | None]:
        rows = None if self._indices is None else self._indices.to_numpy().astype(np.int64)
        return self._table.column(column), rows

    def all_values(self, column: str) -> pa.Array | pa.ChunkedArray:
        values = self._table.column(column)  # zero-copy, chunks as they are
        if self._indices is None:
            return values
        chosen = np.zeros(len(self._table), dtype=bool)
        chosen[self._indices.to_numpy()] = True
        if np.count_nonzero(chosen) != len(self):  # a row taken twice: every row, in order
            return self.arrow_column(column)
        return values.filter(pa.array(chosen))  # table order: a shuffle keeps sorted ids sorted

    def is_text_column(self, column: str) -> bool:
        kind = self._table.schema.field(column).type
        return pa.types.is_string(kind) or pa.types.is_large_string(kind)


class DataFrameSource(RecordSource):
    """A pandas DataFrame, converted to Arrow one slice at a time.

    Columns are named by text, as in a Dataset: integer labels by their str(), on a view of
    the frame that shares its data. A column of Python objects may mix types (1, "a", a
    dict): each value is shown as it is, and the whole column is read as text where Arrow
    needs one type (`table_column`, `arrow_table`: the search box, queues, to_dataset()).
    """

    def __init__(self, data: pd.DataFrame):
        super().__init__(_named_by_text(data))
        self._told: set[str] = set()  # mixed columns already warned about

    @property
    def columns(self) -> list[str]:
        return list(self.data.columns)

    def __len__(self) -> int:
        return len(self.data)

    def arrow_column(self, column: str, start: int = 0, stop: int | None = None) -> pa.Array:
        return _arrow(self.data[column].iloc[start:stop])

    def take(self, column: str, positions: np.ndarray) -> pa.Array:
        return _arrow(self.data[column].iloc[np.asarray(positions)])

    def single(self, column: str, position: int) -> pa.Array:
        """One row's value as a one-value array; a value no Arrow type holds, as its text."""
        try:
            return self.arrow_column(column, position, position + 1)
        except MIXED:
            value = self.data[column].iloc[position]
            return pa.array([_as_text(value)], type=pa.string())

    def row(self, position: int, columns: list[str]) -> dict[str, Any]:
        out = {}
        for c in columns:
            try:
                out[c] = self.arrow_column(c, position, position + 1)[0].as_py()
            except MIXED:  # a value Arrow cannot type (a chat mixing text and parts, a list
                # mixing types): as it is, but as valid text within MAX_DEPTH
                value = self.data[c].iloc[position]
                out[c] = shown_value(value)
                if _altered(value, out[c]):  # what is shown is not the data: say so once
                    self._tell(c)
        return out

    def python_values(self, column: str, positions: np.ndarray) -> list[Any]:
        try:
            return super().python_values(column, positions)
        except MIXED:
            return [shown_value(v) for v in self.data[column].iloc[np.asarray(positions)]]

    def table_column(self, column: str) -> pa.Array:
        try:
            return self.arrow_column(column)
        except MIXED:
            self._tell(column)
            series = self.data[column]
            return pa.array([_as_text(v) for v in series.array], type=pa.string())

    def _tell(self, column: str) -> None:
        """Warn once per column that Arrow cannot hold it as it is, naming the first row."""
        if column in self._told:
            return
        self._told.add(column)
        series = self.data[column]
        kinds = sorted({type(v).__name__ for v in series.array if not _is_null(v)})
        row, why = _first_problem(series)
        warnings.warn(
            f"column {column!r} mixes values of types {', '.join(kinds[:6])} and {why} (first "
            f"at row {row}); the search box, queue filters and sorts, and to_dataset() read it "
            "as text (lists and dicts as JSON, lone surrogates as U+FFFD, values nested past "
            f"{MAX_DEPTH} levels as a placeholder); convert it first to choose how, e.g. "
            f"df[{column!r}] = df[{column!r}].astype(str)",
            stacklevel=3,
        )

    def arrow_table(self) -> pa.Table:
        frame = self.data.rename(columns=str)
        try:
            return pa.Table.from_pandas(frame, preserve_index=False)
        except MIXED:
            columns = list(frame.columns)
            return pa.table([self.table_column(c) for c in columns], names=columns)

    def is_text_column(self, column: str) -> bool:
        series = self.data[column]
        if pd.api.types.is_string_dtype(series.dtype) and series.dtype != object:
            return True
        sample = series.dropna().head(100)
        return len(sample) > 0 and all(isinstance(v, str) for v in sample)


def _arrow(values: pd.Series) -> pa.Array:
    """pandas values as Arrow; nesting past MAX_DEPTH is refused like a mixed column (MIXED),
    since hashing and showing such a value would recurse past Python's limit."""
    array = pa.array(values, from_pandas=True)
    if _type_depth(array.type) > MAX_DEPTH:
        raise pa.ArrowInvalid(f"values nested more than {MAX_DEPTH} levels deep")
    return array


def _type_depth(kind: pa.DataType) -> int:
    """How deeply lists and structs nest in an Arrow type, level by level, stopping just past
    MAX_DEPTH (a type can nest deeper than Python may recurse)."""
    depth, level = 0, [kind]
    while depth <= MAX_DEPTH:
        level = [k.field(i).type for k in level for i in range(k.num_fields)]
        if not level:
            break
        depth += 1
    return depth


def _first_problem(series: pd.Series) -> tuple[int, str]:
    """(row, what is wrong) of the first value that makes the column no one Arrow type."""
    kinds: set[type] = set()
    for row, value in enumerate(series.array):
        if _is_null(value):
            continue
        if isinstance(value, str) and valid_text(value) != value:
            return row, "holds text that is not valid Unicode (a lone surrogate)"
        if isinstance(value, (Mapping, list, tuple)) and _depth(value) > MAX_DEPTH:
            return row, f"holds a value nested more than {MAX_DEPTH} levels deep"
        try:
            pa.array([value], from_pandas=True)
        except MIXED:
            return row, "holds a value Arrow cannot read as one type (a list mixing types)"
        kinds.add(type(value))
        if len(kinds) > 1:
            return row, "no one Arrow type holds them all"
    return 0, "no one Arrow type holds them all"


def _named_by_text(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with string column names: integer labels as their str(), duplicates refused."""
    if isinstance(frame.columns, pd.MultiIndex):
        raise ValueError(
            "the DataFrame has MultiIndex columns; flatten them to one name each first, e.g. "
            "df.columns = ['_'.join(map(str, c)) for c in df.columns]"
        )
    for label in frame.columns:
        if isinstance(label, (bool, np.bool_)) or not isinstance(label, (str, int, np.integer)):
            raise ValueError(
                f"column name {label!r} ({type(label).__name__}) is neither text nor an integer; "
                "rename the columns, e.g. df.columns = df.columns.map(str)"
            )
    names = [str(label) for label in frame.columns]
    repeated = [n for n, count in Counter(names).items() if count > 1]
    if repeated:
        raise ValueError(
            f"the DataFrame has duplicate column names {repeated!r}{_clashes(frame, repeated)}; "
            "give each column its own name (df.columns = [...]) or drop the repeats "
            "(df = df.loc[:, ~df.columns.duplicated()])"
        )
    if all(isinstance(label, str) for label in frame.columns):
        return frame
    return frame.set_axis(names, axis=1)  # a view: the data is shared, not copied


def _clashes(frame: pd.DataFrame, repeated: list[str]) -> str:
    """'; 0 and '0' are both named '0'' for names an integer label shares with another."""
    told = ""
    for name in repeated:
        labels = [label for label in frame.columns if str(label) == name]
        if len(set(map(repr, labels))) > 1:
            told += f"; {' and '.join(map(repr, labels))} are both named {name!r}"
    return told


# What pa.array raises for a pandas column of objects that no one Arrow type holds (mixed
# types, nesting deeper than Arrow's limit, text with lone surrogates that UTF-8 cannot hold).
MIXED = (
    pa.ArrowInvalid,
    pa.ArrowTypeError,
    pa.ArrowNotImplementedError,
    OverflowError,
    UnicodeEncodeError,
    RecursionError,
)
MAX_DEPTH = 32  # lists and dicts nested deeper are shown and kept as their text
TOO_DEEP = "(a value nested more than {depth} levels deep: not shown)"


def _as_text(value: Any) -> str | None:
    """A value as a reader sees it: text as it is, lists and dicts as JSON, others by str();
    lone surrogates as U+FFFD, a value nested past MAX_DEPTH as a placeholder."""
    if _is_null(value):
        return None
    if isinstance(value, str):
        return valid_text(value)
    if isinstance(value, (Mapping, list, tuple, set, np.ndarray)):
        if _depth(value) > MAX_DEPTH:
            return TOO_DEEP.format(depth=MAX_DEPTH)
        return valid_text(json.dumps(value, ensure_ascii=False, default=_plain))
    return valid_text(str(value))


def valid_text(text: str) -> str:
    """The text with each lone surrogate (which UTF-8 cannot hold) replaced by U+FFFD: the
    same number of code points, so span offsets still count the same characters."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)


def _depth(value: Any) -> int:
    """How deeply lists and dicts nest in a value, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, Mapping):
            item = list(item.values())
        elif not isinstance(item, (list, tuple, set, np.ndarray)):
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            return deepest
        stack.extend((v, depth + 1) for v in item)
    return deepest


def _altered(value: Any, shown: Any) -> bool:
    """Whether `shown_value` changed what the data holds (surrogates, deep nesting)."""
    try:
        return bool(shown != value)
    except (ValueError, TypeError):  # numpy arrays compare element-wise: no verdict
        return False


def shown_value(value: Any) -> Any:
    """A pandas value Arrow refused, as the widget and exports take it: valid text, and
    nesting within MAX_DEPTH (deeper values become their text)."""
    if isinstance(value, str):
        return valid_text(value)
    if isinstance(value, (Mapping, list, tuple, set, np.ndarray)):
        text = _as_text(value)
        return text if _depth(value) > MAX_DEPTH else json.loads(text)
    return value


def _plain(value: Any) -> Any:
    """json.dumps' fallback: numpy values as Python ones, anything else by str()."""
    if isinstance(value, (np.ndarray, np.generic)):
        return value.tolist()
    if isinstance(value, set):
        return sorted(value, key=str)
    return str(value)


def _is_null(value: Any) -> bool:
    return (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, float) and value != value)
    )
