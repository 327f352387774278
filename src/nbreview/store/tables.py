"""Store queries that answer with Arrow tables: what the quality tables read, all rows at once.

Fetching a hundred thousand rows as Python tuples costs more than everything done with them
afterwards, so the database renders them as text and Arrow parses it in C: SQLite as JSON
lines (`json_object`, a chunk of rows per string), PostgreSQL as CSV (`COPY ... TO STDOUT`).
"""

from __future__ import annotations

import io

import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.json as pjson

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


def from_json_lines(texts: list[str], schema: pa.Schema) -> pa.Table:
    """Rows rendered as JSON objects, one per line, several lines per text."""
    if not texts:
        return schema.empty_table()
    data = "\n".join(texts).encode("utf-8")
    parse = pjson.ParseOptions(explicit_schema=schema, unexpected_field_behavior="error")
    try:
        table = pjson.read_json(
            io.BytesIO(data), read_options=pjson.ReadOptions(block_size=BLOCK), parse_options=parse
        )
    except pa.ArrowInvalid:  # a row longer than a block (a long corrected text): one block
        table = pjson.read_json(
            io.BytesIO(data),
            read_options=pjson.ReadOptions(block_size=len(data) + 1),
            parse_options=parse,
        )
    return table.select(schema.names).cast(schema)


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
