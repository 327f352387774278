"""Per-turn answers among several annotators, in quality control and on the dataset card.

Each (record, turn) is a unit: a question's answers are "exploded" into one entry per
answered turn, whose record is `key + UNIT + turn` (`explode`), handed to the kind's own rule
(`entry`: consensus, agreement, grading, summary items), and folded back into lists per
record; `unit_record` strips the turn again. `PerTurn` (turns.py) builds on this class.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import datasets
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .._data.chat import as_list, turn_tools
from .base import Question
from .combine import Answers
from .hooks import AgreementUnit, Rows, Table

UNIT = "\x1f"  # between a record's key and a turn's index, in a (record, turn) unit


def explode(a: Answers) -> tuple[Answers, dict[str, tuple[str, int]]]:
    """Per-turn answers as one entry per answered (record, turn), and unit -> (record, turn)."""
    out, where = Answers([], [], []), {}
    for record, annotator, value in zip(a.records, a.annotators, a.values, strict=True):
        for turn, entry in enumerate(as_list(value) or ()):
            if entry is None:
                continue
            unit = f"{record}{UNIT}{turn}"
            where[unit] = (record, turn)
            out.records.append(unit)
            out.annotators.append(annotator)
            out.values.append(entry)
    return out, where


class TurnTeam(Question):
    """The hooks of several annotators, quality control and the card, turn by turn."""

    turns: str
    entry: Question  # the question as its kind asks it of one turn
    chat: bool | None = None
    asked_roles: list[str]

    # -- several annotators: each (record, turn) a unit -----------------------------------------

    def consensus(self, a: Answers) -> tuple[pa.Array, pa.Array]:
        """The kind's own rule turn by turn, folded back into a list per record."""
        units, where = explode(a)
        counts: dict[str, int] = {}
        for record, value in zip(a.records, a.values, strict=True):
            counts[record] = max(counts.get(record, 0), len(as_list(value) or ()))
        records = sorted(counts)
        kind = pa.list_(
            datasets.Features({"x": self.entry.consensus_feature()}).arrow_schema[0].type
        )
        if not units.records:
            empty = pa.nulls(len(records), kind)
            return pa.array(records, pa.string()), empty
        found, values = self.entry.consensus(units)
        lengths = np.array([counts[r] for r in records], np.int64)
        offsets = np.r_[0, np.cumsum(lengths)]
        start = dict(zip(records, offsets[:-1].tolist(), strict=True))
        index = np.full(int(offsets[-1]), -1, np.int64)
        for k, unit in enumerate(found.to_pylist()):
            record, turn = where[unit]
            index[start[record] + turn] = k
        take = pa.array(index, mask=index < 0)
        items = values.take(take)
        column = pa.ListArray.from_arrays(pa.array(offsets.astype(np.int32)), items)
        return pa.array(records, pa.string()), column

    def consensus_feature(self) -> Any:
        return datasets.List(self.entry.consensus_feature())

    def adjudicated(self, consensus: pa.Array, final: pa.Array) -> pa.Array:
        """Turn by turn: an adjudicated entry replaces the consensus of its turn only."""
        merged = []
        for team, chosen in zip(consensus.to_pylist(), final.to_pylist(), strict=True):
            if chosen is None or team is None or len(team) != len(chosen):
                merged.append(team if chosen is None else chosen)
            else:
                merged.append([t if c is None else c for t, c in zip(team, chosen, strict=True)])
        return pa.array(merged, consensus.type)

    def agreed_parts(self, a: Answers) -> list[Answers]:
        return self.entry.agreed_parts(explode(a)[0])

    def unit_record(self, units: pa.Array) -> pa.Array:
        return pc.replace_substring_regex(units, pattern=f"{UNIT}[0-9]+$", replacement="")

    def agreement_units(self, a: Answers, rows: Rows) -> list[AgreementUnit]:
        """The kind's units with each (record, turn) counted as one unit."""
        return self.entry.agreement_units(explode(a)[0], rows)

    # -- quality control -----------------------------------------------------------------------

    def grade(
        self,
        given: Sequence[Any],
        expected: Sequence[Any],
        records: Sequence[str],
        rows: Rows,
        tolerance: float = 0,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each turn with a known answer counts once, right when the kind grades every part of
        it right: accuracy over turns."""
        got, want, units, owner = [], [], [], []
        for i, (g, e, record) in enumerate(zip(given, expected, records, strict=True)):
            mine = as_list(g) or []
            for turn, known in enumerate(as_list(e) or ()):
                if known is None:
                    continue
                got.append(mine[turn] if turn < len(mine) else None)
                want.append(known)
                units.append(record)
                owner.append(i)
        n = len(given)
        if not owner:
            return np.zeros(n), np.zeros(n)
        right, counted = self.entry.grade(got, want, units, rows, tolerance)
        whole = ((right >= counted) & (counted > 0)).astype(float)
        at = np.asarray(owner)
        return np.bincount(at, whole, n), np.bincount(at, (counted > 0).astype(float), n)

    def summary_units(self, column: pa.Array) -> tuple[pa.Array, pa.Array | None, pa.Array]:
        """Every answered turn: (answer index, turn, its entry)."""
        offsets = column.offsets.to_numpy()
        parents = pc.list_parent_indices(column).to_numpy().astype(np.int64)
        flat = pc.list_flatten(column)
        turns = np.arange(len(flat), dtype=np.int64) - offsets[parents]
        valid = pc.is_valid(flat)
        keep = np.asarray(valid.to_numpy(zero_copy_only=False))
        return pa.array(parents[keep]), pa.array(turns[keep]), flat.filter(valid)

    def turn_slices(self, by: str, turns: list[Any], which: Sequence[int]) -> list[str]:
        """The role, or the tool, of each (record's turns value, turn index) unit."""
        if not self.chat and self.chat is not None:
            raise ValueError(
                f"by={by!r} splits the turns of a chat; {self.turns!r} holds steps, which have "
                "no role or tool"
            )
        out = []
        for value, turn in zip(turns, which, strict=True):
            messages = as_list(value) or []
            message = messages[turn] if turn < len(messages) else None
            if by == "role":
                role = message.get("role") if isinstance(message, Mapping) else None
                out.append(str(role) if role is not None else "(none)")
            else:
                out.append(turn_tools(messages)[turn] if message is not None else "(none)")
        return out

    def answer_text(self, value: Any) -> str:
        entries = as_list(value)
        if entries is None:
            return self.entry.answer_text(value)
        given = [
            f"turn {t}: {self.entry.answer_text(e)}" for t, e in enumerate(entries) if e is not None
        ]
        return "; ".join(given) or "—"

    # -- the dataset card ----------------------------------------------------------------------

    def describe(self) -> str:
        return f"{super().describe()}; {self.per_turn_words()}"

    def per_turn_words(self) -> str:
        if self.chat is False:
            return f"asked per step of `{self.turns}`"
        roles = " or ".join(f"`{r}`" for r in self.asked_roles)
        return f"asked per {roles} message of `{self.turns}`"

    def column_meaning(self) -> str:
        unit = "step" if self.chat is False else "message"
        return (
            f"a list with one entry per {unit} of `{self.turns}` ({self.per_turn_words()}), "
            "null for turns not asked or not answered"
        )

    def answer_counts(self, values: list, feature: Any) -> Table:
        """Counts over the answered turns, and the records without any answer."""
        inner = getattr(feature, "feature", feature)
        entries = [e for v in values if v is not None for e in v if e is not None]
        header, rows = self.entry.answer_counts(entries, inner)
        if len(header) != 2:  # a table of its own (a rubric's criteria): counts over turns
            return header, rows
        rows = [r for r in rows if r[0] not in ("answered", "not answered")]
        rows.append(["turns answered", len(entries)])
        rows.append(["records without an answer", sum(1 for v in values if not v)])
        return header, rows
