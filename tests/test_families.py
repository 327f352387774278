"""Question families (questions/families/): a kind defined here writes only its arguments,
`feature`, `validate` and `spec`, and gets its family's rules from the mixin alone — the
numeric family's median consensus, tolerance grading and numeric order in `summary()`; the
choice family's majority, nominal agreement, counts by name, option keys and one-key mode;
the text family's empty-box rule, length limit and Arrow reads; the compare family's order
per record and DPO pairs. Each shared rule lives in one place, so every built-in kind of a
family follows it too."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import datasets
import numpy as np
import pytest
from huggingface_hub import DatasetCard

import nbreview as nr
from nbreview.questions import QUESTION_KINDS, Question, combine
from nbreview.questions.families import Choice, ChoiceSet, Compare, Numeric, OptionKeys, Text
from nbreview.questions.families.choice import check_labels
from nbreview.questions.families.compare import check_fields, digest
from nbreview.questions.families.numeric import real


class Score(Numeric, Question):
    """A toy numeric kind: a score from 0 to 10, combined by the median."""

    kind = "toy-score"
    center = combine.median

    def feature(self) -> Any:
        return datasets.Value("float64")

    def validate(self, value: Any, record: Mapping[str, Any] | None = None) -> Any:
        if value is None:
            return None
        if not real(value) or not 0 <= value <= 10:
            raise self._error(value, "a score is a number from 0 to 10")
        return float(value)


class Verdict(OptionKeys, Choice, Question):
    """A toy choice kind: one of its labels, picked by a key."""

    kind = "toy-verdict"

    def __init__(self, name: str, labels: list[str], *, keys: Any = None, **kwargs: Any):
        super().__init__(name, **kwargs)
        self.labels = check_labels(name, labels)
        self.set_option_keys(keys)

    def option_names(self) -> list[str]:
        return list(self.labels)

    def validate(self, value: Any, record: Mapping[str, Any] | None = None) -> Any:
        if value is None or value in self.labels:
            return value
        raise self._error(value, f"the verdicts are {self.labels!r}")

    def spec(self) -> dict:
        return {**super().spec(), "labels": self.labels, **self.keys_spec()}


class Tags(ChoiceSet, Question):
    """A toy choice kind of any number of its labels."""

    kind = "toy-tags"

    def __init__(self, name: str, labels: list[str], **kwargs: Any):
        super().__init__(name, **kwargs)
        self.labels = check_labels(name, labels)

    def validate(self, value: Any, record: Mapping[str, Any] | None = None) -> Any:
        if value is None:
            return None
        if not isinstance(value, list) or not set(value) <= set(self.labels):
            raise self._error(value, f"tags are a list of {self.labels!r}")
        return [label for label in self.labels if label in value]

    def spec(self) -> dict:
        return {**super().spec(), "labels": self.labels}


class Note(Text, Question):
    """A toy text kind: a short note."""

    kind = "toy-note"
    text_noun = "a note"
    max_chars = 12


class Best(Compare, Question):
    """A toy compare kind: the best of several fields, by name."""

    kind = "toy-best"

    def __init__(self, name: str, fields: list[str], **kwargs: Any):
        super().__init__(name, **kwargs)
        self.fields = check_fields(name, fields, 2)

    def feature(self) -> Any:
        return datasets.Value("string")

    def validate(self, value: Any, record: Mapping[str, Any] | None = None) -> Any:
        if value is None or value in self.fields:
            return value
        raise self._error(value, f"the fields are {self.fields!r}")

    def shown_order(self, key: str) -> list[str]:
        return sorted(self.fields, key=lambda f: digest(self.name, key, f))

    def pairs(self, answer: Any) -> list[tuple[str, str]]:
        return [(answer, f) for f in self.fields if f != answer] if answer in self.fields else []


TOYS = (Score, Verdict, Tags, Note, Best)
for toy in TOYS:  # registered only while a test here uses them (other modules list the kinds)
    QUESTION_KINDS.pop(toy.kind)


@pytest.fixture(autouse=True)
def toys() -> Iterator[None]:
    for cls in TOYS:
        QUESTION_KINDS[cls.kind] = cls
    yield
    for cls in TOYS:
        QUESTION_KINDS.pop(cls.kind, None)


def _team(make_review, questions, answers: dict[str, list[dict]], data=None) -> nr.Review:
    """Each annotator submits their list of answers on rows 0, 1, ...; alice's review back."""
    reviews = {who: make_review(data, questions=questions(), annotator=who) for who in answers}
    for who, given in answers.items():
        for row, values in enumerate(given):
            reviews[who].submit(row, **values)
    return reviews["alice"]


