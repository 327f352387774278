"""The review's questions as one unit: lookup, validation of whole answers, completeness."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from .base import AnswerError, Question


class QuestionSet:
    """Ordered, uniquely named questions; validates answers exactly as the widget does."""

    def __init__(self, questions: Iterable[Question]):
        items = list(questions) if not isinstance(questions, Question) else [questions]
        if not items:
            raise ValueError("a review needs at least one question, e.g. nr.Rating('quality')")
        for q in items:
            if not isinstance(q, Question):
                raise ValueError(
                    f"questions takes nr.Rating, nr.Label, ... objects, got {type(q).__name__}: "
                    f"{q!r}"
                )
        # A question's companions (a preference's strength) are questions too, after it.
        everything = [c for q in items for c in (q, *q.companions())]
        names = [q.name for q in everything]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(
                f"duplicate question names {dupes!r}: each question needs its own name"
            )
        self._by_name = {q.name: q for q in everything}
        self._given = [q.name for q in items]

    def __iter__(self) -> Iterator[Question]:
        return iter(self._by_name.values())

    def __len__(self) -> int:
        return len(self._by_name)

    def __getitem__(self, name: str) -> Question:
        try:
            return self._by_name[name]
        except KeyError:
            raise AnswerError(
                f"there is no question {name!r}; the questions are {list(self._by_name)!r}"
            ) from None

    @property
    def names(self) -> list[str]:
        return list(self._by_name)

    def specs(self) -> list[dict]:
        """The questions as given, to rebuild them (companions come back with their question)."""
        return [self._by_name[name].spec() for name in self._given]

    def layout(self, key: str, record: Mapping[str, Any]) -> dict[str, dict]:
        """Per-record display data of the questions that have some (a preference's sides)."""
        out = {}
        for q in self:
            data = q.layout(key, record)
            if data is not None:
                out[q.name] = data
        return out

    def validate(
        self, answers: Mapping[str, Any], record: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """Every answer checked before any is stored, so a bad one changes nothing.

        `record` maps column -> value of the row answered (see `target_columns`).
        """
        return {name: self[name].validate(value, record) for name, value in answers.items()}

    def target_columns(self) -> list[str]:
        """The columns the questions read, each once: what `record` must hold."""
        return list(dict.fromkeys(c for q in self for c in q.target_columns()))

    def from_browser(self, answers: Mapping[str, Any], record: Mapping[str, Any]) -> dict:
        """Answers as the browser sent them, in the kernel's units (before validation)."""
        return {name: self[name].from_browser(value, record) for name, value in answers.items()}

    def to_browser(self, answers: Mapping[str, Any], record: Mapping[str, Any]) -> dict:
        """Stored or suggested answers in the browser's units; unknown names pass through."""
        return {
            name: self._by_name[name].to_browser(value, record) if name in self._by_name else value
            for name, value in answers.items()
        }

    def missing(
        self, answers: Mapping[str, Any], record: Mapping[str, Any] | None = None
    ) -> list[str]:
        """Required questions left unanswered; `record` (the target columns) lets a per-turn
        question check every asked turn."""
        return [q.name for q in self if q.missing_in(answers, record)]

    def use_fields(self, fields: Iterable[Any]) -> None:
        """Tell the questions the review's fields (a Steps field's separator)."""
        fields = list(fields)
        for q in self:
            q.use_fields(fields)

    @property
    def one_key(self) -> bool:
        """One key answers, submits and advances when the record asks one question of a kind
        that takes one key (a rating, a label); never with a per-turn question."""
        return len(self) == 1 and next(iter(self)).one_key
