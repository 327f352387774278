"""The session behind the widget, driven with the browser's messages (docs/protocol.md)."""

from __future__ import annotations

import json
import re
from typing import Any

import datasets
import pytest

import nbreview as nr

FULL = {"quality": 4, "verdict": "good", "issues": []}


class Browser:
    """Sends messages the way js/widget.js does: seq 1, 2, 3 ...; the key of the record shown."""

    def __init__(self, review: nr.Review):
        self.review = review
        self.session = review.session
        self.seq = 0

    @property
    def view(self) -> dict:
        return self.session.view()

    @property
    def key(self) -> str:
        return self.view["record"]["key"]

    def send(self, kind: str, *, elapsed_ms: float = 0, key: Any = ..., **extra) -> dict:
        self.seq += 1
        body = {"type": kind, "seq": self.seq, "elapsed_ms": elapsed_ms}
        if kind not in ("nav", "undo"):
            body["key"] = self.key if key is ... else key
        self.session.handle({**body, **extra})
        view = self.view
        json.dumps(view)  # every view must cross to the browser as JSON
        assert view["ack"] == self.seq
        return view

    def answer(self, question: str, value: Any, **extra) -> dict:
        return self.send("answer", question=question, value=value, **extra)

    def answer_all(self, answers: dict) -> dict:
        for question, value in answers.items():
            view = self.answer(question, value)
            assert view["notice"] is None, view["notice"]
        return view


def state(review: nr.Review, position: int):
    return review.store.record(review.name, review.annotator, review.keys.key(position))


def history(review: nr.Review) -> list[tuple]:
    return review.store.history(review.name)


# -- resume -----------------------------------------------------------------------------------


def test_a_fresh_review_opens_the_first_record(make_review):
    view = Browser(make_review()).view
    assert view["position"] == 0
    assert view["total"] == 6
    assert view["ack"] == 0
    assert view["record"]["row"] == 0
    assert view["record"]["status"] is None
    assert view["record"]["answers"] == {}
    assert view["done"] is False
    assert view["notice"] is None
    assert view["can_undo"] is False
    assert view["progress"] == {
        "total": 6,
        "submitted": 0,
        "skipped": 0,
        "remaining": 6,
        "team": [],
    }


def test_resume_opens_the_first_record_without_submit_or_skip(make_review):
    review = make_review()
    review.submit(0, **FULL)
    review.submit(2, **FULL)
    browser = Browser(review)
    assert browser.view["position"] == 1
    browser.send("skip")  # row 1 skipped -> row 3 (row 2 is submitted)
    assert browser.view["position"] == 3
    browser.answer("quality", 2)  # a draft on row 3 keeps it open
    review.store.close()

    again = make_review()  # a kernel restart: new Review, new store object, same file
    view = Browser(again).view
    assert view["position"] == 3
    assert view["record"]["status"] == "draft"
    assert view["record"]["answers"] == {"quality": 2}
    assert view["progress"] == {
        "total": 6,
        "submitted": 2,
        "skipped": 1,
        "remaining": 3,
        "team": [],
    }


def test_resume_is_per_annotator(make_review):
    alice = make_review()
    for i in range(3):
        alice.submit(i, **FULL)
    assert Browser(make_review()).view["position"] == 3
    assert Browser(make_review(annotator="bob")).view["position"] == 0


def test_resume_on_a_shuffled_dataset_follows_the_records(make_review, ds):
    alice = make_review()
    alice.submit(0, **FULL)  # r-a
    shuffled = ds.shuffle(seed=2)
    view = Browser(make_review(shuffled)).view
    first_open = next(i for i, rid in enumerate(shuffled["id"]) if rid != "r-a")
    assert view["position"] == first_open


# -- answer, submit, skip ---------------------------------------------------------------------


