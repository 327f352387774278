"""`review.timing()`: one row per (record, annotator) with time on screen (API.md 8).

Every record an annotator has had on screen, answered or not: a record viewed and left
without an answer has status null (and annotated_at null: nothing was annotated). Records
the data no longer holds are left out; `row` is the record's row in the data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._export.types import TIMESTAMP
from .log import read

if TYPE_CHECKING:
    from ..review import Review

COLUMNS = ["record", "row", "annotator", "seconds", "status", "annotated_at"]


def timing(review: Review) -> pd.DataFrame:
    records = read(review).records
    answered = pc.is_valid(records["status"])
    at = pc.if_else(answered, records["annotated_at"], pa.scalar(None, pa.int64()))
    table = pa.table(
        {
            "record": records["record"],
            "row": records["row"],
            "annotator": records["annotator"],
            "seconds": records["seconds"],
            "status": records["status"],
            "annotated_at": at.cast(TIMESTAMP),
        }
    ).sort_by([("annotator", "ascending"), ("row", "ascending")])
    frame = table.to_pandas()
    return frame.astype({"row": "int64", "seconds": "float64"})[COLUMNS]
