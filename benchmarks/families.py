"""Reading stored answers back (`to_dataset()`'s `from_stored`): each family's Arrow read
beside the base rule it replaces (decode every answer's JSON in Python), in one run.

    PYTHONPATH=src python benchmarks/families.py [--rows 200000]

Prints a markdown table: per kind, the family's read and its twin (`Question.from_stored`,
the default a kind of no family gets), the ratio, and whether both give the same column.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

import pyarrow as pa

import nbreview as nr
from nbreview.questions import Question


def _median_seconds(fn: Callable[[], Any], repeat: int = 5) -> tuple[Any, float]:
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return out, statistics.median(times)


def _cases(n: int) -> list[tuple[str, Question, pa.Array]]:
    rng = random.Random(0)
    words = ["fine", "wrong", "too long", "cites no source", "ok", "näive", "日本語"]
    notes = [" ".join(rng.choices(words, k=rng.randint(1, 12))) for _ in range(n)]
    labels = ["good", "bad", "unsure"]
    return [
        ("FreeText (Text)", nr.FreeText("comment"), notes),
        ("Label (Choice)", nr.Label("verdict", labels), rng.choices(labels, k=n)),
        ("Preference (Choice)", nr.Preference("better", ["a", "b"]), rng.choices("ab", k=n)),
        ("Rating (Numeric)", nr.Rating("quality"), [rng.randint(1, 5) for _ in range(n)]),
        ("Number (Numeric)", nr.Number("price"), [rng.random() * 100 for _ in range(n)]),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    n = parser.parse_args().rows
    print(f"{n:,} stored answers per kind; median of 5 reads\n")
    print("| kind (family) | family's read ms | base JSON decode ms | base / family | same |")
    print("|---|---|---|---|---|")
    for name, q, values in _cases(n):
        texts = pa.array([json.dumps(v, ensure_ascii=False) for v in values], pa.string())
        fast, family = _median_seconds(lambda q=q, t=texts: q.from_stored(t))
        slow, base = _median_seconds(lambda q=q, t=texts: Question.from_stored(q, t))
        same = fast.cast(slow.type).equals(slow)
        print(f"| {name} | {family * 1e3:.1f} | {base * 1e3:.1f} | {base / family:.1f}x | {same} |")


if __name__ == "__main__":
    main()
