"""The review as a marimo app (`marimo run`) in Chromium: it renders in marimo's shadow DOM,
keys answer and never reach marimo, marimo's dark theme (and light, live) is followed, Esc
hands the keyboard to the cell, and the answers are in the store under the page's name."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from serving import free_port, script, served

ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts"
APP = """
import marimo

app = marimo.App(width="full")


@app.cell
def _():
    import pandas as pd

    import nbreview as nr

    df = pd.DataFrame({"text": ["alpha", "beta", "gamma", "delta"]})
    review = nr.Review(df, ["text"], [nr.Label("verdict", ["good", "bad"])], store=STORE)
    review
    return (review,)


if __name__ == "__main__":
    app.run()
"""
OPEN_TIMEOUT = 60_000
# Keys the widget takes; marimo listens on the document for shortcuts of its own.
KEYS = ["1", "2", "ArrowLeft", "ArrowRight", "a", "b", "d", "d", "Shift+Enter", "Control+Enter"]


@pytest.fixture
def app(tmp_path: Path):
    """`marimo run app.py --headless` on a free port, marimo's theme set to dark."""
    store = tmp_path / "answers.sqlite"
    (tmp_path / "app.py").write_text(APP.replace("STORE", repr(str(store))))
    (tmp_path / "pyproject.toml").write_text('[tool.marimo.display]\ntheme = "dark"\n')
    port = free_port()
    command = [script("marimo"), "run", "app.py", "--headless", "--host", "127.0.0.1",
               "--port", str(port)]  # fmt: skip
    with served(command, f"http://127.0.0.1:{port}/", tmp_path, tmp_path / "marimo.log"):
        yield f"http://127.0.0.1:{port}/", store


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / f"{request.node.name}.png"))
    context.close()


