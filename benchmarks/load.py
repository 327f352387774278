"""Many annotators at once on one PostgreSQL store, through the widget's own message path.

    python benchmarks/load.py                      # 1 process, then 20, one table
    python benchmarks/load.py --procs 1 20 --seconds 20 --rows 20000
    python benchmarks/load.py --url postgresql://user@host/db   # an existing server
    python benchmarks/load.py --before /tmp/main/src   # that tree's code too, run first

Without `--url` a throw-away server is started as the tests do (tests/pg.py: Debian's
binaries, fsync off), and each run gets a fresh database. Every annotator is one process,
forked from the parent once it has built the dataset (`id=`, a prompt and a response per
row) so that 20 kernels do not spend a shared machine's CPU on imports; each opens a
`Review(..., overlap=1)` on the store under its own name and its widget (`review.widget`,
the served page's widget: seats, claims), waits for the others, then sends one-key submits
(`answer` with `submit: true`, the message a number key sends) to `widget._on_message`,
as fast as it can, for `--seconds`. Each one is timed from the call to its return (the
reply's sync included); it is *acknowledged* when the session's ack reached its number and
no notice came back.

Afterwards the parent reads the store: **lost** answers were acknowledged but are not
stored as submitted with the value sent; **double-handed** records were submitted by
more than one annotator although overlap=1 hands each record to one. Records/s is the
acknowledged submits of every process over the seconds they ran.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))  # pg.py: the throw-away server

QUESTION = "quality"
RESULT = "LOAD "


DATA: dict = {}  # rows -> the dataset, built in the parent before it forks the annotators


def dataset(rows: int):
    import datasets

    words = ["each", "annotator", "takes", "the", "next", "record", "nobody", "else", "holds"]
    text = [" ".join(words[(i + j) % len(words)] for j in range(120)) for i in range(rows)]
    return datasets.Dataset.from_dict(
        {
            "id": [f"r{i:07d}" for i in range(rows)],
            "prompt": [t[:160] for t in text],
            "response": text,
        }
    )


def open_widget(url: str, review_name: str, index: int, rows: int):
    """An annotator's review, on the store, and its widget (seated, on its first claim)."""
    import nbreview as nr

    review = nr.Review(
        DATA.get(rows) or dataset(rows),
        fields=["prompt", "response"],
        questions=[nr.Rating(QUESTION, scale=5)],
        id="id",
        store=url,
        annotator=f"annotator-{index:02d}",
        overlap=1,
        name=review_name,
    )
    return review.widget


def annotator(url: str, review_name: str, index: int, rows: int, seconds: float, start, results):
    """One annotator's kernel: open the review, wait for the others, submit until time is up."""
    try:
        widget = open_widget(url, review_name, index, rows)
    except BaseException:
        start.abort()  # the others stop waiting: the run fails, saying why
        raise
    session, name = widget.session, widget.review.annotator
    times, acked, notices, seq = [], [], Counter(), 0
    start.wait(timeout=900)
    began, cpu = time.perf_counter(), time.process_time()
    while time.perf_counter() - began < seconds and not session.done:
        key = session.cursor.key
        seq += 1
        value = 1 + (index + seq) % 5
        message = {"type": "answer", "key": key, "question": QUESTION, "value": value}
        sent = time.perf_counter()
        widget._on_message(widget, {**message, "submit": True, "seq": seq, "elapsed_ms": 900}, [])
        times.append(time.perf_counter() - sent)
        notice = session.notice
        if notice is None and session.ack >= seq:
            acked.append((key, value))
        else:
            notices[(notice or {}).get("text", "not acknowledged")[:120]] += 1
            if session.ack < seq:  # resent as the browser would: the same number again
                seq -= 1
    took, cpu = time.perf_counter() - began, time.process_time() - cpu
    widget.close()
    widget.review.store.close()
    out = {"name": name, "times": times, "acked": acked, "notices": notices, "took": took,
           "cpu": cpu}  # fmt: skip
    results.put(json.dumps(out))


def run(url: str, procs: int, rows: int, seconds: float) -> dict:
    """`procs` annotators released together; the figures of the table."""
    # Forked from a parent that has imported nbreview and built the dataset: 20 kernels need
    # not each spend seconds of a shared machine's CPU on imports before the run.
    import nbreview  # noqa: F401

    DATA[rows] = DATA.get(rows) or dataset(rows)
    ctx = multiprocessing.get_context("fork")
    start, results = ctx.Barrier(procs + 1), ctx.Queue()
    review = f"load-{procs}-{os.getpid()}"
    args = [(url, review, i, rows, seconds, start, results) for i in range(procs)]
    workers = [ctx.Process(target=annotator, args=a) for a in args]
    for w in workers:
        w.start()
    try:
        start.wait(timeout=900)  # every annotator has opened its review
        out = [json.loads(results.get(timeout=seconds + 900)) for _ in workers]
        for w in workers:
            w.join(timeout=60)
    finally:
        for w in workers:
            if w.is_alive():
                w.kill()
    return summarize(url, review, out)


