"""nr.Rubric and scales that start at 0 (API.md 7): arguments, answers, the struct column,
consensus, agreement, the dataset card, and specs that survive a store or a card."""

from __future__ import annotations

import json

import datasets
import krippendorff
import pyarrow as pa
import pytest
from huggingface_hub import DatasetCard

import nbreview as nr
from nbreview.questions import Question

CRITERIA = {
    "helpfulness": "Does it do what the prompt asked?",
    "correctness": "Are its facts right?",
    "coherence": "Is it clear and consistent?",
}
DESCRIPTORS = {0: "none", 2: "partly", 4: "fully"}


def rubric(**kwargs) -> nr.Rubric:
    kwargs.setdefault("criteria", CRITERIA)
    kwargs.setdefault("scale", (0, 4))
    kwargs.setdefault("descriptors", DESCRIPTORS)
    return nr.Rubric("scores", **kwargs)


def scores(h, c, o) -> dict:
    return {"helpfulness": h, "correctness": c, "coherence": o}


@pytest.fixture
def team(make_review):
    """alice and bob rate rows 0..2 (row 3 only alice, row 4 nobody), plus the adjudicator
    on row 2."""
    alice = make_review(questions=[rubric()])
    bob = make_review(questions=[rubric()], annotator="bob")
    judge = make_review(questions=[rubric()], annotator="adjudicated")
    alice.submit(0, scores=scores(4, 4, 2))
    bob.submit(0, scores=scores(3, 4, 0))
    alice.submit(1, scores=scores(0, 1, 2))
    bob.submit(1, scores=scores(1, 1, 3))
    alice.submit(2, scores=scores(2, 2, 2))
    bob.submit(2, scores=scores(4, 0, 4))
    judge.submit(2, scores=scores(3, 3, 3))
    alice.submit(3, scores=scores(0, 0, 0))
    return alice


# -- scales ------------------------------------------------------------------------------------


def test_rating_from_zero_takes_zero_and_refuses_what_is_off_it():
    q = nr.Rating("harm", scale=(0, 4))
    assert (q.low, q.high, q.scale) == (0, 4, (0, 4))
    assert [q.validate(v) for v in (0, 4)] == [0, 4]
    for wrong in (-1, 5):
        with pytest.raises(nr.AnswerError, match=r"harm: .*out of range 0\.\.4"):
            q.validate(wrong)
    assert nr.Rating("quality", scale=5).scale == 5  # 1..5 as ever
    assert nr.Rating("quality", scale=(1, 5)).spec()["scale"] == 5


@pytest.mark.parametrize(
    ("scale", "why"),
    [
        ((-1, 3), r"starts at -1; the lowest is 0"),
        ((2, 2), r"at least two values"),
        ((4, 0), r"at least two values"),
        ((0, 2.5), r"pair of whole numbers"),
        ((0, 1, 2), r"pair of whole numbers"),
        ((True, 3), r"pair of whole numbers"),
        ("0-4", r"must be an integer"),
    ],
)
def test_bad_scales_are_refused_by_name(scale, why):
    with pytest.raises(ValueError, match=why) as info:
        nr.Rating("harm", scale=scale)
    assert "'harm'" in str(info.value)
    with pytest.raises(ValueError, match=why):
        rubric(scale=scale)


def test_labels_of_a_zero_based_rating_count_its_values():
    q = nr.Rating("harm", scale=(0, 2), labels=["none", "some", "severe"])
    assert q.accepts() == "0 to 2 (0 = none, 1 = some, 2 = severe)"
    with pytest.raises(ValueError, match=r"2 labels for a scale of 0\.\.2 \(3 values\)"):
        nr.Rating("harm", scale=(0, 2), labels=["none", "severe"])


@pytest.mark.parametrize("scale", [5, (0, 4), (0, 10), (3, 7)])
def test_rating_spec_round_trips_through_json(scale):
    q = nr.Rating("harm", scale=scale)
    again = Question.from_spec(json.loads(json.dumps(q.spec())))
    assert (again.low, again.high, again.spec()) == (q.low, q.high, q.spec())


