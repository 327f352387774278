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
    # each is drawn already, in the kernel: an SVG with marks, and nothing to fetch
    for o in charts:
        svg = o["data"]["image/svg+xml"]
        assert svg.startswith("<svg")
        assert svg.count("<path") >= 5
        assert o["data"]["text/html"].count("<svg") == 1
        assert "<script" not in o["data"]["text/html"]
        assert not [k for k in o["data"] if "vega" in k]  # no spec left for a CDN renderer
    assert (folder / "quality.sqlite").exists()
