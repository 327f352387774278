"""Content keys at scale (issue 25): what a review without `id=` pays for its rows.

    python benchmarks/scale.py [--rows 1000000] [--before /path/to/older/src]
        [--reopen-only | --export-only | --keys-only] [--data rows.arrow] [--runs 3]

Each figure stands beside its twin from the same run: the same call with `id=`, or the same
call with the index kept by an earlier process vs built in this one. With `--before`, every
measurement runs again with that source tree first on PYTHONPATH (e.g. main's `src`, from
`git archive main src | tar -x -C /tmp/base`), in the column "before". Every measurement is
a fresh process (`python benchmarks/scale.py TASK '{json}'`) that opens the synthetic dataset
memory-mapped (data.py) before its baseline; RSS growth counts the file pages it maps.

- **to_dataset**: a store holding 100,000 submitted answers (two questions) on random rows;
  `to_dataset()` once (its first call: it finds the answered rows), then best of 3.
- **reopen**: a store holding 10,000 answers; `Review(...)` + `review.widget` +
  `review.progress` (which must count every answer), time and RSS growth.
- **second window**: a window of the same name already on a record (a Review + widget in the
  same process, as a second tab); opening the second one (Review + widget, which tells it
  where the first is) and finding one record's row alone (`keys.position_of`).
- **all keys**: `RecordKeys.all()`, every row's key (a whole-data `suggest` or `fill` needs
  them), on pages already read; wall and CPU time, beside its floor: the hash itself,
  xxh3_128 over the same bytes a whole Arrow buffer per call; and again without
  polars-hash (the `fast` extra), one `xxhash` call per value; and in a review whose
  signature index is kept beside its store (the signatures read back from it).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import data
from common import Memory, run_task, task_main, timed

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
RUNS = 3  # fresh processes per figure, the median shown (--runs)


# -- tasks, each in a fresh process -------------------------------------------------------------


def _review(args: dict, id: str | None, ds=None, name: str = "default"):
    import tasks  # nbreview is imported from PYTHONPATH: this tree's, or --before's

    ds = data.open_dataset(args["data"]) if ds is None else ds
    return tasks.make_review(ds, Path(args["store"]), id=id, name=name)


def _forget_index(store: Path) -> None:
    """No index kept beside the store: this process builds it (what a first open pays)."""
    shutil.rmtree(store.with_name(store.name + "-keys"), ignore_errors=True)


def prefill(args: dict) -> dict:
    """Setup: a store whose review holds `answers` submitted answers on random rows."""
    import tasks

    ds = data.open_dataset(args["data"])
    store = Path(args["store"])
    first = tasks.make_review(ds, store, id=args.get("id"))
    rows = sorted(random.Random(0).sample(range(len(ds)), args["answers"]))
    keys = first.keys.take(rows).to_pylist()
    first.store.close()
    tasks._bulk_answers(store, rows, keys)
    return {"keys": len(keys)}


def export(args: dict) -> dict:
    if args.get("cold"):
        _forget_index(Path(args["store"]))
    review = _review(args, args.get("id"))
    with Memory() as memory:
        annotated, first = timed(review.to_dataset)
    answered = len(annotated) - annotated.data.column("quality").null_count
    assert answered == args["answers"], f"to_dataset found {answered}, not {args['answers']}"
    warm = min(timed(review.to_dataset)[1] for _ in range(3))
    return {"first_s": first, "warm_s": warm, "mb": memory.grown}


def consensus(args: dict) -> dict:
    """`to_dataset(annotators="consensus")`: every submitted answer, one column per row."""
    review = _review(args, args.get("id"))
    with Memory() as memory:
        annotated, first = timed(lambda: review.to_dataset(annotators="consensus"))
    answered = len(annotated) - annotated.data.column("quality").null_count
    assert answered == args["answers"], f"consensus found {answered}, not {args['answers']}"
    warm = min(timed(lambda: review.to_dataset(annotators="consensus"))[1] for _ in range(3))
    every = review.keys._all is not None  # whether every row's key was computed
    return {"first_s": first, "warm_s": warm, "mb": memory.grown, "every_key": float(every)}


def reopen(args: dict) -> dict:
    if args.get("cold"):
        _forget_index(Path(args["store"]))
    import tasks  # noqa: F401 - imported before the baseline, as in a running kernel

    ds = data.open_dataset(args["data"])
    with Memory() as memory:
        start = time.perf_counter()
        review = _review(args, args.get("id"), ds)
        _ = review.widget
        progress = review.progress
        seconds = time.perf_counter() - start
    assert progress.submitted == args["answers"], progress
    return {"s": seconds, "mb": memory.grown, "peak_mb": memory.peak}


def second_window(args: dict) -> dict:
    first = _review(args, args.get("id"))
    key = first.widget.record["key"]  # the first window is on its first open record
    start = time.perf_counter()
    second = _review(args, args.get("id"))
    told = str(second.widget.visitor)
    seconds = time.perf_counter() - start
    assert "also reviewing" in told, told[:300]
    position, lookup = timed(lambda: second.session.cursor.position_of(key))
    assert position is not None
    return {"s": seconds, "lookup_s": lookup}


def all_keys(args: dict) -> dict:
    """Every row's key; its floor: xxh3_128 over the same bytes, a whole buffer per call."""
    import xxhash

    from nbreview._data.keys import RecordKeys
    from nbreview._data.source import RecordSource

    if args.get("per_value"):  # without polars-hash, as without the `fast` extra
        with contextlib.suppress(ImportError):  # (an older tree has no other way)
            from nbreview._data import fast_hash

            fast_hash._usable = False
    ds = data.open_dataset(args["data"])
    review = _review(args, None, ds) if args.get("store") else None  # its index kept: signatures
    source = review.source if review else RecordSource.of(ds)  # are read back, not recomputed
    buffers = []
    for column in ("prompt", "response"):  # the pages read once (a chunk at a time): hashing
        for chunk in source.values(column).chunks:  # is measured, not the disk
            buffers.append(chunk.buffers()[2])
            memoryview(buffers[-1]).tobytes()
    floor = time.process_time()
    for buffer in buffers:
        xxhash.xxh3_128_digest(buffer)
    floor = time.process_time() - floor
    keys = review.keys if review else RecordKeys(source, None, ["prompt", "response"])
    cpu, start = time.process_time(), time.perf_counter()
    found = keys.all()
    wall = time.perf_counter() - start
    assert len(found) == len(source)
    return {"s": wall, "cpu_s": time.process_time() - cpu, "floor_cpu_s": floor}


