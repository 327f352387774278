"""nbreview's benchmark: one command, one table, every figure from this run.

    python benchmarks/run.py              # 100k and 1M rows, peers, browser (a few minutes)
    python benchmarks/run.py --quick      # 100k rows only
    python benchmarks/run.py --no-peers --no-browser

Makes a synthetic dataset (id, prompt ~200 chars, response ~1,000 chars, model, score), writes
it as an Arrow file in a temporary folder, and runs each measurement in a fresh process that
opens it memory-mapped (tasks.py, peers.py, browser.py). Prints the table as markdown, then
the machine's facts. The first run also creates benchmarks/.venv-peers for the peers.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import data
import peers
from common import run_task

ROOT = Path(__file__).resolve().parent.parent  # the repository: build/ holds the metafile

TARGETS = {
    "construct_s": 0.3,
    "construct_mb": 50,
    "state_kb": 64,
    "nav_ms": 2,
    "answer_ms": 1,
    "key_ms": 16,  # one frame at 60 Hz: the next record painted from what was sent ahead
    "filter_sort_s": 1,
    "to_dataset_s": 1,
    "quality_s": 1,  # quality() and summary() with 100k answers of 1M rows
    "slowest_ratio": 100,
    "no_id_ratio": 5,  # without id= at most this many times the same with id=
    "search_ratio": 1.5,  # queue search at most this many times DuckDB's ILIKE
    "bundle_kb": 150,
}
REPEATS = 3  # construct measurements: median of this many fresh processes


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def median_of(results: list[dict]) -> dict:
    """Field by field median of repeated runs (errors pass through)."""
    good = [r for r in results if "error" not in r]
    if not good:
        return results[0]
    out = dict(good[0])
    for key, value in good[0].items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out[key] = statistics.median(r[key] for r in good)
    out["runs"] = len(good)
    return out


def repeat(python, script, task, args, n=REPEATS) -> dict:
    return median_of([run_task(python, script, task, args) for _ in range(n)])


# -- formatting ---------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def secs(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def kb(n: float) -> str:
    return f"{n / 1024:.1f} KB"


def mb(n: float | None) -> str:
    return "n/a" if n is None else f"{n:+.1f} MB"


def met(ok: bool | None) -> str:
    return {True: "yes", False: "**no**", None: ""}[ok]


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str]] = []

    def add(self, measure: str, target: str, value: str, ok: bool | None = None) -> None:
        self.rows.append((measure, target, value, met(ok)))

    def failed(self, measure: str, result: dict) -> bool:
        if "error" in result:
            self.add(measure, "", f"failed: {result['error']}", None)
            return True
        return False

    def markdown(self) -> str:
        lines = ["| measure | target | value | met? |", "|---|---|---|---|"]
        lines += [f"| {' | '.join(row)} |" for row in self.rows]
        return "\n".join(lines)


# -- the run ------------------------------------------------------------------------------


def construct_rows(table: Table, label: str, r: dict, target: bool) -> None:
    if table.failed(f"construct Review, {label}", r):
        return
    value = f"{secs(r['seconds'])}, RSS {mb(r['grown_mb'])} (peak {mb(r['peak_mb'])})"
    ok = r["seconds"] < TARGETS["construct_s"] and r["grown_mb"] < TARGETS["construct_mb"]
    table.add(
        f"construct `Review`, {label}",
        "< 0.3 s, < 50 MB" if target else "",
        value,
        ok if target else None,
    )


def nbreview_part(table: Table, files: dict[int, Path], work: Path, big: int) -> dict:
    py = sys.executable
    results: dict = {}
    for rows, path in files.items():
        log(f"construct on {rows:,} rows ({REPEATS} runs)")
        r = results[f"construct_{rows}"] = repeat(
            py, "tasks.py", "construct", {"data": str(path), "dir": str(work)}
        )
        construct_rows(table, f"{rows:,} rows", r, target=rows >= 1_000_000)
    path = files[big]
    for variant, label in (
        ("shuffle", f"{big:,} rows after `ds.shuffle()` (indices mapping)"),
        ("random_ids", f"{big:,} rows, ids in random order"),
    ):
        log(f"construct on {label}")
        r = results[f"construct_{variant}"] = repeat(
            py, "tasks.py", "construct", {"data": str(path), "dir": str(work), variant: True}
        )
        construct_rows(table, label, r, target=big >= 1_000_000)

    r = results[f"construct_{big}"]
    if "error" not in r:
        table.add(
            f"open the widget (session + first view), {big:,} rows",
            "",
            f"{secs(r['open_seconds'])}, RSS {mb(r['open_grown_mb'])}",
        )
        sizes = [results[f"construct_{n}"] for n in files]
        state = max(s["state_bytes"] for s in sizes if "error" not in s)
        table.add(
            "widget state at open (`config` + `view` JSON), "
            + " / ".join(f"{n:,}" for n in files)
            + " rows",
            "< 64 KB",
            " / ".join(kb(s["state_bytes"]) for s in sizes if "error" not in s),
            state < TARGETS["state_kb"] * 1024,
        )
        table.add(
            "front-end bundle (ESM + CSS, deflated in a loader), sent once at open",
            "≤ 150 KB",
            kb(r["bundle_bytes"]),
            r["bundle_bytes"] <= TARGETS["bundle_kb"] * 1024,
        )
        minified = minified_bundle()
        if minified:
            js, css, largest = minified
            table.add(
                "front-end bundle minified (js + css, esbuild's metafile), before deflating; "
                "its largest parts",
                "≤ 150 KB",
                f"{kb(js + css)} ({kb(js)} + {kb(css)}); {largest}",
                js + css <= TARGETS["bundle_kb"] * 1024,
            )

    answers = min(100_000, big // 10)
    log(f"next/previous and answers on {big:,} rows, {answers:,} answered")
    r = results["interact"] = run_task(
        py, "tasks.py", "interact", {"data": str(path), "dir": str(work), "answers": answers}
    )
    if not table.failed("next/previous", r):
        nav, answer = r["nav"], r["answer"]
        table.add(
            f"next/previous, Python incl. the view, median / p99 (1,000 moves; "
            f"{answers:,} answered)",
            "< 2 ms median",
            f"{nav['median_ms']:.2f} / {nav['p99_ms']:.2f} ms",
            nav["median_ms"] < TARGETS["nav_ms"],
        )
        table.add(
            "stored answer, median / p99 (1,000 answers)",
            "< 1 ms median",
            f"{answer['median_ms']:.2f} / {answer['p99_ms']:.2f} ms",
            answer["median_ms"] < TARGETS["answer_ms"],
        )
        both, submit = r["answer_view"], r["submit_view"]
        table.add(
            "answer + its view; answer + submit + next record + view, medians",
            "",
            f"{both['median_ms']:.2f} ms; {submit['median_ms']:.2f} ms",
        )

    log(f"queues on {big:,} rows")
    r = results["queue"] = run_task(py, "tasks.py", "queue", {"data": str(path), "dir": str(work)})
    if not table.failed("queue", r):
        q = r["filter_sort"]
        table.add(
            f"queue filter + sort, {big:,} rows → {q['size']:,}, median of 3 (first call)",
            "< 1 s",
            f"{secs(q['median_s'])} ({secs(q['first_s'])})",
            q["median_s"] < TARGETS["filter_sort_s"],
        )
        for name, label in (
            ("filter", "filter only"),
            ("sort", "sort only"),
            ("status", "status `unanswered`"),
        ):
            q = r[name]
            table.add(
                f"queue {label}, {big:,} rows → {q['size']:,}",
                "",
                f"{secs(q['median_s'])} ({secs(q['first_s'])})",
            )

    search_rows(table, py, path, work, big)
    for stored in (1_000, 20_000):
        reopen_rows(table, py, path, work, big, stored)

    log(f"to_dataset with {answers:,} answers of {big:,}")
    r = results["writeback"] = run_task(
        py, "tasks.py", "writeback", {"data": str(path), "dir": str(work), "answers": answers}
    )
    if not table.failed("to_dataset", r):
        table.add(
            f"reopen `Review` with {answers:,} answers stored; its progress; its widget",
            "",
            f"{secs(r['reopen_s'])}; {secs(r['progress_s'])}; {secs(r['open_s'])}",
        )
        table.add(
            f"`to_dataset()` with {answers:,} answers of {big:,} rows",
            "< 1 s",
            f"{secs(r['to_dataset_s'])}, RSS {mb(r['to_dataset_mb'])}",
            r["to_dataset_s"] < TARGETS["to_dataset_s"],
        )
        ratio = r["to_dataset_warm_s"] / r["scatter_floor_s"]
        table.add(
            f"`to_dataset()` beside its Arrow floor (the same columns, already in Arrow, "
            f"scattered onto {big:,} rows and attached), best of 3 each; reading the store "
            "alone (`records_table()` + `answers_table()`)",
            "≤ 2x",
            f"{secs(r['to_dataset_warm_s'])} / {secs(r['scatter_floor_s'])} = {ratio:.1f}x; "
            f"{secs(r['store_read_s'])}",
            ratio <= 2,
        )
        table.add(
            "`save_to_disk` of it",
            "",
            f"{secs(r['save_s'])} ({r['saved_bytes'] / 2**30:.2f} GiB)",
        )
    results["quality"] = quality_rows(table, py, path, work, big, answers)
    return results


def quality_rows(table: Table, py: str, path: Path, work: Path, big: int, answers: int) -> dict:
    """quality(), summary() and alignment() on a store of `answers` (benchmarks/quality.py)."""
    log(f"quality tables with {answers:,} answers of {big:,}")
    args = {"data": str(path), "dir": str(work), "answers": answers}
    r = run_task(py, "quality.py", "tables", args)
    if table.failed("quality tables", r):
        return r
    shown = f"{answers:,} answers of {big:,} rows, median of 3 (first call)"
    for name, label, target in (
        ("quality", f"`quality()` ({r['gold_answered']:,} gold answered), {shown}", True),
        ("summary", f"`summary('verdict')`, {shown}", True),
        ("summary_by", f"`summary('verdict', by='model')`, {shown}", True),
        ("alignment", f"`alignment('judge_verdict', 'verdict')`, {shown}", False),
    ):
        q = r[name]
        table.add(
            label,
            "< 1 s" if target else "",
            f"{secs(q['median_s'])} ({secs(q['first_s'])})",
            q["median_s"] < TARGETS["quality_s"] if target else None,
        )
    table.add("reading the store for them (`times()` + `submitted_answers()`)", "",
              secs(r["store_read_s"]))  # fmt: skip
    return r


def search_rows(table: Table, py: str, path: Path, work: Path, big: int) -> None:
    log(f"text search vs DuckDB ILIKE on {big:,} rows")
    r = run_task(py, "tasks.py", "search", {"data": str(path), "dir": str(work)})
    if table.failed("queue text search", r):
        return
    for name, label in (
        ("search", "`benchmark widget`"),
        ("search_unicode", "`straße café` (non-ASCII)"),
    ):
        q = r[name]
        ratio = q["median_s"] / q["ilike_s"]
        table.add(
            f"queue text search {label} in prompt + response, {big:,} rows → {q['size']:,}, "
            "vs DuckDB `ILIKE` over the same columns, medians of 3",
            "≤ 1.5x ILIKE",
            f"{secs(q['median_s'])} vs {secs(q['ilike_s'])} ({ratio:.2f}x)",
            ratio <= TARGETS["search_ratio"],
        )


def minified_bundle() -> tuple[int, int, str] | None:
    """(js bytes, css bytes, its largest packages) from the last build's esbuild metafile."""
    path = ROOT / "build" / "esbuild-meta.json"
    if not path.exists():
        return None
    outputs = json.loads(path.read_text())["outputs"]
    js = next(o for name, o in outputs.items() if name.endswith(".js"))
    css = sum(o["bytes"] for name, o in outputs.items() if name.endswith(".css"))
    parts: dict[str, int] = {}
    for name, info in js["inputs"].items():
        package = name.split("/")[1] if name.startswith("node_modules/") else "nbreview's own js"
        parts[package] = parts.get(package, 0) + info["bytesInOutput"]
    largest = sorted(parts.items(), key=lambda item: -item[1])[:4]
    return js["bytes"], css, ", ".join(f"{name} {kb(size)}" for name, size in largest)


