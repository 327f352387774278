"""Record source and keys: rows by position, `id=` keys, content-hash keys that re-attach."""

from __future__ import annotations

import datasets
import pandas as pd
import pytest

import nbreview as nr
from nbreview._data.keys import RecordKeys
from nbreview._data.source import RecordSource

SHOWN = ["prompt", "response"]


def key_by_id(review: nr.Review) -> dict[str, str]:
    """id -> record key, over every row of the review's data."""
    ids = review.source.arrow_column("id").to_pylist()
    return {i: review.keys.key(p) for p, i in enumerate(ids)}


def position_of(review: nr.Review, record_id: str) -> int:
    return review.source.arrow_column("id").to_pylist().index(record_id)


# -- source -----------------------------------------------------------------------------------


def test_dataset_rows_by_position(ds, rows):
    source = RecordSource.of(ds)
    assert len(source) == 6
    assert source.columns == ["id", "prompt", "response", "model_score"]
    for p in range(6):
        assert source.row(p, ["id", "response", "model_score"]) == {
            "id": rows["id"][p],
            "response": rows["response"][p],
            "model_score": rows["model_score"][p],
        }
    assert source.arrow_column("id", 2, 4).to_pylist() == ["r-c", "r-d"]


def test_dataframe_rows_by_position_not_index_label(df, rows):
    source = RecordSource.of(df)
    assert len(source) == 6
    assert source.columns == ["id", "prompt", "response", "model_score"]
    # position 1 has index label 10; label 1 does not exist at all
    assert source.row(1, ["id", "model_score"]) == {"id": "r-b", "model_score": None}
    for p in range(6):
        assert source.row(p, ["id", "prompt", "model_score"]) == {
            "id": rows["id"][p],
            "prompt": rows["prompt"][p],
            "model_score": rows["model_score"][p],
        }


def test_rows_of_shuffled_selected_and_filtered_datasets(ds):
    shuffled = ds.shuffle(seed=7)
    source = RecordSource.of(shuffled)
    assert [source.row(p, ["id"])["id"] for p in range(6)] == shuffled["id"]
    picked = ds.select([5, 0, 3])
    assert [RecordSource.of(picked).row(p, ["id"])["id"] for p in range(3)] == [
        "r-f",
        "r-a",
        "r-d",
    ]
    kept = ds.filter(lambda r: r["model_score"] is not None)
    assert RecordSource.of(kept).arrow_column("id").to_pylist() == ["r-a", "r-c", "r-d", "r-e"]


def test_negative_positions_count_from_the_end(ds, df):
    for data in (ds, df):
        source = RecordSource.of(data)
        assert source.check_position(-1) == 5
        assert source.check_position(-6) == 0
        assert source.check_position(0) == 0


@pytest.mark.parametrize("position", [6, 7, -7, 10**9])
def test_positions_out_of_range_are_index_errors(ds, df, position):
    for data in (ds, df):
        with pytest.raises(IndexError, match=r"out of range"):
            RecordSource.of(data).check_position(position)


def test_review_submit_takes_negative_positions(make_review, df):
    for review in (make_review(), make_review(df, name="frame")):
        review.submit(-1, quality=2, verdict="bad", issues=[])
        review.submit(-6, quality=5, verdict="good", issues=[])
        assert review.to_dataset()["quality"] == [5, None, None, None, None, 2]
        with pytest.raises(IndexError, match=r"out of range"):
            review.submit(-7, quality=5, verdict="good", issues=[])
        with pytest.raises(IndexError, match=r"out of range"):
            review.submit(6, quality=5, verdict="good", issues=[])


def test_other_inputs_are_refused(ds):
    with pytest.raises(ValueError, match=r"DatasetDict.*train"):
        RecordSource.of(datasets.DatasetDict({"train": ds}))
    with pytest.raises(ValueError, match=r"datasets.Dataset or a pandas.DataFrame"):
        RecordSource.of([{"prompt": "x"}])


# -- id keys ----------------------------------------------------------------------------------


def test_id_column_gives_the_keys(make_review, ds):
    review = make_review(id="id")
    assert [review.keys.key(p) for p in range(6)] == ds["id"]
    shuffled = make_review(ds.shuffle(seed=1), id="id")
    assert [shuffled.keys.key(p) for p in range(6)] == ds.shuffle(seed=1)["id"]


def test_integer_id_column_is_keyed_as_text(make_review):
    data = datasets.Dataset.from_dict({"n": [7, 3, 11], "prompt": ["a", "b", "c"]})
    review = make_review(data, fields=["prompt"], id="n")
    assert [review.keys.key(p) for p in range(3)] == ["7", "3", "11"]


def test_duplicate_ids_are_refused(make_review, store_path):
    data = datasets.Dataset.from_dict({"id": ["x", "y", "x"], "prompt": ["a", "b", "c"]})
    with pytest.raises(ValueError, match=r"id column 'id' has duplicate values.*'x'"):
        make_review(data, fields=["prompt"], id="id")
    assert not store_path.exists()


def test_null_ids_are_refused(make_review, store_path, df):
    data = datasets.Dataset.from_dict({"id": ["x", None, "z"], "prompt": ["a", "b", "c"]})
    with pytest.raises(ValueError, match=r"id column 'id' has 1 missing value"):
        make_review(data, fields=["prompt"], id="id")
    frame = df.copy()
    frame.loc[frame.index[2], "id"] = None
    with pytest.raises(ValueError, match=r"id column 'id' has 1 missing value"):
        make_review(frame, id="id")
    assert not store_path.exists()


