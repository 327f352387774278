"""Publishing (API.md 5): save_hub_folder, push_to_hub at the HfApi boundary, from_hub_folder.

Everything runs offline: the folder is loaded with `datasets.load_dataset` from disk, and
the Hub is a recording stand-in for `HfApi` that copies what would be uploaded.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import datasets
import huggingface_hub
import pandas as pd
import pyarrow.parquet as pq
import pytest
from datasets.info import DatasetInfosDict
from huggingface_hub import DatasetCard, RepoUrl

import nbreview as nr
from nbreview._hub import card as cards
from nbreview._hub import publish as hub
from nbreview.store import Change, SQLiteStore
from nbreview.store.base import to_datetime

VERDICTS = ["good", "bad", "unsure"]
ISSUES = ["factual", "style", "unsafe"]
RECORD = ["annotator", "status", "annotated_at"]
GUIDELINES = "# How to judge\n\nRate **correctness** first.\n- `bad`: wrong | harmful\n"


def tree(folder: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under a folder (the store left out)."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(hub.STORE_FILE)
    }


def load(folder: Path, tmp_path: Path, config: str | None = None) -> datasets.Dataset:
    return datasets.load_dataset(
        str(folder), config, split="train", cache_dir=str(tmp_path / "hf-cache")
    )


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True)


@pytest.fixture
def worked(make_review):
    """alice: rows 0 and 3 submitted, row 1 skipped, row 4 a draft; rows 2 and 5 untouched."""
    review = make_review(guidelines=GUIDELINES, fields=["prompt", nr.Markdown("response")])
    review.submit(0, quality=4, verdict="bad", issues=["unsafe", "factual"], comment="risky")
    review.submit(3, quality=1, verdict="good", issues=[])
    key = review.keys.key
    review.store.write(Change(review.name, "alice", key(1), status="skipped"))
    review.store.write(Change(review.name, "alice", key(4), answers={"quality": 5}, status="draft"))
    return review


@pytest.fixture
def team(worked, make_review):
    """worked, plus bob's answers to rows 0 and 2 in the same store."""
    bob = make_review(annotator="bob", guidelines=GUIDELINES)
    bob.submit(0, quality=2, verdict="good", issues=["style"])
    bob.submit(2, quality=5, verdict="unsure", issues=[], comment="fine")
    return worked


class Hub:
    """A stand-in for HfApi: records the calls and copies the folder it is asked to upload."""

    def __init__(self, tmp_path: Path, repo_type: str = "dataset"):
        self.calls: list[tuple[str, dict]] = []
        self.uploaded = tmp_path / "uploaded"
        self.repo_type = repo_type

    def create_repo(self, repo_id, **kwargs):
        self.calls.append(("create_repo", {"repo_id": repo_id, **kwargs}))
        prefix = {"dataset": "datasets/", "space": "spaces/", "model": ""}[self.repo_type]
        return RepoUrl(f"https://huggingface.co/{prefix}{repo_id}")

    def upload_folder(self, **kwargs):
        self.calls.append(("upload_folder", kwargs))
        shutil.copytree(kwargs["folder_path"], self.uploaded)
        return "commit-info"

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]


# -- the folder -----------------------------------------------------------------------------------


def test_folder_layout(worked, tmp_path):
    folder = worked.save_hub_folder(tmp_path / "out")
    assert folder == tmp_path / "out"
    assert sorted(tree(folder)) == ["README.md", "data/train-00000-of-00001.parquet"]
    worked.save_hub_folder(tmp_path / "log", split="validation", include_log=True)
    assert sorted(tree(tmp_path / "log")) == [
        "README.md",
        "annotations/validation-00000-of-00001.parquet",
        "data/validation-00000-of-00001.parquet",
    ]


def test_parquet_schema_is_exactly_to_dataset(worked, tmp_path):
    expected = worked.to_dataset()
    folder = worked.save_hub_folder(tmp_path / "out")
    path = folder / "data" / "train-00000-of-00001.parquet"
    schema = pq.read_schema(path)
    assert schema.remove_metadata() == expected.data.table.schema.remove_metadata()
    assert datasets.Features.from_arrow_schema(schema) == expected.features
    features = json.loads(schema.metadata[b"huggingface"])["info"]["features"]
    assert datasets.Features.from_dict(features) == expected.features
    assert pq.read_table(path).to_pylist() == expected.to_list()


