"""Write-back (API.md 3): to_dataset() Features and values, to_pandas(), annotations(), progress."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import datasets
import pandas as pd
import pyarrow as pa
import pytest

import nbreview as nr

VERDICTS = ["good", "bad", "unsure"]
ISSUES = ["factual", "style", "unsafe"]
ADDED = ["quality", "verdict", "issues", "comment", "annotator", "status", "annotated_at"]


def added_features(prefix: str = "") -> dict:
    features = {
        "quality": datasets.Value("int32"),
        "verdict": datasets.ClassLabel(names=VERDICTS),
        "issues": datasets.List(datasets.ClassLabel(names=ISSUES)),
        "comment": datasets.Value("string"),
        "annotator": datasets.Value("string"),
        "status": datasets.Value("string"),
        "annotated_at": datasets.Value("timestamp[us, tz=UTC]"),
    }
    return {prefix + k: v for k, v in features.items()}


def message(review: nr.Review, kind: str, seq: int, **extra) -> None:
    """Send one browser message about the record on screen; it must be accepted."""
    session = review.session
    body = {"type": kind, "seq": seq, "key": review.keys.key(session.position), "elapsed_ms": 5}
    session.handle({**body, **extra})
    assert session.notice is None, session.notice


@pytest.fixture
def worked(make_review):
    """Rows 0 and 3 submitted, row 1 skipped, row 4 a draft, rows 2 and 5 untouched."""
    review = make_review()
    review.submit(0, quality=4, verdict="bad", issues=["unsafe", "factual"], comment="risky")
    review.submit(3, quality=1, verdict="good", issues=[])
    review.position = 1
    message(review, "skip", 1)
    review.position = 4
    message(review, "answer", 2, question="quality", value=5)
    return review


# -- to_dataset -------------------------------------------------------------------------------


def test_to_dataset_features_exactly(worked, ds):
    out = worked.to_dataset()
    assert out.features == datasets.Features({**ds.features, **added_features()})
    assert list(out.features) == [*ds.column_names, *ADDED]
    assert out.column_names == [*ds.column_names, *ADDED]
    schema = out.data.table.schema
    assert schema.field("quality").type == pa.int32()
    assert schema.field("annotated_at").type == pa.timestamp("us", tz="UTC")


def test_to_dataset_keeps_every_input_row_and_column(worked, ds):
    out = worked.to_dataset()
    assert len(out) == len(ds)
    assert out.select_columns(ds.column_names).to_dict() == ds.to_dict()
    # the input is not modified
    assert ds.column_names == ["id", "prompt", "response", "model_score"]


def test_to_dataset_values_and_nulls(worked):
    out = worked.to_dataset()
    assert out["quality"] == [4, None, None, 1, 5, None]
    assert out["verdict"] == [VERDICTS.index("bad"), None, None, VERDICTS.index("good"), None, None]
    assert out.features["verdict"].int2str(out["verdict"][0]) == "bad"
    # label order, as ClassLabel indices; [] stays an answer, distinct from null
    assert out["issues"] == [[0, 2], None, None, [], None, None]
    assert out["comment"] == ["risky", None, None, None, None, None]
    assert out["status"] == ["submitted", "skipped", None, "submitted", "draft", None]
    assert out["annotator"] == ["alice", "alice", None, "alice", "alice", None]


def test_to_dataset_annotated_at(worked):
    out = worked.to_dataset()
    now = datetime.now(timezone.utc)
    stamps = out["annotated_at"]
    assert [s is None for s in stamps] == [False, False, True, False, False, True]
    for s in stamps:
        if s is not None:
            assert s.tzinfo is not None
            assert abs(now - s) < timedelta(minutes=5)
    assert stamps[4] >= stamps[0]  # the draft was written after row 0's submit


def test_to_dataset_prefix(worked, ds):
    out = worked.to_dataset(prefix="review_")
    assert out.features == datasets.Features({**ds.features, **added_features("review_")})
    assert out.column_names == [*ds.column_names, *("review_" + n for n in ADDED)]
    assert out["review_quality"] == [4, None, None, 1, 5, None]


def test_collision_with_input_column_asks_for_a_prefix(make_review, ds):
    data = ds.add_column("annotator", ["gpt"] * 6)  # e.g. the model that wrote the response
    review = make_review(data)
    review.submit(2, quality=2, verdict="unsure", issues=["style"])
    with pytest.raises(ValueError, match=r"prefix") as info:
        review.to_dataset()
    assert "annotator" in str(info.value)
    with pytest.raises(ValueError, match=r"prefix"):
        review.to_pandas()
    out = review.to_dataset(prefix="nbr_")
    assert out["annotator"] == ["gpt"] * 6
    assert out["nbr_annotator"] == [None, None, "alice", None, None, None]
    assert out["nbr_quality"][2] == 2


def test_to_dataset_on_a_shuffled_dataset(make_review, ds):
    make_review().submit(2, quality=5, verdict="good", issues=["style"])  # id r-c
    shuffled = ds.shuffle(seed=9)
    out = make_review(shuffled).to_dataset()
    assert out["id"] == shuffled["id"]
    assert out.select_columns(ds.column_names).to_dict() == shuffled.to_dict()
    for row in out:
        if row["id"] == "r-c":
            assert (row["quality"], row["verdict"], row["issues"]) == (5, 0, [1])
        else:
            assert row["quality"] is None
            assert row["status"] is None


def test_to_dataset_on_a_selected_dataset(make_review, ds):
    make_review().submit(4, quality=2, verdict="bad", issues=[])  # id r-e
    picked = ds.select([5, 4, 0])
    out = make_review(picked).to_dataset()
    assert out.features == datasets.Features({**ds.features, **added_features()})
    assert out["id"] == ["r-f", "r-e", "r-a"]
    assert out["quality"] == [None, 2, None]
    assert out["status"] == [None, "submitted", None]


def test_to_dataset_on_a_dataframe(make_review, df):
    review = make_review(df)
    review.submit(1, quality=3, verdict="good", issues=["factual"])
    out = review.to_dataset()
    assert len(out) == 6
    assert out["id"] == list(df["id"])
    assert out["quality"] == [None, 3, None, None, None, None]
    assert out["model_score"] == [3, None, 5, 9, 1, None]
    for name, feature in added_features().items():
        assert out.features[name] == feature


def test_to_dataset_on_a_dataframe_adds_only_the_review_columns(make_review, df):
    review = make_review(df)
    out = review.to_dataset()
    input_features = datasets.Dataset.from_pandas(df, preserve_index=False).features
    assert out.column_names == [*df.columns, *ADDED]
    assert out.features == datasets.Features({**input_features, **added_features()})


def test_to_dataset_on_a_dataframe_with_default_index(make_review, df):
    plain = df.reset_index(drop=True)
    review = make_review(plain)
    review.submit(0, quality=2, verdict="bad", issues=[])
    out = review.to_dataset()
    input_features = datasets.Dataset.from_pandas(plain).features
    assert out.features == datasets.Features({**input_features, **added_features()})
    assert out["quality"] == [2, None, None, None, None, None]


def test_to_dataset_of_an_empty_dataset_has_the_columns(make_review, ds):
    empty = ds.select([])
    review = make_review(empty)
    out = review.to_dataset()
    assert len(out) == 0
    assert out.features == datasets.Features({**ds.features, **added_features()})


# -- to_pandas --------------------------------------------------------------------------------


def test_to_pandas_keeps_the_dataframe_index_and_columns(make_review, df):
    review = make_review(df)
    review.submit(2, quality=4, verdict="unsure", issues=["style", "factual"], comment="hm")
    frame = review.to_pandas()
    assert frame.index.equals(df.index)
    assert frame.index.name == "row_label"
    assert list(frame.columns) == [*df.columns, *ADDED]
    pd.testing.assert_frame_equal(frame[list(df.columns)], df)
    assert frame.loc[40, "quality"] == 4  # position 2 has label 40
    assert frame.loc[40, "verdict"] == "unsure"  # label names, as in annotations()
    assert frame.loc[40, "issues"] == ["factual", "style"]
    assert frame.loc[40, "comment"] == "hm"
    assert frame.loc[40, "status"] == "submitted"
    assert frame["quality"].isna().tolist() == [True, True, False, True, True, True]


def test_to_pandas_uses_nullable_integer_dtypes_and_label_names(worked, make_review, df):
    for review in (worked, make_review(df)):
        frame = review.to_pandas()
        assert frame["quality"].dtype == pd.Int32Dtype()
        # one choice: a Categorical over every label, in the question's order (API.md 3)
        assert frame["verdict"].dtype == pd.CategoricalDtype(VERDICTS)
        assert frame["annotated_at"].dtype == pd.DatetimeTZDtype("us", "UTC")


def test_to_pandas_names_labels_as_annotations_does(worked):
    frame = worked.to_pandas()
    log = worked.annotations().set_index(["record", "question"])["value"]
    keys = worked.keys.all().to_pylist()
    for position in (0, 3):  # the submitted rows
        row = frame.iloc[position]
        assert row["verdict"] == log[(keys[position], "verdict")]
        assert row["issues"] == log[(keys[position], "issues")]
    assert worked.to_dataset().features["verdict"] == datasets.ClassLabel(names=VERDICTS)


def test_to_pandas_of_a_dataset(worked):
    frame = worked.to_pandas()
    assert isinstance(frame.index, pd.RangeIndex)
    assert frame["quality"].tolist()[0] == 4
    assert frame["quality"].isna().tolist() == [False, True, True, False, False, True]
    assert frame["verdict"].tolist()[:1] == ["bad"]  # the Dataset holds 1, its ClassLabel's
    assert frame["status"].tolist()[:2] == ["submitted", "skipped"]
    assert frame["model_score"].dtype == pd.Int64Dtype()  # an int input column stays integer
    assert frame["issues"].tolist()[0] == ["factual", "unsafe"]
    assert frame["verdict"].isna().tolist() == [False, True, True, False, True, True]


def test_to_pandas_prefix(worked):
    frame = worked.to_pandas(prefix="r_")
    assert list(frame.columns)[4:] == ["r_" + n for n in ADDED]


# -- annotators -------------------------------------------------------------------------------


def test_annotations_one_row_per_record_annotator_question(make_review, ds):
    alice = make_review()
    bob = make_review(annotator="bob")
    alice.submit(0, quality=4, verdict="good", issues=[], comment="ok")
    bob.submit(0, quality=2, verdict="bad", issues=["factual"])
    bob.submit(5, quality=3, verdict="unsure", issues=[])

    table = alice.annotations()
    assert list(table.columns) == [
        "record",
        "annotator",
        "question",
        "value",
        "status",
        "annotated_at",
    ]
    assert len(table) == 4 + 3 + 3
    assert not table.duplicated(["record", "annotator", "question"]).any()
    key0 = alice.keys.key(0)
    bob0 = table[(table.record == key0) & (table.annotator == "bob")]
    assert dict(zip(bob0.question, bob0.value, strict=True)) == {
        "quality": 2,
        "verdict": "bad",
        "issues": ["factual"],
    }
    assert set(table.status) == {"submitted"}
    assert str(table["annotated_at"].dtype).startswith("datetime64")
    assert table["annotated_at"].dt.tz is not None
    # bob sees the same log
    pd.testing.assert_frame_equal(bob.annotations(), table)


def test_to_dataset_takes_the_reviews_own_annotator(make_review):
    alice = make_review()
    bob = make_review(annotator="bob")
    alice.submit(0, quality=4, verdict="good", issues=[])
    bob.submit(0, quality=2, verdict="bad", issues=["factual"])
    bob.submit(5, quality=3, verdict="unsure", issues=[])
    out = alice.to_dataset()
    assert out["quality"] == [4, None, None, None, None, None]
    assert out["annotator"] == ["alice", None, None, None, None, None]
    theirs = bob.to_dataset()
    assert theirs["quality"] == [2, None, None, None, None, 3]
    assert theirs["annotator"] == ["bob", None, None, None, None, "bob"]
    assert alice.progress.submitted == 1
    assert bob.progress.submitted == 2


def test_annotations_of_an_empty_store(make_review):
    table = make_review().annotations()
    assert table.empty
    assert list(table.columns)[:3] == ["record", "annotator", "question"]


def test_reviews_with_different_names_do_not_mix(make_review):
    first = make_review()
    other = make_review(name="second-pass")
    first.submit(0, quality=4, verdict="good", issues=[])
    assert other.to_dataset()["quality"] == [None] * 6
    assert other.annotations().empty
    assert other.progress.submitted == 0


# -- progress ---------------------------------------------------------------------------------


def test_progress_counts(worked):
    assert worked.progress == nr.Progress(total=6, submitted=2, skipped=1, remaining=3)
    assert worked.progress.remaining == 3  # the draft still counts as remaining


def test_progress_of_a_fresh_review(make_review):
    assert make_review().progress == nr.Progress(total=6, submitted=0, skipped=0, remaining=6)


def test_progress_counts_only_records_in_the_data(make_review, ds):
    full = make_review()
    full.submit(0, quality=4, verdict="good", issues=[])
    full.submit(1, quality=4, verdict="good", issues=[])
    subset = make_review(ds.select([1, 2, 3]))
    assert subset.progress == nr.Progress(total=3, submitted=1, skipped=0, remaining=2)


def test_progress_after_every_record_is_done(make_review):
    review = make_review(questions=[nr.Rating("quality")])
    for i in range(6):
        review.submit(i, quality=3)
    assert review.progress == nr.Progress(total=6, submitted=6, skipped=0, remaining=0)
