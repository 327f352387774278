"""Store queries that answer with Arrow tables: what the quality tables read, all rows at once.

Fetching a hundred thousand rows as Python tuples costs more than everything done with them
afterwards, so the database renders them as text, parsed in C: SQLite as JSON arrays
(`json_group_array`, one per column and chunk of rows), PostgreSQL as CSV (`COPY ... TO STDOUT`).
"""

from __future__ import annotations

import io
import json

import pyarrow as pa
import pyarrow.csv as pcsv

TIMES = pa.schema(
    {
        "record": pa.string(),
        "annotator": pa.string(),
        "status": pa.string(),
        "annotated_at": pa.int64(),
        "seconds": pa.float64(),
    }
)
SUBMITTED = pa.schema(
    {"record": pa.string(), "annotator": pa.string(), "question": pa.string(), "text": pa.string()}
)
CHUNK = 500_000  # rowids per JSON text: far below SQLite's largest string (1 GB)
BLOCK = 1 << 24  # bytes per block of Arrow's JSON reader


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