def test_row_groups_are_small_and_carry_a_page_index(worked, tmp_path):
    folder = worked.save_hub_folder(tmp_path / "out")
    meta = pq.ParquetFile(folder / "data" / "train-00000-of-00001.parquet").metadata
    for i in range(meta.num_row_groups):
        group = meta.row_group(i)
        assert group.num_rows <= hub.ROW_GROUP_ROWS
        for j in range(group.num_columns):
            assert group.column(j).has_offset_index
            assert group.column(j).has_column_index


def test_large_output_is_split_into_row_groups_and_shards(worked, tmp_path, monkeypatch):
    monkeypatch.setattr(hub, "ROW_GROUP_ROWS", 2)
    monkeypatch.setattr(hub, "SHARD_BYTES", worked.to_dataset().data.nbytes // 3)
    folder = tmp_path / "out"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "train-00000-of-00009.parquet").write_bytes(b"stale")
    worked.save_hub_folder(folder)
    files = sorted((folder / "data").iterdir())
    n = len(files)
    assert n >= 3
    assert [f.name for f in files] == [f"train-{i:05d}-of-{n:05d}.parquet" for i in range(n)]
    for f in files:
        meta = pq.ParquetFile(f).metadata
        assert all(meta.row_group(i).num_rows <= 2 for i in range(meta.num_row_groups))
    loaded = load(folder, tmp_path)
    expected = worked.to_dataset()
    assert loaded.to_dict() == expected.to_dict()
    assert loaded.features == expected.features


def test_load_dataset_gives_the_rows_and_exact_features(worked, tmp_path):
    expected = worked.to_dataset()
    folder = worked.save_hub_folder(tmp_path / "out")
    loaded = load(folder, tmp_path)
    assert loaded.features == expected.features
    assert loaded.features["verdict"] == datasets.ClassLabel(names=VERDICTS)
    assert loaded.features["issues"] == datasets.List(datasets.ClassLabel(names=ISSUES))
    assert loaded.to_dict() == expected.to_dict()
    assert loaded["issues"][:2] == [[0, 2], None]


def test_load_dataset_of_a_dataframe_review(make_review, df, tmp_path):
    review = make_review(df)
    review.submit(1, quality=3, verdict="unsure", issues=["style"])
    folder = review.save_hub_folder(tmp_path / "out")
    loaded = load(folder, tmp_path)
    assert loaded.features == review.to_dataset().features
    assert loaded["quality"] == [None, 3, None, None, None, None]


def test_the_log_is_a_second_config(team, tmp_path):
    folder = team.save_hub_folder(tmp_path / "out", include_log=True)
    log = load(folder, tmp_path, "annotations")
    assert log.features == hub.LOG_FEATURES
    frame = team.annotations()
    assert log["record"] == list(frame["record"])
    assert log["annotator"] == list(frame["annotator"])
    assert [json.loads(v) for v in log["value"]] == list(frame["value"])
    assert set(log["annotator"]) == {"alice", "bob"}
    assert load(folder, tmp_path).features == team.to_dataset().features  # default config


def test_saving_again_without_the_log_removes_it(worked, tmp_path):
    folder = worked.save_hub_folder(tmp_path / "out", include_log=True)
    worked.save_hub_folder(folder)
    assert not list((folder / "annotations").glob("*.parquet"))
    assert "annotations" not in [
        c["config_name"] for c in DatasetCard.load(folder / "README.md").data.configs
    ]


def test_nothing_to_publish(make_review, ds, tmp_path):
    with pytest.raises(ValueError, match="no rows"):
        make_review(ds.select([])).save_hub_folder(tmp_path / "empty")
    folder = make_review().save_hub_folder(tmp_path / "out", include_log=True)  # no answers
    assert not (folder / "annotations").exists()  # an empty config would not load
    assert DatasetCard.load(folder / "README.md").data.nbreview["log"] is None
    assert load(folder, tmp_path)["status"] == [None] * 6


