"""`nr.Adjudicate`: a lead settles the records annotators disagree on, lowest agreement first.

It is the review widget itself, working as annotator "adjudicated" on a queue of the
disputed records, with every annotator's submitted answers shown beside the questions.
Its answers are the ones `to_dataset(annotators="consensus")` prefers.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .._data.queue import Queue
from .._export.consensus import consensus_columns
from ..questions import Question
from ..review import Review
from ..store.base import ADJUDICATOR


def disputed_rows(review: Review) -> np.ndarray:
    """Rows answered by two annotators or more who do not all agree, least agreement first."""
    submitted = [
        (record, annotator)
        for record, annotator, status, *_ in review.store.records(review.name)
        if status == "submitted" and annotator != ADJUDICATOR
    ]
    counts = Counter(record for record, _ in submitted)
    shared = [record for record, n in counts.items() if n >= 2]
    if not shared:
        return np.zeros(0, dtype=np.int64)
    keys = review.keys.sparse(shared)  # only the shared records' rows are looked at
    many = pc.is_in(keys, value_set=pa.array(shared, pa.string())).to_numpy(zero_copy_only=False)
    agreement = consensus_columns(review.context)["agreement"][0]
    share = agreement.to_numpy(zero_copy_only=False).astype(float)  # null -> nan
    rows = np.flatnonzero(many & ~(share >= 1.0))  # full agreement needs no settling
    # Least agreement first; records with no agreement figure (free text only) last.
    return rows[np.argsort(np.nan_to_num(share[rows], nan=2.0), kind="stable")]


def others_answers(review: Review) -> dict[str, dict[str, dict[str, Any]]]:
    """record -> annotator -> question -> submitted answer, for everyone but the adjudicator."""
    submitted = {
        (record, annotator)
        for record, annotator, status, *_ in review.store.records(review.name)
        if status == "submitted" and annotator != ADJUDICATOR
    }
    out: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for record, annotator, question, value, _ in review.store.answers(review.name):
        if (record, annotator) in submitted:
            out[record].setdefault(annotator, {})[question] = value
    return dict(out)


class Adjudicate:
    """Show every annotator's answers side by side and record the final one as "adjudicated"."""

    def __init__(self, review: Review):
        if not isinstance(review, Review):
            raise ValueError(f"Adjudicate takes an nr.Review, got {type(review).__name__}")
        ctx = review.context
        self.review = Review(
            ctx.source.data,
            fields=list(ctx.fields),
            # the questions as the user declared them, rebuilt from their specs: a preference
            # brings its strength companion back itself (never a second one)
            questions=[Question.from_spec(spec) for spec in ctx.questions.specs()],
            id=ctx.id,
            store=ctx.store,
            annotator=ADJUDICATOR,
            name=ctx.name,
            guidelines=review.guidelines or None,
            load_images=review.load_images,
        )
        session = self.review.session
        disputed = disputed_rows(review)
        session.use_queue(Queue(), disputed, within=disputed)
        session.others = others_answers(review)

    def __len__(self) -> int:
        """How many records are in dispute."""
        return self.review.session.queue_len()

    def __repr__(self) -> str:
        return f"<nbreview.Adjudicate {self.review.name!r}: {len(self)} disputed records>"

    @property
    def widget(self):
        return self.review.widget

    def _repr_mimebundle_(self, **kwargs: Any):
        return self.review._repr_mimebundle_(**kwargs)
