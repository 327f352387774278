"""Key press to next record rendered, in a real JupyterLab and Debian's headless Chromium.

    python benchmarks/browser.py latency '{"data": "/path/1m.arrow", "presses": 50}'

The server, browser and notebook helpers are the end-to-end tests' own
(`tests/e2e/conftest.py`, imported by path; its fixtures are not used, so pytest plays no
part). A one-key review (a single Rating) on the memory-mapped dataset: each `1` answers,
submits and opens the next record. The page times each press itself with performance.now():
from the keydown (a capture listener on the document, so before the widget sees it) to the
MutationObserver seeing a new `data-key` on `.nbr-root` (`dom_ms`), and to the next animation
frame after that (`frame_ms`, when the browser is about to paint the new record).
"""

from __future__ import annotations

import contextlib
import importlib.util
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import HERE, percentile, task_main

CONFTEST = HERE.parent / "tests" / "e2e" / "conftest.py"
WARMUP = 5

CELL = """
import datasets, nbreview as nr
ds = datasets.Dataset.from_file({data!r})
review = nr.Review(ds, fields=["prompt", "response"], questions=[nr.Rating("quality", scale=5)],
                   id="id", store="bench.sqlite", annotator="bench")
review
"""

SUGGEST_CELL = """
import time, datasets, nbreview as nr

CALLS = globals().setdefault("CALLS", [0])

def sleepy(records):  # a model that takes 200 ms per batch
    CALLS[0] += 1
    time.sleep(0.2)
    return [{{"quality": 1 + r["_row"] % 5}} for r in records]

ds = datasets.Dataset.from_file({data!r})
nr.Review(ds, fields=["prompt", "response"], questions=[nr.Rating("quality", scale=5)],
          id="id", store="{name}.sqlite", annotator="bench", suggest=sleepy if {suggest} else None)
"""

TIMER = """
(root) => {
  const bench = (window.__nbrBench = { samples: [], pending: null });
  document.addEventListener('keydown', (event) => {
    if (event.key === '1') bench.pending = { t0: performance.now(), key: root.dataset.key };
  }, true);
  new MutationObserver(() => {
    const p = bench.pending;
    if (!p || root.dataset.key === p.key) return;
    const t1 = performance.now();
    bench.pending = null;
    requestAnimationFrame(() => {
      bench.samples.push({ dom: t1 - p.t0, frame: performance.now() - p.t0 });
    });
  }).observe(root, { attributes: true, attributeFilter: ['data-key'] });
  return root.dataset.key;
}
"""


def _e2e():
    sys.path.insert(0, str(CONFTEST.parents[1]))  # tests/: the helpers the conftest imports
    spec = importlib.util.spec_from_file_location("nbreview_e2e_conftest", CONFTEST)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def _lab(cells: list[str]):
    """A private JupyterLab and a headless Chromium page with a notebook of `cells` open:
    yields (notebook, page, browser)."""
    from playwright.sync_api import sync_playwright

    e2e = _e2e()
    base = Path(tempfile.mkdtemp(prefix="nbreview-bench-lab-"))
    dirs = e2e._make_private_dirs(base)
    e2e._write_lab_settings(dirs["settings"])
    e2e._write_kernelspec(dirs["data"])
    log = open(base / "server.log", "wb")  # noqa: SIM115 - closed in finally
    proc = subprocess.Popen(
        e2e._server_command(dirs["root"]),
        env=e2e._server_env(dirs),
        cwd=dirs["root"],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    server = e2e.JupyterServer("", e2e.TOKEN, dirs["root"], base, proc)
    try:
        port = e2e._read_port(proc, dirs["runtime"], server.log_path)
        server.url = f"http://127.0.0.1:{port}"
        e2e._wait_ready(server)
        e2e._write_notebook(dirs["root"], "bench.ipynb", cells)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=e2e.CHROMIUM, headless=True, args=e2e.CHROMIUM_ARGS
            )
            try:
                context = browser.new_context(viewport=e2e.VIEWPORT)
                page = context.new_page()
                page.set_default_timeout(30_000)
                page.add_init_script(e2e._PAGE_HELPERS)
                yield e2e.Notebook(page, server, "bench.ipynb").open(), page, browser
            finally:
                browser.close()
    finally:
        e2e._stop_server(server)
        log.close()
        shutil.rmtree(base, ignore_errors=True)


def _presses(page, notebook, cell: int, presses: int) -> list[dict]:
    """Run `cell` (a review widget), then time `presses` presses of `1` on it."""
    notebook.run_cell(cell, key="Control+Enter")
    root = notebook.cell(cell).locator(".nbr-root")
    root.wait_for(state="visible", timeout=30_000)
    root.evaluate(TIMER)
    root.focus()
    for i in range(presses):
        page.keyboard.press("1")
        page.wait_for_function("n => window.__nbrBench.samples.length > n", arg=i, timeout=15_000)
        page.wait_for_timeout(50)  # a beat between presses, as a fast reviewer
    return page.evaluate("window.__nbrBench.samples")


def _figures(samples: list[dict], prefix: str = "") -> dict:
    dom, frame = [s["dom"] for s in samples], [s["frame"] for s in samples]
    return {
        f"{prefix}n": len(samples),
        f"{prefix}dom_median_ms": statistics.median(dom),
        f"{prefix}dom_p90_ms": percentile(dom, 0.9),
        f"{prefix}frame_median_ms": statistics.median(frame),
        f"{prefix}frame_p90_ms": percentile(frame, 0.9),
    }


def latency(args: dict) -> dict:
    presses = int(args.get("presses", 50))
    with _lab([CELL.format(data=args["data"])]) as (notebook, page, browser):
        samples = _presses(page, notebook, 0, WARMUP + presses)[WARMUP:]
        # Every press reached the kernel and the store: one submitted record each.
        submitted = int(notebook.exec("print(review.progress.submitted)").strip())
        chromium = browser.version
    if submitted != WARMUP + presses:
        raise RuntimeError(f"{WARMUP + presses} presses, but {submitted} records submitted")
    return {**_figures(samples), "submitted": submitted, "chromium": chromium}


def suggest(args: dict) -> dict:
    """The same presses on two reviews of the same data in one page, one with `suggest=` a
    callable sleeping 200 ms per batch at work in its thread, one without, in alternating
    rounds (ABBA) so both see the same machine and as many widgets on the page."""
    presses, rounds = int(args.get("presses", 50)), int(args.get("rounds", 2))
    # without, with, with, without, ...: each kind as often early as late in the page
    labels = [x for r in range(rounds) for x in (("without", "with"), ("with", "without"))[r % 2]]
    cells = [
        SUGGEST_CELL.format(data=args["data"], name=f"{label}{i}", suggest=label == "with")
        for i, label in enumerate(labels)
    ]
    out: dict[str, list] = {"with": [], "without": []}
    with _lab(cells) as (notebook, page, browser):
        for i, label in enumerate(labels):
            out[label] += _presses(page, notebook, i, WARMUP + presses // rounds)[WARMUP:]
        asked = int(notebook.exec("print(CALLS[0])").strip())
        chromium = browser.version
    figures = {**_figures(out["with"], "with_"), **_figures(out["without"], "without_")}
    ratio = figures["with_frame_median_ms"] / figures["without_frame_median_ms"]
    return {**figures, "ratio": ratio, "batches_asked": asked, "chromium": chromium}


if __name__ == "__main__":
    task_main({"latency": latency, "suggest": suggest})
