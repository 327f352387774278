"""Stored records found without reading all the data (issue 25): the signature index and the
known keys kept beside the store, and every path that finds rows (progress, reopening,
to_dataset, a second window, undo) giving what hashing every row gives."""

from __future__ import annotations

import random

import datasets
import numpy as np
import pyarrow as pa
import pytest

import nbreview as nr
from nbreview._data import content_hash, index_cache
from nbreview._data.keys import RecordKeys
from nbreview._data.source import RecordSource

ROWS = 3000


def texts(rows: int = ROWS, seed: int = 0) -> list[str]:
    """Texts of every length class, three rows equal (equal rows share a key)."""
    rng = random.Random(seed)
    words = ["alpha", "beta", "γάμμα", "日本語", "🚀", "x" * 300]
    out = [" ".join(rng.choices(words, k=rng.randint(0, 12))) + str(i) for i in range(rows)]
    for i in (7, 1500, 2999):
        if i < rows:
            out[i] = "the same row"
    return out


@pytest.fixture
def small_blocks(monkeypatch):
    """Files kept for data of a few thousand rows too."""
    monkeypatch.setattr(index_cache, "MIN_ROWS", 10)


def hashed_rows(monkeypatch) -> list[int]:
    """How many rows each hashing of chosen rows (RecordKeys._at) took, from now on."""
    hashed: list[int] = []
    at = RecordKeys._at
    monkeypatch.setattr(RecordKeys, "_at", lambda self, p: hashed.append(len(p)) or at(self, p))
    return hashed


class Place:
    """A store as far as the key file is concerned: where it lives."""

    def __init__(self, path):
        self.path = path


def kept_keys(ds, folder) -> RecordKeys:
    keys = RecordKeys(RecordSource.of(ds), None, ["t"])
    keys.keep_index_with(Place(folder / "store.sqlite"))
    return keys


def every_key(ds) -> pa.Array:
    return RecordKeys(RecordSource.of(ds), None, ["t"]).all()


@pytest.mark.parametrize("wanted_rows", [[], [0], [7], [5, 6, 7, 8], "tenth", "all"])
def test_the_kept_index_finds_exactly_the_rows_hashing_finds(small_blocks, tmp_path, wanted_rows):
    ds = datasets.Dataset.from_dict({"t": texts()})
    reference = every_key(ds)
    if wanted_rows == "tenth":
        wanted_rows = list(range(0, ROWS, 10))
    elif wanted_rows == "all":
        wanted_rows = list(range(ROWS))
    wanted = [reference[i].as_py() for i in wanted_rows] + ["k2" + "0" * 30, "r1", "K2zz"]
    for _ in range(2):  # written by the first RecordKeys, read by the second
        keys = kept_keys(ds, tmp_path)
        positions, found = keys.find(wanted)
        expected = np.flatnonzero(np.isin(reference.to_numpy(zero_copy_only=False), wanted))
        assert positions.tolist() == expected.tolist()
        assert found.to_pylist() == [reference[int(i)].as_py() for i in expected]
    kept = sorted(p.name.split(".", 1)[1] for p in (tmp_path / "store.sqlite-keys").iterdir())
    assert kept[0] == "index.npy"
    assert kept[1:] == (["known.npy"] if 0 < len(expected) < ROWS / 4 else [])


