"""Review datasets of model output in Jupyter at keyboard speed, and get typed columns back."""

from ._data.chat import message_text
from ._data.fields import Chat, Markdown, Steps, Text
from ._data.queue import Queue
from ._team.adjudicate import Adjudicate
from ._team.qualify import Qualify
from .questions import AnswerError, FreeText, Label, MultiLabel, Question, Rating, Spans
from .questions.compare import Edit, Preference, Ranking
from .questions.number import Number
from .questions.rubric import Rubric
from .review import Progress, Review
from .store import StoreError, StoreUnavailable

__all__ = [
    "Adjudicate",
    "AnswerError",
    "Chat",
    "Edit",
    "FreeText",
    "Label",
    "Markdown",
    "MultiLabel",
    "Number",
    "Preference",
    "Progress",
    "Qualify",
    "Question",
    "Queue",
    "Ranking",
    "Rating",
    "Review",
    "Rubric",
    "Spans",
    "Steps",
    "StoreError",
    "StoreUnavailable",
    "Text",
    "message_text",
]
__version__ = "0.1.0"
