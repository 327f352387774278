"""review.monitor() in JupyterLab: the lead's live view follows a reviewer working in
another page, drawn as SVG bars, with nothing loaded from outside."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts"

REVIEW = """
import datasets, nbreview as nr
ds = datasets.Dataset.from_dict({{"id": [f"r{{i}}" for i in range(6)],
                                  "text": [f"text {{i}}" for i in range(6)]}})
review = nr.Review(ds, fields=["text"], questions=[nr.Label("verdict", labels=["good", "bad"])],
                   id="id", store="monitored.sqlite", annotator="{who}")
"""


def test_the_monitor_follows_a_reviewer_while_shown(open_notebook, open_notebook_elsewhere):
    lead = open_notebook([REVIEW.format(who="lead") + "monitor = review.monitor(every=1)\nmonitor"],
                         name="lead")  # fmt: skip
    worker = open_notebook_elsewhere([REVIEW.format(who="zoe") + "review"], name="zoe")
    lead.run_cell(0, key="Control+Enter")
    board = lead.cell(0).locator(".nbr-monitor")
    expect(board).to_contain_text("0 answers submitted", timeout=30_000)
    worker.run_cell(0, key="Control+Enter")
    root = worker.cell(0).locator(".nbr-root")
    root.wait_for(state="visible", timeout=30_000)
    root.locator(".nbr-field").first.click()
    for seq, key in enumerate(["1", "2", "1"], start=1):
        worker.page.keyboard.press(key)
        expect(root).to_have_attribute("data-ack", str(seq), timeout=15_000)
    # the lead's page shows the reviewer's work without anything run by the lead
    expect(board).to_contain_text("3 answers submitted", timeout=30_000)
    expect(board.locator("svg rect.nbr-monitor-bar")).to_have_count(1)
    expect(board.locator(".nbr-monitor-team")).to_contain_text("zoe")
    assert lead.exec("print(monitor.refreshes > 1, monitor.error)").strip() == "True None"
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    lead.cell(0).screenshot(path=str(ARTIFACTS_DIR / "monitor-lead.png"))
    lead.exec("monitor.close()")
