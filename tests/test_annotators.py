"""Several annotators in one export: to_dataset(annotators="all" | "consensus") and the
progress of each annotator."""

from __future__ import annotations

import datasets
import pandas as pd
import pyarrow as pa
import pytest

import nbreview as nr

VERDICTS = ["good", "bad", "unsure"]  # as in tests/conftest.py
ISSUES = ["factual", "style", "unsafe"]

G, B, U = (VERDICTS.index(v) for v in ("good", "bad", "unsure"))
FACTUAL, STYLE, UNSAFE = range(3)


@pytest.fixture
def team(make_review):
    """alice, bob, carol and the adjudicator on the six records of `ds`.

    row 0: all three submit, 4/5/2, good/good/bad, issues differ, two say "risky"
    row 1: alice and bob submit, 3/3, good/bad (a tie), no issues
    row 2: alice skips, bob leaves a draft: nothing submitted
    row 3: alice and bob disagree, the adjudicator settles it
    row 4: carol alone
    row 5: untouched
    """
    alice, bob = make_review(), make_review(annotator="bob")
    carol, judge = make_review(annotator="carol"), make_review(annotator="adjudicated")
    alice.submit(0, quality=4, verdict="good", issues=["unsafe", "factual"], comment="risky")
    bob.submit(0, quality=5, verdict="good", issues=["factual"])
    carol.submit(0, quality=2, verdict="bad", issues=["factual", "style"], comment="risky")
    alice.submit(1, quality=3, verdict="good", issues=[])
    bob.submit(1, quality=3, verdict="bad", issues=[])
    alice.position = 2
    alice.session.handle({"type": "skip", "seq": 1, "key": alice.keys.key(2)})
    bob.position = 2
    bob.session.handle(
        {"type": "answer", "seq": 1, "key": bob.keys.key(2), "question": "quality", "value": 1}
    )
    alice.submit(3, quality=1, verdict="bad", issues=[])
    bob.submit(3, quality=2, verdict="good", issues=[])
    judge.submit(3, quality=2, verdict="good", issues=[])
    carol.submit(4, quality=5, verdict="unsure", issues=["style"])
    return alice


def test_mode_is_checked(team):
    with pytest.raises(ValueError, match=r"'all' or 'consensus'"):
        team.to_dataset(annotators="everyone")
    with pytest.raises(ValueError, match=r"'all' or 'consensus'"):
        team.to_pandas(annotators="majority")


# -- annotators="all" -------------------------------------------------------------------------


def test_all_features_are_lists_of_the_usual_features(team, ds):
    out = team.to_dataset(annotators="all")
    assert out.column_names == [*ds.column_names, "quality", "verdict", "issues", "comment",
                                "annotator", "status", "annotated_at"]  # fmt: skip
    assert out.features["quality"] == datasets.List(datasets.Value("int32"))
    assert out.features["verdict"] == datasets.List(datasets.ClassLabel(names=VERDICTS))
    assert out.features["issues"] == datasets.List(datasets.List(datasets.ClassLabel(names=ISSUES)))
    assert out.features["comment"] == datasets.List(datasets.Value("string"))
    assert out.features["annotator"] == datasets.List(datasets.Value("string"))
    assert out.features["annotated_at"] == datasets.List(datasets.Value("timestamp[us, tz=UTC]"))
    schema = out.data.table.schema
    assert schema.field("quality").type == pa.list_(pa.int32())
    assert schema.field("annotated_at").type == pa.list_(pa.timestamp("us", tz="UTC"))
    assert out.select_columns(ds.column_names).to_dict() == ds.to_dict()


def test_all_has_one_aligned_entry_per_annotator_by_name(team):
    out = team.to_dataset(annotators="all")
    assert out["annotator"] == [
        ["alice", "bob", "carol"],
        ["alice", "bob"],
        ["alice", "bob"],
        ["adjudicated", "alice", "bob"],
        ["carol"],
        [],
    ]
    assert out["quality"] == [[4, 5, 2], [3, 3], [None, 1], [2, 1, 2], [5], []]
    assert out["verdict"] == [[G, G, B], [G, B], [None, None], [G, B, G], [U], []]
    assert out["issues"] == [
        [[FACTUAL, UNSAFE], [FACTUAL], [FACTUAL, STYLE]],
        [[], []],
        [None, None],
        [[], [], []],
        [[STYLE]],
        [],
    ]
    assert out["comment"] == [["risky", None, "risky"], [None, None], [None, None],
                              [None, None, None], [None], []]  # fmt: skip
    assert out["status"] == [
        ["submitted"] * 3,
        ["submitted"] * 2,
        ["skipped", "draft"],
        ["submitted"] * 3,
        ["submitted"],
        [],
    ]
    stamps = out["annotated_at"]
    assert [len(s) for s in stamps] == [3, 2, 2, 3, 1, 0]
    assert all(t is not None and t.tzinfo is not None for row in stamps for t in row)