def test_an_old_store_spec_with_scale_n_still_reads():
    old = {"name": "quality", "kind": "rating", "required": True, "scale": 5, "labels": None}
    q = Question.from_spec(old)
    assert (q.low, q.high) == (1, 5)
    assert q.spec() == old


def test_zero_based_ratings_export_and_agree(make_review):
    alice = make_review(questions=[nr.Rating("harm", scale=(0, 4))])
    bob = make_review(questions=[nr.Rating("harm", scale=(0, 4))], annotator="bob")
    for row, (a, b) in enumerate([(0, 0), (4, 3), (0, 1), (2, 2)]):
        alice.submit(row, harm=a)
        bob.submit(row, harm=b)
    assert alice.to_dataset()["harm"][:5] == [0, 4, 0, 2, None]
    assert alice.to_dataset(annotators="consensus")["harm"][:5] == [0.0, 3.5, 0.5, 2.0, None]
    row = alice.agreement().iloc[0]
    assert (row["level"], row["records"]) == ("interval", 4)
    assert 0.5 < row["alpha"] < 1


def test_card_counts_every_value_of_a_zero_based_scale(make_review, tmp_path):
    review = make_review(questions=[nr.Rating("harm", scale=(0, 4))])
    review.submit(0, harm=0)
    review.submit(1, harm=0)
    review.submit(2, harm=3)
    text = (review.save_hub_folder(tmp_path / "out") / "README.md").read_text()
    assert "| `harm` | rating | 0 to 4 | yes | `int32` |" in text
    counts = text.split("### `harm`")[1].split("##")[0]
    for line in ["| 0 | 2 |", "| 1 | 0 |", "| 3 | 1 |", "| 4 | 0 |", "| answered | 3 |"]:
        assert line in counts


# -- Rubric: arguments -------------------------------------------------------------------------


def test_rubric_arguments():
    q = rubric()
    assert q.criteria == CRITERIA
    assert list(q.criteria) == ["helpfulness", "correctness", "coherence"]
    assert (q.low, q.high, q.descriptors) == (0, 4, DESCRIPTORS)
    assert q.required is True
    names = nr.Rubric("scores", ["b", "a"])
    assert names.criteria == {"b": "", "a": ""}
    assert (names.low, names.high, names.descriptors) == (1, 5, {})


@pytest.mark.parametrize(
    ("kwargs", "why"),
    [
        ({"criteria": {}}, r"criteria are empty"),
        ({"criteria": []}, r"criteria are empty"),
        ({"criteria": "helpfulness"}, r"dict of name -> what it asks, or a list of names"),
        ({"criteria": ["a", "a"]}, r"criteria \['a'\] are given twice"),
        ({"criteria": ["a", ""]}, r"non-empty strings"),
        ({"criteria": {"a": 3}}, r"criterion 'a' is described by a string"),
        (
            {"descriptors": {5: "more"}},
            r"descriptor for 5, which is not a score on the scale 0\.\.4",
        ),
        ({"descriptors": {"0": "none"}}, r"descriptor for '0'"),
        ({"descriptors": {1: ""}}, r"descriptor of 1 must be a non-empty string"),
        ({"descriptors": ["none"]}, r"descriptors maps scores"),
    ],
)
def test_rubric_bad_arguments_name_the_problem(kwargs, why):
    with pytest.raises(ValueError, match=why) as info:
        rubric(**kwargs)
    assert "'scores'" in str(info.value)


def test_rubric_spec_round_trips_through_json_in_order():
    q = nr.Rubric("scores", {"z": "last letter", "a": "first", "10": "a number"}, (0, 4), {4: "x"})
    spec = json.loads(json.dumps(q.spec()))
    assert [c["name"] for c in spec["criteria"]] == ["z", "a", "10"]  # not sorted, not renumbered
    again = Question.from_spec(spec)
    assert isinstance(again, nr.Rubric)
    assert list(again.criteria.items()) == list(q.criteria.items())
    assert (again.low, again.high, again.descriptors) == (0, 4, {4: "x"})
    assert again.spec() == q.spec()


# -- Rubric: answers and the column ------------------------------------------------------------


