"""Reopen a published review: rebuild it from its card, import its answers into a store."""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import datasets
import pyarrow as pa
import pyarrow.parquet as pq
from huggingface_hub import DatasetCard

from .._data.fields import field_from_spec
from ..questions import Question
from ..store import Change, Store
from ..store.base import STATUSES
from .publish import DATA_DIR, LOG_DIR, STORE_FILE

if TYPE_CHECKING:
    from ..review import Review

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
BATCH = 2_000  # changes per store transaction when importing


def _us(moment: datetime) -> int:
    """Microseconds since the epoch, exactly (no float on the way)."""
    return (moment - EPOCH) // timedelta(microseconds=1)


def _decode(feature: Any, value: Any) -> Any:
    """A column value as the store keeps it: label names instead of ClassLabel indices."""
    if value is None:
        return None
    if isinstance(feature, datasets.ClassLabel):
        return feature.int2str(value)
    if isinstance(feature, (datasets.List, datasets.LargeList)):
        return [_decode(feature.feature, v) for v in value]
    if isinstance(feature, dict):
        return {k: _decode(feature[k], v) for k, v in value.items()}
    return value


def read_card(folder: Path) -> dict:
    readme = folder / "README.md"
    if not readme.is_file():
        raise ValueError(
            f"{str(folder)!r} has no README.md: give a folder written by "
            "review.save_hub_folder, or a dataset repository pushed with review.push_to_hub "
            "(downloaded with huggingface_hub.snapshot_download)"
        )
    meta = DatasetCard.load(readme).data.to_dict().get("nbreview")
    if not isinstance(meta, dict) or "questions" not in meta:
        raise ValueError(
            f"{str(readme)!r} has no nbreview: metadata; this dataset was not published by "
            "nbreview's save_hub_folder or push_to_hub"
        )
    return meta


def _read_parquet(folder: Path, split: str) -> pa.Table:
    files = sorted(folder.glob(f"{split}-*.parquet"))
    if not files:
        raise ValueError(f"no {split}-*.parquet files in {str(folder)!r}; the folder is incomplete")
    return pa.concat_tables([pq.read_table(f) for f in files])


