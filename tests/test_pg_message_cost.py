"""What one widget message costs a PostgreSQL server: statements, commits, round trips.

Counted on the wire: libpq's trace of the store's only pooled connection records every
message the kernel sends while the widget handles a one-key submit (answer + submit, the
claim of the next record with overlap=1, the seat of the window on it).
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from pathlib import Path

import datasets
from psycopg import pq

import nbreview as nr
from nbreview.store.postgres import PostgresStore

BOB = 40  # records another annotator submits between two of ann's measured submits


def traced(store: PostgresStore, work) -> list[str]:
    """The frontend messages libpq sends on the store's connection while `work()` runs."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "trace"
        with path.open("w") as out:
            with store._pool.connection() as conn:
                conn.prepare_threshold = None  # every statement sent with its text
                conn.pgconn.trace(out.fileno())
                flags = pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE
                conn.pgconn.set_trace_flags(flags)
            try:
                work()
            finally:
                with store._pool.connection() as conn:
                    conn.pgconn.untrace()
        lines = path.read_text().splitlines()
    return [line for line in lines if line.startswith("F\t")]


def cost(lines: list[str]) -> Counter:
    """Statements run (each Parse or simple Query; BEGIN, COMMIT, the pool's empty liveness
    check not counted),
    commits, and round trips (a Sync or a Flush: the kernel waits for the server's answer,
    whatever a pipeline sent before)."""
    kinds = Counter()
    for line in lines:
        kind = line.split("\t")[2]
        sent = kind == "Parse" or (kind == "Query" and '""' not in line)  # not a liveness check
        if sent and not re.search(r'"(BEGIN|COMMIT)"', line):
            kinds["statements"] += 1
        if sent and '"COMMIT"' in line:
            kinds["commits"] += 1
        if kind in ("Sync", "Flush", "Query"):
            kinds["round trips"] += 1
    return kinds


def test_a_submit_with_overlap_costs_a_few_statements_whatever_was_done_before(pg_url):
    rows = 200
    ds = datasets.Dataset.from_dict({"id": [f"r{i}" for i in range(rows)], "text": ["x"] * rows})
    store = PostgresStore(pg_url, max_size=1)  # one connection: the trace sees every statement
    questions = [nr.Rating("q", scale=3)]
    reviews = [
        nr.Review(ds, questions=questions, id="id", store=store, annotator=name, overlap=1)
        for name in ("ann", "bob")
    ]
    widgets = [review.widget for review in reviews]

    def submit(widget) -> None:
        session = widget.session
        message = {"type": "answer", "key": session.cursor.key, "question": "q", "value": 2}
        widget._on_message(widget, {**message, "submit": True, "seq": session.ack + 1}, [])
        assert session.notice is None, session.notice

    for _ in range(BOB):  # bob takes BOB records ahead of ann's place in the queue
        submit(widgets[1])
    submit(widgets[0])
    first = cost(traced(store, lambda: submit(widgets[0])))
    for _ in range(BOB):
        submit(widgets[1])
    later = cost(traced(store, lambda: submit(widgets[0])))
    # A claim no longer asks about each record others filled: the same statements after
    # bob's BOB more records as before them.
    print(f"one submit: {dict(later)}")
    assert later["statements"] == first["statements"], (first, later)
    # The write, then the claim of the next record and the window's seat on it, each in a
    # transaction of its own: a claim inside the write held its locks to COMMIT and doubled
    # the server's CPU per record at 20 annotators (benchmarks/README.md, load.py).
    assert later["commits"] <= 3, later
    assert later["statements"] <= 16, later
    assert later["round trips"] <= 11, later
    submitted = [r for r, _, status, *_ in store.records(reviews[0].name) if status == "submitted"]
    assert (
        len(submitted) == len(set(submitted)) == 2 * BOB + 3
    )  # each record handed to one annotator
    store.close()
