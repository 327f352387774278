"""Publishing a review: the Hub repository as a folder (parquet + card), and its upload.

`save_hub_folder` writes exactly what `push_to_hub` uploads, in one commit, so the folder
can be inspected (and tested) without a network. `resume.py` reopens such a folder.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import datasets
import huggingface_hub
import pyarrow as pa

from .._export.types import TIMESTAMP
from ..store.base import ADJUDICATOR
from . import card as cards

if TYPE_CHECKING:
    from ..review import Review

DATA_DIR = "data"
LOG_DIR = "annotations"  # the raw log, `annotations()`, as a second config of the same name
STORE_FILE = "nbreview.sqlite"  # from_hub_folder's default store: never part of the upload
# Row groups the Hub's dataset viewer reads comfortably, and shards of datasets' default size.
ROW_GROUP_ROWS = 100_000
ROW_GROUP_BYTES = 32 * 2**20
SHARD_BYTES = 500 * 2**20
SPLIT_NAME = re.compile(r"^\w+(\.\w+)*$")  # what `datasets` accepts as a split name
ROLES = frozenset({ADJUDICATOR})  # annotator names that are roles, not people: not anonymized

LOG_FEATURES = datasets.Features(
    {
        "record": datasets.Value("string"),
        "annotator": datasets.Value("string"),
        "question": datasets.Value("string"),
        "value": datasets.Value("string"),  # the answer as JSON: questions differ in type
        "status": datasets.Value("string"),
        "annotated_at": datasets.Value("timestamp[us, tz=UTC]"),
    }
)


class PublishError(ValueError):
    """The review cannot be published as asked; the message says what to do instead."""


class MissingTokenError(PublishError):
    """No Hugging Face token was given or found."""


class RepoTypeError(PublishError):
    """The repository named is a model or a Space, not a dataset."""


class IncompleteReviewError(PublishError):
    """require_complete=True, and some answers are drafts (saved, not submitted)."""


def pseudonym(name: str) -> str:
    """A stable stand-in for an annotator's name: the same name always gives the same one."""
    digest = hashlib.blake2b(name.encode("utf-8"), digest_size=4).hexdigest()
    return f"annotator-{digest}"


def _anonymized(value: Any) -> Any:
    if isinstance(value, str):
        return value if value in ROLES else pseudonym(value)
    if isinstance(value, list):  # annotators="all": one name per annotator
        return [_anonymized(v) for v in value]
    return value


def _replace_names(table: pa.Table, column: str) -> pa.Table:
    if column not in table.column_names:
        return table
    i = table.column_names.index(column)
    values = table.column(i)
    names = pa.array([_anonymized(v) for v in values.to_pylist()], type=values.type)
    return table.set_column(i, table.field(i), names)


def _as_dataset(table: pa.Table, features: datasets.Features) -> datasets.Dataset:
    """An in-memory Dataset whose schema (and its `huggingface` metadata) is `features`'."""
    table = table.cast(features.arrow_schema)
    return datasets.Dataset(
        datasets.table.InMemoryTable(table), info=datasets.DatasetInfo(features=features)
    )


@dataclass
class Publication:
    """What a save or a push writes: the data, the optional log, and how they were made."""

    data: datasets.Dataset
    log: datasets.Dataset | None
    split: str
    annotators: str | None
    prefix: str
    anonymize: bool
    added: list[str]  # the columns the review added to the input, as named in `data`


def _check_complete(review: Review, annotators: str | None) -> None:
    who = review.annotator if annotators is None else None
    drafts = [r[0] for r in review.store.records(review.name, who) if r[2] == "draft"]
    if not drafts:
        return
    rows = review.keys.find(drafts)[0].tolist()  # the drafts' rows, not every row's key
    if rows:
        shown = ", ".join(map(str, rows[:10])) + (", ..." if len(rows) > 10 else "")
        raise IncompleteReviewError(
            f"{len(rows)} records have unsubmitted (draft) answers (rows {shown}); submit or "
            "skip them (Enter or s in the widget, or review.submit(i, ...)), or publish with "
            "require_complete=False"
        )


def _log(review: Review, anonymize: bool) -> datasets.Dataset:
    """`annotations()` of this dataset's records, each answer as JSON text."""
    frame = review.annotations()
    held = review.keys.find(set(frame["record"]))[1]  # records of this dataset
    frame = frame[frame["record"].isin(held.to_pylist())]
    table = pa.table(
        {
            "record": pa.array(frame["record"], pa.string()),
            "annotator": pa.array(frame["annotator"], pa.string()),
            "question": pa.array(frame["question"], pa.string()),
            "value": pa.array(
                [json.dumps(v, ensure_ascii=False) for v in frame["value"]], pa.string()
            ),
            "status": pa.array(frame["status"], pa.string()),
            "annotated_at": pa.Array.from_pandas(frame["annotated_at"]).cast(TIMESTAMP),
        }
    )
    if anonymize:
        table = _replace_names(table, "annotator")
    return _as_dataset(table, LOG_FEATURES)


