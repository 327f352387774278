"""Queues the team's answers or a model order (API.md 12): disagreement first, changed
suggestions first, and a model's order re-ranked in the background while people review."""

from __future__ import annotations

import pandas as pd
import pytest

import nbreview as nr

N = 12


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [f"r{i}" for i in range(N)],
            "text": [f"text {i}" for i in range(N)],
            "model": ["a", "b"] * (N // 2),
        }
    )


def review(tmp_path, annotator="ann", **kwargs) -> nr.Review:
    qs = [nr.Label("verdict", labels=["yes", "no", "maybe"])]
    return nr.Review(
        frame(), fields=["text"], questions=qs, id="id", store=tmp_path / "s.sqlite",
        annotator=annotator, **kwargs,
    )  # fmt: skip


def answer(tmp_path, who: str, answers: dict[int, str]) -> None:
    r = review(tmp_path, annotator=who)
    for row, value in answers.items():
        r.submit(row, verdict=value)


def test_disagreement_puts_the_least_agreed_records_first(tmp_path):
    answer(tmp_path, "a", {1: "yes", 2: "yes", 3: "yes", 5: "yes", 7: "yes"})
    answer(tmp_path, "b", {1: "no", 2: "yes", 3: "no", 5: "yes", 6: "no"})
    answer(tmp_path, "c", {1: "maybe", 2: "yes", 3: "yes"})
    r = review(tmp_path).queue(sort="disagreement")
    order = r.session.cursor.order.tolist()
    # row 1: three different answers (1/3); row 3: 2 of 3 agree; row 2 and 5 agree fully
    # (three annotators before two); one answer or none: after, in row order.
    assert order == [1, 3, 2, 5, 0, 4, 6, 7, 8, 9, 10, 11]
    # The filter and status still narrow it.
    r.queue("model == 'b'", sort="disagreement")
    assert r.session.cursor.order.tolist() == [1, 3, 5, 7, 9, 11]


def test_suggestion_disagreement_puts_changed_suggestions_first(tmp_path):
    def judge(records):
        return [{"verdict": "yes"} for _ in records]

    r = review(tmp_path)
    r.suggest(judge)
    answer(tmp_path, "a", {2: "yes", 4: "no", 6: "no"})
    answer(tmp_path, "b", {4: "yes", 6: "no", 8: "yes"})
    r.queue(sort="suggestion_disagreement")
    # row 6: both changed it; row 4: one of two; rows 2 and 8 kept it: with the rest
    assert r.session.cursor.order.tolist() == [6, 4, 0, 1, 2, 3, 5, 7, 8, 9, 10, 11]
    r.queue(sort="suggestion_disagreement", status="unanswered")
    assert r.session.cursor.order.tolist()[:2] == [6, 4]


def test_a_dataset_column_of_that_name_is_sorted_as_a_column(tmp_path):
    df = frame().assign(disagreement=list(range(N, 0, -1)))
    r = nr.Review(df, fields=["text"], questions=[nr.Rating("q")], store=tmp_path / "s.sqlite",
                  annotator="x").queue(sort="disagreement")  # fmt: skip
    assert r.session.cursor.order.tolist() == list(range(N - 1, -1, -1))


def test_order_callable_ranks_first_and_keeps_the_rest(tmp_path):
    r = review(tmp_path).queue(order=lambda rv: [5, 3, 5, -1])
    assert r.session.cursor.order.tolist() == [5, 3, 11, 0, 1, 2, 4, 6, 7, 8, 9, 10]
    assert r.position == 5
    with pytest.raises(ValueError, match="row 40 is out of range"):
        r.queue(order=lambda rv: [40])
    with pytest.raises(ValueError, match="every= re-ranks"):
        r.queue(every=3)
    with pytest.raises(ValueError, match="give order=, sort= or seed="):
        r.queue(order=lambda rv: [1], sort="text")
    assert r.session.cursor.order.tolist()[:2] == [5, 3]  # a refused queue changed nothing


