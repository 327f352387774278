"""The "Team:" line under the progress bar: this annotator's own count at once after a
submit, the others' read every few seconds, and never "adjudicated"."""

from __future__ import annotations

import datasets

import nbreview as nr


def review(store, who) -> nr.Review:
    ds = datasets.Dataset.from_dict({"id": [f"r{i}" for i in range(12)], "t": ["x"] * 12})
    return nr.Review(ds, fields=["t"], questions=[nr.Label("v", ["a", "b"])], id="id",
                     store=store, annotator=who)  # fmt: skip


def team_of(r: nr.Review) -> dict[str, int]:
    return {t["annotator"]: t["submitted"] for t in r.session.view()["progress"]["team"]}


def answer(r: nr.Review, seq: int) -> None:
    key = r.keys.key(r.session.position)
    message = {"type": "answer", "seq": seq, "key": key, "question": "v", "value": "a"}
    r.session.handle({**message, "submit": True})


def test_own_submits_show_at_once_and_adjudicated_is_no_member(store_path):
    ana, ben = review(store_path, "ana"), review(store_path, "ben")
    for i in range(3):
        ana.submit(i, v="a")
    review(store_path, "adjudicated").submit(0, v="b")
    assert team_of(ben) == {}  # ben has answered nothing: no team line yet
    for seq in range(1, 8):
        answer(ben, seq)
        assert team_of(ben) == {"ana": 3, "ben": seq}  # at once, from his first submit
    assert "adjudicated" not in team_of(ana)
