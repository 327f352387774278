"""Measure what a reviewer feels: opening a big dataset, moving, answering, exporting.

Run: python benchmarks/foundation.py [--rows 100000 1000000]
Prints one table; every figure comes from this run (compare ratios, the machine is noisy).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

import datasets
import psutil
import pyarrow as pa

import nbreview as nr


def make_dataset(rows: int, seed: int = 0) -> datasets.Dataset:
    """Synthetic model outputs: id, prompt ~200 chars, response ~1,000 chars, model, score."""
    rng = random.Random(seed)
    words = [
        "model",
        "answer",
        "the",
        "data",
        "review",
        "quality",
        "because",
        "error",
        "fact",
        "summary",
        "λόγος",
        "日本語",
        "emoji 🙂",
        "table",
        "code",
        "list",
    ]
    base_prompt = " ".join(rng.choice(words) for _ in range(40))[:200]
    base_response = " ".join(rng.choice(words) for _ in range(200))[:1000]
    table = pa.table(
        {
            "id": pa.array([f"r{i:07d}" for i in range(rows)]),
            "prompt": pa.array([f"{i} {base_prompt}" for i in range(rows)]),
            "response": pa.array([f"{base_response} {i}" for i in range(rows)]),
            "model": pa.array(["a" if i % 2 else "b" for i in range(rows)]),
            "score": pa.array([rng.random() for _ in range(rows)]),
        }
    )
    return datasets.Dataset(datasets.table.InMemoryTable(table))


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def questions():
    return [
        nr.Rating("quality", scale=5),
        nr.Label("verdict", labels=["accept", "revise", "reject"]),
    ]


def bench(rows: int, workdir: Path) -> list[tuple[str, str]]:
    ds = make_dataset(rows)
    store = workdir / f"bench-{rows}.sqlite"
    before = rss_mb()
    review, seconds = timed(
        lambda: nr.Review(
            ds,
            fields=["prompt", "response"],
            questions=questions(),
            id="id",
            store=store,
            annotator="bench",
        )
    )
    grown = rss_mb() - before
    out = [(f"construct Review, {rows:,} rows", f"{seconds * 1000:.1f} ms, +{grown:.1f} MB RSS")]

    session, seconds = timed(lambda: review.session)
    out.append(("open session (resume + counts)", f"{seconds * 1000:.1f} ms"))
    state = json.dumps({"config": review._config(), "view": session.view()})
    out.append(("widget state at open", f"{len(state.encode()):,} bytes"))

    moves = []
    for i in range(1000):
        message = {"type": "nav", "seq": i + 1, "to": "next" if i % 4 != 3 else "prev"}
        _, s = timed(lambda m=message: (session.handle(m), session.view()))
        moves.append(s * 1000)
    out.append(
        (
            "next/prev + view, median / p99",
            f"{statistics.median(moves):.2f} / {percentile(moves, 0.99):.2f} ms",
        )
    )

    answers = []
    for i in range(1000):
        key = review.keys.key(session.position)
        message = {
            "type": "answer",
            "seq": 5000 + i,
            "key": key,
            "question": "quality",
            "value": 1 + i % 5,
        }
        _, s = timed(lambda m=message: session.handle(m))
        answers.append(s * 1000)
        session.handle({"type": "nav", "seq": 9000 + i, "to": "next"})
    out.append(
        (
            "stored answer, median / p99",
            f"{statistics.median(answers):.2f} / {percentile(answers, 0.99):.2f} ms",
        )
    )

    stored = len(review.store.answers(review.name, "bench"))
    assert stored == 1000, f"expected 1,000 stored answers, found {stored}"
    annotated, seconds = timed(review.to_dataset)
    answered = len(annotated) - annotated["quality"].count(None) if rows <= 100_000 else stored
    out.append((f"to_dataset() with {answered:,} answers", f"{seconds * 1000:.0f} ms"))
    review.store.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        for n in args.rows:
            rows += bench(n, Path(tmp))
    width = max(len(name) for name, _ in rows)
    print(f"{'measure':<{width}}  value")
    print(f"{'-' * width}  -----")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print(f"\n{os.cpu_count()} cores; nbreview {nr.__version__}, datasets {datasets.__version__}")


if __name__ == "__main__":
    main()
