"""A lead whose own annotator answered nothing, exporting the team's work: told to name
annotators="consensus" or "all", and a card that never contradicts the data it describes."""

from __future__ import annotations

import warnings

import datasets
import pytest

import nbreview as nr


def review(store, who) -> nr.Review:
    ds = datasets.Dataset.from_dict({"id": [f"r{i:02d}" for i in range(20)],
                                     "text": [f"t{i}" for i in range(20)]})  # fmt: skip
    return nr.Review(ds, fields=["text"], questions=[nr.Label("v", ["a", "b"])], id="id",
                     store=store, annotator=who)  # fmt: skip


def card_counts(folder) -> dict[str, str]:
    text = (folder / "README.md").read_text()
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 2 and cells[1].isdigit():
            rows[cells[0]] = cells[1]
    return rows


@pytest.fixture
def team(store_path):
    ana, ben = review(store_path, "ana"), review(store_path, "ben")
    for i in range(8):
        ana.submit(i, v="a")
    for i in range(7):
        ben.submit(i + 8, v="b")
    return review(store_path, "lead")


def test_an_empty_export_warns_and_names_the_modes(team):
    with pytest.warns(UserWarning, match=r"'lead' has no answers.*'ana', 'ben'.*consensus.*all"):
        ds = team.to_dataset()
    assert ds["v"] == [None] * 20
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        consensus = team.to_dataset(annotators="consensus")
    assert sum(v is not None for v in consensus["v"]) == 15


def test_the_card_counts_what_its_data_holds(team, tmp_path):
    with pytest.warns(UserWarning, match="no answers"):
        own = team.save_hub_folder(tmp_path / "own")
    counts = card_counts(own)
    assert counts["records with a submitted answer"] == "0"
    assert counts["answers submitted (one per record and annotator)"] == "0"
    shared = card_counts(team.save_hub_folder(tmp_path / "team", annotators="consensus"))
    assert shared["records with a submitted answer"] == "15"
    assert shared["annotators"] == "2"