def test_answer_saves_a_draft(make_review):
    review = make_review()
    browser = Browser(review)
    view = browser.answer("quality", 3)
    assert view["notice"] is None
    assert view["position"] == 0
    assert view["record"]["answers"] == {"quality": 3}
    assert view["record"]["status"] == "draft"
    assert state(review, 0).answers == {"quality": 3}
    assert state(review, 0).status == "draft"
    assert view["progress"]["remaining"] == 6
    view = browser.answer("issues", ["unsafe", "factual"])
    assert view["record"]["answers"]["issues"] == ["factual", "unsafe"]
    view = browser.answer("quality", None)  # null clears
    assert view["record"]["answers"] == {"issues": ["factual", "unsafe"]}
    assert review.to_dataset()["status"][0] == "draft"


@pytest.mark.parametrize(
    ("question", "value", "text"),
    [
        ("quality", 9, r"quality: 9"),
        ("quality", True, r"quality: True"),
        ("verdict", "great", r"verdict: 'great'"),
        ("issues", ["nope"], r"issues"),
        ("comment", 5, r"comment"),
        ("qualty", 3, r"no question 'qualty'"),
    ],
)
def test_invalid_answers_become_a_notice_and_store_nothing(make_review, question, value, text):
    review = make_review()
    browser = Browser(review)
    browser.answer("quality", 2)
    before = history(review)
    view = browser.answer(question, value)
    assert view["notice"]["kind"] == "error"
    assert re.search(text, view["notice"]["text"])
    assert history(review) == before
    assert view["record"]["answers"] == {"quality": 2}


def test_submit_refuses_missing_required_questions(make_review):
    review = make_review()
    browser = Browser(review)
    browser.answer("quality", 5)
    before = history(review)
    view = browser.send("submit")
    assert view["notice"]["kind"] == "error"
    assert "verdict" in view["notice"]["text"]
    assert "issues" in view["notice"]["text"]
    assert "quality" not in view["notice"]["text"]
    assert "comment" not in view["notice"]["text"]  # FreeText is optional
    assert view["position"] == 0
    assert view["record"]["status"] == "draft"
    assert history(review) == before
    assert review.progress.submitted == 0
    assert review.store.statuses(review.name, review.annotator) == {review.keys.key(0): "draft"}


def test_submit_of_an_untouched_record_is_refused(make_review):
    review = make_review()
    view = Browser(review).send("submit")
    assert view["notice"]["kind"] == "error"
    assert history(review) == []
    assert review.to_dataset()["status"] == [None] * 6


def test_submit_advances_to_the_next_open_record_and_wraps(make_review):
    review = make_review()
    review.submit(1, **FULL)
    review.submit(5, **FULL)
    browser = Browser(review)
    assert browser.view["position"] == 0
    browser.send("nav", to=3)
    assert browser.view["position"] == 3
    browser.answer_all(FULL)
    view = browser.send("submit")
    assert view["notice"] is None
    assert view["position"] == 4
    assert view["record"]["status"] is None
    assert view["progress"] == {
        "total": 6,
        "submitted": 3,
        "skipped": 0,
        "remaining": 3,
        "team": [],
    }
    browser.answer_all(FULL)
    view = browser.send("submit")
    assert view["position"] == 0  # 5 is done: wraps to the earliest open record
    assert view["done"] is False
    assert state(review, 3).status == "submitted"
    assert state(review, 3).answers == FULL


def test_submit_of_the_last_open_record_is_done(make_review):
    review = make_review()
    for i in range(5):
        review.submit(i, **FULL)
    browser = Browser(review)
    assert browser.view["position"] == 5
    browser.answer_all(FULL)
    view = browser.send("submit")
    assert view["done"] is True
    assert view["position"] == 5  # the record shown stays where it was
    assert view["progress"]["remaining"] == 0
    view = browser.send("nav", to="prev")
    assert view["done"] is False
    assert view["position"] == 4


