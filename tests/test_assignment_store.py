"""Claims: a record is handed to at most `overlap` annotators at once, on either store."""

from __future__ import annotations

import time

from nbreview.store import Change, open_store

KEYS = ["k1", "k2", "k3"]


def submit(store, annotator, key):
    store.write(Change("r", annotator, key, answers={"q": 1}, status="submitted"))


def test_claims_respect_overlap_and_release_on_the_next_claim(store_url):
    store = open_store(store_url)
    try:
        assert store.claim("r", "alice", KEYS, overlap=1, ttl=60) == "k1"
        assert store.claim("r", "bob", KEYS, overlap=1, ttl=60) == "k2"
        # Alice moves on: her claim on k1 is released, so Carol can have it.
        assert store.claim("r", "alice", ["k3"], overlap=1, ttl=60) == "k3"
        assert store.claim("r", "carol", KEYS, overlap=1, ttl=60) == "k1"
        assert store.claim("r", "dave", KEYS, overlap=1, ttl=60) is None
        assert store.claim("r", "erin", KEYS, overlap=2, ttl=60) == "k1"
    finally:
        store.close()


def test_submitted_answers_count_and_claims_expire(store_url):
    store = open_store(store_url)
    try:
        submit(store, "alice", "k1")
        submit(store, "adjudicated", "k2")
        assert store.submitted_counts("r", KEYS, exclude="bob") == {"k1": 1}
        assert store.submitted_counts("r", KEYS, exclude="alice") == {}
        # k1 is full for overlap 1; the adjudicator's answer does not count.
        assert store.claim("r", "bob", KEYS, overlap=1, ttl=0.05) == "k2"
        assert store.claim("r", "carol", ["k2"], overlap=1, ttl=60) is None
        time.sleep(0.1)
        assert store.claim("r", "carol", ["k2"], overlap=1, ttl=60) == "k2"
        # Another review's claims are its own.
        assert store.claim("other", "dave", ["k2"], overlap=1, ttl=60) == "k2"
    finally:
        store.close()


def test_status_counts_per_annotator(store_url):
    store = open_store(store_url)
    try:
        submit(store, "alice", "k1")
        submit(store, "alice", "k2")
        submit(store, "bob", "k1")
        store.write(Change("r", "bob", "k3", answers={"q": 2}, status="draft"))
        store.write(Change("other", "carol", "k1", status="skipped"))
        assert sorted(store.status_counts("r")) == [
            ("alice", "submitted", 2),
            ("bob", "draft", 1),
            ("bob", "submitted", 1),
        ]
    finally:
        store.close()
