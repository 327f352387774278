"""What the training exports (TRL, OpenAI) share: which records count, their column values,
and which question serves a role.

Only the review annotator's submitted answers count. A role ("completion", "pairs", "label")
is one a question kind declares in `Question.trl_roles`; the exports ask the kinds, never
their names.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from .._data.chat import is_chat_type, is_messages
from .._data.fields import Target
from .._data.source import DataFrameSource
from ..questions import QUESTION_KINDS

if TYPE_CHECKING:
    from ..context import ReviewContext
    from ..questions import Question

GOOD = ("good", "accept", "yes", "pass", "correct")


def submitted(review: ReviewContext) -> tuple[np.ndarray, list[dict]]:
    """Row positions (dataset order) with a submitted answer of the review's annotator, and
    that record's answers."""
    store, name, annotator = review.store, review.name, review.annotator
    done = [r[0] for r in store.records(name, annotator) if r[2] == "submitted"]
    if not done:
        return np.array([], dtype=np.int64), []
    answers: dict[str, dict] = {}
    for record, _, question, value, _ in store.answers(name, annotator):
        answers.setdefault(record, {})[question] = value
    positions, keys = review.keys.find(done)  # ascending; only those rows' keys computed
    return positions, [answers.get(k, {}) for k in keys.to_pylist()]


def column(review: ReviewContext, name: str, positions: np.ndarray) -> list[Any]:
    """The values of a column at these rows, as Python objects (a `datasets.Json` column,
    which Arrow holds as JSON text, decoded; a DataFrame's cells as they are)."""
    positions = np.asarray(positions, dtype=np.int64)
    if isinstance(review.source, DataFrameSource):  # Python objects, whatever their shapes
        return [_plain(v) for v in review.source.data[name].iloc[positions].tolist()]
    return review.source.python_values(name, positions)


def _plain(value: Any) -> Any:
    """A pandas cell as plain Python: numpy arrays (parquet lists) as lists, NaN as None."""
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, float) and value != value:
        return None
    return value


def _ranks(role: str) -> dict[int, list[str]]:
    """Rank -> names of the kinds' classes that take `role` (Question.trl_roles), in order."""
    ranks: dict[int, list[str]] = {}
    for cls in QUESTION_KINDS.values():
        if role in cls.trl_roles:
            ranks.setdefault(cls.trl_roles[role], []).append(cls.__name__)
    return dict(sorted(ranks.items()))


def turns_of(q: Question) -> str | None:
    """The column a per-turn question is asked over (`turns=`, API.md 11), else None."""
    turns = getattr(q, "turns", None)
    return turns if isinstance(turns, str) else None


def turn_answers(answer: Any, count: int, name: str, position: int, who: str) -> list | None:
    """A record's per-turn answer (None when there is none), checked against the number of
    turns the record has now: answers that no longer line up are refused, not guessed at."""
    if not isinstance(answer, list):
        return None
    if len(answer) != count:
        raise ValueError(
            f"{who}: row {position}: the answer to {name!r} has {len(answer)} entries, but the "
            f"record has {count} turns; the data changed since it was answered, so the "
            "answers no longer line up with its turns: export from the data that was reviewed"
        )
    return answer


