"""Each record's agreement among its annotators' submitted answers, in numpy over Arrow.

The stored answers (`Store.submitted_answers`: record, annotator, question, JSON text) are
dictionary-encoded once, column by column, and every count is a sort or a bincount of the
integer codes: no Python loop over answers or records, and no string hashed twice. Answers
are stored validated, so equal answers have equal text.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def _codes(column: pa.ChunkedArray | pa.Array) -> tuple[np.ndarray, pa.Array]:
    """(an int64 code per value, the distinct values the codes index)."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    encoded = pc.dictionary_encode(column)
    return encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64), encoded.dictionary


def _runs(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(the distinct values, how many of each) of a sorted array: a diff, not a hash."""
    if not len(values):
        return values, np.zeros(0, np.int64)
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
    return values[starts], np.diff(np.r_[starts, len(values)])


def submitted(answers: pa.Table, skip: list[tuple[str, str]]) -> pa.Table:
    """The answers but those of the (annotator, record) pairs in `skip`, matched in Arrow."""
    if not skip:
        return answers
    unit = "\x1f"  # joins annotator and record: neither holds it
    pairs = pc.binary_join_element_wise(answers["annotator"], answers["record"], unit)
    unwanted = pa.array([f"{a}{unit}{r}" for a, r in skip], pa.string())
    return answers.filter(pc.invert(pc.is_in(pairs, value_set=unwanted)))


def agreement(answers: pa.Table, least: int = 2) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """(records, agreement, annotators) of the records answered by at least `least`
    annotators. A record's agreement is the mean, over its questions, of the share of
    answers equal to the most common one."""
    if answers.num_rows == 0:
        return pa.array([], pa.string()), np.zeros(0), np.zeros(0, np.int64)
    record, records = _codes(answers.column("record"))
    annotator, annotators = _codes(answers.column("annotator"))
    question, questions = _codes(answers.column("question"))
    text, texts = _codes(answers.column("text"))
    n, nq = len(records), len(questions)
    # annotators per record: the distinct (record, annotator) pairs, counted by record
    pairs, _ = _runs(np.sort(record * len(annotators) + annotator))
    people = np.bincount(pairs // len(annotators), minlength=n)
    # answers per (record, question, text), sorted: each (record, question) is a run (one
    # int64 holds the three codes while records x questions x distinct answers < 9.2e18)
    triples, counts = _runs(np.sort((record * nq + question) * len(texts) + text))
    groups, sizes = _runs(triples // len(texts))
    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    share = np.maximum.reduceat(counts, starts) / np.add.reduceat(counts, starts)
    owner = groups // nq  # the record of each (record, question), as `share`
    mean = np.bincount(owner, weights=share, minlength=n) / np.maximum(
        np.bincount(owner, minlength=n), 1
    )
    keep = people >= least
    return records.filter(pa.array(keep)), mean[keep], people[keep]
