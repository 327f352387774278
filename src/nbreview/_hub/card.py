"""The dataset card of a published review: YAML metadata for machines, a body for strangers.

The YAML is made by `huggingface_hub.DatasetCardData` and by the same `datasets` helpers
`Dataset.push_to_hub` uses for `configs` and `dataset_info`, so `load_dataset` reads it.
What the card says about a question (its kind's name, Hub task, what it accepts, details
such as a rubric's criteria, counts per answer) comes from the question's kind.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

import datasets
from datasets.info import DatasetInfo, DatasetInfosDict
from datasets.splits import SplitDict, SplitInfo
from datasets.utils.metadata import MetadataConfigs
from huggingface_hub import DatasetCard, DatasetCardData

from ..questions.base import number
from . import quality

if TYPE_CHECKING:
    from ..questions import Question
    from ..review import Review
    from .publish import Publication

TAGS = ["nbreview", "human-feedback"]
LOG_CONFIG = "annotations"
SIZES = ["n<1K", "1K<n<10K", "10K<n<100K", "100K<n<1M", "1M<n<10M", "10M<n<100M"]
SIZES += ["100M<n<1B", "1B<n<10B", "10B<n<100B", "100B<n<1T"]
FIELD_KINDS = {
    "text": "plain text",
    "markdown": "markdown",
    "chat": "chat messages",
    "steps": "numbered steps",
}
CONSENSUS_RECORD = {  # what the record columns hold in a consensus export
    "annotator": "the sorted list of the annotators counted",
    "status": "`submitted` where at least one submitted answer exists",
    "annotated_at": "the latest of the annotators' times",
}


def size_category(rows: int) -> str:
    """The Hub's size bucket for a row count: n<1K, 1K<n<10K, ..., n>1T."""
    for power, name in enumerate(SIZES, start=3):
        if rows < 10**power:
            return name
    return "n>1T"


def task_categories(questions: list[Question]) -> list[str]:
    """The Hub tasks the questions' answers train for (free text suggests none)."""
    return list(dict.fromkeys(q.task for q in questions if q.task))


def type_name(feature: Any) -> str:
    """A feature as a reader of the card would write it: int32, ClassLabel(names=[...]), ..."""
    if isinstance(feature, datasets.ClassLabel):
        return f"ClassLabel(names={feature.names!r})"
    if isinstance(feature, datasets.Value):
        return feature.dtype
    if isinstance(feature, (datasets.List, datasets.LargeList)):
        return f"List({type_name(feature.feature)})"
    if isinstance(feature, dict):
        return "{" + ", ".join(f"{k}: {type_name(v)}" for k, v in feature.items()) + "}"
    return type(feature).__name__


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]


# -- YAML ---------------------------------------------------------------------------------------


def metadata(review: Review, pub: Publication) -> dict:
    """The review in machine-readable form, as `from_hub_folder` rebuilds it."""
    from .. import __version__

    return {
        "version": __version__,
        "name": review.name,
        "id": review.id,
        "fields": [f.spec() for f in review.fields],
        "questions": review.questions.specs(),
        "guidelines": review.guidelines,
        "split": pub.split,
        "prefix": pub.prefix,
        "annotators": pub.annotators,
        "anonymized": pub.anonymize,
        "added_columns": pub.added,
        "log": LOG_CONFIG if pub.log is not None else None,
    }


def _info(dataset: datasets.Dataset, split: str, download_size: int) -> DatasetInfo:
    nbytes = dataset.data.nbytes
    splits = SplitDict()
    splits.add(SplitInfo(name=split, num_bytes=nbytes, num_examples=len(dataset)))
    return DatasetInfo(
        features=dataset.features, splits=splits, download_size=download_size, dataset_size=nbytes
    )


def card_data(
    review: Review, pub: Publication, data_bytes: int, log_bytes: int, license: str | None
) -> DatasetCardData:
    data = DatasetCardData(
        license=license,
        tags=list(TAGS),
        size_categories=[size_category(len(pub.data))],
        task_categories=task_categories(list(review.questions)) or None,
        nbreview=metadata(review, pub),
    )
    split = pub.split
    configs = {"default": {"data_files": [{"split": split, "path": f"data/{split}-*"}]}}
    infos = {"default": _info(pub.data, split, data_bytes)}
    if pub.log is not None:
        path = f"{LOG_CONFIG}/{split}-*"
        configs[LOG_CONFIG] = {"data_files": [{"split": split, "path": path}]}
        infos[LOG_CONFIG] = _info(pub.log, split, log_bytes)
    MetadataConfigs(configs).to_dataset_card_data(data)
    DatasetInfosDict(infos).to_dataset_card_data(data)
    return data


