"""Reviewed answers as TRL training data: SFT, DPO and KTO datasets.

The formats are TRL's own ("Dataset formats" in its docs), with an explicit prompt:

- `sft`: prompt-completion, `{"prompt", "completion"}`;
- `dpo`: preference, `{"prompt", "chosen", "rejected"}`;
- `kto`: unpaired preference, `{"prompt", "completion", "label"}` (`label` a bool).

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
from typing import TYPE_CHECKING, Any

import datasets
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .._data.chat import is_chat_type, is_messages
from .._data.fields import Target
from ..questions import QUESTION_KINDS

if TYPE_CHECKING:
    from ..questions import Question
    from ..review import Review

KINDS = ("sft", "dpo", "kto")
GOOD = ("good", "accept", "yes", "pass", "correct")
COLUMNS = {
    "sft": ("prompt", "completion"),
    "dpo": ("prompt", "chosen", "rejected"),
    "kto": ("prompt", "completion", "label"),
}
MESSAGES = datasets.List({"role": datasets.Value("string"), "content": datasets.Value("string")})


def to_trl(
    review: Review,
    kind: str,
    prompt: str | None = None,
    completion: str | None = None,
    label: str | None = None,
    good: str | Sequence[str] | None = None,
    preference: str | None = None,
) -> datasets.Dataset:
    """A `datasets.Dataset` in TRL's `kind` format ("sft", "dpo" or "kto")."""
    if kind not in KINDS:
        raise ValueError(f"to_trl makes {', '.join(map(repr, KINDS))} datasets, got {kind!r}")
    unused = {
        "sft": {"label": label, "good": good, "preference": preference},
        "dpo": {"completion": completion, "label": label, "good": good},
        "kto": {"preference": preference},
    }[kind]
    given = [name for name, value in unused.items() if value is not None]
    if given:
        raise ValueError(f"to_trl({kind!r}) takes no {', '.join(given)}")
    source = _Prompt(review, prompt)
    if kind == "sft":
        return _sft(review, source, completion)
    if kind == "dpo":
        return _dpo(review, source, preference)
    return _kto(review, source, completion, label, good)


# -- which records, and their values -----------------------------------------------------------


def _submitted(review: Review) -> tuple[np.ndarray, list[dict]]:
    """Row positions (dataset order) with a submitted answer of the review's annotator, and
    that record's answers."""
    store, name, annotator = review.store, review.name, review.annotator
    done = [r[0] for r in store.records(name, annotator) if r[2] == "submitted"]
    if not done:
        return np.array([], dtype=np.int64), []
    answers: dict[str, dict] = {}
    for record, _, question, value, _ in store.answers(name, annotator):
        answers.setdefault(record, {})[question] = value
    keys = review.keys.all()
    chosen = pc.is_in(keys, value_set=pa.array(done, pa.string()))
    positions = np.flatnonzero(chosen.to_numpy(zero_copy_only=False))
    return positions, [answers.get(k, {}) for k in keys.take(positions).to_pylist()]


def _column(review: Review, column: str, positions: np.ndarray) -> list[Any]:
    return review.source.arrow_column(column).take(pa.array(positions, pa.int64())).to_pylist()


class _Prompt:
    """The prompt column: `prompt=`, else a column named "prompt"; a chat makes it
    conversational."""

    def __init__(self, review: Review, prompt: str | None):
        columns = review.source.columns
        if prompt is None:
            if "prompt" not in columns:
                raise ValueError(
                    "to_trl needs the prompt of every example, and the dataset has no column "
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
        values = _column(self.review, self.column, positions)
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


# -- choosing the question ----------------------------------------------------------------------


def _ranks(role: str) -> dict[int, list[str]]:
    """Rank -> names of the kinds' classes that take `role` (Question.trl_roles), in order."""
    ranks: dict[int, list[str]] = {}
    for cls in QUESTION_KINDS.values():
        if role in cls.trl_roles:
            ranks.setdefault(cls.trl_roles[role], []).append(cls.__name__)
    return dict(sorted(ranks.items()))


def _one(review: Review, role: str, chosen: str | None, what: str) -> Question:
    """The question `chosen` names (of a kind that takes `role`), else the only one there is,
    looking at the kinds of the lowest rank first (an Edit before a FreeText). `what` names
    the argument."""
    questions = [q for q in review.questions if role in q.trl_roles]
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
    raise ValueError(f"the review has no {wanted} question; add one to the review's questions")


# -- the formats --------------------------------------------------------------------------------


def _sft(review: Review, source: _Prompt, completion: str | None) -> datasets.Dataset:
    try:
        q = _one(review, "completion", completion, "completion")
    except ValueError as exc:
        raise ValueError(
            f"to_trl('sft') takes each completion from an Edit (else FreeText) question: {exc}"
        ) from None
    positions, answers = _submitted(review)
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


def _dpo(review: Review, source: _Prompt, preference: str | None) -> datasets.Dataset:
    try:
        q = _one(review, "pairs", preference, "preference")
    except ValueError as exc:
        raise ValueError(
            f"to_trl('dpo') takes chosen and rejected from a Preference or Ranking question: {exc}"
        ) from None
    positions, answers = _submitted(review)
    prompts = source.values(positions)
    texts = {f: _column(review, f, positions) for f in q.fields}
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


def _good(q: Question, good: str | Sequence[str] | None) -> set[str]:
    labels = list(q.labels)
    if good is None:
        chosen = [label for label in labels if label.strip().lower() in GOOD]
        if not chosen:
            raise ValueError(
                f"to_trl('kto'): none of the labels {labels!r} of {q.name!r} is one of "
                f"{list(GOOD)!r}; pass good= the labels that mean a good completion"
            )
        return set(chosen)
    chosen = [good] if isinstance(good, str) else list(good)
    unknown = [g for g in chosen if g not in labels]
    if unknown or not chosen:
        raise ValueError(
            f"to_trl('kto'): good= names labels of {q.name!r}, which are {labels!r}; got {chosen!r}"
        )
    return set(chosen)


def _completion_target(review: Review, completion: str | None) -> Target:
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
    review: Review,
    source: _Prompt,
    completion: str | None,
    label: str | None,
    good: str | Sequence[str] | None,
) -> datasets.Dataset:
    try:
        q = _one(review, "label", label, "label")
    except ValueError as exc:
        raise ValueError(
            f"to_trl('kto') takes each example's label from a Label question: {exc}"
        ) from None
    good_labels = _good(q, good)
    target = _completion_target(review, completion)
    positions, answers = _submitted(review)
    prompts = source.values(positions, target)
    records = [{target.column: v} for v in _column(review, target.column, positions)]
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
