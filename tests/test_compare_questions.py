"""Edit, Preference and Ranking (API.md 2): arguments, validation, features, the seeded side
order, stored field names, the kernel's view, exports, agreement and a Hub round trip."""

from __future__ import annotations

import datasets
import numpy as np
import pytest

import nbreview as nr
from nbreview.questions import Question, QuestionSet

PAIRS = {
    "id": [f"r{i}" for i in range(6)],
    "prompt": [f"Question {i}?" for i in range(6)],
    "a": [f"answer A{i}" for i in range(6)],
    "b": [f"answer B{i}" for i in range(6)],
    "c": [f"answer C{i}" for i in range(6)],
}


@pytest.fixture
def pairs() -> datasets.Dataset:
    return datasets.Dataset.from_dict(PAIRS)


def compare_questions() -> list[Question]:
    return [
        nr.Edit("fixed", field="a"),
        nr.Preference("better", fields=("a", "b"), strength=True),
        nr.Ranking("order", fields=["a", "b", "c"]),
    ]


@pytest.fixture
def review(make_review, pairs):
    return make_review(pairs, fields=["prompt"], questions=compare_questions(), id="id")


# -- Edit -----------------------------------------------------------------------------------------


def test_edit_defaults_and_feature():
    q = nr.Edit("fixed", field="response")
    assert (q.kind, q.field, q.required, q.suggestion) == ("edit", "response", True, None)
    assert q.feature() == datasets.Value("string")
    assert q.target_columns() == ["response"]
    assert repr(q) == "nr.Edit('fixed', field='response')"


def test_edit_validation():
    q = nr.Edit("fixed", field="response")
    assert q.validate("The corrected text.") == "The corrected text."
    assert q.validate(None) is None
    assert q.validate("") is None  # an emptied box is no answer
    with pytest.raises(nr.AnswerError, match=r"fixed: 3 is not a valid answer"):
        q.validate(3)
    assert q.is_answered("ok")
    assert not q.is_answered("  ")
    assert not q.is_answered(None)


@pytest.mark.parametrize("field", ["", None, 3])
def test_edit_needs_a_field(field):
    with pytest.raises(ValueError, match=r"field names the text to correct"):
        nr.Edit("fixed", field=field)


def test_edit_on_a_non_text_column_is_refused(make_review, ds):
    with pytest.raises(ValueError, match=r"does not hold strings"):
        make_review(ds, questions=[nr.Edit("fixed", field="model_score")])


def test_edit_of_a_chat_message(make_review, store_path):
    chats = datasets.Dataset.from_dict(
        {
            "messages": [
                [{"role": "user", "content": "Hi?"}, {"role": "assistant", "content": "Hlelo."}],
            ]
        }
    )
    review = make_review(chats, fields=["messages"], questions=[nr.Edit("fixed", "messages[-1]")])
    assert review.questions["fixed"].original(chats[0]) == "Hlelo."
    review.submit(0, fixed="Hello.")
    assert review.to_dataset()["fixed"] == ["Hello."]


def test_a_required_edit_is_answered_by_the_unchanged_text(review):
    with pytest.raises(ValueError, match=r"fixed"):
        review.submit(0, better="tie", order=["a", "b", "c"])
    review.submit(0, fixed=PAIRS["a"][0], better="tie", order=["a", "b", "c"])  # no change
    assert review.to_dataset()["fixed"][0] == "answer A0"


def test_edit_suggestion_must_be_text():
    q = nr.Edit("fixed", field="response", suggestion="model_fix")
    assert q.from_suggestion("A fix.") == "A fix."
    assert q.from_suggestion("") is None
    assert q.from_suggestion(None) is None
    assert q.from_suggestion(7) is None


# -- Preference -----------------------------------------------------------------------------------


def test_preference_feature_and_labels():
    q = nr.Preference("better", fields=("a", "b"))
    assert q.labels == ["a", "b", "tie"]
    assert q.feature() == datasets.ClassLabel(names=["a", "b", "tie"])
    assert q.target_columns() == ["a", "b"]
    no_tie = nr.Preference("better", fields=["a", "b"], allow_tie=False)
    assert no_tie.feature() == datasets.ClassLabel(names=["a", "b"])


def test_preference_stores_field_names_not_sides():
    q = nr.Preference("better", fields=("a", "b"))
    assert q.validate("b") == "b"
    assert q.validate("tie") == "tie"
    with pytest.raises(nr.AnswerError, match=r"names the field, not the side"):
        q.validate("left")
    with pytest.raises(nr.AnswerError, match=r"the answers are \['a', 'b', 'tie'\]"):
        q.validate("c")
    with pytest.raises(nr.AnswerError):
        nr.Preference("better", fields=("a", "b"), allow_tie=False).validate("tie")


