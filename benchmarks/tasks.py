"""nbreview's measurements, each run in a fresh process by run.py.

    python benchmarks/tasks.py TASK '{"data": "/path/rows.arrow", "dir": "/tmp/..."}'

prints one `BENCHMARK-RESULT {json}` line. Every task opens the synthetic dataset memory-mapped
(as `load_dataset` does) before its baseline, with a store of its own in `dir`.
"""

from __future__ import annotations

import json
import random
import shutil
import time
import uuid
from pathlib import Path

import datasets
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from datasets.fingerprint import generate_random_fingerprint

import nbreview as nr
import nbreview._ui.widget
from common import Memory, insert_rows, json_bytes, summary_ms, task_main, timed
from data import open_dataset

ANNOTATOR = "bench"
FILTER = "model == 'model-b' and score < 0.5"
SORT = "score"
SEARCHES = {"search": "benchmark widget", "search_unicode": "straße café"}


def questions():
    return [
        nr.Rating("quality", scale=5),
        nr.Label("verdict", labels=["accept", "revise", "reject"]),
    ]


def make_review(ds, store: Path, **kwargs):
    kwargs.setdefault("id", "id")  # id=None: content keys, the path most users take
    return nr.Review(
        ds,
        fields=["prompt", "response"],
        questions=questions(),
        store=store,
        annotator=ANNOTATOR,
        **kwargs,
    )


def new_store(args: dict) -> Path:
    return Path(args["dir"]) / f"{uuid.uuid4().hex}.sqlite"


def state_bytes(widget) -> dict:
    """What the browser gets at open: the synced traits as JSON, and the bundle apart."""
    state = widget.get_state()
    synced = json_bytes({"config": state["config"], "view": state["view"]})
    bundle = sum(json_bytes(state[k]) for k in ("_esm", "_css"))
    return {"state_bytes": synced, "bundle_bytes": bundle}


def construct(args: dict) -> dict:
    """Review(...) on a fresh store; then opening the widget (session, first view)."""
    ds = open_dataset(args["data"])
    if args.get("shuffle"):  # rows (and so ids) in random order, through an indices mapping
        ds = ds.shuffle(seed=0)
    if args.get("random_ids"):  # the same rows, their ids in random order in the data itself
        table = ds.data.table
        order = pa.array(np.random.default_rng(0).permutation(len(ds)))
        table = table.set_column(0, "id", table.column("id").take(order))
        ds = datasets.Dataset(datasets.table.InMemoryTable(table))  # text stays memory-mapped
    store = new_store(args)
    with Memory() as memory:
        review, seconds = timed(lambda: make_review(ds, store))
    out = {"rows": len(ds), "seconds": seconds, "grown_mb": memory.grown, "peak_mb": memory.peak}
    with Memory() as memory:
        widget, seconds = timed(lambda: review.widget)
    out.update(open_seconds=seconds, open_grown_mb=memory.grown, open_peak_mb=memory.peak)
    out.update(state_bytes(widget))
    return out


def _view_json(session) -> str:
    return json.dumps(session.view(), ensure_ascii=False)


def prefilled_store(ds, args: dict, answers: int, id: str | None = "id") -> Path:
    """A store whose review already holds `answers` submitted answers on random rows."""
    store = new_store(args)
    first = make_review(ds, store, id=id)  # creates the store
    rows = sorted(random.Random(0).sample(range(len(ds)), answers))
    keys = first.keys.take(rows).to_pylist()
    first.store.close()
    _bulk_answers(store, rows, keys)
    return store


