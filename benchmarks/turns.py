"""Per-turn export speed: `to_dataset()` of a per-turn review of 100,000 chats of 10 messages
beside the same export of a whole-record question, in one process, same store and data.

    python benchmarks/turns.py [--chats 100000]

Prints the two medians (of 3) and their ratio; the target is within 3x (issue 20).
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

import datasets

import nbreview as nr
from common import insert_rows, timed

TURNS = 10


def chats(n: int) -> datasets.Dataset:
    roles = ["user", "assistant"] * (TURNS // 2)
    chat = [{"role": r, "content": f"message {i} of the chat"} for i, r in enumerate(roles)]
    ids = [f"c{i:07d}" for i in range(n)]
    return datasets.Dataset.from_dict({"id": ids, "messages": [chat] * n})


def review(ds: datasets.Dataset, store: Path, name: str, per_turn: bool) -> nr.Review:
    turns = {"turns": "messages"} if per_turn else {}
    return nr.Review(
        ds,
        fields=[nr.Chat("messages")],
        questions=[nr.Rating("helpful", **turns)],
        id="id",
        store=store,
        annotator="alice",
        name=name,
    )


def fill(store: Path, name: str, keys: list[str], per_turn: bool) -> None:
    rng, now = random.Random(1), time.time_ns() // 1000
    answers, records = [], []
    for key in keys:
        if per_turn:
            value = [rng.randint(1, 5) if t % 2 else None for t in range(TURNS)]
        else:
            value = rng.randint(1, 5)
        answers.append((name, "alice", key, "helpful", json.dumps(value), now))
        records.append((name, "alice", key, "submitted", now, 2.5))
    insert_rows(store, answers, records)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chats", type=int, default=100_000)
    n = parser.parse_args().chats
    datasets.disable_progress_bars()
    ds = chats(n)
    keys = ds["id"]
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "turns.sqlite"
        times = {}
        for name, per_turn in (("whole", False), ("turns", True)):
            r = review(ds, store, name, per_turn)
            fill(store, name, keys, per_turn)
            out = r.to_dataset()  # warm: the keys and the data's pages
            assert sum(v is not None for v in out["helpful"]) == n
            times[name] = sorted(timed(r.to_dataset)[1] for _ in range(3))[1]
            r.store.close()
    ratio = times["turns"] / times["whole"]
    print(
        f"| `to_dataset()` of {n:,} chats of {TURNS} messages | within 3x of a whole-record "
        f"question | {times['turns']:.2f} s / {times['whole']:.2f} s = {ratio:.1f}x | "
        f"{'yes' if ratio <= 3 else 'no'} |"
    )


if __name__ == "__main__":
    main()
