"""qualify=nr.Qualify(records, min_accuracy): gold records first, with feedback; those under the
bar are stopped and left out of consensus, agreement and quality's trust, on both stores."""

from __future__ import annotations

import math

import datasets
import pandas as pd
import pytest

import nbreview as nr

N = 12
GOLD = {8: "good", 9: "bad", 10: "good", 11: "bad"}  # rows with a known answer


def data() -> datasets.Dataset:
    return datasets.Dataset.from_dict(
        {
            "id": [f"r{i:02d}" for i in range(N)],
            "text": [f"text {i}" for i in range(N)],
            "g": [GOLD.get(i) for i in range(N)],
        }
    )


def review(store, annotator, qualify=None, **kwargs) -> nr.Review:
    return nr.Review(
        data(), fields=["text"], questions=[nr.Label("verdict", ["good", "bad"], gold="g")],
        id="id", store=store, annotator=annotator,
        qualify=qualify or nr.Qualify(records=3, min_accuracy=0.6), **kwargs,
    )  # fmt: skip


def send(r: nr.Review, value: str, seq: int) -> None:
    """The widget's own message for one answer, submitted (as a key press sends it)."""
    w = r.widget
    key = r.keys.key(r.session.position)
    message = {"type": "answer", "seq": seq, "key": key, "question": "verdict", "value": value}
    w._on_message(w, {**message, "submit": True}, [])


def right(row: int) -> str:
    return GOLD.get(row, "good")


def wrong(row: int) -> str:
    return {"good": "bad", "bad": "good"}[right(row)]


def test_the_first_records_are_gold_with_feedback_and_a_pass_goes_on(store_url):
    ana = review(store_url, "ana")
    seen = []
    for seq in range(1, 4):
        row = ana.session.position
        seen.append(row)
        send(ana, right(row), seq)
        assert ana.widget.view["feedback"]["right"] == {"verdict": True}  # shown after each
    assert set(seen) <= set(GOLD)  # three gold records first
    assert "closed" not in ana.widget.visitor
    row = ana.session.position
    assert row not in seen
    send(ana, right(row), 4)
    table = ana.quality().set_index("annotator")
    assert table.loc["ana", "qualified"] is True


def test_a_fail_stops_the_review_and_leaves_the_answers_out(store_url):
    ben = review(store_url, "ben")
    for seq in range(1, 4):  # wrong twice out of three: 0.33 < 0.6
        row = ben.session.position
        send(ben, wrong(row) if seq < 3 else right(row), seq)
    assert ben.widget.visitor["closed"] == "You did not qualify for this review"
    before = len(ben.store.answers(ben.name))
    ben.widget._on_message(ben.widget, {"type": "answer", "seq": 4, "question": "verdict",
                                        "value": "good", "submit": True}, [])  # fmt: skip
    assert len(ben.store.answers(ben.name)) == before  # a stopped page stores nothing
    again = review(store_url, "ben")  # a restart: still stopped
    assert again.widget.visitor["closed"] == "You did not qualify for this review"
    ana = review(store_url, "ana")
    for seq in range(1, 4):
        send(ana, right(ana.session.position), seq)
    lead = review(store_url, "lead")
    quality = lead.quality().set_index("annotator")
    assert quality.loc["ben", "qualified"] is False
    assert "did not qualify" in quality.loc["ben", "flag"]
    assert quality.loc["ana", "qualified"] is True
    consensus = lead.to_pandas(annotators="consensus")
    # gold rows ben answered wrong hold ana's answer only, ben named nowhere
    assert all("ben" not in (names or []) for names in consensus["annotator"])
    values = [consensus["verdict"].iloc[row] for row in GOLD]
    assert sum(v == GOLD[row] for v, row in zip(values, GOLD, strict=True)) == 3  # ana's
    assert all(v == GOLD[row] or pd.isna(v) for v, row in zip(values, GOLD, strict=True))


def test_still_qualifying_shows_none(store_path):
    ana = review(store_path, "ana")
    send(ana, right(ana.session.position), 1)
    table = review(store_path, "lead").quality().set_index("annotator")
    assert table.loc["ana", "qualified"] is None


def test_without_qualify_quality_has_no_qualified_column(store_path):
    plain = nr.Review(data(), fields=["text"], questions=[nr.Label("verdict", ["good", "bad"])],
                      id="id", store=store_path, annotator="x")  # fmt: skip
    assert "qualified" not in plain.quality().columns


@pytest.mark.parametrize(
    ("qualify", "problem"),
    [
        (nr.Qualify(records=5, min_accuracy=0.8), "needs 5 gold records, and the data has 4"),
        ({"records": 2}, "qualify takes nr.Qualify"),
    ],
)
def test_bad_qualify_is_a_clear_error(store_path, qualify, problem):
    with pytest.raises(ValueError, match=problem):
        review(store_path, "x", qualify=qualify)


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [({"records": 0}, "at least 1"), ({"min_accuracy": 1.5}, "share from 0 to 1")],
)
def test_qualify_checks_its_numbers(kwargs, problem):
    with pytest.raises(ValueError, match=problem):
        nr.Qualify(**kwargs)


def test_agreement_leaves_the_unqualified_out(store_path):
    ben = review(store_path, "ben")
    for seq in range(1, 4):
        send(ben, wrong(ben.session.position), seq)
    ana = review(store_path, "ana")
    for seq in range(1, 4):
        send(ana, right(ana.session.position), seq)
    table = review(store_path, "lead").agreement()
    assert table["annotators"].tolist() == [0]  # ben's three wrong answers count for nothing
    assert math.isnan(table["alpha"].iloc[0])


def test_code_of_an_unqualified_annotator_cannot_submit(store_url):
    ben = review(store_url, "ben")
    for seq in range(1, 4):
        send(ben, wrong(ben.session.position), seq)
    before = ben.store.answers(ben.name)
    with pytest.raises(ValueError, match=r"annotator 'ben' did not qualify for this review"):
        ben.submit(0, verdict="good")
    again = review(store_url, "ben")  # another kernel, after a restart: refused too
    with pytest.raises(ValueError, match="'ben' did not qualify"):
        again.submit(1, verdict="bad")
    assert ben.store.answers(ben.name) == before  # nothing stored
    ana = review(store_url, "ana")  # still qualifying: code counts like keys
    ana.submit(8, verdict="good")
    assert ana.store.record(ana.name, "ana", "r08").status == "submitted"
