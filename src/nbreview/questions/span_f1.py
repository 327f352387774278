"""Agreement on spans: token-overlap F1 between annotators, the measure `Spans` reports.

The text is split into tokens: runs of word characters (`\\w+`) and single other non-space
characters. An annotator marks (token, label) when one of their spans with that label
overlaps the token by a character or more. For every pair of annotators of a record,
F1 = 2·|A∩B| / (|A| + |B|); pooled over records, numerators and denominators are summed,
so pairs where neither marked anything count for nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import combinations

import numpy as np

TOKEN = re.compile(r"\w+|[^\w\s]")


def tokens(text: str) -> list[tuple[int, int]]:
    """(start, end) code point offsets of the tokens: word runs and single other characters."""
    return [m.span() for m in TOKEN.finditer(text)]


def marked(text: str | None, spans: Iterable[dict]) -> set[tuple[int, str]]:
    """(token index, label) of every token a span overlaps; without a text, every character."""
    out: set[tuple[int, str]] = set()
    spans = list(spans or ())
    if text is None:
        for s in spans:
            out.update((i, s["label"]) for i in range(s["start"], s["end"]))
        return out
    bounds = tokens(text)
    starts = np.array([b[0] for b in bounds], dtype=np.int64)
    ends = np.array([b[1] for b in bounds], dtype=np.int64)
    for s in spans:
        hit = np.flatnonzero((starts < s["end"]) & (ends > s["start"]))
        out.update((int(i), s["label"]) for i in hit)
    return out


def span_f1_counts(text: str | None, answers: Sequence[Sequence[dict]]) -> tuple[int, int]:
    """(sum of 2·|A∩B|, sum of |A|+|B|) over every pair of the record's annotators."""
    sets = [marked(text, spans) for spans in answers]
    matched = total = 0
    for a, b in combinations(sets, 2):
        matched += 2 * len(a & b)
        total += len(a) + len(b)
    return matched, total


def span_f1(text: str | None, answers: Sequence[Sequence[dict]]) -> float:
    """Token-overlap F1 between the annotators of one record (NaN when nobody marked)."""
    return pooled_span_f1([(text, answers)])


def pooled_span_f1(records: Iterable[tuple[str | None, Sequence[Sequence[dict]]]]) -> float:
    """Token-overlap F1 pooled over records: sums of matches over sums of sizes."""
    matched = total = 0
    for text, answers in records:
        m, t = span_f1_counts(text, answers)
        matched, total = matched + m, total + t
    return matched / total if total else float("nan")
