"""The model in the loop in a real JupyterLab (API.md 12): a slow callable never holds up
the keys, its suggestions appear on later records as they arrive, `a` accepts one, and
`m` makes the queue the records like the one on screen."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

from playwright.sync_api import expect

SETUP = """
import time
import numpy as np, pandas as pd, nbreview as nr

rng = np.random.default_rng(0)
df = pd.DataFrame({
    "id": [f"r{i}" for i in range(40)],
    "text": [f"ticket {i}" for i in range(40)],
    "emb": list(rng.normal(size=(40, 8)).astype("float32")),
})

def judge(records):  # a slow model: one second per batch
    time.sleep(1)
    return [{"verdict": "reject" if r["_row"] % 2 else "accept"} for r in records]

verdict = nr.Label("verdict", labels=["accept", "reject"])
review = nr.Review(df, fields=["text"], questions=[verdict], id="id", store="{store}",
                   annotator="ann", suggest=judge, batch_size=4, embeddings="emb")
review
"""


def stored(path: Path) -> dict[str, str]:
    con = sqlite3.connect(path)
    try:
        rows = con.execute("SELECT record, value FROM answers WHERE annotator = 'ann'").fetchall()
    finally:
        con.close()
    return {record: json.loads(value) for record, value in rows}


def test_a_slow_model_never_holds_up_the_keys(page, open_notebook, jupyter_server):
    store = jupyter_server.root_dir / "model.sqlite"
    nb = open_notebook([SETUP.replace("{store}", store.name)])
    nb.run_cell(0, key="Control+Enter")
    root = nb.cell(0).locator(".nbr-root")
    root.wait_for(state="visible", timeout=30_000)
    expect(root).to_have_attribute("data-key", "r0")
    root.locator(".nbr-field").first.click()
    started = time.monotonic()
    for _ in range(5):  # one key answers, submits and opens the next: no waiting between
        page.keyboard.press("1")
    expect(root).to_have_attribute("data-ack", "5", timeout=20_000)
    expect(root).to_have_attribute("data-key", "r5")
    # five records answered while the model was busy with its first batches
    assert time.monotonic() - started < 4.0  # a key waiting on the model: 5 s or more
    assert stored(store) == {f"r{i}": "accept" for i in range(5)}
    # r5's suggestion ("reject", row 5 is odd) arrives while it is on screen
    suggested = root.locator(".nbr-suggested")
    expect(suggested).to_have_count(1, timeout=20_000)
    expect(suggested).to_contain_text("reject")
    page.keyboard.press("a")  # accept it
    expect(root).to_have_attribute("data-ack", "6", timeout=15_000)
    expect(root.locator(".nbr-selected")).to_contain_text("reject")
    assert stored(store)["r5"] == "reject"
    page.keyboard.press("m")  # more like this
    expect(root.locator(".nbr-notice")).to_contain_text(
        "The queue: this record and 20 like it.", timeout=15_000
    )
    expect(root).to_have_attribute("data-key", "r5")
    order = nb.exec("print(review.session.cursor.order.tolist()[:3])").strip()
    assert order.startswith("[5, ")
