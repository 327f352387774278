"""Two annotators in two browser pages on one store; then the lead settles their conflict."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from playwright.sync_api import expect

REVIEW = """
import datasets, nbreview as nr
ds = datasets.Dataset.from_dict({{
    "id": ["r0", "r1"],
    "text": ["The Eiffel Tower is in Rome.", "Water is wet."],
}})
review = nr.Review(ds, fields=["text"], questions=[nr.Label("verdict", labels=["good", "bad"])],
                   id="id", store="team.sqlite", annotator="{who}")
review
"""


def answer_by_keys(nb, keys: list[str]) -> None:
    """One key answers, submits and moves on (a single label question)."""
    root = nb.cell(0).locator(".nbr-root")
    root.wait_for(state="visible", timeout=30_000)
    root.locator(".nbr-field").first.click()
    for seq, key in enumerate(keys, start=1):
        nb.page.keyboard.press(key)
        expect(root).to_have_attribute("data-ack", str(seq), timeout=15_000)


def test_two_annotators_then_adjudication(open_notebook, open_notebook_elsewhere, jupyter_server):
    alice = open_notebook(
        [REVIEW.format(who="alice"), "court = nr.Adjudicate(review)\ncourt"], name="alice"
    )
    bob = open_notebook_elsewhere([REVIEW.format(who="bob")], name="bob")
    alice.run_cell(0, key="Control+Enter")
    bob.run_cell(0, key="Control+Enter")
    answer_by_keys(alice, ["1", "1"])  # good, good
    answer_by_keys(bob, ["2", "1"])  # bad, good

    con = sqlite3.connect(Path(jupyter_server.root_dir) / "team.sqlite")
    try:
        rows = con.execute(
            "SELECT record, annotator, value FROM answers ORDER BY record, annotator"
        ).fetchall()
    finally:
        con.close()
    assert [(r, a, json.loads(v)) for r, a, v in rows] == [
        ("r0", "alice", "good"),
        ("r0", "bob", "bad"),
        ("r1", "alice", "good"),
        ("r1", "bob", "good"),
    ]

    # The lead (in Alice's notebook) sees only the disputed record, with both answers.
    alice.run_cell(1, key="Control+Enter")
    court = alice.cell(1).locator(".nbr-root")
    court.wait_for(state="visible", timeout=30_000)
    expect(court).to_have_attribute("data-key", "r0")
    table = court.locator(".nbr-others")
    expect(table.locator('td[data-annotator="alice"]')).to_contain_text("good")
    expect(table.locator('td[data-annotator="bob"]')).to_contain_text("bad")
    alice.page.screenshot(
        path=str(Path(__file__).resolve().parents[2] / "test-artifacts" / "adjudicate.png")
    )
    # Use Bob's answer: with a single label question that settles and submits the record.
    table.locator('td[data-annotator="bob"] .nbr-use').click()
    expect(court).to_have_attribute("data-ack", "1", timeout=15_000)
    expect(court.locator(".nbr-banner")).to_be_visible()

    consensus = alice.exec(
        "import json; t = review.to_dataset(annotators='consensus'); "
        "print(json.dumps({'verdict': t['verdict'][:], 'annotator': t['annotator'][:]}))"
    )
    assert json.loads(consensus) == {
        "verdict": [1, 0],
        "annotator": [["adjudicated", "alice", "bob"], ["alice", "bob"]],
    }
