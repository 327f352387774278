"""`review.similar` and the widget's `m` (API.md 12): cosine similarity over an embeddings
column, checked against a brute-force numpy answer."""

from __future__ import annotations

import datasets
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import nbreview as nr

N, D = 500, 16


def vectors(seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(N, D)).astype(np.float32)


def dataset(v: np.ndarray, fixed: bool = True) -> datasets.Dataset:
    features = datasets.Features(
        {
            "id": datasets.Value("string"),
            "text": datasets.Value("string"),
            "emb": datasets.Sequence(datasets.Value("float32"), length=D if fixed else -1),
        }
    )
    return datasets.Dataset.from_dict(
        {"id": [f"r{i}" for i in range(N)], "text": [f"t{i}" for i in range(N)], "emb": v.tolist()},
        features=features,
    )


def brute(v: np.ndarray, row: int, k: int) -> list[int]:
    unit = v / np.linalg.norm(v, axis=1, keepdims=True)
    sims = unit @ unit[row]
    sims[row] = -np.inf
    return [row, *np.argsort(-sims, kind="stable")[:k].tolist()]


def review(tmp_path, data, **kwargs) -> nr.Review:
    return nr.Review(
        data, fields=["text"], questions=[nr.Rating("q")], id="id",
        store=tmp_path / "s.sqlite", annotator="a", **kwargs,
    )  # fmt: skip


@pytest.mark.parametrize("fixed", [True, False], ids=["fixed-size", "equal-length lists"])
def test_similar_matches_brute_force(tmp_path, fixed):
    v = vectors()
    r = review(tmp_path, dataset(v, fixed))
    r.similar(7, k=10, embeddings="emb")
    assert r.session.cursor.order.tolist() == brute(v, 7, 10)
    assert r.position == 7


def test_similar_on_a_shuffled_dataset_and_a_dataframe(tmp_path):
    v = vectors(1)
    shuffled = dataset(v).shuffle(seed=3)  # an indices mapping: read in storage order
    order = np.array([int(x[1:]) for x in shuffled["id"]])
    r = review(tmp_path, shuffled, embeddings="emb")
    r.similar(0, k=5)
    assert r.session.cursor.order.tolist() == brute(v[order], 0, 5)
    frame = pd.DataFrame({"id": [f"r{i}" for i in range(N)], "text": ["x"] * N, "emb": list(v)})
    r2 = nr.Review(frame, fields=["text"], questions=[nr.Rating("q")], id="id",
                   store=tmp_path / "f.sqlite", annotator="a")  # fmt: skip
    r2.similar(3, k=4, embeddings="emb")
    assert r2.session.cursor.order.tolist() == brute(v, 3, 4)


def test_the_similar_queue_is_kept_and_narrowed_by_status(tmp_path):
    v = vectors()
    r = review(tmp_path, dataset(v))
    r.similar(2, k=3, embeddings="emb")
    again = review(tmp_path, dataset(v))  # reopened: the same queue
    assert again.session.cursor.order.tolist() == brute(v, 2, 3)


def test_m_in_the_widget_queues_records_like_the_one_on_screen(tmp_path):
    v = vectors()
    r = review(tmp_path, dataset(v), embeddings="emb")
    s = r.session
    r.position = 11
    s.handle({"type": "similar", "seq": 1})
    assert s.notice == {"kind": "info", "text": "The queue: this record and 20 like it."}
    assert r.position == 11  # the record on screen stays
    assert s.cursor.order.tolist() == brute(v, 11, 20)
    s.answer({"q": 3}, submit=True)
    assert r.position == brute(v, 11, 20)[1]  # Enter: the most similar record next


def test_m_without_embeddings_says_so(tmp_path):
    r = review(tmp_path, dataset(vectors()))
    r.session.handle({"type": "similar", "seq": 1})
    assert "embeddings=COLUMN" in r.session.notice["text"]


def test_bad_embeddings_columns_are_refused_by_name(tmp_path):
    with pytest.raises(ValueError, match="embeddings column 'text' must hold fixed-size lists"):
        review(tmp_path, dataset(vectors()), embeddings="text")
    with pytest.raises(ValueError, match="unknown embeddings column 'nope'"):
        review(tmp_path, dataset(vectors()), embeddings="nope")
    ragged = pa.table({"id": ["a", "b", "c"], "text": ["x", "y", "z"],
                       "emb": [[1.0, 0.0], [1.0, 0.0, 2.0], [0.5, 0.5]]})  # fmt: skip
    r = review(tmp_path, datasets.Dataset(ragged))
    with pytest.raises(ValueError, match="column 'emb' holds vectors of different dimensions"):
        r.similar(0, embeddings="emb")
    with pytest.raises(IndexError):
        r.similar(5, embeddings="emb")