@pytest.mark.parametrize(
    ("fields", "match"),
    [
        ("ab", r"list of column names"),
        (["a"], r"exactly 2"),
        (["a", "b", "c"], r"exactly 2"),
        (["a", "a"], r"twice"),
        (["a", ""], r"must be column names"),
        (["a", "tie"], r"cannot be told apart from a tie"),
    ],
)
def test_preference_bad_fields(fields, match):
    with pytest.raises(ValueError, match=match):
        nr.Preference("better", fields=fields)


def test_preference_a_field_named_tie_without_ties():
    assert nr.Preference("better", fields=["a", "tie"], allow_tie=False).labels == ["a", "tie"]


def test_preference_flags_are_booleans():
    with pytest.raises(ValueError, match=r"allow_tie is True or False"):
        nr.Preference("better", fields=["a", "b"], allow_tie="yes")


def test_sides_are_seeded_by_key_and_name():
    q = nr.Preference("better", fields=("a", "b"))
    keys = [f"key-{i}" for i in range(200)]
    sides = [q.sides(k) for k in keys]
    assert sides == [q.sides(k) for k in keys]  # the same record always looks the same
    assert set(sides) == {("a", "b"), ("b", "a")}
    swapped = sum(s == ("b", "a") for s in sides)
    assert 70 < swapped < 130  # about half: position bias cancels over a dataset
    other = nr.Preference("other", fields=("a", "b"))
    assert [other.sides(k) for k in keys] != sides  # each question has its own draw
    assert nr.Preference("better", fields=("a", "b")).sides("key-3") == q.sides("key-3")


def test_the_view_carries_the_sides(review):
    session = review.session
    for position in range(len(PAIRS["id"])):
        session.goto(position)
        record = session.view()["record"]
        key = record["key"]
        assert record["layout"]["better"] == {"order": list(review.questions["better"].sides(key))}
        order = record["layout"]["order"]["order"]
        assert order == review.questions["order"].initial_order(key)
        assert sorted(order) == ["a", "b", "c"]
        assert "fixed" not in record["layout"]
        assert {"a", "b", "c"} <= set(record["fields"])  # the compared fields reach the browser


def test_an_answer_from_the_browser_is_a_field_name(review):
    """The browser maps key 1 to the left field; the kernel stores what it is sent."""
    session = review.session
    swapped = next(
        i
        for i, key in enumerate(review.keys.all().to_pylist())
        if review.questions["better"].sides(key) == ("b", "a")
    )
    session.goto(swapped)
    key = session.view()["record"]["key"]
    session.handle({"type": "answer", "seq": 1, "key": key, "question": "better", "value": "b"})
    assert session.notice is None
    session.handle({"type": "answer", "seq": 2, "key": key, "question": "better", "value": "left"})
    assert "not the side" in session.notice["text"]
    assert (
        review.to_dataset().features["better"].int2str(review.to_dataset()["better"][swapped])
        == "b"
    )


def test_strength_is_its_own_column(review):
    assert review.questions.names == ["fixed", "better", "better_strength", "order"]
    assert [s["name"] for s in review.questions.specs()] == ["fixed", "better", "order"]
    review.submit(0, fixed="x", better="b", better_strength="much", order=["c", "a", "b"])
    review.submit(1, fixed="y", better="tie", order=["a", "b", "c"])  # a tie needs no strength
    with pytest.raises(ValueError, match=r"better_strength"):
        review.submit(2, fixed="z", better="a", order=["a", "b", "c"])
    with pytest.raises(nr.AnswerError, match=r"better_strength"):
        review.submit(2, better_strength="very")
    out = review.to_dataset()
    assert out.features["better"] == datasets.ClassLabel(names=["a", "b", "tie"])
    assert out.features["better_strength"] == datasets.ClassLabel(names=["slightly", "much"])
    assert out["better"][:2] == [1, 2]
    assert out["better_strength"][:2] == [1, None]
    assert review.session.view()  # the strength needs no layout, nor a place in the config
    assert [q["name"] for q in review._config()["questions"]] == ["fixed", "better", "order"]


def test_strength_name_collisions_are_refused(make_review, pairs):
    taken = pairs.add_column("better_strength", ["x"] * len(pairs))
    with pytest.raises(ValueError, match=r"better_strength"):
        make_review(taken, fields=["prompt"], questions=compare_questions())
    with pytest.raises(ValueError, match=r"duplicate question names \['better_strength'\]"):
        QuestionSet([*compare_questions(), nr.Label("better_strength", ["x"])])


