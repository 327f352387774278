"""Browser messages, from the message to the reply: SQL statements and Python time.

    python benchmarks/message_path.py             # the original (ORIGINAL) beside this tree
    python benchmarks/message_path.py --rev main  # another revision as the "before"
    python benchmarks/message_path.py --base DIR  # another tree's `src` as the "before"

The parent extracts the revision's `src` (`git archive REV src`; by default main before issue
24's store work, the twin the issue's targets compare to) into a temp folder, copies this
tree's built front end beside it, and runs the same measurement in one child process per
tree (PYTHONPATH pointing at each `src`), then prints one markdown table, each figure beside
its twin. A child builds 2,000 rows (prompt ~200 chars, response ~1,000), a review with
a Rating and a Label on a new SQLite store, opens its widget and sends it messages as the
browser does (`_on_message`: `session.handle` and the reply the widget syncs, `refresh`).

- **Statements** are counted with SQLite's `set_trace_callback` on the store's connection:
  SELECTs are reads, PRAGMAs apart (`data_version`, which a SQLite write reads to tell a
  lock passing between writers from one held), everything else (BEGIN, INSERT, UPDATE,
  DELETE, COMMIT) writes, one message of each kind after a first answer (a session's first
  also reads, once, the size of the annotator's answers for their budget): an *answer* (a
  rating on a record not answered yet: a draft), a *submit* (the one-key path: the last
  required answer with `submit: true`, then the next record), `nav` to the next record,
  `skip`, `undo` (of the skip), `ahead` (the browser asks for the records ahead) and a
  submit once the records ahead are sent with every record.
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
ORIGINAL = "1ee2b2f"  # main before issue 24's store work: the twin the issue's targets compare to
KINDS = ("answer", "submit", "nav", "skip", "undo", "ahead", "submit, records ahead on")


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
    """SQL statements run on the store's connection, by kind, while one call runs."""

    def __init__(self, store) -> None:
        self.on, self.reads, self.writes, self.pragmas, self.seen = False, 0, 0, 0, []
        store._con.set_trace_callback(self.trace)

    def trace(self, sql: str) -> None:
        if self.on:
            self.seen.append(" ".join(sql.split())[:90])
            word = sql.lstrip().upper()
            if word.startswith("SELECT"):
                self.reads += 1
            elif word.startswith("PRAGMA"):  # data_version: a counter, read before a write
                self.pragmas += 1
            else:
                self.writes += 1

    def count(self, call) -> dict:
        """{writes, reads, pragmas, sql} of the statements `call()` runs."""
        self.reads = self.writes = self.pragmas = 0
        self.seen, self.on = [], True
        try:
            call()
        finally:
            self.on = False
        return {"writes": self.writes, "reads": self.reads, "pragmas": self.pragmas,
                "sql": self.seen}  # fmt: skip


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

        def rate(value: int = 3) -> dict:
            return {"type": "answer", "key": key(), "question": "quality", "value": value}

        def submit() -> dict:
            return {"type": "answer", "key": key(), "question": "verdict", "value": "accept",
                    "submit": True}  # fmt: skip

        send({"type": "nav", "to": "next"})  # warm up: the first view, imports, and the
        send(rate())  # first answer of a session, which reads what the annotator's answers
        send({"type": "nav", "to": "next"})  # take in the store once (the budget)
        counts = {"answer": counter.count(lambda: send(rate()))}
        counts["submit"] = counter.count(lambda: send(submit()))
        counts["nav"] = counter.count(lambda: send({"type": "nav", "to": "next"}))
        counts["skip"] = counter.count(lambda: send({"type": "skip", "key": key()}))
        counts["undo"] = counter.count(lambda: send({"type": "undo"}))
        answers = []
        for i in range(ANSWERS):
            answers.append(send(rate(1 + i % 5)))
            assert widget.view["notice"] is None, widget.view["notice"]
            send({"type": "nav", "to": "next"})
        submits = []
        for i in range(SUBMITS):
            send(rate(1 + i % 5))
            submits.append(send(submit()))
            assert widget.view["notice"] is None, widget.view["notice"]
        # The browser asks for the records ahead once a view is on screen; from then on every
        # record shown sends the next ones with it.
        counts["ahead"] = counter.count(lambda: widget._on_message(widget, {"type": "ahead"}, []))
        send(rate())
        counts["submit, records ahead on"] = counter.count(lambda: send(submit()))
        out = {
            "counts": counts,
            "answer_ms": statistics.median(answers) * 1000,
            "submit_ms": statistics.median(submits) * 1000,
        }
        print(RESULT + json.dumps(out))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# -- the parent: both trees, one table --------------------------------------------------------


def base_src(work: Path, rev: str) -> Path:
    """`rev`'s `src`, with this tree's built front end (a build output git does not hold)."""
    repo = os.environ.get("NBREVIEW_MAIN", "/work/main")
    archive = subprocess.run(
        ["git", "-C", repo, "archive", rev, "src"], capture_output=True, check=True
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


def table(before: dict, after: dict, rev: str) -> str:
    def sql(r: dict, kind: str) -> str:
        n = r["counts"][kind]
        text = f"{n['writes']} writes + {n['reads']} read{'s' if n['reads'] != 1 else ''}"
        return text + (f" (+ {n['pragmas']} PRAGMA)" if n.get("pragmas") else "")

    rows = [(f"SQL statements per {kind}", sql(before, kind), sql(after, kind)) for kind in KINDS]
    for name, n in (("answer", "1,000"), ("submit", "200")):
        ms = f"{name}_ms"
        rows.append((f"Python time per {name} (median of {n})", f"{before[ms]:.2f} ms",
                     f"{after[ms]:.2f} ms ({before[ms] / after[ms]:.1f}x)"))  # fmt: skip
    lines = [f"| measure | before ({rev}) | after (this tree) |", "|---|---|---|"]
    return "\n".join(lines + [f"| {a} | {b} | {c} |" for a, b, c in rows])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--rev", default=ORIGINAL, help="the git revision to compare with")
    parser.add_argument("--base", type=Path, help="the `src` folder of the code to compare with")
    parser.add_argument("--rounds", type=int, default=3, help="processes per tree, alternated")
    parser.add_argument("--sql", action="store_true", help="list each statement too")
    args = parser.parse_args()
    if args.child:
        return child()
    with tempfile.TemporaryDirectory() as work:
        base = args.base or base_src(Path(work), args.rev)
        runs = [(measure(base), measure(TREE / "src")) for _ in range(args.rounds)]
    before, after = (best([run[i] for run in runs]) for i in (0, 1))
    print(table(before, after, str(args.base or args.rev)))
    if args.sql:
        for name, r in (("before", before), ("after", after)):
            for kind in KINDS:
                print(f"\n{name}, {kind}:\n  " + "\n  ".join(r["counts"][kind]["sql"]))


def best(results: list[dict]) -> dict:
    """The fastest process's medians (the one the shared machine disturbed least)."""
    out = dict(results[0])
    for name in ("answer_ms", "submit_ms"):
        out[name] = min(r[name] for r in results)
    return out


if __name__ == "__main__":
    main()