class _Import:
    """The answers a folder holds, as changes stamped with their original annotated_at."""

    def __init__(self, review: Review, table: pa.Table, features: datasets.Features, meta: dict):
        self.review, self.meta = review, meta
        self.table, self.features = table, features
        self.prefix = meta.get("prefix") or ""
        self.changes: list[Change] = []
        self.seen: set[tuple[str, str]] = set()

    def _add(self, row: int, key: str, annotator: Any, status: Any, at: Any, answers: dict):
        where = f"row {row}"
        if not isinstance(annotator, str) or status not in STATUSES or at is None:
            raise ValueError(
                f"{where}: cannot import an answer with annotator {annotator!r}, status "
                f"{status!r} and annotated_at {at!r}; the published data was changed"
            )
        questions = self.review.questions
        record = self.review.source.row(row, questions.target_columns())
        try:
            answers = questions.validate(answers, record)
        except ValueError as exc:
            raise ValueError(f"{where}, annotator {annotator!r}: {exc}") from None
        answers = {q: answers.get(q) for q in questions.names}  # unanswered clears
        at = _us(at) if isinstance(at, datetime) else int(at)
        review = self.review
        self.changes.append(Change(review.name, annotator, key, answers, status=status, at=at))
        self.seen.add((key, annotator))

    def from_columns(self) -> None:
        """The data columns: one annotator per row, or lists of them (annotators="all")."""
        mode = self.meta.get("annotators")
        if mode not in (None, "all"):
            return
        p, names = self.prefix, self.review.questions.names

        def column(name: str) -> list:
            return self.table.column(p + name).to_pylist()

        who, status, at = column("annotator"), column("status"), column("annotated_at")
        values = {q: column(q) for q in names}
        features = {q: self.features[p + q] for q in names}
        if mode == "all":  # every cell a list, one entry per annotator
            features = {q: f.feature for q, f in features.items()}
        answered = [i for i in range(self.table.num_rows) if who[i] is not None]
        # the answered rows' keys alone (a few rows hashed, not every chunk holding one)
        keys = dict(zip(answered, self.review.keys.take(answered).to_pylist(), strict=True))
        for i in answered:
            entries = [(who[i], status[i], at[i], [values[q][i] for q in names])]
            if mode == "all":
                cells = [values[q][i] or [None] * len(who[i]) for q in names]
                entries = list(zip(who[i], status[i], at[i], zip(*cells, strict=True), strict=True))
            for name, state, when, answers in entries:
                if name is None:
                    continue
                decoded = {q: _decode(features[q], v) for q, v in zip(names, answers, strict=True)}
                self._add(i, keys[i], name, state, when, decoded)

    def from_log(self, folder: Path) -> None:
        """The `annotations` log: every annotator's answers, for those not in the columns."""
        if not self.meta.get("log"):
            return
        log = _read_parquet(folder / LOG_DIR, self.meta.get("split", "train")).to_pylist()
        grouped: dict[tuple[str, str], dict] = {}
        for r in log:
            pair = (r["record"], r["annotator"])
            if r["status"] is None or pair in self.seen:
                continue
            if r["question"] not in self.review.questions.names:
                continue
            entry = grouped.setdefault(pair, {"status": r["status"], "at": r["annotated_at"]})
            entry["at"] = max(entry["at"], r["annotated_at"])
            entry.setdefault("answers", {})[r["question"]] = json.loads(r["value"])
        rows = self._rows_of({key for key, _ in grouped})
        for (key, annotator), entry in grouped.items():
            if key in rows:  # the log only holds this dataset's records, unless it was edited
                state = entry["status"]
                self._add(rows[key], key, annotator, state, entry["at"], entry["answers"])

    def _rows_of(self, keys: set[str]) -> dict[str, int]:
        """Record key -> its row (the last, as for repeated rows), for these keys only: found
        through the keys' index, not by hashing every row."""
        if not keys:
            return {}
        positions, found = self.review.keys.find(keys)
        return dict(zip(found.to_pylist(), positions.tolist(), strict=True))

    def write(self, store: Store) -> int:
        """Write what is newer than the store's own answers; return how many records."""
        current = {(r[0], r[1]): r[3] for r in store.records(self.review.name)}
        newer = [
            c
            for c in self.changes
            if current.get((c.record, c.annotator)) is None  # not in the store, or
            or current[(c.record, c.annotator)] < c.at  # older there than here
        ]
        for start in range(0, len(newer), BATCH):  # other kernels wait at most one batch
            store.write_many(newer[start : start + BATCH])
        return len(newer)


def from_hub_folder(
    cls: type[Review],
    path: str | os.PathLike,
    store: str | os.PathLike | Store | None = None,
    annotator: str | None = None,
) -> Review:
    folder = Path(path)
    if not folder.is_dir():
        raise ValueError(f"{str(folder)!r} is not a folder; give the folder save_hub_folder wrote")
    meta = read_card(folder)
    if meta.get("annotators") not in (None, "all") and not meta.get("log"):
        raise ValueError(
            f"{str(folder)!r} was published with annotators={meta.get('annotators')!r} and "
            "without the annotations log, so it holds no per-annotator answers to resume from; "
            "publish it again with include_log=True"
        )
    table = _read_parquet(folder / DATA_DIR, meta.get("split", "train"))
    full = datasets.Dataset(datasets.table.InMemoryTable(table))  # Features from the metadata
    added = set(meta.get("added_columns") or [])
    data = full.select_columns([c for c in full.column_names if c not in added])
    review = cls(
        data,
        fields=[field_from_spec(s) for s in meta["fields"]],
        questions=[Question.from_spec(s) for s in meta["questions"]],
        id=meta.get("id"),
        store=folder / STORE_FILE if store is None else store,
        annotator=annotator,
        guidelines=meta.get("guidelines") or None,
        name=meta.get("name") or "default",
    )
    answers = _Import(review, table, full.features, meta)
    answers.from_columns()
    answers.from_log(folder)
    answers.write(review.store)
    return review
