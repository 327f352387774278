"""Span questions (API.md 2, issue 3): construction, validation, write-back, suggestions, and
the session's messages, whose span offsets are UTF-16 code units."""

from __future__ import annotations

import json
import re

import datasets
import pandas as pd
import pyarrow as pa
import pytest

import nbreview as nr
from nbreview.questions import Question

LABELS = ["factual", "bias"]
TEXT = "👩🏽‍💻 東京: Paris is the capital of Japan 🇯🇵. Cats are dogs."
PLAIN = "The moon is made of cheese."

SPAN_FEATURE = datasets.List(
    {
        "start": datasets.Value("int32"),
        "end": datasets.Value("int32"),
        "label": datasets.Value("string"),
        "text": datasets.Value("string"),
    }
)


def at(text: str, word: str, label: str = "factual", nth: int = 0) -> dict:
    """The code point span of the nth occurrence of `word` in `text`."""
    start = [m.start() for m in re.finditer(re.escape(word), text)][nth]
    return {"start": start, "end": start + len(word), "label": label}


def utf16(text: str, span: dict) -> dict:
    """The same span as the browser sends it."""

    def u(i: int) -> int:
        return len(text[:i].encode("utf-16-le")) // 2

    return {**span, "start": u(span["start"]), "end": u(span["end"])}


def spans(**kwargs) -> nr.Spans:
    return nr.Spans("errors", field="response", labels=LABELS, **kwargs)


@pytest.fixture
def data() -> datasets.Dataset:
    return datasets.Dataset.from_dict(
        {
            "id": ["a", "b", "c"],
            "response": [TEXT, PLAIN, None],
            "score": [1, 2, 3],
            "model": [
                [
                    at(TEXT, "Japan"),
                    at(TEXT, "Paris", "bias"),
                    {"start": 0, "end": 999, "label": "x"},
                ],
                [{"start": 0, "end": 3, "label": "nope"}],
                [],
            ],
        }
    )


@pytest.fixture
def review(make_review, data):
    def build(**kwargs):
        kwargs.setdefault("fields", ["response"])
        kwargs.setdefault("questions", [spans(), nr.Rating("quality")])
        return make_review(data, id="id", **kwargs)

    return build


def send(review: nr.Review, kind: str, **body) -> dict:
    session = review.session
    session.handle({"type": kind, "seq": session.ack + 1, "elapsed_ms": 0, **body})
    view = session.view()
    json.dumps(view)
    return view


def key(review: nr.Review) -> str:
    return review.session.view()["record"]["key"]


# -- the question ------------------------------------------------------------------------------


def test_spans_defaults_and_spec_round_trip():
    q = spans()
    assert (q.name, q.field, q.labels, q.overlap, q.required, q.suggestion) == (
        "errors",
        "response",
        LABELS,
        False,
        True,
        None,
    )
    assert q.kind == "spans"
    assert q.target_columns() == ["response"]
    assert repr(q) == "nr.Spans('errors', field='response')"
    for q in [spans(), spans(overlap=True, required=False, suggestion="model")]:
        again = Question.from_spec(json.loads(json.dumps(q.spec())))
        assert isinstance(again, nr.Spans)
        assert again.spec() == q.spec()
    assert spans(overlap=True).spec()["overlap"] is True


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"labels": []}, r"question 'errors': the label list is empty"),
        ({"labels": "bias"}, r"labels must be a list of strings"),
        ({"labels": ["a", "a"]}, r"duplicate labels \['a'\]"),
        ({"labels": ["a", ""]}, r"labels must be non-empty strings"),
        ({"field": ""}, r"field names the text column to mark"),
        ({"field": 3}, r"field names the text column to mark"),
        ({"overlap": "yes"}, r"overlap is True or False"),
    ],
)
def test_bad_spans_arguments_are_refused(kwargs, match):
    args = {"field": "response", "labels": LABELS, **kwargs}
    with pytest.raises(ValueError, match=match):
        nr.Spans("errors", **args)


def test_the_feature_is_a_list_of_structs():
    q = spans()
    assert q.feature() == SPAN_FEATURE
    assert q.arrow_type() == pa.list_(
        pa.struct(
            [
                ("start", pa.int32()),
                ("end", pa.int32()),
                ("label", pa.string()),
                ("text", pa.string()),
            ]
        )
    )


# -- building a review ---------------------------------------------------------------------------


def test_a_spans_question_on_a_non_text_column_is_refused(make_review, data, store_path):
    q = nr.Spans("errors", field="score", labels=LABELS)
    with pytest.raises(ValueError, match=r"question 'errors': spans mark text, but column 'score'"):
        make_review(data, fields=["response"], questions=[q])
    assert not store_path.exists()


