"""A store fault in a real JupyterLab: the reviewer is told at once, nothing typed is lost.

The store file is locked from this test's process (another process than the kernel) while
the reviewer types a comment and submits; the widget says "Not saved", keeps the answer on
screen, tries again by itself, and says when it is saved once the lock is gone.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from playwright.sync_api import expect

ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts"

SETUP = """
import datasets, nbreview as nr
ds = datasets.Dataset.from_dict({"id": ["r1", "r2"], "text": ["first answer", "second answer"]})
review = nr.Review(ds, fields=["text"],
                   questions=[nr.Rating("quality"), nr.FreeText("comment")],
                   id="id", store="{store}", annotator="alice")
review
"""


def test_a_locked_store_says_not_saved_then_saved(page, open_notebook, jupyter_server):
    store = jupyter_server.root_dir / "locked.sqlite"
    nb = open_notebook([SETUP.replace("{store}", store.name)])
    nb.run_cell(0, key="Control+Enter")
    root = nb.cell(0).locator(".nbr-root")
    root.wait_for(state="visible", timeout=30_000)
    root.locator(".nbr-field").first.click()
    page.keyboard.press("3")
    expect(root).to_have_attribute("data-ack", "1", timeout=15_000)

    lock = sqlite3.connect(store, isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")  # another process holds the file
    try:
        page.keyboard.press("Tab")
        page.keyboard.type("typed while the file was locked")
        page.keyboard.press("Escape")  # leaves the box: the comment is sent
        page.keyboard.press("Enter")  # submit, held behind the comment
        notice = root.locator(".nbr-notice")
        expect(notice).to_have_attribute("data-kind", "unsaved", timeout=15_000)
        expect(notice).to_contain_text("Not saved: the store file is locked")
        comment = root.locator('.nbr-question[data-question="comment"]')
        expect(comment).to_have_class(re.compile(r"\bnbr-unsaved\b"))
        expect(comment.locator("textarea")).to_have_value("typed while the file was locked")
        expect(root).to_have_attribute("data-key", "r1")
        expect(root).to_have_attribute("data-ack", "1")
        ARTIFACTS_DIR.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS_DIR / "fault-not-saved.png"))
    finally:
        lock.execute("ROLLBACK")
        lock.close()

    expect(notice).to_have_text("Saved: every change is in the store now.", timeout=20_000)
    expect(root).to_have_attribute("data-key", "r2")
    page.screenshot(path=str(ARTIFACTS_DIR / "fault-saved.png"))
    con = sqlite3.connect(store)
    try:
        answers = dict(con.execute("SELECT question, value FROM answers WHERE record = 'r1'"))
        status = con.execute("SELECT status FROM records WHERE record = 'r1'").fetchone()[0]
    finally:
        con.close()
    assert json.loads(answers["comment"]) == "typed while the file was locked"
    assert json.loads(answers["quality"]) == 3
    assert status == "submitted"


def test_a_widget_whose_kernel_restarted_says_so(page, open_notebook, jupyter_server):
    store = jupyter_server.root_dir / "restart.sqlite"
    nb = open_notebook([SETUP.replace("{store}", store.name)])
    nb.run_cell(0, key="Control+Enter")
    root = nb.cell(0).locator(".nbr-root")
    root.wait_for(state="visible", timeout=30_000)
    root.locator(".nbr-field").first.click()
    page.keyboard.press("2")
    expect(root).to_have_attribute("data-ack", "1", timeout=15_000)
    nb.restart_kernel()
    banner = nb.cell(0).locator(".nbr-stale-banner")
    expect(banner).to_be_visible(timeout=15_000)
    expect(banner).to_have_text("The kernel restarted: run the cell again")
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "fault-kernel-restarted.png"))
    nb.cell(0).locator(".nbr-option").nth(3).click(force=True)  # a dead widget takes no input
    page.keyboard.press("4")
    assert (
        nb.exec(
            "import sqlite3, json\nprint(json.dumps(sqlite3.connect('restart.sqlite')"
            '.execute("SELECT value FROM answers").fetchall()))'
        ).strip()
        == '[["2"]]'
    )


LONG = """
import pandas as pd, nbreview as nr
text = "".join(f"line {i:07d} of a very long field\\n" for i in range(45_000)) + "THE LAST LINE"
df = pd.DataFrame({"id": ["long", "short"], "text": [text, "a short one"]})
review = nr.Review(df, fields=["text"], questions=[nr.Rating("quality")], id="id",
                   store="{store}", annotator="alice")
review
"""


def test_a_long_field_shows_its_start_then_the_rest_on_show_more(
    page, open_notebook, jupyter_server
):
    """Issue 25, attack 9: a 1.5 MB field arrives cut at 100,000 characters with a "Show
    more" button; each click brings the next piece, until the last line is on screen."""
    store = jupyter_server.root_dir / "long.sqlite"
    nb = open_notebook([LONG.replace("{store}", store.name)])
    nb.run_cell(0, key="Control+Enter")
    root = nb.cell(0).locator(".nbr-root")
    root.wait_for(state="visible", timeout=30_000)
    field = root.locator('.nbr-field[data-column="text"]')
    body = field.locator(".nbr-field-body")
    more = field.locator(".nbr-show-more")
    expect(more).to_contain_text("Show more (100,000 of 1,530,013 characters shown)")
    assert len(body.text_content()) == 100_000
    assert "THE LAST LINE" not in body.text_content()
    more.click()
    expect(more).to_contain_text("1,100,000 of 1,530,013", timeout=15_000)
    more.click()
    expect(more).to_have_count(0, timeout=15_000)
    text = body.text_content()
    assert len(text) == 1_530_013
    assert text.endswith("line 0044999 of a very long field\nTHE LAST LINE")
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "long-field-shown.png"))
    field.locator(".nbr-field-header").click()
    page.keyboard.press("3")  # the widget still answers
    expect(root).to_have_attribute("data-key", "short", timeout=15_000)
