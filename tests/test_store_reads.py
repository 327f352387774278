"""What an export reads from the store, as Arrow tables: the same rows the store holds, whatever
the ids, names and answers contain (store/tables.py's text form and its JSON fallback)."""

from __future__ import annotations

import sqlite3

import pandas as pd
import pyarrow as pa
import pytest

import nbreview as nr
from nbreview.store import tables

# Ids and names with the text form's own separators in them, quotes, escapes, emoji.
AWKWARD_IDS = ["plain", "unit\x1fsep", "\x1e", 'quote"d', "back\\slash", "emoji 🙂", ""]
LABELS = ['say "yes"', "no\\maybe", "naïve", "\x1e", "plain"]


def awkward_review(
    store: str, annotator: str = "ann\x1eotator", ids: list[str] = AWKWARD_IDS
) -> nr.Review:
    frame = pd.DataFrame({"id": ids, "text": [f"text {i}" for i in range(len(ids))]})
    return nr.Review(
        frame,
        fields=["text"],
        questions=[
            nr.Rating("quality", scale=(0, 4)),
            nr.Label("verdict", labels=LABELS),
            nr.MultiLabel("tags", labels=LABELS, required=False),
            nr.FreeText("note"),
        ],
        id="id",
        store=store,
        annotator=annotator,
    )


@pytest.mark.parametrize("separator_in_an_id", [False, True])
def test_to_dataset_exact_with_separators_and_escapes_in_ids_labels_and_names(
    store_url, monkeypatch, separator_in_an_id
):
    ids = AWKWARD_IDS if separator_in_an_id else [i.replace("\x1f", "-") for i in AWKWARD_IDS]
    parsed_as_json = []
    from_json = tables.from_json_columns
    monkeypatch.setattr(
        tables, "from_json_columns", lambda *a: parsed_as_json.append(1) or from_json(*a)
    )
    review = awkward_review(store_url, ids=ids)
    given = {}
    for i in range(len(ids) - 1):  # the last row stays unanswered
        answer = {
            "quality": i % 5,
            "verdict": LABELS[i % len(LABELS)],
            "tags": LABELS[: i % 3],
            "note": f"line\n{ids[i]}\x1f\x1e",
        }
        review.submit(i, **answer)
        given[i] = answer
    out = review.to_pandas()
    for i, answer in given.items():
        row = out.iloc[i]
        assert row["quality"] == answer["quality"]
        assert row["verdict"] == answer["verdict"]
        assert list(row["tags"]) == answer["tags"]
        assert row["note"] == answer["note"]
        assert row["annotator"] == "ann\x1eotator"
        assert row["status"] == "submitted"
    last = out.iloc[len(ids) - 1]
    assert pd.isna(last["quality"])
    assert pd.isna(last["status"])
    assert pd.isna(last["annotator"])
    ds = review.to_dataset()
    assert ds["verdict"][: len(given)] == [LABELS.index(a["verdict"]) for a in given.values()]
    # SQLite falls back to JSON only for the id holding its separator (PostgreSQL sends CSV)
    assert bool(parsed_as_json) == (separator_in_an_id and not store_url.startswith("postgres"))


def _rows(path: str, sql: str) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_sqlite_tables_hold_exactly_the_rows_sqlite_holds(store_path):
    review = awkward_review(str(store_path))
    for i in range(len(AWKWARD_IDS)):
        review.submit(i, quality=i % 5, verdict=LABELS[i % len(LABELS)], note=f"n{i}")
    review.store.add_seconds(review.name, review.annotator, review.keys.key(0), 1.25)
    store, path = review.store, str(store_path)

    times = store.times(review.name)
    expected = _rows(path, "SELECT record, annotator, status, annotated_at, seconds FROM records")
    assert sorted(map(tuple, times.to_pandas().itertuples(index=False))) == sorted(expected)

    answers = store.answers_table(review.name, review.annotator)
    expected = _rows(path, "SELECT record, question, value FROM answers")
    assert sorted(map(tuple, answers.to_pandas().itertuples(index=False))) == sorted(expected)

    records = store.records_table(review.name, review.annotator)
    expected = _rows(path, "SELECT record, status, annotated_at FROM records")
    assert sorted(map(tuple, records.to_pandas().itertuples(index=False))) == sorted(expected)


def test_text_form_refuses_what_it_cannot_split_and_marks_nulls():
    schema = tables.TIMES
    good = (2, "a\x1fb", "x\x1fy", "submitted\x1f\x1e", "1\x1f2", "1.5\x1f0.25")
    table = tables.from_text_columns([good], schema)
    assert table.to_pylist() == [
        {"record": "a", "annotator": "x", "status": "submitted", "annotated_at": 1, "seconds": 1.5},
        {"record": "b", "annotator": "y", "status": None, "annotated_at": 2, "seconds": 0.25},
    ]
    held_separator = (2, "a\x1fb\x1fc", "x\x1fy", "s\x1fs", "1\x1f2", "1\x1f2")
    assert tables.from_text_columns([held_separator], schema) is None
    not_a_number = (1, "a", "x", "s", "soon", "1")
    assert tables.from_text_columns([not_a_number], schema) is None
    assert tables.from_text_columns([(0, None, None, None, None, None)], schema).num_rows == 0


def test_answers_on_a_record_without_status_still_reach_to_dataset(store_path):
    """An answer whose record row has no status (an older store's state) is exported too."""
    review = awkward_review(str(store_path), annotator="alice")
    review.submit(0, quality=3, verdict="plain", note="kept")
    review.submit(1, quality=1, verdict="naïve")
    con = sqlite3.connect(store_path)
    with con:
        con.execute("UPDATE records SET status = NULL WHERE record = ?", (review.keys.key(1),))
    con.close()
    out = review.to_pandas()
    assert out["quality"].iloc[:2].tolist() == [3, 1]
    assert out["verdict"].iloc[1] == "naïve"
    assert out["status"].iloc[0] == "submitted"
    assert pd.isna(out["status"].iloc[1])


@pytest.mark.parametrize("texts", [["3", "0", "4"], ["3", "null", "4"]])
def test_rating_reads_stored_digits_and_falls_back_to_json(texts):
    rating = nr.Rating("quality", scale=(0, 4))
    got = rating.from_stored(pa.array(texts)).to_pylist()
    assert got == [None if t == "null" else int(t) for t in texts]