def summarize(url: str, review: str, out: list[dict]) -> dict:
    from nbreview.store import open_store

    times = sorted(t for o in out for t in o["times"])
    store = open_store(url)
    try:
        stored = {(r, a): v for r, a, q, v, _ in store.answers(review) if q == QUESTION}
        submitted = [(r, a) for r, a, s, _, _ in store.records(review) if s == "submitted"]
    finally:
        store.close()
    done = set(submitted)
    lost = sum(
        1
        for o in out
        for key, value in o["acked"]
        if stored.get((key, o["name"])) != value or (key, o["name"]) not in done
    )
    hands = Counter(r for r, _ in submitted)
    notices = Counter()
    for o in out:
        notices.update(o["notices"])
    acked = sum(len(o["acked"]) for o in out)
    return {
        "procs": len(out),
        "records_s": acked / max(o["took"] for o in out),
        "acked": acked,
        "p50_ms": 1000 * statistics.median(times),
        "p99_ms": 1000 * times[int(0.99 * (len(times) - 1))],
        "lost": lost,
        "double": sum(1 for n in hands.values() if n > 1),
        "notices": dict(notices.most_common(3)),
        "kernel_cpu_ms": 1000 * sum(o["cpu"] for o in out) / max(acked, 1),
    }


def table(results: list[tuple[str, dict]]) -> str:
    lines = [
        "| code | annotators | records/s (total) | p50 / message | p99 / message | lost | "
        "double-handed | notices | CPU per record: kernels + server |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for code, r in results:
        notices = sum(r["notices"].values())
        cpu = f"{r['kernel_cpu_ms']:.1f} + {r.get('server_cpu_ms', float('nan')):.1f} ms"
        lines.append(
            f"| {code} | {r['procs']} | {r['records_s']:.0f} | {r['p50_ms']:.1f} ms | "
            f"{r['p99_ms']:.1f} ms | {r['lost']} | {r['double']} | {notices} | {cpu} |"
        )
    return "\n".join(lines)


def server_cpu(cluster) -> float:
    """CPU seconds the throw-away server has used so far: the postmaster, its live children
    and those it has reaped (a closed connection's backend); NaN for a server not ours."""
    if cluster is None:
        return float("nan")
    import psutil

    pid = int((cluster.data / "postmaster.pid").read_text().split()[0])
    main = psutil.Process(pid)
    alive = main.children(recursive=True)
    times = [main.cpu_times()] + [c.cpu_times() for c in alive if c.is_running()]
    reaped = times[0].children_user + times[0].children_system
    return reaped + sum(t.user + t.system for t in times)


def measure(src: Path, url: str, procs: int, args: argparse.Namespace, cluster=None) -> dict:
    """One run under one tree's code (its `src` first on PYTHONPATH), in a fresh process;
    the server's CPU per acknowledged record beside the kernels' (less disturbed by a shared
    machine than wall times: what the run costs, not how long it waited for a core)."""
    command = [sys.executable, __file__, "--run", str(procs), "--url", url]
    command += ["--seconds", str(args.seconds), "--rows", str(args.rows)]
    env = {**os.environ, "PYTHONPATH": str(src)}
    before = server_cpu(cluster)
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    used = server_cpu(cluster) - before  # the run's and its setup's (opening, seats)
    for line in done.stdout.splitlines():
        if line.startswith(RESULT):
            result = json.loads(line[len(RESULT) :])
            return {**result, "server_cpu_ms": 1000 * used / max(result["acked"], 1)}
    raise RuntimeError(f"the run failed under {src}:\n{done.stdout}{done.stderr[-3000:]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--procs", type=int, nargs="+", default=[1, 20])
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--url", help="an existing PostgreSQL database (default: a throw-away)")
    parser.add_argument("--before", type=Path, help="another tree's `src`, run first (twin)")
    parser.add_argument("--rounds", type=int, default=1, help="runs of each tree, alternated")
    parser.add_argument("--run", type=int, help=argparse.SUPPRESS)  # a child: one run
    args = parser.parse_args()
    if args.run:
        print(RESULT + json.dumps(run(args.url, args.run, args.rows, args.seconds)))
        return
    cluster = None
    if args.url is None:
        from pg import Cluster, server_bin

        cluster = Cluster(server_bin())
        cluster.start()
    trees = [("before", args.before)] if args.before else []
    trees.append(("this tree", HERE.parent / "src"))
    try:
        results = []
        for procs in [p for p in args.procs for _ in range(args.rounds)]:
            for code, src in trees:
                url = args.url or cluster.url(cluster.create_database())
                results.append((code, measure(src, url, procs, args, cluster)))
                for text, n in results[-1][1]["notices"].items():
                    print(f"  {code}, {procs} annotators, {n}x: {text}", file=sys.stderr)
        print(table(results))
    finally:
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    main()
