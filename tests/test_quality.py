"""Quality control (API.md 8): gold answers, gold_rate, gold_feedback, quality(), alignment(),
timing(), summary() and plot(), on stores whose every answer and second is scripted."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import datasets
import krippendorff
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from huggingface_hub import DatasetCard

import nbreview as nr
from nbreview.questions import QUESTION_KINDS, Question
from nbreview.store import Change

TEXT = "The moon is made of cheese and orbits the sun every day."
# token offsets of TEXT: "moon" 4-8, "made of cheese" 12-26, "orbits the sun" 31-45
MOON = {"start": 4, "end": 8, "label": "error", "text": "moon"}
CHEESE = {"start": 12, "end": 26, "label": "error", "text": "made of cheese"}
SUN = {"start": 31, "end": 45, "label": "error", "text": "orbits the sun"}


def rows(n: int = 6, **columns: list) -> dict[str, list]:
    base = {
        "id": [f"r{i}" for i in range(n)],
        "prompt": [f"prompt {i}" for i in range(n)],
        "response": [TEXT] * n,
        "model": ["a", "b"] * (n // 2),
        "left_col": [f"first {i}" for i in range(n)],
        "right_col": [f"second {i}" for i in range(n)],
    }
    return {**base, **{k: v + [None] * (n - len(v)) for k, v in columns.items()}}


@pytest.fixture
def team(store_path):
    """make(data, questions, **kwargs) -> (alice, bob) on one store; closed at teardown."""
    made: list[nr.Review] = []

    def make(data: dict, questions, **kwargs) -> tuple[nr.Review, nr.Review]:
        ds = datasets.Dataset.from_dict(data)
        pair = []
        for who in ("alice", "bob"):
            review = nr.Review(
                ds,
                fields=["prompt", "response"],
                questions=questions(),
                id="id",
                store=store_path,
                annotator=who,
                **kwargs,
            )
            made.append(review)
            pair.append(review)
        return pair[0], pair[1]

    yield make
    for review in made:
        review.store.close()


def accuracy(review: nr.Review, **kwargs) -> dict[str, float]:
    q = review.quality(**kwargs).set_index("annotator")
    return q["gold_accuracy"].to_dict()


# -- each kind's notion of "right" ------------------------------------------------------------

KINDS = {
    "label": (
        lambda: nr.Label("verdict", ["good", "bad"], gold="gold"),
        ["good", "bad"],
        [{"verdict": "good"}, {"verdict": "bad"}],  # alice: both right
        [{"verdict": "bad"}, {"verdict": "bad"}],  # bob: one of two
        {"alice": 1.0, "bob": 0.5},
    ),
    "label set": (
        lambda: nr.MultiLabel("issues", ["x", "y", "z"], gold="gold"),
        [["y", "x"], []],  # "none apply" is a gold answer too
        [{"issues": ["x", "y"]}, {"issues": []}],
        [{"issues": ["x"]}, {"issues": ["z"]}],  # a subset is not the set
        {"alice": 1.0, "bob": 0.0},
    ),
    "spans by token F1": (
        lambda: nr.Spans("errors", field="response", labels=["error"], gold="gold"),
        [[CHEESE, SUN], []],
        # alice: "made of cheese" only, F1 = 2*3/(3+6) = 0.67; nothing on a clean record
        [{"errors": [CHEESE]}, {"errors": []}],
        # bob: "moon" (F1 0 on row 0), a span where nothing was to mark (row 1)
        [{"errors": [MOON]}, {"errors": [MOON]}],
        {"alice": 1.0, "bob": 0.0},
    ),
    "edit": (
        lambda: nr.Edit("fixed", field="response", gold="gold"),
        ["The moon orbits the earth.", "Fine."],
        [{"fixed": "The moon orbits the earth."}, {"fixed": "Fine."}],
        [{"fixed": "The moon orbits the earth"}, {"fixed": "Fine."}],  # a full stop short
        {"alice": 1.0, "bob": 0.5},
    ),
    "free text": (
        lambda: nr.FreeText("answer", gold="gold"),
        ["Canberra", "Ottawa"],
        [{"answer": "Canberra"}, {"answer": "Ottawa"}],
        [{"answer": "Sydney"}, {}],  # an unanswered gold question is wrong
        {"alice": 1.0, "bob": 0.0},
    ),
    "preference": (
        lambda: nr.Preference("better", fields=["left_col", "right_col"], gold="gold"),
        ["left_col", "tie"],
        [{"better": "left_col"}, {"better": "tie"}],
        [{"better": "right_col"}, {"better": "tie"}],
        {"alice": 1.0, "bob": 0.5},
    ),
    "ranking": (
        lambda: nr.Ranking("order", fields=["left_col", "right_col"], gold="gold"),
        [["right_col", "left_col"], ["left_col", "right_col"]],
        [{"order": ["right_col", "left_col"]}, {"order": ["left_col", "right_col"]}],
        [{"order": ["left_col", "right_col"]}, {"order": ["left_col", "right_col"]}],
        {"alice": 1.0, "bob": 0.5},
    ),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_grades_gold_answers_its_own_way(team, kind):
    question, gold, mine, theirs, expected = KINDS[kind]
    alice, bob = team(rows(gold=gold), lambda: [question()])
    for row in range(2):
        alice.submit(row, **mine[row])
        bob.submit(row, **theirs[row])
    alice.submit(2, **mine[0])  # not a gold record: no effect on accuracy
    q = alice.quality().set_index("annotator")
    assert q["gold_accuracy"].to_dict() == expected
    assert q["gold_answered"].to_dict() == {"alice": 2, "bob": 2}
    assert q["submitted"].to_dict() == {"alice": 3, "bob": 2}


def test_ratings_are_right_within_the_tolerance(team):
    alice, bob = team(rows(gold=[4, 2, 5]), lambda: [nr.Rating("quality", gold="gold")])
    for row, (a, b) in enumerate([(4, 5), (2, 4), (5, 5)]):
        alice.submit(row, quality=a)
        bob.submit(row, quality=b)
    assert accuracy(alice) == {"alice": 1.0, "bob": pytest.approx(1 / 3)}
    assert accuracy(alice, tolerance=1) == {"alice": 1.0, "bob": pytest.approx(2 / 3)}
    assert accuracy(alice, tolerance=2) == {"alice": 1.0, "bob": 1.0}
    flags = alice.quality(min_gold_accuracy=0.5).set_index("annotator")["flag"]
    assert flags.to_dict() == {"alice": "", "bob": "gold accuracy 0.33 below 0.5"}


def test_a_rubric_is_graded_criterion_by_criterion(team):
    def rubric():
        return [nr.Rubric("scores", criteria=["help", "facts", "style"], scale=(0, 4), gold="gold")]

    gold = [{"help": 3, "facts": 4, "style": 2}, {"help": 1, "facts": None, "style": 0}]
    alice, bob = team(rows(gold=gold), rubric)
    alice.submit(0, scores={"help": 3, "facts": 4, "style": 2})
    alice.submit(1, scores={"help": 1, "facts": 4, "style": 0})  # facts has no gold: not counted
    bob.submit(0, scores={"help": 3, "facts": 2, "style": 3})  # 1 of 3
    bob.submit(1, scores={"help": 2, "facts": 0, "style": 0})  # 1 of 2
    assert accuracy(alice) == {"alice": 1.0, "bob": pytest.approx(2 / 5)}
    assert accuracy(alice, tolerance=1) == {"alice": 1.0, "bob": pytest.approx(4 / 5)}


class Thumbs(Question):
    """A kind defined here, nowhere in nbreview: graded by the base hook alone."""

    kind = "thumbs"

    def feature(self) -> Any:
        return datasets.Value("bool")

    def validate(self, value: Any, record: Mapping[str, Any] | None = None) -> Any:
        if value is None or isinstance(value, bool):
            return value
        raise self._error(value, "thumbs up is True, down is False")


QUESTION_KINDS.pop(Thumbs.kind)


def test_a_kind_defined_outside_nbreview_is_graded_and_summarised_by_its_hooks(team):
    QUESTION_KINDS[Thumbs.kind] = Thumbs
    try:
        alice, bob = team(rows(gold=[True, False]), lambda: [Thumbs("up", gold="gold")])
        alice.submit(0, up=True)
        alice.submit(1, up=False)
        bob.submit(0, up=False)
        bob.submit(1, up=False)
        assert accuracy(alice) == {"alice": 1.0, "bob": 0.5}
        counts = alice.summary("up").set_index("answer")["count"].to_dict()
        assert counts == {"True": 1, "False": 3}  # its answers as text
    finally:
        QUESTION_KINDS.pop(Thumbs.kind, None)


# -- gold columns at construction -------------------------------------------------------------


def test_a_gold_value_the_question_would_not_take_names_row_and_question(make_review, ds):
    data = ds.add_column("gold", [None, None, 7, None, None, None])
    with pytest.raises(ValueError, match=r"question 'quality'.*column 'gold' at row 2.*7"):
        make_review(data, questions=[nr.Rating("quality", gold="gold")])
    data = ds.add_column("gold", [None, "great", None, None, None, None])
    with pytest.raises(ValueError, match=r"question 'verdict'.*at row 1.*'great'"):
        make_review(data, questions=[nr.Label("verdict", ["good", "bad"], gold="gold")])
    spans = [None, None, None, [{"start": 0, "end": 99, "label": "x"}], None, None]
    data = ds.add_column("gold", spans)
    with pytest.raises(ValueError, match=r"question 'errors'.*at row 3.*out of range"):
        make_review(
            data, questions=[nr.Spans("errors", field="response", labels=["x"], gold="gold")]
        )


def test_a_failed_review_with_bad_gold_touches_no_store(make_review, ds, store_path):
    data = ds.add_column("gold", [None, 9, None, None, None, None])
    with pytest.raises(ValueError, match="at row 1"):
        make_review(data, questions=[nr.Rating("quality", gold="gold")])
    assert not store_path.exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"questions": [nr.Rating("quality", gold="nope")]}, r"unknown column 'nope' \(gold"),
        (
            {"questions": [nr.Rating("quality", gold="prompt")]},
            r"gold column 'prompt' is in fields",
        ),
        (
            {"questions": [nr.Rating("quality", suggestion="g", gold="g")]},
            r"gold column 'g' is also the suggestion column of question 'quality'",
        ),
        (
            {"questions": [nr.Spans("s", field="g", labels=["x"]), nr.Rating("q", gold="g")]},
            r"gold column 'g' is also what question 's' reads",
        ),
        ({"questions": [nr.Rating("q", gold="g")], "id": "g"}, r"also the id column"),
        ({"questions": [nr.Rating("q")], "gold_rate": 0.1}, r"no question names a gold= column"),
        ({"questions": [nr.Rating("q", gold="n")], "gold_rate": 1}, r"gold_rate is a share"),
        ({"questions": [nr.Rating("q", gold="n")], "gold_rate": 0}, r"gold_rate is a share"),
        ({"questions": [nr.Rating("q", gold="n")], "gold_rate": True}, r"gold_rate is a share"),
        ({"questions": [nr.Rating("q")], "gold_feedback": True}, r"no question names a gold="),
        ({"questions": [nr.Rating("q", gold="n")], "gold_feedback": 1}, r"True or False"),
    ],
)
def test_bad_gold_arguments_are_refused(make_review, ds, kwargs, message):
    data = ds.add_column("g", ["1", "2", "3", "4", "5", "6"]).add_column("n", [1, 2, 3, 4, 5, 5])
    with pytest.raises(ValueError, match=message):
        make_review(data, **kwargs)


def test_gold_names_a_column():
    with pytest.raises(ValueError, match=r"question 'q': gold names a column, got 3"):
        nr.Rating("q", gold=3)


def test_gold_columns_are_neither_shown_nor_sent_to_the_browser(make_review, ds):
    data = ds.add_column("gold_q", [None, 4, None, 3, None, None])
    review = make_review(
        data, fields=None, questions=[nr.Rating("quality", gold="gold_q")], id="id"
    )
    assert [f.column for f in review.fields] == ["prompt", "response", "model_score"]
    config = review._config()  # what the widget is given
    assert "gold_q" not in json.dumps(config)
    assert "gold" not in config["questions"][0]
    for _ in range(6):
        view = review.session.view()
        assert "gold_q" not in json.dumps(view)
        assert "gold_q" not in view["record"]["fields"]
        review.session.answer({"quality": 1}, submit=True)
    # the store and the card keep the gold column, so a reopened review knows it
    assert review.questions.specs()[0]["gold"] == "gold_q"


def test_gold_answers_from_a_dataframe_with_nulls(make_review, df):
    df = df.assign(gold_q=[None, 4.0, None, 2.0, None, None])  # pandas: floats with NaN
    review = make_review(df, questions=[nr.Rating("quality", gold="gold_q")])
    assert review.gold.expected(1) == {"quality": 4}
    assert review.gold.expected(0) == {}
    assert list(np.flatnonzero(review.gold.mask)) == [1, 3]


# -- gold_rate ---------------------------------------------------------------------------------


def handed_out(review: nr.Review, count: int) -> list[int]:
    """The rows the widget hands out, submitting each, as a reviewer pressing Enter does."""
    session, seen = review.session, []
    for _ in range(count):
        if session.done:
            break
        seen.append(session.position)
        session.answer({"quality": 3}, submit=True)
        assert session.notice is None, session.notice
    return seen


def gold_at_end(n: int = 100, gold: int = 10) -> datasets.Dataset:
    scores = [None] * (n - gold) + [3] * gold
    return datasets.Dataset.from_dict(
        {"id": [f"r{i:03}" for i in range(n)], "prompt": [f"p{i}" for i in range(n)], "g": scores}
    )


def test_gold_rate_mixes_gold_records_in_at_the_rate(make_review):
    ds = gold_at_end()
    review = make_review(
        ds, fields=["prompt"], questions=[nr.Rating("quality", gold="g")], id="id", gold_rate=0.1
    )
    seen = handed_out(review, 100)
    gold = [i for i, row in enumerate(seen) if row >= 90]
    assert gold == [9, 19, 29, 39, 49, 59, 69, 79, 89, 99]  # one in every ten handed out
    assert sorted(seen) == list(range(100))  # every record once, gold ones never twice
    assert [row for row in seen if row < 90] == list(range(90))  # the rest in queue order


def test_without_gold_rate_gold_records_stay_where_the_queue_puts_them(make_review):
    review = make_review(
        gold_at_end(), fields=["prompt"], questions=[nr.Rating("quality", gold="g")]
    )
    assert handed_out(review, 100) == list(range(100))


@pytest.mark.parametrize(("rate", "every"), [(0.25, 4), (0.5, 2), (0.7, 1)])
def test_gold_rate_sets_how_many_records_come_between(make_review, rate, every):
    review = make_review(
        gold_at_end(40, 5), fields=["prompt"], questions=[nr.Rating("quality", gold="g")],
        gold_rate=rate,
    )  # fmt: skip
    seen = handed_out(review, 40)
    gold = [i for i, row in enumerate(seen) if row >= 35]
    assert gold == [every * (k + 1) - 1 for k in range(5)]


def test_gold_rate_never_hands_a_gold_record_twice_and_keeps_the_rate_on_reopen(
    make_review, store_path
):
    def open_as(who: str) -> nr.Review:
        return make_review(
            gold_at_end(), fields=["prompt"], questions=[nr.Rating("quality", gold="g")],
            id="id", annotator=who, gold_rate=0.2,
        )  # fmt: skip

    first = open_as("alice")
    first.submit(95, quality=3)  # a gold record answered from code first
    seen = handed_out(first, 12)
    again = open_as("alice")  # a restart: the same annotator goes on
    seen += handed_out(again, 100)
    assert sorted(seen) == sorted(set(range(100)) - {95})  # never twice, 95 never again
    gold = [i for i, row in enumerate(seen) if row >= 90]
    assert gold == [4, 9, 14, 19, 24, 29, 34, 39, 44]  # one in five, across the restart
    others = handed_out(open_as("bob"), 10)  # every annotator gets gold records
    assert [row >= 90 for row in others] == [False] * 4 + [True] + [False] * 4 + [True]


def test_gold_rate_orders_gold_records_by_a_seed_that_every_annotator_shares(make_review):
    def gold_order(who: str) -> list[int]:
        review = make_review(
            gold_at_end(), fields=["prompt"], questions=[nr.Rating("quality", gold="g")],
            annotator=who, gold_rate=0.5,
        )  # fmt: skip
        return [row for row in handed_out(review, 100) if row >= 90]

    alice, bob = gold_order("alice"), gold_order("bob")
    assert sorted(alice) == list(range(90, 100))
    assert alice == bob
    assert alice != sorted(alice)  # shuffled, not in dataset order


def test_gold_rate_applies_to_queues_set_later(make_review):
    review = make_review(
        gold_at_end(), fields=["prompt"], questions=[nr.Rating("quality", gold="g")],
        gold_rate=0.1,
    )  # fmt: skip
    review.queue(sort="-prompt")  # from code
    seen = handed_out(review, 20)
    assert [row >= 90 for row in seen].count(True) == 2
    assert seen[9] >= 90
    assert seen[19] >= 90
    review.session._set_queue(None, "unanswered")  # the widget's status menu
    seen = handed_out(review, 10)
    assert [row >= 90 for row in seen] == [False] * 9 + [True]


# -- gold_feedback -----------------------------------------------------------------------------


def feedback_review(make_review, ds, **kwargs):
    data = ds.add_column("gold_answer", [None, "GOLD-CANBERRA-731", None, None, None, None])
    data = data.add_column("gold_verdict", [None, "bad", None, None, None, None])
    questions = [
        nr.Label("verdict", ["good", "bad"], gold="gold_verdict"),
        nr.FreeText("answer", gold="gold_answer"),
    ]
    return make_review(data, questions=questions, id="id", **kwargs)


def test_gold_feedback_follows_the_submit_of_a_gold_record_only(make_review, ds):
    review = feedback_review(make_review, ds, gold_feedback=True)
    session = review.session
    session.answer({"verdict": "good"}, submit=True)  # row 0: no gold, no feedback
    view = session.view()
    assert view["position"] == 1
    assert "feedback" not in view
    text = json.dumps(view) + json.dumps(review._config())
    assert "GOLD-CANBERRA-731" not in text  # not before the submit
    assert "gold_answer" not in text
    session.answer({"answer": "Sydney"})
    assert "GOLD-CANBERRA" not in json.dumps(session.view())
    session.answer({"verdict": "bad"}, submit=True)
    view = session.view()
    assert view["position"] == 2
    fb = view["feedback"]
    assert fb["record"] == "r-b"
    assert fb["questions"] == ["verdict", "answer"]
    assert fb["expected"] == {"verdict": "bad", "answer": "GOLD-CANBERRA-731"}
    assert fb["given"] == {"verdict": "bad", "answer": "Sydney"}
    assert fb["right"] == {"verdict": True, "answer": False}
    assert fb["text"]["answer"] == {"expected": "GOLD-CANBERRA-731", "given": "Sydney"}
    json.dumps(view)
    session.answer({"verdict": "good"})  # working on the next record: still shown
    assert "feedback" in session.view()
    session.handle({"type": "nav", "to": "next", "seq": 1, "elapsed_ms": 0})
    assert "feedback" not in session.view()  # another record: gone


def test_without_gold_feedback_the_view_never_carries_gold(make_review, ds):
    review = feedback_review(make_review, ds)
    session = review.session
    session.answer({"verdict": "good"}, submit=True)
    session.answer({"verdict": "good", "answer": "x"}, submit=True)
    assert "feedback" not in session.view()
    assert "GOLD-CANBERRA" not in json.dumps(session.view())


# -- quality(): every figure on a scripted two-annotator store ----------------------------------


def scripted(store_url: str) -> tuple[nr.Review, nr.Review]:
    """alice and bob on six records, two of them gold (rows 0 and 3), a preference on all.

    alice: verdicts g g b b g -, qualities 4 3 2 4 1 (gold all right); 10, 20, 30, 40, 50 s;
    row 5 skipped after 6 s; the left side chosen on rows 0-3, the right on row 4.
    bob: verdicts g b b g, qualities 4 4 4 2 on rows 0-3 (gold row 0 right, row 3 wrong);
    60 s each; a tie on every preference; row 4 viewed for 100 s, left without an answer.
    """
    data = rows(
        6,
        gold_verdict=["good", None, None, "bad"],
        gold_quality=[4, None, None, 4],
        judge=["good", "good", "bad", "good", "bad", "good"],
    )
    ds = datasets.Dataset.from_dict(data)

    def open_as(who: str) -> nr.Review:
        return nr.Review(
            ds,
            fields=["prompt"],
            questions=[
                nr.Label("verdict", ["good", "bad"], gold="gold_verdict"),
                nr.Rating("quality", gold="gold_quality"),
                nr.Preference("better", fields=["left_col", "right_col"]),
            ],
            id="id",
            store=store_url,
            annotator=who,
        )

    alice, bob = open_as("alice"), open_as("bob")
    pref = alice.questions["better"]
    store = alice.store

    def write(who, row, seconds, status="submitted", **answers):
        store.write(Change("default", who, f"r{row}", answers, status, seconds))

    for row, (verdict, quality, seconds) in enumerate(
        [("good", 4, 10), ("good", 3, 20), ("bad", 2, 30), ("bad", 4, 40), ("good", 1, 50)]
    ):
        left, right = pref.sides(f"r{row}")
        better = left if row < 4 else right
        write("alice", row, seconds, verdict=verdict, quality=quality, better=better)
    write("alice", 5, 6, status="skipped")
    for row, (verdict, quality) in enumerate([("good", 4), ("bad", 4), ("bad", 4), ("good", 2)]):
        write("bob", row, 60, verdict=verdict, quality=quality, better="tie")
    store.add_seconds("default", "bob", "r4", 100.0)
    return alice, bob


def test_quality_figures_on_a_scripted_store(store_url):
    alice, bob = scripted(store_url)
    try:
        q = alice.quality()
        assert list(q.columns) == [
            "annotator", "submitted", "gold_answered", "gold_accuracy", "agreement",
            "median_seconds", "per_hour", "left_rate", "skipped",
            "competence", "fast", "accepted", "accept_seconds", "straightlined", "flag",
        ]  # fmt: skip
        assert q["annotator"].tolist() == ["alice", "bob"]
        row = q.set_index("annotator").to_dict("index")
        a, b = row["alice"], row["bob"]
        assert (a["submitted"], a["skipped"], b["submitted"], b["skipped"]) == (5, 1, 4, 0)
        assert (a["gold_answered"], b["gold_answered"]) == (2, 2)
        # alice: 4 gold questions right; bob: row 0 both right, row 3 verdict and quality wrong
        assert (a["gold_accuracy"], b["gold_accuracy"]) == (1.0, 0.5)
        assert (a["flag"], b["flag"]) == ("", "gold accuracy 0.50 below 0.8")
        # shared records 0-3: verdicts agree on 0 and 2; qualities 4/4 only on row 0;
        # preferences never (alice chose a side, bob tied): 3 of 12 for both
        assert a["agreement"] == pytest.approx(3 / 12)
        assert b["agreement"] == pytest.approx(3 / 12)
        assert (a["median_seconds"], b["median_seconds"]) == (30.0, 60.0)
        assert a["per_hour"] == pytest.approx(5 / (156 / 3600))  # 150 s answered + 6 s skipped
        assert b["per_hour"] == pytest.approx(4 / (340 / 3600))  # 240 s + 100 s viewed only
        assert a["left_rate"] == pytest.approx(4 / 5)
        assert math.isnan(b["left_rate"])  # ties chose no side
        assert q.dtypes["submitted"] == np.int64
        assert q.dtypes["gold_accuracy"] == np.float64
    finally:
        alice.store.close()
        bob.store.close()


def test_quality_without_gold_or_others_is_nan(make_review):
    review = make_review()
    review.submit(0, quality=3, verdict="good", issues=[])
    q = review.quality()
    assert q["annotator"].tolist() == ["alice"]
    row = q.iloc[0]
    assert row["gold_answered"] == 0
    assert math.isnan(row["gold_accuracy"])
    assert math.isnan(row["agreement"])
    assert math.isnan(row["per_hour"])  # no time on screen from code
    assert row["flag"] == ""


def test_quality_of_an_empty_store(make_review):
    q = make_review().quality()
    assert q.empty
    assert list(q.columns)[:3] == ["annotator", "submitted", "gold_answered"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"min_gold_accuracy": 2}, "min_gold_accuracy is a share"),
        ({"min_gold_accuracy": "high"}, "min_gold_accuracy is a share"),
        ({"tolerance": -1}, "tolerance is a number of points"),
    ],
)
def test_quality_refuses_bad_arguments(make_review, kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_review().quality(**kwargs)


def test_agreement_leaves_out_answers_where_the_others_tie(make_review):
    names = ["alice", "bob", "carol"]
    reviews = {
        n: make_review(questions=[nr.Label("verdict", ["x", "y", "z"])], annotator=n) for n in names
    }
    for name, verdicts in {"alice": "xxz", "bob": "xyz", "carol": "xxy"}.items():
        for row, verdict in enumerate(verdicts):
            reviews[name].submit(row, verdict=verdict)
    agreement = reviews["alice"].quality().set_index("annotator")["agreement"].to_dict()
    # row 0: x x x, all agree. row 1: x y x: bob's others say x (he disagrees), alice's and
    # carol's others tie (x, y: left out). row 2: z z y: carol's others say z, the rest tie.
    assert agreement == {"alice": 1.0, "bob": 0.5, "carol": 0.5}


def test_adjudicated_answers_are_nobody_s_work(make_review):
    alice = make_review(questions=[nr.Label("verdict", ["x", "y"])])
    lead = make_review(questions=[nr.Label("verdict", ["x", "y"])], annotator="adjudicated")
    alice.submit(0, verdict="x")
    lead.submit(0, verdict="y")
    q = alice.quality()
    assert q["annotator"].tolist() == ["alice"]
    assert math.isnan(q.iloc[0]["agreement"])
    assert alice.summary("verdict")["count"].tolist() == [1, 0]


# -- alignment() -------------------------------------------------------------------------------


def test_alignment_against_a_known_judge_column(store_path):
    alice, bob = scripted(str(store_path))
    try:
        frame = alice.alignment("judge", question="verdict")
        assert list(frame.columns) == ["annotator", "records", "agreement", "alpha"]
        assert frame["annotator"].tolist() == ["alice", "bob", "consensus"]
        got = frame.set_index("annotator")
        # judge g g b g b g; alice g g b b g (rows 0-4): 3 of 5; bob g b b g: 3 of 4
        assert got.loc["alice", "records"] == 5
        assert got.loc["alice", "agreement"] == pytest.approx(3 / 5)
        assert got.loc["bob", "agreement"] == pytest.approx(3 / 4)
        # the humans' majority: rows 0 (g), 2 (b) and 4 (alice alone: g); 1 and 3 tie
        assert got.loc["consensus", "records"] == 3
        assert got.loc["consensus", "agreement"] == pytest.approx(2 / 3)
        code = {"good": 0.0, "bad": 1.0}
        mine = ["good", "good", "bad", "bad", "good"]
        judge = ["good", "good", "bad", "good", "bad"]
        alice_vs = np.array([[code[v] for v in mine], [code[v] for v in judge]])
        want = krippendorff.alpha(reliability_data=alice_vs, level_of_measurement="nominal")
        assert got.loc["alice", "alpha"] == pytest.approx(want)
        everyone = np.array(
            [
                [code[v] for v in mine],
                [code[v] for v in ["good", "bad", "bad", "good"]] + [np.nan],
                [code[v] for v in judge],
            ]
        )
        want = krippendorff.alpha(reliability_data=everyone, level_of_measurement="nominal")
        assert got.loc["consensus", "alpha"] == pytest.approx(want)
    finally:
        alice.store.close()
        bob.store.close()


def test_alignment_of_ratings_within_tolerance(make_review, ds):
    data = ds.add_column("judge_q", [3, 5, 1, None, 2, 4])
    review = make_review(data, questions=[nr.Rating("quality")])
    for row, value in enumerate([3, 4, 3, 2, 2]):
        review.submit(row, quality=value)
    exact = review.alignment("judge_q", "quality").set_index("annotator")
    assert exact.loc["alice", "records"] == 4  # row 3 has no judge answer
    assert exact.loc["alice", "agreement"] == pytest.approx(2 / 4)
    near = review.alignment("judge_q", "quality", tolerance=1).set_index("annotator")
    assert near.loc["alice", "agreement"] == pytest.approx(3 / 4)
    want = krippendorff.alpha(
        reliability_data=np.array([[3, 4, 3, 2], [3, 5, 1, 2]], dtype=float),
        level_of_measurement="interval",
    )
    assert exact.loc["alice", "alpha"] == pytest.approx(want)


def test_alignment_refuses_a_judge_answer_the_question_would_not_take(make_review, ds):
    data = ds.add_column("judge", ["good", "great", None, None, None, None])
    review = make_review(data, questions=[nr.Label("verdict", ["good", "bad"])])
    review.submit(0, verdict="good")
    assert review.alignment("judge", "verdict").iloc[0]["agreement"] == 1.0  # row 1 not read
    review.submit(1, verdict="bad")
    with pytest.raises(ValueError, match=r"column 'judge' at row 1.*'great'"):
        review.alignment("judge", "verdict")
    with pytest.raises(ValueError, match=r"unknown column 'nothing'"):
        review.alignment("nothing", "verdict")
    with pytest.raises(ValueError, match=r"there is no question 'nope'"):
        review.alignment("judge", "nope")


# -- timing() and summary() --------------------------------------------------------------------


def test_timing_holds_every_record_on_screen_answered_or_not(store_path):
    alice, bob = scripted(str(store_path))
    try:
        t = alice.timing()
        assert list(t.columns) == [
            "record",
            "row",
            "annotator",
            "seconds",
            "status",
            "annotated_at",
        ]
        assert len(t) == 6 + 5  # alice's six, bob's four answered and one viewed
        viewed = t[(t["annotator"] == "bob") & (t["record"] == "r4")].iloc[0]
        assert viewed["seconds"] == 100.0
        assert pd.isna(viewed["status"])
        assert pd.isna(viewed["annotated_at"])  # nothing was annotated
        mine = t[t["annotator"] == "alice"]
        assert mine["row"].tolist() == [0, 1, 2, 3, 4, 5]
        assert mine["seconds"].tolist() == [10.0, 20.0, 30.0, 40.0, 50.0, 6.0]
        assert mine["status"].tolist()[-1] == "skipped"
        assert str(t["annotated_at"].dtype) == "datetime64[us, UTC]"
    finally:
        alice.store.close()
        bob.store.close()


def test_summary_counts_answers_per_slice(store_path):
    alice, bob = scripted(str(store_path))
    try:
        overall = alice.summary("verdict")
        assert list(overall.columns) == ["answer", "count", "answered", "share"]
        assert overall.set_index("answer")["count"].to_dict() == {"good": 5, "bad": 4}
        by = alice.summary("verdict", by="model")  # rows 0, 2, 4 are model a
        assert list(by.columns) == ["model", "answer", "count", "answered", "share"]
        got = {(m, a): (c, n) for m, a, c, n, _ in by.itertuples(index=False)}
        # model a: alice g b g, bob g b; model b: alice g b, bob b g
        assert got == {("a", "good"): (3, 5), ("a", "bad"): (2, 5), ("b", "good"): (2, 4),
                       ("b", "bad"): (2, 4)}  # fmt: skip
        assert by["share"].tolist() == pytest.approx([0.6, 0.4, 0.5, 0.5])
    finally:
        alice.store.close()
        bob.store.close()


def test_summary_counts_each_label_of_multilabels_and_spans_once_per_answer(team):
    def questions():
        return [
            nr.MultiLabel("issues", ["bias", "facts", "style"]),
            nr.Spans("marks", field="response", labels=["bias", "error"]),
        ]

    alice, bob = team(rows(4), questions)
    bias = {"start": 0, "end": 3, "label": "bias", "text": "The"}
    alice.submit(0, issues=["bias", "facts"], marks=[bias, MOON, {**CHEESE, "label": "bias"}])
    alice.submit(1, issues=["bias"], marks=[])
    bob.submit(0, issues=[], marks=[MOON])
    bob.submit(3, issues=["bias"], marks=[bias])
    by = alice.summary("issues", by="model").set_index(["model", "answer"])["count"].to_dict()
    assert by == {("a", "bias"): 1, ("a", "facts"): 1, ("a", "style"): 0,
                  ("b", "bias"): 2, ("b", "facts"): 0, ("b", "style"): 0}  # fmt: skip
    marks = alice.summary("marks").set_index("answer")
    assert marks["count"].to_dict() == {"bias": 2, "error": 2}  # two bias spans count once
    assert marks["answered"].tolist() == [4, 4]


def test_summary_refuses_unknown_questions_and_columns(make_review):
    review = make_review()
    with pytest.raises(ValueError, match="there is no question 'nope'"):
        review.summary("nope")
    with pytest.raises(ValueError, match=r"unknown column 'nope' \(by=\)"):
        review.summary("verdict", by="nope")
    assert review.summary("verdict")["count"].tolist() == [0, 0, 0]  # nothing answered yet


# -- plot() ------------------------------------------------------------------------------------


def chart_rows(chart) -> list[dict]:
    spec = chart.to_dict()
    assert spec["background"] == "transparent"
    assert spec["title"]
    assert spec["config"]["axis"]["labelColor"] == spec["config"]["title"]["color"]
    (values,) = spec["datasets"].values()
    return values


def test_plots_hold_the_tables_counts(store_path):
    import altair as alt

    alice, bob = scripted(str(store_path))
    try:
        chart = alice.plot("answers", question="verdict", by="model")
        assert isinstance(chart, alt.Chart)
        got = {(r["model"], r["answer"]): r["count"] for r in chart_rows(chart)}
        assert got == {("a", "good"): 3, ("a", "bad"): 2, ("b", "good"): 2, ("b", "bad"): 2}
        spec = chart.to_dict()
        assert spec["encoding"]["x"]["title"] == "answer to verdict"
        assert "by model" in spec["title"]

        got = {r["annotator"]: r["gold_accuracy"] for r in chart_rows(alice.plot("gold"))}
        assert got == {"alice": 1.0, "bob": 0.5}

        cells = chart_rows(alice.plot("alignment", column="judge", question="verdict"))
        got = {(r["human"], r["judge"]): r["count"] for r in cells}
        # alice g g b b g and bob g b b g against the judge's g g b g b
        assert got == {("good", "good"): 4, ("good", "bad"): 1, ("bad", "bad"): 2,
                       ("bad", "good"): 2}  # fmt: skip

        lines = chart_rows(alice.plot("progress"))
        assert max(r["submitted"] for r in lines if r["annotator"] == "alice") == 5
        assert max(r["submitted"] for r in lines if r["annotator"] == "bob") == 4

        bars = chart_rows(alice.plot("timing"))
        per = {}
        for r in bars:
            per[r["annotator"]] = per.get(r["annotator"], 0) + r["records"]
        assert per == {"alice": 5, "bob": 4}
        assert isinstance(alice.plot("timing", bins=5), alt.Chart)
    finally:
        alice.store.close()
        bob.store.close()


def test_plot_refuses_unknown_kinds_and_options(make_review):
    review = make_review()
    with pytest.raises(ValueError, match=r"unknown plot 'pie'.*'alignment'"):
        review.plot("pie")
    with pytest.raises(ValueError, match=r"plot\('answers'\) needs question="):
        review.plot("answers")
    with pytest.raises(ValueError, match=r"plot\('progress'\) takes no options, not \['by'\]"):
        review.plot("progress", by="model")


def test_plots_of_an_empty_review_are_charts(make_review):
    review = make_review()
    for kind, kwargs in [("progress", {}), ("timing", {}), ("gold", {}),
                         ("answers", {"question": "issues"})]:  # fmt: skip
        spec = review.plot(kind, **kwargs).to_dict()
        assert spec["title"]


# -- the dataset card ----------------------------------------------------------------------------


def test_the_card_reports_gold_accuracy_and_judges(store_path, tmp_path):
    alice, bob = scripted(str(store_path))
    try:
        folder = alice.save_hub_folder(tmp_path / "plain")
        text = DatasetCard.load(folder / "README.md").text
        gold = text.split("## Gold accuracy")[1].split("##")[0]
        assert "2 records carry a known right answer" in gold
        assert "| alice | 5 | 2 | 1.000 |" in gold
        assert "| bob | 4 | 2 | 0.500 |" in gold
        assert "Judge alignment" not in text  # no judge compared yet
        assert "known right answers to `verdict` (gold)" in text
        alice.alignment("judge", "verdict")
        folder = alice.save_hub_folder(tmp_path / "judged", anonymize=True)
        text = DatasetCard.load(folder / "README.md").text
        judge = text.split("## Judge alignment: `judge` on `verdict`")[1]
        assert "| consensus | 3 | 0.667 |" in judge
        assert "alice" not in text
        assert "| annotator-" in judge
    finally:
        alice.store.close()
        bob.store.close()


def test_a_card_without_gold_says_nothing_of_it(make_review, tmp_path):
    review = make_review()
    review.submit(0, quality=3, verdict="good", issues=[])
    text = (review.save_hub_folder(tmp_path / "out") / "README.md").read_text()
    assert "Gold accuracy" not in text
    assert "Judge alignment" not in text


def test_a_published_review_keeps_its_gold_column(store_path, tmp_path):
    alice, bob = scripted(str(store_path))
    try:
        folder = alice.save_hub_folder(tmp_path / "out", annotators="all")
        again = nr.Review.from_hub_folder(folder, annotator="carol")
        assert again.questions["verdict"].gold == "gold_verdict"
        assert sorted(np.flatnonzero(again.gold.mask)) == [0, 3]
        assert again.quality().set_index("annotator")["gold_accuracy"].to_dict() == {
            "alice": 1.0,
            "bob": 0.5,
        }
        again.store.close()
    finally:
        alice.store.close()
        bob.store.close()


def test_arrow_gold_columns_of_every_shape_are_read(make_review, ds):
    spans = pa.array([None, [CHEESE], None, None, None, None])
    data = ds.add_column("gold_spans", spans.to_pylist())
    review = make_review(
        data.map(lambda r: {"text": TEXT}),
        questions=[nr.Spans("errors", field="text", labels=["error"], gold="gold_spans")],
    )
    assert review.gold.expected(1) == {"errors": [CHEESE]}


# -- the store's Arrow queries -----------------------------------------------------------------


def test_store_tables_keep_every_row_and_value(store_url, monkeypatch):
    from nbreview.store import open_store, tables

    monkeypatch.setattr(tables, "CHUNK", 2)  # SQLite reads in chunks: several here
    monkeypatch.setattr(tables, "BLOCK", 64)  # rows longer than Arrow's block are read too
    store = open_store(store_url)
    try:
        store.register_review("r", {"questions": []})
        texts = ['a "quoted", comma\nnew line', "ünïcode 東京 🚀", "\\ back\\slash \x01", ""]
        for i, text in enumerate(texts):
            answers = {"note": text or None, "n": i}
            store.write(Change("r", f"ann,{i % 2}", f"rec{i}", answers, "submitted", i + 0.5))
        store.write(Change("r", "adjudicated", "rec0", {"n": 9}, "submitted"))
        store.write(Change("r", "ann,0", "rec9", {"n": 1}, "draft"))
        store.add_seconds("r", "viewer", "rec5", 7.25)
        times = store.times("r")
        assert times.schema == tables.TIMES
        got = {(r["record"], r["annotator"]): r for r in times.to_pylist()}
        assert len(got) == 7
        assert got[("rec5", "viewer")]["status"] is None
        assert got[("rec5", "viewer")]["seconds"] == 7.25
        assert got[("rec2", "ann,0")]["seconds"] == 2.5
        answers = store.submitted_answers("r")
        assert answers.schema == tables.SUBMITTED
        rows = {(r["record"], r["question"]): r for r in answers.to_pylist()}
        assert len(rows) == 7  # rec0-3's n, rec0-2's note; no draft, nothing adjudicated
        for i, text in enumerate(texts[:3]):
            assert json.loads(rows[(f"rec{i}", "note")]["text"]) == text
        assert rows[("rec1", "n")]["annotator"] == "ann,1"
        only = store.submitted_answers("r", "n")
        assert sorted(only["record"].to_pylist()) == ["rec0", "rec1", "rec2", "rec3"]
        assert store.submitted_answers("nothing").num_rows == 0
        assert store.times("nothing").num_rows == 0
        store.write(Change("r", "ann,1", "rec0", {"n": 5}, "submitted"))
        picked = store.submitted_answers("r", "n", records=["rec0", "rec3", "nope"])
        assert sorted(picked["record"].to_pylist()) == ["rec0", "rec0", "rec3"]
        assert store.submitted_answers("r", records=[]).num_rows == 0
    finally:
        store.close()


def test_gold_rate_holds_its_step_when_reopened_after_every_record(make_review):
    """A served page whose kernel is culled reopens the review after each record."""
    seen = []
    for _ in range(30):
        review = make_review(
            gold_at_end(), fields=["prompt"], questions=[nr.Rating("quality", gold="g")],
            id="id", annotator="ana", gold_rate=0.2,
        )  # fmt: skip
        seen += handed_out(review, 1)
    gold = [i for i, row in enumerate(seen) if row >= 90]
    assert gold == [4, 9, 14, 19, 24, 29]  # one in five, as in one sitting