def prepare(
    review: Review,
    split: str = "train",
    annotators: str | None = None,
    include_log: bool = False,
    anonymize: bool = False,
    require_complete: bool = False,
    prefix: str = "",
) -> Publication:
    """Everything to publish, computed before anything is written or sent."""
    if not isinstance(split, str) or not SPLIT_NAME.match(split):
        raise PublishError(
            f"split {split!r} is not a valid split name: use letters, digits and _ (e.g. 'train')"
        )
    if len(review.source) == 0:  # datasets cannot load an empty split
        raise PublishError("the review's dataset has no rows: there is nothing to publish")
    if require_complete:
        _check_complete(review, annotators)
    out = review.to_dataset(prefix=prefix, annotators=annotators)
    added = [c for c in out.column_names if c not in set(review.source.columns)]
    table = out.with_format("arrow")[:]
    if anonymize:
        table = _replace_names(table, prefix + "annotator")
    log = _log(review, anonymize) if include_log else None
    if log is not None and len(log) == 0:  # no answers yet: an empty config would not load
        log = None
    return Publication(
        data=_as_dataset(table, out.features),
        log=log,
        split=split,
        annotators=annotators,
        prefix=prefix,
        anonymize=bool(anonymize),
        added=added,
    )


def write_parquet(dataset: datasets.Dataset, folder: Path, split: str) -> list[Path]:
    """`<split>-00000-of-0000n.parquet` shards with small row groups and a page index."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"{split}-*.parquet"):  # a smaller save must not leave old shards
        old.unlink()
    rows, nbytes = len(dataset), dataset.data.nbytes
    per_row = max(1, nbytes // max(rows, 1))
    group = max(1, min(ROW_GROUP_ROWS, ROW_GROUP_BYTES // per_row))
    shards = max(1, min(math.ceil(nbytes / SHARD_BYTES), rows))
    paths = []
    for i in range(shards):
        part = dataset.shard(shards, i, contiguous=True) if shards > 1 else dataset
        path = folder / f"{split}-{i:05d}-of-{shards:05d}.parquet"
        part.to_parquet(path, batch_size=group, write_page_index=True)
        paths.append(path)
    return paths


def write_folder(
    review: Review,
    publication: Publication,
    path: str | Path,
    *,
    license: str | None = None,
    repo_id: str | None = None,
) -> Path:
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise PublishError(f"{str(folder)!r} is a file; give a folder to write the dataset to")
    folder.mkdir(parents=True, exist_ok=True)
    split = publication.split
    data_files = write_parquet(publication.data, folder / DATA_DIR, split)
    log_files: list[Path] = []
    if publication.log is not None:
        log_files = write_parquet(publication.log, folder / LOG_DIR, split)
    else:
        for old in (folder / LOG_DIR).glob(f"{split}-*.parquet"):
            old.unlink()
    card = cards.build(
        review,
        publication,
        data_bytes=sum(p.stat().st_size for p in data_files),
        log_bytes=sum(p.stat().st_size for p in log_files),
        license=license,
        repo_id=repo_id,
    )
    card.save(folder / "README.md")
    return folder


def save_hub_folder(review: Review, path: str | Path, **options: Any) -> Path:
    license, repo_id = options.pop("license", None), options.pop("repo_id", None)
    publication = prepare(review, **options)
    return write_folder(review, publication, path, license=license, repo_id=repo_id)


def dataset_repo_id(repo_id: str) -> str:
    """`org/name`, `datasets/org/name` or a dataset URL -> `org/name`; other types refused."""
    if not isinstance(repo_id, str) or not repo_id.strip():
        raise PublishError(
            f"repo_id must be a dataset repository id like 'org/name', got {repo_id!r}"
        )
    text = repo_id.strip()
    if "://" in text or text.split("/", 1)[0] in ("datasets", "models", "spaces"):
        parsed = huggingface_hub.RepoUrl(text)
        if parsed.repo_type != "dataset":
            raise RepoTypeError(
                f"{repo_id!r} names a {parsed.repo_type} repository; push_to_hub publishes a "
                f"dataset: give a dataset id such as {parsed.repo_id!r} (it lives at "
                f"huggingface.co/datasets/{parsed.repo_id})"
            )
        return parsed.repo_id
    return text


def push_to_hub(
    review: Review,
    repo_id: str,
    *,
    private: bool = True,
    token: str | None = None,
    api: Any = None,
    license: str | None = None,
    **options: Any,
) -> Any:
    """Create the dataset repository when needed and upload the folder in one commit."""
    repo = dataset_repo_id(repo_id)
    token = token or getattr(api, "token", None) or huggingface_hub.get_token()
    if not token:
        raise MissingTokenError(
            "no Hugging Face token: pass token='hf_...', run `hf auth login`, or set HF_TOKEN "
            "(a token with write access, from https://huggingface.co/settings/tokens)"
        )
    publication = prepare(review, **options)  # every local check before the network
    if api is None:
        api = huggingface_hub.HfApi(token=token)
    url = api.create_repo(repo, repo_type="dataset", private=private, exist_ok=True, token=token)
    kind = getattr(url, "repo_type", "dataset")
    if kind != "dataset":
        raise RepoTypeError(
            f"{repo!r} is a {kind} repository on the Hub, not a dataset; choose another name"
        )
    repo = getattr(url, "repo_id", None) or repo
    split = publication.split
    with tempfile.TemporaryDirectory(prefix="nbreview-hub-") as tmp:
        folder = write_folder(review, publication, tmp, license=license, repo_id=repo)
        return api.upload_folder(
            repo_id=repo,
            folder_path=folder,
            repo_type="dataset",
            commit_message=f"Publish the nbreview review {review.name!r} ({len(review.source)} "
            "records)",
            token=token,
            # Shards of an earlier, larger push would otherwise stay and be loaded too.
            delete_patterns=[f"{DATA_DIR}/{split}-*.parquet", f"{LOG_DIR}/{split}-*.parquet"],
        )
