"""A reviewer in a real JupyterLab: keys pressed in the widget reach the kernel and the store,
never the notebook; a kernel restart resumes where the work stopped."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts"

SETUP = """
import datasets, nbreview as nr
ds = datasets.Dataset.from_dict({
    "id": ["r1", "r2", "r3", "r4"],
    "prompt": ["What is 2+2?", "Capital of Japan?", "Say hi in Greek", "Write HTML"],
    "response": [
        "5",
        "Tokyo 🇯🇵 — 東京",
        "Γειά σου 👩🏽‍💻",
        '<img src=x onerror="window.__nbr_xss=1"><script>window.__nbr_xss=2</script><b>bold</b>',
    ],
    "judge": [2, 5, None, 3],
})
review = nr.Review(
    ds,
    fields=["prompt", "response"],
    questions=[
        nr.Rating("quality", scale=5, suggestion="judge"),
        nr.Label("verdict", labels=["good", "bad"]),
        nr.MultiLabel("issues", labels=["factual", "bias"]),
        nr.FreeText("comment"),
    ],
    id="id",
    store="{store}",
    annotator="alice",
)
review
"""

ONE_KEY = """
import pandas as pd, nbreview as nr
df = pd.DataFrame({"text": ["alpha", "beta", "gamma", "delta"]})
review = nr.Review(df, fields=["text"], questions=[nr.Rating("score", scale=5)],
                   store="{store}", annotator="bob")
review
"""


def shot(page: Page, name: str) -> None:
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / f"{name}.png"))


def widget(nb, cell: int = 0) -> Locator:
    root = nb.cell(cell).locator(".nbr-root")
    root.wait_for(state="visible", timeout=30_000)
    return root


def wait_ack(root: Locator, seq: int) -> None:
    """Wait until the kernel has handled the browser's message number `seq`."""
    expect(root).to_have_attribute("data-ack", str(seq), timeout=15_000)


def press(page: Page, root: Locator, keys: list[str], ack: int) -> int:
    """Press keys that each send one message, waiting for the kernel after each."""
    for key in keys:
        page.keyboard.press(key)
        ack += 1
        wait_ack(root, ack)
    return ack


def selected(root: Locator, question: str) -> list[str]:
    q = root.locator(f'.nbr-question[data-question="{question}"] .nbr-option.nbr-selected')
    return [q.nth(i).get_attribute("data-value") for i in range(q.count())]


def store_answers(path: Path, annotator: str) -> dict:
    con = sqlite3.connect(path)
    try:
        rows = con.execute(
            "SELECT record, question, value FROM answers WHERE annotator = ?", (annotator,)
        ).fetchall()
        status = dict(
            con.execute(
                "SELECT record, status FROM records WHERE annotator = ? AND status IS NOT NULL",
                (annotator,),
            ).fetchall()
        )
    finally:
        con.close()
    out: dict = {key: {"status": s} for key, s in status.items()}
    for record, question, value in rows:
        out.setdefault(record, {})[question] = json.loads(value)
    return out