def test_skip_marks_skipped_and_advances(make_review):
    review = make_review()
    browser = Browser(review)
    browser.answer("quality", 1)
    view = browser.send("skip")
    assert view["notice"] is None
    assert view["position"] == 1
    assert state(review, 0).status == "skipped"
    assert state(review, 0).answers == {"quality": 1}  # answers given so far are kept
    assert view["progress"] == {
        "total": 6,
        "submitted": 0,
        "skipped": 1,
        "remaining": 5,
        "team": [],
    }
    assert review.to_dataset()["status"][:2] == ["skipped", None]


# -- navigation -------------------------------------------------------------------------------


def test_nav_next_and_prev_without_wrap_around(make_review):
    review = make_review()
    browser = Browser(review)
    view = browser.send("nav", to="prev")
    assert view["position"] == 0
    assert view["notice"]["kind"] == "info"
    assert "first" in view["notice"]["text"]
    for expected in range(1, 6):
        view = browser.send("nav", to="next")
        assert view["position"] == expected
        assert view["notice"] is None
    view = browser.send("nav", to="next")
    assert view["position"] == 5
    assert view["notice"]["kind"] == "info"
    assert "last" in view["notice"]["text"]
    view = browser.send("nav", to="prev")
    assert view["position"] == 4
    assert history(review) == []  # moving stores nothing


def test_nav_visits_records_whatever_their_status(make_review):
    review = make_review()
    review.submit(1, **FULL)
    browser = Browser(review)
    view = browser.send("nav", to="next")
    assert view["position"] == 1
    assert view["record"]["status"] == "submitted"
    assert view["record"]["answers"] == FULL


def test_nav_to_a_position(make_review):
    browser = Browser(make_review())
    assert browser.send("nav", to=4)["position"] == 4
    assert browser.send("nav", to=5)["position"] == 5
    view = browser.send("nav", to=-1)  # the browser sends row positions, never from the end
    assert view["notice"]["kind"] == "error"
    assert view["position"] == 5
    view = browser.send("nav", to=6)
    assert view["notice"]["kind"] == "error"
    assert view["position"] == 5
    view = browser.send("nav", to="sideways")
    assert view["notice"]["kind"] == "error"
    assert view["position"] == 5


def test_review_position_moves_the_session(make_review):
    review = make_review()
    review.position = 3
    assert review.position == 3
    assert Browser(review).view["record"]["row"] == 3


# -- one-key mode -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "value"),
    [(nr.Rating("quality", scale=5), 4), (nr.Label("verdict", ["good", "bad"]), "bad")],
)
def test_one_key_answers_submits_and_advances(make_review, question, value):
    review = make_review(questions=[question])
    assert review._config()["one_key"] is True
    browser = Browser(review)
    before = len({h[0] for h in history(review)})
    view = browser.answer(question.name, value, submit=True)
    assert view["notice"] is None
    assert view["position"] == 1
    assert state(review, 0).answers == {question.name: value}
    assert state(review, 0).status == "submitted"
    assert len({h[0] for h in history(review)}) == before + 1  # one change
    assert view["progress"]["submitted"] == 1


def test_one_key_with_an_invalid_value_stores_nothing(make_review):
    review = make_review(questions=[nr.Rating("quality", scale=3)])
    browser = Browser(review)
    view = browser.answer("quality", 4, submit=True)
    assert view["notice"]["kind"] == "error"
    assert view["position"] == 0
    assert history(review) == []


def test_multi_question_review_is_not_one_key(make_review):
    review = make_review()
    assert review._config()["one_key"] is False
    browser = Browser(review)
    # submit=True with required questions still open only saves the draft
    view = browser.answer("quality", 4, submit=True)
    assert view["position"] == 0
    assert view["record"]["status"] == "draft"


# -- suggestions ------------------------------------------------------------------------------


