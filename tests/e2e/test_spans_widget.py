"""Spans in a real JupyterLab: marked by mouse and by keyboard over text with emoji and CJK,
resized by dragging an edge, deleted, suggestions accepted with one key; the store and
to_dataset() hold code point offsets that slice the Python string exactly."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from playwright.sync_api import Locator, Page, expect
from spans_points import word_points

ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts"

TEXTS = [
    "👩🏽‍💻 東京は日本の首都です。 The capital of France is Berlin, and the Eiffel Tower "
    "was finished in 1999 by 🇯🇵 engineers. Cats are dogs.",
    "🇫🇷 Paris 🥐 — パリ。 The moon is made of cheese, says the model. Cats are dogs.",
    "👍🏽 ok: water boils at 50 °C at sea level, and 東京 is in China.",
]


def cp(text: str, word: str, label: str) -> dict:
    """The span of `word` in code points, as Python (and a model's suggestion) counts."""
    start = text.index(word)
    return {"start": start, "end": start + len(word), "label": label, "text": word}


SUGGESTED = [cp(TEXTS[2], "50 °C", "factual error"), cp(TEXTS[2], "China", "factual error")]

SETUP = f"""
import datasets, nbreview as nr
ds = datasets.Dataset.from_dict({{
    "id": ["r1", "r2", "r3"],
    "prompt": ["Tell me about Paris.", "And the moon?", "Boiling water?"],
    "response": {TEXTS!r},
    "model": [None, None, {[{k: s[k] for k in ("start", "end", "label")} for s in SUGGESTED]!r}],
}})
review = nr.Review(
    ds,
    fields=["prompt", "response"],
    questions=[nr.Spans("errors", field="response", labels=["factual error", "bias"],
                        suggestion="model")],
    id="id",
    store="{{store}}",
    annotator="alice",
)
review
"""


def shot(page: Page, name: str) -> None:
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / f"{name}.png"))


def widget(nb) -> Locator:
    root = nb.cell(0).locator(".nbr-root")
    root.wait_for(state="visible", timeout=30_000)
    return root


def wait_ack(root: Locator, seq: int) -> None:
    expect(root).to_have_attribute("data-ack", str(seq), timeout=15_000)


def word_box(page: Page, word: str, nth: int = 0) -> dict:
    """Viewport points inside the first and the last character of a word of the spans text."""
    return word_points(page, word, nth, inset=0.3)


def mouse_select(page: Page, first: str, last: str | None = None) -> None:
    """Press in the first word's first letter, drag to the last word's last letter, release."""
    a = word_box(page, first)
    b = word_box(page, last or first)
    page.mouse.move(a["x1"], a["y1"])
    page.mouse.down()
    page.mouse.move(b["x2"], b["y2"], steps=8)
    page.mouse.up()


def store_spans(path: Path) -> dict:
    con = sqlite3.connect(path)
    try:
        rows = con.execute(
            "SELECT record, value FROM answers WHERE annotator = 'alice' AND question = 'errors'"
        ).fetchall()
    finally:
        con.close()
    return {record: json.loads(value) for record, value in rows}


def exported(nb) -> list:
    """to_dataset()'s errors column, each span checked against the Python string in the kernel."""
    out = nb.exec(
        "import json; t = review.to_dataset()\n"
        "assert all(s['text'] == r['response'][s['start']:s['end']] "
        "for r in t for s in (r['errors'] or []))\n"
        "print(json.dumps(t['errors'][:]))"
    )
    return json.loads(out)