def test_a_reopen_hashes_only_rows_answered_since(small_blocks, tmp_path, monkeypatch):
    ds = datasets.Dataset.from_dict({"t": texts()})
    reference = every_key(ds)
    wanted = [reference[i].as_py() for i in range(1, ROWS, 10)]
    kept_keys(ds, tmp_path).find(wanted)  # builds the index, hashes 300 rows, keeps both
    hashed = hashed_rows(monkeypatch)
    positions, _ = kept_keys(ds, tmp_path).find(wanted)
    assert positions.tolist() == list(range(1, ROWS, 10))
    assert sum(hashed) <= index_cache.CHECKS  # the spot check of the kept keys
    hashed.clear()
    more = [*wanted, reference[5].as_py(), reference[2002].as_py()]
    positions, _ = kept_keys(ds, tmp_path).find(more)
    assert positions.tolist() == sorted([*range(1, ROWS, 10), 5, 2002])
    assert sum(hashed) <= index_cache.CHECKS + 2 + 1  # and the two new rows (and a lookalike)
    shuffled = ds.shuffle(seed=3)  # its own fingerprint: files of its own
    assert kept_keys(shuffled, tmp_path).all().equals(every_key(shuffled))
    assert sorted(kept_keys(shuffled, tmp_path).find(more)[1].to_pylist()) == sorted(more)
    assert len(list((tmp_path / "store.sqlite-keys").glob("*.index.npy"))) == 2


def test_files_left_from_other_data_are_not_trusted(small_blocks, tmp_path):
    ds = datasets.Dataset.from_dict({"t": texts(seed=1)})
    other = datasets.Dataset.from_dict({"t": texts(seed=2)})
    first = kept_keys(other, tmp_path)
    first.find(every_key(other).to_pylist()[::7])  # its index and known keys
    mine = kept_keys(ds, tmp_path)
    first._cache.index_path.replace(mine._cache.index_path)  # under this data's names
    first._cache.known_path.replace(mine._cache.known_path)
    reference = every_key(ds)
    wanted = [reference[i].as_py() for i in (3, 99, 2000)]
    positions, found = mine.find(wanted)
    assert positions.tolist() == [3, 99, 2000]
    assert found.to_pylist() == wanted
    known = kept_keys(ds, tmp_path)
    known.index()
    assert len(known._known) == 3  # the other data's keys were dropped with its index


def test_a_folder_that_cannot_be_written_keeps_the_keys_in_the_process(small_blocks, tmp_path):
    (tmp_path / "store.sqlite-keys").write_text("a file where the folder would go")
    ds = datasets.Dataset.from_dict({"t": texts()})
    reference = every_key(ds)
    keys = kept_keys(ds, tmp_path)
    positions, _ = keys.find([reference[42].as_py()])
    assert positions.tolist() == [42]
    assert keys.find([reference[42].as_py()])[0].tolist() == [42]
    assert keys.all().equals(reference)


def test_small_data_and_dataframes_keep_no_file(tmp_path):
    ds = datasets.Dataset.from_dict({"t": texts(100)})
    keys = kept_keys(ds, tmp_path)  # under MIN_ROWS
    assert keys.find([every_key(ds)[3].as_py()])[0].tolist() == [3]
    assert not (tmp_path / "store.sqlite-keys").exists()
    frame = ds.to_pandas()
    assert index_cache.IndexCache.of(Place(tmp_path / "s"), frame, ["t"], "content-2") is None


def test_signatures_of_many_keys_agree_with_one_at_a_time():
    keys = every_key(datasets.Dataset.from_dict({"t": texts(500)})).to_pylist()
    mixed = [*keys, "k2ABCDEF01" + "0" * 22, "k2xyz", "", "k2" + "f" * 31, "k3" + "0" * 30]
    expected = [s for s in map(content_hash.signature_of, mixed) if s is not None]
    many = content_hash.signatures_of(pa.array([*mixed, None], pa.string()))
    assert many.tolist() == expected


def test_finding_one_record_hashes_only_the_rows_of_its_signature(monkeypatch):
    ds = datasets.Dataset.from_dict({"t": texts()})
    keys = RecordKeys(RecordSource.of(ds), None, ["t"])
    wanted = every_key(ds)[1500].as_py()
    hashed = hashed_rows(monkeypatch)
    assert keys.position_of(wanted) == 7  # the first of its three equal rows
    assert keys.position_of("k2" + "0" * 30) is None
    assert hashed == [3]  # the three equal rows, once; the second lookup found no candidate


# -- through a Review -------------------------------------------------------------------------


