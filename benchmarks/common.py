"""Measuring helpers shared by every benchmark process (stdlib only: the peers' venv uses it too).

Memory is read from /proc/self/status: VmRSS now, and VmHWM, the peak, which writing "5" to
/proc/self/clear_refs resets to the current RSS. Each measurement runs in its own process, so
one measurement's allocations never show up in another's figures.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULT = "BENCHMARK-RESULT "


def _status(field: str) -> float:
    """A /proc/self/status field in MiB."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"{field} is not in /proc/self/status")


def rss_mb() -> float:
    return _status("VmRSS")


class Memory:
    """RSS growth and peak growth over a block: `with Memory() as m: ...; m.grown, m.peak`."""

    def __enter__(self) -> Memory:
        gc.collect()
        _release_arrow_pool()  # what setup freed must not come back as negative growth
        self.before = rss_mb()
        self._peak_resettable = _reset_peak()
        return self

    def __exit__(self, *exc: Any) -> None:
        gc.collect()
        self.after = rss_mb()
        self.grown = self.after - self.before
        self.peak = _status("VmHWM") - self.before if self._peak_resettable else None


def _release_arrow_pool() -> None:
    """Hand Arrow's freed-but-cached memory back to the OS (only before a baseline)."""
    if "pyarrow" in sys.modules:
        sys.modules["pyarrow"].default_memory_pool().release_unused()


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def insert_rows(store: Path, answers: list[tuple], records: list[tuple]) -> None:
    """Rows written straight into a store's `answers` and `records` tables, in one transaction:
    a benchmark's setup of stored answers, not timed (the change log is left out)."""
    con = sqlite3.connect(store, isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        con.executemany("INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?)", answers)
        con.executemany("INSERT INTO records VALUES (?, ?, ?, ?, ?, ?)", records)
        con.execute("COMMIT")
    finally:
        con.close()


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    """(result, seconds)."""
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary_ms(seconds: list[float]) -> dict:
    ms = [s * 1000 for s in seconds]
    return {"median_ms": statistics.median(ms), "p99_ms": percentile(ms, 0.99), "n": len(ms)}


def json_bytes(value: Any) -> int:
    """Bytes of a value as JSON on the wire (UTF-8, as Jupyter's session serializes it)."""
    return len(json.dumps(value, ensure_ascii=False, default=str).encode())


def emit(result: dict) -> None:
    """A task's answer: one marked JSON line on stdout, whatever else was printed."""
    sys.stdout.write("\n" + RESULT + json.dumps(result) + "\n")
    sys.stdout.flush()


@contextlib.contextmanager
def quiet():
    """Swallow what a widget library prints (display() outside a kernel prints reprs)."""
    with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
        yield


def run_task(python: str | Path, script: str, task: str, args: dict, timeout: float = 600) -> dict:
    """Run `python script task 'json'` in a fresh process; its emitted result, or an error."""
    command = [str(python), str(HERE / script), task, json.dumps(args)]
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "TOKENIZERS_PARALLELISM": "false"}
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, env=env, cwd=HERE
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    for line in reversed(done.stdout.splitlines()):
        if line.startswith(RESULT):
            return json.loads(line[len(RESULT) :])
    lines = [x for x in done.stderr.strip().splitlines() if x.strip()]
    return {"error": lines[-1] if lines else f"exit code {done.returncode}, no result"}


def task_main(tasks: dict[str, Callable[[dict], dict]]) -> None:
    """`script TASK 'json args'`: run one task and emit its result."""
    name, args = sys.argv[1], json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    try:
        result = tasks[name](args)
    except Exception as exc:  # reported in the table, first line only
        import traceback

        traceback.print_exc()
        first = (str(exc).strip().splitlines() or [""])[0]
        result = {"error": f"{type(exc).__name__}: {first}"}
    emit(result)
