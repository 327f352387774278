"""review.assign(): named records for named people, kept in the store (every kernel sees them),
with overlap and gold_rate still applying, on SQLite and PostgreSQL."""

from __future__ import annotations

import datasets
import pytest

import nbreview as nr

N = 20


def data(gold: bool = False) -> datasets.Dataset:
    columns = {
        "id": [f"r{i:02d}" for i in range(N)],
        "text": [f"text {i}" for i in range(N)],
        "model": ["a" if i % 2 == 0 else "b" for i in range(N)],
    }
    if gold:
        columns["g"] = [2 if i >= N - 4 else None for i in range(N)]
    return datasets.Dataset.from_dict(columns)


def review(store, annotator, gold=False, **kwargs) -> nr.Review:
    return nr.Review(
        data(gold), fields=["text"],
        questions=[nr.Rating("q", scale=3, gold="g" if gold else None)],
        id="id", store=store, annotator=annotator, **kwargs,
    )  # fmt: skip


def handed(r: nr.Review, count: int = N) -> list[int]:
    """Rows handed out in turn, each submitted as a reviewer does."""
    seen = []
    for _ in range(count):
        if r.session.done or r.session.position is None:  # None: nothing to hand out
            break
        seen.append(r.session.position)
        r.session.answer({"q": 2}, submit=True)
    return seen


def test_an_assigned_annotator_is_handed_only_their_records(store_url):
    lead = review(store_url, "lead")
    assert lead.assign("ana", "model == 'a'") == 10
    assert lead.assign("ben", rows=range(1, 6)) == 5
    ana, ben = review(store_url, "ana"), review(store_url, "ben")  # other kernels
    assert handed(ana) == list(range(0, N, 2))
    assert handed(ben) == [1, 2, 3, 4, 5]
    chloe = review(store_url, "chloe")  # no assignment: what nobody is assigned
    assert handed(chloe) == [7, 9, 11, 13, 15, 17, 19]
    only = review(store_url, "dan", assigned_only=True)
    assert handed(only) == []


def test_assignments_count_assigned_submitted_remaining(store_url):
    lead = review(store_url, "lead")
    lead.assign("ana", "model == 'a'")
    lead.assign("ben", rows=[1, 3])
    handed(review(store_url, "ana"), 3)
    table = lead.assignments()
    assert table.to_dict("records") == [
        {"annotator": "ana", "assigned": 10, "submitted": 3, "remaining": 7},
        {"annotator": "ben", "assigned": 2, "submitted": 0, "remaining": 2},
    ]
    progress = lead.progress_by_annotator().set_index("annotator")
    columns = ["submitted", "assigned", "assigned_remaining"]
    assert progress.loc["ana", columns].tolist() == [3, 10, 7]
    assert progress.loc["ben", columns].tolist() == [0, 2, 2]


def test_assign_adds_and_unassign_frees(store_url):
    lead = review(store_url, "lead")
    lead.assign("ana", rows=[0, 1])
    assert lead.assign("ana", rows=[1, 2], filter="model == 'a'") == 3  # 0, 1 and 2
    lead.unassign("ana")
    assert lead.assignments().empty
    assert handed(review(store_url, "ana"), 3) == [0, 1, 2]


def test_overlap_still_applies_within_an_assignment(store_url):
    lead = review(store_url, "lead")
    lead.assign("ana", rows=range(6))
    lead.assign("ben", rows=range(6))
    ana = review(store_url, "ana", overlap=1)
    ben = review(store_url, "ben", overlap=1)
    assert ana.position == 0
    assert ben.position == 1  # row 0 is ana's while she is on it
    seen = handed(ana, 6) + handed(ben, 6)
    assert sorted(seen) == [0, 1, 2, 3, 4, 5]  # each record answered once


def test_gold_records_are_still_mixed_in(store_path):
    lead = review(store_path, "lead", gold=True, gold_rate=0.25)
    lead.assign("ana", "model == 'b'")
    seen = handed(review(store_path, "ana", gold=True, gold_rate=0.25))
    gold = [row for row in seen if row >= N - 4]
    assert [seen[3], seen[7]] == gold[:2]  # one in four, assigned or not
    assert set(seen) - set(gold) == {1, 3, 5, 7, 9, 11, 13, 15}  # her records outside gold


def test_the_lead_sees_a_new_assignment_at_once(store_path):
    lead = review(store_path, "lead")
    assert lead.session.position == 0
    lead.assign("lead", rows=[5, 6])
    assert lead.session.position == 5
    assert handed(lead) == [5, 6]


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"filter": "no_such_column == 1"}, "not a valid filter"),
        ({"filter": "model =="}, "not a valid filter"),
        ({"filter": 3}, "must be a string or a callable"),
        ({"rows": [0, 99]}, "row 99 is outside the data"),
        ({"rows": ["a"]}, "whole row positions"),
        ({}, "needs filter= .* or rows="),
    ],
)
def test_a_bad_assignment_is_a_clear_error_and_stores_nothing(store_path, kwargs, problem):
    lead = review(store_path, "lead")
    with pytest.raises(ValueError, match=problem):
        lead.assign("ana", **kwargs)
    assert lead.assignments().empty
    assert "assigned" not in lead.progress_by_annotator().columns


def test_assigned_only_is_checked(store_path):
    with pytest.raises(ValueError, match="assigned_only is True or False"):
        review(store_path, "x", assigned_only="yes")
