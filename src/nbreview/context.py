"""What every layer reads of a review, as one small frozen object: `review.context`.

The exporters, team, hub, model and UI layers read a review's data, questions, record keys,
store, name and annotator here instead of reaching into `Review`; what they may *do* to a
review shown here (a new queue or order, a refresh) is `review.live` (_ui/live.py).
docs/architecture.md says which layer does what.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._data.fields import Field
    from ._data.keys import RecordKeys
    from ._data.source import RecordSource
    from ._model.loop import ModelLoop
    from ._team.gold import Gold
    from ._team.qualify import Qualify
    from .questions.set import QuestionSet
    from .store import Store


NO_ANNOTATOR = (
    "this review has no annotator yet: the page asks its visitor for a name; "
    "give Review(annotator=...) or open the page with ?annotator=NAME"
)


@dataclass(frozen=True)
class ReviewContext:
    """A review's parts, as the layers read them (a snapshot: take it again after a served
    page's visitor has said who they are). A `Review` has the data parts (name to qualify)
    and `annotator` under the same names, so code that reads only those takes either."""

    name: str
    source: RecordSource
    questions: QuestionSet  # every question, companions (a preference's strength) included
    keys: RecordKeys
    store: Store
    fields: tuple[Field, ...]
    id: str | None
    gold: Gold  # the known right answers, checked when the review was built
    qualify: Qualify | None
    who: str | None  # who answers; None while a served page asks its visitor
    model: ModelLoop  # the model in the loop: suggesters, re-ranker, embeddings column

    @property
    def annotator(self) -> str:
        """Who answers; an error while a served page still asks its visitor, as on Review."""
        if self.who is None:
            raise ValueError(NO_ANNOTATOR)
        return self.who


def check_name(what: str, value: Any) -> str:
    """A review's or an annotator's name: a non-empty string."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} must be a non-empty string, got {value!r}")
    return value
