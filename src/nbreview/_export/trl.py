"""Reviewed answers as TRL training data: SFT, DPO, KTO and stepwise datasets.

The formats are TRL's own ("Dataset formats" in its docs), with an explicit prompt:

- `sft`: prompt-completion, `{"prompt", "completion"}`;
- `dpo`: preference, `{"prompt", "chosen", "rejected"}`;
- `kto`: unpaired preference, `{"prompt", "completion", "label"}` (`label` a bool);
- `stepwise`, and `kto` with `turns=True`, from questions asked per turn: `trl_turns`.

Standard examples hold strings. When the prompt column holds chats (lists of
`{"role", "content"}` messages) the examples are conversational: the prompt stays a message
list and every completion, chosen or rejected becomes `[{"role": "assistant", "content": …}]`
(a chat-valued field keeps its messages after the prompt). When the completion is one message
of the prompt's own chat (`nr.Edit(..., field="messages[-1]")` with `prompt="messages"`), the
prompt is the messages before it.

Only the review annotator's submitted answers count; a record without one, or whose prompt
or texts are null, is left out. Requests no question can serve, or that more than one could,
are `ValueError`s that name what to pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import datasets

from .._data.fields import Target
from . import picking, trl_turns
from .picking import PromptColumn, column, one, submitted

if TYPE_CHECKING:
    from ..context import ReviewContext

KINDS = ("sft", "dpo", "kto", "stepwise")
COLUMNS = {
    "sft": ("prompt", "completion"),
    "dpo": ("prompt", "chosen", "rejected"),
    "kto": ("prompt", "completion", "label"),
}
MESSAGES = datasets.List({"role": datasets.Value("string"), "content": datasets.Value("string")})


def to_trl(
    review: ReviewContext,
    kind: str,
    prompt: str | None = None,
    completion: str | None = None,
    label: str | None = None,
    good: str | Sequence[str] | None = None,
    preference: str | None = None,
    *,
    question: str | None = None,
    turns: bool = False,
) -> datasets.Dataset:
    """A `datasets.Dataset` in TRL's `kind` format ("sft", "dpo", "kto" or "stepwise")."""
    if kind not in KINDS:
        raise ValueError(f"to_trl makes {', '.join(map(repr, KINDS))} datasets, got {kind!r}")
    turns_arg = turns or None
    unused = {
        "sft": {"label": label, "good": good, "preference": preference, "question": question},
        "dpo": {"completion": completion, "label": label, "good": good, "question": question},
        "kto": {"preference": preference},
        "stepwise": {"completion": completion, "label": label, "preference": preference},
    }[kind]
    if kind != "kto":
        unused["turns"] = turns_arg
    given = [name for name, value in unused.items() if value is not None]
    if given:
        raise ValueError(f"to_trl({kind!r}) takes no {', '.join(given)}")
    if kind == "stepwise":
        return trl_turns.stepwise(review, prompt, question, good)
    if kind == "kto":
        if label is not None and question is not None and label != question:
            raise ValueError(f"to_trl('kto'): label={label!r} and question={question!r} differ")
        label = label if label is not None else question
        if turns:
            if completion is not None:
                raise ValueError("to_trl('kto', turns=True): each turn is its own completion")
            return trl_turns.kto_turns(review, prompt, label, good)
    source = PromptColumn(review, prompt, "to_trl")
    if kind == "sft":
        return _sft(review, source, completion)
    if kind == "dpo":
        return _dpo(review, source, preference)
    return _kto(review, source, completion, label, good)


def _dataset(kind: str, columns: dict[str, list], chat: bool) -> datasets.Dataset:
    if columns["prompt"]:
        return datasets.Dataset.from_dict(columns)
    text = MESSAGES if chat else datasets.Value("string")
    features = dict.fromkeys(COLUMNS[kind], text)
    if kind == "kto":
        features["label"] = datasets.Value("bool")
    return datasets.Dataset.from_dict(
        {name: [] for name in COLUMNS[kind]}, features=datasets.Features(features)
    )


# -- the formats --------------------------------------------------------------------------------


