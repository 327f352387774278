"""overlap=k: each annotator is handed only records that still need answers, never one too many."""

from __future__ import annotations

import multiprocessing as mp
import time
from collections import Counter

import datasets
import pytest

import nbreview as nr

N = 12


def data() -> datasets.Dataset:
    return datasets.Dataset.from_dict(
        {"id": [f"r{i:02d}" for i in range(N)], "text": [f"text {i}" for i in range(N)]}
    )


def review(store, annotator, overlap):
    return nr.Review(
        data(),
        fields=["text"],
        questions=[nr.Rating("q", scale=3)],
        id="id",
        store=store,
        annotator=annotator,
        overlap=overlap,
    )


def answer(r, seq: int) -> None:
    """One key answers, submits and moves on (a single rating question)."""
    key = r.keys.key(r.position)
    message = {"type": "answer", "seq": seq, "key": key, "question": "q", "value": 2}
    r.session.handle({**message, "submit": True})


def submitted(store) -> Counter:
    """Submitted answers per record, from the store itself."""
    probe = review(store, "probe", None)
    counts = Counter(r[0] for r in probe.store.records(probe.name) if r[2] == "submitted")
    probe.store.close()
    return counts


def test_two_annotators_are_handed_different_records(store_url):
    alice, bob = review(store_url, "alice", 1), review(store_url, "bob", 1)
    assert (alice.position, bob.position) == (0, 1)
    answer(alice, 1)
    assert alice.position == 2  # row 1 is Bob's while he is on it
    answer(bob, 1)
    assert bob.position == 3
    # A newcomer is handed the first record nobody has taken.
    carol = review(store_url, "carol", 1)
    assert carol.position == 4
    # By arrows she may look at rows 3 and 2 (Bob's and Alice's, not answered yet), but
    # records others have filled (rows 0 and 1) are not shown to her.
    for seq, row in ((1, 3), (2, 2), (3, 2)):
        carol.session.handle({"type": "nav", "seq": seq, "to": "prev"})
        assert carol.position == row
    assert carol.session.view()["notice"]["kind"] == "info"
    for r in (alice, bob, carol):
        r.store.close()


def test_without_overlap_everyone_sees_everything(store_url):
    alice, bob = review(store_url, "alice", None), review(store_url, "bob", None)
    answer(alice, 1)
    assert bob.position == 0
    for r in (alice, bob):
        r.store.close()


def test_bad_overlap_is_refused(store_path):
    with pytest.raises(ValueError, match="overlap"):
        review(store_path, "alice", 0)
    assert not store_path.exists()


def work(store: str, annotator: str, overlap: int, start) -> int:
    """An annotator answering whatever they are handed until nothing is left."""
    start.wait()
    r = review(store, annotator, overlap)
    seq = 0
    while not r.session.done and r.position is not None and seq < 10 * N:
        seq += 1
        answer(r, seq)
        notice = r.session.view()["notice"]
        assert notice is None or notice["kind"] != "error", notice
    r.store.close()
    return seq


@pytest.mark.parametrize("overlap", [1, 2])
def test_concurrent_annotators_never_over_assign(store_url, overlap):
    review(store_url, "setup", None).store.close()  # create the schema once
    ctx = mp.get_context("spawn")
    with ctx.Manager() as manager:
        start = manager.Event()
        with ctx.Pool(4) as pool:
            jobs = [pool.apply_async(work, (store_url, f"a{i}", overlap, start)) for i in range(4)]
            start.set()
            done = [job.get(timeout=120) for job in jobs]
    counts = submitted(store_url)
    assert set(counts) == {f"r{i:02d}" for i in range(N)}
    assert all(c == overlap for c in counts.values()), counts
    assert sum(done) == N * overlap


def test_a_claim_lives_on_while_its_annotator_stays_on_the_record(store_path, monkeypatch):
    """The page's heartbeat renews the overlap claim: someone reading one record for longer
    than the claim lasts keeps it, and nobody else is handed it meanwhile."""
    from nbreview._ui import cursor

    monkeypatch.setattr(cursor, "CLAIM_TTL", 1.0)
    a = review(str(store_path), "alice", overlap=1)
    page = a.widget
    assert a.position == 0  # claimed for alice
    for _ in range(3):  # 1.5 s on the record, a heartbeat every 0.5 s
        time.sleep(0.5)
        page._on_message(None, {"type": "here"}, None)
    b = review(str(store_path), "bob", overlap=1)
    assert b.position == 1, "bob was handed the record alice is still on"


def test_without_a_heartbeat_the_claim_lapses(store_path, monkeypatch):
    from nbreview._ui import cursor

    monkeypatch.setattr(cursor, "CLAIM_TTL", 0.5)
    a = review(str(store_path), "alice", overlap=1)
    assert a.session.position == 0
    time.sleep(0.7)
    b = review(str(store_path), "bob", overlap=1)
    assert b.position == 0  # alice's page went quiet: the record is free again
