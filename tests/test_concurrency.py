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


# -- issue 25, fault 5: one name in two windows, racing -----------------------------------------


def _window_race(url: str, records: int, seed: int) -> tuple[dict, dict]:
    """Two windows of alice (two kernels' Reviews on one store) answer every record they are
    shown open, as fast as they can, with heartbeats and steps back mixed in. Returns what
    each window had acknowledged (record -> its label) and what the store holds."""
    import random
    import threading

    import pandas as pd

    import nbreview as nr

    data = pd.DataFrame({"text": [f"record {i}" for i in range(records)]})
    reviews = [
        nr.Review(data, ["text"], [nr.Label("verdict", ["a", "b"])], store=url, annotator="alice")
        for _ in range(2)
    ]
    acked: list[dict[str, str]] = [{}, {}]
    start = threading.Barrier(2)

    def run(w: int) -> None:
        widget, label, rng, seq = reviews[w].widget, "ab"[w], random.Random(seed + w), 0
        start.wait()
        for _ in range(4 * records):
            view = widget.view
            record = view.get("record")
            if view.get("done") or record is None:
                break
            seq += 1
            message = {"type": "answer", "seq": seq, "view": "v", "key": record["key"],
                       "question": "verdict", "value": label, "submit": True}  # fmt: skip
            if record["status"] is not None:  # shown answered: a person moves on
                message = {"type": "nav", "seq": seq, "view": "v", "to": "next"}
            widget._on_message(None, message, None)
            if message["type"] == "answer" and widget.view["notice"] is None:
                acked[w][record["key"]] = label
            if rng.random() < 0.3:
                widget._on_message(None, {"type": "here"}, None)
            if rng.random() < 0.1:
                seq += 1
                back = {"type": "nav", "seq": seq, "view": "v", "to": "prev"}
                widget._on_message(None, back, None)

    threads = [threading.Thread(target=run, args=(w,)) for w in range(2)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
        stored = {r: v for r, _a, _q, v, _t in reviews[0].store.answers("default", "alice")}
    finally:
        for review in reviews:
            review.widget.close()
            review.store.close()
    return {"a": acked[0], "b": acked[1]}, stored


@pytest.mark.timeout(600)
def test_two_windows_of_one_name_never_overwrite_an_acknowledged_answer(store_url):
    acked, stored = _window_race(store_url, records=150, seed=7)
    both = set(acked["a"]) & set(acked["b"])
    assert not both, f"{len(both)} records acknowledged to both windows (one overwritten)"
    for label, answered in acked.items():
        for key in answered:
            assert stored[key] == label  # every acknowledged answer is what the store holds
    assert len(acked["a"]) + len(acked["b"]) == len(stored) == 150


# -- issue 25: SQLite, twenty reviewers at a human pace -----------------------------------------


def _human_pace(path: str, writers: int, rounds: int, pace: float = 1.0) -> list[str]:
    """`writers` annotators (a thread and a Review each, overlap=1) answer the record on
    screen about once a second through the widget's message path. Returns every notice
    that said a change was not stored, or that left a reviewer on the record just submitted."""
    import random
    import threading

    import pandas as pd

    import nbreview as nr

    data = pd.DataFrame({"text": [f"record {i}" for i in range(writers * (rounds + 2))]})
    question = [nr.Rating("quality", scale=5)]
    reviews = [
        nr.Review(data, ["text"], question, store=path, annotator=f"a{w}", overlap=1)
        for w in range(writers)
    ]
    problems: list[str] = []
    start = threading.Barrier(writers)

    def run(w: int) -> None:
        session, rng = reviews[w].session, random.Random(w)
        start.wait()
        time.sleep(pace * rng.random())
        for seq in range(1, rounds + 1):
            began = time.monotonic()
            key = session.view()["record"]["key"]
            message = {"type": "answer", "seq": seq, "view": "v", "key": key,
                       "question": "quality", "value": 1 + seq % 5, "submit": True}  # fmt: skip
            session.handle(message)
            view = session.view()
            if view["notice"] is not None:
                problems.append(f"a{w}: {view['notice']['text']}")
            elif view["record"]["key"] == key:
                problems.append(f"a{w}: left on the record just submitted (seq {seq})")
            if session.ack != seq:
                return  # the page would resend; the test counts the fault and stops here
            time.sleep(max(0.0, pace * (1.0 + rng.uniform(-0.2, 0.2)) - (time.monotonic() - began)))

    threads = [threading.Thread(target=run, args=(w,)) for w in range(writers)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=600)
    finally:
        for review in reviews:
            review.store.close()
    return problems


@pytest.mark.timeout(900)
def test_twenty_sqlite_writers_at_a_human_pace_are_all_saved(store_path):
    problems = _human_pace(str(store_path), writers=20, rounds=12)
    assert problems == [], f"{len(problems)} problems, e.g. {problems[:3]}"
    store = open_store(store_path)
    try:
        submitted = [r for r in store.records("default") if r[2] == "submitted"]
        assert len(submitted) == 20 * 12
        assert len({r[0] for r in submitted}) == 20 * 12  # overlap=1: no record twice
    finally:
        store.close()


@pytest.mark.timeout(900)
def test_twenty_sqlite_writers_as_fast_as_they_can_are_all_saved(store_path):
    """The lock passes from writer to writer: each waits its turn instead of "Not saved"."""
    problems = _human_pace(str(store_path), writers=20, rounds=20, pace=0.0)
    assert problems == [], f"{len(problems)} problems, e.g. {problems[:3]}"
