"""nbreview beside the notebook annotators on PyPI, in the benchmark's own venv.

`ensure_venv()` (run by run.py with the main interpreter) makes `benchmarks/.venv-peers`,
installs this package editable and each peer from PyPI, and records what installed. Each
tool is then measured in a fresh process of that venv's python:

    .venv-peers/bin/python benchmarks/peers.py TOOL '{"data": "/path/100k.arrow", "dir": ...}'

Every tool gets the same 100k prompt/response texts. Its input is prepared from the Dataset
before the baseline (pigeonXT takes a DataFrame, ipyannotations and superintendent a list);
that conversion is timed apart (`prepare_s`) and not counted as construction. Construction
is the call that makes the tool's widget, the way its docs show it; nbreview's is
`Review(...)` plus `review.widget` (what displaying it does). State is the JSON of
`get_state()` of every ipywidgets widget the construction created, binary buffers counted
by size. Everything a library prints (display() outside a kernel prints reprs) is swallowed.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

from common import HERE, Memory, json_bytes, quiet, task_main, timed

REPO = HERE.parent
VENV = HERE / ".venv-peers"
PYTHON = VENV / "bin" / "python"
MARKER = VENV / "nbreview-bench.json"
PEERS = {  # tool -> PyPI requirements
    "pigeonXT": ["pigeonXT-jupyter"],
    "ipyannotations": ["ipyannotations"],
    # superintendent 0.6.0 (2022) fails with today's sqlmodel ("Datetime values must have
    # timezone information"); sqlmodel 0.0.8 is the release current when it came out.
    "superintendent": ["superintendent", "sqlmodel==0.0.8"],
}
RATING = ["1", "2", "3", "4", "5"]


# -- the venv (main interpreter) --------------------------------------------------------------


def _pip(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    command = [str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=1200)


def _pip_error(done: subprocess.CompletedProcess) -> str:
    lines = [x for x in (done.stderr + done.stdout).splitlines() if x.startswith("ERROR")]
    lines = lines or [x for x in done.stderr.splitlines() if x.strip()][-1:]
    return lines[0] if lines else f"pip exited with {done.returncode}"


def _version(dist: str) -> str | None:
    code = f"import importlib.metadata as m; print(m.version({dist!r}))"
    done = subprocess.run([str(PYTHON), "-c", code], capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else None


def _install_nbreview(log) -> dict:
    env = dict(os.environ)
    if (REPO / "src" / "nbreview" / "static" / "widget.js").exists():
        env["SKIP_JUPYTER_BUILDER"] = "1"  # the bundle is built: don't rebuild it with npm
    log("installing nbreview (editable) into it ...")
    done = _pip("-e", str(REPO), env=env)
    if done.returncode != 0:
        return {"error": _pip_error(done)}
    return {"version": _version("nbreview"), "pyproject": _pyproject_hash()}


def _pyproject_hash() -> str:
    return hashlib.sha256((REPO / "pyproject.toml").read_bytes()).hexdigest()


def ensure_venv(log=print) -> dict:
    """Make the venv and install everything once; return {tool: {"version"} or {"error"}}.

    Later runs reuse it; nbreview is reinstalled when pyproject.toml changed (new deps).
    """
    if MARKER.exists():
        installed = json.loads(MARKER.read_text())
        if installed.get("nbreview", {}).get("pyproject") != _pyproject_hash():
            installed["nbreview"] = _install_nbreview(log)
            MARKER.write_text(json.dumps(installed, indent=1))
        return installed
    if not PYTHON.exists():
        log(f"creating {VENV} ...")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    installed = {"nbreview": _install_nbreview(log)}
    if "error" in installed["nbreview"]:
        raise RuntimeError(f"cannot install nbreview into {VENV}: {installed['nbreview']}")
    # Peers may not move what nbreview needs: pin what is there now as constraints.
    frozen = subprocess.run(
        [str(PYTHON), "-m", "pip", "freeze", "--exclude-editable"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    constraints = VENV / "constraints.txt"
    constraints.write_text(frozen)
    for tool, requirements in PEERS.items():
        log(f"installing {' '.join(requirements)} from PyPI ...")
        done = _pip("-c", str(constraints), *requirements)
        if done.returncode == 0:
            installed[tool] = {"version": _version(requirements[0])}
        else:
            installed[tool] = {"error": _pip_error(done)}
    MARKER.write_text(json.dumps(installed, indent=1))
    return installed


# -- measurements (venv interpreter) ------------------------------------------------------------


def _registry() -> dict:
    from ipywidgets.widgets import widget

    instances = getattr(widget, "_instances", None)
    return instances if instances is not None else widget.Widget.widgets


def _state_bytes(widgets: list) -> int:
    from ipywidgets.widgets.widget import _remove_buffers

    total = 0
    for w in widgets:
        state, _, buffers = _remove_buffers(w.get_state())
        total += json_bytes(state)
        total += sum(memoryview(b).nbytes for b in buffers)
    return total


def _measure(args: dict, prepare, build, extra=lambda result: {}) -> dict:
    from data import open_dataset

    ds = open_dataset(args["data"])
    made, prepare_s = timed(lambda: prepare(ds))
    before = set(_registry())
    with Memory() as memory, quiet():
        result, seconds = timed(lambda: build(made, args))
    created = [w for k, w in list(_registry().items()) if k not in before]
    return {
        "rows": len(ds),
        "prepare_s": prepare_s,
        "seconds": seconds,
        "grown_mb": memory.grown,
        "peak_mb": memory.peak,
        "widgets": len(created),
        "state_bytes": _state_bytes(created),
        **extra(result),
    }


def _texts(ds) -> list[str]:
    """One text per record: the prompt, a blank line, the response."""
    import pyarrow.compute as pc

    table = ds.data.table
    return pc.binary_join_element_wise(table["prompt"], table["response"], "\n\n").to_pylist()


def bench_nbreview(args: dict) -> dict:
    import nbreview as nr
    import nbreview._ui.widget

    store = Path(args["dir"]) / f"{uuid.uuid4().hex}.sqlite"

    def build(ds, args):
        review = nr.Review(
            ds,
            fields=["prompt", "response"],
            questions=[nr.Rating("quality", scale=5)],
            id="id",
            store=store,
            annotator="bench",
        )
        _ = review.widget  # what displaying the review does
        return review

    def prepare(ds):
        if args.get("reopen"):  # the store exists already, as from the second open on
            build(ds, args).store.close()
        return ds

    def bundle(review):
        state = review.widget.get_state()
        return {"bundle_bytes": sum(json_bytes(state[k]) for k in ("_esm", "_css"))}

    return _measure(args, prepare, build, bundle)


def bench_pigeonxt(args: dict) -> dict:
    import pandas as pd
    from pigeonXT import annotate

    def prepare(ds):
        return pd.DataFrame({"id": ds.data.table["id"].to_pylist(), "example": _texts(ds)})

    def build(frame, args):
        return annotate(frame, options=RATING, example_column="example", id_column="id")

    return _measure(args, prepare, build)


def bench_ipyannotations(args: dict) -> dict:
    from ipyannotations.text import ClassLabeller

    def build(texts, args):
        # ipyannotations shows one item at a time; the caller keeps the list and feeds it.
        widget = ClassLabeller(options=RATING, allow_freetext=False)
        labels: list[str | None] = [None] * len(texts)
        position = [0]

        def on_submit(label):
            labels[position[0]] = label
            position[0] += 1
            if position[0] < len(texts):
                widget.display(texts[position[0]])

        widget.on_submit(on_submit)
        widget.display(texts[0])
        return widget, labels

    return _measure(args, _texts, build)


def bench_superintendent(args: dict) -> dict:
    from ipyannotations.text import ClassLabeller
    from superintendent import Superintendent

    def build(texts, args):
        database = Path(args["dir"]) / f"superintendent-{uuid.uuid4().hex}.db"
        return Superintendent(
            features=texts,
            labelling_widget=ClassLabeller(options=RATING, allow_freetext=False),
            database_url=f"sqlite:///{database}",
        )

    return _measure(args, _texts, build)


TASKS = {
    "nbreview": bench_nbreview,
    "pigeonXT": bench_pigeonxt,
    "ipyannotations": bench_ipyannotations,
    "superintendent": bench_superintendent,
}

if __name__ == "__main__":
    task_main(TASKS)