TASKS = {
    "prefill": prefill,
    "export": export,
    "consensus": consensus,
    "reopen": reopen,
    "second_window": second_window,
    "all_keys": all_keys,
}


# -- the run ----------------------------------------------------------------------------------


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(src: Path, task: str, args: dict, runs: int) -> dict:
    """Median of each figure over `runs` fresh processes with `src` first on PYTHONPATH."""
    previous = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(src)
    try:
        results = [run_task(sys.executable, "scale.py", task, args) for _ in range(runs)]
    finally:
        if previous is None:
            os.environ.pop("PYTHONPATH")
        else:
            os.environ["PYTHONPATH"] = previous
    errors = [r["error"] for r in results if "error" in r]
    if errors:
        return {"error": errors[0]}
    return {k: statistics.median(r[k] for r in results) for k in results[0]}


def fmt(r: dict, key: str, unit: str = "s") -> str:
    if "error" in r:
        return f"error: {r['error']}"
    value = r[key]
    if unit == "mb":
        return f"{value:+.0f} MB"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def measure(trees: dict[str, Path], path: Path, work: Path, runs: int, only: str | None) -> dict:
    stores = {}
    setups = (("100k", 100_000, None), ("100k-id", 100_000, "id"),
              ("10k", 10_000, None), ("10k-id", 10_000, "id"))  # fmt: skip
    chosen = {"reopen": setups[2:], "export": setups[:2], "keys": setups[2:3]}.get(only, setups)
    for label, answers, id in chosen:
        store = work / f"{label}.sqlite"
        log(f"setup: {answers:,} answers ({'id=' if id else 'content keys'})")
        run(SRC, "prefill", {"data": str(path), "store": str(store), "answers": answers,
                             "id": id}, 1)  # fmt: skip
        stores[label] = store
    if only == "keys":  # the index kept beside the store, as a first open leaves it
        run(SRC, "reopen", {"data": str(path), "store": str(stores["10k"]), "answers": 10_000}, 1)
    out: dict[str, dict[str, dict]] = {}
    for tree, src in trees.items():
        log(f"measuring {tree} ({src})")
        base = {"data": str(path)}
        r = out.setdefault(tree, {})
        if only in (None, "export"):
            export_part(r, src, base, stores, runs)
        if only in (None, "reopen"):
            reopen_part(r, src, base, stores, runs)
        if only in (None, "keys"):  # after reopen_part: the 10k store's index is kept
            keys_part(r, src, base, stores, runs)
    return out


