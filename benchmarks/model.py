"""The model in the loop (API.md 12), each measure beside its twin in one run:

    python benchmarks/model.py            # prints a markdown table
    python benchmarks/model.py TASK '{}'  # one measurement (what the table runs, per process)

- `similar`: `review.similar(row, k=20, embeddings=...)` over 1,000,000 x 384 float32 held in
  memory, beside numpy on the same buffer in one go (`m @ q / norms`); RSS growth of the call
  against the column's size.
- `disagreement`: `review.queue(sort="disagreement")` over 100,000 records with 3 annotators'
  submitted answers (300,000, written straight into the store for the setup), beside
  `queue(sort="score")`, a column sort; with the store's read alone and the call's CPU time.
- `suggest`: `review.suggest(fn)` over 100,000 rows with a trivial callable (median of 3, a
  fresh store each), beside calling the same callable on the same batches of 32 records read
  from the same Arrow table, and beside that plus writing the same rows into a plain SQLite
  table with executemany (the fair twin: nothing stores rows for less).
- `view`: a key press in the kernel with `suggest=` at work, and without (browser.py suggest
  measures the same in JupyterLab + Chromium).
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import datasets
import numpy as np
import pyarrow as pa

import nbreview as nr
from common import Memory, insert_rows, quiet, run_task, task_main, timed

datasets.disable_progress_bars()
REPEATS = 3
TARGETS = {"similar_s": 1.0, "disagreement_s": 1.0, "suggest_ratio": 2.0}


def _median(fn, n: int = REPEATS) -> float:
    return statistics.median(timed(fn)[1] for _ in range(n))


def similar(args: dict) -> dict:
    n, d = args.get("rows", 1_000_000), args.get("dim", 384)
    matrix = np.random.default_rng(0).standard_normal((n, d), dtype=np.float32)
    column = pa.FixedSizeListArray.from_arrays(pa.array(matrix.reshape(-1)), d)
    ids = pa.array([f"r{i:07d}" for i in range(n)])
    ds = datasets.Dataset(pa.table({"id": ids, "emb": column}))
    del matrix
    with tempfile.TemporaryDirectory() as folder:
        review = nr.Review(ds, fields=["id"], questions=[nr.Rating("q")], id="id",
                           store=Path(folder) / "s.sqlite", annotator="bench")  # fmt: skip
        _, first = timed(lambda: review.similar(5, k=20, embeddings="emb"))
        with Memory() as memory:
            seconds = _median(lambda: review.similar(7, k=20, embeddings="emb"))
        view = column.values.to_numpy(zero_copy_only=True).reshape(n, d)  # numpy, one go

        def twin():
            sims = view @ view[7] / np.sqrt(np.einsum("ij,ij->i", view, view))
            return np.argpartition(-sims, 21)[:21]

        twin_s = _median(twin)
        expected = set(twin().tolist())
        got = set(review.session.cursor.order.tolist())
        review.store.close()
    return {
        "rows": n, "dim": d, "first_s": first, "similar_s": seconds, "numpy_s": twin_s,
        "grown_mb": memory.grown, "peak_mb": memory.peak,
        "column_mb": column.nbytes / 2**20, "same_rows": got == expected,
    }  # fmt: skip


def _review(n: int, store: Path, **options) -> nr.Review:
    rng = np.random.default_rng(1)
    ds = datasets.Dataset(
        pa.table(
            {
                "id": [f"r{i:06d}" for i in range(n)],
                "text": [f"record {i}: " + "some words " * (i % 9) for i in range(n)],
                "score": rng.random(n),
            }
        )
    )
    questions = [nr.Label("verdict", labels=["accept", "revise", "reject"])]
    return nr.Review(ds, fields=["text"], questions=questions, id="id", store=store,
                     annotator="bench", **options)  # fmt: skip


def disagreement(args: dict) -> dict:
    n = args.get("rows", 100_000)
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "s.sqlite"
        review = _review(n, store)
        rng = np.random.default_rng(2)
        labels = np.array(['"accept"', '"revise"', '"reject"'])
        answers, records, at = [], [], 1_700_000_000_000_000
        for who in ("ann1", "ann2", "ann3"):
            picks = labels[rng.choice(3, n, p=[0.6, 0.25, 0.15])]
            for i in range(n):
                key = f"r{i:06d}"
                answers.append(("default", who, key, "verdict", picks[i], at))
                records.append(("default", who, key, "submitted", at, 1.0))
        insert_rows(store, answers, records)
        with quiet():
            review.widget  # noqa: B018 - the queue is set with the widget's session open
        _, first = timed(lambda: review.queue(sort="disagreement"))
        seconds = _median(lambda: review.queue(sort="disagreement"))
        column = _median(lambda: review.queue(sort="score"))
        read = _median(lambda: review.store.team_answers("default"))  # the store's part
        cpu = time.process_time()
        review.queue(sort="disagreement")
        cpu = time.process_time() - cpu  # one thread throughout: what a quiet machine takes
        order = review.queue(sort="disagreement").session.cursor.order
        review.store.close()
    return {"rows": n, "answers": len(answers), "first_s": first, "disagreement_s": seconds,
            "sort_column_s": column, "store_read_s": read, "cpu_s": cpu,
            "queued": len(order)}  # fmt: skip


def suggest(args: dict) -> dict:
    n, batch = args.get("rows", 100_000), 32

    def trivial(records):
        return [{"verdict": "accept"} for _ in records]

    with tempfile.TemporaryDirectory() as folder:
        review = _review(n, Path(folder) / "s.sqlite")
        table = review.source.arrow_table()

        def batches():
            for start in range(0, n, batch):
                rows = table.slice(start, batch).to_pylist()
                for i, row in enumerate(rows):
                    row["_row"] = start + i
                yield rows

        def twin():  # the callable alone, on the same batches
            for rows in batches():
                trivial(rows)

        plain = sqlite3.connect(Path(folder) / "plain.sqlite", isolation_level=None)
        plain.execute("PRAGMA journal_mode = WAL")
        plain.execute("PRAGMA synchronous = NORMAL")
        plain.execute("CREATE TABLE s (review TEXT, record TEXT, question TEXT, name TEXT, "
                      "value TEXT, at INTEGER)")  # fmt: skip

        def fair():  # the callable + the same rows written with executemany, no key, no check
            plain.execute("DELETE FROM s")
            pending = []
            for rows in batches():
                at = time.time_ns() // 1000
                for row, item in zip(rows, trivial(rows), strict=True):
                    pending.append(("default", row["id"], "verdict", "trivial",
                                    json.dumps(item["verdict"]), at))  # fmt: skip
                if len(pending) >= 4096 or rows[-1]["_row"] == n - 1:
                    plain.execute("BEGIN")
                    plain.executemany("INSERT INTO s VALUES (?, ?, ?, ?, ?, ?)", pending)
                    plain.execute("COMMIT")
                    pending = []

        twin_s, fair_s = _median(twin), _median(fair)
        runs = []
        with quiet():
            for i in range(REPEATS):  # a fresh store each time: nothing done yet
                fresh = review if i == 0 else _review(n, Path(folder) / f"s{i}.sqlite")
                runs.append(timed(lambda r=fresh: r.suggest(trivial, batch_size=batch))[1])
                if fresh is not review:
                    fresh.store.close()
            _, resumed = timed(lambda: review.suggest(trivial, batch_size=batch))  # all done
        seconds = statistics.median(runs)
        stored = len(review.store.suggested("default", "suggest.<locals>.trivial",
                                            [f"r{i:06d}" for i in range(0, n, 97)]))  # fmt: skip
        plain_rows = plain.execute("SELECT count(*) FROM s").fetchone()[0]
        plain.close()
        review.store.close()
    return {"rows": n, "suggest_s": seconds, "direct_s": twin_s, "ratio": seconds / twin_s,
            "fair_s": fair_s, "fair_ratio": seconds / fair_s, "plain_rows": plain_rows,
            "resume_s": resumed, "stored_sample": stored}  # fmt: skip


def view(args: dict) -> dict:
    """Next record + its view + the records sent ahead, 150 moves 80 ms apart over 100k
    rows, with a callable sleeping 200 ms per batch at work in the background, and without
    one."""
    n, moves, pause = args.get("rows", 100_000), args.get("moves", 150), args.get("pause", 0.08)

    def sleepy(records):
        time.sleep(0.2)
        return [{"verdict": "accept"} for _ in records]

    out = {}
    with tempfile.TemporaryDirectory() as folder:
        for label, fn in (("with", sleepy), ("without", None)):
            review = _review(n, Path(folder) / f"{label}.sqlite", suggest=fn, batch_size=8)
            session = review.session
            session.view()
            seconds = []
            for seq in range(1, moves + 1):
                start = time.perf_counter()
                session.handle({"type": "nav", "to": "next", "seq": seq})
                session.view()
                session.ahead()
                seconds.append(time.perf_counter() - start)
                time.sleep(pause)  # a reviewer's pace: the suggestions' thread works meanwhile
            out[f"{label}_ms"] = statistics.median(seconds) * 1000
            out[f"{label}_p90_ms"] = float(np.percentile(seconds, 90)) * 1000
            if fn is not None:
                out["suggested"] = len(review.store.suggestions("default"))
            review.store.close()
    out["ratio"] = out["with_ms"] / out["without_ms"]
    return out


TASKS = {"similar": similar, "disagreement": disagreement, "suggest": suggest, "view": view}


def main() -> None:
    python = sys.executable
    results = {}
    for name in TASKS:
        print(f"[{time.strftime('%H:%M:%S')}] {name}", file=sys.stderr, flush=True)
        results[name] = run_task(python, "model.py", name, {})
    s, d, g, v = (results[k] for k in ("similar", "disagreement", "suggest", "view"))
    rows = []
    if "error" not in s:
        rows += [
            ("similar, 1M x 384 float32 (numpy on the buffer in one go)", "< 1 s",
             f"{s['similar_s']:.2f} s ({s['numpy_s']:.2f} s)", s["similar_s"] < 1),
            ("similar: RSS growth (column size)", "< column",
             f"{s['grown_mb']:.0f} MB, peak {s['peak_mb']:.0f} MB ({s['column_mb']:.0f} MB)",
             s["peak_mb"] < s["column_mb"]),
        ]  # fmt: skip
    if "error" not in d:
        rows.append(("sort='disagreement', 100k records x 3 annotators (sort by a column)",
                     "< 1 s", f"{d['disagreement_s']:.2f} s ({d['sort_column_s']:.2f} s); "
                     f"of it the store's read {d['store_read_s']:.2f} s; CPU {d['cpu_s']:.2f} s",
                     d["disagreement_s"] < 1))  # fmt: skip
    if "error" not in g:
        rows.append(("review.suggest, 100k rows, trivial callable (direct on the same batches)",
                     "< 2x", f"{g['suggest_s']:.2f} s ({g['direct_s']:.2f} s): {g['ratio']:.1f}x",
                     g["ratio"] < 2))  # fmt: skip
        rows.append(("the same (the callable + the same rows into a plain SQLite table with "
                     "executemany)", "< 2x",
                     f"{g['suggest_s']:.2f} s ({g['fair_s']:.2f} s): {g['fair_ratio']:.1f}x",
                     g["fair_ratio"] < 2))  # fmt: skip
    if "error" not in v:
        rows.append(("next record + view + records ahead, suggest= sleeping 200 ms a batch "
                     "at work (without suggest=), medians of 150 moves 80 ms apart", "within 10%",
                     f"{v['with_ms']:.2f} ms ({v['without_ms']:.2f} ms): {v['ratio']:.2f}x",
                     v["ratio"] < 1.1))  # fmt: skip
    print("| measure | target | value | met |\n|---|---|---|---|")
    for measure, target, value, met in rows:
        print(f"| {measure} | {target} | {value} | {'yes' if met else 'NO'} |")
    for name, result in results.items():
        if "error" in result:
            print(f"| {name} | | error: {result['error']} | NO |")
    print()
    print({k: {x: round(y, 3) if isinstance(y, float) else y for x, y in v.items()}
           for k, v in results.items()})  # fmt: skip


if __name__ == "__main__":
    if len(sys.argv) > 1:
        task_main(TASKS)
    else:
        main()
