"""Many kernels at once: separate processes, each an annotator, submit to one store together.

PostgreSQL: 8 processes x 500 submits on a fresh database (so they also race to create
the schema). SQLite: 4 processes x 500 on one file. Afterwards every answer is there
once, with its value, and the log holds exactly one change per submit.
"""

from __future__ import annotations

import multiprocessing
import time
from collections import Counter

import pytest

from nbreview.store import Change, open_store

SUBMITS = 500


def quality(annotator: int, i: int) -> int:
    return 1 + (annotator * 7 + i) % 5


def annotate(url: str, annotator: int, start, ready) -> None:
    """One kernel: open the store, wait for the others, submit SUBMITS records."""
    store = open_store(url)
    try:
        ready.put(annotator)
        start.wait(timeout=120)
        name = f"annotator-{annotator}"
        for i in range(SUBMITS):
            store.write(
                Change(
                    "default",
                    name,
                    f"rec-{i:04d}",
                    answers={"quality": quality(annotator, i), "note": f"{name}/{i}"},
                    status="submitted",
                    seconds=0.5,
                )
            )
    finally:
        store.close()


def run_kernels(url: str, n: int) -> float:
    """Start n spawned processes, release them together, return the seconds they took."""
    ctx = multiprocessing.get_context("spawn")
    start, ready = ctx.Barrier(n + 1), ctx.Queue()
    procs = [ctx.Process(target=annotate, args=(url, a, start, ready)) for a in range(n)]
    for p in procs:
        p.start()
    try:
        start.wait(timeout=120)  # every process has opened the store and waits here
        began = time.monotonic()
        for p in procs:
            p.join(timeout=120)
        took = time.monotonic() - began
        assert [p.exitcode for p in procs] == [0] * n
        assert sorted(ready.get(timeout=5) for _ in range(n)) == list(range(n))
        return took
    finally:
        for p in procs:
            if p.is_alive():
                p.kill()
                p.join()


def check(url: str, n: int) -> None:
    store = open_store(url)
    try:
        answers = store.answers("default")
        assert len(answers) == 2 * n * SUBMITS
        seen = Counter((r, a, q) for r, a, q, _, _ in answers)
        assert set(seen.values()) == {1}  # each answer once
        values = {(r, a, q): v for r, a, q, v, _ in answers}
        for k in range(n):
            name = f"annotator-{k}"
            assert store.statuses("default", name) == {
                f"rec-{i:04d}": "submitted" for i in range(SUBMITS)
            }
            for i in range(SUBMITS):
                assert values[(f"rec-{i:04d}", name, "quality")] == quality(k, i)
                assert values[(f"rec-{i:04d}", name, "note")] == f"{name}/{i}"
        records = store.records("default")
        assert len(records) == n * SUBMITS
        assert {s for _, _, s, _, _ in records} == {"submitted"}
        assert {sec for *_, sec in records} == {0.5}
        history = store.history("default")
        changes = {c: (r, a) for c, r, a, *_ in history}
        assert len(changes) == n * SUBMITS  # one change per submit
        assert len(set(changes.values())) == n * SUBMITS
        per_change = Counter(c for c, *_ in history)
        assert set(per_change.values()) == {3}  # quality, note, status
    finally:
        store.close()


@pytest.mark.timeout(120)
def test_kernels_submitting_together_lose_nothing(store_url):
    """The same case on both stores: 8 kernels on a fresh PostgreSQL database (racing to
    create the schema too), 4 on one SQLite file created once, as by the first kernel."""
    n = 8 if store_url.startswith("postgresql://") else 4
    if n == 4:
        open_store(store_url).close()
    took = run_kernels(store_url, n)
    check(store_url, n)
    assert took < 60, f"{n} x {SUBMITS} submits took {took:.1f} s"
