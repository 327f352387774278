"""Per-turn questions: one answer per message of a chat, or per step, in one list.

`nr.Rating("helpful", turns="messages")` asks the rating once per message of the chat in
column `messages` whose role is in `roles` (default `["assistant"]`); over an `nr.Steps`
field (or a column of lists of strings) once per step. The answer is a list with one entry
per message or step, None for turns not asked and turns not answered, and its column is
`List(<the kind's feature>)`.

This is a capability the kinds share, here and in turn_team.py (several annotators,
quality control, the card), not a branch per kind: giving a kind that allows it
(`per_turn_ok`) `turns=` builds the question as a subclass of its own class with `PerTurn`
first in line (`per_turn_class`). Every hook applies the kind's own rule to each turn's
entry (`entry`: the question as its kind asks it once), so a new kind that allows turns needs
nothing more.
"""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import datasets
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .._data.chat import as_list, first_chats, is_chat_column
from .._data.fields import Steps
from .._data.steps import split_steps, steps_problem
from .base import AnswerError, Question
from .turn_team import TurnTeam

if TYPE_CHECKING:
    from .._data.fields import Field
    from .._data.source import RecordSource

DEFAULT_ROLES = ("assistant",)
_CLASSES: dict[type, type] = {}


def per_turn_class(cls: type[Question]) -> type[Question]:
    """The per-turn variant of a kind's class (made once): PerTurn's hooks, then the kind's."""
    if issubclass(cls, PerTurn):
        return cls
    if cls not in _CLASSES:
        body = {"__module__": cls.__module__, "kind_class": cls}
        _CLASSES[cls] = type(cls.__name__, (PerTurn, cls), body)
    return _CLASSES[cls]


def _check_roles(name: str, roles: Any) -> list[str] | None:
    if roles is None:
        return None
    if isinstance(roles, str) or not isinstance(roles, Sequence) or not roles:
        raise ValueError(
            f"question {name!r}: roles is a list of message roles, e.g. ['assistant', 'tool'], "
            f"got {roles!r}"
        )
    bad = [r for r in roles if not isinstance(r, str) or not r]
    if bad:
        raise ValueError(f"question {name!r}: roles are non-empty strings, got {bad!r}")
    return list(dict.fromkeys(roles))


SCALAR = r'^(null|-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?|"[^"\\]*")$'  # one JSON scalar


def _split_scalars(texts: pa.Array) -> tuple[np.ndarray, pa.Array] | None:
    """Stored JSON lists of scalars (numbers, plain strings, nulls) cut at their commas in
    Arrow: (entries per list, every entry's JSON text). None when some list holds anything
    else (an escape, a nested list or dict, a comma inside a string): the caller decodes
    those in Python. Every piece being one whole scalar proves the cut was right."""
    if not len(texts) or texts.null_count:
        return None
    if not pc.all(pc.match_substring_regex(texts, r"^\[.+\]$")).as_py():
        return None
    parts = pc.split_pattern(pc.utf8_slice_codeunits(texts, 1, -1), ",")
    pieces = pc.utf8_trim_whitespace(pc.list_flatten(parts))
    if not pc.all(pc.match_substring_regex(pieces, SCALAR)).as_py():
        return None
    return pc.list_value_length(parts).to_numpy(zero_copy_only=False), pieces


