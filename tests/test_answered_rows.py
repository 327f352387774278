"""The lead's exports touch the rows that have answers only (issue 25): consensus, every
annotator's answers, agreement, the disputed records to adjudicate and a Hub export give,
without `id=`, what the same review with `id=` gives, and never compute every row's key."""

from __future__ import annotations

import datasets

import nbreview as nr
from nbreview._export.picking import submitted
from nbreview._hub.publish import _log
from nbreview._team.adjudicate import disputed_rows

ROWS = 3000


def reviews(ds, folder, name: str, **kwargs) -> nr.Review:
    labels = nr.Label("verdict", ["good", "bad"])
    return nr.Review(ds, ["t"], [labels], store=folder / "s.sqlite", annotator=name, **kwargs)


def timeless(columns: dict) -> dict:
    """The columns, with only whether each row has a time: the two stores' clocks differ."""
    at = columns.pop("annotated_at")
    columns["annotated"] = [None if t is None else bool(t) for t in at]
    return columns


def dataset() -> datasets.Dataset:
    texts = [f"row {i} " + "words " * (i % 7) for i in range(ROWS)]
    return datasets.Dataset.from_dict({"t": texts, "id": [f"r{i}" for i in range(ROWS)]})


def twins(tmp_path):
    """The same review keyed by content (no `id=`) and by `id=`, each in a folder of its own."""
    for twin, kwargs in (("content", {}), ("id", {"id": "id"})):
        folder = tmp_path / twin
        folder.mkdir()
        yield twin, kwargs, folder


def test_exports_without_id_match_the_same_with_id_and_hash_answered_rows_only(tmp_path):
    ds = dataset()
    found = {}
    for twin, kwargs, folder in twins(tmp_path):
        alice, bob = reviews(ds, folder, "alice", **kwargs), reviews(ds, folder, "bob", **kwargs)
        for i in (3, 40, 41, 2999):
            alice.submit(i, verdict="good")
            bob.submit(i, verdict="bad" if i in (40, 2999) else "good")
        bob.submit(1000, verdict="bad")
        lead = reviews(ds, folder, "lead", **kwargs)
        lead.submit(5, verdict="good")
        found[twin] = {
            "consensus": timeless(lead.to_dataset(annotators="consensus").to_dict()),
            "all": timeless(lead.to_dataset(annotators="all").to_dict()),
            "agreement": lead.agreement().to_dict(),
            "disputed": disputed_rows(lead).tolist(),
            "mine": submitted(lead)[0].tolist(),
            "log": len(_log(lead, anonymize=False)),  # one row per answer of the data's records
        }
        if twin == "content":
            assert lead.keys._all is None  # no pass computed every row's key
    assert found["content"]["disputed"] == found["id"]["disputed"] == [40, 2999]
    assert found["content"]["mine"] == found["id"]["mine"] == [5]
    for part in ("consensus", "all", "agreement"):
        assert found["content"][part] == found["id"][part], part
    assert found["content"]["log"] == found["id"]["log"] == 10


def test_card_counts_and_suggestion_columns_without_id_match_the_same_with_id(tmp_path):
    """The Hub card's counts and `to_dataset(suggestions=True)` find the stored records'
    rows by their keys: without `id=` they equal the `id=` twin's and hash few rows."""
    from nbreview._hub.card import _stats

    def judge(records):
        return [{"verdict": "bad" if r["_row"] % 2 else "good"} for r in records]

    ds = dataset()
    found = {}
    for twin, kwargs, folder in twins(tmp_path):
        alice, lead = reviews(ds, folder, "alice", **kwargs), reviews(ds, folder, "lead", **kwargs)
        for i in (7, 8, 2500):
            alice.submit(i, verdict="good")
        lead.submit(9, verdict="bad")
        lead.suggest(judge, rows=[10, 11, 2998])
        exported = lead.to_dataset(suggestions=True)
        found[twin] = {
            "team": _stats(lead, "all"),
            "mine": _stats(lead),
            "suggested": exported["verdict_suggestion"],
        }
        if twin == "content":
            assert lead.keys._all is None  # no pass computed every row's key
    assert found["content"] == found["id"]
    assert found["content"]["team"]["annotators"] == 2
    assert found["content"]["team"]["answered"] == 4
    suggested = found["content"]["suggested"]
    assert [i for i, v in enumerate(suggested) if v is not None] == [10, 11, 2998]