def test_bad_split_name(worked, tmp_path):
    with pytest.raises(ValueError, match="split"):
        worked.save_hub_folder(tmp_path / "out", split="my-split")
    assert not (tmp_path / "out").exists()


def test_a_dataset_column_named_status_needs_a_prefix(make_review, ds, tmp_path):
    review = make_review(ds.add_column("status", ["x"] * 6))
    review.submit(0, quality=2, verdict="bad", issues=[])
    with pytest.raises(ValueError, match="prefix"):
        review.save_hub_folder(tmp_path / "out")
    folder = review.save_hub_folder(tmp_path / "out", prefix="review_")
    loaded = load(folder, tmp_path)
    assert loaded["status"] == ["x"] * 6
    assert loaded["review_status"][0] == "submitted"
    reopened = nr.Review.from_hub_folder(folder, annotator="alice")
    assert reopened.source.columns == review.source.columns
    assert reopened.to_dataset(prefix="review_")["review_quality"][0] == 2


# -- the card -------------------------------------------------------------------------------------


def test_card_metadata(worked, tmp_path):
    folder = worked.save_hub_folder(tmp_path / "out", license="cc-by-4.0", include_log=True)
    data = DatasetCard.load(folder / "README.md").data
    assert data.license == "cc-by-4.0"
    assert {"nbreview", "human-feedback"} <= set(data.tags)
    assert data.size_categories == ["n<1K"]
    assert data.task_categories == ["text-classification"]
    configs = {c["config_name"]: c["data_files"] for c in data.configs}
    assert configs == {
        "default": [{"split": "train", "path": "data/train-*"}],
        "annotations": [{"split": "train", "path": "annotations/train-*"}],
    }
    infos = DatasetInfosDict.from_dataset_card_data(data)
    assert infos["default"].features == worked.to_dataset().features
    assert infos["default"].splits["train"].num_examples == 6
    assert infos["annotations"].features == hub.LOG_FEATURES
    meta = data.nbreview
    assert meta["name"] == "default"
    assert meta["id"] is None
    assert meta["fields"] == [
        {"column": "prompt", "kind": "text"},
        {"column": "response", "kind": "markdown"},
    ]
    assert meta["questions"] == [q.spec() for q in worked.questions]
    assert [nr.Question.from_spec(s).spec() for s in meta["questions"]] == meta["questions"]
    assert meta["guidelines"] == GUIDELINES
    assert meta["split"] == "train"
    assert meta["log"] == "annotations"
    assert meta["added_columns"] == [
        "quality",
        "verdict",
        "issues",
        "comment",
        "annotator",
        "status",
        "annotated_at",
    ]


def test_card_without_license_or_fitting_task(make_review, tmp_path):
    review = make_review(questions=[nr.FreeText("note")], id="id")
    folder = review.save_hub_folder(tmp_path / "out")
    data = DatasetCard.load(folder / "README.md").data
    assert data.license is None
    assert data.task_categories is None
    assert data.nbreview["id"] == "id"
    assert "license:" not in (folder / "README.md").read_text()


def test_consensus_card_says_how_each_kind_combines(team, tmp_path):
    folder = team.save_hub_folder(tmp_path / "out", annotators="consensus")
    text = DatasetCard.load(folder / "README.md").text
    for expected in [
        "of several annotators: their mean (an adjudicated answer wins)",
        "(one label); null where unanswered; of several annotators: the most frequent answer, "
        "null on a tie",
        "each label more than half of them chose",
        "the answer when all gave the same one, else null",
        "`annotator` | `List(string)` | who answered; the sorted list of the annotators counted",
    ]:
        assert expected in text, expected
    assert "the mean for ratings" not in text


