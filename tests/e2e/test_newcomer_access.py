"""What a newcomer hit (issue 23) that only a real browser shows: an Arabic paragraph with an
English phrase laid out in the order the bidi algorithm gives (the phrase left of the Arabic
before it, its brackets at its sides) in a markdown field, a chat message and a preference
pane, with the edit box right to left too; Esc then Tab coming back to the widget every time;
and a refused answer's notice in view on a served page at 1400x1000."""

from __future__ import annotations

from pathlib import Path

import nbformat
from playwright.sync_api import Browser, Page, expect
from serving import free_port, script, served

ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts"
BEFORE, PHRASE, AFTER = "الجو مشمس في باريس", "Paris is sunny", "اليوم."
ARABIC = f"{BEFORE} ({PHRASE}) {AFTER}"

REVIEWS = f"""
import pandas as pd, nbreview as nr
df = pd.DataFrame({{
    "id": ["r1"], "prompt": ["ما الطقس؟"], "response": [{ARABIC!r}],
    "messages": [[{{"role": "user", "content": "ما الطقس؟"}},
                  {{"role": "assistant", "content": {ARABIC!r}}}]],
    "a": [{ARABIC!r}], "b": ["No idea."],
}})
review = nr.Review(df, ["prompt", nr.Markdown("response"), nr.Chat("messages")],
                   [nr.Edit("fixed", field="response")], id="id", store="bidi.sqlite",
                   annotator="ada")
review
"""
PREF = """
pref = nr.Review(df, ["prompt"], [nr.Preference("better", fields=("a", "b"))], id="id",
                 store="bidi.sqlite", annotator="ada", name="pref")
pref
"""

# Where each piece of the sentence is drawn: the text node holding it, measured by a Range.
BOXES = """(el, pieces) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode()) && !node.data.includes(pieces[0])) {}
    if (!node) return null;
    const box = (text) => {
        const i = node.data.indexOf(text);
        const r = document.createRange();
        r.setStart(node, i);
        r.setEnd(node, i + text.length);
        const b = r.getBoundingClientRect();
        return {left: b.left, right: b.right, top: b.top};
    };
    return Object.fromEntries(pieces.map((p) => [p, box(p)]));
}"""


def check_order(page: Page, el, where: str) -> None:
    """The bidi order of an RTL paragraph: BEFORE at the right, then (PHRASE), then AFTER."""
    b = el.evaluate(BOXES, [ARABIC, BEFORE, PHRASE, AFTER, "(", ")"])
    assert b is not None, f"{where}: the sentence is not drawn"
    before, phrase, after = b[BEFORE], b[PHRASE], b[AFTER]
    assert abs(before["top"] - after["top"]) < 4, f"{where}: wraps ({b})"
    assert phrase["right"] <= before["left"] + 1, f"{where}: the phrase is not left of {BEFORE}"
    assert after["right"] <= phrase["left"] + 1, f"{where}: {AFTER} is not left of the phrase"
    # Brackets stay with their text: "(" (drawn mirrored) just right of the phrase, ")" left.
    assert 0 <= b["("]["left"] - phrase["right"] < 6, f"{where}: '(' strays ({b})"
    assert 0 <= phrase["left"] - b[")"]["right"] < 6, f"{where}: ')' strays ({b})"


def test_arabic_with_an_english_phrase_reads_in_bidi_order(page: Page, open_notebook):
    page.set_viewport_size({"width": 1500, "height": 1000})
    nb = open_notebook([REVIEWS, PREF])
    nb.run_all()
    root = nb.cell(0).locator(".nbr-root")
    root.wait_for(state="visible")
    page.keyboard.press("Escape")
    check_order(page, root.locator('.nbr-field[data-column="response"] .nbr-rendered p'), "md")
    message = root.locator('.nbr-message[data-index="1"] .nbr-rendered p')
    check_order(page, message, "chat")
    box = root.locator(".nbr-question textarea")
    assert box.evaluate("t => getComputedStyle(t).direction") == "rtl"  # the edit box
    pane = nb.cell(1).locator(".nbr-root .nbr-question .nbr-field-body").first
    pane.scroll_into_view_if_needed()
    check_order(page, pane, "preference pane")
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    root.screenshot(path=str(ARTIFACTS_DIR / "bidi-review.png"))
    nb.cell(1).locator(".nbr-root").screenshot(path=str(ARTIFACTS_DIR / "bidi-pref.png"))


def test_esc_then_tab_comes_back_to_the_widget_every_time(page: Page, open_notebook):
    nb = open_notebook([REVIEWS])
    nb.run_cell(0, key="Control+Enter")
    root = nb.cell(0).locator(".nbr-root")
    root.wait_for(state="visible")
    root.locator(".nbr-position").click()  # the reviewer starts with a click
    expect(root).to_be_focused()
    for _ in range(2):
        page.keyboard.press("Escape")
        page.wait_for_function("!document.activeElement.closest('.nbr-root')")
        mode = "document.querySelector('.jp-Notebook').classList.contains('jp-mod-commandMode')"
        assert page.evaluate(mode)
        page.keyboard.press("Tab")  # not the cell toolbar: the widget again
        expect(root).to_be_focused()


SERVED = """
import pandas as pd, nbreview as nr
df = pd.DataFrame({"text": [f"Answer {i}: " + "a long answer. " * 40 for i in range(4)]})
review = nr.Review(df, ["text"], [
    nr.Label("verdict", ["good", "bad"]),
    nr.MultiLabel("issues", ["factual", "style", "unsafe", "off topic", "too long"]),
    nr.Rubric("scores", criteria={c: f"How {c} is it?" for c in
                                  ["helpful", "correct", "clear", "complete", "safe", "kind"]},
              scale=(0, 4)),
    nr.FreeText("note", required=False),
], id=None)
review
"""


def test_a_refused_answer_is_told_where_it_is_seen(tmp_path: Path, browser: Browser):
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(SERVED)],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    )
    nbformat.write(nb, tmp_path / "review.ipynb")
    port = free_port()
    command = [script("nbreview"), "serve", "review.ipynb", "--port", str(port),
               "--store", str(tmp_path / "a.sqlite"), "--no-browser",
               "--Voila.ip=127.0.0.1"]  # fmt: skip
    url = f"http://127.0.0.1:{port}/?annotator=alice"
    with served(command, f"http://127.0.0.1:{port}/nbreview-probe", tmp_path, tmp_path / "log"):
        pages = []
        for _ in range(2):
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            page.set_default_timeout(60_000)
            page.goto(url)
            root = page.locator(".nbr-root")
            expect(root).to_have_attribute("data-position", "0" if not pages else "1")
            pages.append((context, page, root))
        _, second, root = pages[1]
        root.focus()
        second.keyboard.press("ArrowLeft")  # onto the first page's record
        expect(root).to_have_attribute("data-position", "0")
        second.keyboard.press("1")  # refused: alice's other window holds it
        notice = second.locator(".nbr-notice")
        expect(notice).to_contain_text("alice is reviewing this record in another window")
        expect(notice).to_be_in_viewport()
        buttons = second.locator(".nbr-actions")
        assert notice.bounding_box()["y"] < buttons.bounding_box()["y"]  # above the buttons
        ARTIFACTS_DIR.mkdir(exist_ok=True)
        second.screenshot(path=str(ARTIFACTS_DIR / "newcomer-refusal-notice.png"))
        for context, _, _ in pages:
            context.close()
