"""`review.plot()` draws with no network (API.md 14), checked by what Chromium draws: an
`<svg>` in the cell's output with one bar per answer, and no request leaving the machine.
In JupyterLab and Notebook 7 (a notebook cell), in Voilà and in marimo (served pages)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import Browser, Locator, Page, Route
from serving import free_port, script, served

ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts"
OPEN_TIMEOUT = 90_000

# Three answers "good", one "bad", one "unsure": the bars must be 3, 1 and 1 tall.
SETUP = """
import pandas as pd, nbreview as nr
df = pd.DataFrame({"text": ["a", "b", "c", "d", "e"]})
review = nr.Review(df, ["text"], [nr.Label("verdict", ["good", "bad", "unsure"])],
                   store="charts.sqlite", annotator="alice")
for i, v in enumerate(["good", "good", "bad", "good", "unsure"]):
    review.submit(i, verdict=v)
review.plot("answers", question="verdict")
"""


def offline(page: Page) -> list[str]:
    """Refuse every request that would leave this machine; return the list of those tried."""
    tried: list[str] = []

    def handle(route: Route) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "http://localhost", "ws://", "data:", "blob:")):
            route.continue_()
        else:
            tried.append(url)
            route.abort()

    page.route("**/*", handle)
    return tried


def drawn_bars(output: Locator) -> list[float]:
    """The heights of the bars the chart's SVG draws, left to right, as laid out on screen."""
    svg = output.locator("svg.marks").first
    svg.wait_for(state="visible", timeout=OPEN_TIMEOUT)
    box = svg.bounding_box()
    assert box is not None
    assert min(box["width"], box["height"]) > 100, box
    bars = svg.locator("g.mark-rect path")
    boxes = [b for b in (bars.nth(i).bounding_box() for i in range(bars.count())) if b]
    return [round(b["height"], 1) for b in sorted(boxes, key=lambda b: b["x"])]


def check_chart(output: Locator) -> None:
    heights = drawn_bars(output)
    assert len(heights) == 3, heights
    good, bad, unsure = heights
    assert min(heights) > 0
    assert abs(good - 3 * bad) < 2  # 3 : 1 : 1, as answered
    assert abs(bad - unsure) < 1
    texts = output.locator("svg.marks text").all_text_contents()
    assert {"good", "bad", "unsure"} <= {t.strip() for t in texts}


def test_a_chart_draws_in_jupyterlab_with_no_network(page, open_notebook):
    tried = offline(page)
    nb = open_notebook([SETUP])
    nb.run_cell(0, key="Control+Enter")
    output = nb.cell(0).locator(".jp-OutputArea-output")
    check_chart(output)
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    nb.cell(0).screenshot(path=str(ARTIFACTS_DIR / "chart-jupyterlab.png"))
    assert not [u for u in tried if "vega" in u or "jsdelivr" in u], tried


def test_a_chart_draws_in_notebook7_with_no_network(page, jupyter_server):
    tried = offline(page)
    name = "chart-notebook7.ipynb"
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(SETUP)],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    nbformat.write(nb, Path(jupyter_server.root_dir) / name)
    page.goto(f"{jupyter_server.url}/notebooks/{name}?token={jupyter_server.token}")
    cell = page.locator(".jp-Notebook .jp-Cell").first
    cell.wait_for(state="visible", timeout=OPEN_TIMEOUT)
    assert page.evaluate("window.jupyterapp.name") == "Jupyter Notebook"  # not JupyterLab
    page.wait_for_function(
        """() => { const k = window.jupyterapp.shell.currentWidget?.sessionContext?.session
                   ?.kernel; return !!k && k.status === 'idle'
                   && k.connectionStatus === 'connected'; }""",
        timeout=OPEN_TIMEOUT,
    )
    cell.locator(".jp-InputArea-editor").click()
    page.keyboard.press("Control+Enter")
    check_chart(cell.locator(".jp-OutputArea-output"))
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    cell.screenshot(path=str(ARTIFACTS_DIR / "chart-notebook7.png"))
    assert not [u for u in tried if "vega" in u or "jsdelivr" in u], tried


@pytest.fixture
def voila_page(browser: Browser, tmp_path: Path) -> Iterator[tuple[Page, list[str]]]:
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(SETUP)],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    nbformat.write(nb, tmp_path / "charts.ipynb")
    port = free_port()
    command = [script("voila"), "charts.ipynb", "--no-browser", f"--port={port}",
               "--Voila.ip=127.0.0.1"]  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    with served(command, url + "nbreview-probe", tmp_path, tmp_path / "voila.log"):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        tried = offline(page)
        page.goto(url, timeout=OPEN_TIMEOUT)
        try:
            yield page, tried
        finally:
            ARTIFACTS_DIR.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS_DIR / "chart-voila.png"))
            context.close()


def test_a_chart_draws_in_voila_with_no_network(voila_page):
    page, tried = voila_page
    check_chart(page.locator(".jp-OutputArea-output").first)
    # (Voilà's own template asks a CDN for Font Awesome; the chart asks nothing)
    assert not [u for u in tried if "vega" in u], tried


APP = """
import marimo

app = marimo.App(width="full")


@app.cell
def _():
    SETUP
    return


if __name__ == "__main__":
    app.run()
"""


@pytest.fixture
def marimo_page(browser: Browser, tmp_path: Path) -> Iterator[tuple[Page, list[str]]]:
    body = "\n    ".join(SETUP.strip().splitlines())
    (tmp_path / "app.py").write_text(APP.replace("SETUP", body))
    port = free_port()
    command = [script("marimo"), "run", "app.py", "--headless", "--host", "127.0.0.1",
               "--port", str(port)]  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    with served(command, url, tmp_path, tmp_path / "marimo.log"):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        tried = offline(page)
        page.goto(url, timeout=OPEN_TIMEOUT)
        try:
            yield page, tried
        finally:
            ARTIFACTS_DIR.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS_DIR / "chart-marimo.png"))
            context.close()


def test_a_chart_draws_in_marimo_with_no_network(marimo_page):
    page, tried = marimo_page
    check_chart(page.locator("body"))
    assert not [u for u in tried if "vega" in u], tried