# -- numeric ------------------------------------------------------------------------------------


def test_a_numeric_kind_gets_median_consensus_interval_agreement_and_the_card(
    make_review, tmp_path
):
    given = {
        "alice": [{"s": 1}, {"s": 4}, {"s": 2}],
        "bob": [{"s": 2}, {"s": 5}, {"s": 2}],
        "carol": [{"s": 9}, {"s": 6}, {"s": 2.5}],
    }
    alice = _team(make_review, lambda: [Score("s")], given)
    consensus = alice.to_dataset(annotators="consensus")
    assert consensus.features["s"] == datasets.Value("float64")
    assert consensus["s"][:4] == [2.0, 5.0, 2.0, None]  # carol's 9 does not move row 0
    row = alice.agreement().set_index("question").loc["s"]
    assert (row["level"], row["records"]) == ("interval", 3)
    import krippendorff

    data = np.array([[1, 4, 2], [2, 5, 2], [9, 6, 2.5]], dtype=float)
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="interval")
    assert row["alpha"] == pytest.approx(expected)
    folder = alice.save_hub_folder(tmp_path / "agreed", annotators="consensus")
    assert "their median" in DatasetCard.load(folder / "README.md").text


NUMERIC_KINDS = {
    # question, a given answer, the gold one, a tolerance that makes it right
    "rating": (lambda **kw: nr.Rating("q", scale=5, **kw), 4, 3, 1),
    "number": (lambda **kw: nr.Number("q", **kw), 2.5, 2.0, 0.5),
    "toy": (lambda **kw: Score("q", **kw), 7, 6.5, 0.5),
    "rubric": (lambda **kw: nr.Rubric("q", ["clear"], **kw), {"clear": 4}, {"clear": 3}, 1),
}


@pytest.mark.parametrize("kind", NUMERIC_KINDS)
def test_every_numeric_kind_is_graded_within_the_tolerance(make_review, ds, kind):
    make, given, gold, tolerance = NUMERIC_KINDS[kind]
    data = ds.add_column("gold_q", [gold, None, None, None, None, None])
    review = make_review(data, questions=[make(gold="gold_q")])
    review.submit(0, q=given)
    assert review.quality()["gold_accuracy"].tolist() == [0.0]
    assert review.quality(tolerance=tolerance)["gold_accuracy"].tolist() == [1.0]
    assert review.quality(tolerance=tolerance / 2)["gold_accuracy"].tolist() == [0.0]


@pytest.mark.parametrize(
    "make",
    [lambda: nr.Rating("q", scale=(0, 12)), lambda: nr.Number("q"), lambda: Score("q")],
    ids=["rating", "number", "toy"],
)
def test_summary_counts_every_numeric_kind_in_numeric_order(make_review, make):
    review = make_review(questions=[make()])
    for row, value in enumerate([10, 2, 3, 10, 2]):
        review.submit(row, q=value)
    table = review.summary("q")
    counted = table[table["count"] > 0]
    assert counted["answer"].tolist() == ["2", "3", "10"]  # not "10" before "2"
    assert counted["count"].tolist() == [2, 1, 2]


def test_numeric_kinds_take_their_centre_from_combine():
    assert nr.Number.center is combine.median
    assert nr.Rating.center is combine.mean
    assert (nr.Number("n").consensus_rule, nr.Rating("r").consensus_rule) == (
        "their median",
        "their mean",
    )
    records, values = Score("s").consensus(
        combine.Answers(["a", "a", "b", "b", "b"], list("xyxyz"), [1.0, 3.0, 1.0, 7.0, 2.0])
    )
    assert dict(zip(records.to_pylist(), values.to_pylist(), strict=True)) == {"a": 2.0, "b": 2.0}