def test_card_body_explains_the_dataset(worked, tmp_path):
    folder = worked.save_hub_folder(tmp_path / "out", include_log=True)
    text = DatasetCard.load(folder / "README.md").text
    for expected in [
        "Human review of 6 records",
        "| annotators | 1 |",
        "| records with a submitted answer | 2 |",
        "- `prompt`: plain text",
        "- `response`: markdown",
        "| `quality` | rating | 1 to 5 | yes | `int32` |",
        "| `verdict` | one label | good, bad, unsure | yes | "
        "`ClassLabel(names=['good', 'bad', 'unsure'])` |",
        "factual, style, unsafe (any number; an empty list means none apply)",
        "`List(ClassLabel(names=['factual', 'style', 'unsafe']))`",
        "| `comment` | free text | free text | no | `string` |",
        "> Rate **correctness** first.",
        "> - `bad`: wrong | harmful",  # the guidelines, as they are
        "`status` | `string` | `submitted`, `skipped`, `draft`",
        "`annotated_at` | `timestamp[us, tz=UTC]` | when the answer was last changed (UTC)",
        'ds = load_dataset("path/to/this/folder", split="train")',
        'load_dataset("path/to/this/folder", "annotations", split="train")',
        'review = nr.Review.from_hub_folder("path/to/this/folder")',
    ]:
        assert expected in text, expected
    assert "## Agreement" not in text  # one annotator
    counts = text.split("## Answer counts")[1].split("## Columns")[0]
    quality = counts.split("### `quality`")[1].split("###")[0]
    # row 4's draft (5) is in the column too; its status says it is a draft
    for row in ["| 1 | 1 |", "| 4 | 1 |", "| 5 | 1 |", "| 2 | 0 |", "| answered | 3 |"]:
        assert row in quality
    verdict = counts.split("### `verdict`")[1].split("###")[0]
    assert "| good | 1 |" in verdict
    assert "| bad | 1 |" in verdict
    assert "| not answered | 4 |" in verdict
    issues = counts.split("### `issues`")[1].split("###")[0]
    assert "| factual | 1 |" in issues
    assert "| (none apply) | 1 |" in issues


def test_card_names_the_repo_when_pushed(worked, tmp_path):
    folder = worked.save_hub_folder(tmp_path / "out", repo_id="org/reviewed")
    text = (folder / "README.md").read_text()
    assert text.split("---\n", 2)[2].lstrip().startswith("# org/reviewed")
    assert 'load_dataset("org/reviewed", split="train")' in text
    assert 'snapshot_download("org/reviewed", repo_type="dataset"' in text


def test_card_agreement_with_several_annotators(team, tmp_path, monkeypatch):
    monkeypatch.delattr(nr.Review, "agreement", raising=False)
    # the team's counts where the data holds the team's answers (annotators="all")
    text = (team.save_hub_folder(tmp_path / "a", annotators="all") / "README.md").read_text()
    assert "| annotators | 2 |" in text
    assert "| records with a submitted answer | 3 |" in text
    assert "## Agreement" in text
    assert "does not compute agreement" in text

    monkeypatch.setattr(
        nr.Review, "agreement", lambda self: {"quality": 0.5, "verdict": 0.25}, raising=False
    )
    text = (team.save_hub_folder(tmp_path / "b") / "README.md").read_text()
    agreement = text.split("## Agreement")[1].split("##")[0]
    assert "| `quality` | 0.500 |" in agreement
    assert "| `verdict` | 0.250 |" in agreement

    frame = pd.DataFrame({"alpha": [0.75]}, index=pd.Index(["quality"], name="question"))
    monkeypatch.setattr(nr.Review, "agreement", lambda self: frame, raising=False)
    text = (team.save_hub_folder(tmp_path / "c") / "README.md").read_text()
    assert "| quality | 0.750 |" in text.split("## Agreement")[1]


def test_size_categories():
    assert cards.size_category(0) == "n<1K"
    assert cards.size_category(999) == "n<1K"
    assert cards.size_category(1000) == "1K<n<10K"
    assert cards.size_category(250_000) == "100K<n<1M"
    assert cards.size_category(10**13) == "n>1T"


# -- anonymize and require_complete ---------------------------------------------------------------


def test_pseudonyms_are_stable():
    assert hub.pseudonym("alice") == hub.pseudonym("alice")
    assert hub.pseudonym("alice") != hub.pseudonym("bob")
    assert hub.pseudonym("alice").startswith("annotator-")
    assert len(hub.pseudonym("alice")) == len("annotator-") + 8


