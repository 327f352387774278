"""Gold records in a real JupyterLab (API.md 8): with gold_feedback=True the expected answer
shows beside the given one after a gold record is submitted, until the next record; before
that, nothing of the gold columns is anywhere in the page."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts"
GOLD_TEXT = "Canberra-GOLD-4417"  # appears nowhere but in the gold column

RECORDS = [
    {"id": "r1", "prompt": "Capital of France?", "response": "Paris."},
    {"id": "r2", "prompt": "Capital of Australia?", "response": "Sydney, of course.",
     "gold_verdict": "bad", "gold_capital": GOLD_TEXT},
    {"id": "r3", "prompt": "Capital of Japan?", "response": "Tokyo."},
    {"id": "r4", "prompt": "Capital of Peru?", "response": "Lima."},
]  # fmt: skip

# The data is read from a file: the notebook's own source is part of the page.
SETUP = """
import pandas as pd, nbreview as nr
df = pd.read_json("gold.jsonl", lines=True, dtype=False)
review = nr.Review(
    df,
    fields=["prompt", "response"],
    questions=[
        nr.Label("verdict", labels=["good", "bad"], gold="gold_verdict"),
        nr.FreeText("capital", required=True, gold="gold_capital"),
    ],
    id="id",
    store="gold.sqlite",
    annotator="alice",
    gold_feedback=True,
)
review
"""


def shot(page: Page, name: str) -> None:
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / f"{name}.png"))


def wait_ack(root: Locator, seq: int) -> None:
    expect(root).to_have_attribute("data-ack", str(seq), timeout=15_000)


def answer(page: Page, root: Locator, verdict_key: str, capital: str, ack: int) -> int:
    """Pick the verdict, type the capital, leave the box, submit: three messages."""
    page.keyboard.press(verdict_key)
    wait_ack(root, ack + 1)
    page.keyboard.press("Tab")
    page.keyboard.type(capital)
    page.keyboard.press("Escape")  # sends the text; the widget keeps the focus
    wait_ack(root, ack + 2)
    page.keyboard.press("Enter")
    wait_ack(root, ack + 3)
    return ack + 3


def no_gold_in(page: Page, root: Locator) -> None:
    """The gold value nowhere in the page; the gold columns not even named by the widget (the
    notebook's code names them)."""
    assert GOLD_TEXT not in page.content()
    widget = root.inner_html()
    assert "gold_capital" not in widget
    assert "gold_verdict" not in widget


def test_gold_feedback_after_submit_and_never_before(page, open_notebook, jupyter_server):
    lines = "\n".join(json.dumps(r) for r in RECORDS) + "\n"
    (Path(jupyter_server.root_dir) / "gold.jsonl").write_text(lines, encoding="utf-8")
    nb = open_notebook([SETUP])
    nb.run_cell(0, key="Control+Enter")
    root = nb.cell(0).locator(".nbr-root")
    root.wait_for(state="visible", timeout=30_000)
    expect(root).to_have_attribute("data-key", "r1")
    feedback = root.locator(".nbr-feedback")
    expect(feedback).to_be_hidden()
    no_gold_in(page, root)

    root.locator(".nbr-field").first.click()  # focus the widget as a person does
    ack = answer(page, root, "1", "Paris", 0)  # r1 is no gold record: no feedback after it
    expect(root).to_have_attribute("data-key", "r2")
    expect(feedback).to_be_hidden()
    no_gold_in(page, root)  # the gold record is on screen, its answers nowhere in the page

    ack = answer(page, root, "1", "Sydney", ack)  # verdict "good": gold says "bad"
    expect(root).to_have_attribute("data-key", "r3")
    expect(feedback).to_be_visible()
    expect(feedback).to_have_attribute("data-record", "r2")
    capital = feedback.locator('.nbr-feedback-row[data-question="capital"]')
    expect(capital.locator(".nbr-feedback-expected")).to_have_text(GOLD_TEXT)
    expect(capital.locator(".nbr-feedback-given")).to_have_text("Sydney")
    expect(capital).to_have_class("nbr-feedback-row nbr-feedback-wrong")
    verdict = feedback.locator('.nbr-feedback-row[data-question="verdict"]')
    expect(verdict.locator(".nbr-feedback-expected")).to_have_text("bad")
    expect(verdict.locator(".nbr-feedback-given")).to_have_text("good")
    root.scroll_into_view_if_needed()
    shot(page, "gold-feedback")

    page.keyboard.press("ArrowRight")  # the next record: the feedback is over
    wait_ack(root, ack + 1)
    expect(root).to_have_attribute("data-key", "r4")
    expect(feedback).to_be_hidden()
    # the store graded it: one gold record, both gold questions answered wrong
    q = "q = review.quality().iloc[0]; print(int(q.gold_answered), float(q.gold_accuracy))"
    assert nb.exec(q).split() == ["1", "0.0"]