def test_review_by_keyboard_then_resume(page, open_notebook, jupyter_server):
    store = "kbd.sqlite"
    nb = open_notebook([SETUP.replace("{store}", store), "x = 1"])
    nb.run_cell(0, key="Control+Enter")
    root = widget(nb)
    expect(root).to_have_attribute("data-key", "r1")
    sources = nb.cell_sources()

    # Focus the widget as a person does: click on it.
    root.locator(".nbr-field").first.click()
    # r1: rating 4 (over the suggested 2), verdict "bad", issues toggled to just "bias".
    ack = press(page, root, ["4"], 0)
    page.keyboard.press("Tab")
    ack = press(page, root, ["2"], ack)
    page.keyboard.press("Tab")
    ack = press(page, root, ["1", "2", "1"], ack)
    assert selected(root, "issues") == ["bias"]
    # The comment box: what is typed there is text, not shortcuts.
    page.keyboard.press("Tab")
    page.keyboard.type("dd a b m: too short")
    page.keyboard.press("Escape")  # leave the text box; the widget keeps focus
    ack += 1
    wait_ack(root, ack)
    shot(page, "review-r1-answered")
    ack = press(page, root, ["Enter"], ack)
    expect(root).to_have_attribute("data-key", "r2")

    # r2: accept the suggested 5, verdict good, no issues ("0": none apply), submit.
    suggested = root.locator('.nbr-question[data-question="quality"] .nbr-suggested')
    expect(suggested).to_have_attribute("data-value", "5")
    ack = press(page, root, ["a"], ack)
    page.keyboard.press("Tab")
    ack = press(page, root, ["1"], ack)
    page.keyboard.press("Tab")
    ack = press(page, root, ["0", "Enter"], ack)
    expect(root).to_have_attribute("data-key", "r3")

    # r3: skip. r4: notebook shortcuts pressed in the widget must do nothing to the notebook.
    ack = press(page, root, ["s"], ack)
    expect(root).to_have_attribute("data-key", "r4")
    body = root.locator('.nbr-field[data-column="response"] .nbr-field-body')
    expect(body).to_contain_text('<img src=x onerror="window.__nbr_xss=1">')
    assert root.locator("img, script, b").count() == 0
    page.keyboard.press("d")
    page.keyboard.press("d")
    page.keyboard.press("b")
    page.keyboard.press("m")
    ack = press(page, root, ["a"], ack)  # "a" accepts r4's suggested 3, and adds no cell
    ack = press(page, root, ["ArrowRight"], ack)  # the last record: no wrap-around
    expect(root).to_have_attribute("data-key", "r4")
    shot(page, "review-r4-last")
    assert nb.cell_count() == 2
    assert nb.cell_sources() == sources
    assert page.evaluate("window.__nbr_xss === undefined")

    # What reached the store, read straight from the file.
    answers = store_answers(Path(jupyter_server.root_dir) / store, "alice")
    assert answers["r1"] == {
        "status": "submitted",
        "quality": 4,
        "verdict": "bad",
        "issues": ["bias"],
        "comment": "dd a b m: too short",
    }
    assert answers["r2"] == {"status": "submitted", "quality": 5, "verdict": "good", "issues": []}
    assert answers["r3"] == {"status": "skipped"}
    assert answers["r4"] == {"status": "draft", "quality": 3}

    # And in to_dataset(), typed.
    table = json.loads(
        nb.exec(
            "import json; t = review.to_dataset(); "
            "print(json.dumps({c: t[c][:] for c in ['quality','verdict','issues','status']}))"
        )
    )
    assert table == {
        "quality": [4, 5, None, 3],
        "verdict": [1, 0, None, None],
        "issues": [[1], [], None, None],
        "status": ["submitted", "submitted", "skipped", "draft"],
    }

    # Restart the kernel and run the cell again: the first open record, earlier answers in place.
    nb.restart_kernel()
    nb.run_cell(0, key="Control+Enter")
    root = widget(nb)
    expect(root).to_have_attribute("data-key", "r4")
    expect(root).to_have_attribute("data-ack", "0")
    assert selected(root, "quality") == ["3"]
    root.locator(".nbr-field").first.click()
    press(page, root, ["ArrowLeft", "ArrowLeft", "ArrowLeft"], 0)
    expect(root).to_have_attribute("data-key", "r1")
    assert selected(root, "quality") == ["4"]
    assert selected(root, "verdict") == ["bad"]
    assert selected(root, "issues") == ["bias"]
    expect(root.locator("textarea")).to_have_value("dd a b m: too short")
    shot(page, "review-resumed")


def test_one_key_review_undo_and_keys_that_pass_through(page, open_notebook, jupyter_server):
    store = "onekey.sqlite"
    nb = open_notebook([ONE_KEY.replace("{store}", store)])
    nb.run_cell(0, key="Control+Enter")
    root = widget(nb)
    root.locator(".nbr-field").first.click()
    expect(root).to_have_attribute("data-position", "0")

    # One key answers, submits and moves on; undo takes the last answer back as one change.
    ack = press(page, root, ["3", "5"], 0)
    expect(root).to_have_attribute("data-position", "2")
    ack = press(page, root, ["Control+z"], ack)
    expect(root).to_have_attribute("data-position", "1")
    assert selected(root, "score") == []
    ack = press(page, root, ["4"], ack)
    expect(root).to_have_attribute("data-position", "2")
    progress = nb.exec("print(tuple(review.progress))")
    assert progress.strip() == "(4, 2, 0, 2)"

    con = sqlite3.connect(Path(jupyter_server.root_dir) / store)
    try:
        scores = [json.loads(v) for (v,) in con.execute("SELECT value FROM answers ORDER BY rowid")]
        undone = con.execute("SELECT COUNT(*) FROM changes WHERE undo_of IS NOT NULL").fetchone()[0]
    finally:
        con.close()
    assert sorted(scores) == [3, 4]
    assert undone == 1

    # Ctrl+S is not the widget's: it reaches JupyterLab, which saves the notebook.
    dirty = "window.jupyterapp.shell.currentWidget.context.model.dirty"
    page.wait_for_function(dirty)
    page.keyboard.press("Control+s")
    page.wait_for_function(f"!{dirty}", timeout=15_000)

    # Esc hands focus back to the notebook, where "b" is again "add a cell below".
    page.keyboard.press("Escape")
    page.wait_for_function("!document.activeElement.closest('.nbr-root')")
    page.keyboard.press("b")
    page.wait_for_function(
        "window.jupyterapp.shell.currentWidget.content.model.cells.length === 2", timeout=10_000
    )
    shot(page, "one-key-after-escape")
