"""Review datasets of model output in Jupyter at keyboard speed, and get typed columns back."""

from .adjudicate import Adjudicate
from .fields import Chat, Markdown, Text
from .questions import AnswerError, FreeText, Label, MultiLabel, Question, Rating, Spans
from .questions_compare import Edit, Preference, Ranking
from .queue import Queue
from .review import Progress, Review
from .store import StoreError

__all__ = [
    "Adjudicate",
    "AnswerError",
    "Chat",
    "Edit",
    "FreeText",
    "Label",
    "Markdown",
    "MultiLabel",
    "Preference",
    "Progress",
    "Question",
    "Queue",
    "Ranking",
    "Rating",
    "Review",
    "Spans",
    "StoreError",
    "Text",
]
__version__ = "0.1.0"
