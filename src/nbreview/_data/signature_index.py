"""Rows by signature, sorted: which rows may hold a stored record, found by binary search.

Every row's 32-bit signature (content_hash.py) needs one pass over the shown text; the
index keeps them sorted with their rows, so each later lookup (a second window's record,
an undo after a restart) is a binary search, not a pass over the rows. It lives in the
process: for data whose keys are kept in a file (key_file.py) that file is used instead.
"""

from __future__ import annotations

import numpy as np


class SignatureIndex:
    """Signatures in ascending order (`ordered`) and the row each came from (`rows`)."""

    def __init__(self, ordered: np.ndarray, rows: np.ndarray):
        self.ordered, self.rows = ordered, rows

    @classmethod
    def build(cls, signatures: np.ndarray) -> SignatureIndex:
        """From every row's signature, in row order (a radix sort: ~0.1 s a million rows)."""
        rows = np.argsort(signatures, kind="stable").astype(
            np.uint32 if _fits(signatures) else np.int64
        )
        return cls(signatures[rows], rows)

    def __len__(self) -> int:
        return len(self.ordered)

    def rows_of(self, signatures: np.ndarray) -> np.ndarray:
        """Every row carrying one of these signatures, ascending (int64)."""
        wanted = np.unique(np.asarray(signatures, dtype=np.uint32))
        if not len(wanted) or not len(self.ordered):
            return np.zeros(0, dtype=np.int64)
        first = np.searchsorted(self.ordered, wanted, side="left")
        last = np.searchsorted(self.ordered, wanted, side="right")
        counts = last - first
        total = int(counts.sum())
        if not total:
            return np.zeros(0, dtype=np.int64)
        # first[i], first[i] + 1, ... for each signature, without a Python loop
        starts = np.repeat(first - np.cumsum(counts) + counts, counts)
        at = starts + np.arange(total)
        return np.sort(np.asarray(self.rows[at], dtype=np.int64))


def _fits(signatures: np.ndarray) -> bool:
    return len(signatures) < 2**32