def test_suggestions_are_offered_and_accepted(make_review, make_questions):
    review = make_review(questions=make_questions(suggest=True))
    browser = Browser(review)
    view = browser.view
    assert view["record"]["suggestions"] == {"quality": 3}  # model_score of row 0
    assert view["record"]["answers"] == {}
    assert history(review) == []  # a suggestion is not an answer until accepted
    view = browser.send("accept")
    assert view["notice"] is None
    assert view["record"]["answers"] == {"quality": 3}
    assert view["record"]["suggestions"] == {}
    assert view["record"]["status"] == "draft"
    assert state(review, 0).answers == {"quality": 3}
    view = browser.send("accept")
    assert view["notice"]["kind"] == "info"


def test_a_changed_answer_replaces_the_suggestion(make_review, make_questions):
    review = make_review(questions=make_questions(suggest=True))
    browser = Browser(review)
    view = browser.answer("quality", 1)
    assert view["record"]["answers"] == {"quality": 1}
    assert view["record"]["suggestions"] == {}


@pytest.mark.parametrize("position", [1, 3, 5])  # model_score null, 9 (out of 1..5), null
def test_invalid_or_missing_suggestions_are_not_offered(make_review, make_questions, position):
    review = make_review(questions=make_questions(suggest=True))
    browser = Browser(review)
    view = browser.send("nav", to=position)
    assert view["record"]["suggestions"] == {}
    view = browser.send("accept")
    assert view["notice"]["kind"] == "info"
    assert history(review) == []


def test_suggestions_from_a_dataframe(make_review, make_questions, df):
    review = make_review(df, questions=make_questions(suggest=True))
    browser = Browser(review)
    assert browser.view["record"]["suggestions"] == {"quality": 3}
    assert browser.send("nav", to=2)["record"]["suggestions"] == {"quality": 5}


def test_suggestions_from_a_float_column_of_whole_numbers(make_review, df):
    frame = df.astype({"model_score": "float64"})  # what pd.DataFrame({"s": [3, None]}) gives
    review = make_review(frame, questions=[nr.Rating("quality", suggestion="model_score")])
    assert Browser(review).view["record"]["suggestions"] == {"quality": 3}


# -- undo -------------------------------------------------------------------------------------


def test_undo_reverts_the_last_change_and_returns_to_its_record(make_review):
    review = make_review()
    browser = Browser(review)
    browser.answer_all(FULL)
    view = browser.send("submit")
    assert view["position"] == 1
    assert view["can_undo"] is True
    view = browser.send("undo")
    assert view["notice"] is None
    assert view["position"] == 0
    assert view["record"]["status"] == "draft"
    assert view["record"]["answers"] == FULL
    assert view["progress"]["submitted"] == 0
    assert review.progress.submitted == 0
    view = browser.send("undo")  # the last answer (issues = [])
    assert view["record"]["answers"] == {"quality": 4, "verdict": "good"}


def test_undo_of_one_key_answer_and_submit_is_one_step(make_review):
    review = make_review(questions=[nr.Rating("quality")])
    browser = Browser(review)
    browser.answer("quality", 2, submit=True)
    browser.answer("quality", 5, submit=True)
    assert browser.view["position"] == 2
    view = browser.send("undo")
    assert view["position"] == 1
    assert view["record"]["answers"] == {}
    assert view["record"]["status"] is None
    assert state(review, 0).status == "submitted"  # the earlier one stays
    assert view["progress"]["submitted"] == 1
    view = browser.send("undo")
    assert view["position"] == 0
    assert view["record"]["answers"] == {}
    assert view["can_undo"] is False
    assert review.to_dataset()["quality"] == [None] * 6
    view = browser.send("undo")
    assert view["notice"]["kind"] == "info"


def test_undo_of_a_skip(make_review):
    review = make_review()
    browser = Browser(review)
    browser.send("skip")
    view = browser.send("undo")
    assert view["position"] == 0
    assert view["record"]["status"] is None
    assert view["progress"]["skipped"] == 0