def test_order_is_ranked_again_after_every_k_submits_and_the_record_stays(tmp_path):
    calls = []

    def rank(rv):
        # an "uncertainty" order that changes with every call: the unanswered rows, reversed
        # after each retraining
        calls.append(rv.progress.submitted)
        rows = list(range(N))
        return rows[::-1] if len(calls) % 2 else rows

    r = review(tmp_path).queue(order=rank, every=2, status="unanswered")
    s = r.session
    assert s.cursor.order.tolist()[0] == N - 1
    s.view()
    s.answer({"verdict": "yes"}, submit=True)  # 1 submit: not yet
    assert r.position == N - 2
    s.view()
    reranker = r._model.reranker
    s.answer({"verdict": "no"}, submit=True)  # 2 submits: ranked again in the background
    assert r.position == N - 3
    s.view()  # the view tells the re-ranker
    assert reranker.applied.wait(10)
    assert calls == [0, 2]
    assert r.position == N - 3  # the record on screen did not jump
    order = s.cursor.order.tolist()
    assert order[0] == 0  # the new order, the two answered rows gone (status="unanswered")
    assert N - 1 not in order
    assert N - 2 not in order
    s.answer({"verdict": "no"}, submit=True)
    assert r.position == 0  # the next record: the first open one of the new order
    assert r.progress.submitted == 3


def test_a_failing_ranker_keeps_the_queue(tmp_path):
    state = {"fail": False}

    def rank(rv):
        if state["fail"]:
            raise RuntimeError("model not trained")
        return [3, 2, 1]

    r = review(tmp_path).queue(order=rank, every=1)
    s = r.session
    s.view()
    state["fail"] = True
    s.answer({"verdict": "yes"}, submit=True)
    s.view()
    assert r._model.reranker.told.wait(10)
    assert s.notice["text"] == "Re-ranking failed: model not trained"
    assert s.cursor.order.tolist()[:3] == [3, 2, 1]


def test_agreement_matches_counting_by_hand_over_many_records():
    """The numpy agreement against a plain count of the same answers: several questions,
    annotators answering some of them, records with one annotator left out."""
    import random
    from collections import Counter

    import pyarrow as pa

    from nbreview._model.disagree import agreement

    rng = random.Random(4)
    rows = []
    for record in range(300):
        people = rng.sample(["a", "b", "c", "d"], rng.randint(1, 4))
        for who in people:
            for question in rng.sample(["q1", "q2", "q3"], rng.randint(1, 3)):
                rows.append((f"k{record}", who, question, f'"{rng.choice("xyz")}"'))
    names = ["record", "annotator", "question", "text"]
    table = pa.table(dict(zip(names, zip(*rows, strict=True), strict=True)))
    records, shares, people = agreement(table)
    got = {k: (s, p) for k, s, p in zip(records.to_pylist(), shares, people, strict=True)}
    expected = {}
    for key in {r[0] for r in rows}:
        mine = [r for r in rows if r[0] == key]
        annotators = {r[1] for r in mine}
        if len(annotators) < 2:
            continue
        per_question = [
            Counter(r[3] for r in mine if r[2] == q) for q in sorted({r[2] for r in mine})
        ]
        share = sum(max(c.values()) / sum(c.values()) for c in per_question) / len(per_question)
        expected[key] = (share, len(annotators))
    assert set(got) == set(expected)
    for key, (share, n) in expected.items():
        assert got[key][0] == pytest.approx(share)
        assert got[key][1] == n


def test_team_answers_less_unsubmitted_are_the_submitted_answers(tmp_path):
    """The disagreement sort's join-free read keeps exactly the submitted answers: a draft
    and a skipped record's answers are left out, as `submitted_answers()` leaves them."""
    from nbreview._model.disagree import submitted

    answer(tmp_path, "a", {1: "yes", 2: "no", 3: "yes"})
    answer(tmp_path, "b", {1: "no", 4: "maybe"})
    drafts = review(tmp_path, annotator="c")
    drafts.position = 1
    drafts.session.answer({"verdict": "yes"})  # a draft: not submitted
    drafts.position = 2
    drafts.session.answer({"verdict": "no"})
    drafts.session.finish("skipped")  # skipped with an answer
    store = drafts.store
    expected = store.submitted_answers(drafts.name).to_pylist()
    everything, skip = store.team_answers(drafts.name)
    assert everything.num_rows == 7  # the draft's and the skipped record's answers too
    assert sorted(skip) == [("c", "r1"), ("c", "r2")]
    got = submitted(everything, skip).to_pylist()
    assert len(expected) == 5
    key = lambda row: (row["record"], row["annotator"])  # noqa: E731
    assert sorted(got, key=key) == sorted(expected, key=key)
    r = review(tmp_path).queue(sort="disagreement")
    assert r.session.cursor.order.tolist()[:1] == [1]  # a and b disagree; c's draft not counted