def test_anonymize_replaces_every_name(team, tmp_path):
    folder = team.save_hub_folder(tmp_path / "out", include_log=True, anonymize=True)
    for path in folder.rglob("*"):
        if path.is_file():
            assert b"alice" not in path.read_bytes(), path
            assert b"bob" not in path.read_bytes(), path
    alice, bob = hub.pseudonym("alice"), hub.pseudonym("bob")
    data = load(folder, tmp_path)
    assert data["annotator"] == [alice, alice, None, alice, alice, None]
    log = load(folder, tmp_path, "annotations")
    assert set(log["annotator"]) == {alice, bob}
    assert DatasetCard.load(folder / "README.md").data.nbreview["anonymized"] is True
    again = team.save_hub_folder(tmp_path / "again", include_log=True, anonymize=True)
    assert tree(again) == tree(folder)  # the same names give the same pseudonyms


def test_require_complete_refuses_drafts(worked, tmp_path):
    with pytest.raises(hub.IncompleteReviewError, match=r"draft.*rows 4.*submit or skip") as info:
        worked.save_hub_folder(tmp_path / "out", require_complete=True)
    assert isinstance(info.value, ValueError)
    assert not (tmp_path / "out").exists()
    worked.submit(4, quality=5, verdict="good", issues=[])
    worked.save_hub_folder(tmp_path / "out", require_complete=True)


# -- push_to_hub ----------------------------------------------------------------------------------


@pytest.mark.parametrize("private", [True, False])
def test_push_uploads_the_saved_folder_in_one_commit(worked, tmp_path, private):
    api = Hub(tmp_path)
    result = worked.push_to_hub(
        "org/reviewed", private=private, token="hf_test", api=api, include_log=True
    )
    assert result == "commit-info"
    assert api.names() == ["create_repo", "upload_folder"]
    create, upload = api.calls[0][1], api.calls[1][1]
    assert create["repo_id"] == "org/reviewed"
    assert create["repo_type"] == "dataset"
    assert create["private"] is private
    assert create["exist_ok"] is True
    assert create["token"] == "hf_test"
    assert upload["repo_id"] == "org/reviewed"
    assert upload["repo_type"] == "dataset"
    assert upload["token"] == "hf_test"
    assert "data/train-*.parquet" in upload["delete_patterns"]
    saved = worked.save_hub_folder(tmp_path / "saved", include_log=True, repo_id="org/reviewed")
    assert tree(api.uploaded) == tree(saved)
    assert sorted(tree(api.uploaded)) == [
        "README.md",
        "annotations/train-00000-of-00001.parquet",
        "data/train-00000-of-00001.parquet",
    ]


def test_push_passes_the_options_through(team, tmp_path):
    api = Hub(tmp_path)
    team.push_to_hub("datasets/org/x", token="hf_test", api=api, split="test", anonymize=True)
    assert api.calls[0][1]["repo_id"] == "org/x"
    saved = team.save_hub_folder(tmp_path / "saved", split="test", anonymize=True, repo_id="org/x")
    assert tree(api.uploaded) == tree(saved)
    assert "data/test-00000-of-00001.parquet" in tree(api.uploaded)


def test_push_uses_the_token_huggingface_hub_finds(worked, tmp_path, monkeypatch):
    monkeypatch.setattr(huggingface_hub, "get_token", lambda: "hf_found")
    api = Hub(tmp_path)
    worked.push_to_hub("org/reviewed", api=api)
    assert api.calls[1][1]["token"] == "hf_found"


def test_push_without_a_token(worked, tmp_path, monkeypatch):
    monkeypatch.setattr(huggingface_hub, "get_token", lambda: None)
    api = Hub(tmp_path)
    with pytest.raises(hub.MissingTokenError, match=r"token=.*hf auth login.*HF_TOKEN") as info:
        worked.push_to_hub("org/reviewed", api=api)
    assert isinstance(info.value, ValueError)
    assert api.calls == []


