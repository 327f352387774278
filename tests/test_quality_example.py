"""examples/quality.ipynb runs top to bottom in a fresh kernel, as the lead runs it: gold
records, two reviewers' answers, every quality table and chart (API.md 8)."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from shipped import copy_shipped


@pytest.mark.timeout(240)
def test_quality_notebook_runs_and_shows_tables_and_charts(tmp_path):
    folder = copy_shipped("examples", tmp_path / "examples")
    nb = nbformat.read(folder / "quality.ipynb", as_version=4)
    NotebookClient(
        nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": folder}}
    ).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "gold accuracy 0.19 below 0.8" in text  # Bob, the lenient reviewer, is flagged
    assert "consensus" in text  # the judge's alignment table
    assert "model-b" in text  # the answers by model
    charts = [o for o in outputs if "alt.Chart" in str(o.get("data", {}).get("text/plain", ""))]
    assert len(charts) == 5  # gold, timing, progress, alignment, answers
    # each carries its vega-lite spec, in whatever mimetype altair's renderer chose
    assert all(any("vega" in k or "vega" in str(v) for k, v in o["data"].items()) for o in charts)
    assert (folder / "quality.sqlite").exists()
