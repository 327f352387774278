"""Adjudication: the disputed records, least agreement first; the lead's answer wins."""

from __future__ import annotations

import datasets
import pytest

import nbreview as nr

LABELS = ["good", "bad"]


def make(store, annotator):
    data = datasets.Dataset.from_dict(
        {"id": ["r0", "r1", "r2", "r3"], "text": ["zero", "one", "two", "three"]}
    )
    questions = [nr.Rating("quality", scale=5), nr.Label("verdict", labels=LABELS)]
    return nr.Review(
        data, fields=["text"], questions=questions, id="id", store=store, annotator=annotator
    )


@pytest.fixture
def team(store_path):
    alice, bob, carol = (make(store_path, n) for n in ("alice", "bob", "carol"))
    # r0: full agreement; r1: two of three agree; r2: everyone differs; r3: one answer only.
    for who, quality, verdict in ((alice, 4, "good"), (bob, 4, "good"), (carol, 4, "good")):
        who.submit(0, quality=quality, verdict=verdict)
    for who, quality, verdict in ((alice, 3, "good"), (bob, 3, "good"), (carol, 3, "bad")):
        who.submit(1, quality=quality, verdict=verdict)
    for who, quality, verdict in ((alice, 1, "good"), (bob, 5, "bad"), (carol, 3, "good")):
        who.submit(2, quality=quality, verdict=verdict)
    alice.submit(3, quality=2, verdict="bad")
    return alice


def test_disputed_records_least_agreement_first(team):
    court = nr.Adjudicate(team)
    assert len(court) == 2
    session = court.review.session
    assert [session.row_at(i) for i in range(session.queue_len())] == [2, 1]
    assert court.review.position == 2
    assert court.review.annotator == "adjudicated"


def test_every_answer_is_shown_and_the_final_one_is_kept(team):
    court = nr.Adjudicate(team)
    session = court.review.session
    view = session.view()
    assert view["record"]["others"] == {
        "alice": {"quality": 1, "verdict": "good"},
        "bob": {"quality": 5, "verdict": "bad"},
        "carol": {"quality": 3, "verdict": "good"},
    }
    key = view["record"]["key"]
    for seq, (question, value) in enumerate((("quality", 5), ("verdict", "bad")), start=1):
        session.handle(
            {"type": "answer", "seq": seq, "key": key, "question": question, "value": value}
        )
    session.handle({"type": "submit", "seq": 3, "key": key})
    assert court.review.position == 1  # on to the next dispute
    consensus = team.to_dataset(annotators="consensus")
    assert consensus["quality"][2] == 5.0
    assert consensus["verdict"][2] == LABELS.index("bad")
    # Elsewhere the majority still speaks.
    assert consensus["verdict"][1] == LABELS.index("good")
    # Reopened, the settled record is no longer open for the adjudicator.
    assert nr.Adjudicate(team).review.position == 1


def test_progress_counts_the_disputes_alone(team):
    court = nr.Adjudicate(team)
    session = court.review.session
    progress = session.view()["progress"]
    assert (progress["total"], progress["submitted"], progress["remaining"]) == (2, 0, 2)
    key = session.view()["record"]["key"]
    answers = {"quality": 3, "verdict": "good"}
    for seq, (question, value) in enumerate(answers.items(), start=1):
        session.handle(
            {"type": "answer", "seq": seq, "key": key, "question": question, "value": value}
        )
    session.handle({"type": "submit", "seq": 3, "key": key})
    progress = session.view()["progress"]
    assert (progress["total"], progress["submitted"], progress["remaining"]) == (2, 1, 1)
    assert team.session.view()["progress"]["total"] == 4  # the review itself: every record


def test_search_and_status_choose_among_the_disputes(team):
    court = nr.Adjudicate(team)
    session = court.review.session

    def queue(seq: int, search: str, status: str) -> list[int]:
        session.handle({"type": "queue", "seq": seq, "search": search, "status": status})
        return [session.row_at(i) for i in range(session.queue_len())]

    assert queue(1, "t", "") == [2]  # "two" and "three" hold a t, but r3 is not disputed
    assert queue(2, "one", "") == [1]
    assert queue(3, "", "unanswered") == [2, 1]
    assert queue(4, "", "") == [2, 1]  # back to every dispute, least agreement first
    assert session.view()["progress"]["total"] == 2


def test_nothing_to_settle(store_path):
    alice = make(store_path, "alice")
    alice.submit(0, quality=1, verdict="good")
    court = nr.Adjudicate(alice)
    assert len(court) == 0
    assert court.review.session.view()["record"] is None


def test_adjudicate_needs_a_review():
    with pytest.raises(ValueError, match=r"nr\.Review"):
        nr.Adjudicate("not a review")


def test_the_widget_shows_the_team_progress(team):
    progress = team.session.view()["progress"]
    assert progress["team"] == [
        {"annotator": "alice", "submitted": 4, "skipped": 0, "draft": 0},
        {"annotator": "bob", "submitted": 3, "skipped": 0, "draft": 0},
        {"annotator": "carol", "submitted": 3, "skipped": 0, "draft": 0},
    ]


def test_a_preference_with_strength_can_be_adjudicated(store_path):
    data = datasets.Dataset.from_dict({"id": ["r0", "r1"], "a": ["x", "y"], "b": ["z", "w"]})

    def open_as(who):
        better = nr.Preference("better", fields=["a", "b"], strength=True)
        return nr.Review(data, fields=["a", "b"], questions=[better], id="id",
                         store=store_path, annotator=who)  # fmt: skip

    alice, bob = open_as("alice"), open_as("bob")
    alice.submit(0, better="a", better_strength="much")
    bob.submit(0, better="b", better_strength="slightly")
    court = nr.Adjudicate(alice)
    assert len(court) == 1
    assert court.review.questions.names == ["better", "better_strength"]
    court.review.submit(0, better="b", better_strength="much")
    final = alice.to_pandas(annotators="consensus")
    assert (final["better"].iloc[0], final["better_strength"].iloc[0]) == ("b", "much")


def test_the_lead_is_asked_the_questions_as_declared(store_path):
    """Built from the review's question specs: a gold column, a suggestion and a rubric's
    criteria come back as declared, each question once, and the browser is told the same."""
    data = datasets.Dataset.from_dict(
        {"id": ["r0", "r1"], "text": ["a", "b"], "g": [4, 2], "s": ["good", "bad"]}
    )
    questions = [
        nr.Rating("quality", scale=5, gold="g"),
        nr.Label("verdict", labels=LABELS, suggestion="s"),
        nr.Rubric("rubric", criteria={"clear": "easy to follow", "kind": "polite"}, scale=3),
    ]
    options = {"fields": ["text"], "questions": questions, "id": "id", "store": store_path}
    alice, bob = (nr.Review(data, **options, annotator=who) for who in ("alice", "bob"))
    court = nr.Adjudicate(alice)
    assert court.review.questions.specs() == bob.questions.specs()
    assert court.review.questions.names == bob.questions.names
    assert court.review._config()["questions"] == bob._config()["questions"]