def _sft(review: ReviewContext, source: PromptColumn, completion: str | None) -> datasets.Dataset:
    try:
        q = one(review, "completion", completion, "completion")
    except ValueError as exc:
        raise ValueError(
            f"to_trl('sft') takes each completion from an Edit (else FreeText) question: {exc}"
        ) from None
    positions, answers = submitted(review)
    target = q.target
    prompts = source.values(positions, target)
    out: dict[str, list] = {"prompt": [], "completion": []}
    for prompt, given in zip(prompts, answers, strict=True):
        text = given.get(q.name)
        if prompt is None or not q.is_answered(text):
            continue
        out["prompt"].append(prompt)
        out["completion"].append(source.reply(text, prompt, f"question {q.name!r}"))
    return _dataset("sft", out, source.chat)


def _dpo(review: ReviewContext, source: PromptColumn, preference: str | None) -> datasets.Dataset:
    try:
        q = one(review, "pairs", preference, "preference")
    except ValueError as exc:
        raise ValueError(
            f"to_trl('dpo') takes chosen and rejected from a Preference or Ranking question: {exc}"
        ) from None
    positions, answers = submitted(review)
    prompts = source.values(positions)
    texts = {f: column(review, f, positions) for f in q.fields}
    out: dict[str, list] = {"prompt": [], "chosen": [], "rejected": []}
    for i, (prompt, given) in enumerate(zip(prompts, answers, strict=True)):
        answer = given.get(q.name)
        if prompt is None or answer is None:
            continue
        for better, worse in q.pairs(answer):  # a tie gives none; a ranking, best vs each
            chosen = source.reply(texts[better][i], prompt, f"column {better!r}")
            rejected = source.reply(texts[worse][i], prompt, f"column {worse!r}")
            if chosen is None or rejected is None:
                continue
            out["prompt"].append(prompt)
            out["chosen"].append(chosen)
            out["rejected"].append(rejected)
    return _dataset("dpo", out, source.chat)


def _completion_target(review: ReviewContext, completion: str | None) -> Target:
    """KTO's completion: `completion=`, else the field of the only Spans/Edit question, else a
    column named response or completion."""
    columns = review.source.columns
    if completion is not None:
        target = Target.parse(completion) if isinstance(completion, str) else None
        if target is None or target.column not in columns:
            raise ValueError(
                f"completion={completion!r} is not a column (or a chat message such as "
                f"'messages[-1]'); the dataset has {columns!r}"
            )
        return target
    about = [q.target for q in review.questions if q.target is not None]
    fields = list(dict.fromkeys(str(t) for t in about))
    if len(fields) > 1:
        raise ValueError(
            f"to_trl('kto'): the review's Spans and Edit questions are about {fields!r}; pass "
            "completion= the column that holds the completions that were labelled"
        )
    if fields:
        return Target.parse(fields[0])
    for name in ("response", "completion"):
        if name in columns:
            return Target(name)
    raise ValueError(
        "to_trl('kto') needs the completions that were labelled: pass completion= the column "
        f"that holds them (the dataset has {columns!r})"
    )


def _kto(
    review: ReviewContext,
    source: PromptColumn,
    completion: str | None,
    label: str | None,
    good: str | Sequence[str] | None,
) -> datasets.Dataset:
    try:
        q = one(review, "label", label, "label", per_turn=False)
    except ValueError as exc:
        per_turn = [q.name for q in review.questions if picking.turns_of(q) and q.trl_roles]
        hint = f"; {per_turn!r} asked per turn: pass turns=True" if per_turn else ""
        raise ValueError(
            f"to_trl('kto') takes each example's label from a Label question: {exc}{hint}"
        ) from None
    if picking.turns_of(q) is not None:
        raise ValueError(
            f"to_trl('kto'): {q.name!r} is asked per turn of {picking.turns_of(q)!r}; pass "
            "turns=True for one example per answered turn"
        )
    good_labels = picking.good_labels(q, good, "to_trl('kto')")
    target = _completion_target(review, completion)
    positions, answers = submitted(review)
    prompts = source.values(positions, target)
    records = [{target.column: v} for v in column(review, target.column, positions)]
    out: dict[str, list] = {"prompt": [], "completion": [], "label": []}
    for prompt, record, given in zip(prompts, records, answers, strict=True):
        answer = given.get(q.name)
        if prompt is None or answer is None:
            continue
        text = target.text(record) if target.message is not None else record[target.column]
        reply = source.reply(text, prompt, f"completion {str(target)!r}")
        if reply is None:
            continue
        out["prompt"].append(prompt)
        out["completion"].append(reply)
        out["label"].append(answer in good_labels)
    return _dataset("kto", out, source.chat)