def keys_part(r: dict, src: Path, base: dict, stores: dict, runs: int) -> None:
    r["all"] = run(src, "all_keys", base, runs)
    r["all_per_value"] = run(src, "all_keys", {**base, "per_value": 1}, runs)
    r["all_kept"] = run(src, "all_keys", {**base, "store": str(stores["10k"])}, runs)


def reopen_part(r: dict, src: Path, base: dict, stores: dict, runs: int) -> None:
    common = {**base, "answers": 10_000}
    r["reopen_id"] = run(
        src, "reopen", {**common, "store": str(stores["10k-id"]), "id": "id"}, runs
    )
    r["reopen_cold"] = run(src, "reopen", {**common, "store": str(stores["10k"]), "cold": 1}, runs)
    r["reopen"] = run(src, "reopen", {**common, "store": str(stores["10k"])}, runs)
    r["window"] = run(src, "second_window", {**common, "store": str(stores["10k"])}, runs)
    r["window_id"] = run(
        src, "second_window", {**common, "store": str(stores["10k-id"]), "id": "id"}, runs
    )


def export_part(r: dict, src: Path, base: dict, stores: dict, runs: int) -> None:
    common = {**base, "answers": 100_000}
    with_id = {**common, "store": str(stores["100k-id"]), "id": "id"}
    r["export_id"] = run(src, "export", with_id, runs)
    r["export_cold"] = run(src, "export", {**common, "store": str(stores["100k"]), "cold": 1}, runs)
    r["export"] = run(src, "export", {**common, "store": str(stores["100k"])}, runs)
    r["consensus_id"] = run(src, "consensus", with_id, runs)
    r["consensus"] = run(src, "consensus", {**common, "store": str(stores["100k"])}, runs)


def ratio(a: dict, b: dict, key: str) -> str:
    if "error" in a or "error" in b:
        return ""
    return f" ({a[key] / b[key]:.1f}x)"


def versus(a: dict, b: dict, key: str) -> str:
    """'a vs b (a/b x)'."""
    return f"{fmt(a, key)} vs {fmt(b, key)}{ratio(a, b, key)}"


def over_floor(r: dict) -> str:
    """'wall (CPU) vs the floor's CPU (CPU / floor x)'."""
    if "error" in r:
        return fmt(r, "s")
    times = r["cpu_s"] / r["floor_cpu_s"]
    return f"{fmt(r, 's')} ({fmt(r, 'cpu_s')}) vs {fmt(r, 'floor_cpu_s')} ({times:.1f}x)"


def with_rss(r: dict, key: str = "s") -> str:
    return f"{fmt(r, key)} ({fmt(r, 'mb', 'mb')})"


