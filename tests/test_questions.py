"""Questions: argument checks, answer validation and the `datasets` Feature of each (API.md 2)."""

from __future__ import annotations

import datasets
import numpy as np
import pyarrow as pa
import pytest

import nbreview as nr
from nbreview.questions import QuestionSet

# -- Rating -----------------------------------------------------------------------------------


def test_rating_defaults():
    q = nr.Rating("quality")
    assert q.name == "quality"
    assert q.scale == 5
    assert q.labels is None
    assert q.required is True
    assert q.suggestion is None


@pytest.mark.parametrize("scale", [1, 0, -3])
def test_rating_scale_below_two_is_refused(scale):
    with pytest.raises(ValueError, match=r"scale") as info:
        nr.Rating("quality", scale=scale)
    assert "quality" in str(info.value)


@pytest.mark.parametrize("scale", [True, 5.0, "5", None])
def test_rating_scale_must_be_an_integer(scale):
    with pytest.raises(ValueError, match=r"scale"):
        nr.Rating("quality", scale=scale)


def test_rating_scale_two_is_the_smallest():
    assert nr.Rating("ok", scale=2).scale == 2


def test_rating_labels_one_per_value():
    q = nr.Rating("quality", scale=3, labels=["bad", "ok", "good"])
    assert q.labels == ["bad", "ok", "good"]
    with pytest.raises(ValueError, match=r"2 labels for a scale of 3"):
        nr.Rating("quality", scale=3, labels=["bad", "good"])
    with pytest.raises(ValueError, match=r"labels"):
        nr.Rating("quality", scale=3, labels=["bad", "ok", "good", "great"])
    with pytest.raises(ValueError, match=r"empty"):
        nr.Rating("quality", scale=3, labels=[])


@pytest.mark.parametrize("value", [1, 3, 5, np.int64(4)])
def test_rating_accepts_whole_numbers_in_range(value):
    q = nr.Rating("quality", scale=5)
    stored = q.validate(value)
    assert stored == value
    assert type(stored) is int


@pytest.mark.parametrize("value", [0, 6, -1, 100])
def test_rating_out_of_range_is_refused(value):
    q = nr.Rating("quality", scale=5)
    with pytest.raises(nr.AnswerError, match=r"out of range 1\.\.5") as info:
        q.validate(value)
    assert isinstance(info.value, ValueError)
    assert str(info.value).startswith("quality:")


@pytest.mark.parametrize("value", [True, False, 3.0, 2.5, "3", [3]])
def test_rating_refuses_bool_float_and_text(value):
    with pytest.raises(nr.AnswerError, match=r"quality"):
        nr.Rating("quality", scale=5).validate(value)


def test_rating_none_is_no_answer():
    q = nr.Rating("quality")
    assert q.validate(None) is None
    assert not q.is_answered(None)
    assert q.is_answered(1)


def test_rating_feature_is_int32():
    q = nr.Rating("quality", scale=7)
    assert q.feature() == datasets.Value("int32")
    assert q.arrow_type() == pa.int32()
    assert q.to_arrow([3, None, 7]).to_pylist() == [3, None, 7]
    assert q.to_arrow([3, None]).type == pa.int32()


# -- Label ------------------------------------------------------------------------------------


def test_label_validates_against_its_labels():
    q = nr.Label("verdict", ["good", "bad"])
    assert q.required is True
    assert q.validate("bad") == "bad"
    assert q.validate(None) is None
    for wrong in ["Good", "neutral", "", 0, ["good"]]:
        with pytest.raises(nr.AnswerError, match=r"verdict: .* unknown label"):
            q.validate(wrong)


@pytest.mark.parametrize("kind", [nr.Label, nr.MultiLabel])
def test_empty_label_list_is_refused(kind):
    with pytest.raises(ValueError, match=r"label list is empty") as info:
        kind("topic", [])
    assert "topic" in str(info.value)


@pytest.mark.parametrize("kind", [nr.Label, nr.MultiLabel])
def test_duplicate_labels_are_refused(kind):
    with pytest.raises(ValueError, match=r"duplicate labels \['a'\]"):
        kind("topic", ["a", "b", "a"])


@pytest.mark.parametrize("labels", ["abc", ["a", ""], ["a", 1], None])
def test_labels_must_be_a_list_of_nonempty_strings(labels):
    with pytest.raises(ValueError, match=r"labels"):
        nr.Label("topic", labels)


def test_label_feature_is_classlabel_of_its_labels():
    q = nr.Label("verdict", ["good", "bad", "unsure"])
    feature = q.feature()
    assert feature == datasets.ClassLabel(names=["good", "bad", "unsure"])
    assert feature.names == ["good", "bad", "unsure"]
    # the column holds the ClassLabel index of the chosen label
    assert q.to_arrow(["unsure", None, "good"]).to_pylist() == [2, None, 0]


# -- MultiLabel -------------------------------------------------------------------------------