@pytest.mark.parametrize(
    ("repo_id", "kind"),
    [
        ("spaces/org/demo", "space"),
        ("models/org/m", "model"),
        ("https://huggingface.co/org/m", "model"),
        ("https://huggingface.co/spaces/org/demo", "space"),
    ],
)
def test_push_to_a_repo_of_another_type_is_refused(worked, tmp_path, repo_id, kind):
    api = Hub(tmp_path)
    with pytest.raises(hub.RepoTypeError, match=rf"{kind} repository.*dataset") as info:
        worked.push_to_hub(repo_id, token="hf_test", api=api)
    assert isinstance(info.value, ValueError)
    assert api.calls == []


def test_push_when_the_hub_answers_with_another_type(worked, tmp_path):
    api = Hub(tmp_path, repo_type="space")
    with pytest.raises(hub.RepoTypeError, match="space repository"):
        worked.push_to_hub("org/demo", token="hf_test", api=api)
    assert api.names() == ["create_repo"]  # nothing uploaded


def test_push_refuses_drafts_before_the_network(worked, tmp_path):
    api = Hub(tmp_path)
    with pytest.raises(hub.IncompleteReviewError):
        worked.push_to_hub("org/reviewed", token="hf_test", api=api, require_complete=True)
    assert api.calls == []


@pytest.mark.parametrize("annotators", ["all", "consensus"])
def test_push_passes_annotators_to_to_dataset(worked, tmp_path, annotators):
    api = Hub(tmp_path)
    try:
        worked.to_dataset(annotators=annotators)
    except ValueError as exc:  # not available yet: the same error, before the network
        with pytest.raises(type(exc), match="annotators"):
            worked.push_to_hub("org/r", token="hf_test", api=api, annotators=annotators)
        assert api.calls == []
    else:
        worked.push_to_hub("org/r", token="hf_test", api=api, annotators=annotators)
        assert api.names() == ["create_repo", "upload_folder"]


# -- from_hub_folder ------------------------------------------------------------------------------


def test_round_trip_as_the_same_annotator(worked, tmp_path):
    before = worked.to_dataset()
    folder = worked.save_hub_folder(tmp_path / "out")
    review = nr.Review.from_hub_folder(folder, annotator="alice")
    assert review.store.url == str(folder / hub.STORE_FILE)
    assert [f.spec() for f in review.fields] == [f.spec() for f in worked.fields]
    assert [q.spec() for q in review.questions] == [q.spec() for q in worked.questions]
    assert review.guidelines == GUIDELINES
    assert (review.name, review.id) == (worked.name, worked.id)
    assert review.source.columns == worked.source.columns
    assert review.progress == worked.progress
    after = review.to_dataset()
    assert after.features == before.features
    assert after.to_dict() == before.to_dict()  # answers, statuses and annotated_at, exactly
    assert review.session.position == 2  # the first record without a submitted answer

    review.submit(2, quality=3, verdict="unsure", issues=["style"], comment="ok")
    review.submit(4, quality=5, verdict="good", issues=[])  # the draft, finished
    review.save_hub_folder(folder)
    loaded = load(folder, tmp_path)
    assert loaded.features == before.features
    assert loaded["quality"] == [4, None, 3, 1, 5, None]
    assert loaded["verdict"] == [1, None, 2, 0, 0, None]
    assert loaded["status"] == ["submitted", "skipped", "submitted", "submitted", "submitted", None]
    assert loaded["annotated_at"][0] == before["annotated_at"][0]
    assert loaded.select_columns(worked.source.columns).to_dict() == worked.source.data.to_dict()
    assert review.progress == nr.Progress(total=6, submitted=4, skipped=1, remaining=1)


def test_reopened_by_another_annotator(worked, tmp_path):
    folder = worked.save_hub_folder(tmp_path / "out")
    review = nr.Review.from_hub_folder(folder, annotator="carol")
    assert review.annotator == "carol"
    assert review.progress == nr.Progress(total=6, submitted=0, skipped=0, remaining=6)
    assert set(review.annotations()["annotator"]) == {"alice"}
    review.submit(0, quality=3, verdict="good", issues=[])
    out = review.to_dataset()
    assert out["annotator"] == ["carol", None, None, None, None, None]
    assert out["quality"][0] == 3
    frame = review.annotations()
    assert set(frame["annotator"]) == {"alice", "carol"}


