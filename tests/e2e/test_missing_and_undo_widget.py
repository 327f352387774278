"""Two newcomer fixes in a real JupyterLab (issue 16): Enter with a required answer missing
goes to that question, and Ctrl+Z after a kernel restart undoes the last stored change."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from playwright.sync_api import expect

ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts"

SETUP = """
import datasets, nbreview as nr
ds = datasets.Dataset.from_dict({"id": ["r1", "r2"], "text": ["one", "two"]})
review = nr.Review(ds, fields=["text"],
                   questions=[nr.Rating("quality"), nr.Label("verdict", labels=["good", "bad"])],
                   id="id", store="{store}", annotator="alice")
review
"""


def answers(path: Path) -> dict:
    con = sqlite3.connect(path)
    try:
        rows = con.execute("SELECT record, question, value FROM answers").fetchall()
    finally:
        con.close()
    return {(r, q): json.loads(v) for r, q, v in rows}


def test_enter_goes_to_the_missing_answer_and_undo_survives_a_restart(
    page, open_notebook, jupyter_server
):
    store = jupyter_server.root_dir / "missing.sqlite"
    nb = open_notebook([SETUP.replace("{store}", store.name)])
    nb.run_cell(0, key="Control+Enter")
    root = nb.cell(0).locator(".nbr-root")
    root.wait_for(state="visible", timeout=30_000)
    root.locator(".nbr-field").first.click()
    page.keyboard.press("4")
    expect(root).to_have_attribute("data-ack", "1", timeout=15_000)
    page.keyboard.press("Enter")  # the verdict is missing
    verdict = root.locator('.nbr-question[data-question="verdict"]')
    expect(verdict).to_have_class(re.compile(r"\bnbr-missing\b"), timeout=15_000)
    expect(verdict).to_have_class(re.compile(r"\bnbr-focused\b"))
    expect(root).to_have_attribute("data-key", "r1")
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "missing-answer-focused.png"))
    page.keyboard.press("2")  # "bad", on the focused verdict
    expect(root).to_have_attribute("data-ack", "3", timeout=15_000)
    assert answers(store) == {("r1", "quality"): 4, ("r1", "verdict"): "bad"}

    nb.restart_kernel()
    nb.run_cell(0, key="Control+Enter")
    root = nb.cell(0).locator(".nbr-root")
    expect(root).to_have_attribute("data-ack", "0", timeout=30_000)
    root.locator(".nbr-field").first.click()
    page.keyboard.press("Control+z")
    expect(root).to_have_attribute("data-ack", "1", timeout=15_000)
    assert answers(store) == {("r1", "quality"): 4}  # the verdict, the last change, undone
    expect(root.locator('.nbr-question[data-question="verdict"] .nbr-selected')).to_have_count(0)
