"""Review datasets of model output in Jupyter at keyboard speed, and get typed columns back."""

from .fields import Chat, Markdown, Text
from .questions import AnswerError, FreeText, Label, MultiLabel, Question, Rating, Spans
from .queue import Queue
from .review import Progress, Review
from .store import StoreError

__all__ = [
    "AnswerError",
    "Chat",
    "FreeText",
    "Label",
    "Markdown",
    "MultiLabel",
    "Progress",
    "Question",
    "Queue",
    "Rating",
    "Review",
    "Spans",
    "StoreError",
    "Text",
]
__version__ = "0.1.0"