def test_undo_keeps_the_history(make_review):
    review = make_review(questions=[nr.Rating("quality")])
    browser = Browser(review)
    browser.answer("quality", 3)
    browser.answer("quality", 4)
    browser.send("undo")
    assert state(review, 0).answers == {"quality": 3}
    values = [(h[3], h[4], h[5]) for h in history(review) if h[3] == "quality"]
    assert values == [("quality", 3, None), ("quality", 4, 3), ("quality", 3, 4)]


# -- stale messages ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["answer", "accept", "submit", "skip"])
def test_a_message_for_another_record_is_refused(make_review, make_questions, kind):
    review = make_review(questions=make_questions(suggest=True))
    browser = Browser(review)
    browser.answer_all(FULL)
    stale = browser.key
    browser.send("submit")
    assert browser.view["position"] == 1
    before = history(review)
    extra = {"question": "quality", "value": 1} if kind == "answer" else {}
    view = browser.send(kind, key=stale, **extra)
    assert view["notice"]["kind"] == "error"
    assert view["position"] == 1
    assert history(review) == before
    view = browser.send(kind, key=None, **extra)
    assert view["notice"]["kind"] == "error"
    assert history(review) == before


def test_unknown_message_type_is_a_notice(make_review):
    browser = Browser(make_review())
    view = browser.send("explode")
    assert view["notice"]["kind"] == "error"
    assert "explode" in view["notice"]["text"]


def test_notice_lasts_until_the_next_view(make_review):
    browser = Browser(make_review())
    assert browser.send("submit")["notice"] is not None
    assert browser.send("nav", to="next")["notice"] is None


# -- the view ---------------------------------------------------------------------------------


def test_view_is_json_and_holds_only_the_current_record(make_review, rows):
    review = make_review()
    browser = Browser(review)
    browser.send("nav", to=3)
    view = browser.view
    text = json.dumps(view, ensure_ascii=False)
    assert json.loads(text) == view
    assert set(view) == {
        "ack",
        "position",
        "index",
        "total",
        "rows",
        "record",
        "queue",
        "progress",
        "done",
        "notice",
        "can_undo",
    }
    assert set(view["record"]) == {"key", "row", "fields", "answers", "suggestions", "status"}
    assert view["record"]["fields"] == {
        "prompt": rows["prompt"][3],
        "response": rows["response"][3],
    }
    assert view["record"]["key"] == review.keys.key(3)
    for i in (0, 1, 2, 4, 5):
        assert rows["prompt"][i] not in text
        assert len(rows["response"][i]) < 5 or rows["response"][i] not in text
    assert "model_score" not in text  # only the shown fields
    assert rows["id"][3] not in text


def test_view_of_unusual_values_is_json(make_review):
    data = datasets.Dataset.from_dict(
        {"prompt": ["<script>alert(1)</script>", "x"], "when": ["2024-01-01", "2024-01-02"]}
    ).cast_column("when", datasets.Value("date32"))
    review = make_review(data, fields=["prompt", "when"])
    view = Browser(review).view
    assert view["record"]["fields"] == {"prompt": "<script>alert(1)</script>", "when": "2024-01-01"}


def test_view_of_an_empty_dataset(make_review, ds):
    review = make_review(ds.select([]))
    browser = Browser(review)
    view = browser.view
    assert view["position"] is None
    assert view["record"] is None
    assert view["progress"] == {
        "total": 0,
        "submitted": 0,
        "skipped": 0,
        "remaining": 0,
        "team": [],
    }
    browser.seq += 1
    review.session.handle({"type": "submit", "seq": browser.seq, "key": "x", "elapsed_ms": 1})
    assert review.session.view()["notice"]["kind"] == "error"


def test_progress_in_the_view_follows_submit_from_code(make_review):
    review = make_review()
    browser = Browser(review)
    review.submit(0, **FULL)
    assert browser.view["progress"]["submitted"] == 1


# -- time spent -------------------------------------------------------------------------------


