"""Shared fixtures of the unit tests: a small dataset, its DataFrame twin, a store path.

The e2e suite under tests/e2e has its own conftest; nothing here is autouse, so it
is not affected.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

import datasets
import pandas as pd
import pytest

import nbreview as nr
from pg import pg_cluster, pg_database, pg_url  # noqa: F401  (PostgreSQL fixtures)

datasets.disable_progress_bars()  # to_dataset() flattens indices; keep the test output quiet

ROWS = {
    "id": ["r-a", "r-b", "r-c", "r-d", "r-e", "r-f"],
    "prompt": [
        "What is 2 + 2?",
        "Name a prime number.",
        "Translate 'cat' to French.",
        "Write a haiku about rain.",
        "Is the Earth flat?",
        "Say hello in Japanese.",
    ],
    "response": [
        "4",
        "9",
        "chat",
        "Soft rain on the roof\nthe gutters hum a low tune\nsleep comes with the drops",
        "Yes, obviously.",
        "こんにちは 👋",
    ],
    # A model's rating: some null, one out of a 1..5 scale (9).
    "model_score": [3, None, 5, 9, 1, None],
}

FEATURES = datasets.Features(
    {
        "id": datasets.Value("string"),
        "prompt": datasets.Value("string"),
        "response": datasets.Value("string"),
        "model_score": datasets.Value("int32"),
    }
)

# A non-default, non-monotonic index: position 0 has label 50, and so on.
DF_INDEX = pd.Index([50, 10, 40, 20, 60, 30], name="row_label")

VERDICTS = ["good", "bad", "unsure"]
ISSUES = ["factual", "style", "unsafe"]


@pytest.fixture
def rows() -> dict[str, list]:
    return {k: list(v) for k, v in ROWS.items()}


@pytest.fixture
def ds() -> datasets.Dataset:
    """Six records: id, prompt, response, model_score (int32, two nulls)."""
    return datasets.Dataset.from_dict(ROWS, features=FEATURES)


@pytest.fixture
def df() -> pd.DataFrame:
    """The same records as a DataFrame with a non-default index and a nullable int column."""
    frame = pd.DataFrame(
        {
            "id": ROWS["id"],
            "prompt": ROWS["prompt"],
            "response": ROWS["response"],
            "model_score": pd.array(ROWS["model_score"], dtype="Int64"),
        },
        index=DF_INDEX,
    )
    return frame


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "reviews.sqlite"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, store_path: Path) -> str:
    """A store of each kind: a SQLite path, then a fresh PostgreSQL database's URL."""
    if request.param == "sqlite":
        return str(store_path)
    return request.getfixturevalue("pg_url")


def _questions(suggest: bool = False) -> list[nr.Question]:
    return [
        nr.Rating("quality", scale=5, suggestion="model_score" if suggest else None),
        nr.Label("verdict", VERDICTS),
        nr.MultiLabel("issues", ISSUES),
        nr.FreeText("comment"),
    ]


@pytest.fixture
def make_questions() -> Callable[..., list[nr.Question]]:
    """Fresh questions: quality (Rating 1..5, optionally suggested by model_score), verdict
    (Label good/bad/unsure), issues (MultiLabel factual/style/unsafe), comment (FreeText)."""
    return _questions


@pytest.fixture
def make_review(ds, store_path) -> Iterator[Callable[..., nr.Review]]:
    """Build Reviews (default: `ds`, fields prompt+response, the four questions, `store_path`,
    annotator "alice"); every store opened is closed at teardown."""
    made: list[nr.Review] = []

    def build(data=None, **kwargs) -> nr.Review:
        kwargs.setdefault("fields", ["prompt", "response"])
        kwargs.setdefault("questions", _questions())
        kwargs.setdefault("store", store_path)
        kwargs.setdefault("annotator", "alice")
        review = nr.Review(ds if data is None else data, **kwargs)
        made.append(review)
        return review

    yield build
    for review in made:
        review.store.close()


def file_digests(folder: Path) -> dict[str, str]:
    """Name -> sha256 of every file in a folder: compares a folder byte for byte."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


@pytest.fixture
def digests() -> Callable[[Path], dict[str, str]]:
    return file_digests
