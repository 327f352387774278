"""Question kinds: each module holds one family, each class owns its behaviour.

`QUESTION_KINDS` maps a kind name to its class; a subclass with a `kind` of its own
registers itself, so `Question.from_spec` rebuilds it from a store or a dataset card.
"""

from .base import QUESTION_KINDS, AnswerError, Question
from .choice import Label, MultiLabel, Rating
from .compare import Edit, Preference, PreferenceStrength, Ranking
from .freetext import FreeText
from .number import Number
from .rubric import Rubric
from .set import QuestionSet
from .spans import Spans

__all__ = [
    "QUESTION_KINDS",
    "AnswerError",
    "Edit",
    "FreeText",
    "Label",
    "MultiLabel",
    "Number",
    "Preference",
    "PreferenceStrength",
    "Question",
    "QuestionSet",
    "Ranking",
    "Rating",
    "Rubric",
    "Spans",
]