def reopen_rows(table: Table, py: str, path: Path, work: Path, big: int, stored: int) -> None:
    """The same review opened without id= (content keys) and with it, in one run."""
    log(f"reopen with {stored:,} answers stored, without and with id=")
    args = {"data": str(path), "dir": str(work), "answers": stored}
    ours = repeat(py, "tasks.py", "reopen", args)
    twin = repeat(py, "tasks.py", "reopen", {**args, "with_id": True})
    label = f"reopen `Review` + open the widget + `review.progress`, {stored:,} answers stored"
    if table.failed(label, ours) or table.failed(label, twin):
        return
    ratio = ours["total_s"] / twin["total_s"]
    table.add(
        f"{label}, {big:,} rows, without `id=` vs with it (construct; widget; progress)",
        "≤ 5x the `id=` twin",
        f"{secs(ours['total_s'])} vs {secs(twin['total_s'])} ({ratio:.1f}x; without: "
        f"{secs(ours['construct_s'])}; {secs(ours['open_s'])}; {secs(ours['progress_s'])})",
        ratio <= TARGETS["no_id_ratio"],
    )


def peers_part(table: Table, path: Path, work: Path) -> dict:
    log("peers' venv (created and installed on the first run)")
    try:
        installed = peers.ensure_venv(log)
    except Exception as exc:  # no venv at all: every peer is reported as failing
        error = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
        installed = {tool: {"error": error} for tool in ["nbreview", *peers.PEERS]}
    results = {}
    runs = [
        ("nbreview", "nbreview", {}),
        ("nbreview, store existing", "nbreview", {"reopen": 1}),
    ]
    runs += [(tool, tool, {}) for tool in peers.PEERS]
    for label, tool, extra in runs:
        info = installed.get(tool, {"error": "not installed"})
        if "error" in info:
            results[label] = {"error": f"install: {info['error']}"}
            continue
        log(f"peer: {label} on {path.name}")
        n = 1 if tool == "superintendent" else 5  # it takes ~20 s a run; the others ~10 ms
        args = {"data": str(path), "dir": str(work), **extra}
        results[label] = repeat(peers.PYTHON, "peers.py", tool, args, n)
        results[label]["version"] = info.get("version")

    ours = results["nbreview"]
    for tool, r in results.items():
        version = r.get("version") or ""
        label = f"peers, 100k rows: {tool.replace('nbreview', f'nbreview {version}')}"
        if not tool.startswith("nbreview"):
            label = f"peers, 100k rows: {tool} {version}"
        if "error" in r:
            table.add(label, "", f"failed: {r['error']}")
            continue
        value = (
            f"construct {secs(r['seconds'])}, RSS {mb(r['grown_mb'])} (peak {mb(r['peak_mb'])}), "
            f"state {kb(r['state_bytes'])} in {r['widgets']} widgets"
        )
        if not tool.startswith("nbreview"):
            value += f"; input prepared from the Dataset in {secs(r['prepare_s'])}"
        table.add(label, "", value)
    others = {t: r for t, r in results.items() if not t.startswith("nbreview") and "error" not in r}
    if "error" not in ours and others:
        fastest = min(others, key=lambda t: others[t]["seconds"])
        slowest = max(others, key=lambda t: others[t]["seconds"])
        ratio = others[slowest]["seconds"] / ours["seconds"]
        table.add(
            f"construct at 100k vs the slowest peer ({slowest})",
            "≥ 100x faster",
            f"{ratio:.0f}x faster ({secs(ours['seconds'])} vs {secs(others[slowest]['seconds'])})",
            ratio >= TARGETS["slowest_ratio"],
        )
        again = results.get("nbreview, store existing", {})
        table.add(
            f"construct at 100k vs the fastest peer ({fastest}), nbreview creating its store",
            "not slower",
            f"{secs(ours['seconds'])} vs {secs(others[fastest]['seconds'])}"
            + (f" (store existing: {secs(again['seconds'])})" if "seconds" in again else ""),
            ours["seconds"] <= others[fastest]["seconds"],
        )
        smallest = min(others, key=lambda t: others[t]["state_bytes"])
        code = ours.get("bundle_bytes", 0)
        # The peers' code reaches the browser from their lab extensions, not as widget state;
        # anywidget sends ours as state. Like for like is state without code; both are shown.
        table.add(
            f"all `get_state()` JSON incl. nbreview's front-end code, vs {smallest}",
            "",
            f"{kb(ours['state_bytes'])} (of which front-end code {kb(code)}) vs "
            f"{kb(others[smallest]['state_bytes'])}",
            None,
        )
        table.add(
            f"widget state (code apart, as for the peers) vs the smallest peer's ({smallest})",
            "far smaller (≥ 4x)",
            f"{kb(ours['state_bytes'] - code)} vs {kb(others[smallest]['state_bytes'])}",
            (ours["state_bytes"] - code) * 4 <= others[smallest]["state_bytes"],
        )
    return results


