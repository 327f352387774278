"""Remapped keys in a real JupyterLab (contract B): `Review(keys=...)` and a label's own
`keys=` drive a review end to end, the old keys do nothing, the buttons and the `?` panel
show the keys in force, and no key reaches JupyterLab."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from playwright.sync_api import Locator, Page, expect
from serving import wait_until

SETUP = """
import pandas as pd, nbreview as nr
df = pd.DataFrame({"claim": ["the sky is green", "water is wet", "fire is cold"]})
questions = [nr.Label("verdict", ["accept", "reject"], keys=["y", "n"]),
             nr.FreeText("note", required=False)]  # two questions: no one-key mode
review = nr.Review(df, ["claim"], questions,
                   keys={"submit": "x", "skip": "z", "next": "l", "prev": "h"},
                   store="keys.sqlite", annotator="alice")
review
"""


def stored(store: Path) -> list[tuple[str, object]]:
    with sqlite3.connect(store) as con:
        rows = con.execute("SELECT question, value FROM answers ORDER BY updated_at").fetchall()
    return [(q, json.loads(v)) for q, v in rows]


def check_hints(root: Locator) -> None:
    """The buttons and the label's options show the keys SETUP set, once record 0 is open."""
    root.wait_for(state="visible", timeout=30_000)
    expect(root).to_have_attribute("data-position", "0", timeout=30_000)
    expect(root.locator(".nbr-submit")).to_have_text("Submit (x)")
    expect(root.locator(".nbr-skip")).to_have_text("Skip (z)")
    expect(root.locator(".nbr-next")).to_have_attribute("title", "next record (l)")
    verdict = root.locator('.nbr-question[data-question="verdict"]')
    expect(verdict.locator(".nbr-option kbd")).to_have_text(["y", "n"])


def drive_by_keys(page: Page, root: Locator, store: Path) -> None:
    """SETUP's review, focused, driven by its remapped keys; the default keys do nothing.

    Shared by every host (JupyterLab here, Voilà and marimo in test_keys_served.py).
    """
    verdict = root.locator('.nbr-question[data-question="verdict"]')
    page.keyboard.press("2")  # the label's digits are gone: nothing is answered
    page.keyboard.press("n")
    expect(verdict.locator('.nbr-option[data-value="reject"]')).to_have_class(
        re.compile(r"\bnbr-selected\b")
    )
    page.keyboard.press("Enter")  # Enter is nobody's now: no submit
    page.keyboard.press("s")  # nor is s: no skip
    expect(root).to_have_attribute("data-ack", "1", timeout=15_000)
    expect(root).to_have_attribute("data-position", "0")
    page.keyboard.press("ArrowRight")  # nor the arrows: no move
    expect(root).to_have_attribute("data-position", "0")
    page.keyboard.press("x")  # submits and opens the next record
    expect(root).to_have_attribute("data-position", "1", timeout=15_000)
    assert stored(store) == [("verdict", "reject")]

    page.keyboard.press("z")  # skip
    expect(root).to_have_attribute("data-position", "2", timeout=15_000)
    page.keyboard.press("h")  # back
    expect(root).to_have_attribute("data-position", "1", timeout=15_000)
    page.keyboard.press("l")  # forward
    expect(root).to_have_attribute("data-position", "2", timeout=15_000)
    page.keyboard.press("h")
    expect(root).to_have_attribute("data-position", "1", timeout=15_000)
    page.keyboard.press("y")  # the skipped record answered after all
    page.keyboard.press("x")
    expect(root).to_have_attribute("data-position", "2", timeout=15_000)
    wait_until(lambda: len(stored(store)) == 2, 15, "the second answer in the store")
    assert stored(store) == [("verdict", "reject"), ("verdict", "accept")]

    page.keyboard.press("?")
    help_panel = root.locator(".nbr-help")
    expect(help_panel).to_be_visible()
    expect(
        help_panel.locator(".nbr-help-row", has_text="previous / next record").locator("kbd")
    ).to_have_text("h / l")
    expect(help_panel).to_contain_text("verdict: y = accept · n = reject")


def test_remapped_keys_drive_the_review(page, open_notebook, jupyter_server):
    nb = open_notebook([SETUP])
    nb.run_cell(0, key="Control+Enter")
    root = nb.cell(0).locator(".nbr-root")
    check_hints(root)
    cells = nb.cell_count()
    root.click()
    drive_by_keys(page, root, Path(jupyter_server.root_dir) / "keys.sqlite")
    assert nb.cell_count() == cells  # no key reached JupyterLab (no cell added or cut)