def interact(args: dict) -> dict:
    """Next/previous and stored answers on a review in progress, as the widget drives them."""
    ds = open_dataset(args["data"])
    answered = args.get("answers", 0)
    review = make_review(ds, prefilled_store(ds, args, answered) if answered else new_store(args))
    session = review.session
    seq = 0

    def send(message: dict) -> None:
        nonlocal seq
        seq += 1
        session.handle({**message, "seq": seq, "elapsed_ms": 1500})

    # Next/previous: three steps forward, one back, as a reviewer rereads; each with its view.
    moves = []
    for i in range(1000):
        to = "prev" if i % 4 == 3 else "next"
        _, seconds = timed(lambda to=to: (send({"type": "nav", "to": to}), _view_json(session)))
        moves.append(seconds)
    assert session.notice is None, session.notice

    # Stored answers: one rating per record (saved as a draft), then on to the next record.
    answers, answer_views, written = [], [], {}
    for i in range(1000):
        message = {
            "type": "answer",
            "key": review.keys.key(session.position),
            "question": "quality",
            "value": 1 + i % 5,
        }
        _, seconds = timed(lambda m=message: send(m))
        answers.append(seconds)
        assert session.notice is None, session.notice
        _, seconds = timed(lambda: _view_json(session))
        answer_views.append(seconds + answers[-1])
        written[message["key"]] = message["value"]
        send({"type": "nav", "to": "next"})
    for key, value in written.items():  # every answer is in the store
        got = review.store.record(review.name, ANNOTATOR, key).answers.get("quality")
        assert got == value, f"record {key}: stored {got!r}, answered {value!r}"

    # One-key submits (answer + submit + advance), the browser's path for a single rating.
    submits = []
    for i in range(200):
        message = {
            "type": "answer",
            "key": review.keys.key(session.position),
            "question": "quality",
            "value": 1 + i % 5,
            "submit": False,
        }
        send(message)
        message = {"type": "answer", "key": message["key"], "question": "verdict"}
        message.update(value="accept", submit=True)
        _, seconds = timed(lambda m=message: (send(m), _view_json(session)))
        submits.append(seconds)
        assert session.notice is None, session.notice

    return {
        "rows": len(ds),
        "answered": answered,
        "nav": summary_ms(moves),
        "answer": summary_ms(answers),
        "answer_view": summary_ms(answer_views),
        "submit_view": summary_ms(submits),
    }