def browser_part(table: Table, path: Path, rows: int) -> dict:
    log("key press to next record in JupyterLab + Chromium (50 presses)")
    r = run_task(sys.executable, "browser.py", "latency", {"data": str(path), "presses": 50})
    if not table.failed("key press to next record rendered", r):
        table.add(
            f"key press to next record painted (browser, {rows:,} rows), median of 50: the "
            "next animation frame after it (DOM changed / p90)",
            f"≤ {TARGETS['key_ms']} ms median",
            f"{r['frame_median_ms']:.0f} ms ({r['dom_median_ms']:.0f} / {r['dom_p90_ms']:.0f} ms)",
            r["frame_median_ms"] <= TARGETS["key_ms"],
        )
    return r


def version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "-"


def machine(loads: list[tuple[float, float, float]], chromium: str | None) -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    dists = ["nbreview", "datasets", "pyarrow", "duckdb", "numpy", "pandas", "anywidget"]
    dists += ["ipywidgets", "jupyterlab", "playwright"]
    facts = [
        f"{os.cpu_count()} cores ({model}), {memory:.0f} GiB",
        f"load average (1 min) at start {loads[0][0]:.2f}, at end {loads[-1][0]:.2f}",
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}",
        ", ".join(f"{d} {version(d)}" for d in dists),
    ]
    if chromium:
        facts.append(f"Chromium {chromium}")
    return "\n".join(f"- {fact}" for fact in facts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="100k rows only")
    parser.add_argument("--no-peers", action="store_true", help="skip pigeonXT & co.")
    parser.add_argument("--no-browser", action="store_true", help="skip JupyterLab + Chromium")
    args = parser.parse_args()
    loads = [os.getloadavg()]
    started = time.perf_counter()
    sizes = [100_000] if args.quick else [100_000, 1_000_000]
    table = Table()
    with tempfile.TemporaryDirectory(prefix="nbreview-bench-") as tmp:
        work = Path(tmp)
        files = {}
        for rows in sizes:
            log(f"writing the synthetic dataset, {rows:,} rows")
            files[rows] = data.write(rows, work / f"rows-{rows}.arrow")
        big = max(sizes)
        results = nbreview_part(table, files, work, big)
        if not args.no_peers:
            results["peers"] = peers_part(table, files[100_000], work)
        chromium = None
        if not args.no_browser:
            results["browser"] = browser_part(table, files[big], big)
            chromium = results["browser"].get("chromium")
    loads.append(os.getloadavg())
    print("\n" + table.markdown())
    print("\n" + machine(loads, chromium))
    print(f"- whole run {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