def test_rubric_validates_scores_by_criterion():
    q = rubric()
    assert q.validate(scores(3, 4, 2)) == scores(3, 4, 2)
    assert q.validate({"coherence": 1}) == scores(None, None, 1)  # not yet rated: null
    assert q.validate({"helpfulness": None}) is None  # nothing rated is no answer
    assert q.validate(None) is None
    with pytest.raises(nr.AnswerError, match=r"scores: unknown criterion 'clarity'"):
        q.validate({"clarity": 3})
    with pytest.raises(nr.AnswerError, match=r"scores: correctness: 5 is off the scale 0\.\.4"):
        q.validate(scores(1, 5, 1))
    with pytest.raises(nr.AnswerError, match=r"scores: coherence: -1 is off the scale"):
        q.validate(scores(1, 1, -1))
    for wrong in (2.0, True, "3"):
        with pytest.raises(nr.AnswerError, match=r"scores: helpfulness: .* is not a score"):
            q.validate({"helpfulness": wrong})
    with pytest.raises(nr.AnswerError, match=r"dict of criterion -> score"):
        q.validate([3, 4, 2])


def test_required_rubric_is_answered_when_every_criterion_is_rated():
    q = rubric()
    assert q.is_answered(scores(0, 0, 0))
    assert not q.is_answered(scores(3, None, 2))
    assert not q.is_answered(None)
    assert q.missing_in({"scores": scores(3, None, 2)})
    assert not rubric(required=False).missing_in({"scores": scores(3, None, 2)})


def test_submit_refuses_bad_or_partial_scores_and_stores_nothing(make_review):
    review = make_review(questions=[rubric()])
    with pytest.raises(ValueError, match=r"unknown criterion 'helpfulnes'"):
        review.submit(0, scores={"helpfulnes": 3})
    with pytest.raises(ValueError, match=r"helpfulness: 7 is off the scale"):
        review.submit(0, scores=scores(7, 1, 1))
    with pytest.raises(ValueError, match=r"required questions without an answer: \['scores'\]"):
        review.submit(0, scores={"helpfulness": 3})
    assert review.annotations().empty


def test_one_struct_column_of_int32_in_order(make_review):
    review = make_review(questions=[rubric()])
    review.submit(1, scores={"coherence": 2, "helpfulness": 3, "correctness": 4})
    ds = review.to_dataset()
    assert ds.features["scores"] == {c: datasets.Value("int32") for c in CRITERIA}
    assert list(ds.features["scores"]) == list(CRITERIA)
    assert ds.data.column("scores").type == pa.struct([(c, pa.int32()) for c in CRITERIA])
    assert ds["scores"] == [None, scores(3, 4, 2), None, None, None, None]
    assert review.to_pandas()["scores"].tolist()[:2] == [None, scores(3, 4, 2)]


def test_a_partly_rated_rubric_is_a_draft_with_nulls(make_review):
    review = make_review(questions=[rubric()])
    review.position = 0
    key = review.keys.key(0)
    message = {"type": "answer", "seq": 1, "key": key, "question": "scores"}
    review.session.handle({**message, "value": {"helpfulness": 3}})
    ds = review.to_dataset()
    assert ds["scores"][0] == scores(3, None, None)
    assert ds["status"][0] == "draft"
    review.session.handle({"type": "submit", "seq": 2, "key": key})
    assert review.to_dataset()["status"][0] == "draft"  # required: every criterion first
    review.session.handle({**message, "seq": 3, "value": scores(3, 0, 1)})
    review.session.handle({"type": "submit", "seq": 4, "key": key})
    assert review.to_dataset()["status"][0] == "submitted"


def test_a_suggested_rubric_keeps_the_scores_on_the_scale():
    q = rubric(suggestion="model")
    assert q.from_suggestion(scores(3, 9, 1)) == scores(3, None, 1)
    assert q.from_suggestion({"helpfulness": "high"}) is None
    assert q.from_suggestion(4) is None


# -- Rubric: several annotators ----------------------------------------------------------------


