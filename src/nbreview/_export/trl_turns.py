"""TRL datasets from questions asked turn by turn (`turns=`, API.md 11).

- `stepwise`: TRL's stepwise-supervision type, `{"prompt", "completions", "labels"}`: the
  prompt text, the steps of an `nr.Steps` field (or a column of lists of strings), one bool
  per step, True where the step's answer is one of `good`. Only records whose every step is
  answered: a step left out would shift the labels of the ones after it. The type is
  standard (text) only, as TRL's process-reward trainer defined it.
- `kto` with `turns=True`: one unpaired-preference example per answered turn. Over a chat
  only the assistant's turns count (a tool result or a user message is not what a model is
  trained to say); the prompt is the conversation before the turn and the completion the
  turn's message (conversational; a message of tool calls only gets `""` as content, which
  TRL's template rendering needs); over steps the prompt is the prompt text and the steps
  before, each followed by the separator, and the completion the step (standard).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import datasets
import pyarrow as pa

from .._data.steps import split_steps
from . import picking
from .picking import PromptColumn, column, submitted, turn_answers, turns_of

if TYPE_CHECKING:
    from ..context import ReviewContext
    from ..questions import Question

STEPWISE = datasets.Features(
    {
        "prompt": datasets.Value("string"),
        "completions": datasets.List(datasets.Value("string")),
        "labels": datasets.List(datasets.Value("bool")),
    }
)


def _question(review: ReviewContext, question: str | None, who: str) -> Question:
    try:
        q = picking.one(review, "label", question, "question", per_turn=True)
    except ValueError as exc:
        raise ValueError(f"{who} takes each turn's label from a Label question: {exc}") from None
    if turns_of(q) is None:
        raise ValueError(
            f"{who}: question={q.name!r} is asked once per record; pass a Label question asked "
            "per turn (turns=COLUMN)"
        )
    return q


def _is_chat(review: ReviewContext, q: Question) -> bool:
    chat = getattr(q, "chat", None)
    if chat is None:  # not checked yet: the column's first value says
        from .._data.chat import is_chat_column

        chat = is_chat_column(review.source, turns_of(q))
    return bool(chat)


def _steps(q: Question, value: Any) -> list[str] | None:
    return split_steps(value, getattr(q, "sep", None) or "\n\n")


def _text_prompt(review: ReviewContext, prompt: str | None, who: str) -> PromptColumn:
    source = PromptColumn(review, prompt, who)
    if source.chat:
        raise ValueError(
            f"{who}: the prompt column {source.column!r} holds chats; stepwise examples are "
            "standard (text): pass prompt= a text column, such as the problem the steps solve"
        )
    return source


def stepwise(
    review: ReviewContext,
    prompt: str | None,
    question: str | None,
    good: str | Sequence[str] | None,
) -> datasets.Dataset:
    who = "to_trl('stepwise')"
    q = _question(review, question, who)
    if _is_chat(review, q):
        raise ValueError(
            f"{who}: {q.name!r} is asked per message of the chat {turns_of(q)!r}; stepwise "
            "supervision labels the steps of a text: ask the question over nr.Steps(COLUMN), or "
            "use to_trl('kto', turns=True) for chats"
        )
    good_set = picking.good_labels(q, good, who)
    source = _text_prompt(review, prompt, who)
    positions, answers = submitted(review)
    out: dict[str, list] = {"prompt": [], "completions": [], "labels": []}
    steps_of = column(review, turns_of(q), positions)
    rows = zip(positions, source.values(positions), steps_of, answers, strict=True)
    for position, text, value, given in rows:
        steps = _steps(q, value)
        if text is None or not steps:
            continue
        answer = turn_answers(given.get(q.name), len(steps), q.name, position, who)
        if answer is None or any(a is None for a in answer):
            continue  # every step answered, or the labels would not line up
        out["prompt"].append(text)
        out["completions"].append(steps)
        out["labels"].append([a in good_set for a in answer])
    return datasets.Dataset.from_dict(out, features=STEPWISE)


def kto_turns(
    review: ReviewContext,
    prompt: str | None,
    question: str | None,
    good: str | Sequence[str] | None,
) -> datasets.Dataset:
    who = "to_trl('kto', turns=True)"
    q = _question(review, question, who)
    good_set = picking.good_labels(q, good, who)
    positions, answers = submitted(review)
    values = column(review, turns_of(q), positions)
    if _is_chat(review, q):
        if prompt is not None and prompt != turns_of(q):
            raise ValueError(
                f"{who}: the prompt of each turn is the chat before it in {turns_of(q)!r}; "
                f"leave prompt= out (got {prompt!r})"
            )
        rows = _chat_turns(q.name, zip(positions, values, answers, strict=True), who)
    else:
        texts = _text_prompt(review, prompt, who).values(positions)
        rows = _step_turns(q, zip(positions, texts, values, answers, strict=True), who)
    out: dict[str, list] = {"prompt": [], "completion": [], "label": []}
    for before, turn, answer in rows:
        out["prompt"].append(before)
        out["completion"].append(turn)
        out["label"].append(answer in good_set)
    return _dataset(out, _is_chat(review, q))


def _chat_turns(name: str, records: Iterable, who: str) -> list[tuple[Any, Any, Any]]:
    rows = []
    for position, chat, given in records:
        answer = turn_answers(given.get(name), len(chat or ()), name, position, who)
        if not chat or answer is None:
            continue
        for i, entry in enumerate(answer):
            if entry is None or not _said_by_model(chat, i):
                continue
            before = [*chat[: i - 1], _with_text(chat[i - 1])]
            rows.append((before, [_with_text(chat[i])], entry))
    return rows


def _said_by_model(chat: list, i: int) -> bool:
    """An assistant turn after a message TRL can prompt with (user, tool, or an assistant
    message it continues)."""
    message, previous = chat[i], chat[i - 1] if i > 0 else None
    return (
        isinstance(message, dict)
        and message.get("role") == "assistant"
        and isinstance(previous, dict)
        and previous.get("role") in ("user", "tool", "assistant")
    )


def _with_text(message: dict) -> dict:
    """A message of tool calls only gets "" as content: TRL renders a completion (and an
    assistant prompt's end) by continuing the content."""
    return {**message, "content": ""} if message.get("content") is None else message


def _step_turns(q: Question, records: Iterable, who: str) -> list[tuple[Any, Any, Any]]:
    sep = getattr(q, "sep", None) or "\n\n"
    rows = []
    for position, text, value, given in records:
        steps = _steps(q, value)
        answer = turn_answers(given.get(q.name), len(steps or ()), q.name, position, who)
        if text is None or not steps or answer is None:
            continue
        for i, entry in enumerate(answer):
            if entry is not None:
                rows.append(("".join(p + sep for p in [text, *steps[:i]]), steps[i], entry))
    return rows


def _dataset(out: dict[str, list], chat: bool) -> datasets.Dataset:
    """The examples; messages of different shapes (tool calls, parts) kept as they are."""
    if not out["prompt"]:
        text: Any = datasets.Value("string")
        if chat:
            text = datasets.List(
                {"role": datasets.Value("string"), "content": datasets.Value("string")}
            )
        features = {"prompt": text, "completion": text, "label": datasets.Value("bool")}
        return datasets.Dataset.from_dict(out, features=datasets.Features(features))
    try:
        return datasets.Dataset.from_dict(out)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):  # e.g. text here, parts there
        messages = datasets.List(datasets.Json())
        features = {"prompt": messages, "completion": messages, "label": datasets.Value("bool")}
        return datasets.Dataset.from_dict(out, features=datasets.Features(features))
