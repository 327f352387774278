"""Bad input (API.md 1, issue 2): a clear ValueError/IndexError, and nothing stored or changed."""

from __future__ import annotations

import datasets
import pytest

import nbreview as nr


def rating():
    return nr.Rating("quality", scale=5)


# -- a Review that cannot be built ------------------------------------------------------------

BAD_BUILDS = [
    pytest.param(
        {"fields": ["prompt", "answer"]}, r"unknown column 'answer' \(fields\)", id="field"
    ),
    pytest.param(
        {"fields": ["prompt", nr.Markdown("respons")]},
        r"unknown column 'respons' \(fields\)",
        id="markdown-field",
    ),
    pytest.param({"id": "uid"}, r"unknown column 'uid' \(id\)", id="id"),
    pytest.param(
        {"questions": [nr.Rating("quality", suggestion="score")]},
        r"unknown column 'score' \(suggestion of question 'quality'\)",
        id="suggestion",
    ),
    pytest.param(
        {"questions": [nr.Rating("quality"), nr.Label("quality", ["a", "b"])]},
        r"duplicate question names \['quality'\]",
        id="duplicate-names",
    ),
    pytest.param(
        {"questions": [nr.Rating("model_score")]},
        r"question name 'model_score' collides with an existing column",
        id="name-collides-with-column",
    ),
    pytest.param(
        {"questions": [nr.FreeText("response")]},
        r"question name 'response' collides with an existing column",
        id="name-collides-with-shown-column",
    ),
    pytest.param(
        {"questions": [nr.Label("status", ["ok"])]},
        r"'status' is reserved",
        id="name-of-a-record-column",
    ),
    pytest.param({"questions": []}, r"at least one question", id="no-questions"),
    pytest.param({"fields": []}, r"fields is empty", id="no-fields"),
    pytest.param({"annotator": ""}, r"annotator", id="empty-annotator"),
    pytest.param({"name": "  "}, r"name", id="empty-name"),
    pytest.param({"guidelines": "missing-guidelines.md"}, r"does not exist", id="guidelines"),
]


@pytest.mark.parametrize(("kwargs", "message"), BAD_BUILDS)
def test_bad_arguments_fail_and_create_no_store(ds, store_path, kwargs, message):
    kwargs = {"fields": ["prompt"], "questions": [rating()], "annotator": "alice", **kwargs}
    with pytest.raises(ValueError, match=message):
        nr.Review(ds, store=store_path, **kwargs)
    assert not store_path.exists()
    assert list(store_path.parent.iterdir()) == []