def test_reopen_keeps_newer_answers_in_the_store(worked, tmp_path):
    folder = worked.save_hub_folder(tmp_path / "out")
    store = tmp_path / "mine.sqlite"
    first = nr.Review.from_hub_folder(folder, store=store, annotator="alice")
    first.submit(0, quality=1, verdict="good", issues=[])  # newer than the published answer
    logged = len(first.store.history(first.name))
    first.store.close()
    second = nr.Review.from_hub_folder(folder, store=store, annotator="alice")
    assert len(second.store.history(second.name)) == logged  # nothing older was written
    out = second.to_dataset()
    assert out["quality"][:4] == [1, None, None, 1]
    assert out["verdict"][0] == VERDICTS.index("good")
    second.store.close()


def test_reopen_replaces_older_answers_in_the_store(worked, tmp_path, store_path):
    folder = worked.save_hub_folder(tmp_path / "out")
    published = worked.to_dataset()["annotated_at"][0]
    key = worked.keys.key(0)
    old = worked.store.record(worked.name, "alice", key)
    other = tmp_path / "other.sqlite"
    with_older = SQLiteStore(other)
    with_older.write(
        Change("default", "alice", key, answers={"quality": 2}, status="draft", at=1_000_000)
    )
    with_older.close()
    review = nr.Review.from_hub_folder(folder, store=other, annotator="alice")
    state = review.store.record("default", "alice", key)
    assert state.answers == old.answers
    assert state.status == "submitted"
    assert review.to_dataset()["annotated_at"][0] == published
    review.store.close()


def test_reopen_into_the_original_store_changes_nothing(worked, tmp_path, store_path):
    folder = worked.save_hub_folder(tmp_path / "out")
    logged = len(worked.store.history(worked.name))
    review = nr.Review.from_hub_folder(folder, store=worked.store, annotator="alice")
    assert len(worked.store.history(worked.name)) == logged
    assert review.to_dataset().to_dict() == worked.to_dataset().to_dict()


def test_reopen_imports_everyone_from_the_log(team, tmp_path):
    folder = team.save_hub_folder(tmp_path / "out", include_log=True)
    review = nr.Review.from_hub_folder(folder, store=tmp_path / "new.sqlite", annotator="bob")
    assert review.progress == nr.Progress(total=6, submitted=2, skipped=0, remaining=4)
    columns = ["record", "annotator", "question", "value", "status"]
    assert review.annotations()[columns].equals(team.annotations()[columns])
    out = review.to_dataset()
    assert out["quality"] == [2, None, 5, None, None, None]
    review.store.close()


def test_reopen_an_anonymized_folder(team, tmp_path):
    folder = team.save_hub_folder(tmp_path / "out", include_log=True, anonymize=True)
    review = nr.Review.from_hub_folder(folder, annotator=hub.pseudonym("alice"))
    assert review.progress == team.progress
    assert set(review.annotations()["annotator"]) == {hub.pseudonym("alice"), hub.pseudonym("bob")}


def test_round_trip_of_a_content_keyed_dataframe_review(make_review, df, tmp_path):
    review = make_review(df)  # no id: keys are hashes of the shown values
    review.submit(1, quality=3, verdict="good", issues=["factual"])
    bob = make_review(df, annotator="bob")
    bob.submit(2, quality=4, verdict="bad", issues=[])
    folder = review.save_hub_folder(tmp_path / "out", include_log=True)
    reopened = nr.Review.from_hub_folder(folder, annotator="bob")
    assert reopened.keys.all().to_pylist() == review.keys.all().to_pylist()
    assert reopened.progress == bob.progress
    assert reopened.to_dataset()["quality"] == [None, None, 4, None, None, None]


def every_annotator(review: nr.Review) -> datasets.Dataset:
    """What API.md 3 says to_dataset(annotators="all") gives: each added column a list with
    one entry per annotator (here in name order), built from the store by hand."""
    records = review.store.records(review.name)
    columns: dict[str, list] = {n: [] for n in [*review.questions.names, *RECORD]}
    for i in range(len(review.source)):
        key = review.keys.key(i)
        mine = sorted((r for r in records if r[0] == key), key=lambda r: r[1])
        states = [review.store.record(review.name, r[1], key) for r in mine]
        for q in review.questions:
            values = [s.answers.get(q.name) for s in states]
            columns[q.name].append(q.to_arrow(values).to_pylist())
        columns["annotator"].append([r[1] for r in mine])
        columns["status"].append([r[2] for r in mine])
        columns["annotated_at"].append([to_datetime(r[3]) for r in mine])
    single = review.to_dataset().features
    features = {n: datasets.List(single[n]) for n in columns}
    added = datasets.Dataset.from_dict(columns, features=datasets.Features(features))
    return datasets.concatenate_datasets([review.source.data, added], axis=1)