def test_spans_by_mouse_resize_and_delete(page, open_notebook, jupyter_server):
    store = "spans-mouse.sqlite"
    nb = open_notebook([SETUP.replace("{store}", store)])
    nb.run_cell(0, key="Control+Enter")
    root = widget(nb)
    expect(root).to_have_attribute("data-key", "r1")
    text = root.locator(".nbr-spans-text")
    expect(text).to_have_text(TEXTS[0])

    # Select "France" by mouse (emoji and CJK before it), label it with key 1.
    mouse_select(page, "France")
    expect(root.locator(".nbr-spans-hint")).to_contain_text("“France” selected")
    page.keyboard.press("1")
    wait_ack(root, 1)
    # Select "Cats are dogs" across three words, label it by clicking "bias".
    mouse_select(page, "Cats", "dogs")
    root.locator('.nbr-spans-label[data-label="bias"]').click()
    wait_ack(root, 2)
    items = root.locator(".nbr-span-item .nbr-span-text")
    expect(items).to_have_text(["France", "Cats are dogs"])

    # Resize "France" to "France is Berlin": click its label, drag the end handle.
    root.locator('.nbr-tag[data-label="factual error"]').click()
    handle = root.locator('.nbr-handle[data-edge="end"]')
    expect(handle).to_have_count(1)
    h = handle.bounding_box()
    target = word_box(page, "Berlin")
    page.mouse.move(h["x"], h["y"] + h["height"] / 2)
    page.mouse.down()
    page.mouse.move(target["x2"], target["y2"], steps=10)
    shot(page, "spans-resizing")
    page.mouse.up()
    wait_ack(root, 3)
    expect(items).to_have_text(["France is Berlin", "Cats are dogs"])

    # Delete the other one: click it, Backspace.
    root.locator('.nbr-tag[data-label="bias"]').click()
    page.keyboard.press("Backspace")
    wait_ack(root, 4)
    expect(items).to_have_text(["France is Berlin"])

    # overlap=False: a span over "Berlin" again is refused on the spot, visibly.
    mouse_select(page, "Berlin", "and")
    page.keyboard.press("2")
    expect(root.locator(".nbr-notice")).to_contain_text("spans may not overlap")
    shot(page, "spans-mouse")

    expected = cp(TEXTS[0], "France is Berlin", "factual error")
    assert store_spans(Path(jupyter_server.root_dir) / store) == {"r1": [expected]}
    assert exported(nb) == [[expected], None, None]
    assert root.get_attribute("data-ack") == "4"  # the refused span never left the browser


def test_spans_by_keyboard_and_suggestions_accepted_with_one_key(
    page, open_notebook, jupyter_server
):
    store = "spans-keys.sqlite"
    nb = open_notebook([SETUP.replace("{store}", store)])
    nb.run_cell(0, key="Control+Enter")
    root = widget(nb)
    root.locator('.nbr-field[data-column="prompt"]').click()  # focus the widget, not the text
    page.keyboard.press("ArrowRight")
    wait_ack(root, 1)
    expect(root).to_have_attribute("data-key", "r2")

    # Keyboard only: caret mode, to "Cats" by word from the end, extend over three words.
    page.keyboard.press("c")
    page.keyboard.press("End")
    for _ in range(4):  # . dogs are Cats
        page.keyboard.press("ArrowLeft")
    for _ in range(3):
        page.keyboard.press("Shift+ArrowRight")
    expect(root.locator(".nbr-spans-hint")).to_contain_text("“Cats are dogs”")
    expect(root).to_have_attribute("data-key", "r2")  # the arrows moved the caret, not the record
    page.keyboard.press("2")
    wait_ack(root, 2)
    # Then "moon": the caret waits after "dogs"; ← goes back word by word (punctuation counts):
    # dogs are Cats . model the says , cheese of made is moon
    for _ in range(13):
        page.keyboard.press("ArrowLeft")
    page.keyboard.press("Shift+ArrowRight")
    expect(root.locator(".nbr-spans-hint")).to_contain_text("“moon”")
    page.keyboard.press("1")
    wait_ack(root, 3)
    shot(page, "spans-keyboard")
    page.keyboard.press("Escape")  # leave caret mode; Enter submits
    page.keyboard.press("Enter")
    wait_ack(root, 4)
    expect(root).to_have_attribute("data-key", "r3")

    # r3: the model's spans are suggested, drawn apart; one key accepts them all.
    expect(root.locator(".nbr-tag.nbr-tag-suggested")).to_have_count(2)
    shot(page, "spans-suggested")
    page.keyboard.press("a")
    wait_ack(root, 5)
    expect(root.locator(".nbr-tag.nbr-tag-suggested")).to_have_count(0)
    expect(root.locator(".nbr-span-item:not(.nbr-span-suggested)")).to_have_count(2)
    page.keyboard.press("Enter")
    wait_ack(root, 6)

    r2 = [cp(TEXTS[1], "moon", "factual error"), cp(TEXTS[1], "Cats are dogs", "bias")]
    assert store_spans(Path(jupyter_server.root_dir) / store) == {"r2": r2, "r3": SUGGESTED}
    assert exported(nb) == [None, r2, SUGGESTED]
    status = nb.exec("print(review.to_dataset()['status'][:])").strip()
    assert status == "[None, 'submitted', 'submitted']"
