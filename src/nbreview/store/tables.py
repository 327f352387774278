"""Store queries that answer with Arrow tables: what the quality tables read, all rows at once.

Fetching a hundred thousand rows as Python tuples costs more than everything done with them
afterwards, so the database renders them as text that Arrow splits and casts in C: SQLite as one
text per column and chunk of rows, values joined by a control character (`group_concat`, falling
back to JSON arrays when a value holds one), PostgreSQL as CSV (`COPY ... TO STDOUT`).
"""

from __future__ import annotations

import io
import json

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

ANSWERED_FIELDS = ("record", "status", "annotated_at")  # of records one annotator answered
# Nullable fields are the columns SQL may hold NULL in: the text form marks those apart.
TIMES = pa.schema(
    [
        pa.field("record", pa.string(), nullable=False),
        pa.field("annotator", pa.string(), nullable=False),
        pa.field("status", pa.string()),
        pa.field("annotated_at", pa.int64(), nullable=False),
        pa.field("seconds", pa.float64(), nullable=False),
    ]
)
SUBMITTED = pa.schema(
    [pa.field(name, pa.string(), nullable=False) for name in ("record", "annotator", "question")]
    + [pa.field("text", pa.string(), nullable=False)]
)
ANSWERS = pa.schema([f for f in SUBMITTED if f.name != "annotator"])  # of one annotator
RECORDS = pa.schema([f.with_nullable(False) for f in TIMES if f.name in ANSWERED_FIELDS])
CHUNK = 500_000  # rowids per JSON text: far below SQLite's largest string (1 GB)
BLOCK = 1 << 24  # bytes per block of Arrow's JSON reader


UNIT = "\x1f"  # between values: JSON text escapes it, content keys are hex, statuses are words
NULL = "\x1e"  # a NULL of a nullable column (whose values are statuses or numbers)


def text_columns(expressions: list[str], schema: pa.Schema) -> str:
    """The select list of the text form: the row count, then each column's values joined."""
    parts = ["count(*)"]
    for expression, field in zip(expressions, schema, strict=True):  # numbers join as text
        value = f"coalesce({expression}, '{NULL}')" if field.nullable else expression
        parts.append(f"group_concat({value}, '{UNIT}')")
    return ", ".join(parts)


def from_text_columns(chunks: list[tuple], schema: pa.Schema) -> pa.Table | None:
    """Rows in the text form, per chunk (count, one text per column); None when a value held
    the separator or did not parse (an id or a name with a control character in it), for the
    caller to ask for JSON instead."""
    parts = []
    for count, *texts in chunks:
        if not count:
            continue
        try:
            columns = [
                _split(text, count, field) for text, field in zip(texts, schema, strict=True)
            ]
        except (ValueError, pa.ArrowInvalid):
            return None
        parts.append(pa.table(columns, schema))
    return pa.concat_tables(parts) if parts else schema.empty_table()


def _split(text: str | None, count: int, field: pa.Field) -> pa.Array:
    values = pc.split_pattern(pa.array([text or ""]), UNIT).flatten()
    if len(values) != count:
        raise ValueError(f"{field.name}: {len(values)} values for {count} rows")
    if field.nullable:
        values = pc.if_else(pc.equal(values, NULL), pa.scalar(None, pa.string()), values)
    return values.cast(field.type)


def from_json_columns(chunks: list[tuple[str, ...]], schema: pa.Schema) -> pa.Table:
    """Rows as SQLite's json_group_array renders them: per chunk, one JSON array per column.

    Python's C parser reads each array into a list, which Arrow takes as one column: no
    tuple per row, and no JSON object per row for SQLite to build.
    """
    parts = [
        pa.table(
            [pa.array(json.loads(text), f.type) for text, f in zip(chunk, schema, strict=True)],
            schema,
        )
        for chunk in chunks
    ]
    return pa.concat_tables(parts) if parts else schema.empty_table()


def from_csv(data: bytes, schema: pa.Schema) -> pa.Table:
    """Rows as PostgreSQL's COPY writes CSV: no header, null unquoted and empty."""
    if not data:
        return schema.empty_table()
    table = pcsv.read_csv(
        io.BytesIO(data),
        read_options=pcsv.ReadOptions(column_names=schema.names, block_size=BLOCK),
        parse_options=pcsv.ParseOptions(newlines_in_values=True),
        convert_options=pcsv.ConvertOptions(
            column_types=schema,
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=False,
        ),
    )
    return table.cast(schema)