# -- choice -------------------------------------------------------------------------------------


def test_a_choice_kind_gets_majority_nominal_agreement_and_counts_by_name(make_review, tmp_path):
    labels = ["keep", "drop", "fix"]
    given = {
        "alice": [{"v": "keep"}, {"v": "drop"}, {"v": "keep"}],
        "bob": [{"v": "keep"}, {"v": "fix"}, {"v": "keep"}],
        "carol": [{"v": "drop"}, {"v": "keep"}, {"v": "keep"}],
    }
    alice = _team(make_review, lambda: [Verdict("v", labels)], given)
    consensus = alice.to_dataset(annotators="consensus")
    assert consensus.features["v"] == datasets.ClassLabel(names=labels)
    assert consensus["v"][:3] == [0, None, 0]  # keep; a three-way tie has none; keep
    assert consensus["agreement"][0] == pytest.approx(2 / 3)
    assert alice.agreement().set_index("question").loc["v", "level"] == "nominal"
    table = alice.summary("v")
    assert table["answer"].tolist() == labels  # every label, in order, zeros too
    assert table["count"].tolist() == [6, 2, 1]
    text = DatasetCard.load(alice.save_hub_folder(tmp_path / "own") / "README.md").text
    assert "| keep | 2 |" in text  # alice's own answers, counted by label name
    assert "| fix | 0 |" in text


def test_a_choice_kind_takes_digits_or_its_own_keys_and_one_key_mode(make_review):
    plain = make_review(questions=[Verdict("v", ["keep", "drop"])])
    assert plain.widget.config["one_key"] is True  # alone, one key answers and moves on
    assert "keys" not in plain.widget.config["questions"][0]  # digits, by position
    keyed = make_review(questions=[Verdict("v", ["keep", "drop"], keys="mnemonic")])
    assert keyed.questions["v"].spec()["keys"] == "mnemonic"  # kept as given...
    # ...and resolved against the actions' keys (k is prev_turn's): a free letter of each
    assert keyed.widget.config["questions"][0]["keys"] == ["e", "d"]
    assert keyed.keys_table().set_index("action").loc["v options", "keys"] == "e, d"
    with pytest.raises(ValueError, match=r"1 keys for 2 options"):
        Verdict("v", ["keep", "drop"], keys=["y"])
    with pytest.raises(ValueError, match=r"'s' is given to both action 'skip'"):
        make_review(questions=[Verdict("v", ["keep", "drop"], keys=["y", "s"])])
    two = make_review(questions=[Verdict("v", ["keep", "drop"]), nr.FreeText("why")])
    assert two.widget.config["one_key"] is False


def test_a_choice_set_kind_gets_per_label_majority_and_presence_agreement(make_review):
    labels = ["typo", "tone", "fact"]
    given = {
        "alice": [{"t": ["typo", "tone"]}, {"t": []}],
        "bob": [{"t": ["typo"]}, {"t": []}],
        "carol": [{"t": ["typo", "fact"]}, {"t": ["fact"]}],
    }
    alice = _team(make_review, lambda: [Tags("t", labels)], given)
    consensus = alice.to_dataset(annotators="consensus")
    assert consensus.features["t"] == datasets.List(datasets.ClassLabel(names=labels))
    assert consensus["t"][:3] == [[0], [], None]  # typo by all; fact by one of three: out
    row = alice.agreement().set_index("question").loc["t"]
    assert (row["level"], row["records"]) == ("nominal", 2)
    import krippendorff

    # presence: a unit per (record, label), 1 when the annotator chose it
    data = np.array([[1, 1, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0], [1, 0, 1, 0, 0, 1]], dtype=float)
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert row["alpha"] == pytest.approx(expected)
    assert alice.summary("t")["count"].tolist() == [3, 1, 2]
    assert make_review(questions=[Tags("t", labels)]).widget.config["one_key"] is False


# -- text ---------------------------------------------------------------------------------------


