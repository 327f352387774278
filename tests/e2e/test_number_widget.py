"""nr.Number in a real JupyterLab: the number is typed into its box (digits, "." and "s" are
the box's, not the widget's or JupyterLab's), Enter sends it and submits, an out-of-range
value is marked and not stored."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from playwright.sync_api import expect

SETUP = """
import pandas as pd, nbreview as nr
df = pd.DataFrame({"item": ["a lamp", "a chair", "a desk"]})
review = nr.Review(df, ["item"], [nr.Number("price", min=0, max=100, step=0.5)],
                   store="number.sqlite", annotator="alice")
review
"""


def stored(root_dir: str) -> list[tuple[str, str]]:
    with sqlite3.connect(Path(root_dir) / "number.sqlite") as con:
        return con.execute("SELECT question, value FROM answers ORDER BY updated_at").fetchall()


def test_a_number_is_typed_sent_and_submitted(page, open_notebook, jupyter_server):
    nb = open_notebook([SETUP])
    nb.run_cell(0, key="Control+Enter")
    root = nb.cell(0).locator(".nbr-root")
    root.wait_for(state="visible", timeout=30_000)
    expect(root).to_have_attribute("data-position", "0", timeout=30_000)
    cells = nb.cell_count()
    root.click()
    page.keyboard.press("Tab")  # into the box
    box = root.locator("input.nbr-number")
    expect(box).to_be_focused()
    page.keyboard.type("120")
    expect(root.locator(".nbr-number-error")).to_contain_text("out of range", timeout=5_000)
    expect(box).to_have_attribute("aria-invalid", "true")
    assert stored(jupyter_server.root_dir) == []  # nothing stored
    page.keyboard.press("Control+a")
    page.keyboard.type("12.5")
    page.keyboard.press("s")  # a letter in the box: the box ignores it, and it is no skip
    expect(box).to_have_value("12.5")
    expect(root).to_have_attribute("data-position", "0")
    page.keyboard.press("Enter")  # sends 12.5, then submits and opens the next record
    expect(root).to_have_attribute("data-position", "1", timeout=15_000)
    assert stored(jupyter_server.root_dir) == [("price", "12.5")]
    assert nb.cell_count() == cells  # no key reached JupyterLab (no cell added or cut)