def table_rows(out: dict[str, dict[str, dict]], rows: int) -> list[list[str]]:
    n = f"{rows:,} rows"
    specs = [
        (
            f"`to_dataset()` with 100,000 answers, {n}: without `id=` vs with it, first call",
            "within 2x",
            lambda r: versus(r["export"], r["export_id"], "first_s"),
        ),
        (
            "the same, best of 3 more calls",
            "within 2x",
            lambda r: versus(r["export"], r["export_id"], "warm_s"),
        ),
        (
            "the same without `id=`, first call, index built in this process (first open; RSS)",
            "",
            lambda r: f"{fmt(r['export_cold'], 'first_s')} ({fmt(r['export_cold'], 'mb', 'mb')})",
        ),
        (
            f"`to_dataset(annotators='consensus')`, 100,000 answers, {n}: without `id=` vs "
            "with it, first call",
            "within 2x",
            lambda r: versus(r["consensus"], r["consensus_id"], "first_s"),
        ),
        (
            "the same, best of 3 more calls (every row's key computed without `id=`: 1 = yes)",
            "within 2x",
            lambda r: (
                f"{versus(r['consensus'], r['consensus_id'], 'warm_s')} "
                f"({r['consensus']['every_key']:.0f})"
            ),
        ),
        (
            f"reopen + widget + `progress`, 10,000 answers, {n}: without `id=` vs with it (RSS)",
            "< 1 s, < 200 MB at 10M",
            lambda r: f"{with_rss(r['reopen'])} vs {with_rss(r['reopen_id'])}",
        ),
        (
            "the same without `id=`, index built in this process (first open)",
            "",
            lambda r: with_rss(r["reopen_cold"]),
        ),
        (
            f"second window of the same name: Review + widget, {n}, without `id=` vs with it",
            "",
            lambda r: versus(r["window"], r["window_id"], "s"),
        ),
        (
            "finding one record's row (`cursor.position_of`), without `id=` vs with it",
            "one lookup",
            lambda r: versus(r["window"], r["window_id"], "lookup_s"),
        ),
        (
            f"`RecordKeys.all()`, every row's key, {n}, pages already read: wall (CPU) vs "
            "the hash itself, xxh3_128 of the same bytes a buffer at a time (CPU)",
            "the hash's speed",
            lambda r: over_floor(r["all"]),
        ),
        (
            "the same without polars-hash (the `fast` extra): one xxhash call per value",
            "",
            lambda r: f"{fmt(r['all_per_value'], 's')} ({fmt(r['all_per_value'], 'cpu_s')})",
        ),
        (
            "the same in a review whose signature index is kept beside its store (signatures "
            "read back from it)",
            "the hash's speed",
            lambda r: over_floor(r["all_kept"]),
        ),
    ]
    return [
        [measure, target, *(cell(r) if _has(r, cell) else "-" for r in out.values())]
        for measure, target, cell in specs
    ]


def _has(r: dict, cell) -> bool:
    try:
        cell(r)
    except KeyError:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--before", type=Path, help="an older nbreview src folder to compare")
    parser.add_argument("--data", type=Path, help="an existing data.py file of --rows rows")
    parser.add_argument("--runs", type=int, default=RUNS, help="processes per figure")
    parser.add_argument("--reopen-only", action="store_true", help="reopen and second window")
    parser.add_argument("--export-only", action="store_true", help="to_dataset and consensus")
    parser.add_argument("--keys-only", action="store_true", help="every row's key")
    args = parser.parse_args()
    trees = {"before": args.before} if args.before else {}
    trees["after" if args.before else "value"] = SRC
    load = os.getloadavg()[0]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="nbreview-scale-") as tmp:
        work = Path(tmp)
        path = args.data
        if path is None:
            log(f"writing the synthetic dataset, {args.rows:,} rows")
            path = data.write(args.rows, work / "rows.arrow")
        only = "reopen" if args.reopen_only else "export" if args.export_only else None
        only = "keys" if args.keys_only else only
        found = measure(trees, path, work, args.runs, only)
        lines = table_rows(found, args.rows)
    header = ["measure", "target", *trees]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for line in lines:
        print("| " + " | ".join(line) + " |")
    print(f"\n- {os.cpu_count()} cores; load average (1 min) {load:.2f} at start, "
          f"{os.getloadavg()[0]:.2f} at end; {time.perf_counter() - started:.0f} s")  # fmt: skip


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in TASKS:
        task_main(TASKS)
    else:
        main()