def review_of(ds, store, **kwargs) -> nr.Review:
    labels = nr.Label("verdict", ["good", "bad"])
    return nr.Review(ds, ["t"], [labels], store=store, annotator="alice", **kwargs)


def test_reopening_finds_answers_without_hashing_their_rows_again(
    small_blocks, tmp_path, monkeypatch
):
    ds = datasets.Dataset.from_dict({"t": texts()})
    store = tmp_path / "answers.sqlite"
    first = review_of(ds, store)
    answered = sorted(random.Random(5).sample(range(ROWS), 300))
    for i in answered:
        first.submit(i, verdict="good")
    first.store.close()
    assert review_of(ds, store).progress.submitted  # a process that keeps the index and the keys
    hashed = []
    at = RecordKeys._at
    monkeypatch.setattr(RecordKeys, "_at", lambda self, p: hashed.append(len(p)) or at(self, p))
    again = review_of(ds, store)
    same = {7, 1500, 2999}  # one record on three rows
    rows_of_answers = set(answered) | (same if same & set(answered) else set())
    assert again.progress.submitted == len(rows_of_answers)
    assert sum(hashed) <= index_cache.CHECKS  # the spot check, not the answered rows
    out = again.to_dataset()
    assert [i for i, v in enumerate(out["verdict"]) if v is not None] == sorted(rows_of_answers)
    shuffled = review_of(ds.shuffle(seed=9), store).to_dataset()
    assert sorted(t for t, s in zip(shuffled["t"], shuffled["status"], strict=True) if s) == sorted(
        t for t, s in zip(out["t"], out["status"], strict=True) if s
    )


def test_to_dataset_without_id_matches_the_same_with_id(small_blocks, tmp_path):
    rows = texts()
    ds = datasets.Dataset.from_dict({"t": rows, "id": [f"r{i}" for i in range(ROWS)]})
    by_content = review_of(ds, tmp_path / "a.sqlite")  # keyed by the text alone
    by_id = review_of(ds, tmp_path / "b.sqlite", id="id")
    for i in (0, 7, 123, 2998):
        by_content.submit(i, verdict="bad")
        by_id.submit(i, verdict="bad")
    by_id.submit(1500, verdict="bad")  # content keys: 7 and 1500 are one record
    by_id.submit(2999, verdict="bad")
    content = by_content.to_dataset()
    ids = by_id.to_dataset()
    assert content["verdict"] == ids["verdict"]
    assert content["status"] == ids["status"]


def test_a_second_window_and_undo_after_a_restart_find_their_record(small_blocks, tmp_path):
    ds = datasets.Dataset.from_dict({"t": texts()})
    store = tmp_path / "windows.sqlite"
    first = review_of(ds, store)
    first.submit(2000, verdict="good")
    assert first.widget.record is not None  # this window sits on a record
    second = review_of(ds, store)
    assert "also reviewing" in str(second.widget.visitor)
    key = second.keys.key(2000)
    assert second.session.cursor.position_of(key) == 2000
    assert second.keys.position_of("k2" + "f" * 30) is None
    restarted = review_of(ds, store)
    restarted.session.undo()  # the store's last change, found by its key
    assert restarted.progress.submitted == 0


def test_every_key_reads_signatures_back_from_a_kept_index(small_blocks, tmp_path, monkeypatch):
    """With an index kept from an earlier process, every row's key needs the digests only:
    no features are read from the text, and the keys are those of hashing every row."""
    ds = datasets.Dataset.from_dict({"t": texts()})
    kept_keys(ds, tmp_path).find([every_key(ds)[5].as_py()])  # builds the index and keeps it
    read: list[int] = []
    features = content_hash.features
    monkeypatch.setattr(content_hash, "features", lambda v: read.append(len(v)) or features(v))
    again = kept_keys(ds, tmp_path).all()  # a later process
    assert sum(read) < 100  # the kept index's spot checks only, not a pass over every row
    assert again.equals(every_key(ds))
