"""The quality tables (API.md 8) on a big review, run in a fresh process by run.py.

    python benchmarks/quality.py tables '{"data": "/path/rows.arrow", "dir": "/tmp/...",
                                          "answers": 100000}'

prints one `BENCHMARK-RESULT {json}` line. The synthetic dataset gets two gold columns (a
known verdict and quality on every 100th row) and an LLM judge's verdict on every row; the
store gets `answers` submitted records written straight into its tables: nine in ten by
one annotator, one in ten by a second on records the first answered too (so agreement has
shared records), with times on screen. Then quality(), summary() overall and by the
`model` column, and alignment() against the judge, each the median of three calls.
"""

from __future__ import annotations

import json
import random
import statistics
import time
import uuid
from pathlib import Path

import datasets
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

import nbreview as nr
from common import insert_rows, task_main, timed
from data import open_dataset

LABELS = ["accept", "revise", "reject"]
GOLD_EVERY = 100
RUNS = 3


def with_gold(ds: datasets.Dataset) -> datasets.Dataset:
    """The memory-mapped rows plus gold and judge columns (the text stays mapped)."""
    n = len(ds)
    rng = np.random.default_rng(2)
    gold = np.arange(n) % GOLD_EVERY == 0
    known = pa.array(LABELS).take(pa.array(rng.integers(0, 3, n)))
    table = ds.data.table
    table = table.append_column(
        "gold_verdict", pc.if_else(pa.array(gold), known, pa.scalar(None, pa.string()))
    )
    table = table.append_column(
        "gold_quality", pa.array(rng.integers(1, 6, n).astype(np.int32), mask=~gold)
    )
    table = table.append_column(
        "judge_verdict", pa.array(LABELS).take(pa.array(rng.integers(0, 3, n)))
    )
    return datasets.Dataset(datasets.table.InMemoryTable(table))


def make_review(ds, store: Path, annotator: str = "bench") -> nr.Review:
    return nr.Review(
        ds,
        fields=["prompt", "response"],
        questions=[
            nr.Rating("quality", scale=5, gold="gold_quality"),
            nr.Label("verdict", labels=LABELS, gold="gold_verdict"),
        ],
        id="id",
        store=store,
        annotator=annotator,
    )


def fill(store: Path, keys: list[str], shared: int) -> None:
    """Submitted answers straight into the store's tables (setup, not timed)."""
    now = time.time_ns() // 1000
    rng = random.Random(1)
    answers, records = [], []
    second = keys[:shared]
    for annotator, chosen in (("bench", keys), ("bench-2", second)):
        for i, key in enumerate(chosen):
            at = now - (len(chosen) - i) * 1_000_000
            answers.append(("default", annotator, key, "quality", str(rng.randint(1, 5)), at))
            verdict = json.dumps(rng.choice(LABELS))
            answers.append(("default", annotator, key, "verdict", verdict, at))
            records.append(("default", annotator, key, "submitted", at, rng.uniform(3, 60)))
    insert_rows(store, answers, records)


def _median(fn) -> dict:
    times = []
    result = None
    for _ in range(RUNS):
        result, seconds = timed(fn)
        times.append(seconds)
    return {"first_s": times[0], "median_s": statistics.median(times), "result": result}


def tables(args: dict) -> dict:
    ds = with_gold(open_dataset(args["data"]))
    n_answers = args.get("answers", 100_000)
    store = Path(args["dir"]) / f"{uuid.uuid4().hex}.sqlite"
    review = make_review(ds, store)
    rows = sorted(random.Random(0).sample(range(len(ds)), n_answers * 9 // 10))
    keys = review.keys.take(rows).to_pylist()
    review.store.close()
    fill(store, keys, shared=n_answers // 10)
    review = make_review(ds, store)
    out = {"rows": len(ds), "answers": n_answers}
    _, out["store_read_s"] = timed(
        lambda: (review.store.times(review.name), review.store.submitted_answers(review.name))
    )
    q = _median(review.quality)
    frame = q.pop("result")
    assert frame["submitted"].sum() == n_answers, frame
    assert frame["gold_answered"].sum() > 0, frame
    out["quality"] = q
    out["gold_answered"] = int(frame["gold_answered"].sum())
    s = _median(lambda: review.summary("verdict"))
    assert s.pop("result")["count"].sum() == n_answers
    out["summary"] = s
    by = _median(lambda: review.summary("verdict", by="model"))
    assert by.pop("result")["count"].sum() == n_answers
    out["summary_by"] = by
    a = _median(lambda: review.alignment("judge_verdict", "verdict"))
    a.pop("result")
    out["alignment"] = a
    return out


if __name__ == "__main__":
    task_main({"tables": tables})
