"""A store written with scheme-1 content keys (nbreview 0.1) reopens with every answer attached.

The old store is built by hand: the review registered as 0.1 registered it (no key
scheme in its config) and answers written under keys of the old hashing (legacy_keys).
"""

from __future__ import annotations

import warnings

import pytest

import nbreview as nr
from nbreview._data.keys import SCHEME
from nbreview._data.legacy_keys import content_key_v1, is_legacy
from nbreview.store import Change, open_store

SHOWN = ["prompt", "response"]


def old_key(ds, row: int) -> str:
    return content_key_v1({c: ds[row][c] for c in SHOWN})


def old_store(url, ds, answers: dict[int, dict], annotator: str = "alice", at: int = 10**15):
    """A store as nbreview 0.1 left it: `answers` (row -> values) submitted under old keys."""
    store = open_store(url)
    store.register_review("default", {"name": "default", "fields": [], "id": None})
    for i, (row, values) in enumerate(answers.items()):
        key = old_key(ds, row)
        store.write(Change("default", annotator, key, values, "submitted", 2.0, at + i))
    store.write(Change("default", annotator, old_key(ds, 5), {"comment": "half"}, "draft"))
    cid = store.write(Change("default", annotator, old_key(ds, 5), {"comment": "undone"})).change
    store.undo(cid)
    store.claim("default", annotator, [old_key(ds, 4)], 2, 600)
    return store


ANSWERS = {
    0: {"quality": 5, "verdict": "good", "issues": []},
    3: {"quality": 2, "verdict": "bad", "issues": ["factual"]},
}


def test_the_legacy_hash_is_the_one_0_1_wrote():
    # Pinned from nbreview 0.1's keys.content_key: stores hold these values.
    assert content_key_v1({"prompt": "What is 2 + 2?", "response": "4"}) == (
        "f5e2aecdd82606679d9d1e4c6e2d5f73"
    )


def test_an_old_store_reopens_with_every_answer_attached(make_review, ds, store_url):
    store = old_store(store_url, ds, ANSWERS)
    history_before = len(store.history("default"))
    store.close()
    review = make_review(store=store_url)
    assert review.progress == nr.Progress(total=6, submitted=2, skipped=0, remaining=4)
    out = review.to_dataset()
    assert out["quality"] == [5, None, None, 2, None, None]
    assert out.features["verdict"].int2str(out["verdict"][3]) == "bad"
    assert out["status"] == ["submitted", None, None, "submitted", None, "draft"]
    assert out["comment"][5] == "half"
    keys = review.keys.all().to_pylist()
    statuses = review.store.statuses("default", "alice")
    assert set(statuses) == {keys[0], keys[3], keys[5]}
    assert review.store.legacy_keys("default") == []
    history = review.store.history("default")
    assert len(history) == history_before  # the log is renamed, not rewritten
    assert {h[1] for h in history} <= set(keys)
    assert review.store.review_config("default")["key_scheme"] == SCHEME
    assert review.store.record("default", "alice", keys[0]).seconds == pytest.approx(2.0)
    assert review.store.claim("default", "bob", [keys[4]], 1, 600) is None  # still reserved


def test_the_migrated_store_opens_again_without_work(make_review, ds, store_path, monkeypatch):
    old_store(store_path, ds, ANSWERS).close()
    make_review().store.close()
    from nbreview._data import migrate_keys

    monkeypatch.setattr(migrate_keys, "legacy_keys", lambda *a: pytest.fail("hashed again"))
    again = make_review()
    assert again.progress.submitted == 2


def test_old_answers_on_rows_the_data_lacks_are_kept_and_found_later(make_review, ds, store_path):
    old_store(store_path, ds, {**ANSWERS, 4: {"quality": 1}}).close()
    with pytest.warns(UserWarning, match=r"3 stored record\(s\).*match no row"):
        part = make_review(ds.select([0, 1, 2]))  # rows 3 and 4 (and the draft on 5) absent
    assert part.to_dataset()["quality"] == [5, None, None]
    assert len(part.store.legacy_keys("default")) == 3
    part.store.close()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the same data again: not searched, not told again
        make_review(ds.select([0, 1, 2])).store.close()
    whole = make_review(ds.shuffle(seed=2))
    by_prompt = {r["prompt"]: r for r in whole.to_dataset()}
    assert by_prompt[ds[4]["prompt"]]["quality"] == 1
    assert by_prompt[ds[3]["prompt"]]["quality"] == 2
    assert whole.progress.submitted == 3
    assert whole.store.legacy_keys("default") == []
    assert "legacy_unmatched" not in whole.store.review_config("default")


def test_answers_under_both_keys_merge_the_later_winning(make_review, ds, store_url):
    review = make_review(store=store_url)
    review.submit(0, quality=4, verdict="good", issues=[])  # a new key, written now
    review.store.close()
    store = open_store(store_url)
    # an old nbreview wrote the same record later under its old key, and one answer earlier
    now = store.record("default", "alice", review.keys.key(0)).annotated_at
    key = old_key(ds, 0)
    store.write(Change("default", "alice", key, {"comment": "old"}, None, 0.0, now - 10))
    store.write(Change("default", "alice", key, {"quality": 1}, "skipped", 3.0, now + 10))
    store.register_review("default", {"name": "default", "id": None})  # as 0.1 registers
    store.close()
    again = make_review(store=store_url)
    state = again.store.record("default", "alice", again.keys.key(0))
    assert state.answers == {"quality": 1, "verdict": "good", "issues": [], "comment": "old"}
    assert state.status == "skipped"
    assert again.progress == nr.Progress(total=6, submitted=0, skipped=1, remaining=5)
    assert not any(is_legacy(k) for k in again.store.statuses("default", "alice"))


def test_a_dataframe_with_a_mixed_column_migrates(make_review, store_path):
    import pandas as pd

    frame = pd.DataFrame({"prompt": ["p1", "p2", "p3"], "meta": [1, "a", {"x": 1}]})
    store = open_store(store_path)
    store.register_review("default", {"name": "default", "id": None})
    key = content_key_v1({"prompt": "p3", "meta": {"x": 1}})
    store.write(Change("default", "alice", key, {"quality": 3}, "submitted"))
    store.close()
    review = make_review(frame, fields=["prompt", "meta"], questions=[nr.Rating("quality")])
    assert review.to_pandas()["quality"].tolist()[2] == 3
    assert review.progress.submitted == 1


def test_id_keyed_reviews_are_left_alone(make_review, store_path):
    review = make_review(id="id")
    review.submit(1, quality=3, verdict="good", issues=[])
    assert review.store.review_config("default")["key_scheme"] == "id"
    review.store.close()
    assert make_review(id="id").progress.submitted == 1
