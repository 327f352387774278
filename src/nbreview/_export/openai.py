"""Reviewed answers as OpenAI fine-tuning files: supervised ("sft") and preference ("dpo").

One JSON object per line, as OpenAI documents them:

- `sft`: `{"messages": [...]}` (plus `"tools"` when the dataset has them), the whole chat of
  every submitted record; with `weights=` a per-turn Label question, each assistant message
  gets `"weight": 1` when its answer is in `good`, else 0 (not answered: 0), and a chat
  with no good assistant message is left out (nothing in it to learn);
- `dpo`: `{"input": {"messages": [...]}, "preferred_output": [...],
  "non_preferred_output": [...]}` from a Preference (ties left out) or a Ranking (its best
  against its worst: the first and the last of the pairs the kind lists).

Messages are rewritten into OpenAI's own form by `openai_chat` (tool calls with JSON text
arguments and ids, tool messages with `tool_call_id`, reasoning dropped).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import datasets

from . import picking
from .openai_chat import clean, to_openai_messages
from .picking import PromptColumn, column, submitted

if TYPE_CHECKING:
    from ..context import ReviewContext
    from ..questions import Question

KINDS = ("sft", "dpo")
FEATURES = {
    "sft": {"messages": datasets.List(datasets.Json())},
    "dpo": {
        "input": datasets.Json(),
        "preferred_output": datasets.List(datasets.Json()),
        "non_preferred_output": datasets.List(datasets.Json()),
    },
}


def to_openai(
    review: ReviewContext,
    kind: str,
    path: str | os.PathLike | None = None,
    *,
    chat: str | None = None,
    weights: str | None = None,
    good: str | Sequence[str] | None = None,
    question: str | None = None,
    prompt: str | None = None,
    tools: str | None = None,
) -> datasets.Dataset | Path:
    """OpenAI fine-tuning JSONL written to `path` (returned), or as a `Dataset` without one."""
    if kind not in KINDS:
        raise ValueError(f"to_openai makes {', '.join(map(repr, KINDS))} files, got {kind!r}")
    unused = {
        "sft": {"question": question, "prompt": prompt},
        "dpo": {"chat": chat, "weights": weights, "good": good},
    }[kind]
    given = [name for name, value in unused.items() if value is not None]
    if given:
        raise ValueError(f"to_openai({kind!r}) takes no {', '.join(given)}")
    tools = _tools_column(review, tools)
    rows = _sft(review, chat, weights, good) if kind == "sft" else _dpo(review, question, prompt)
    if tools is not None:
        _add_tools(review, rows, tools, kind)
    rows = [row for _, row in rows]
    if path is None:
        features = dict(FEATURES[kind])
        if tools is not None and kind == "sft":
            features["tools"] = datasets.Json()
            rows = [{"tools": None, **row} for row in rows]
        return datasets.Dataset.from_list(rows, features=datasets.Features(features))
    path = Path(path)
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


# -- sft ----------------------------------------------------------------------------------------


def _chat_column(review: ReviewContext, chat: str | None, turns: str | None) -> str:
    columns = review.source.columns
    if chat is not None:
        if chat not in columns:
            raise ValueError(f"chat={chat!r} is not a column; the dataset has {columns!r}")
        if turns is not None and chat != turns:
            raise ValueError(
                f"chat={chat!r}, but the weights question is asked over the turns of {turns!r}"
            )
        return chat
    if turns is not None:
        return turns
    shown = [f.column for f in review.fields if f.spec().get("kind") == "chat"]
    if len(shown) == 1:
        return shown[0]
    if "messages" in columns and not shown:
        return "messages"
    raise ValueError(
        "to_openai('sft') writes whole chats: pass chat= the column that holds them "
        f"(the dataset has {columns!r})"
    )


def _weights_question(review: ReviewContext, weights: str) -> tuple[Question, str]:
    try:
        q = picking.one(review, "label", weights, "weights", per_turn=True)
    except ValueError as exc:
        raise ValueError(f"to_openai('sft') weighs turns by a Label question: {exc}") from None
    turns = picking.turns_of(q)
    if turns is None:
        raise ValueError(
            f"weights={weights!r} is asked once per record; pass a Label question asked per "
            "turn (nr.Label(..., turns='messages')), whose answers weigh each assistant message"
        )
    roles = getattr(q, "asked_roles", None)
    if roles is not None and "assistant" not in roles:
        raise ValueError(
            f"weights={weights!r} is asked about {list(roles)!r} messages, not the assistant's: "
            "OpenAI weighs assistant messages only"
        )
    return q, turns


def _sft(
    review: ReviewContext, chat: str | None, weights: str | None, good: str | Sequence[str] | None
) -> list[tuple[int, dict]]:
    q = turns = good_set = None
    if weights is not None:
        q, turns = _weights_question(review, weights)
        good_set = picking.good_labels(q, good, "to_openai('sft')")
    elif good is not None:
        raise ValueError("to_openai('sft'): good= goes with weights=, the per-turn question")
    name = _chat_column(review, chat, turns)
    positions, answers = submitted(review)
    rows = []
    for position, chat_value, given in zip(
        positions, column(review, name, positions), answers, strict=True
    ):
        if not chat_value:
            continue
        where = f"to_openai('sft'): row {int(position)} of {name!r}"
        marks = None
        if q is not None:
            answer = picking.turn_answers(
                given.get(q.name), len(chat_value), q.name, int(position), "to_openai('sft')"
            )
            marks = _weights(chat_value, answer or [], good_set)
            if 1 not in marks:
                continue
        rows.append((int(position), {"messages": to_openai_messages(chat_value, where, marks)}))
    return rows


def _weights(chat: list, answer: list, good: set[str]) -> list[int | None]:
    """1 or 0 for each assistant message (good or not, unanswered 0), None for the others."""
    marks: list[int | None] = []
    for i, message in enumerate(chat):
        if not isinstance(message, dict) or message.get("role") != "assistant":
            marks.append(None)
        else:
            marks.append(int(i < len(answer) and answer[i] in good))
    return marks


# -- dpo ----------------------------------------------------------------------------------------


def _dpo(review: ReviewContext, question: str | None, prompt: str | None) -> list[tuple[int, dict]]:
    try:
        q = picking.one(review, "pairs", question, "question")
    except ValueError as exc:
        raise ValueError(
            f"to_openai('dpo') takes the preferred and non-preferred outputs from a Preference "
            f"or Ranking question: {exc}"
        ) from None
    source = PromptColumn(review, prompt, "to_openai('dpo')")
    positions, answers = submitted(review)
    prompts = source.values(positions)
    texts = {f: column(review, f, positions) for f in q.fields}
    rows = []
    for i, (prompt_value, given) in enumerate(zip(prompts, answers, strict=True)):
        pairs = q.pairs(given.get(q.name))  # best first; a tie gives none
        if prompt_value is None or not pairs:
            continue
        where = f"to_openai('dpo'): row {int(positions[i])}"
        (better, _), (_, worse) = pairs[0], pairs[-1]
        outputs = [
            _output(source, texts[f][i], prompt_value, f"{where}, column {f!r}")
            for f in (better, worse)
        ]
        if None in outputs:
            continue
        if source.chat:
            messages = to_openai_messages(prompt_value, f"{where}, prompt")
        else:
            messages = [{"role": "user", "content": prompt_value}]
        row = {
            "input": {"messages": messages},
            "preferred_output": outputs[0],
            "non_preferred_output": outputs[1],
        }
        rows.append((int(positions[i]), row))
    return rows


def _output(source: Any, value: Any, prompt: Any, where: str) -> list[dict] | None:
    reply = source.reply(value, prompt, where)
    if reply is None:
        return None
    if isinstance(reply, str):
        return [{"role": "assistant", "content": reply}]
    return to_openai_messages(reply, where)


# -- tools --------------------------------------------------------------------------------------


def _tools_column(review: ReviewContext, tools: str | None) -> str | None:
    """`tools=`, else a column named "tools" when there is one."""
    columns = review.source.columns
    if tools is None:
        return "tools" if "tools" in columns else None
    if tools not in columns:
        raise ValueError(f"tools={tools!r} is not a column; the dataset has {columns!r}")
    return tools


def _add_tools(review: ReviewContext, rows: list[tuple[int, dict]], name: str, kind: str) -> None:
    """Each row's tool definitions (a list, or its JSON text) beside its messages."""
    positions = [p for p, _ in rows]
    for (position, row), value in zip(rows, column(review, name, positions), strict=True):
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError:
                raise ValueError(
                    f"to_openai({kind!r}): row {position} of {name!r} is not JSON"
                ) from None
        if not value:
            continue
        if not isinstance(value, list):
            raise ValueError(
                f"to_openai({kind!r}): row {position} of {name!r} holds "
                f"{type(value).__name__}, not a list of tool definitions"
            )
        tools = clean(value)
        if kind == "sft":
            row["tools"] = tools
        else:
            row["input"]["tools"] = tools