def _queue_times(review, runs: int, **queue) -> dict:
    times, size = [], None
    for _ in range(runs):
        _, seconds = timed(lambda: review.queue(**queue))
        times.append(seconds)
        size = review.session.queue_len()
        review.queue()  # back to every record
    return {"first_s": times[0], "median_s": sorted(times)[len(times) // 2], "size": size}


def queue(args: dict) -> dict:
    """Queue filter + sort and a status queue on the open review (1M rows; search: `search`)."""
    ds = open_dataset(args["data"])
    review = make_review(ds, new_store(args))
    _ = review.session  # the widget is open: setting a queue also moves its cursor
    for row in random.Random(0).sample(range(len(ds)), 1000):
        review.submit(row, quality=3, verdict="accept")
    runs = args.get("runs", 3)
    return {
        "rows": len(ds),
        "filter_sort": _queue_times(review, runs, filter=FILTER, sort=SORT),
        "filter": _queue_times(review, runs, filter=FILTER),
        "sort": _queue_times(review, runs, sort=SORT),
        "status": _queue_times(review, runs, status="unanswered"),
    }


def reopen(args: dict) -> dict:
    """Reopen a review with answers stored, its widget and progress, with or without id=.

    Without id= every key is a content hash; with it, the id: the two are measured in
    separate processes of the same run, each on a store holding the same answers.
    """
    ds = open_dataset(args["data"])
    key = "id" if args.get("with_id") else None
    answers = args.get("answers", 0)
    store = prefilled_store(ds, args, answers, id=key) if answers else new_store(args)
    start = time.perf_counter()
    review, construct_s = timed(lambda: make_review(ds, store, id=key))
    _, open_s = timed(lambda: review.widget)
    progress, progress_s = timed(lambda: review.progress)
    assert progress.submitted == answers, progress
    total = time.perf_counter() - start
    return {"construct_s": construct_s, "open_s": open_s, "progress_s": progress_s} | {
        "total_s": total
    }


def _ilike(table: pa.Table, text: str) -> tuple[int, float]:
    """DuckDB's ILIKE over prompt and response of the same Arrow table: the search floor."""
    import duckdb

    like = "'%" + text.replace("'", "''") + "%'"  # a literal pattern, as one writes it
    con = duckdb.connect()
    con.register("t", table.select(["prompt", "response"]))
    sql = f"SELECT count(*) FROM t WHERE prompt ILIKE {like} OR response ILIKE {like}"
    (count,), seconds = timed(lambda: con.execute(sql).fetchall()[0])
    con.close()
    return count, seconds


def search(args: dict) -> dict:
    """Queue text search vs DuckDB ILIKE over the same columns, alternated, median of 3."""
    ds = open_dataset(args["data"])
    review = make_review(ds, new_store(args))
    _ = review.session
    table = ds.data.table
    _ilike(table, "warm-up: imports DuckDB and reads the pages once")
    out = {"rows": len(ds)}
    for name, text in SEARCHES.items():
        ours, floor, sizes = [], [], set()
        for _ in range(args.get("runs", 3)):
            _, seconds = timed(lambda text=text: review.queue(search=text))
            ours.append(seconds)
            sizes.add(review.session.queue_len())
            review.queue()
            count, seconds = _ilike(table, text)
            floor.append(seconds)
            sizes.add(count)
        assert len(sizes) == 1, f"search {text!r}: nbreview and DuckDB disagree: {sizes}"
        out[name] = {"median_s": sorted(ours)[1], "ilike_s": sorted(floor)[1], "size": sizes.pop()}
    return out


def _bulk_answers(store: Path, rows: list[int], keys: list[str]) -> None:
    """100k submitted answers written straight into the store's tables (setup only, not timed).

    The same rows `SQLiteStore.write` leaves in `answers` and `records` (the change log is left
    out: to_dataset reads current answers only); to_dataset's count check below catches drift.
    """
    now = time.time_ns() // 1000
    rng = random.Random(1)
    labels = ["accept", "revise", "reject"]
    answers, records = [], []
    for key in keys:
        answers.append(("default", ANNOTATOR, key, "quality", str(rng.randint(1, 5)), now))
        answers.append(("default", ANNOTATOR, key, "verdict", json.dumps(rng.choice(labels)), now))
        records.append(("default", ANNOTATOR, key, "submitted", now, 2.5))
    insert_rows(store, answers, records)


def _scatter_floor(review, annotated) -> float:
    """The Arrow floor of to_dataset(): the added columns already in Arrow, keyed by record,
    scattered onto every row (one hash probe) and attached to the data, nothing else."""
    names = ["quality", "verdict", "annotator", "status", "annotated_at"]
    keys = review.keys.all()
    taken = annotated.data.table.filter(pc.is_valid(annotated.data.column("status")))
    stored_keys = pc.take(keys, pc.indices_nonzero(pc.is_valid(annotated.data.column("status"))))
    columns = {n: taken.column(n).combine_chunks() for n in names}  # not timed: setup
    features = datasets.Features({n: annotated.features[n] for n in names})

    def scatter():  # the fingerprint as to_dataset() gives it: datasets hashes nothing
        at = pc.index_in(keys, value_set=stored_keys)
        table = pa.table({n: pc.take(v, at) for n, v in columns.items()})
        added = datasets.Dataset(
            datasets.table.InMemoryTable(table.cast(features.arrow_schema)),
            fingerprint=generate_random_fingerprint(),
        )
        return datasets.concatenate_datasets([review.source.data, added], axis=1)

    return min(timed(scatter)[1] for _ in range(3))


def writeback(args: dict) -> dict:
    """Reopen a review with 100k answers in its store; to_dataset(); save_to_disk of it."""
    ds = open_dataset(args["data"])
    n_answers = args.get("answers", 100_000)
    store = prefilled_store(ds, args, n_answers)

    with Memory() as memory:
        review, seconds = timed(lambda: make_review(ds, store))
    out = {"rows": len(ds), "answers": n_answers, "reopen_s": seconds, "reopen_mb": memory.grown}
    progress, seconds = timed(lambda: review.progress)
    assert progress.submitted == n_answers, progress
    out["progress_s"] = seconds
    with Memory() as memory:
        _, seconds = timed(lambda: review.widget)
    out.update(open_s=seconds, open_mb=memory.grown)

    with Memory() as memory:
        annotated, seconds = timed(review.to_dataset)
    answered = len(annotated) - annotated.data.column("quality").null_count
    assert answered == n_answers, f"to_dataset found {answered} answers, expected {n_answers}"
    assert pc.sum(pc.is_valid(annotated.data.column("verdict"))).as_py() == n_answers
    out.update(to_dataset_s=seconds, to_dataset_mb=memory.grown, to_dataset_peak_mb=memory.peak)
    # Beside the floor, like for like: both with the dataset's pages read once, best of 3.
    out["to_dataset_warm_s"] = min(timed(review.to_dataset)[1] for _ in range(3))
    out["scatter_floor_s"] = _scatter_floor(review, annotated)

    def read_store():  # what to_dataset() asks the store for, timed on its own
        store = review.store
        return store.records_table(review.name, ANNOTATOR), store.answers_table(
            review.name, ANNOTATOR
        )

    out["store_read_s"] = min(timed(read_store)[1] for _ in range(3))

    folder = Path(args["dir"]) / f"saved-{uuid.uuid4().hex}"
    try:
        _, seconds = timed(lambda: annotated.save_to_disk(str(folder)))
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    out.update(save_s=seconds, saved_bytes=size)
    return out


if __name__ == "__main__":
    task_main(
        {
            "construct": construct,
            "interact": interact,
            "queue": queue,
            "writeback": writeback,
            "reopen": reopen,
            "search": search,
        }
    )
