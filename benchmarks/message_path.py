"""One answer message, from the browser's message to the reply: SQL statements and Python time.

    python benchmarks/message_path.py            # main's code beside this tree's, one run
    python benchmarks/message_path.py --base DIR # another tree's `src` as the "before"

The parent extracts main's `src` (`git archive main src`) into a temp folder, copies this
tree's built front end beside it, and runs the same measurement in one child process per
tree (PYTHONPATH pointing at each `src`), then prints one markdown table, each figure beside
its twin. A child builds 2,000 rows (prompt ~200 chars, response ~1,000), a review with
a Rating and a Label on a new SQLite store, opens its widget and sends it messages as the
browser does (`_on_message`: `session.handle` and the reply the widget syncs, `refresh`).

- **Statements** are counted with SQLite's `set_trace_callback` on the store's connection:
  SELECTs are reads, everything else (BEGIN, INSERT, UPDATE, DELETE, COMMIT) writes. An
  *answer* is a rating on a record not answered yet (saved as a draft); a *submit* is the
  one-key path (the last required answer with `submit: true`, then the next record).
- **Time** is the median of 1,000 answer messages (each on its own record, a `nav` to the
  next record between them, not timed), and of 200 submits; each tree runs in 3 processes,
  alternated with the other's, and the table gives its fastest (the least disturbed by
  whatever else the machine runs).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TREE = HERE.parent
RESULT = "MESSAGE-PATH "
ROWS = 2_000
ANSWERS = 1_000
SUBMITS = 200


# -- the child: one tree's code ---------------------------------------------------------------


def build(folder: Path):
    import datasets

    import nbreview as nr

    words = ["the", "widget", "stores", "every", "answer", "the", "moment", "it", "is", "given"]
    text = [" ".join(words[(i + j) % len(words)] for j in range(160)) for i in range(ROWS)]
    ds = datasets.Dataset.from_dict(
        {
            "id": [f"r{i:07d}" for i in range(ROWS)],
            "prompt": [t[:200] for t in text],
            "response": text,
        }
    )
    questions = [nr.Rating("quality", scale=5), nr.Label("verdict", ["accept", "reject"])]
    review = nr.Review(
        ds,
        fields=["prompt", "response"],
        questions=questions,
        id="id",
        store=folder / "store.sqlite",
        annotator="bench",
    )
    return review, review.widget


class Counter:
    """SQL statements run on the store's connection, by kind, while `on` is set."""

    def __init__(self, store) -> None:
        self.on, self.reads, self.writes, self.seen = False, 0, 0, []
        store._con.set_trace_callback(self.trace)

    def trace(self, sql: str) -> None:
        if self.on:
            self.seen.append(" ".join(sql.split())[:90])
            if sql.lstrip().upper().startswith("SELECT"):
                self.reads += 1
            else:
                self.writes += 1


def child() -> None:
    folder = Path(tempfile.mkdtemp(prefix="nbreview-path-"))
    try:
        review, widget = build(folder)
        counter = Counter(review.store)
        seq = 0

        def send(message: dict) -> float:
            nonlocal seq
            seq += 1
            started = time.perf_counter()
            widget._on_message(widget, {**message, "seq": seq, "elapsed_ms": 1500}, [])
            return time.perf_counter() - started

        def key() -> str:
            return widget.view["record"]["key"]

        send({"type": "nav", "to": "next"})  # warm up: the first view, imports
        counter.on = True
        send({"type": "answer", "key": key(), "question": "quality", "value": 3})
        counter.on = False
        answer = (counter.writes, counter.reads, counter.seen)
        answers = []
        for i in range(ANSWERS):
            message = {"type": "answer", "key": key(), "question": "quality", "value": 1 + i % 5}
            answers.append(send(message))
            assert widget.view["notice"] is None, widget.view["notice"]
            send({"type": "nav", "to": "next"})
        counter.reads = counter.writes = 0
        counter.seen = []
        submits = []
        for i in range(SUBMITS):
            send({"type": "answer", "key": key(), "question": "quality", "value": 1 + i % 5})
            message = {"type": "answer", "key": key(), "question": "verdict"}
            counter.on = i == 0
            submits.append(send({**message, "value": "accept", "submit": True}))
            counter.on = False
            assert widget.view["notice"] is None, widget.view["notice"]
        out = {
            "answer_writes": answer[0],
            "answer_reads": answer[1],
            "answer_sql": answer[2],
            "submit_writes": counter.writes,
            "submit_reads": counter.reads,
            "submit_sql": counter.seen,
            "answer_ms": statistics.median(answers) * 1000,
            "submit_ms": statistics.median(submits) * 1000,
        }
        print(RESULT + json.dumps(out))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# -- the parent: both trees, one table --------------------------------------------------------


def main_src(work: Path) -> Path:
    """main's `src`, with this tree's built front end (a build output git does not hold)."""
    repo = os.environ.get("NBREVIEW_MAIN", "/work/main")
    archive = subprocess.run(
        ["git", "-C", repo, "archive", "main", "src"], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(work)], input=archive, check=True)
    static = TREE / "src" / "nbreview" / "static"
    shutil.copytree(static, work / "src" / "nbreview" / "static", dirs_exist_ok=True)
    return work / "src"


def measure(src: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run(
        [sys.executable, __file__, "--child"], env=env, capture_output=True, text=True, check=False
    )
    for line in done.stdout.splitlines():
        if line.startswith(RESULT):
            return json.loads(line[len(RESULT) :])
    raise RuntimeError(f"the measurement failed under {src}:\n{done.stdout}{done.stderr}")


def table(before: dict, after: dict) -> str:
    def sql(r: dict, kind: str) -> str:
        return f"{r[kind + '_writes']} writes + {r[kind + '_reads']} reads"

    rows = [
        ("SQL statements per answer", sql(before, "answer"), sql(after, "answer")),
        ("SQL statements per one-key submit", sql(before, "submit"), sql(after, "submit")),
        (
            "Python time per answer (median of 1,000)",
            f"{before['answer_ms']:.2f} ms",
            f"{after['answer_ms']:.2f} ms",
        ),
        (
            "Python time per one-key submit (median of 200)",
            f"{before['submit_ms']:.2f} ms",
            f"{after['submit_ms']:.2f} ms",
        ),
    ]
    speed = before["answer_ms"] / after["answer_ms"]
    lines = ["| measure | before (main) | after (this tree) |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    lines.append(
        f"\nAnswer messages {speed:.1f}x faster; submits "
        f"{before['submit_ms'] / after['submit_ms']:.1f}x."
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--base", type=Path, help="the `src` folder of the code to compare with")
    parser.add_argument("--rounds", type=int, default=3, help="processes per tree, alternated")
    parser.add_argument("--sql", action="store_true", help="list each statement too")
    args = parser.parse_args()
    if args.child:
        return child()
    with tempfile.TemporaryDirectory() as work:
        base = args.base or main_src(Path(work))
        runs = [(measure(base), measure(TREE / "src")) for _ in range(args.rounds)]
    before, after = (best([run[i] for run in runs]) for i in (0, 1))
    print(table(before, after))
    if args.sql:
        for name, r in (("before", before), ("after", after)):
            for kind in ("answer", "submit"):
                print(f"\n{name}, {kind}:\n  " + "\n  ".join(r[f"{kind}_sql"]))


def best(results: list[dict]) -> dict:
    """The fastest process's medians (the one the shared machine disturbed least)."""
    out = dict(results[0])
    for name in ("answer_ms", "submit_ms"):
        out[name] = min(r[name] for r in results)
    return out


if __name__ == "__main__":
    main()
