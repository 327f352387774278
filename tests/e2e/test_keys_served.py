"""Remapped keys on served pages (contract B): the review of test_keys_widget.py, with
`Review(keys=...)` and a label's `keys=["y", "n"]`, driven end to end by its own keys in
Voilà and in a marimo app (`marimo run`); the default keys do nothing there either."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import Browser, Page
from serving import free_port, script, served
from test_keys_widget import SETUP, check_hints, drive_by_keys

ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts"
OPEN_TIMEOUT = 90_000
MARIMO_APP = """
import marimo

app = marimo.App(width="full")


@app.cell
def _():
    SETUP
    return


if __name__ == "__main__":
    app.run()
"""


def voila(tmp_path: Path) -> tuple[list[str], str, str]:
    """The command serving SETUP as a notebook in Voilà, its page, and a probe address.

    (Not the page itself: every GET of it starts a kernel, a second window of alice's.)
    """
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(SETUP)],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    nbformat.write(nb, tmp_path / "keys.ipynb")
    port = free_port()
    command = [script("voila"), "keys.ipynb", "--no-browser", f"--port={port}",
               "--Voila.ip=127.0.0.1"]  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    return command, url, url + "nbreview-probe"


def marimo(tmp_path: Path) -> tuple[list[str], str, str]:
    """The command serving SETUP as one cell of a marimo app, its page, and a probe address."""
    body = "\n    ".join(SETUP.strip().splitlines())
    (tmp_path / "app.py").write_text(MARIMO_APP.replace("SETUP", body))
    port = free_port()
    command = [script("marimo"), "run", "app.py", "--headless", "--host", "127.0.0.1",
               "--port", str(port)]  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    return command, url, url


@pytest.fixture(params=[voila, marimo], ids=["voila", "marimo"])
def served_page(request: pytest.FixtureRequest, browser: Browser, tmp_path: Path) -> Iterator[Page]:
    command, url, probe = request.param(tmp_path)
    with served(command, probe, tmp_path, tmp_path / "server.log"):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(url, timeout=OPEN_TIMEOUT)
        try:
            yield page
        finally:
            ARTIFACTS_DIR.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS_DIR / f"keys-{request.node.callspec.id}.png"))
            context.close()


def test_remapped_keys_drive_a_served_review(served_page: Page, tmp_path: Path):
    root = served_page.locator(".nbr-root")  # Playwright looks into marimo's shadow root
    root.wait_for(state="visible", timeout=OPEN_TIMEOUT)
    check_hints(root)
    root.focus()
    drive_by_keys(served_page, root, tmp_path / "keys.sqlite")