def test_all_with_a_prefix_and_as_pandas(team, ds):
    out = team.to_dataset(prefix="r_", annotators="all")
    assert out["r_quality"][0] == [4, 5, 2]
    frame = team.to_pandas(annotators="all")
    assert frame["quality"].dtype == object
    assert list(frame["quality"][0]) == [4, 5, 2]
    assert list(frame["annotator"][5]) == []
    assert list(frame.columns[: len(ds.column_names)]) == ds.column_names


def test_all_on_a_dataframe_keeps_its_index(make_review, df):
    alice, bob = make_review(df), make_review(df, annotator="bob")
    alice.submit(2, quality=4, verdict="good", issues=[])
    bob.submit(2, quality=1, verdict="bad", issues=["style"])
    frame = alice.to_pandas(annotators="all")
    assert frame.index.equals(df.index)
    assert list(frame.loc[40, "quality"]) == [4, 1]
    assert list(frame.loc[40, "annotator"]) == ["alice", "bob"]


def test_all_rows_with_one_content_key_each_get_every_entry(make_review):
    data = datasets.Dataset.from_dict(
        {"prompt": ["same", "other", "same"], "response": ["x", "y", "x"]}
    )
    alice, bob = make_review(data), make_review(data, annotator="bob")
    alice.submit(0, quality=2, verdict="good", issues=[])
    bob.submit(2, quality=3, verdict="bad", issues=[])  # the same record as row 0
    out = alice.to_dataset(annotators="all")
    assert out["quality"] == [[2, 3], [], [2, 3]]
    assert out["annotator"] == [["alice", "bob"], [], ["alice", "bob"]]


def test_all_of_an_empty_store_and_an_empty_dataset(make_review, ds):
    out = make_review().to_dataset(annotators="all")
    assert out["quality"] == [[]] * 6
    empty = make_review(ds.select([])).to_dataset(annotators="all")
    assert len(empty) == 0
    assert empty.features["quality"] == datasets.List(datasets.Value("int32"))


def test_all_ignores_records_not_in_the_data(make_review, ds):
    make_review().submit(0, quality=5, verdict="good", issues=[])
    make_review(annotator="bob").submit(1, quality=1, verdict="bad", issues=[])
    out = make_review(ds.select([1])).to_dataset(annotators="all")
    assert out["annotator"] == [["bob"]]


# -- annotators="consensus" -------------------------------------------------------------------


def test_consensus_features(team, ds):
    out = team.to_dataset(annotators="consensus")
    added = ["quality", "verdict", "issues", "comment", "annotator", "status", "annotated_at",
             "agreement"]  # fmt: skip
    assert out.column_names == [*ds.column_names, *added]
    assert out.features["quality"] == datasets.Value("float64")
    assert out.features["verdict"] == datasets.ClassLabel(names=VERDICTS)
    assert out.features["issues"] == datasets.List(datasets.ClassLabel(names=ISSUES))
    assert out.features["comment"] == datasets.Value("string")
    assert out.features["annotator"] == datasets.List(datasets.Value("string"))
    assert out.features["status"] == datasets.Value("string")
    assert out.features["annotated_at"] == datasets.Value("timestamp[us, tz=UTC]")
    assert out.features["agreement"] == datasets.Value("float64")


def test_consensus_values(team):
    out = team.to_dataset(annotators="consensus")
    assert out["quality"] == pytest.approx([11 / 3, 3.0, None, 2.0, 5.0, None], nan_ok=True)
    assert out["quality"][2] is None
    assert out["quality"][5] is None
    # majority; a tie (row 1) has none; the adjudicator decides row 3
    assert out["verdict"] == [G, None, None, G, U, None]
    # per label majority: factual chosen by 3 of 3, unsafe and style by 1 of 3 each
    assert out["issues"] == [[FACTUAL], [], None, [], [STYLE], None]
    # free text: only an answer everyone who answered gave
    assert out["comment"] == ["risky", None, None, None, None, None]
    assert out["annotator"] == [
        ["alice", "bob", "carol"],
        ["alice", "bob"],
        [],
        ["adjudicated", "alice", "bob"],
        ["carol"],
        [],
    ]
    assert out["status"] == ["submitted", "submitted", None, "submitted", "submitted", None]
    assert [t is None for t in out["annotated_at"]] == [False, False, True, False, False, True]


def test_consensus_agreement_is_the_share_of_the_most_common_answer(team):
    agreement = team.to_dataset(annotators="consensus")["agreement"]
    # row 0: quality 4/5/2 -> 1/3, verdict good/good/bad -> 2/3, issues all differ -> 1/3
    # row 1: quality 3/3 -> 1, verdict good/bad -> 1/2, issues []/[] -> 1
    # row 3: without the adjudicator: 1/2, 1/2, 1
    assert agreement == pytest.approx([4 / 9, 5 / 6, None, 2 / 3, 1.0, None], nan_ok=True)
    assert agreement[2] is None
    assert agreement[5] is None


