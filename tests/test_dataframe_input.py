"""DataFrames that build must display: integer column names work (named by their text),
duplicate or unusable names are refused when the Review is built, and a column mixing value
types is shown value by value and read as text where one type is needed."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import nbreview as nr
from nbreview._data.keys import content_key


def fields_shown(review: nr.Review) -> dict:
    return review.session.view()["record"]["fields"]


# -- integer column names ---------------------------------------------------------------------


@pytest.fixture
def numbered() -> pd.DataFrame:
    """Integer column labels, as read_csv(header=None) gives."""
    return pd.DataFrame(
        {0: ["What is 2 + 2?", "Name a colour.", "Say hi."], 1: ["4", "blue", "hello"]},
        index=[10, 20, 30],
    )


def test_integer_column_names_are_shown_and_exported_by_their_text(make_review, numbered):
    review = make_review(numbered, fields=None, questions=[nr.Rating("quality")])
    assert [f.column for f in review.fields] == ["0", "1"]
    assert fields_shown(review) == {"0": "What is 2 + 2?", "1": "4"}
    review.submit(1, quality=4)
    out = review.to_pandas()
    assert list(out.columns[:3]) == ["0", "1", "quality"]
    assert list(out.index) == [10, 20, 30]  # the index is kept
    assert out["1"].tolist() == ["4", "blue", "hello"]
    assert out["quality"].tolist()[1] == 4
    assert out["quality"].isna().sum() == 2
    ds = review.to_dataset()
    assert ds.column_names[:3] == ["0", "1", "quality"]
    assert ds[1]["0"] == "Name a colour."
    assert ds[1]["quality"] == 4
    # the caller's frame keeps its own labels
    assert list(numbered.columns) == [0, 1]


def test_integer_column_names_work_for_fields_id_search_and_sort(make_review, numbered):
    numbered[2] = ["a", "b", "c"]
    review = make_review(
        numbered,
        fields=[nr.Markdown("1")],
        id="2",
        questions=[nr.Spans("marks", field="0", labels=["math"])],
    )
    assert fields_shown(review) == {"1": "4", "0": "What is 2 + 2?"}
    assert review.session.view()["record"]["key"] == "a"
    review.submit(0, marks=[{"start": 0, "end": 4, "label": "math"}])
    assert review.to_pandas()["marks"].tolist()[0][0]["start"] == 0
    review.queue(search="blue")
    assert fields_shown(review)["1"] == "blue"
    review.queue(sort="0")  # "Name a colour." sorts first
    assert review.session.view()["record"]["row"] == 1


def test_a_frame_made_from_an_array_works(make_review):
    frame = pd.DataFrame(np.array([["a", "b"], ["c", "d"]]))  # RangeIndex labels 0, 1
    review = make_review(frame, fields=["1"], questions=[nr.Label("verdict", ["good", "bad"])])
    assert fields_shown(review) == {"1": "b"}
    review.submit(1, verdict="bad")
    ds = review.to_dataset()
    assert ds.features["verdict"].int2str(ds["verdict"][1]) == "bad"


def test_an_unknown_integer_field_lists_the_names_to_use(make_review, numbered):
    with pytest.raises(ValueError, match=r"unknown column '5' .*\['0', '1'\]"):
        make_review(numbered, fields=["5"])


# -- duplicate and unusable names -------------------------------------------------------------


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (
            pd.DataFrame([["a", "b", "c"]], columns=["text", "text", "other"]),
            r"duplicate column names \['text'\]; give each column its own name",
        ),
        (
            pd.DataFrame({0: ["a"], "0": ["b"]}),
            r"duplicate column names \['0'\]; 0 and '0' are both named '0'",
        ),
        (
            pd.DataFrame([["a", "b"]], columns=pd.MultiIndex.from_tuples([("x", "y"), ("x", "z")])),
            r"MultiIndex columns; flatten them",
        ),
        (pd.DataFrame({1.5: ["a"]}), r"column name 1\.5 \(float\) is neither text nor an integer"),
        (pd.DataFrame({True: ["a"]}), r"column name True \(bool\) is neither"),
    ],
    ids=["duplicates", "int-and-text-clash", "multiindex", "float-name", "bool-name"],
)
def test_unusable_column_names_are_refused_before_a_store_exists(
    make_review, store_path, frame, message
):
    with pytest.raises(ValueError, match=message):
        make_review(frame, fields=None, questions=[nr.Rating("quality")])
    assert not store_path.exists()


# -- object columns ---------------------------------------------------------------------------


MIXED = [1, "a", None, {"x": 1}]


@pytest.fixture
def mixed() -> pd.DataFrame:
    return pd.DataFrame({"prompt": ["p1", "p2", "p3", "p4"], "meta": list(MIXED)})


def test_a_column_mixing_value_types_is_shown_value_by_value(make_review, mixed):
    review = make_review(mixed, fields=["prompt", "meta"], questions=[nr.Rating("quality")])
    shown = []
    for position in range(4):
        review.position = position
        shown.append(fields_shown(review)["meta"])
    assert shown == MIXED
    # keys hash the values as they are, as before: answers saved earlier are found
    assert review.session.view()["record"]["key"] == content_key({"prompt": "p4", "meta": MIXED[3]})
    review.submit(3, quality=2)
    out = review.to_pandas()
    assert out["meta"].tolist() == MIXED  # the frame's own objects
    assert out["quality"].tolist()[3] == 2


def test_a_mixed_column_is_exported_as_text_with_a_warning_once(make_review, mixed):
    review = make_review(mixed, fields=["prompt"], questions=[nr.Rating("quality")])
    review.submit(0, quality=5)
    with pytest.warns(UserWarning, match=r"column 'meta' mixes values of types dict, int, str"):
        ds = review.to_dataset()
    assert ds["meta"] == ["1", "a", None, '{"x": 1}']
    assert ds.features["meta"].dtype == "string"
    assert ds["quality"] == [5, None, None, None]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert review.to_dataset()["meta"] == ["1", "a", None, '{"x": 1}']  # told once


def test_search_filter_and_sort_read_a_mixed_column_as_text(make_review, mixed):
    review = make_review(mixed, fields=["prompt", "meta"], questions=[nr.Rating("quality")])
    with pytest.warns(UserWarning, match=r"'meta' mixes"):
        review.queue(search='"x"')
    assert fields_shown(review)["meta"] == {"x": 1}
    review.queue("meta = 'a'")
    assert fields_shown(review) == {"prompt": "p2", "meta": "a"}
    review.queue(sort="-meta")  # '{"x": 1}' > 'a' > '1', nulls last
    assert fields_shown(review)["prompt"] == "p4"


def test_a_chat_column_with_a_stray_string_exports_and_searches(make_review):
    chat = [{"role": "user", "content": "hello there"}]
    frame = pd.DataFrame({"messages": [chat] * 30 + ["not a chat"]})
    review = make_review(frame, fields=[nr.Chat("messages")], questions=[nr.Rating("quality")])
    review.position = 30
    assert fields_shown(review)["messages"] == "not a chat"  # shown as data
    with pytest.warns(UserWarning, match=r"'messages' mixes values of types list, str"):
        review.queue(search="not a")
    assert review.session.view()["record"]["row"] == 30
    ds = review.to_dataset()
    assert ds["messages"][0] == '[{"role": "user", "content": "hello there"}]'
    assert ds["messages"][30] == "not a chat"


def test_object_columns_of_one_kind_each_work_all_the_way(make_review):
    frame = pd.DataFrame(
        {
            "prompt": pd.Series(["p1", "p2", "p3"], dtype=object),  # strings kept as objects
            "meta": [{"a": 1}, {"b": "z"}, None],  # dicts with different keys: one struct
            "tags": [["x"], [], ["y", "z"]],
            "score": pd.Series([1, 2.5, None], dtype=object),  # ints and floats: doubles
            "empty": pd.Series([None, None, None], dtype=object),
            "vector": [np.zeros(2), np.ones(2), np.arange(2.0)],
        }
    )
    review = make_review(frame, fields=["prompt", "meta", "tags"], questions=[nr.Rating("q")])
    assert fields_shown(review) == {"prompt": "p1", "meta": {"a": 1}, "tags": ["x"]}
    review.submit(2, q=5)
    out = review.to_pandas()
    assert out["q"].tolist()[2] == 5
    assert out["meta"].tolist()[1] == {"b": "z"}  # the frame's own objects, as they are
    ds = review.to_dataset()
    assert ds[1]["meta"] == {"a": None, "b": "z"}
    assert ds[2]["tags"] == ["y", "z"]
    assert ds["score"] == [1.0, 2.5, None]
    assert ds["vector"][2] == [0.0, 1.0]
    review.queue(search="p2")
    assert fields_shown(review)["prompt"] == "p2"