# -- content-hash keys ------------------------------------------------------------------------


def test_content_keys_are_distinct_and_stable_across_objects(ds):
    keys = RecordKeys(RecordSource.of(ds), None, SHOWN)
    all_keys = keys.all().to_pylist()
    assert len(set(all_keys)) == 6
    again = RecordKeys(RecordSource.of(datasets.Dataset.from_dict(ds.to_dict())), None, SHOWN)
    assert again.all().to_pylist() == all_keys
    assert [keys.key(p) for p in range(6)] == all_keys


def test_content_keys_survive_save_and_reload(make_review, ds, tmp_path):
    before = key_by_id(make_review())
    ds.save_to_disk(tmp_path / "saved")
    after = key_by_id(make_review(datasets.load_from_disk(tmp_path / "saved")))
    assert after == before


def test_content_keys_survive_a_json_reload(make_review, ds, tmp_path):
    ds.to_json(tmp_path / "outputs.jsonl")
    loaded = datasets.load_dataset(
        "json",
        data_files=str(tmp_path / "outputs.jsonl"),
        split="train",
        cache_dir=str(tmp_path / "hf-cache"),
    )
    assert key_by_id(make_review(loaded)) == key_by_id(make_review())


def test_content_keys_survive_shuffle_select_filter(make_review, ds):
    base = key_by_id(make_review())
    shuffled = key_by_id(make_review(ds.shuffle(seed=42)))
    assert shuffled == base
    selected = key_by_id(make_review(ds.select([4, 1, 2])))
    assert selected == {i: base[i] for i in ["r-e", "r-b", "r-c"]}
    filtered = key_by_id(make_review(ds.filter(lambda r: r["model_score"] is None)))
    assert filtered == {i: base[i] for i in ["r-b", "r-f"]}
    both = key_by_id(make_review(ds.shuffle(seed=3).select([0, 1, 2]).filter(lambda r: True)))
    assert both == {i: base[i] for i in both}


def test_content_keys_equal_for_dataframe_and_dataset(make_review, ds, df):
    assert key_by_id(make_review(df)) == key_by_id(make_review(ds))
    # column order and the order of `fields` do not matter
    reordered = df[["response", "model_score", "id", "prompt"]]
    assert key_by_id(make_review(reordered, fields=["response", "prompt"])) == key_by_id(
        make_review(ds)
    )


def test_content_keys_hash_only_shown_and_annotated_columns(make_review, ds):
    base = key_by_id(make_review())
    # a column that is not shown (the suggestion source) does not change the key
    rescored = ds.map(lambda r: {"model_score": 1})
    assert key_by_id(make_review(rescored)) == base
    # editing a shown value does: the annotation belongs to the old text
    edited = ds.map(lambda r: {"response": r["response"] + "!"})
    changed = key_by_id(make_review(edited))
    assert all(changed[i] != base[i] for i in base)
    # showing one more column changes every key
    wider = key_by_id(make_review(fields=["prompt", "response", "model_score"]))
    assert all(wider[i] != base[i] for i in base)


def test_annotations_reattach_after_shuffle_and_select(make_review, ds):
    first = make_review()
    first.submit(position_of(first, "r-d"), quality=2, verdict="bad", issues=["factual"])
    first.submit(position_of(first, "r-a"), quality=5, verdict="good", issues=[])

    shuffled = make_review(ds.shuffle(seed=11))
    out = shuffled.to_dataset()
    by_id = {r["id"]: r for r in out}
    assert by_id["r-d"]["quality"] == 2
    assert by_id["r-d"]["status"] == "submitted"
    assert by_id["r-a"]["quality"] == 5
    assert {i for i, r in by_id.items() if r["status"] is not None} == {"r-d", "r-a"}
    assert shuffled.progress.submitted == 2

    picked = make_review(ds.select([3, 2]))
    assert picked.to_dataset()["quality"] == [2, None]
    assert picked.progress == nr.Progress(total=2, submitted=1, skipped=0, remaining=1)


def test_annotations_reattach_between_dataframe_and_dataset(make_review, ds, df):
    on_frame = make_review(df)
    on_frame.submit(2, quality=3, verdict="unsure", issues=["style"], comment="meh")
    on_dataset = make_review(ds.shuffle(seed=5))
    row = next(r for r in on_dataset.to_dataset() if r["id"] == "r-c")
    assert row["quality"] == 3
    assert row["comment"] == "meh"
    assert row["status"] == "submitted"

    # and back: an answer given on the Dataset shows up on the DataFrame
    on_dataset.submit(position_of(on_dataset, "r-f"), quality=1, verdict="bad", issues=[])
    frame = make_review(df).to_pandas()
    assert frame.loc[30, "quality"] == 1  # label 30 is row r-f
    assert frame.loc[40, "quality"] == 3  # label 40 is row r-c


def test_content_keys_do_not_depend_on_pandas_dtype(make_review, df):
    # object dtype instead of pandas' string dtype: same values, same keys
    as_object = df.astype({"prompt": object, "response": object})
    assert key_by_id(make_review(as_object)) == key_by_id(make_review(df))


def test_dataframe_with_default_index_and_dataset_agree(make_review, ds, df):
    plain = df.reset_index(drop=True)
    assert key_by_id(make_review(plain)) == key_by_id(make_review(ds))
    assert isinstance(plain.index, pd.RangeIndex)
