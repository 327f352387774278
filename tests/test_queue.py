"""Queues choose and order the records: by filter, sort, status, search or seed."""

from __future__ import annotations

import datasets
import pandas as pd
import pyarrow.compute as pc
import pytest

import nbreview as nr

DATA = {
    "id": [f"r{i}" for i in range(8)],
    "model": ["a", "b", "a", "b", "b", "a", "b", "a"],
    "score": [0.9, 0.2, 0.5, 0.7, 0.1, 0.3, None, 0.8],
    "response": [
        "Paris is the capital of France.",
        "The capital of Japan is Kyoto.",
        "Photosynthesis turns light into sugar.",
        "東京は日本の首都です。",
        "Water boils at 50 °C at sea level.",
        "The moon is made of cheese.",
        "Σήμερα βρέχει.",
        "PARIS, again, in capitals.",
    ],
}


def make(store, data=None, **kwargs):
    data = datasets.Dataset.from_dict(DATA) if data is None else data
    return nr.Review(
        data,
        fields=["response"],
        questions=[nr.Rating("quality")],
        id="id",
        store=store,
        annotator="alice",
        **kwargs,
    )


def queue_rows(review) -> list[int]:
    session = review.session
    return [session.row_at(i) for i in range(session.queue_len())]


@pytest.fixture
def store(tmp_path):
    return tmp_path / "queue.sqlite"


def test_no_queue_is_every_row_in_order(store):
    review = make(store)
    assert queue_rows(review) == list(range(8))
    assert review.session.view()["index"] == 0


def test_filter_string(store):
    review = make(store, queue="model == 'b' and score < 0.5")
    assert queue_rows(review) == [1, 4]
    assert review.position == 1


def test_filter_with_sort_descending_and_nulls_last(store):
    review = make(store).queue("model == 'b'", sort="-score")
    assert queue_rows(review) == [3, 1, 4, 6]
    review.queue(sort="score")
    assert queue_rows(review) == [4, 1, 5, 2, 3, 7, 0, 6]


def test_filter_callable_over_batches(store):
    review = make(store).queue(lambda batch: pc.equal(batch["model"], "a"))
    assert queue_rows(review) == [0, 2, 5, 7]


def test_search_in_shown_fields_ignores_case(store):
    review = make(store).queue(search="paris")
    assert queue_rows(review) == [0, 7]
    review.queue(search="日本")
    assert queue_rows(review) == [3]


def test_status_queues(store):
    review = make(store)
    review.submit(0, quality=3)
    review.submit(2, quality=4)
    review.session.handle({"type": "nav", "seq": 1, "to": 5})
    key = review.keys.key(5)
    review.session.handle({"type": "skip", "seq": 2, "key": key})
    assert queue_rows(review.queue(status="submitted")) == [0, 2]
    assert queue_rows(review.queue(status="skipped")) == [5]
    assert queue_rows(review.queue(status="unanswered")) == [1, 3, 4, 6, 7]


def test_random_order_is_seeded(store):
    first = queue_rows(make(store).queue(seed=7))
    again = queue_rows(make(store).queue(seed=7))
    other = queue_rows(make(store).queue(seed=8))
    assert sorted(first) == list(range(8))
    assert first == again
    assert first != other


def test_empty_queue_shows_nothing(store):
    review = make(store).queue(search="no such words anywhere")
    view = review.session.view()
    assert view["total"] == 0
    assert view["record"] is None
    assert review.position is None


def test_unknown_column_in_filter_is_a_clear_error_and_changes_nothing(store):
    review = make(store).queue("model == 'a'")
    with pytest.raises(ValueError, match="modl"):
        review.queue("modl == 'b'")
    with pytest.raises(ValueError, match="unknown column 'nope'"):
        review.queue(sort="nope")
    assert queue_rows(review) == [0, 2, 5, 7]
    with pytest.raises(ValueError, match="modl"):
        make(store, queue="modl == 'b'")


def test_bad_queue_settings(store):
    with pytest.raises(ValueError, match="status"):
        make(store).queue(status="done")
    with pytest.raises(ValueError, match="sorted or shuffled"):
        make(store).queue(sort="score", seed=1)
    with pytest.raises(ValueError, match="one boolean per row"):
        make(store).queue(lambda batch: [True])


def test_navigation_follows_the_queue_and_submit_advances_in_it(store):
    review = make(store).queue(sort="-score")
    session = review.session
    assert queue_rows(review) == [0, 7, 3, 2, 5, 1, 4, 6]
    assert review.position == 0
    session.handle({"type": "nav", "seq": 1, "to": "next"})
    assert review.position == 7
    session.handle({"type": "answer", "seq": 2, "key": "r7", "question": "quality", "value": 2})
    session.handle({"type": "submit", "seq": 3, "key": "r7"})
    assert review.position == 3
    session.handle({"type": "nav", "seq": 4, "to": "prev"})
    assert review.position == 7
    view = session.view()
    assert (view["index"], view["total"], view["rows"]) == (1, 8, 8)


def test_jump_outside_the_queue_then_back_in(store):
    review = make(store).queue("model == 'a'")
    review.position = 1  # model b: not in the queue
    view = review.session.view()
    assert (view["position"], view["index"]) == (1, None)
    review.session.handle({"type": "nav", "seq": 1, "to": "next"})
    assert review.position == 0


def test_queue_survives_a_restart_of_the_review(store):
    make(store).queue("model == 'b'", sort="score")
    reopened = make(store)
    assert queue_rows(reopened) == [4, 1, 3, 6]
    assert reopened.session.view()["queue"]["spec"] == {"filter": "model == 'b'", "sort": "score"}
    reopened.queue()  # back to everything, and that is kept too
    assert queue_rows(make(store)) == list(range(8))


def test_explicit_queue_replaces_the_saved_one(store):
    make(store).queue(search="paris")
    assert queue_rows(make(store, queue=nr.Queue(status="unanswered", sort="-score"))) == [
        0,
        7,
        3,
        2,
        5,
        1,
        4,
        6,
    ]


def test_queue_on_a_dataframe_and_a_shuffled_dataset(store):
    frame = pd.DataFrame(DATA, index=[f"x{i}" for i in range(8)])
    assert queue_rows(make(store, data=frame, queue="score > 0.6")) == [0, 3, 7]
    shuffled = datasets.Dataset.from_dict(DATA).select([7, 6, 5, 4, 3, 2, 1, 0])
    review = make(store, data=shuffled, name="shuffled", queue="score > 0.6")
    assert queue_rows(review) == [0, 4, 7]  # rows of r7, r3, r0 in the shuffled order


def test_widget_messages_set_the_queue_and_page_the_table(store):
    review = make(store)
    session = review.session
    session.handle({"type": "queue", "seq": 1, "search": "capital", "status": ""})
    assert queue_rows(review) == [0, 1, 7]
    session.handle({"type": "queue_page", "seq": 2, "start": 0})
    page = session.view()["queue"]["page"]
    assert page["size"] == 3
    assert [r["row"] for r in page["rows"]] == [0, 1, 7]
    assert page["rows"][1]["preview"] == "The capital of Japan is Kyoto."
    session.handle({"type": "queue", "seq": 3, "search": "zzz", "status": "bogus"})
    assert session.view()["notice"]["kind"] == "error"
    assert queue_rows(review) == [0, 1, 7]
    session.handle({"type": "queue_page", "seq": 4, "start": None})
    assert session.view()["queue"]["page"] is None
