"""Spans: labelled character ranges over one text, in code points."""

from __future__ import annotations

import itertools
import json
import math
import numbers
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import datasets
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .._data.chat import as_list, is_chat_column, message_text
from .._data.fields import Target
from .._data.offsets import (
    OffsetError,
    chat_spans_to_codepoint,
    chat_spans_to_utf16,
    spans_to_codepoint,
    spans_to_utf16,
)
from . import combine
from .base import AnswerError, Question
from .combine import Answers
from .families.choice import check_labels
from .hooks import AgreementUnit, Rows
from .span_f1 import marked, pooled_span_f1, tokens

GOLD_F1 = 0.5  # token-overlap F1 with the gold spans at which an answer counts as right

if TYPE_CHECKING:
    from .._data.source import RecordSource


def _excerpt(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


class Spans(Question):
    """Labelled character spans over the text of one column; [] means "nothing to mark".

    Offsets are Python code point indices into the column's `str`, so for every stored span
    `record[field][start:end] == text`. Spans are stored sorted by (start, end, label).

    On a whole chat (`field=` a chat column) every span also names its `message`, offsets
    into that message's text (`message_text`), sorted by (message, start, end, label).
    """

    whole_chat: bool = False  # field= is a chat column: spans in any message (set by check)

    kind = "spans"
    key_actions = ("caret", "delete_span")  # its keys in the review's table (_ui/keymap.py)
    task = "token-classification"

    def __init__(
        self,
        name: str,
        field: str,
        labels: Sequence[str],
        overlap: bool = False,
        *,
        required: bool | None = None,
        suggestion: str | None = None,
        gold: str | None = None,
    ):
        super().__init__(name, required=required, suggestion=suggestion, gold=gold)
        if not isinstance(field, str) or not field:
            raise ValueError(
                f"question {name!r}: field names the text column to mark, got {field!r}"
            )
        if not isinstance(overlap, bool):
            raise ValueError(f"question {name!r}: overlap is True or False, got {overlap!r}")
        self.field = field
        self.target = Target.parse(field)
        self.labels = check_labels(name, labels)
        self.overlap = overlap

    def __repr__(self) -> str:
        return f"nr.Spans({self.name!r}, field={self.field!r})"

    def target_columns(self) -> list[str]:
        return [self.target.column]

    def feature(self) -> Any:
        # datasets.List of a dict is list<struct<...>>; datasets.Sequence of a dict would be a
        # struct of lists, which is not this shape.
        message = {"message": datasets.Value("int32")} if self.whole_chat else {}
        return datasets.List(
            {
                **message,
                "start": datasets.Value("int32"),
                "end": datasets.Value("int32"),
                "label": datasets.Value("string"),
                "text": datasets.Value("string"),
            }
        )

    def check(self, source: RecordSource) -> None:
        self.target.check(source, f"question {self.name!r}")
        if self.target.message is not None or source.is_text_column(self.field):
            return
        if is_chat_column(source, self.field):
            self.whole_chat = True
            return
        raise ValueError(
            f"question {self.name!r}: spans mark text, but column {self.field!r} does not "
            "hold strings; point field= at a text column, at a chat column to mark any of its "
            "messages (field='messages'), or at one message (field='messages[-1]')"
        )

    def spec(self) -> dict:
        return {
            **super().spec(),
            "field": self.field,
            "labels": self.labels,
            "overlap": self.overlap,
        }

    # -- values ------------------------------------------------------------------------------

    def _text(self, record: Mapping[str, Any] | None) -> str:
        if record is None or self.target.column not in record:
            raise AnswerError(
                f"{self.name}: spans are checked against the text of {self.field!r}, "
                "which was not given"
            )
        return self.target.text(record) or ""

    def _texts(self, record: Mapping[str, Any] | None) -> list[str] | None:
        """On a whole chat: each message's text (None: not a whole-chat question)."""
        if not self.whole_chat:
            return None
        self._text(record)  # the column must be given
        return [message_text(m) for m in as_list(record.get(self.target.column)) or []]

    def _chat_span(self, span: Any, texts: list[str]) -> dict:
        """A span of a whole chat: its message must exist, its offsets fit that message."""
        at = span.get("message") if isinstance(span, Mapping) else None
        if isinstance(at, bool) or not isinstance(at, numbers.Integral):
            raise self._span_error(span, f"on a whole chat a span names its message, got {at!r}")
        if not 0 <= at < len(texts):
            raise self._span_error(
                span, f"message {at} is out of range (the chat has {len(texts)} messages)"
            )
        return {"message": int(at), **self._span(span, texts[int(at)])}

    def _one(self, span: Any, text: str, texts: list[str] | None) -> dict:
        return self._span(span, text) if texts is None else self._chat_span(span, texts)

    def _span_error(self, span: Any, why: str) -> AnswerError:
        if isinstance(span, Mapping) and {"start", "end", "label"} <= set(span):
            what = f"the span {span['start']}–{span['end']} labelled {span['label']!r}"
            if "message" in span:
                what += f" in message {span['message']!r}"
        else:
            what = f"the span {span!r}"
        return AnswerError(f"{self.name}: {what} is refused: {why}")

    def _span(self, span: Any, text: str) -> dict:
        if not isinstance(span, Mapping):
            raise self._span_error(span, "a span is a dict with start, end and label")
        missing = [k for k in ("start", "end", "label") if k not in span]
        if missing:
            raise self._span_error(span, f"it has no {', '.join(missing)}")
        start, end, label = span["start"], span["end"], span["label"]
        for edge, value in (("start", start), ("end", end)):
            if isinstance(value, bool) or not isinstance(value, numbers.Integral):
                raise self._span_error(span, f"{edge} must be a whole number, got {value!r}")
        start, end = int(start), int(end)
        if label not in self.labels:
            raise self._span_error(span, f"unknown label; the labels are {self.labels!r}")
        if not 0 <= start < end <= len(text):
            why = "start must come before end" if start >= end else "it is out of range"
            raise self._span_error(span, f"{why} (the text has {len(text)} characters)")
        piece = text[start:end]
        given = span.get("text")
        if given is not None and given != piece:
            raise self._span_error(
                span, f"its text {_excerpt(str(given))} is not the text there, {_excerpt(piece)}"
            )
        return {"start": start, "end": end, "label": label, "text": piece}

    def _conflict(self, a: dict, b: dict) -> str | None:
        """Why two spans sorted a <= b cannot both be stored, or None."""
        if a.get("message") != b.get("message"):
            return None  # spans of different messages never meet
        if (a["start"], a["end"], a["label"]) == (b["start"], b["end"], b["label"]):
            return f"it is marked twice ({_excerpt(a['text'])})"
        if not self.overlap and b["start"] < a["end"]:
            return (
                f"{_excerpt(b['text'])} overlaps {_excerpt(a['text'])} ({a['label']}), and "
                "this question does not allow overlapping spans"
            )
        return None

    def validate(self, value: Any, record: Mapping[str, Any] | None = None) -> Any:
        if value is None:
            return None
        text, texts = self._text(record), self._texts(record)
        if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
            raise self._error(value, "spans are a list of {start, end, label} dicts")
        spans = sorted((self._one(span, text, texts) for span in value), key=_order)
        for a, b in itertools.pairwise(spans):
            why = self._conflict(a, b)
            if why:
                raise self._span_error(b, why)
        return spans

    def from_suggestion(self, value: Any, record: Mapping[str, Any] | None = None) -> Any:
        """Suggested spans one by one: a bad or conflicting span is left out, not the rest."""
        if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
            return None
        text, texts = self._text(record), self._texts(record)
        kept: list[dict] = []
        for span in value:
            try:
                span = self._one(span, text, texts)
            except AnswerError:
                continue
            if not any(self._conflict(*sorted((k, span), key=_order)) for k in kept):
                kept.append(span)
        if value and not kept:
            return None  # nothing usable was suggested; [] would claim "nothing to mark"
        return sorted(kept, key=_order)

    def to_browser(self, value: Any, record: Mapping[str, Any]) -> Any:
        if self.whole_chat and value is not None:
            return chat_spans_to_utf16(self._texts(record) or [], value)
        text = self.target.text(record)
        return value if value is None or text is None else spans_to_utf16(text, value)

    def from_browser(self, value: Any, record: Mapping[str, Any]) -> Any:
        text = self.target.text(record)
        if value is None or text is None:
            return value
        try:
            if self.whole_chat:
                return chat_spans_to_codepoint(self._texts(record) or [], value)
            return spans_to_codepoint(text, value)
        except OffsetError as exc:
            raise AnswerError(f"{self.name}: a span edge splits a character: {exc}") from None

    # -- several annotators, and the card ----------------------------------------------------

    consensus_rule: ClassVar[str] = (
        "the spans (same start, end and label) more than half of them marked"
    )

    def consensus(self, a: Answers) -> tuple[pa.Array, pa.Array]:
        """Per span majority: the spans (same start, end, label) more than half marked."""
        dump = [[json.dumps(s, sort_keys=True, ensure_ascii=False) for s in v] for v in a.values]
        records, kept = combine.majority_items(a, pa.array(dump, pa.list_(pa.string())))
        spans = [json.loads(x) for x in kept["item"].to_pylist()]
        for edge in ("start", "end"):
            kept = kept.append_column(edge, pa.array([x[edge] for x in spans], pa.int64()))
        kept = kept.append_column("label", pa.array([x["label"] for x in spans], pa.string()))
        kept = kept.append_column("message", pa.array([x.get("message", 0) for x in spans]))
        order = ("record", "message", "start", "end", "label")
        kept = kept.sort_by([(c, "ascending") for c in order])
        kind = self.arrow_type()
        items = pa.array([json.loads(x) for x in kept["item"].to_pylist()], kind.value_type)
        return records, combine.lists(records, kept["record"], items, kind)

    def agreement_units(self, a: Answers, rows: Rows) -> list[AgreementUnit]:
        """Token-overlap F1 (span_f1.py) over the text each record has under the target."""

        def score(pairable: Answers) -> tuple[float, str]:
            texts = {k: self._texts_of(r) for k, r in rows(set(pairable.records)).items()}
            grouped: dict[str, list] = {}
            for record, value in zip(pairable.records, pairable.values, strict=True):
                grouped.setdefault(record, []).append(value)
            f1 = pooled_span_f1(
                unit
                for r, answers in grouped.items()
                for unit in self._f1_units(texts.get(r), answers)
            )
            return f1, "no spans marked: F1 is undefined" if math.isnan(f1) else ""

        def token_codes(pairable: Answers) -> tuple[list, list, list[float]]:
            """Each token a unit (of each message, for a whole chat), its label or none (0)
            the value: nominal alpha."""
            texts = {k: self.target.text(r) for k, r in rows(set(pairable.records)).items()}
            code = {label: i + 1 for i, label in enumerate(self.labels)}
            grouped: dict[str, tuple[list, list]] = {}
            for record, who, spans in zip(
                pairable.records, pairable.annotators, pairable.values, strict=True
            ):
                names, answers = grouped.setdefault(record, ([], []))
                names.append(who)
                answers.append(spans)
            units, coders, values = [], [], []
            for record, (names, answers) in grouped.items():
                for m, (text, per) in enumerate(self._f1_units(texts.get(record), answers)):
                    for who, spans in zip(names, per, strict=True):
                        labels: dict[int, str] = {}
                        for i, label in sorted(marked(text, spans or ())):
                            labels.setdefault(i, label)
                        last = max(labels, default=-1) + 1
                        count = len(tokens(text)) if text is not None else last
                        for i in range(count):
                            units.append((record, m, i))
                            coders.append(who)
                            values.append(float(code.get(labels.get(i), 0)))
            return units, coders, values

        return [
            AgreementUnit(self.name, a, "span-F1", score=score),
            AgreementUnit(f"{self.name}.tokens", a, "nominal", codes=token_codes),
        ]

    # -- quality control ---------------------------------------------------------------------

    def grade(
        self,
        given: Sequence[Any],
        expected: Sequence[Any],
        records: Sequence[str],
        rows: Rows,
        tolerance: float = 0,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Right when the token-overlap F1 with the known spans is at least 0.5; both marking
        nothing agree. `tolerance` is for scores and does not apply."""
        texts = {k: self._texts_of(r) for k, r in rows(set(records)).items()}
        right = np.zeros(len(given))
        for i, (record, got, want) in enumerate(zip(records, given, expected, strict=True)):
            if got is not None:
                f1 = pooled_span_f1(self._f1_units(texts.get(record), [got, want]))
                right[i] = 1.0 if math.isnan(f1) or f1 >= GOLD_F1 else 0.0
        return right, np.ones(len(given))

    def _texts_of(self, record: Mapping[str, Any]) -> Any:
        """The text spans are scored on: the target's, or on a whole chat each message's."""
        if self.whole_chat:
            return [message_text(m) for m in as_list(record.get(self.target.column)) or []]
        return self.target.text(record)

    def _f1_units(self, text: Any, answers: list) -> list[tuple[str | None, list]]:
        """(text, every annotator's spans on it): the record, or each message of a chat."""
        if not self.whole_chat:
            return [(text, answers)]
        texts = text or []
        messages = sorted({s.get("message", 0) for spans in answers for s in spans or ()})
        return [
            (
                texts[m] if 0 <= m < len(texts) else None,
                [[s for s in spans or () if s.get("message", 0) == m] for spans in answers],
            )
            for m in messages
        ]

    def summary_items(self, column: pa.Array) -> tuple[pa.Array, pa.Array]:
        """Each label an answer marked at least once (an answer with three `bias` spans counts
        once under `bias`)."""
        index = pc.list_parent_indices(column).cast(pa.int64())
        labels = pc.struct_field(pc.list_flatten(column), "label")
        pairs = pa.table({"i": index, "label": labels}).group_by(["i", "label"]).aggregate([])
        return pairs["i"].combine_chunks(), pairs["label"].combine_chunks()

    def summary_names(self) -> list[str] | None:
        return list(self.labels)

    def answer_text(self, value: Any) -> str:
        if value is None:
            return "—"
        where = [f"message {s['message']}: " if "message" in s else "" for s in value]
        marked = [f"{w}{s['label']}: {s['text']}" for w, s in zip(where, value, strict=True)]
        return "; ".join(marked) or "(nothing marked)"

    def accepts(self) -> str:
        return ", ".join(self.labels)


def _order(span: dict) -> tuple:
    return (span.get("message", 0), span["start"], span["end"], span["label"])