def luminance(css: str) -> float:
    """Relative luminance (0 black .. 1 white) of a computed `rgb(...)` colour."""
    r, g, b = (int(v) / 255 for v in re.findall(r"[\d.]+", css)[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def background(page: Page) -> float:
    """The widget's own computed background (transparent would mean its CSS is missing)."""
    css = page.locator(".nbr-root").evaluate("r => getComputedStyle(r).backgroundColor")
    assert css.startswith("rgb("), f"the widget has no background of its own: {css}"
    return luminance(css)


def test_marimo_app_reviews_by_keys_in_its_dark_theme(app, page):
    url, store = app
    page.goto(url + "?annotator=mia")
    root = page.locator(".nbr-root")  # Playwright looks into marimo's shadow root
    expect(root).to_have_attribute("data-position", "0", timeout=OPEN_TIMEOUT)
    expect(root).to_have_class(re.compile(r"\bnbr-host-marimo\b"))
    expect(page.locator(".nbr-who")).to_have_text("Reviewing as mia")
    # Dark: marimo's body class, and the widget's own computed background.
    assert "dark-theme" in page.evaluate("document.body.className")
    assert background(page) < 0.2

    page.evaluate(
        """() => { window.__marimoSaw = [];
        for (const target of [document, window])
          target.addEventListener('keydown', (e) => {
            // a modifier pressed alone is no shortcut; Ctrl+Enter itself must not pass
            const modifier = ['Control', 'Shift', 'Alt', 'Meta'].includes(e.key);
            if (!modifier) window.__marimoSaw.push(e.key);
          }); }"""
    )
    cells = page.locator(".marimo-cell").count()
    root.focus()
    page.keyboard.press("1")  # one key answers, submits, and opens the next record
    expect(root).to_have_attribute("data-ack", "1")
    expect(root).to_have_attribute("data-position", "1")
    page.keyboard.press("2")
    expect(root).to_have_attribute("data-ack", "2")
    for key in KEYS[2:]:
        page.keyboard.press(key)
    assert page.evaluate("window.__marimoSaw") == []  # not one key reached marimo
    assert page.locator(".marimo-cell").count() == cells

    with sqlite3.connect(store) as con:
        rows = con.execute("SELECT annotator, value FROM answers ORDER BY updated_at").fetchall()
    assert rows[:2] == [("mia", '"good"'), ("mia", '"bad"')]

    # marimo's light theme, switched live: the widget follows.
    page.evaluate("() => document.body.classList.remove('dark-theme', 'dark')")
    expect(root).not_to_have_class(re.compile(r"\bnbr-dark\b"))
    assert background(page) > 0.9
    page.evaluate("() => document.body.classList.add('dark-theme', 'dark')")
    expect(root).to_have_class(re.compile(r"\bnbr-dark\b"))

    root.focus()
    page.keyboard.press("Escape")  # the keyboard goes back to marimo's cell
    focused = page.evaluate("document.activeElement?.classList.contains('marimo-cell')")
    assert focused is True


def test_marimo_app_asks_a_visitor_without_a_name(app, page):
    url, store = app
    page.goto(url)
    name = page.locator(".nbr-ask-name")
    name.wait_for(state="visible", timeout=OPEN_TIMEOUT)
    name.fill("noor")
    page.keyboard.press("Enter")
    root = page.locator(".nbr-root")
    expect(root).to_have_attribute("data-position", "0")
    root.focus()
    page.keyboard.press("2")
    expect(root).to_have_attribute("data-ack", "1")
    with sqlite3.connect(store) as con:
        rows = con.execute("SELECT annotator, value FROM answers").fetchall()
    assert rows == [("noor", '"bad"')]


@pytest.fixture
def linked_app(tmp_path: Path):
    """`nbreview serve app.py --reviewers ana,ben --store answers.sqlite`: marimo run, with
    the private links printed in its log."""
    store = tmp_path / "answers.sqlite"
    (tmp_path / "app.py").write_text(APP.replace("store=STORE", "store=None"))
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    command = [script("nbreview"), "serve", "app.py", "--port", str(port), "--store",
               str(store), "--reviewers", "ana,ben", "--url", url, "--headless",
               "--host", "127.0.0.1"]  # fmt: skip
    with served(command, url, tmp_path, tmp_path / "serve.log"):
        yield url, store, tmp_path / "serve.log"


def printed_links(log: Path) -> dict[str, str]:
    found = {}
    for line in log.read_text().splitlines():
        name, sep, link = line.partition("\t")
        if sep and link.startswith("http"):
            found[name] = link
    return found


def test_private_links_in_a_marimo_app(linked_app, browser: Browser):
    url, store, log = linked_app
    links = printed_links(log)
    assert list(links) == ["ana", "ben"]
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        for name, key in (("ana", "1"), ("ben", "2")):
            page = context.new_page()
            page.goto(links[name])
            root = page.locator(".nbr-root")
            expect(root).to_have_attribute("data-position", "0", timeout=OPEN_TIMEOUT)
            expect(page.locator(".nbr-who")).to_have_text(f"Reviewing as {name}")
            root.focus()
            page.keyboard.press(key)
            expect(root).to_have_attribute("data-ack", "1")
        ben_token = links["ben"].split("token=")[1]
        for address in (f"{url}?annotator=ana&token={ben_token}", f"{url}?annotator=ben"):
            page = context.new_page()
            page.goto(address)  # ben's token for ana; an open page's address with no token
            refused = page.locator(".nbr-ask-error")
            expect(refused).to_have_text(
                "This link is not valid: ask for yours", timeout=OPEN_TIMEOUT
            )
            expect(page.locator(".nbr-fields")).to_be_hidden()
            expect(page.locator(".nbr-ask-name")).to_be_hidden()  # no name can be typed
        ARTIFACTS_DIR.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS_DIR / "marimo-private-link-refused.png"))
    finally:
        context.close()
    with sqlite3.connect(store) as con:
        rows = con.execute("SELECT annotator, value FROM answers ORDER BY annotator").fetchall()
    assert rows == [("ana", '"good"'), ("ben", '"bad"')]
    text = log.read_text()
    assert "refused: a private link whose token is not this name's (annotator 'ana')" in text
    assert "refused: a private link without a token (annotator 'ben')" in text
    assert ben_token not in text.split("\n", 2)[-1]  # only the printed links carry tokens