# -- the body -----------------------------------------------------------------------------------


def _column(pub: Publication, name: str) -> tuple[Any, list]:
    """A question's feature and answers in the data, one per annotator in "all" mode."""
    feature = pub.data.features[name]
    values = pub.data.data.column(name).to_pylist()
    if pub.annotators == "all":  # each cell lists one answer per annotator
        feature = feature.feature
        values = [v for cell in values if cell is not None for v in cell]
    return feature, values


def _stats(review: Review, annotators: str | None = None) -> dict:
    """Counts of what the data holds: one annotator's records, or the team's (for consensus,
    without those who did not qualify), so the card never contradicts its data."""
    from .._team.qualify import unqualified

    who = review.annotator if annotators is None else None
    # consensus leaves out who did not qualify; "all" lists everyone, so it counts everyone
    left_out = set(unqualified(review)) if annotators == "consensus" else set()
    stored = review.store.records(review.name, who)
    # the stored records this dataset holds: found by their keys, not by hashing every row
    keys = set(review.keys.find({r[0] for r in stored})[1].to_pylist())
    rows = [r for r in stored if r[0] in keys and r[1] not in left_out]
    statuses = Counter(r[2] for r in rows)
    return {
        "annotators": len({r[1] for r in rows}),
        "answered": len({r[0] for r in rows if r[2] == "submitted"}),
        "statuses": statuses,
    }


def _agreement(review: Review) -> list[str]:
    measure = getattr(review, "agreement", None)
    if measure is None:
        return ["This version of nbreview does not compute agreement between annotators."]
    result = measure()
    if hasattr(result, "columns") and hasattr(result, "itertuples"):  # a DataFrame
        if "question" in result.columns:  # review.agreement(): one row per question or part
            result = result.set_index("question")
        header = [result.index.name or "question", *map(str, result.columns)]
        rows = [[row[0], *map(number, row[1:])] for row in result.itertuples()]
        return _table(header, rows)
    if hasattr(result, "items"):  # a dict or a Series: question -> alpha
        rows = [[f"`{k}`", number(v)] for k, v in result.items()]
        return _table(["question", "Krippendorff's alpha"], rows)
    return [number(result)]


def _meaning(review: Review, pub: Publication, column: str) -> str:
    """What a column holds, for the card's column table."""
    roles = []
    for f in review.fields:
        if f.column == column:
            roles.append(f"shown to annotators as {FIELD_KINDS.get(f.kind, f.kind)}")
    if column == review.id:
        roles.append("record id")
    for q in review.questions:
        if q.suggestion == column:
            roles.append(f"suggested answer to `{q.name}`")
        if column == q.turns:
            roles.append(f"the turns `{q.name}` is asked about, one by one")
        elif column in q.target_columns():
            roles.append(f"the text `{q.name}` is about")
        if q.gold == column:
            roles.append(f"known right answers to `{q.name}` (gold), not shown to annotators")
    if column not in pub.added:
        return "; ".join(roles) or "input column, not shown to annotators"
    name = column[len(pub.prefix) :]
    consensus = pub.annotators == "consensus"
    per = ""
    if pub.annotators == "all":
        per = f"; a list with one entry per annotator, in the order of `{pub.prefix}annotator`"
    if name in review.questions.names:
        q = review.questions[name]
        kind = q.title or q.kind
        text = f"answer to the question `{name}` ({kind}); null where unanswered"
        if q.column_meaning():  # a per-turn question: a list aligned to the turns
            text += f"; {q.column_meaning()}"
        text += per
        if consensus:
            text += f"; of several annotators: {q.consensus_rule} (an adjudicated answer wins)"
        return text
    who = " (pseudonyms: `annotator-` and a hash of the name)" if pub.anonymize else ""
    record = {
        "annotator": "who answered" + who,
        "status": "`submitted`, `skipped`, `draft` (saved, not submitted), or null where "
        "nobody answered",
        "annotated_at": "when the answer was last changed (UTC)",
    }
    if name in record:
        return record[name] + (f"; {CONSENSUS_RECORD[name]}" if consensus else per)
    if name == "agreement":
        return "agreement among the annotators of the record (0 to 1)"
    return "added by nbreview"


