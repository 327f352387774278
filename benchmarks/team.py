"""A lead's view of paid review work at scale (issue 22): `quality()` with `competence`,
`monitor()` refreshes, and a reviewer's key-to-ack while a monitor refreshes beside it.

    python benchmarks/team.py [--rows 1000000] [--answers 100000]

One fresh process per measurement (run_task); each prints one `BENCHMARK-RESULT` line and
this script prints the table, each figure beside its target and a twin from the same run.

The store: `answers` submitted records of 10 annotators (each record by 5 of them, two
questions each: a Rating and a Label) on random rows of the 1M, written straight into its
tables (setup, not timed), with times on screen. Nine annotators give the hidden true
answer 85% of the time; `w9` answers at random, so competence must rank w9 last. Gold
answers on every 100th row (as benchmarks/quality.py).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import numpy as np

import data
from common import insert_rows, run_task, task_main, timed

ANNOTATORS = [f"w{i}" for i in range(10)]
PER_RECORD = 5
LABELS = ["accept", "revise", "reject"]
RUNS = 3
KEYS = 120  # key presses per block of the key-to-ack measurement
PACE = 0.08  # seconds between key presses: a fast reviewer
EVERY = 2  # the monitor's period in the key-to-ack measurement
TARGETS = {"quality_s": 3.0, "monitor_s": 1.0, "key_ratio": 1.10}


def build(args: dict):
    """The dataset (gold columns added) and a review on a filled store; w9 answers at random."""
    import quality  # benchmarks/quality.py: the gold columns and the review's questions

    ds = quality.with_gold(data.open_dataset(args["data"]))
    store = Path(args["dir"]) / f"{uuid.uuid4().hex}.sqlite"
    review = quality.make_review(ds, store)
    records = args["answers"] // PER_RECORD
    rng = np.random.default_rng(5)
    rows = np.sort(rng.choice(len(ds), records, replace=False))
    keys = review.keys.take(rows.tolist()).to_pylist()
    review.store.close()
    fill(store, keys, rng)
    return ds, store, keys


def fill(store: Path, keys: list[str], rng: np.random.Generator) -> None:
    now = time.time_ns() // 1000
    truth_q, truth_v = rng.integers(1, 6, len(keys)), rng.integers(0, 3, len(keys))
    answers, records = [], []
    for i, key in enumerate(keys):
        for who in rng.choice(len(ANNOTATORS), PER_RECORD, replace=False):
            name = ANNOTATORS[who]
            good = who != 9 and rng.random() < 0.85
            q = int(truth_q[i]) if good else int(rng.integers(1, 6))
            v = LABELS[int(truth_v[i])] if good else LABELS[int(rng.integers(0, 3))]
            at = now - (len(keys) - i) * 1_000_000 + int(who)
            answers.append(("default", name, key, "quality", str(q), at))
            answers.append(("default", name, key, "verdict", json.dumps(v), at))
            records.append(("default", name, key, "submitted", at, float(rng.uniform(3, 60))))
    insert_rows(store, answers, records)


def submit_one(review, rng: random.Random) -> None:
    """One more submitted record (so no figure is served from a cache of the last call)."""
    row = rng.randrange(len(review.source))
    review.submit(row, quality=rng.randint(1, 5), verdict=rng.choice(LABELS))


def quality_task(args: dict) -> dict:
    import quality

    ds, store, _ = build(args)
    review = quality.make_review(ds, store, annotator="lead")
    frame, first = timed(review.quality)
    competence = frame.set_index("annotator")["competence"]
    assert competence.idxmin() == "w9", competence
    rng, times = random.Random(3), []
    for _ in range(RUNS):
        submit_one(review, rng)
        _, seconds = timed(review.quality)
        times.append(seconds)
    return {
        "first_s": first,
        "median_s": statistics.median(times),
        "twin_s": crowdkit_alone(review),
        "w9": float(competence["w9"]),
        "others": float(competence.drop("w9").min()),
    }


def crowdkit_alone(review) -> float:
    """The twin: crowd-kit's Dawid–Skene called directly on the same answers, one fit per
    question, on a frame already built (its import not counted)."""
    import warnings

    from crowdkit.aggregation import DawidSkene

    table = review.store.submitted_answers(review.name).to_pandas()
    frames = [
        table[table["question"] == q][["record", "annotator", "text"]].set_axis(
            ["task", "worker", "label"], axis=1
        )
        for q in ("quality", "verdict")
    ]
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for frame in frames:
            DawidSkene(n_iter=10).fit(frame)
    return time.perf_counter() - start


def monitor_task(args: dict) -> dict:
    import quality

    ds, store, _ = build(args)
    review = quality.make_review(ds, store, annotator="lead")
    (monitor, first) = timed(lambda: review.monitor(every=600))  # its first refresh
    monitor.stop()
    fitting = time.perf_counter()
    while monitor._fitting is not None and monitor._fitting.is_alive():
        time.sleep(0.05)  # its first fit (quality() and agreement()), started when it opened
    fit_s = time.perf_counter() - fitting
    rng, times = random.Random(4), []
    for _ in range(RUNS):
        submit_one(review, rng)
        _, seconds = timed(monitor.refresh)
        times.append(seconds)
    assert monitor.error is None, monitor.error
    _, quality_s = timed(review.quality)
    return {
        "first_s": first,
        "median_s": statistics.median(times),
        "quality_s": quality_s,
        "fit_s": fit_s,
    }


def keys_task(args: dict) -> dict:
    """Key-to-ack in the kernel: a key press scheduled every PACE s, from its scheduled time
    to its message handled (waiting for the GIL counts), without and with a monitor
    refreshing every EVERY s in this process; blocks alternate to share the load."""
    import quality

    ds, store, _ = build(args)
    review = quality.make_review(ds, store, annotator="bench")
    widget = review.widget
    monitor = review.monitor(every=EVERY)
    while monitor._fitting is not None and monitor._fitting.is_alive():
        time.sleep(0.2)  # its first fit, made when it opens, done before the blocks
    fits = [monitor.slow.at]
    keeper = threading.Event()
    shown = threading.Thread(target=_keep_shown, args=(monitor, keeper), daemon=True)
    shown.start()
    seq = [0]
    quiet, busy = [], []
    for block in range(4):
        with_monitor = block % 2 == 1
        keeper.clear() if not with_monitor else keeper.set()
        if not with_monitor:
            monitor.seen_at = 0.0
        (busy if with_monitor else quiet).extend(_presses(review, widget, seq))
        if monitor.slow is not None and monitor.slow.at != fits[-1]:
            fits.append(monitor.slow.at)
    monitor.stop()
    keeper.clear()
    return {
        "quiet_ms": statistics.median(quiet) * 1000,
        "busy_ms": statistics.median(busy) * 1000,
        "quiet_p90_ms": float(np.percentile(quiet, 90) * 1000),
        "busy_p90_ms": float(np.percentile(busy, 90) * 1000),
        "refreshes": monitor.refreshes,
        "fits": len(fits) - 1,
        "presses": len(quiet) + len(busy),
    }


def _keep_shown(monitor, keeper: threading.Event) -> None:
    """The lead's page saying it shows the monitor (its "seen" message), while asked to."""
    while True:
        if keeper.is_set():
            monitor.seen_at = time.monotonic()
        time.sleep(0.5)