def test_every_annotator_in_the_columns_round_trips(team, tmp_path, monkeypatch):
    real = nr.Review.to_dataset

    def to_dataset(self, prefix="", annotators=None):
        return every_annotator(self) if annotators == "all" else real(self, prefix)

    monkeypatch.setattr(nr.Review, "to_dataset", to_dataset)
    expected = every_annotator(team)
    folder = team.save_hub_folder(tmp_path / "out", annotators="all")
    loaded = load(folder, tmp_path)
    assert loaded.features == expected.features
    assert loaded["annotator"][0] == ["alice", "bob"]
    text = (folder / "README.md").read_text()
    assert "a list with one entry per annotator" in text
    quality = text.split("### `quality`")[1].split("###")[0]
    assert "| answered | 5 |" in quality  # alice's 3 (one a draft) and bob's 2
    review = nr.Review.from_hub_folder(folder, store=tmp_path / "new.sqlite", annotator="bob")
    columns = ["record", "annotator", "question", "value", "status"]
    assert review.annotations()[columns].equals(team.annotations()[columns])
    assert every_annotator(review).to_dict() == expected.to_dict()
    review.store.close()


@pytest.mark.skipif(not hasattr(nr, "Spans"), reason="span questions are not in this tree")
def test_span_answers_round_trip(make_review, tmp_path):
    review = make_review(questions=[nr.Spans("errors", field="response", labels=["wrong"])])
    review.submit(1, errors=[{"start": 0, "end": 1, "label": "wrong", "text": "9"}])
    review.submit(0, errors=[])
    expected = review.to_dataset()
    folder = review.save_hub_folder(tmp_path / "out")
    loaded = load(folder, tmp_path)
    assert loaded.features == expected.features
    assert loaded["errors"][:3] == [
        [],
        [{"start": 0, "end": 1, "label": "wrong", "text": "9"}],
        None,
    ]
    reopened = nr.Review.from_hub_folder(folder, annotator="alice")
    assert reopened.to_dataset().to_dict() == expected.to_dict()


def test_reopen_refuses_what_is_not_a_published_review(tmp_path, worked):
    with pytest.raises(ValueError, match="not a folder"):
        nr.Review.from_hub_folder(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match=r"no README\.md"):
        nr.Review.from_hub_folder(tmp_path / "empty")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "README.md").write_text("---\nlicense: mit\n---\n# Some dataset\n")
    with pytest.raises(ValueError, match="no nbreview: metadata"):
        nr.Review.from_hub_folder(tmp_path / "other")
    folder = worked.save_hub_folder(tmp_path / "out")
    shutil.rmtree(folder / "data")
    with pytest.raises(ValueError, match=r"no train-\*\.parquet"):
        nr.Review.from_hub_folder(folder)


def test_a_change_may_carry_its_time(store_path):
    store = SQLiteStore(store_path)
    store.write(Change("r", "alice", "k", answers={"q": 1}, status="submitted", at=123_456))
    assert store.record("r", "alice", "k").annotated_at == 123_456
    assert store.answers("r") == [("k", "alice", "q", 1, 123_456)]
    assert store.history("r")[0][6] == 123_456
    store.write(Change("r", "alice", "k", answers={"q": 2}))
    assert store.record("r", "alice", "k").annotated_at > 123_456  # without it: now
    store.write_many(
        [Change("r", who, "j", answers={"q": 3}, status="draft", at=7) for who in ("a", "b")]
    )
    assert sorted(store.records("r"))[:2] == [
        ("j", "a", "draft", 7, 0.0),
        ("j", "b", "draft", 7, 0.0),
    ]
    store.close()
