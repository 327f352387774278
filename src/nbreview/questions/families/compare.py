"""The compare family (Preference, Ranking): an answer that compares fields of the record.

Answers name fields, never screen positions, so they train models (to_trl's DPO pairs
through `pairs`). The browser shows the fields in an order fixed per record by a hash of the
record key and the question name (`shown_order`, sent in `layout`), so position bias cancels
out over a dataset while a record always looks the same.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar


def digest(*parts: str) -> bytes:
    """A stable hash of the parts: the same record always gets the same order."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()


def check_fields(name: str, fields: Any, least: int, most: int | None = None) -> list[str]:
    """The field names a comparison is between: distinct, non-empty strings."""
    if isinstance(fields, str) or not isinstance(fields, Sequence):
        raise ValueError(
            f"question {name!r}: fields names the columns to compare, as a list of column "
            f"names, got {fields!r}"
        )
    fields = list(fields)
    bad = [f for f in fields if not isinstance(f, str) or not f]
    if bad:
        raise ValueError(f"question {name!r}: fields must be column names, got {bad!r}")
    dupes = sorted({f for f in fields if fields.count(f) > 1})
    if dupes:
        raise ValueError(f"question {name!r}: fields names {dupes!r} twice")
    if len(fields) < least or (most is not None and len(fields) > most):
        want = f"exactly {least}" if most == least else f"at least {least}"
        raise ValueError(
            f"question {name!r}: fields needs {want} columns to compare, got {len(fields)}"
        )
    return fields


class Compare:
    """Mixin of the kinds that compare `fields`: put it before `Question` in the bases."""

    name: str
    fields: list[str]
    task: ClassVar[str | None] = "text-generation"
    trl_roles: ClassVar[Mapping[str, int]] = {"pairs": 0}  # DPO's chosen and rejected

    def target_columns(self) -> list[str]:
        return list(self.fields)

    def shown_order(self, key: str) -> list[str]:
        """The fields in the order the widget first shows them for record `key`."""
        raise NotImplementedError

    def layout(self, key: str, record: Mapping[str, Any]) -> dict | None:
        return {"order": list(self.shown_order(key))}

    def pairs(self, answer: Any) -> list[tuple[str, str]]:
        """(better, worse) field names an answer ranks, best first, the last pair the widest
        (`to_openai("dpo")` takes it); none for no answer or a tie."""
        raise NotImplementedError

    def spec(self) -> dict:
        return {**super().spec(), "fields": list(self.fields)}