def test_consensus_is_the_mean_per_criterion(team):
    ds = team.to_dataset(annotators="consensus")
    assert ds.features["scores"] == {c: datasets.Value("float64") for c in CRITERIA}
    assert ds["scores"][0] == scores(3.5, 4.0, 1.0)
    assert ds["scores"][1] == scores(0.5, 1.0, 2.5)
    assert ds["scores"][2] == scores(3.0, 3.0, 3.0)  # the adjudicator's answer wins
    assert ds["scores"][3] == scores(0.0, 0.0, 0.0)
    assert ds["scores"][4] is None
    # agreement: share of the most common score, per criterion, averaged
    assert ds["agreement"][0] == pytest.approx((0.5 + 1.0 + 0.5) / 3)
    assert ds["agreement"][3] == 1.0


def test_all_lists_every_annotators_struct(team):
    ds = team.to_dataset(annotators="all")
    assert ds.features["scores"] == datasets.List({c: datasets.Value("int32") for c in CRITERIA})
    assert ds["annotator"][2] == ["adjudicated", "alice", "bob"]
    assert ds["scores"][2] == [scores(3, 3, 3), scores(2, 2, 2), scores(4, 0, 4)]
    assert ds["scores"][4] == []


def test_agreement_has_one_interval_row_per_criterion(team):
    table = team.agreement()
    assert table["question"].tolist() == [f"scores.{c}" for c in CRITERIA]
    assert set(table["kind"]) == {"rubric"}
    assert set(table["level"]) == {"interval"}
    assert table["records"].tolist() == [3, 3, 3]  # row 3 has one annotator; no adjudicator
    assert table["annotators"].tolist() == [2, 2, 2]
    alpha = table.set_index("question")["alpha"]
    # alice and bob on rows 0..2, criterion by criterion (the adjudicator does not count)
    for criterion, ratings in {
        "helpfulness": [[4, 0, 2], [3, 1, 4]],
        "correctness": [[4, 1, 2], [4, 1, 0]],
        "coherence": [[2, 2, 2], [0, 3, 4]],
    }.items():
        expected = krippendorff.alpha(reliability_data=ratings, level_of_measurement="interval")
        assert alpha[f"scores.{criterion}"] == pytest.approx(expected)
    assert alpha["scores.correctness"] != alpha["scores.helpfulness"]


def test_card_lists_criteria_descriptions_and_counts(team, tmp_path):
    folder = team.save_hub_folder(tmp_path / "out", include_log=True)
    text = DatasetCard.load(folder / "README.md").text
    assert (
        "| `scores` | rubric | 0 to 4 (0 = none, 2 = partly, 4 = fully) for each of 3 criteria: "
        "helpfulness, correctness, coherence | yes | "
        "`{helpfulness: int32, correctness: int32, coherence: int32}` |"
    ) in text
    for criterion, asks in CRITERIA.items():
        assert f"| `{criterion}` | {asks} |" in text
    counts = text.split("### `scores`")[1].split("##")[0]
    assert "| criterion | 0 (none) | 1 | 2 (partly) | 3 | 4 (fully) | not rated |" in counts
    # alice's own answers: 4/0/2/0 on helpfulness, rows 4 and 5 unrated
    assert "| `helpfulness` | 2 | 0 | 1 | 0 | 1 | 2 |" in counts
    assert "| `coherence` | 1 | 0 | 3 | 0 | 0 | 2 |" in counts
    agreement = text.split("## Agreement")[1].split("## Columns")[0]
    assert "| scores.helpfulness | rubric | interval |" in agreement


def test_card_of_the_consensus_gives_means(team, tmp_path):
    folder = team.save_hub_folder(tmp_path / "out", annotators="consensus", include_log=True)
    counts = (folder / "README.md").read_text().split("### `scores`")[1].split("##")[0]
    assert "| criterion | mean | rated | not rated |" in counts
    assert "| `helpfulness` | 1.750 | 4 | 2 |" in counts  # (3.5 + 0.5 + 3 + 0) / 4


def test_hub_folder_round_trip_keeps_the_structs(team, tmp_path):
    folder = team.save_hub_folder(tmp_path / "out", annotators="all")
    again = nr.Review.from_hub_folder(folder, annotator="bob")
    assert isinstance(again.questions["scores"], nr.Rubric)
    assert again.to_dataset()["scores"][:3] == [scores(3, 4, 0), scores(1, 1, 3), scores(4, 0, 4)]