def test_a_spans_question_on_an_unknown_column_is_refused(make_review, data):
    q = nr.Spans("errors", field="answer", labels=LABELS)
    with pytest.raises(ValueError, match=r"unknown column 'answer' \(question 'errors'\)"):
        make_review(data, fields=["response"], questions=[q])


def test_dataframe_text_columns_are_text_and_others_are_not(make_review):
    frame = pd.DataFrame({"response": [PLAIN, None], "n": [1, 2], "lists": [[1], [2]]})
    make_review(frame, fields=["response"], questions=[spans()])
    for column in ("n", "lists"):
        q = nr.Spans("errors", field=column, labels=LABELS)
        with pytest.raises(ValueError, match=f"column '{column}' does not hold strings"):
            make_review(frame, fields=["response"], questions=[q])


# -- validation ----------------------------------------------------------------------------------


def test_valid_spans_are_sorted_and_carry_their_text():
    q = spans(overlap=True)
    record = {"response": TEXT}
    value = [at(TEXT, "Japan"), at(TEXT, "Paris", "bias"), at(TEXT, "Paris"), at(TEXT, "東京")]
    stored = q.validate(value, record)
    assert [s["text"] for s in stored] == ["東京", "Paris", "Paris", "Japan"]
    assert [s["label"] for s in stored] == ["factual", "bias", "factual", "factual"]
    assert all(TEXT[s["start"] : s["end"]] == s["text"] for s in stored)
    assert [list(s) for s in stored] == [["start", "end", "label", "text"]] * 4


def test_nothing_to_mark_is_an_answer_and_none_is_not():
    q = spans()
    assert q.validate([], {"response": TEXT}) == []
    assert q.is_answered([]) is True
    assert q.validate(None, {"response": TEXT}) is None
    assert q.is_answered(None) is False


def test_a_null_text_takes_only_the_empty_answer():
    q = spans()
    assert q.validate([], {"response": None}) == []
    with pytest.raises(nr.AnswerError, match=r"out of range \(the text has 0 characters\)"):
        q.validate([{"start": 0, "end": 1, "label": "bias"}], {"response": None})


def test_extra_keys_are_dropped_and_a_matching_text_is_kept():
    q = spans()
    span = {**at(PLAIN, "moon"), "text": "moon", "score": 0.9}
    assert q.validate([span], {"response": PLAIN}) == [{**at(PLAIN, "moon"), "text": "moon"}]


BAD = [
    ("moon", r"spans are a list of \{start, end, label\} dicts"),
    ({"start": 4, "end": 8, "label": "bias"}, r"spans are a list"),
    (["moon"], r"a span is a dict with start, end and label"),
    ([{"start": 4, "end": 8}], r"it has no label"),
    ([{"label": "bias"}], r"it has no start, end"),
    ([{"start": 4.0, "end": 8, "label": "bias"}], r"start must be a whole number, got 4.0"),
    ([{"start": True, "end": 8, "label": "bias"}], r"start must be a whole number"),
    ([{"start": 4, "end": "8", "label": "bias"}], r"end must be a whole number"),
    (
        [{"start": 4, "end": 8, "label": "typo"}],
        r"unknown label; the labels are \['factual', 'bias'\]",
    ),
    ([{"start": 8, "end": 4, "label": "bias"}], r"start must come before end"),
    ([{"start": 4, "end": 4, "label": "bias"}], r"start must come before end"),
    ([{"start": -1, "end": 4, "label": "bias"}], r"out of range \(the text has 27 characters\)"),
    ([{"start": 20, "end": 28, "label": "bias"}], r"out of range"),
    (
        [{"start": 4, "end": 8, "label": "bias", "text": "noon"}],
        r"its text 'noon' is not the text there, 'moon'",
    ),
    (
        [{"start": 4, "end": 8, "label": "bias"}, {"start": 4, "end": 8, "label": "bias"}],
        r"it is marked twice \('moon'\)",
    ),
    (
        [{"start": 0, "end": 8, "label": "bias"}, {"start": 4, "end": 11, "label": "factual"}],
        r"'moon is' overlaps 'The moon' \(bias\), and this question does not allow overlapping",
    ),
    (
        [{"start": 4, "end": 8, "label": "bias"}, {"start": 4, "end": 8, "label": "factual"}],
        r"overlaps",
    ),
]


