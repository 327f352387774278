"""Smoke test: the e2e harness really drives JupyterLab, a kernel and widgets."""

import sys


def test_harness_smoke(open_notebook):
    nb = open_notebook(["print(1 + 1)", "import ipywidgets as w; w.IntSlider(value=7)"])
    assert nb.cell_count() == 2
    assert nb.cell_sources() == ["print(1 + 1)", "import ipywidgets as w; w.IntSlider(value=7)"]

    nb.run_cell(0)
    assert nb.output_text(0) == "2"

    nb.run_cell(1)
    slider = nb.cell(1).locator(".widget-slider")
    slider.wait_for(state="visible", timeout=30_000)
    assert nb.cell(1).locator(".widget-readout").inner_text().strip() == "7"

    assert nb.exec("print(40+2)").strip() == "42"
    # The kernel must run this very interpreter (our private kernelspec).
    assert nb.exec("import sys; print(sys.executable)").strip() == sys.executable

    nb.exec("x = 1")
    assert nb.exec("print('x' in dir())").strip() == "True"
    nb.restart_kernel()
    assert nb.exec("print('x' in dir())").strip() == "False"