def body(review: Review, pub: Publication, repo_id: str | None) -> str:
    stats = _stats(review, pub.annotators)
    data, prefix, split = pub.data, pub.prefix, pub.split
    title = repo_id or f"{review.name} (an nbreview review)"
    where = repo_id or "path/to/this/folder"
    lines = [
        f"# {title}",
        "",
        f"Human review of {len(data)} records, made with nbreview: annotators read the "
        "fields below, answered the questions, and each answer became a typed column.",
        "",
        "## Summary",
        "",
        *_table(
            ["", "count"],
            [
                ["records", len(data)],
                ["annotators", stats["annotators"]],
                ["records with a submitted answer", stats["answered"]],
                [
                    "answers submitted (one per record and annotator)",
                    stats["statuses"]["submitted"],
                ],
                ["answers skipped", stats["statuses"]["skipped"]],
                ["answers saved as drafts, not submitted", stats["statuses"]["draft"]],
            ],
        ),
        "",
    ]
    if pub.annotators is None:
        lines += [
            "Each row holds one annotator's answers (named in "
            f"`{prefix}annotator`); `{prefix}status` says whether they were submitted.",
            "",
        ]
    if pub.log is not None:
        lines += [
            f"The `{LOG_CONFIG}` configuration holds every annotator's current answers, one "
            "row per record, annotator and question.",
            "",
        ]
    lines += ["## Fields shown to annotators", ""]
    lines += [f"- `{f.column}`: {FIELD_KINDS.get(f.kind, f.kind)}" for f in review.fields]
    key = f"the `{review.id}` column" if review.id else "a hash of the shown and annotated values"
    lines += ["", f"Records are identified by {key}.", "", "## Questions", ""]
    rows = [
        [
            f"`{q.name}`",
            q.title or q.kind,
            q.describe(),
            "yes" if q.required else "no",
            f"`{type_name(data.features[prefix + q.name])}`",
        ]
        for q in review.questions
    ]
    lines += _table(["question", "kind", "answers", "required", "column type"], rows)
    for q in review.questions:
        details = q.card_details()
        if details is not None:
            lines += ["", f"`{q.name}`:", "", *_table(*details)]
    lines += ["", "## Guidelines", ""]
    text = review.guidelines.strip()
    lines += [("> " + line).rstrip() for line in text.splitlines()] if text else ["None given."]
    lines += ["", "## Answer counts", ""]
    for q in review.questions:
        feature, values = _column(pub, prefix + q.name)
        lines += [f"### `{q.name}`", "", *_table(*q.answer_counts(values, feature))]
        lines.append("")
    if stats["annotators"] > 1 or _stats(review, "all")["annotators"] > 1:  # the team's
        lines += ["## Agreement", "", *_agreement(review), ""]
    lines += quality.lines(review, pub.anonymize)  # gold accuracy, judges, when they exist
    lines += ["## Columns", ""]
    rows = [
        [f"`{c}`", f"`{type_name(data.features[c])}`", _meaning(review, pub, c)]
        for c in data.column_names
    ]
    lines += _table(["column", "type", "meaning"], rows)
    lines += [
        "",
        "## Loading",
        "",
        "```python",
        "from datasets import load_dataset",
        "",
        f'ds = load_dataset("{where}", split="{split}")',
    ]
    labels = [
        q
        for q in review.questions
        if isinstance(data.features[prefix + q.name], datasets.ClassLabel)
    ]
    if labels:
        name = prefix + labels[0].name
        lines += [
            f'ds.features["{name}"].int2str(ds[0]["{name}"])  # label columns hold label indices'
        ]
    lines += [f'submitted = ds.filter(lambda row: row["{prefix}status"] == "submitted")']
    if pub.log is not None:
        lines += [
            f'log = load_dataset("{where}", "{LOG_CONFIG}", split="{split}")  '
            "# value: the answer as JSON"
        ]
    lines += [
        "```",
        "",
        "To continue the review in Jupyter (answers are imported under their annotators):",
        "",
        "```python",
        "import nbreview as nr",
    ]
    if repo_id:
        lines += [
            "from huggingface_hub import snapshot_download",
            "",
            f'folder = snapshot_download("{repo_id}", repo_type="dataset", local_dir="review")',
            "review = nr.Review.from_hub_folder(folder)",
        ]
    else:
        lines += ["", f'review = nr.Review.from_hub_folder("{where}")']
    lines += ["review", "```", ""]
    return "\n".join(lines)


def build(
    review: Review,
    pub: Publication,
    *,
    data_bytes: int,
    log_bytes: int,
    license: str | None,
    repo_id: str | None,
) -> DatasetCard:
    data = card_data(review, pub, data_bytes, log_bytes, license)
    return DatasetCard(f"---\n{data.to_yaml()}\n---\n\n{body(review, pub, repo_id)}")
