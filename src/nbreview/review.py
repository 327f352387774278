"""`nr.Review`: the one object a user builds, reviews in, and exports from."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import datasets
import pandas as pd

from ._data import migrate_keys
from ._data.fields import Field, as_field
from ._data.keys import RecordKeys
from ._data.progress import count_statuses, progress_counts
from ._data.queue import Queue, as_queue
from ._data.source import RecordSource
from ._export import columns as writeback
from ._keywords import suggest_keywords
from ._model.loop import ModelLoop
from ._serve.annotator import resolve_annotator
from ._team import gold as golden
from ._team import qualify as qualifying
from ._ui.budget import DEFAULT as DEFAULT_BUDGET
from ._ui.budget import check_budget
from ._ui.config import review_config
from ._ui.keymap import KeyMap
from ._ui.live import Live
from ._ui.session import Session
from .context import NO_ANNOTATOR, ReviewContext, check_name
from .questions import Question
from .questions.set import QuestionSet
from .store import Change, Store, open_store


class Progress(NamedTuple):
    """Counts of the review's rows for its annotator."""

    total: int
    submitted: int
    skipped: int
    remaining: int


LAYOUTS = ("auto", "stacked")


def _is_file(text: object) -> bool:
    """A one-line string naming an existing file (a path with spaces, say)."""
    return isinstance(text, str) and "\n" not in text and len(text) < 4096 and Path(text).is_file()


def read_guidelines(guidelines: str | os.PathLike | None) -> str:
    """Markdown text, or a path to a .md/.markdown/.txt file holding it."""
    if guidelines is None:
        return ""
    looks_like_path = (
        isinstance(guidelines, str)
        and not any(c.isspace() for c in guidelines.strip())  # a sentence is text
        and guidelines.strip().lower().endswith((".md", ".markdown", ".txt"))
    )
    if isinstance(guidelines, os.PathLike) or looks_like_path or _is_file(guidelines):
        path = Path(guidelines)
        if not path.is_file():
            raise ValueError(f"guidelines file {str(path)!r} does not exist")
        return path.read_text(encoding="utf-8")
    if not isinstance(guidelines, str):
        raise ValueError(f"guidelines takes markdown text or a path, got {guidelines!r}")
    return guidelines


