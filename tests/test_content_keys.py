"""Content keys, scheme 2: pinned values, the same keys whatever holds the values, find()."""

from __future__ import annotations

import datasets
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from nbreview._data import content_hash
from nbreview._data.keys import RecordKeys, content_key
from nbreview._data.source import RecordSource

CHATS = [
    [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello 👋"}],
    [],
    None,
    [{"role": "user", "content": "¿Qué tal?"}],
    [{"role": "user", "content": "x"}],
]
VALUES = {
    "text": ["alpha", "", None, "naïve café 日本語 🚀", "beta"],
    "score": [1, 2, None, -7, 2**40],
    "chat": CHATS,
}
COLUMNS = ["text", "score", "chat"]

# Keys are persisted in stores: these values must never change. If this test fails, the key
# scheme changed and every store written before would lose its answers; add a migration
# (a new scheme name and prefix) instead of updating these.
PINNED = [
    "k220183028ca7ba664c87d83eb4c6623",
    "k2c57d1fa24f3fd3c29c3a4408a60bd3",
    "k2d57c124357496230cbdecab349b52b",
    "k2fb0d86999e3ed72f16a56406fefcd1",
    "k20fa6e60cbe8276a925f138111eb69b",
]


def dataset() -> datasets.Dataset:
    return datasets.Dataset.from_dict(VALUES)


def keys_of(data, columns=COLUMNS) -> list[str]:
    return RecordKeys(RecordSource.of(data), None, columns).all().to_pylist()


def test_keys_of_a_fixed_dataset_are_pinned():
    assert keys_of(dataset()) == PINNED


def test_keys_are_32_characters_of_scheme_2():
    for key in keys_of(dataset()):
        assert len(key) == 32
        assert key.startswith("k2")
        assert content_hash.signature_of(key) is not None
    assert len(set(keys_of(dataset()))) == 5


def test_a_dataframe_holding_the_same_values_has_the_same_keys():
    frame = pd.DataFrame(
        {
            "text": pd.array(VALUES["text"], dtype="string"),
            "score": pd.array(VALUES["score"], dtype="Int64"),
            "chat": CHATS,
        },
        index=[9, 3, 7, 1, 5],
    )
    assert keys_of(frame) == PINNED
    as_object = frame.astype({"text": object})
    assert keys_of(as_object) == PINNED


def test_integer_widths_and_integral_floats_give_the_same_keys():
    narrow = datasets.Dataset.from_dict(
        VALUES,
        features=datasets.Features(
            {
                "text": datasets.Value("large_string"),
                "score": datasets.Value("int64"),
                "chat": [{"role": datasets.Value("string"), "content": datasets.Value("string")}],
            }
        ),
    )
    assert keys_of(narrow) == PINNED
    floats = pd.DataFrame({"text": VALUES["text"], "score": VALUES["score"], "chat": CHATS})
    assert floats["score"].dtype == np.float64  # None became NaN: still the same values
    assert keys_of(floats) == PINNED


def test_shuffled_selected_and_filtered_rows_keep_their_keys():
    by_text = dict(zip(VALUES["text"], PINNED, strict=True))
    shuffled = dataset().shuffle(seed=4)
    assert keys_of(shuffled) == [by_text[t] for t in shuffled["text"]]
    picked = dataset().select([3, 0])
    assert keys_of(picked) == [PINNED[3], PINNED[0]]
    kept = dataset().filter(lambda r: r["score"] is not None and r["score"] > 1)
    assert keys_of(kept) == [PINNED[1], PINNED[4]]
    assert keys_of(dataset().to_pandas().iloc[::-1]) == PINNED[::-1]


def test_message_fields_in_any_order_or_missing_as_none_give_the_same_key():
    flipped = [[{"content": m["content"], "role": m["role"]} for m in c] if c else c for c in CHATS]
    assert keys_of(pd.DataFrame({**VALUES, "chat": flipped})) == PINNED
    with_none = [[{**m, "name": None} for m in c] if c else c for c in CHATS]
    assert keys_of(pd.DataFrame({**VALUES, "chat": with_none})) == PINNED


def test_column_names_and_values_both_count():
    base = keys_of(dataset())
    renamed = dataset().rename_column("text", "body")
    assert set(keys_of(renamed, ["body", "score", "chat"])).isdisjoint(base)
    # the same strings under swapped names are other records
    swapped = datasets.Dataset.from_dict({"a": ["x", "y"], "b": ["y", "x"]})
    first, second = keys_of(swapped, ["a", "b"])
    assert first != second
    # null, empty text and the text "n" are three values
    edge = datasets.Dataset.from_dict({"t": [None, "", "n", "None"]})
    assert len(set(keys_of(edge, ["t"]))) == 4


def test_a_key_does_not_depend_on_the_neighbouring_rows():
    alone = keys_of(datasets.Dataset.from_dict({"t": ["ab"]}), ["t"])[0]
    for texts in (["ab", "cdefghijklmnop"], ["zzzzzzzzzzzz", "ab"], ["", "ab", "x"]):
        data = datasets.Dataset.from_dict({"t": texts})
        assert keys_of(data, ["t"])[texts.index("ab")] == alone
        table = pa.table({"t": pa.chunked_array([texts[:1], texts[1:]])})
        chunked = datasets.Dataset(datasets.table.InMemoryTable(table))
        assert keys_of(chunked, ["t"])[texts.index("ab")] == alone


def test_content_key_of_one_record_matches_the_rows():
    for i, key in enumerate(PINNED):
        assert content_key({c: VALUES[c][i] for c in COLUMNS}) == key


def test_a_column_mixing_types_is_keyed_value_by_value():
    frame = pd.DataFrame({"t": ["a", "b", "c"], "m": [1, "1", {"x": 1}]})
    keys = keys_of(frame, ["t", "m"])
    pairs = zip(frame["t"], frame["m"], strict=True)
    assert keys == [content_key({"t": t, "m": m}) for t, m in pairs]
    assert len(set(keys)) == 3


def test_find_hashes_only_rows_a_stored_signature_allows():
    data = datasets.Dataset.from_dict({"t": [f"row {i}" * (1 + i % 50) for i in range(2000)]})
    keys = RecordKeys(RecordSource.of(data), None, ["t"])
    wanted = [content_key({"t": data[i]["t"]}) for i in (5, 700, 1999)]
    positions, found = keys.find([*wanted, "not-a-key", "0" * 32])
    assert positions.tolist() == [5, 700, 1999]
    assert found.to_pylist() == wanted
    assert keys._all is None  # no full pass was needed
    assert keys.find([])[0].tolist() == []


def test_find_counts_every_row_of_a_repeated_record():
    data = datasets.Dataset.from_dict({"t": ["same", "other", "same"]})
    keys = RecordKeys(RecordSource.of(data), None, ["t"])
    positions, _ = keys.find([content_key({"t": "same"})])
    assert positions.tolist() == [0, 2]


@pytest.mark.parametrize("rows", [7, 70_000])
def test_chunked_and_gathered_keys_agree(rows):
    table = pa.table({"t": [f"v{i % 5000}-{i}" for i in range(rows)]})
    data = datasets.Dataset(datasets.table.InMemoryTable(table))
    keys = RecordKeys(RecordSource.of(data), None, ["t"])
    positions = np.array([rows - 1, 0, rows // 2])
    assert keys.take(positions).to_pylist() == [keys.key(int(p)) for p in positions]
    assert keys.all().take(pa.array(positions)).to_pylist() == keys.take(positions).to_pylist()


def test_vectorized_digests_equal_the_per_value_ones_byte_for_byte():
    """polars-hash (the `fast` extra) hashes a column in one call; its digests must be the
    `xxhash` package's, on every XXH3 length path (0, 1-3, 4-8, 9-16, 17-128, 129-240, long),
    on text, encoded values and nulls, and on chunked columns."""
    from nbreview._data import fast_hash

    assert fast_hash.available()
    rng = np.random.default_rng(5)
    alphabet = list("abcxyz é日本🚀\n\t\"'")
    lengths = [0, 1, 2, 3, 4, 8, 9, 16, 17, 100, 128, 129, 240, 241, 1000, 1024, 5000, 70_000]
    texts = ["".join(rng.choice(alphabet, size=n)) for n in lengths]
    values = {
        "text": pa.chunked_array([texts[:9], [None, *texts[9:]]]),
        "score": pa.array([1, None, -7, 2**40, 0]),
        "chat": pa.array(CHATS),
    }
    for column, held in values.items():
        kind, payload = content_hash._payload(held)
        assert fast_hash.digests(payload, content_hash.seed(kind, column)) is not None
        fast = content_hash.column_digests(column, held, vectorized=True)
        assert fast.shape == (len(held), 16)
        assert (fast == content_hash.column_digests(column, held)).all(), column


def test_every_key_of_many_rows_is_hashed_a_column_at_a_time_and_is_the_same(monkeypatch):
    from nbreview._data import fast_hash
    from nbreview._data import keys as keys_module

    calls = []
    digests = fast_hash.digests
    monkeypatch.setattr(fast_hash, "digests", lambda *a: calls.append(1) or digests(*a))
    monkeypatch.setattr(keys_module, "VECTORIZED", 5)
    assert keys_of(dataset()) == PINNED
    assert len(calls) == len(COLUMNS)  # one call per column, not one per value
    rows = 70_000
    table = pa.table({"t": [f"v{i % 5000}-{i}" for i in range(rows)], "n": range(rows)})
    data = datasets.Dataset(datasets.table.InMemoryTable(table))
    every = keys_of(data, ["t", "n"])
    chunked = RecordKeys(RecordSource.of(data), None, ["t", "n"])
    assert every == [k for _, part in chunked.chunks() for k in part.to_pylist()]