def one(
    review: ReviewContext, role: str, chosen: str | None, what: str, per_turn: bool | None = None
) -> Question:
    """The question `chosen` names (of a kind that takes `role`), else the only one there is,
    looking at the kinds of the lowest rank first (an Edit before a FreeText). `what` names
    the argument; `per_turn` True or False looks only at questions asked per turn, or not."""
    questions = [
        q
        for q in review.questions
        if role in q.trl_roles
        and (chosen is not None or per_turn is None or (turns_of(q) is not None) == per_turn)
    ]
    usable = [q.name for q in questions]
    ranks = _ranks(role)
    wanted = " or ".join(name for names in ranks.values() for name in names)
    if chosen is not None:
        if chosen not in review.questions.names:
            raise ValueError(
                f"{what}={chosen!r} is not a question of this review; pass one of {usable!r}"
            )
        q = review.questions[chosen]
        if role not in q.trl_roles:
            raise ValueError(
                f"{what}={chosen!r} is a {type(q).__name__} question; pass one of "
                f"{usable!r} ({wanted} questions)"
            )
        return q
    for rank, names in ranks.items():
        found = [q.name for q in questions if q.trl_roles[role] == rank]
        if len(found) == 1:
            return review.questions[found[0]]
        if len(found) > 1:
            kind = " or ".join(names)
            raise ValueError(
                f"the review has several {kind} questions {found!r}; pass {what}= the one to use"
            )
    asked = {True: " asked per turn (turns=)", False: " asked once per record", None: ""}
    raise ValueError(
        f"the review has no {wanted} question{asked[per_turn]}; add one to the review's questions"
    )


def good_labels(q: Question, good: str | Sequence[str] | None, who: str) -> set[str]:
    """The labels of `q` that mean good: `good=`, else those named like GOOD."""
    labels = list(q.labels)
    if good is None:
        chosen = [label for label in labels if label.strip().lower() in GOOD]
        if not chosen:
            raise ValueError(
                f"{who}: none of the labels {labels!r} of {q.name!r} is one of "
                f"{list(GOOD)!r}; pass good= the labels that mean a good completion"
            )
        return set(chosen)
    chosen = [good] if isinstance(good, str) else list(good)
    unknown = [g for g in chosen if g not in labels]
    if unknown or not chosen:
        raise ValueError(
            f"{who}: good= names labels of {q.name!r}, which are {labels!r}; got {chosen!r}"
        )
    return set(chosen)


class PromptColumn:
    """The prompt column: `prompt=`, else a column named "prompt"; a chat makes it
    conversational."""

    def __init__(self, review: ReviewContext, prompt: str | None, who: str):
        columns = review.source.columns
        if prompt is None:
            if "prompt" not in columns:
                raise ValueError(
                    f"{who} needs the prompt of every example, and the dataset has no column "
                    f"named 'prompt'; pass prompt= the column that holds it (one of {columns!r})"
                )
            prompt = "prompt"
        elif not isinstance(prompt, str) or prompt not in columns:
            raise ValueError(f"prompt={prompt!r} is not a column; the dataset has {columns!r}")
        self.review, self.column = review, prompt
        kind = review.source.arrow_column(prompt, 0, 1).type
        self.chat = is_chat_type(kind)
        if not self.chat and not (
            pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_null(kind)
        ):
            raise ValueError(
                f"the prompt column {prompt!r} holds {kind}, neither text nor chats (lists of "
                "{'role', 'content'} messages); pass prompt= a column that does"
            )

    def values(self, positions: np.ndarray, before: Target | None = None) -> list[Any]:
        """Each row's prompt; with `before` a message of this very chat, the messages before it."""
        values = column(self.review, self.column, positions)
        if before is None or before.column != self.column or before.message is None:
            return values
        cut = []
        for chat in values:
            index = before.message + len(chat) if chat and before.message < 0 else before.message
            cut.append(chat[:index] if chat and 0 < index < len(chat) else None)
        return cut

    def reply(self, value: Any, prompt: Any, where: str) -> Any:
        """A completion (chosen, rejected) as the format wants it; None when there is none."""
        if value is None:
            return None
        if isinstance(value, str):
            return [{"role": "assistant", "content": value}] if self.chat else value
        if is_messages(value):
            if not self.chat:
                raise ValueError(
                    f"{where} holds chats, but the prompt column {self.column!r} holds text; "
                    "pass prompt= a chat column, so that the examples are conversational"
                )
            shared = [(m.get("role"), m.get("content")) for m in prompt or []]
            head = [(m.get("role"), m.get("content")) for m in value[: len(shared)]]
            return value[len(shared) :] if shared and head == shared else value
        raise ValueError(f"{where} holds {type(value).__name__} values, not text or chats")
