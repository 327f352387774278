"""The types every export writes the same way, named once."""

from __future__ import annotations

import pyarrow as pa

TIMESTAMP = pa.timestamp("us", tz="UTC")  # annotated_at, in every export and the Hub log
TIMESTAMP_FEATURE = "timestamp[us, tz=UTC]"  # the same as a datasets.Value dtype