class PerTurn(TurnTeam):
    """The per-turn hooks; `per_turn_class` puts them ahead of a kind's own class."""

    turns: str
    roles: list[str] | None
    kind_class: type[Question]  # the kind whose rules apply to each turn
    entry: Question  # the same question as that kind, asked once: what each turn's entry obeys
    sep: str | None = None  # a Steps field's separator, once the review's fields are seen
    chat: bool | None = None  # the turns column holds chats (True) or steps (False), once seen

    def setup_turns(self, turns: Any, roles: Any) -> None:
        if not isinstance(turns, str) or not turns:
            raise ValueError(
                f"question {self.name!r}: turns names the chat or steps column to ask about "
                f"turn by turn, got {turns!r}"
            )
        self.turns = turns
        self.roles = _check_roles(self.name, roles)
        self.one_key = False  # one key never answers a per-turn question and moves on
        # The question as its kind asks it of one turn: each entry's rules are the kind's own.
        entry = copy.copy(self)
        entry.__class__ = self.kind_class
        self.entry = entry

    @property
    def asked_roles(self) -> list[str]:
        return self.roles if self.roles is not None else list(DEFAULT_ROLES)

    def __repr__(self) -> str:
        return f"nr.{type(self).__name__}({self.name!r}, turns={self.turns!r})"

    # -- the turns of a record -----------------------------------------------------------------

    def use_fields(self, fields: Sequence[Field]) -> None:
        super().use_fields(fields)
        for f in fields:
            if f.column == self.turns and isinstance(f, Steps):
                self.sep = f.sep

    def target_columns(self) -> list[str]:
        return list(dict.fromkeys([*super().target_columns(), self.turns]))

    def turn_layout(self, record: Mapping[str, Any] | None) -> tuple[int, list[int]]:
        """(number of turns, indices of the turns asked) of one record."""
        value = None if record is None else record.get(self.turns)
        listed = as_list(value)
        is_chat = self.chat
        if is_chat is None:  # not checked against a dataset: the value says
            is_chat = bool(listed) and isinstance(listed[0], Mapping)
        if is_chat:
            messages = listed or []
            roles = set(self.asked_roles)
            asked = [
                i
                for i, m in enumerate(messages)
                if isinstance(m, Mapping) and m.get("role") in roles
            ]
            return len(messages), asked
        steps = split_steps(value, self.sep or "\n\n") or []
        return len(steps), list(range(len(steps)))

    def layout(self, key: str, record: Mapping[str, Any]) -> dict | None:
        count, asked = self.turn_layout(record)
        return {**(super().layout(key, record) or {}), "turns": {"count": count, "asked": asked}}

    def check(self, source: RecordSource) -> None:
        super().check(source)
        who = f"question {self.name!r}"
        if is_chat_column(source, self.turns):
            self.chat = True
            self._check_roles_present(source, who)
            return
        problem = steps_problem(source, self.turns)
        if problem:
            raise ValueError(
                f"{who}: turns={self.turns!r} is neither a chat (a list of messages) nor steps: "
                f"column {self.turns!r} {problem}"
            )
        text = source.is_text_column(self.turns)
        if text and self.sep is None:
            raise ValueError(
                f"{who}: turns={self.turns!r} is a text column; show it as "
                f"nr.Steps({self.turns!r}, sep='\\n\\n') in fields= to ask step by step"
            )
        if self.roles is not None:
            raise ValueError(
                f"{who}: roles= picks messages of a chat, but {self.turns!r} holds steps; "
                "leave roles out"
            )
        self.chat = False

    def _check_roles_present(self, source: RecordSource, who: str) -> None:
        chats = first_chats(source, self.turns)
        seen = {m.get("role") for _, chat in chats for m in chat if isinstance(m, Mapping)}
        if chats and not seen & set(self.asked_roles):
            found = ", ".join(sorted(str(r) for r in seen)) or "none"
            raise ValueError(
                f"{who}: no message in the first rows of {self.turns!r} has the role "
                f"{' or '.join(map(repr, self.asked_roles))} (they have: {found}); give roles= "
                "the roles to ask about"
            )

    # -- values --------------------------------------------------------------------------------

    def _turn_error(self, turn: int, exc: AnswerError) -> AnswerError:
        return AnswerError(f"{self.name}: turn {turn}: {exc}")

    def validate(self, value: Any, record: Mapping[str, Any] | None = None) -> Any:
        if value is None:
            return None
        if record is None or self.turns not in record:
            raise AnswerError(
                f"{self.name}: a per-turn answer is checked against the turns of "
                f"{self.turns!r}, which were not given"
            )
        count, asked = self.turn_layout(record)
        entries = as_list(value)
        if entries is None:
            raise self._error(
                value, f"a per-turn answer is a list with one entry per turn ({count} here)"
            )
        if len(entries) != count:
            raise AnswerError(
                f"{self.name}: {len(entries)} entries for a record of {count} turns (of "
                f"{self.turns!r}); give one entry per turn, None where there is no answer"
            )
        asked_set, out = set(asked), []
        for turn, entry in enumerate(entries):
            if entry is None:
                out.append(None)
                continue
            if turn not in asked_set:
                raise AnswerError(
                    f"{self.name}: turn {turn} is not asked about ({self._not_asked(record, turn)})"
                    "; give None there"
                )
            try:
                out.append(self.entry.validate(entry, record))
            except AnswerError as exc:
                raise self._turn_error(turn, exc) from None
        return None if all(e is None for e in out) else out

    def _not_asked(self, record: Mapping[str, Any], turn: int) -> str:
        messages = as_list(record.get(self.turns)) or []
        message = messages[turn] if turn < len(messages) else None
        role = message.get("role") if isinstance(message, Mapping) else None
        return f"its role is {role!r}; the roles asked are {self.asked_roles!r}"

    def from_suggestion(self, value: Any, record: Mapping[str, Any] | None = None) -> Any:
        """A suggested list turn by turn: a bad entry is left out, not the rest."""
        entries = as_list(value)
        count, asked = self.turn_layout(record)
        if entries is None or len(entries) != count:
            return None
        out: list[Any] = [None] * count
        for turn in asked:
            if entries[turn] is None:
                continue
            entry = entries[turn]
            if isinstance(entry, float) and entry.is_integer():
                entry = int(entry)  # pandas keeps whole numbers with nulls as floats
            try:
                out[turn] = self.entry.from_suggestion(entry, record)
            except (AnswerError, ValueError, TypeError):
                continue
        return None if all(e is None for e in out) else out

    def to_browser(self, value: Any, record: Mapping[str, Any]) -> Any:
        entries = as_list(value)
        if entries is None:
            return value
        convert = self.entry.to_browser
        return [None if e is None else convert(e, record) for e in entries]

    def from_browser(self, value: Any, record: Mapping[str, Any]) -> Any:
        entries = as_list(value)
        if entries is None:
            return value
        convert = self.entry.from_browser
        return [None if e is None else convert(e, record) for e in entries]

    def is_answered(self, value: Any) -> bool:
        """Without the record: some turn answered (`missing_in` with it: every asked turn)."""
        entries = as_list(value)
        answered = self.entry.is_answered
        return bool(entries) and any(answered(e) for e in entries)

    def missing_in(
        self, answers: Mapping[str, Any], record: Mapping[str, Any] | None = None
    ) -> bool:
        """Required and some asked turn unanswered (a record with no turn asked needs none)."""
        if not self.required:
            return False
        if record is None or self.turns not in record:
            return not self.is_answered(answers.get(self.name))
        _, asked = self.turn_layout(record)
        entries = as_list(answers.get(self.name)) or []
        answered = self.entry.is_answered
        return any(t >= len(entries) or not answered(entries[t]) for t in asked)

    # -- columns -------------------------------------------------------------------------------

    def feature(self) -> Any:
        return datasets.List(self.entry.feature())

    def to_arrow(self, values: Sequence[Any]) -> pa.Array:
        """The kind's array of every entry, cut into one list per answer (null: unanswered)."""
        listed = [v if type(v) is list else as_list(v) for v in values]
        lengths = np.fromiter((0 if v is None else len(v) for v in listed), np.int64, len(listed))
        entries = list(itertools.chain.from_iterable(v for v in listed if v is not None))
        offsets = pa.array(np.r_[0, np.cumsum(lengths)].astype(np.int32))
        mask = pa.array([v is None for v in listed], pa.bool_())
        return self._cut(offsets, self.entry.to_arrow(entries), mask)

    def _cut(self, offsets: pa.Array, items: pa.Array, mask: pa.Array | None) -> pa.Array:
        column = pa.ListArray.from_arrays(offsets, items, mask=mask)
        return column.cast(self.arrow_type())

    def from_stored(self, texts: pa.Array) -> pa.Array:
        """Lists of scalars are cut in Arrow and their entries typed by the kind's own
        `from_stored` (a rating's cast, a label's lookup): no Python object per turn. Other
        stored lists (label sets, rubric scores) are decoded in Python."""
        split = _split_scalars(texts)
        if split is None:
            return self.to_arrow(json.loads("[" + ",".join(texts.to_pylist()) + "]"))
        lengths, pieces = split
        given = np.asarray(pc.not_equal(pieces, "null").to_numpy(zero_copy_only=False))
        kind = self.entry.arrow_type()
        if given.any():
            typed = self.entry.from_stored(pieces.filter(pa.array(given))).cast(kind)
            at = np.cumsum(given) - 1
            items = typed.take(pa.array(at, mask=~given))
        else:
            items = pa.nulls(len(pieces), kind)
        offsets = pa.array(np.r_[0, np.cumsum(lengths)].astype(np.int32))
        return self._cut(offsets, items, None)

    def spec(self) -> dict:
        spec = {**super().spec(), "turns": self.turns}
        if self.roles is not None or self.chat:
            spec["roles"] = self.asked_roles
        return spec
