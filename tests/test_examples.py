"""The shipped notebooks: the quickstart runs top to bottom in a fresh kernel, as a newcomer
runs it, and every notebook is lint clean as committed (a user's own cells are theirs)."""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest
from nbclient import NotebookClient

from shipped import REPO_ROOT, copy_shipped, shipped_bytes, shipped_paths


@pytest.mark.timeout(180)
def test_quickstart_runs_without_errors(tmp_path):
    folder = copy_shipped("examples", tmp_path / "examples")
    nb = nbformat.read(folder / "quickstart.ipynb", as_version=4)
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": folder}}
    ).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "Progress(total=42, submitted=0, skipped=0, remaining=42)" in text
    assert "ClassLabel(names=['accept', 'revise', 'reject'])" in text
    assert (folder / "quickstart.sqlite").exists()


def _notebooks() -> list[str]:
    paths = shipped_paths(".") or [
        str(p.relative_to(REPO_ROOT)) for p in REPO_ROOT.rglob("*.ipynb")
    ]
    return [p for p in paths if p.endswith(".ipynb") and ".ipynb_checkpoints" not in p]


@pytest.mark.parametrize("path", _notebooks())
@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["check", "format"])
def test_shipped_notebook_is_lint_clean(path, command):
    """ruff over the tree skips notebooks (pyproject's extend-exclude); this checks ours."""
    done = subprocess.run(
        [sys.executable, "-m", "ruff", *command, "--stdin-filename", path, "-"],
        input=shipped_bytes(path),
        capture_output=True,
        cwd=REPO_ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stdout.decode() + done.stderr.decode()
