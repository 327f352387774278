"""The next record is painted from memory the moment a key is pressed (issue 13).

Keys pressed faster than the kernel answers still land on the right records, and when
the kernel moves elsewhere than the browser guessed, the browser follows the kernel.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from playwright.sync_api import expect

ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts"

SETUP = """
import pandas as pd, nbreview as nr
df = pd.DataFrame({"id": [f"r{i}" for i in range(14)], "text": [f"text {i}" for i in range(14)]})
review = nr.Review(df, fields=["text"], questions=[nr.Rating("score", scale=5)], id="id",
                   store="{store}", annotator="ann")
review
"""


def stored(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        rows = con.execute("SELECT record, value FROM answers WHERE annotator = 'ann'").fetchall()
    finally:
        con.close()
    return {record: json.loads(value) for record, value in rows}


def test_ten_quick_answers_land_on_the_right_records(page, open_notebook, jupyter_server):
    store = jupyter_server.root_dir / "prefetch.sqlite"
    nb = open_notebook([SETUP.replace("{store}", store.name)])
    nb.run_cell(0, key="Control+Enter")
    root = nb.cell(0).locator(".nbr-root")
    root.wait_for(state="visible", timeout=30_000)
    expect(root).to_have_attribute("data-ahead", "4", timeout=15_000)  # the records ahead came
    root.locator(".nbr-field").first.click()
    digits = "1234512345"
    painted = []
    for digit in digits:  # no waiting for the kernel between keys
        page.keyboard.press(digit)
        painted.append(root.get_attribute("data-key"))
    # Each key showed the next record at once, before the kernel had answered the last one,
    # as far as the records sent ahead reach (4 past the kernel's; past that, a loaded kernel
    # lagging further behind makes the keys wait for it, as they did before prefetch).
    assert painted[:4] == ["r1", "r2", "r3", "r4"]
    assert painted == sorted(painted, key=lambda k: int(k[1:]))
    expect(root).to_have_attribute("data-ack", "10", timeout=20_000)
    expect(root).to_have_attribute("data-key", "r10")
    assert stored(store) == {f"r{i}": int(d) for i, d in enumerate(digits)}
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "prefetch-after-ten.png"))


def test_the_browser_follows_the_kernel_when_it_moved_elsewhere(
    page, open_notebook, jupyter_server
):
    store = jupyter_server.root_dir / "prefetch-back.sqlite"
    nb = open_notebook([SETUP.replace("{store}", store.name)])
    nb.run_cell(0, key="Control+Enter")
    root = nb.cell(0).locator(".nbr-root")
    root.wait_for(state="visible", timeout=30_000)
    expect(root).to_have_attribute("data-key", "r0")
    # r1 is submitted from code: the records the browser holds ahead still offer it.
    assert nb.exec("review.submit(1, score=5)\nprint(review.progress.submitted)").strip() == "1"
    root.locator(".nbr-field").first.click()
    page.keyboard.press("3")
    expect(root).to_have_attribute("data-key", "r2", timeout=15_000)  # the kernel's next
    expect(root).to_have_attribute("data-ack", "1")
    expect(root.locator('.nbr-field[data-column="text"] .nbr-field-body')).to_have_text("text 2")
    assert stored(store) == {"r0": 3, "r1": 5}
