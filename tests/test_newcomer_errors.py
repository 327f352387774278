"""What a newcomer hit (issue 23, items 4, 7, 8 and 9), each as they met it."""

from __future__ import annotations

import datasets
import pytest

import nbreview as nr

# -- 4: a record keeps its number across a reload ------------------------------------------------


def gold_dataset(n: int = 20, gold: int = 4) -> datasets.Dataset:
    return datasets.Dataset.from_dict(
        {
            "id": [f"r{i:02}" for i in range(n)],
            "prompt": [f"p{i}" for i in range(n)],
            "g": [None] * (n - gold) + [3] * gold,
        }
    )


def test_a_record_keeps_its_number_after_a_reload(make_review):
    def open_review() -> nr.Review:
        return make_review(
            gold_dataset(), fields=["prompt"], questions=[nr.Rating("quality", gold="g")],
            id="id", gold_rate=0.25,
        )  # fmt: skip

    first = open_review()
    widget = first.widget
    for seq in range(1, 13):  # twelve records answered by key, three of them gold
        key = widget.view["record"]["key"]
        message = {"type": "answer", "seq": seq, "key": key, "question": "quality", "value": 3}
        widget._on_message(widget, {**message, "submit": True}, [])
    before = (widget.view["position"], widget.view["index"], widget.view["total"])
    assert before[1] == 12  # "Record 13 of 20"
    widget._on_message(widget, {"type": "leave"}, [])  # the page reloads: this one closes
    again = open_review()  # ... and a new kernel opens on the same store
    after = (again.widget.view["position"], again.widget.view["index"], again.widget.view["total"])
    assert after == before


# -- 7: spans on a column that is not text name both chat forms ----------------------------------


def test_spans_on_a_column_without_text_name_one_message_and_the_whole_chat(make_review):
    with pytest.raises(ValueError, match=r"does not hold strings") as caught:
        make_review(
            fields=["prompt"], questions=[nr.Spans("errors", field="model_score", labels=["x"])]
        )
    assert "(field='messages[-1]')" in str(caught.value)  # one message of a chat column
    assert "(field='messages')" in str(caught.value)  # the whole chat


# -- 8: a misspelt keyword names the one meant ---------------------------------------------------


@pytest.mark.parametrize(
    ("build", "said"),
    [
        (lambda ds: nr.Review(ds, feilds=["prompt"], questions=[nr.Rating("q")]),
         r"nr.Review\(\) got an unexpected keyword argument 'feilds' \(did you mean 'fields'\?\)"),
        (lambda ds: nr.Rating("q", scael=5), r"'scael' \(did you mean 'scale'\?\)"),
        (lambda ds: nr.Label("v", lables=["a"]), r"'lables' \(did you mean 'labels'\?\)"),
        (lambda ds: nr.MultiLabel("v", ["a"], requried=False),
         r"nr.MultiLabel\(\) .*'requried' \(did you mean 'required'\?\)"),
        (lambda ds: nr.Rubric("s", critera=["a", "b"]), r"'critera' \(did you mean 'criteria'\?\)"),
        (lambda ds: nr.Spans("s", feild="prompt", labels=["x"]), r"did you mean 'field'\?"),
        (lambda ds: nr.Edit("e", field="prompt", sugestion="x"), r"did you mean 'suggestion'\?"),
        (lambda ds: nr.FreeText("c", requird=True), r"did you mean 'required'\?"),
        (lambda ds: nr.Preference("p", fields=("a", "b"), allow_ties=False),
         r"did you mean 'allow_tie'\?"),
        (lambda ds: nr.Ranking("r", feilds=["a", "b"]), r"did you mean 'fields'\?"),
        (lambda ds: nr.Rating("q", zzz=1), r"'zzz'; it takes name, scale, labels"),
    ],
)  # fmt: skip
def test_a_misspelt_keyword_names_the_closest_one(ds, store_path, build, said):
    with pytest.raises(ValueError, match=said) as caught:
        build(ds)
    assert isinstance(caught.value, TypeError)  # what Python raises for it, too
    assert not store_path.exists()


def test_one_field_as_a_string_and_one_question_alone_are_taken_on_purpose(make_review):
    review = make_review(fields="prompt", questions=nr.Rating("quality"))
    assert [f.column for f in review.fields] == ["prompt"]
    assert review.questions.names == ["quality"]


# -- 9: a partly rated rubric names the criteria still to rate -----------------------------------


def test_a_partly_rated_rubric_names_the_criteria_still_to_rate(make_review):
    rubric = nr.Rubric("scores", criteria=["helpfulness", "correctness", "coherence"])
    review = make_review(questions=[rubric])
    with pytest.raises(
        ValueError, match=r"\['scores'\]; 'scores' still needs 'correctness', 'coherence'"
    ):
        review.submit(0, scores={"helpfulness": 3})
    assert review.annotations().empty
