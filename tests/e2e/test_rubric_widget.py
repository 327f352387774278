"""A rubric rated by keyboard in a real JupyterLab (API.md 7): digits rate the marked
criterion and move on, ↑/↓ move between criteria, partial structs are drafts in the store,
and the submitted struct is what to_dataset() types; in light and dark themes."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts"

SETUP = """
import pandas as pd, nbreview as nr
df = pd.DataFrame({
    "id": ["r1", "r2"],
    "prompt": ["Why is the sky blue?", "Name a prime number."],
    "response": ["Rayleigh scattering: blue light scatters more than red.", "9"],
})
review = nr.Review(
    df,
    fields=["prompt", "response"],
    questions=[
        nr.Rubric(
            "scores",
            criteria={
                "helpfulness": "Does it do what the prompt asked?",
                "correctness": "Are its facts right?",
                "coherence": "Is it clear and consistent?",
            },
            scale=(0, 4),
            descriptors={0: "none", 2: "partly", 4: "fully"},
        ),
        nr.Rating("harm", scale=(0, 4)),
    ],
    id="id",
    store="{store}",
    annotator="alice",
)
review
"""

THEME = "(name) => window.jupyterapp.commands.execute('apputils:change-theme', {theme: name})"


def shot(page: Page, name: str) -> None:
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / f"{name}.png"))


def set_theme(page: Page, name: str, light: bool) -> None:
    page.evaluate(THEME, name)
    page.wait_for_function(
        f"document.body.dataset.jpThemeLight === '{str(light).lower()}'", timeout=20_000
    )
    page.wait_for_timeout(300)  # the theme's stylesheet applied


def wait_ack(root: Locator, seq: int) -> None:
    expect(root).to_have_attribute("data-ack", str(seq), timeout=15_000)


def marked(root: Locator) -> str | None:
    row = root.locator(".nbr-rubric-row.nbr-current")
    return row.get_attribute("data-criterion") if row.count() else None


def selected(root: Locator, criterion: str) -> list[str]:
    row = root.locator(f'.nbr-rubric-row[data-criterion="{criterion}"]')
    buttons = row.locator(".nbr-option.nbr-selected")
    return [buttons.nth(i).get_attribute("data-value") for i in range(buttons.count())]


def stored(path: Path, record: str) -> tuple[str | None, dict]:
    """(status, answers) of alice's record, read straight from the store file."""
    con = sqlite3.connect(path)
    try:
        status = con.execute(
            "SELECT status FROM records WHERE annotator = 'alice' AND record = ?", (record,)
        ).fetchone()
        rows = con.execute(
            "SELECT question, value FROM answers WHERE annotator = 'alice' AND record = ?",
            (record,),
        ).fetchall()
    finally:
        con.close()
    return (status[0] if status else None), {q: json.loads(v) for q, v in rows}


def test_rubric_by_keyboard(page, open_notebook, jupyter_server):
    store = "rubric.sqlite"
    nb = open_notebook([SETUP.replace("{store}", store)])
    nb.run_cell(0, key="Control+Enter")
    root = nb.cell(0).locator(".nbr-root")
    root.wait_for(state="visible", timeout=30_000)
    expect(root).to_have_attribute("data-key", "r1")
    rows = root.locator(".nbr-rubric-row")
    expect(rows).to_have_count(3)
    expect(rows.nth(1).locator(".nbr-rubric-desc")).to_have_text("Are its facts right?")
    expect(rows.nth(0).locator('.nbr-option[data-value="2"]')).to_have_attribute(
        "title", "key 2 · partly"
    )
    harm = root.locator('.nbr-question[data-question="harm"] .nbr-option')
    assert [harm.nth(i).get_attribute("data-value") for i in range(harm.count())] == list("01234")

    page.set_viewport_size({"width": 1280, "height": 1100})
    root.evaluate("el => el.scrollIntoView({block: 'start'})")
    root.locator(".nbr-field").first.click()  # focus the widget as a person does
    assert marked(root) == "helpfulness"
    page.keyboard.press("4")  # helpfulness 4, then correctness is marked
    wait_ack(root, 1)
    assert marked(root) == "correctness"
    page.keyboard.press("ArrowDown")  # skip to coherence
    page.keyboard.press("0")  # coherence 0: 0 is a score on this scale
    wait_ack(root, 2)
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowDown")  # back to correctness
    assert marked(root) == "correctness"
    assert selected(root, "correctness") == []
    path = Path(jupyter_server.root_dir) / store
    status, answers = stored(path, "r1")
    assert status == "draft"
    assert answers == {"scores": {"helpfulness": 4, "correctness": None, "coherence": 0}}
    # the criterion keys are the table's prev_turn / next_turn (issue 23), was "↑/↓ criterion"
    expect(root.locator(".nbr-rubric-hint")).to_have_text(
        "1 of 3 to rate · 0–4 rate correctness · ↑ / ↓ or k / j criterion"
    )
    page.keyboard.press("Enter")  # refused: a required rubric needs every criterion
    wait_ack(root, 3)
    expect(root).to_have_attribute("data-key", "r1")
    expect(root.locator(".nbr-notice")).to_contain_text("scores")
    shot(page, "rubric-partly-rated")

    page.keyboard.press("2")  # correctness 2: every criterion rated
    wait_ack(root, 4)
    rubric = root.locator('.nbr-question[data-question="scores"]')
    expect(rubric).to_have_class(re.compile(r"\bnbr-answered\b"))
    page.keyboard.press("Tab")
    page.keyboard.press("0")  # the 0..4 rating: 0 is none
    wait_ack(root, 5)
    assert [selected(root, c) for c in ("helpfulness", "correctness", "coherence")] == [
        ["4"],
        ["2"],
        ["0"],
    ]
    shot(page, "rubric-rated-light")
    try:
        set_theme(page, "JupyterLab Dark", light=False)
        root.locator(".nbr-field").first.click()
        shot(page, "rubric-rated-dark")
    finally:
        set_theme(page, "JupyterLab Light", light=True)
    root.locator(".nbr-field").first.click()
    page.keyboard.press("Enter")
    wait_ack(root, 6)
    expect(root).to_have_attribute("data-key", "r2")
    assert marked(root) == "helpfulness"  # a new record starts at the first criterion

    status, answers = stored(path, "r1")
    assert status == "submitted"
    assert answers == {
        "scores": {"helpfulness": 4, "correctness": 2, "coherence": 0},
        "harm": 0,
    }
    table = json.loads(
        nb.exec(
            "import json; t = review.to_dataset(); "
            "print(json.dumps({'scores': t['scores'][:], 'harm': t['harm'][:], "
            "'type': str(t.features['scores'])}))"
        )
    )
    assert table["scores"] == [{"helpfulness": 4, "correctness": 2, "coherence": 0}, None]
    assert table["harm"] == [0, None]
    assert "int32" in table["type"]