def test_multilabel_normalises_to_label_order():
    q = nr.MultiLabel("issues", ["factual", "style", "unsafe"])
    assert q.validate(["unsafe", "factual"]) == ["factual", "unsafe"]
    assert q.validate(("style",)) == ["style"]


def test_multilabel_empty_list_is_a_real_answer():
    q = nr.MultiLabel("issues", ["factual", "style"])
    assert q.required is True
    assert q.validate([]) == []
    assert q.is_answered([])
    assert not q.is_answered(None)
    qs = QuestionSet([q])
    assert qs.missing({"issues": []}) == []
    assert qs.missing({}) == ["issues"]


@pytest.mark.parametrize("value", [["factual", "nope"], ["Factual"], "factual", 3, {"x": 1}])
def test_multilabel_refuses_unknown_labels_and_non_lists(value):
    with pytest.raises(nr.AnswerError, match=r"issues"):
        nr.MultiLabel("issues", ["factual", "style"]).validate(value)


def test_multilabel_feature_is_list_of_classlabel():
    q = nr.MultiLabel("issues", ["factual", "style", "unsafe"])
    feature = q.feature()
    assert feature == datasets.List(datasets.ClassLabel(names=["factual", "style", "unsafe"]))
    assert isinstance(feature, datasets.List)
    assert feature.feature.names == ["factual", "style", "unsafe"]
    assert q.to_arrow([["style", "unsafe"], [], None]).to_pylist() == [[1, 2], [], None]


# -- FreeText ---------------------------------------------------------------------------------


def test_freetext_is_optional_by_default():
    assert nr.FreeText("comment").required is False
    assert nr.FreeText("comment", required=True).required is True
    assert QuestionSet([nr.FreeText("comment")]).missing({}) == []


def test_freetext_empty_string_is_no_answer():
    q = nr.FreeText("reference", required=True)
    assert q.validate("") is None  # a cleared box is stored as no answer (null) ...
    assert not q.is_answered("")  # ... but does not answer a required question
    assert q.is_answered("a reference answer")
    qs = QuestionSet([q])
    assert qs.missing({"reference": ""}) == ["reference"]
    assert qs.missing({"reference": "ok"}) == []


@pytest.mark.parametrize("value", [3, ["text"], b"bytes"])
def test_freetext_refuses_non_strings(value):
    with pytest.raises(nr.AnswerError, match=r"comment"):
        nr.FreeText("comment").validate(value)


def test_freetext_feature_is_string():
    q = nr.FreeText("comment")
    assert q.feature() == datasets.Value("string")
    assert q.arrow_type() == pa.string()


# -- common -----------------------------------------------------------------------------------


def test_required_can_be_switched_off():
    assert nr.Rating("q", required=False).required is False
    assert nr.Label("l", ["a"], required=False).required is False
    qs = QuestionSet([nr.Rating("q", required=False), nr.Label("l", ["a"], required=False)])
    assert qs.missing({}) == []


@pytest.mark.parametrize("name", ["", "   ", None, 3])
def test_question_name_must_be_a_nonempty_string(name):
    with pytest.raises(ValueError, match=r"name"):
        nr.Rating(name)


def test_all_features_together_match_api_table():
    qs = [
        nr.Rating("quality"),
        nr.Label("verdict", ["good", "bad"]),
        nr.MultiLabel("issues", ["x", "y"]),
        nr.FreeText("comment"),
    ]
    features = datasets.Features({q.name: q.feature() for q in qs})
    assert features == datasets.Features(
        {
            "quality": datasets.Value("int32"),
            "verdict": datasets.ClassLabel(names=["good", "bad"]),
            "issues": datasets.List(datasets.ClassLabel(names=["x", "y"])),
            "comment": datasets.Value("string"),
        }
    )


def test_questionset_refuses_duplicate_names_and_unknown_questions():
    with pytest.raises(ValueError, match=r"duplicate question names \['quality'\]"):
        QuestionSet([nr.Rating("quality"), nr.Label("quality", ["a"])])
    qs = QuestionSet([nr.Rating("quality")])
    with pytest.raises(nr.AnswerError, match=r"no question 'qualty'"):
        qs.validate({"qualty": 3})


def test_questionset_validates_every_answer_before_returning():
    qs = QuestionSet([nr.Rating("quality"), nr.Label("verdict", ["good", "bad"])])
    assert qs.validate({"quality": 2, "verdict": "good"}) == {"quality": 2, "verdict": "good"}
    with pytest.raises(nr.AnswerError, match=r"verdict"):
        qs.validate({"quality": 2, "verdict": "great"})


def test_one_key_only_for_a_single_rating_or_label():
    assert QuestionSet([nr.Rating("q")]).one_key
    assert QuestionSet([nr.Label("l", ["a", "b"])]).one_key
    assert not QuestionSet([nr.MultiLabel("m", ["a"])]).one_key
    assert not QuestionSet([nr.FreeText("t")]).one_key
    assert not QuestionSet([nr.Rating("q"), nr.Label("l", ["a"])]).one_key