def test_elapsed_time_lands_in_records_seconds(make_review):
    review = make_review()
    browser = Browser(review)
    browser.answer("quality", 4, elapsed_ms=1000)
    assert state(review, 0).seconds == pytest.approx(1.0)
    browser.send("nav", to="next", elapsed_ms=500)  # time on record 0, not yet written
    browser.answer("quality", 2, elapsed_ms=2000)  # record 1
    browser.send("nav", to="prev", elapsed_ms=300)  # time on record 1, stored as it is left
    browser.answer("verdict", "good", elapsed_ms=700)  # record 0 again
    browser.answer("issues", [], elapsed_ms=250)
    browser.send("submit", elapsed_ms=50)
    assert state(review, 0).seconds == pytest.approx(1.0 + 0.5 + 0.7 + 0.25 + 0.05)
    assert state(review, 1).seconds == pytest.approx(2.0 + 0.3)
    seconds = {r[0]: r[4] for r in review.store.records(review.name, review.annotator)}
    assert seconds[review.keys.key(0)] == pytest.approx(2.5)


def test_negative_elapsed_time_counts_as_zero(make_review):
    review = make_review()
    browser = Browser(review)
    browser.answer("quality", 4, elapsed_ms=-5000)
    assert state(review, 0).seconds == 0.0


def test_undo_after_a_restart_reverts_the_last_stored_change(make_review):
    first = make_review()
    browser = Browser(first)
    browser.answer("quality", 4)
    browser.answer("verdict", "good")
    browser.send("nav", to=2)
    browser.answer("quality", 1)  # the last change, on record 2
    first.store.close()
    again = Browser(make_review())  # a new kernel: an empty undo stack
    assert again.view["can_undo"] is True
    view = again.send("undo")
    assert view["position"] == 2
    assert state(again.review, 2).answers == {}
    view = again.send("undo")  # further back: the verdict on record 0
    assert view["position"] == 0
    assert state(again.review, 0).answers == {"quality": 4}
    again.send("undo")
    view = again.send("undo")
    assert view["notice"]["text"] == "Nothing to undo."
    assert view["can_undo"] is False
    assert state(again.review, 0).answers == {}


def test_ahead_holds_the_records_the_next_keys_show(make_review):
    review = make_review()
    review.submit(2, quality=3, verdict="good", issues=[])
    ahead = review.session.ahead()
    assert [r["row"] for r in ahead["open"]] == [1, 3, 4, 5]  # Enter: open records only
    assert [r["row"] for r in ahead["next"]] == [1, 2, 3, 4]  # →: every record in order
    assert ahead["open"][0]["key"] == review.keys.key(1)
    assert ahead["open"][0]["fields"]["prompt"] == "Name a prime number."
    assert [r["index"] for r in ahead["next"]] == [1, 2, 3, 4]


def test_ahead_is_empty_with_overlap_where_claims_decide(make_review):
    review = make_review(overlap=1)
    assert review.session.ahead() == {"open": [], "next": []}


def test_the_widgets_search_and_status_keep_the_filter_and_sort_set_from_code(make_review):
    review = make_review()
    review.queue("model_score >= 3", sort="-model_score")  # rows 3 (9), 2 (5), 0 (3)
    browser = Browser(review)
    view = browser.send("queue", search="rain", status="unanswered")
    spec = view["queue"]["spec"]
    assert spec == {"filter": "model_score >= 3", "sort": "-model_score", "search": "rain",
                    "status": "unanswered"}  # fmt: skip
    rows = [review.session.row_at(i) for i in range(review.session.queue_len())]
    assert rows == [3]  # the haiku about rain, within the filter
    view = browser.send("queue", search="", status="")
    assert view["queue"]["spec"] == {"filter": "model_score >= 3", "sort": "-model_score"}
    assert [review.session.row_at(i) for i in range(review.session.queue_len())] == [3, 2, 0]