def test_consensus_as_pandas(team):
    frame = team.to_pandas(annotators="consensus")
    assert frame["quality"].dtype == "float64"
    assert frame["agreement"].dtype == "float64"
    assert frame["quality"].isna().tolist() == [False, False, True, False, False, True]
    assert frame["verdict"][0] == "good"  # a label name in pandas (API.md 3)
    assert pd.isna(frame["verdict"][1])


def test_consensus_ignores_drafts_and_skips(make_review):
    alice, bob = make_review(), make_review(annotator="bob")
    alice.submit(0, quality=5, verdict="good", issues=[])
    bob.position = 0
    bob.session.handle(
        {"type": "answer", "seq": 1, "key": bob.keys.key(0), "question": "quality", "value": 1}
    )
    out = alice.to_dataset(annotators="consensus")
    assert out["quality"][0] == 5.0
    assert out["annotator"][0] == ["alice"]
    assert out["agreement"][0] == 1.0


def test_consensus_with_an_adjudicator_alone(make_review):
    make_review(annotator="adjudicated").submit(1, quality=3, verdict="bad", issues=["style"])
    out = make_review().to_dataset(annotators="consensus")
    assert (out["quality"][1], out["verdict"][1], out["issues"][1]) == (3.0, B, [STYLE])
    assert out["agreement"][1] is None  # no annotator to agree


def test_consensus_refuses_a_question_named_agreement(make_review):
    review = make_review(questions=[nr.Rating("agreement")])
    with pytest.raises(ValueError, match=r"agreement"):
        review.to_dataset(annotators="consensus")
    assert review.to_dataset(annotators="all")["agreement"] == [[]] * 6


def test_consensus_of_spans_keeps_spans_most_annotators_marked(make_review, ds):
    spans = nr.Spans("errors", field="response", labels=["wrong", "odd"])
    made = [make_review(questions=[spans], annotator=a) for a in ("a", "b", "c")]
    text = ds["response"][3]  # "Soft rain on the roof\n..."
    rain = {"start": 5, "end": 9, "label": "wrong", "text": text[5:9]}
    roof = {"start": 17, "end": 21, "label": "odd", "text": text[17:21]}
    soft = {"start": 0, "end": 4, "label": "wrong", "text": text[0:4]}
    made[0].submit(3, errors=[rain, roof])
    made[1].submit(3, errors=[roof, rain, soft])
    made[2].submit(3, errors=[roof])
    made[0].submit(0, errors=[])
    out = made[0].to_dataset(annotators="consensus")
    assert out["errors"][3] == [rain, roof]  # rain 2/3, roof 3/3, soft 1/3; in text order
    assert out["errors"][0] == []
    assert out["errors"][1] is None
    assert out["agreement"][3] is None  # spans are left to agreement()
    everyone = made[0].to_dataset(annotators="all")
    assert everyone["errors"][3] == [[rain, roof], [soft, rain, roof], [roof]]


# -- progress of each annotator ---------------------------------------------------------------


def test_progress_by_annotator(team):
    table = team.progress_by_annotator()
    assert list(table.columns) == ["annotator", "submitted", "skipped", "drafts"]
    assert table.to_dict("records") == [
        {"annotator": "adjudicated", "submitted": 1, "skipped": 0, "drafts": 0},
        {"annotator": "alice", "submitted": 3, "skipped": 1, "drafts": 0},
        {"annotator": "bob", "submitted": 3, "skipped": 0, "drafts": 1},
        {"annotator": "carol", "submitted": 2, "skipped": 0, "drafts": 0},
    ]
    assert team.progress == nr.Progress(total=6, submitted=3, skipped=1, remaining=2)


def test_progress_by_annotator_counts_only_records_in_the_data(make_review, ds):
    make_review().submit(0, quality=5, verdict="good", issues=[])
    make_review(annotator="bob").submit(1, quality=1, verdict="bad", issues=[])
    table = make_review(ds.select([1, 2])).progress_by_annotator()
    assert table.to_dict("records") == [
        {"annotator": "bob", "submitted": 1, "skipped": 0, "drafts": 0}
    ]


def test_progress_by_annotator_of_an_empty_store(make_review):
    table = make_review().progress_by_annotator()
    assert table.empty
    assert list(table.columns) == ["annotator", "submitted", "skipped", "drafts"]


def test_several_annotators_on_postgres(make_review, pg_url):
    alice = make_review(store=pg_url)
    bob = make_review(store=pg_url, annotator="bob")
    alice.submit(0, quality=4, verdict="good", issues=["style"])
    bob.submit(0, quality=5, verdict="good", issues=[])
    out = alice.to_dataset(annotators="consensus")
    assert out["quality"][0] == 4.5
    assert out["verdict"][0] == G
    assert out["issues"][0] == []
    assert out["agreement"][0] == pytest.approx((0.5 + 1 + 0.5) / 3)
    assert alice.progress_by_annotator()["submitted"].tolist() == [1, 1]