def test_subclasses_without_a_kind_do_not_replace_their_parent():
    assert Question.from_spec({"name": "v", "kind": "label", "labels": ["x"]}).__class__ is nr.Label


# -- Ranking --------------------------------------------------------------------------------------


def test_ranking_feature_and_validation():
    q = nr.Ranking("order", fields=["a", "b", "c"])
    assert q.feature() == datasets.List(datasets.Value("string"))
    assert q.validate(("c", "a", "b")) == ["c", "a", "b"]
    assert q.validate(None) is None
    for bad, match in [
        (["a", "b"], r"\['c'\] not ranked"),
        (["a", "b", "b"], r"ranked twice"),
        (["a", "b", "c", "d"], r"unknown fields \['d'\]"),
        ("abc", r"a ranking is a list"),
        ({"a": 1}, r"a ranking is a list"),
    ]:
        with pytest.raises(nr.AnswerError, match=match):
            q.validate(bad)


@pytest.mark.parametrize(("fields", "match"), [(["a"], r"at least 2"), (["a", "a"], r"twice")])
def test_ranking_bad_fields(fields, match):
    with pytest.raises(ValueError, match=match):
        nr.Ranking("order", fields=fields)


def test_ranking_initial_order_is_seeded():
    q = nr.Ranking("order", fields=["a", "b", "c", "d"])
    orders = {tuple(q.initial_order(f"k{i}")) for i in range(100)}
    assert len(orders) > 10  # shuffled per record
    assert q.initial_order("k1") == q.initial_order("k1")
    assert sorted(q.initial_order("k1")) == ["a", "b", "c", "d"]


# -- specs, exports, agreement --------------------------------------------------------------------


@pytest.mark.parametrize("q", compare_questions(), ids=lambda q: q.kind)
def test_spec_round_trip(q):
    again = Question.from_spec(q.spec())
    assert type(again) is type(q)
    assert again.spec() == q.spec()


def test_unknown_columns_are_refused(make_review, pairs):
    with pytest.raises(ValueError, match=r"unknown column 'z'"):
        make_review(pairs, fields=["prompt"], questions=[nr.Ranking("r", fields=["a", "z"])])


def test_exports_with_several_annotators(make_review, pairs, store_path):
    alice = make_review(pairs, fields=["prompt"], questions=compare_questions(), id="id")
    bob = make_review(
        pairs, fields=["prompt"], questions=compare_questions(), id="id", annotator="bob"
    )
    for who, better, order, fixed in [
        (alice, "a", ["a", "b", "c"], "same fix"),
        (bob, "a", ["a", "b", "c"], "same fix"),
    ]:
        who.submit(0, fixed=fixed, better=better, better_strength="slightly", order=order)
    alice.submit(1, fixed="alice's", better="a", better_strength="much", order=["a", "b", "c"])
    bob.submit(1, fixed="bob's", better="b", better_strength="much", order=["b", "a", "c"])
    both = alice.to_dataset(annotators="all")
    assert both.features["better"] == datasets.List(datasets.ClassLabel(names=["a", "b", "tie"]))
    assert both["order"][1] == [["a", "b", "c"], ["b", "a", "c"]]
    agreed = alice.to_dataset(annotators="consensus")
    assert agreed["fixed"][:2] == ["same fix", None]  # unanimous or null
    assert agreed["order"][:2] == [["a", "b", "c"], None]
    assert agreed["better"][:2] == [0, None]  # a tie of votes has no majority
    assert agreed["better_strength"][:2] == [0, 1]
    frame = alice.agreement().set_index("question")
    assert frame.loc["better", "level"] == "nominal"
    assert frame.loc["better", "records"] == 2
    assert not np.isnan(frame.loc["better", "alpha"])
    assert frame.loc["order", "note"] == "not computed for rankings"


def test_hub_round_trip(make_review, pairs, tmp_path):
    review = make_review(pairs, fields=["prompt"], questions=compare_questions(), id="id")
    review.submit(0, fixed="fixed", better="b", better_strength="much", order=["c", "b", "a"])
    folder = review.save_hub_folder(tmp_path / "out")
    card = (folder / "README.md").read_text()
    assert "ClassLabel(names=['slightly', 'much'])" in card
    again = nr.Review.from_hub_folder(folder, store=tmp_path / "again.sqlite", annotator="alice")
    try:
        assert [q.spec() for q in again.questions] == [q.spec() for q in review.questions]
        assert again.to_dataset().to_list() == review.to_dataset().to_list()
    finally:
        again.store.close()