def _presses(review, widget, seq: list[int]) -> list[float]:
    out = []
    due = time.perf_counter()
    for i in range(KEYS):
        due += PACE
        time.sleep(max(0.0, due - time.perf_counter()))
        seq[0] += 1
        key = review.keys.key(review.session.position)
        message = {"type": "answer", "seq": seq[0], "key": key, "question": "verdict",
                   "value": LABELS[i % 3], "submit": False}  # fmt: skip
        widget._on_message(widget, message, [])
        out.append(time.perf_counter() - due)
    stored = review.store.record(review.name, review.annotator, key).answers
    assert stored.get("verdict") == LABELS[(KEYS - 1) % 3], stored  # each press was stored
    return out


# -- the table --------------------------------------------------------------------------------


def secs(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--only", choices=["quality", "monitor", "keys"], nargs="*")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = data.write(options.rows, Path(tmp) / "rows.arrow")
        args = {"data": str(path), "dir": tmp, "answers": options.answers}
        n = f"{options.answers:,} submitted by 10 annotators, {options.rows:,} rows"
        print("| measure | target | value | met? |\n|---|---|---|---|")
        if not options.only or "quality" in options.only:
            print_quality(run_task(sys.executable, "team.py", "quality", args, 1200), n)
        if not options.only or "monitor" in options.only:
            print_monitor(run_task(sys.executable, "team.py", "monitor", args, 1200), n)
        if not options.only or "keys" in options.only:
            print_keys(run_task(sys.executable, "team.py", "keys", args, 1200), n)


def yes(ok: bool) -> str:
    return "yes" if ok else "**no**"


def print_quality(r: dict, n: str) -> None:
    if "error" in r:
        print(f"| `quality()` with competence | < 3 s | {r['error']} | |")
        return
    t = TARGETS["quality_s"]
    print(
        f"| `quality()` with competence, {n}: first call in a fresh process "
        f"| < {t:g} s | {secs(r['first_s'])} | {yes(r['first_s'] < t)} |"
    )
    print(
        f"| the same after one more submit, median of {RUNS}; twin: crowd-kit's "
        f"DawidSkene alone on both questions' answers | < {t:g} s | {secs(r['median_s'])}"
        f" (twin {secs(r['twin_s'])}) | {yes(r['median_s'] < t)} |"
    )
    print(
        f"| competence of w9 (answers at random) vs the lowest of the others | lowest | "
        f"{r['w9']:.2f} vs {r['others']:.2f} | {yes(r['w9'] < r['others'])} |"
    )


def print_monitor(r: dict, n: str) -> None:
    if "error" in r:
        print(f"| `monitor()` refresh | < 1 s | {r['error']} | |")
        return
    t = TARGETS["monitor_s"]
    print(
        f"| `monitor()` refresh after one more submit, {n}, median of {RUNS}, no fit "
        f"running (first, at `monitor()`; its first fit in the background, waited for "
        f"after it; `quality()` in the same process) | < {t:g} s | "
        f"{secs(r['median_s'])} ({secs(r['first_s'])}; {secs(r['fit_s'])}; "
        f"{secs(r['quality_s'])}) | "
        f"{yes(r['median_s'] < t)} |"
    )


def print_keys(r: dict, n: str) -> None:
    if "error" in r:
        print(f"| key-to-ack beside a monitor | within 10% | {r['error']} | |")
        return
    ratio = r["busy_ms"] / r["quiet_ms"]
    print(
        f"| key-to-ack in the kernel (answer message handled, from its due time; "
        f"{r['presses']} presses {PACE * 1000:.0f} ms apart), with a monitor refreshing "
        f"every {EVERY} s ({r['refreshes']} refreshes, {r['fits']} refits) vs without, "
        f"medians (p90) | within "
        f"10% | {r['busy_ms']:.2f} ms ({r['busy_p90_ms']:.2f}) vs {r['quiet_ms']:.2f} ms "
        f"({r['quiet_p90_ms']:.2f}) = {ratio:.2f}x | {yes(ratio <= TARGETS['key_ratio'])} |"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in ("quality", "monitor", "keys"):
        task_main({"quality": quality_task, "monitor": monitor_task, "keys": keys_task})
    else:
        main()
