"""Training mode (`gold_feedback=True`): after a gold record is submitted, its expected
answers beside the given ones, in the view while the record that follows is on screen.

Nothing of a gold answer reaches the browser before its record is submitted: the
feedback is made by the submit, from the store's copy of what was given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..review import Review


class GoldFeedback:
    """The feedback on the last gold record submitted, and the row it is shown beside."""

    def __init__(self, review: Review):
        self.review = review
        self.current: dict | None = None  # what is shown (page.py grades a qualification)
        self._shown_at: int | None = None  # the row on screen when it was first shown

    def submitted(self, position: int, key: str) -> None:
        """A record was submitted: feedback when it is a gold record, else none."""
        review = self.review
        expected = review.gold.expected(position)
        self.current, self._shown_at = None, None
        if not expected:
            return
        if not review.gold_feedback and not review.live.qualifier.qualifying():
            return  # qualify= alone: feedback on the qualification records only
        record = review.source.row(position, review.questions.target_columns())
        given = review.store.record(review.name, review.annotator, key).answers
        given = {name: given.get(name) for name in expected}
        right = {}
        for name, value in expected.items():
            q = review.questions[name]
            mark, parts = q.grade([given[name]], [value], [key], lambda _: {key: record})
            right[name] = bool(parts[0] > 0 and mark[0] == parts[0])
        to_browser = review.questions.to_browser
        self.current = {
            "record": key,
            "questions": list(expected),
            "expected": to_browser(expected, record),
            "given": to_browser(given, record),
            "right": right,
            "text": {
                name: {
                    "expected": review.questions[name].answer_text(value),
                    "given": review.questions[name].answer_text(given[name]),
                }
                for name, value in expected.items()
            },
        }

    def attach(self, view: dict[str, Any], position: int | None) -> dict[str, Any]:
        """The view with `feedback` while the row shown after the submit stays on screen."""
        if self.current is None:
            return view
        if self._shown_at is None:
            self._shown_at = position
        if position != self._shown_at:  # another record: the feedback is over
            self.current, self._shown_at = None, None
            return view
        return {**view, "feedback": self.current}