@pytest.mark.parametrize(("value", "match"), BAD)
def test_bad_spans_are_refused_naming_the_problem(value, match):
    with pytest.raises(nr.AnswerError, match=match) as info:
        spans().validate(value, {"response": PLAIN})
    assert str(info.value).startswith("errors: ")


def test_overlap_true_takes_nested_and_crossing_spans_but_not_twins():
    q = spans(overlap=True)
    record = {"response": PLAIN}
    nested = [{"start": 0, "end": 11, "label": "bias"}, {"start": 4, "end": 8, "label": "factual"}]
    crossing = [{"start": 0, "end": 8, "label": "bias"}, {"start": 4, "end": 11, "label": "bias"}]
    same_range = [
        {"start": 4, "end": 8, "label": "bias"},
        {"start": 4, "end": 8, "label": "factual"},
    ]
    for value in (nested, crossing, same_range):
        assert len(q.validate(value, record)) == 2
    with pytest.raises(nr.AnswerError, match="marked twice"):
        q.validate([nested[1], nested[1]], record)


def test_touching_spans_do_not_overlap():
    value = [{"start": 0, "end": 3, "label": "bias"}, {"start": 3, "end": 8, "label": "bias"}]
    assert len(spans().validate(value, {"response": PLAIN})) == 2


def test_spans_need_the_record_to_be_checked():
    with pytest.raises(nr.AnswerError, match=r"checked against the text of 'response'"):
        spans().validate([], None)
    with pytest.raises(nr.AnswerError, match=r"which was not given"):
        spans().validate([], {"prompt": "x"})


def test_other_kinds_ignore_the_record():
    assert nr.Rating("q").validate(3, {"response": PLAIN}) == 3
    assert nr.MultiLabel("m", ["a"]).validate(["a"], {"x": 1}) == ["a"]


# -- submit and write-back ---------------------------------------------------------------------


def test_submit_fills_the_text_and_to_dataset_slices_it(review):
    r = review()
    r.submit(0, errors=[at(TEXT, "Japan"), at(TEXT, "Paris", "bias")], quality=2)
    r.submit(1, errors=[], quality=5)
    out = r.to_dataset()
    assert out.features["errors"] == SPAN_FEATURE
    assert out.data.table.schema.field("errors").type == spans().arrow_type()
    first = out["errors"][0]
    assert [s["text"] for s in first] == ["Paris", "Japan"]  # sorted by start
    for s in first:
        assert TEXT[s["start"] : s["end"]] == s["text"]
    assert out["errors"][1:] == [[], None]
    frame = r.to_pandas()
    assert frame["errors"][0] == first
    assert frame["errors"][1] == []


def test_to_dataset_features_match_when_nothing_is_answered(review):
    out = review().to_dataset()
    assert out.features["errors"] == SPAN_FEATURE
    assert out["errors"] == [None, None, None]


def test_a_bad_submit_stores_nothing(review):
    r = review()
    with pytest.raises(nr.AnswerError, match=r"is not the text there"):
        r.submit(1, errors=[{**at(PLAIN, "moon"), "text": "sun"}], quality=3)
    assert r.annotations().empty


# -- suggestions ---------------------------------------------------------------------------------


def test_suggested_spans_are_offered_one_by_one_in_browser_units(review):
    r = review(questions=[spans(suggestion="model"), nr.Rating("quality")])
    view = r.session.view()
    suggested = view["record"]["suggestions"]["errors"]
    # The out-of-range span is left out; the two good ones are offered, sorted, with text.
    assert suggested == [
        {**utf16(TEXT, at(TEXT, "Paris", "bias")), "text": "Paris"},
        {**utf16(TEXT, at(TEXT, "Japan")), "text": "Japan"},
    ]
    view = send(r, "accept", key="a")
    assert view["notice"] is None
    assert view["record"]["answers"]["errors"] == suggested
    stored = r.store.record(r.name, r.annotator, "a").answers["errors"]
    assert stored == [
        {**at(TEXT, "Paris", "bias"), "text": "Paris"},
        {**at(TEXT, "Japan"), "text": "Japan"},
    ]


def test_a_suggestion_with_nothing_usable_is_not_offered_but_an_empty_one_is(review):
    r = review(questions=[spans(suggestion="model")])
    assert "errors" not in r.session.suggestions(1)  # its only span has an unknown label
    assert r.session.suggestions(2) == {"errors": []}  # the model found nothing to mark


