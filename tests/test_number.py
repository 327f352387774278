"""nr.Number (issue 24): a typed number as one Python module, exported, combined by median,
scored by interval alpha, graded within a tolerance, described by the card."""

from __future__ import annotations

import datasets
import krippendorff
import numpy as np
import pytest
from huggingface_hub import DatasetCard

import nbreview as nr
from nbreview.questions import Question, combine
from nbreview.questions.combine import Answers


def price(**kwargs) -> nr.Number:
    return nr.Number("price", min=0, max=100, step=0.5, **kwargs)


@pytest.fixture
def team(make_review):
    """alice, bob and carol price rows 0-2; carol is far off on row 1."""
    reviews = {
        who: make_review(questions=[price()], annotator=who) for who in ("alice", "bob", "carol")
    }
    given = {"alice": [10, 20, 1], "bob": [12, 21, 1], "carol": [11, 95, 1.5]}
    for who, values in given.items():
        for row, value in enumerate(values):
            reviews[who].submit(row, price=value)
    return reviews


def test_arguments_are_checked_by_name():
    with pytest.raises(ValueError, match=r"question 'n': min \(5\) must be below max \(5\)"):
        nr.Number("n", min=5, max=5)
    with pytest.raises(ValueError, match=r"step must be above 0"):
        nr.Number("n", step=0)
    with pytest.raises(ValueError, match=r"max must be a finite number, got 'ten'"):
        nr.Number("n", max="ten")
    with pytest.raises(ValueError, match=r"did you mean 'max'\?"):
        nr.Number("n", maxx=3)


def test_values_are_validated_as_numbers_in_range_on_the_step():
    q = price()
    assert q.validate(3) == 3.0
    assert isinstance(q.validate(3), float)
    assert q.validate(99.5) == 99.5
    assert q.validate(None) is None
    for bad, why in [(True, "finite int or float"), ("3", "finite int or float"),
                     (float("nan"), "finite"), (-1, "out of range 0 to 100"),
                     (100.5, "out of range"), (0.3, "not a step of 0.5 from 0")]:  # fmt: skip
        with pytest.raises(nr.AnswerError, match=why):
            q.validate(bad)
    assert nr.Number("any").validate(-1e9) == -1e9


def test_spec_round_trips_and_reaches_the_browser(make_review):
    q = price(required=False)
    again = Question.from_spec(q.spec())
    assert type(again) is nr.Number
    assert (again.min, again.max, again.step, again.required) == (0, 100, 0.5, False)
    spec = make_review(questions=[q]).widget.config["questions"][0]
    assert spec == {"name": "price", "kind": "number", "required": False,
                    "min": 0.0, "max": 100.0, "step": 0.5}  # fmt: skip


def test_submit_and_to_dataset_write_a_float64_column(make_review):
    review = make_review(questions=[price()])
    review.submit(0, price=12.5)
    review.submit(2, price=7)
    with pytest.raises(ValueError, match=r"price: 101"):
        review.submit(1, price=101)
    ds = review.to_dataset()
    assert ds.features["price"] == datasets.Value("float64")
    assert ds["price"] == [12.5, None, 7.0, None, None, None]
    assert review.to_pandas()["price"].tolist()[:1] == [12.5]


def test_the_median_rule_takes_the_middle_one(team):
    records, values = combine.median(Answers(["a", "a", "a", "b", "b"], list("xyzxy"),
                                             [1.0, 9.0, 2.0, 4.0, 6.0]))  # fmt: skip
    assert dict(zip(records.to_pylist(), values.to_pylist(), strict=True)) == {"a": 2.0, "b": 5.0}
    consensus = team["alice"].to_dataset(annotators="consensus")
    assert consensus.features["price"] == datasets.Value("float64")
    assert consensus["price"][:4] == [11.0, 21.0, 1.0, None]  # carol's 95 does not move it
    everyone = team["alice"].to_dataset(annotators="all")
    assert everyone["price"][1] == [20.0, 21.0, 95.0]


def test_agreement_is_interval_alpha(team):
    row = team["alice"].agreement().set_index("question").loc["price"]
    assert (row["kind"], row["level"], row["records"]) == ("number", "interval", 3)
    data = np.array([[10, 20, 1], [12, 21, 1], [11, 95, 1.5]], dtype=float)
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="interval")
    assert row["alpha"] == pytest.approx(expected)


def test_gold_is_graded_within_the_tolerance(make_review, ds):
    data = ds.add_column("gold_price", [10.0, 20.0, None, None, None, None])
    review = make_review(data, questions=[price(gold="gold_price")])
    review.submit(0, price=10.5)
    review.submit(1, price=20)
    assert review.quality()["gold_accuracy"].tolist() == [0.5]
    assert review.quality(tolerance=0.5)["gold_accuracy"].tolist() == [1.0]


def test_summary_counts_numbers_in_numeric_order(make_review):
    review = make_review(questions=[price()])
    for row, value in enumerate([10, 2, 2.5, 100, 2]):
        review.submit(row, price=value)
    table = review.summary("price")
    assert table["answer"].tolist() == ["2", "2.5", "10", "100"]
    assert table["count"].tolist() == [2, 1, 1, 1]


def test_the_card_says_what_it_takes_how_it_combines_and_how_numbers_spread(team, tmp_path):
    folder = team["alice"].save_hub_folder(tmp_path / "own")
    text = DatasetCard.load(folder / "README.md").text
    assert "0 to 100, in steps of 0.5" in text
    assert "| median | 10 |" in text  # alice's 10, 20, 1
    folder = team["alice"].save_hub_folder(tmp_path / "agreed", annotators="consensus")
    assert "their median" in DatasetCard.load(folder / "README.md").text