@pytest.mark.parametrize(("kwargs", "message"), BAD_BUILDS)
def test_bad_arguments_fail_on_a_dataframe_too(df, store_path, kwargs, message):
    kwargs = {"fields": ["prompt"], "questions": [rating()], "annotator": "alice", **kwargs}
    with pytest.raises(ValueError, match=message):
        nr.Review(df, store=store_path, **kwargs)
    assert not store_path.exists()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        pytest.param(lambda: nr.Label("verdict", []), r"label list is empty", id="label-empty"),
        pytest.param(lambda: nr.MultiLabel("tags", []), r"label list is empty", id="multi-empty"),
        pytest.param(lambda: nr.Rating("quality", scale=1), r"at least 2", id="scale-1"),
    ],
)
def test_bad_questions_fail_before_the_review_exists(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_bad_data_is_refused(store_path, ds):
    with pytest.raises(ValueError, match=r"DatasetDict"):
        nr.Review(datasets.DatasetDict({"train": ds}), questions=[rating()], store=store_path)
    with pytest.raises(ValueError, match=r"datasets.Dataset or a pandas.DataFrame"):
        nr.Review([{"prompt": "x"}], questions=[rating()], store=store_path)
    assert not store_path.exists()


def test_failed_build_does_not_create_the_default_store(ds, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match=r"unknown column"):
        nr.Review(ds, fields=["nope"], questions=[rating()])
    assert list(tmp_path.iterdir()) == []


def test_failed_build_leaves_an_existing_store_unchanged(make_review, ds, store_path, digests):
    first = make_review()
    first.submit(0, quality=3, verdict="good", issues=[])
    first.store.close()
    before = digests(store_path.parent)
    with pytest.raises(ValueError, match=r"collides"):
        nr.Review(ds, fields=["prompt"], questions=[nr.Rating("id")], store=store_path)
    with pytest.raises(ValueError, match=r"duplicate values"):
        nr.Review(
            ds.select([0, 0]), fields=["prompt"], questions=[rating()], id="id", store=store_path
        )
    assert digests(store_path.parent) == before


# -- submit() with bad answers ----------------------------------------------------------------


@pytest.fixture
def answered(make_review):
    """A review with one submitted record and one draft, and a snapshot function of the store."""
    review = make_review()
    review.submit(0, quality=3, verdict="good", issues=["style"], comment="fine")
    review.session.handle(
        {
            "type": "answer",
            "seq": 1,
            "key": review.keys.key(1),
            "question": "quality",
            "value": 2,
            "elapsed_ms": 10,
        }
    )
    assert review.session.notice is None

    def snapshot():
        return (
            review.annotations().to_dict("records"),
            review.store.history(review.name),
            sorted(review.store.records(review.name)),
            review.progress,
            review.to_dataset().to_dict(),
        )

    return review, snapshot


BAD_SUBMITS = [
    pytest.param(
        (1,),
        {"quality": 6, "verdict": "good", "issues": []},
        ValueError,
        r"quality: 6 .*out of range 1\.\.5",
        id="rating-out-of-range",
    ),
    pytest.param(
        (1,),
        {"quality": 0, "verdict": "good", "issues": []},
        ValueError,
        r"quality: 0 .*out of range",
        id="rating-zero",
    ),
    pytest.param(
        (1,),
        {"quality": 2.0, "verdict": "good", "issues": []},
        ValueError,
        r"quality: 2\.0",
        id="rating-float",
    ),
    pytest.param(
        (1,),
        {"quality": 3, "verdict": "great", "issues": []},
        ValueError,
        r"verdict: 'great' .*unknown label",
        id="unknown-label",
    ),
    pytest.param(
        (1,),
        {"quality": 3, "verdict": "good", "issues": ["style", "typo"]},
        ValueError,
        r"issues: .*unknown labels \['typo'\]",
        id="unknown-multilabel",
    ),
    pytest.param(
        (1,),
        {"quality": 3, "verdict": "good", "issues": [], "qualty": 3},
        ValueError,
        r"no question 'qualty'",
        id="unknown-question",
    ),
    pytest.param(
        (2,),
        {"quality": 3},
        ValueError,
        r"row 2: required questions without an answer: \['verdict', 'issues'\]",
        id="required-missing",
    ),
    pytest.param(
        (2,),
        {"quality": 3, "verdict": None, "issues": []},
        ValueError,
        r"\['verdict'\]",
        id="required-given-as-none",
    ),
    pytest.param(
        (6,),
        {"quality": 3, "verdict": "good", "issues": []},
        IndexError,
        r"row 6 is out of range",
        id="row-past-the-end",
    ),
    pytest.param(
        (-7,),
        {"quality": 3, "verdict": "good", "issues": []},
        IndexError,
        r"out of range",
        id="row-before-the-start",
    ),
]


@pytest.mark.parametrize(("args", "answers", "error", "message"), BAD_SUBMITS)
def test_bad_submit_is_refused_and_stores_nothing(answered, args, answers, error, message):
    review, snapshot = answered
    before = snapshot()
    with pytest.raises(error, match=message):
        review.submit(*args, **answers)
    assert snapshot() == before


def test_required_freetext_empty_string_is_missing(make_review):
    review = make_review(questions=[rating(), nr.FreeText("reference", required=True)])
    with pytest.raises(ValueError, match=r"\['reference'\]"):
        review.submit(0, quality=2, reference="")
    assert review.annotations().empty
    assert review.store.history(review.name) == []
    review.submit(0, quality=2, reference="a better answer")
    assert review.progress.submitted == 1


def test_submit_completes_a_draft(answered):
    review, _ = answered
    # row 1 has a draft rating; the other required answers complete it
    review.submit(1, verdict="bad", issues=[])
    row = review.to_dataset()[1]
    assert (row["quality"], row["verdict"], row["status"]) == (2, 1, "submitted")


def test_jumping_to_a_missing_row_is_an_index_error(answered):
    review, snapshot = answered
    before = snapshot()
    position = review.position
    with pytest.raises(IndexError, match=r"out of range"):
        review.position = 6
    assert review.position == position
    assert snapshot() == before


def test_prefix_collision_fails_and_changes_nothing(make_review, ds):
    data = ds.add_column("review_quality", [1] * 6)
    review = make_review(data)
    review.submit(0, quality=3, verdict="good", issues=[])
    before = review.store.history(review.name)
    with pytest.raises(ValueError, match=r"prefix"):
        review.to_dataset(prefix="review_")
    with pytest.raises(ValueError, match=r"prefix"):
        review.to_pandas(prefix="review_")
    assert review.store.history(review.name) == before


def test_guidelines_text_that_ends_like_a_file_name_is_text(tmp_path):
    from nbreview.review import read_guidelines

    assert read_guidelines("Rate with care, see guide.md") == "Rate with care, see guide.md"
    spaced = tmp_path / "my guide.md"
    spaced.write_text("# Guide", encoding="utf-8")
    assert read_guidelines(str(spaced)) == "# Guide"
    with pytest.raises(ValueError, match="does not exist"):
        read_guidelines(str(tmp_path / "missing.md"))