def test_suggested_spans_that_overlap_keep_the_first_given(make_review):
    frame = pd.DataFrame(
        {
            "response": [PLAIN],
            "model": [[at(PLAIN, "moon is"), at(PLAIN, "moon"), at(PLAIN, "is made", "bias")]],
        }
    )
    r = make_review(frame, fields=["response"], questions=[spans(suggestion="model")])
    assert [s["text"] for s in r.session.suggestions(0)["errors"]] == ["moon is"]
    r2 = make_review(
        frame,
        fields=["response"],
        questions=[spans(overlap=True, suggestion="model")],
        store=r.store.url.replace(".sqlite", "-2.sqlite"),
    )
    texts = [s["text"] for s in r2.session.suggestions(0)["errors"]]
    assert texts == ["moon", "moon is", "is made"]  # sorted by start, then end


# -- the session: UTF-16 in the browser, code points in the store --------------------------------


def test_answers_arrive_in_utf16_and_are_stored_in_code_points(review):
    r = review()
    paris, japan = at(TEXT, "Paris"), at(TEXT, "Japan", "bias")
    sent = [utf16(TEXT, japan), {**utf16(TEXT, paris), "text": "Paris"}]
    assert sent[1]["start"] != paris["start"]  # the emoji before it take two units each
    view = send(r, "answer", key="a", question="errors", value=sent)
    assert view["notice"] is None
    stored = r.store.record(r.name, r.annotator, "a").answers["errors"]
    assert stored == [{**paris, "text": "Paris"}, {**japan, "text": "Japan"}]
    shown = view["record"]["answers"]["errors"]
    assert shown == [
        {**utf16(TEXT, paris), "text": "Paris"},
        {**utf16(TEXT, japan), "text": "Japan"},
    ]
    assert view["record"]["fields"]["response"] == TEXT


@pytest.mark.parametrize(
    ("value", "match"),
    [
        ([{"start": 0, "end": 1, "label": "bias"}], r"a span edge splits a character"),
        ([{"start": 0, "end": 2, "label": "nope"}], r"unknown label"),
        ([{"start": 0, "end": 500, "label": "bias"}], r"out of range"),
        ([{"start": 0, "end": 2, "label": "bias", "text": "x"}], r"is not the text there"),
    ],
)
def test_a_bad_span_is_refused_with_a_notice_and_nothing_else_is_lost(review, value, match):
    r = review()
    send(r, "answer", key="a", question="quality", value=4)
    good = [utf16(TEXT, at(TEXT, "Paris"))]
    send(r, "answer", key="a", question="errors", value=good)
    view = send(r, "answer", key="a", question="errors", value=value)
    assert view["notice"]["kind"] == "error"
    assert re.search(match, view["notice"]["text"]), view["notice"]["text"]
    assert view["notice"]["text"].startswith("errors: ")
    assert view["record"]["answers"] == {
        "quality": 4,
        "errors": [{**good[0], "text": "Paris"}],
    }


def test_overlap_is_refused_by_the_kernel_too(review):
    r = review()
    a, b = at(TEXT, "Paris is"), at(TEXT, "is the", "bias")
    view = send(r, "answer", key="a", question="errors", value=[utf16(TEXT, a), utf16(TEXT, b)])
    assert "does not allow overlapping spans" in view["notice"]["text"]
    assert "errors" not in view["record"]["answers"]


def test_spans_answers_undo_and_submit_like_any_other(review):
    r = review()
    first = [utf16(TEXT, at(TEXT, "Paris"))]
    send(r, "answer", key="a", question="errors", value=first)
    send(r, "answer", key="a", question="errors", value=[])
    view = send(r, "undo")
    assert [s["text"] for s in view["record"]["answers"]["errors"]] == ["Paris"]
    send(r, "answer", key="a", question="quality", value=3)
    view = send(r, "submit", key="a")
    assert view["record"]["key"] == "b"
    assert r.to_dataset()["errors"][0] == [{**at(TEXT, "Paris"), "text": "Paris"}]


def test_a_required_spans_question_must_be_answered_before_submit(review):
    r = review()
    send(r, "answer", key="a", question="quality", value=3)
    view = send(r, "submit", key="a")
    assert view["notice"]["text"] == "Answer the required questions first: errors"
    send(r, "answer", key="a", question="errors", value=[])
    assert send(r, "submit", key="a")["record"]["key"] == "b"


def test_the_widget_config_describes_the_question(review):
    config = review()._config()
    assert config["questions"][0] == {
        "name": "errors",
        "kind": "spans",
        "required": True,
        "field": "response",
        "labels": LABELS,
        "overlap": False,
    }
    assert config["one_key"] is False


def test_the_spans_field_is_sent_when_it_is_not_shown(review):
    r = review(fields=["score"])
    assert r.session.view()["record"]["fields"] == {"score": 1, "response": TEXT}
