"""The id check: distinct ids in any order pass, a repeat anywhere is caught."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from nbreview._data import distinct


def shuffled(values: list, seed: int = 0) -> list:
    order = np.random.default_rng(seed).permutation(len(values))
    return [values[i] for i in order]


@pytest.mark.parametrize(
    "ids",
    [
        [f"r{i:07d}" for i in range(5000)],  # one width: the data buffer read as words
        [f"id-{i}" for i in range(5000)],  # widths 4 to 7
        [f"{i:x}-" * (1 + i % 9) for i in range(3000)],  # widths up to 36
        [str(i) * 30 for i in range(100)],  # wider than MAX_WIDTH: the hash table
        list(range(5000)),
    ],
    ids=["fixed", "varied", "long", "too-wide", "ints"],
)
def test_distinct_ids_in_random_order_pass_and_one_repeat_fails(ids):
    values = shuffled(ids)
    assert distinct.all_distinct(pa.array(values))
    repeated = [*values[:-1], values[len(values) // 3]]
    assert not distinct.all_distinct(pa.array(repeated))
    chunked = pa.chunked_array([repeated[:1000], repeated[1000:]])
    assert not distinct.all_distinct(chunked)


def test_a_prefix_is_not_the_same_id():
    assert distinct.all_distinct(pa.array(["ab", "ab\x00", "a", ""]))


def test_a_hash_tie_goes_to_the_exact_check(monkeypatch):
    monkeypatch.setattr(distinct, "_hashes", lambda ids: np.zeros(len(ids), dtype=np.uint64))
    assert distinct.all_distinct(pa.array(["b", "a", "c"]))
    assert not distinct.all_distinct(pa.array(["b", "a", "b"]))
