"""Queue text search: the same rows as a plain Python search, whatever holds the data."""

from __future__ import annotations

import datasets
import pandas as pd
import pytest

import nbreview as nr
from nbreview._data import queue as queues

TEXTS = ["Café au lait", "CAFÉ NOIR", "straße", "STRASSE", "日本語のテキスト", None, "cafe", "x"]


def expected(values: list, text: str) -> list[int]:
    return [i for i, v in enumerate(values) if v is not None and text.lower() in v.lower()]


@pytest.fixture(params=[1, 3, 1000], ids=["one-row-slices", "three", "whole"])
def slices(request, monkeypatch):
    monkeypatch.setattr(queues, "SEARCH_SLICE", request.param)


@pytest.mark.parametrize("text", ["café", "CAFÉ", "straße", "日本", "e", "zzz"])
def test_search_finds_what_python_finds(make_review, slices, text):
    data = datasets.Dataset.from_dict({"t": TEXTS, "n": list(range(len(TEXTS)))})
    review = make_review(data, fields=["t"], questions=[nr.Rating("q")])
    assert review.queue(search=text).session.cursor.order.tolist() == expected(TEXTS, text)


def test_search_in_a_shuffled_dataset_reads_rows_in_their_order(make_review, slices):
    data = datasets.Dataset.from_dict({"t": TEXTS * 3}).shuffle(seed=3)
    review = make_review(data, fields=["t"], questions=[nr.Rating("q")])
    order = review.queue(search="caf").session.cursor.order.tolist()
    assert order == expected(data["t"], "caf")


def test_search_reads_numbers_and_mixed_columns_as_text(make_review, slices):
    frame = pd.DataFrame({"t": ["a", "b", "c"], "n": [10, 21, 3], "m": [1, "a1", {"k": 1}]})
    review = make_review(frame, fields=["t", "n", "m"], questions=[nr.Rating("q")])
    with pytest.warns(UserWarning, match="mixes values"):
        assert review.queue(search="1").session.cursor.order.tolist() == [0, 1, 2]