def test_a_text_kind_gets_the_empty_box_rule_a_length_limit_and_reads_back(make_review):
    review = make_review(questions=[Note("n"), nr.Rating("quality")])
    with pytest.raises(ValueError, match=r"n: a text of 13 characters is too long; at most 12"):
        review.submit(0, n="thirteen char", quality=1)
    with pytest.raises(ValueError, match=r"n: 5 is not a valid answer: a note is a string"):
        review.submit(0, n=5, quality=1)
    with pytest.raises(ValueError, match=r"required questions without an answer: \['n'\]"):
        review.submit(0, n="   ", quality=1)  # a blank note answers nothing
    with pytest.raises(ValueError, match=r"required questions without an answer: \['n'\]"):
        review.submit(0, n="", quality=1)  # an emptied box is no answer: stored as none
    review.submit(0, n='say "hi"', quality=1)  # stored with escapes: decoded in Python
    review.submit(1, n="plain", quality=2)  # read in Arrow
    out = review.to_dataset()
    assert out.features["n"] == datasets.Value("string")
    assert out["n"][:3] == ['say "hi"', "plain", None]


# -- compare ------------------------------------------------------------------------------------


@pytest.fixture
def texts() -> datasets.Dataset:
    return datasets.Dataset.from_dict(
        {
            "id": ["r0", "r1", "r2", "r3"],
            "prompt": ["2+2?", "Capital of France?", "Colour of the sky?", "1+1?"],
            "a": ["4", "Paris", "blue", "2"],
            "b": ["5", "Lyon", "green", "3"],
            "c": ["22", "Rome", "red", "11"],
        }
    )


def test_a_compare_kind_reads_its_fields_and_shows_them_in_a_fixed_order(make_review, texts):
    review = make_review(texts, fields=["prompt"], questions=[Best("best", ["a", "b", "c"])])
    q = review.questions["best"]
    assert q.target_columns() == ["a", "b", "c"]
    assert q.spec()["fields"] == ["a", "b", "c"]
    keys = review.keys.all().to_pylist()
    orders = [review.questions.layout(k, {})["best"]["order"] for k in keys]
    assert all(sorted(o) == ["a", "b", "c"] for o in orders)
    assert len({tuple(o) for o in orders}) > 1  # the order differs between records...
    assert orders == [review.questions.layout(k, {})["best"]["order"] for k in keys]  # ...stably
    assert "between `a`, `b`, `c`" in q.describe()


def test_a_compare_kind_gives_dpo_pairs(make_review, texts):
    review = make_review(
        texts, fields=["prompt"], questions=[Best("best", ["a", "b", "c"])], id="id"
    )
    review.submit(0, best="a")
    review.submit(1, best="a")
    out = review.to_trl("dpo", prompt="prompt")
    assert out.to_list() == [
        {"prompt": "2+2?", "chosen": "4", "rejected": "5"},
        {"prompt": "2+2?", "chosen": "4", "rejected": "22"},
        {"prompt": "Capital of France?", "chosen": "Paris", "rejected": "Lyon"},
        {"prompt": "Capital of France?", "chosen": "Paris", "rejected": "Rome"},
    ]


# -- the base ----------------------------------------------------------------------------------


def test_the_base_defaults_read_no_column_type():
    """Without a family, a kind's card counts and summary items do not depend on whether its
    column is a ClassLabel, an int or a float: those rules are the families'."""

    class Plain(Question):
        kind = "toy-plain"

        def feature(self) -> Any:
            return datasets.Value("int32")

        def validate(self, value: Any, record: Mapping[str, Any] | None = None) -> Any:
            return value

    try:
        q = Plain("p")
        assert q.count_rows([3, 3, 1], datasets.Value("int32")) == []
        assert q.count_rows([0, 1], datasets.ClassLabel(names=["x", "y"])) == []
        _, items = q.summary_items(q.to_arrow([3, None, 1]))
        assert items.to_pylist() == ["3", "1"]  # answer_text of each
        assert Verdict("v", ["x", "y"]).count_rows([0, 0], datasets.ClassLabel(names=["x", "y"]))
        assert Score("s").count_rows([2.0, 4.0], datasets.Value("float64")) == [["mean", "3.000"]]
    finally:
        QUESTION_KINDS.pop("toy-plain", None)
