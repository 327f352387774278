"""A per-annotator budget for what answers take in the store (issue 25, attack 8).

A served page takes answers of up to 2,000,000 characters each, from anyone who opens it:
one visitor grew a shared store by 84 MB in 9 s. Each annotator's stored answers (their
JSON, in characters) may take at most `Review(budget=...)`; a change that would go past it
is refused with a notice that says so, and nothing already saved changes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..store.base import dump

DEFAULT = 20_000_000  # characters: ten answers at the largest size a message may carry


def check_budget(value: Any) -> int | None:
    """`Review(budget=...)`: a whole number of characters, or None for no budget."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"budget must be a whole number of characters (or None), got {value!r}")
    return value


class Budget:
    """The annotator's stored answer characters: read once, then counted as changes land."""

    def __init__(self, review: Any):
        self.review = review
        self.used: int | None = None  # an upper bound between exact reads

    def admit(self, answers: Mapping[str, Any], stored: Callable[[], Mapping[str, Any]]) -> int:
        """The characters these answers add; a ValueError when they would take the
        annotator past the budget. `stored()`: the record's current answers, read only
        when the quick count says the budget may be reached."""
        review = self.review
        limit = getattr(review, "budget", None)  # an adjudicating lead's session has none
        adding = sum(len(dump(v)) for v in answers.values() if v is not None)
        if limit is None or not adding:
            return adding
        if self.used is None or self.used + adding > limit:  # exact: what is stored now
            self.used = review.store.answer_chars(review.name, review.annotator)
            current = stored()
            freed = sum(len(dump(current[q])) for q in answers if current.get(q) is not None)
            if self.used - freed + adding > limit:
                raise ValueError(
                    f"Not saved: this answer would take {review.annotator}'s answers past "
                    f"their budget in this review ({limit:,} characters; {self.used:,} used). "
                    "Everything saved before stays; the review's owner can raise "
                    "Review(budget=...)"
                )
        return adding

    def stored(self, adding: int) -> None:
        if self.used is not None:
            self.used += adding
