"""The quickstart notebook runs top to bottom in a fresh kernel, as a newcomer runs it."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.mark.timeout(180)
def test_quickstart_runs_without_errors(tmp_path):
    folder = tmp_path / "examples"
    shutil.copytree(EXAMPLES, folder, ignore=shutil.ignore_patterns("*.sqlite*"))
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