class Review:
    """Review a Dataset or DataFrame in a widget; answers land in a store as they are made."""

    def __init__(
        self,
        data: datasets.Dataset | pd.DataFrame,
        fields: Sequence[str | Field] | None = None,
        questions: Iterable[Question] = (),
        *,
        id: str | None = None,
        store: str | os.PathLike | Store | None = None,
        annotator: str | None = None,
        guidelines: str | os.PathLike | None = None,
        name: str = "default",
        load_images: bool = False,
        queue: Queue | str | Callable | dict | None = None,
        overlap: int | None = None,
        gold_rate: float | None = None,
        gold_feedback: bool = False,
        layout: str = "auto",
        suggest: Callable | None = None,
        batch_size: int = 32,
        concurrency: int = 1,
        timeout: float = 60.0,
        embeddings: str | None = None,
        keys: dict[str, str | Sequence[str]] | None = None,
        assigned_only: bool = False,
        qualify: Any = None,
        budget: int | None = DEFAULT_BUDGET,
    ):
        self.source = RecordSource.of(data)
        self.questions = QuestionSet(questions)
        self.key_map = KeyMap(keys, list(self.questions))  # API.md 14; `keys` is the records'
        suggestion_columns = [q.suggestion for q in self.questions if q.suggestion]
        if fields is None:  # every column but the id, suggestions and known right answers
            skip = {id, *suggestion_columns, *(q.gold for q in self.questions if q.gold)}
            fields = [c for c in self.source.columns if c not in skip]
        elif isinstance(fields, (str, Field)):
            fields = [fields]
        self.fields = [as_field(f) for f in fields]
        self.questions.use_fields(self.fields)  # e.g. a per-turn question's Steps separator
        self.id = id
        self.name = check_name("name", name)
        # None on a served page (Voilà, marimo run) given no name: its visitor is asked first.
        who = resolve_annotator(annotator)
        who = None if who is None else check_name("annotator", who)
        if layout not in LAYOUTS:
            raise ValueError(f"layout must be one of {LAYOUTS!r}, got {layout!r}")
        self.layout = layout
        self.guidelines = read_guidelines(guidelines)
        self.load_images = bool(load_images)
        self._check_columns(suggestion_columns)
        golden.check_columns(self.questions, [f.column for f in self.fields], id)
        self.gold = golden.Gold(self.source, self.questions)  # gold answers checked here
        self.gold_rate = golden.check_rate(gold_rate, self.gold)
        self.gold_feedback = golden.check_feedback(gold_feedback, self.gold)
        self.qualify = qualifying.check(qualify, self.gold)  # nr.Qualify: a test passed first
        # Judges compared by alignment(): (column, question) -> tolerance, for the card.
        self.compared_judges: dict[tuple[str, str], float] = {}
        shown = [f.column for f in self.fields]
        for q in self.questions:
            shown += q.target_columns()
        self.keys = RecordKeys(self.source, id, shown)
        if overlap is not None and (
            isinstance(overlap, bool) or not isinstance(overlap, int) or overlap < 1
        ):
            raise ValueError(f"overlap must be a whole number of at least 1, got {overlap!r}")
        self.overlap = overlap
        if not isinstance(assigned_only, bool):
            raise ValueError(f"assigned_only is True or False, got {assigned_only!r}")
        self.assigned_only = assigned_only  # no assignment: handed nothing (_team/assign.py)
        self.budget = check_budget(budget)  # characters of answers per annotator (_ui/budget.py)
        # The model in the loop (API.md 12): suggesters, re-ranking, embeddings; checked here.
        self._model = ModelLoop(
            self,
            suggest,
            batch_size=batch_size,
            concurrency=concurrency,
            timeout=timeout,
            embeddings=embeddings,
        )
        # Who answers here, their queue (checked now), qualification, session and widget.
        self.live = Live(self, who, as_queue(queue), given=queue is not None)
        # The store is opened last: a Review that fails to build never creates or touches one.
        self.store = open_store(store)
        ids = {f"id column {id!r}": lambda: self.source.arrow_column(id)} if id is not None else {}
        self.store.check_texts({"name": [self.name], "annotator": [who], **ids})
        self.keys.keep_index_with(self.store)  # rows by signature, kept between processes
        previous = self.store.review_config(self.name)
        scheme = migrate_keys.upgrade(self.keys, self.store, self.name, previous)
        self.store.register_review(self.name, {**self._config(for_store=True), **scheme})
        if who is not None:
            self.live.settle()

    __init__ = suggest_keywords(__init__)  # feilds= names fields= (issue 23)

    @property
    def context(self) -> ReviewContext:
        """What the layers read of this review (context.py): data, questions, keys, store..."""
        return ReviewContext(
            name=self.name,
            source=self.source,
            questions=self.questions,
            keys=self.keys,
            store=self.store,
            fields=tuple(self.fields),
            id=self.id,
            gold=self.gold,
            qualify=self.qualify,
            who=self.live.annotator,
            model=self._model,
        )

    @property
    def annotator(self) -> str:
        """Who is answering (a served page given no name asks its visitor before anything)."""
        if self.live.annotator is None:
            raise ValueError(NO_ANNOTATOR)
        return self.live.annotator

    def queue(
        self,
        filter: str | Callable | None = None,
        *,
        sort: str | Sequence[str] | None = None,
        status: str | None = None,
        search: str | None = None,
        seed: int | None = None,
        order: Callable | None = None,
        every: int | None = None,
    ) -> Review:
        """Choose and order the records to review (no arguments: every record in order).
        `sort="disagreement"`/`"suggestion_disagreement"`, or `order=fn(review) -> rows`
        re-ranked in the background after every `every` submitted answers (API.md 12)."""
        self.live.use_queue(Queue(filter, sort, status, search, seed, order=order, every=every))
        return self

    # -- the model in the loop (API.md 12; _model/) -------------------------------------------

    def suggest(
        self,
        fn: Callable,
        rows: Sequence[int] | None = None,
        batch_size: int = 32,
        name: str | None = None,
        overwrite: bool = False,
        *,
        concurrency: int = 1,
        timeout: float = 60.0,
    ) -> pd.DataFrame:
        """Store `fn`'s suggestions for `rows` (default all) ahead of time, with a progress
        bar; resumes where it stopped. Counts per question: suggested, invalid, failed."""
        from ._model.fill import fill

        options = {"batch_size": batch_size, "concurrency": concurrency, "timeout": timeout}
        return fill(self, fn, rows, name=name, overwrite=overwrite, **options)

    def similar(self, row: int, k: int = 20, embeddings: str | None = None) -> Review:
        """Set a queue of the `k` records nearest to `row` by cosine over an embeddings column."""
        from ._model.similar import similar_queue

        return similar_queue(self, row, k, embeddings)

    def _check_columns(self, suggestion_columns: list[str]) -> None:
        columns = self.source.columns
        known = set(columns)

        def need(column: str, role: str) -> None:
            if column not in known:
                raise ValueError(
                    f"unknown column {column!r} ({role}); the dataset has columns {columns!r}"
                )

        if self.id is not None:
            need(self.id, "id")
        for f in self.fields:
            need(f.column, "fields")
            f.check(self.source)  # e.g. nr.Chat needs lists of messages
        for q in self.questions:
            for column in q.target_columns():
                need(column, f"question {q.name!r}")
            q.check(self.source)  # e.g. a Spans question needs a text column
            if q.suggestion:
                need(q.suggestion, f"suggestion of question {q.name!r}")
            if q.gold:
                need(q.gold, f"gold of question {q.name!r}")
            if q.name in known:
                raise ValueError(
                    f"question name {q.name!r} collides with an existing column of the dataset; "
                    "give the question another name"
                )
            if q.name in writeback.RECORD_COLUMNS:
                raise ValueError(
                    f"question name {q.name!r} is reserved for the record column to_dataset() "
                    "adds; give the question another name"
                )
        if not self.fields and not any(q.target_columns() for q in self.questions):
            raise ValueError("fields is empty: name at least one column to show")

    def _config(self, for_store: bool = False) -> dict:
        return review_config(self, for_store)  # _ui/config.py

    def __repr__(self) -> str:
        if self.live.annotator is None:
            return f"<nbreview.Review {self.name!r}: asking who answers, store {self.store.url!r}>"
        p = self.progress
        return (
            f"<nbreview.Review {self.name!r}: {p.total} records, {p.submitted} submitted, "
            f"{p.skipped} skipped, annotator {self.annotator!r}, store {self.store.url!r}>"
        )

    def keys_table(self) -> pd.DataFrame:
        """The keys in force: one row per action (and per question with keys=), what it does."""
        return pd.DataFrame(self.key_map.rows(), columns=["action", "keys", "what it does"])

    # -- the widget ---------------------------------------------------------------------------

    @property
    def session(self) -> Session:
        return self.live.open()

    @property
    def widget(self):
        """The widget, made once: displaying the review again shows the same live view."""
        return self.live.show()

    def _repr_mimebundle_(self, **kwargs: Any):
        return self.widget._repr_mimebundle_(**kwargs)

    @property
    def position(self) -> int | None:
        """The row position the widget shows; assign a position to jump there."""
        return self.session.position

    @position.setter
    def position(self, value: int) -> None:
        self.session.goto(value)
        self.live.refresh()

    # -- counts and answers from code ---------------------------------------------------------

    @property
    def progress(self) -> Progress:
        status = self.store.statuses(self.name, self.annotator)
        counts = count_statuses(self.keys if status else None, status)
        return Progress(**progress_counts(len(self.source), counts))

    # -- assignments (API.md 13; _team/assign.py) ---------------------------------------------

    def assign(
        self,
        annotator: str,
        filter: str | Callable | None = None,
        rows: Iterable[int] | None = None,
    ) -> int:
        """Store that these records (a queue filter, row positions, or both) are `annotator`'s:
        they are handed those only. Returns how many records they are assigned."""
        from ._team.assign import assign

        return assign(self, annotator, filter, rows)

    def unassign(self, annotator: str) -> None:
        """Take `annotator`'s assignment away (their answers stay)."""
        from ._team.assign import unassign

        unassign(self, annotator)

    def assignments(self) -> pd.DataFrame:
        """One row per annotator with an assignment: assigned, submitted, remaining."""
        from ._team.assign import assignments

        return assignments(self)

    def progress_by_annotator(self) -> pd.DataFrame:
        """Every annotator's submitted, skipped and draft records in the data, by name; with
        assignments, also `assigned` and `assigned_remaining` (records of theirs not done)."""
        from ._export.consensus import progress_by_annotator
        from ._team.assign import with_assignments

        return with_assignments(self, progress_by_annotator(self.context))

    def submit(self, i: int, **answers: Any) -> None:
        """Answer row `i` from code, validated exactly as the widget does, and submit it."""
        position = self.source.check_position(i)
        qualifying.refuse_unqualified(self)  # qualify=: a failed test stops code too
        record = self.source.row(position, self.questions.target_columns())
        answers = self.questions.validate(answers, record)
        key = self.keys.key(position)
        state = self.store.record(self.name, self.annotator, key)
        merged = {**state.answers, **answers}
        missing = self.questions.missing(merged, record)
        if missing:
            parts = [(n, self.questions[n].unanswered_parts(merged.get(n))) for n in missing]
            said = "".join(f"; {n!r} still needs {', '.join(map(repr, p))}" for n, p in parts if p)
            raise ValueError(f"row {i}: required questions without an answer: {missing!r}{said}")
        self.store.write(
            Change(self.name, self.annotator, key, answers=answers, status="submitted")
        )
        if self.live.session is not None:
            self.live.session.mark(key, "submitted")
            self.live.refresh()

    # -- write-back ---------------------------------------------------------------------------

    def to_dataset(
        self, prefix: str = "", annotators: str | None = None, suggestions: bool = False
    ) -> datasets.Dataset:
        """The input plus one typed column per question and the record columns;
        `suggestions=True` adds `<question>_suggestion` columns."""
        ds = writeback.to_dataset(self.context, prefix, annotators)
        if suggestions:
            from ._model.export import with_suggestions

            ds = with_suggestions(self, ds, prefix)
        return ds

    def to_pandas(
        self, prefix: str = "", annotators: str | None = None, suggestions: bool = False
    ) -> pd.DataFrame:
        """The same as to_dataset(), as a DataFrame (a DataFrame input keeps its index)."""
        frame = writeback.to_pandas(self.context, prefix, annotators)
        if suggestions:
            from ._model.export import with_suggestions_frame

            frame = with_suggestions_frame(self, frame, prefix)
        return frame

    def annotations(self) -> pd.DataFrame:
        """Every annotator's current answers, one row per (record, annotator, question)."""
        return writeback.annotations(self.context)

    def agreement(self) -> pd.DataFrame:
        """Per question: Krippendorff's alpha (span F1 for spans) over submitted answers."""
        from ._export.agreement import agreement

        return agreement(self.context)

    # -- quality control (API.md 8; _team/quality.py, alignment.py, timing.py, plots.py) -------

    def quality(
        self, min_gold_accuracy: float = 0.8, tolerance: float = 0, min_seconds: float = 2
    ) -> pd.DataFrame:
        """One row per annotator: gold accuracy, agreement, competence, speed, position bias,
        suggestions accepted, straight-lining, and a flag naming what crosses a threshold."""
        from ._team.quality import quality

        return quality(self, min_gold_accuracy, tolerance, min_seconds)

    def monitor(self, every: float = 10) -> Any:
        """A live widget for the lead: progress, assignments, gold accuracy, agreement, flags
        and a chart, read from the store every `every` seconds while it is shown."""
        from ._team.monitor import Monitor, check_every

        return Monitor(self, check_every(every))

    def alignment(
        self, column: str, question: str, tolerance: float = 0, confidence: str | None = None
    ) -> pd.DataFrame:
        """A model's answers in `column` against the humans': one row per annotator, and the
        consensus (with `confidence=`: `ece` and `brier`); the dataset card reports the
        judges compared here."""
        from ._team.alignment import alignment

        result = alignment(self, column, question, tolerance, confidence)
        self.compared_judges[(column, question)] = float(tolerance)
        return result

    def timing(self) -> pd.DataFrame:
        """One row per (record, annotator): seconds on screen, answered or not."""
        from ._team.timing import timing

        return timing(self)

    def summary(self, question: str, by: str | None = None) -> pd.DataFrame:
        """The answers to `question` counted, overall or per value of the column `by`."""
        from ._team.summary import summary

        return summary(self, question, by)

    def plot(self, kind: str, **kwargs: Any) -> Any:
        """An altair.Chart: "progress", "timing", "answers", "gold", "alignment", "calibration"."""
        from ._team.plots import plot

        return plot(self, kind, **kwargs)

    def to_trl(
        self,
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
        """The submitted answers as a TRL dataset: "sft", "dpo", "kto" or "stepwise" (trl.py);
        `turns=True` makes KTO examples of each answered turn of a per-turn question."""
        from ._export.trl import to_trl

        return to_trl(
            self.context,
            kind,
            prompt,
            completion,
            label,
            good,
            preference,
            question=question,
            turns=turns,
        )

    def to_openai(
        self,
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
        """OpenAI fine-tuning JSONL, "sft" (chat=, weights=, good=) or "dpo" (question=,
        prompt=), written to `path` (returned) or, without one, returned as a Dataset."""
        from ._export.openai import to_openai

        options = {"chat": chat, "weights": weights, "good": good, "question": question}
        return to_openai(self.context, kind, path, **options, prompt=prompt, tools=tools)

    # -- publishing (hub.py, card.py, resume.py) ----------------------------------------------

    def save_hub_folder(
        self,
        path: str | os.PathLike,
        split: str = "train",
        annotators: str | None = None,
        include_log: bool = False,
        anonymize: bool = False,
        require_complete: bool = False,
        *,
        license: str | None = None,
        prefix: str = "",
        repo_id: str | None = None,
    ) -> Path:
        """Write the dataset repository push_to_hub would upload: parquet data and a card."""
        from ._hub import publish as hub

        return hub.save_hub_folder(
            self,
            path,
            split=split,
            annotators=annotators,
            include_log=include_log,
            anonymize=anonymize,
            require_complete=require_complete,
            license=license,
            prefix=prefix,
            repo_id=repo_id,
        )

    def push_to_hub(
        self,
        repo_id: str,
        private: bool = True,
        token: str | None = None,
        split: str = "train",
        annotators: str | None = None,
        include_log: bool = False,
        anonymize: bool = False,
        require_complete: bool = False,
        api: Any = None,
        *,
        license: str | None = None,
        prefix: str = "",
    ) -> Any:
        """Upload save_hub_folder's folder to a Hub dataset repository in one commit."""
        from ._hub import publish as hub

        return hub.push_to_hub(
            self,
            repo_id,
            private=private,
            token=token,
            api=api,
            license=license,
            split=split,
            annotators=annotators,
            include_log=include_log,
            anonymize=anonymize,
            require_complete=require_complete,
            prefix=prefix,
        )

    @classmethod
    def from_hub_folder(
        cls,
        path: str | os.PathLike,
        store: str | os.PathLike | Store | None = None,
        annotator: str | None = None,
    ) -> Review:
        """Reopen a published review from its folder, its answers imported into `store`."""
        from ._hub import resume

        return resume.from_hub_folder(cls, path, store=store, annotator=annotator)
