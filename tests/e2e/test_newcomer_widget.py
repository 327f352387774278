"""What a newcomer hit (issue 16), in a real JupyterLab: the keys panel under the host's dt
rule, an Arabic record laid out right to left with a span marked by mouse on the right word,
"nothing to mark" by key 0, Tab onto an edit, no guidelines control without guidelines,
preference buttons in key order, the queue's "unanswered", and the diff in the dark theme.
Every view is saved in light and dark into test-artifacts/newcomer-*.png."""

from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect
from spans_points import word_points

ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts"

ENGLISH = "Sort a list in Python:\n\n```python\nsorted(xs)\n```\n\n- fast\n- stable"
ARABIC = "عاصمة فرنسا هي برلين، وهي مدينة جميلة."

REVIEW = f"""
import datasets, nbreview as nr
ds = datasets.Dataset.from_dict({{
    "id": ["en", "ar"],
    "prompt": ["How do I sort a list?", "ما هي عاصمة فرنسا؟"],
    "response": [{ENGLISH!r}, {ARABIC!r}],
}})
review = nr.Review(
    ds,
    fields=["prompt", nr.Markdown("response")],
    questions=[
        nr.Rating("quality", scale=5,
                  labels=["unusable", "poor", "acceptable", "good", "excellent"]),
        nr.Spans("errors", field="response", labels=["خطأ", "unclear"]),
        nr.Edit("fixed", field="response"),
    ],
    id="id", store="newcomer.sqlite", annotator="alice",
)
review
"""

COMPARE = """
import datasets, nbreview as nr
ds = datasets.Dataset.from_dict({
    "id": ["p1", "p2", "p3"],
    "prompt": ["Boil an egg?", "Capital of France?", "A prime?"],
    "a": ["Nine minutes in boiling water.", "Paris.", "7"],
    "b": ["Eggs cannot be boiled.", "Berlin.", "9"],
})
pref = nr.Review(ds, fields=["prompt"], questions=[nr.Preference("better", fields=("a", "b"))],
                 id="id", store="newcomer-compare.sqlite", annotator="alice", name="pref")
pref
"""

EDIT = """
fix = nr.Review(ds, fields=["prompt", "b"], questions=[nr.Edit("fixed", field="b")],
                id="id", store="newcomer-compare.sqlite", annotator="alice", name="fix")
fix
"""

THEME = "(name) => window.jupyterapp.commands.execute('apputils:change-theme', {theme: name})"


def set_theme(page: Page, dark: bool) -> None:
    page.evaluate(THEME, "JupyterLab Dark" if dark else "JupyterLab Light")
    page.wait_for_function(
        f"document.body.dataset.jpThemeLight === '{str(not dark).lower()}'", timeout=20_000
    )
    page.wait_for_timeout(300)  # the theme's stylesheet applied


def shots(page: Page, part: Locator, name: str) -> None:
    """The part in the light theme, then in the dark one (the page is left light)."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    try:
        for dark in (False, True):
            set_theme(page, dark)
            part.scroll_into_view_if_needed()
            theme = "dark" if dark else "light"
            part.screenshot(path=str(ARTIFACTS_DIR / f"newcomer-{name}-{theme}.png"))
    finally:
        set_theme(page, False)


def widget(nb, cell: int = 0) -> Locator:
    root = nb.cell(cell).locator(".nbr-root")
    root.wait_for(state="visible", timeout=30_000)
    return root


def wait_ack(root: Locator, seq: int) -> None:
    expect(root).to_have_attribute("data-ack", str(seq), timeout=15_000)


def kernel_json(nb, code: str):
    return json.loads(nb.exec(f"import json; print(json.dumps({code}))"))


KEY_CELLS = """root => {
    const cells = [...root.querySelectorAll('.nbr-help-keys')];
    return cells.map((c) => ({keys: c.textContent, height: c.getBoundingClientRect().height,
                              wraps: c.scrollWidth > c.clientWidth + 1}));
}"""

# A dt of the host's own, next to the widget: proves JupyterLab's float rule is on this page.
HOST_DT = """root => {
    const area = root.closest('.jp-OutputArea-output');
    const dl = document.createElement('dl');
    const dt = document.createElement('dt');
    dl.append(dt);
    area.append(dl);
    const style = getComputedStyle(dt);
    const found = {float: style.float, width: style.width};
    dl.remove();
    return found;
}"""


def check_keys_panel(page: Page, root: Locator) -> None:
    """One line per key: every key cell as tall as a one-line cell, none wrapped."""
    host = root.evaluate(HOST_DT)
    assert host["float"] == "left", host  # the rule that squeezed "1 / – / 9" applies here
    page.keyboard.press("?")
    help_panel = root.locator(".nbr-help")
    expect(help_panel).to_be_visible()
    cells = root.evaluate(KEY_CELLS)
    single = next(c["height"] for c in cells if c["keys"] == "s")
    assert single > 0
    tall = [c for c in cells if c["height"] > single * 1.4 or c["wraps"]]
    assert not tall, f"key cells on more than one line (one line is {single}px): {tall}"
    assert any(c["keys"] == "1 – 9" for c in cells)
    expect(help_panel).to_contain_text(
        "quality: 1 = unusable · 2 = poor · 3 = acceptable · 4 = good · 5 = excellent"
    )
    expect(help_panel).to_contain_text("spans: nothing to mark")
    expect(help_panel).not_to_contain_text("show or hide the guidelines")
    shots(page, help_panel, "keys")
    root.locator(".nbr-position").click()  # the keys again, whatever the theme switch focused
    page.keyboard.press("?")
    expect(help_panel).to_be_hidden()


def test_keys_panel_rtl_nothing_to_mark_and_tab_onto_an_edit(page, open_notebook):
    nb = open_notebook([REVIEW])
    nb.run_cell(0, key="Control+Enter")
    root = widget(nb)
    root.locator(".nbr-position").click()

    # No guidelines were given: no control for them, and g says so.
    expect(root.locator(".nbr-guidelines-toggle")).to_be_hidden()
    page.keyboard.press("g")
    expect(root.locator(".nbr-notice")).to_have_text("No guidelines were given for this review.")
    expect(root.locator(".nbr-guidelines")).to_be_hidden()

    # Labelled rating buttons say their label on hover.
    first = root.locator('.nbr-question[data-question="quality"] .nbr-option').first
    expect(first).to_have_attribute("title", "1 = unusable")
    check_keys_panel(page, root)
    response = root.locator('.nbr-field[data-column="response"]')
    expect(response).to_have_attribute("data-view", "raw")  # spans mark its raw text

    # 3 rates; Tab, 0: nothing to mark; Tab onto the edit focuses the question, not its box,
    # so 0 is "no change needed", not a typed zero.
    page.keyboard.press("3")
    wait_ack(root, 1)
    page.keyboard.press("Tab")
    page.keyboard.press("0")
    wait_ack(root, 2)
    none = root.locator(".nbr-spans-none")
    expect(none).to_have_attribute("aria-pressed", "true")
    shots(page, root.locator(".nbr-spans-panel"), "nothing-to-mark")
    root.locator(".nbr-position").click()
    page.keyboard.press("Tab")
    edit = root.locator('.nbr-question[data-question="fixed"]')
    expect(edit).to_have_class(re.compile(r"\bnbr-focused\b"))
    expect(edit.locator("textarea")).not_to_be_focused()
    expect(root).to_be_focused()
    page.keyboard.press("0")
    wait_ack(root, 3)
    expect(edit.locator("textarea")).to_have_value(ENGLISH)  # no "0" typed into it
    expect(edit.locator(".nbr-edit-stats")).to_have_text("No change needed ✓")
    shots(page, edit, "edit-focused")
    root.locator(".nbr-position").click()
    stored = kernel_json(
        nb, "{k: review.session.view()['record']['answers'].get(k) for k in ['errors', 'fixed']}"
    )
    assert stored == {"errors": [], "fixed": ENGLISH}
    page.keyboard.press("Enter")
    expect(root).to_have_attribute("data-key", "ar", timeout=15_000)
    row = kernel_json(nb, "{c: review.to_dataset()[0][c] for c in ['errors', 'status']}")
    assert row == {"errors": [], "status": "submitted"}  # [] is an answer, in the store

    # The Arabic record: every field, the span text and the editor resolve to rtl.
    direction = "el => getComputedStyle(el).direction"
    prompt = root.locator('.nbr-field[data-column="prompt"] .nbr-field-body')
    assert prompt.get_attribute("dir") == "auto"
    assert prompt.evaluate(direction) == "rtl"
    spans_text = root.locator('.nbr-spans-text[data-question="errors"]')
    expect(spans_text).to_have_text(ARABIC)
    assert spans_text.evaluate(direction) == "rtl"
    assert edit.locator("textarea").evaluate(direction) == "rtl"
    label = root.locator('.nbr-spans-label[data-label="خطأ"] .nbr-spans-label-text')
    assert label.evaluate(direction) == "rtl"
    # The period ends the line on the left, as Arabic is read (the paragraph runs rtl).
    box = spans_text.evaluate(
        """el => { const r = document.createRange(); r.selectNodeContents(el);
                   const rects = [...r.getClientRects()]; const e = el.getBoundingClientRect();
                   return {right: Math.max(...rects.map(x => x.right)), edge: e.right}; }"""
    )
    assert abs(box["right"] - box["edge"]) < 20, box  # the text starts at the right edge

    # A span marked by mouse lands on the word dragged over, in right-to-left text.
    p = word_points(page, "برلين")
    page.mouse.move(p["x1"], p["y1"])
    page.mouse.down()
    page.mouse.move(p["x2"], p["y2"], steps=6)
    page.mouse.up()
    page.keyboard.press("1")
    wait_ack(root, 5)  # the submit was 4
    spans = kernel_json(nb, "review.session.view()['record']['answers']['errors']")
    assert [(s["text"], s["label"]) for s in spans] == [("برلين", "خطأ")]
    start, end = spans[0]["start"], spans[0]["end"]
    assert ARABIC[start:end] == "برلين"
    page.set_viewport_size({"width": 1280, "height": 2000})  # the whole widget in view
    shots(page, root, "rtl-record")


def test_preference_in_key_order_queue_unanswered_and_dark_diff(page, open_notebook):
    nb = open_notebook([COMPARE, EDIT])
    nb.run_cell(0, key="Control+Enter")
    nb.run_cell(1, key="Control+Enter")
    pref = widget(nb, 0)
    buttons = pref.locator(".nbr-pref-choice")
    order = buttons.evaluate_all(
        "bs => bs.map(b => [b.getBoundingClientRect().left, b.querySelector('kbd').textContent])"
    )
    assert [key for _, key in sorted(order)] == ["1", "2", "3"]  # on screen, left to right
    shots(page, pref.locator(".nbr-pref-choices"), "preference")

    fix = widget(nb, 1)
    fix.locator(".nbr-position").click()
    page.keyboard.press("e")
    box = fix.locator("textarea.nbr-edit-text")
    expect(box).to_be_focused()
    page.keyboard.press("Control+End")
    for _ in "boiled.":
        page.keyboard.press("Backspace")
    page.keyboard.type("eaten raw, then served.")
    ins = fix.locator(".nbr-diff ins").first
    expect(ins).to_contain_text("eaten")
    expect(fix.locator(".nbr-diff del")).to_have_text("boiled")
    page.keyboard.press("Escape")
    wait_ack(fix, 1)  # the draft is stored
    page.keyboard.press("q")
    statuses = fix.locator(".nbr-queue-status")
    expect(statuses).to_have_text(["draft", "unanswered", "unanswered"])
    shots(page, fix.locator(".nbr-queue-table"), "queue")

    def diff_colours() -> dict:
        return ins.evaluate(
            """el => { const s = getComputedStyle(el);
                       const legend = getComputedStyle(el.closest('.nbr-question')
                           .querySelector('.nbr-diff-legend.nbr-diff-ins'));
                       return {color: s.color, background: s.backgroundColor,
                               legend: legend.backgroundColor,
                               pane: getComputedStyle(el.closest('.nbr-diff')).color}; }"""
        )

    def brightness(css: str) -> float:
        numbers = [float(n) for n in css.replace("(", " ").replace(")", " ").replace(",", " ")
                   .split() if n.replace(".", "").isdigit()][:3]  # fmt: skip
        scale = 1 if max(numbers) > 1 else 255  # color(srgb 0..1) or rgb(0..255)
        return sum(numbers) * scale / 3 / 255

    light = diff_colours()
    set_theme(page, True)
    try:
        dark = diff_colours()
    finally:
        set_theme(page, False)
    # The text keeps the theme's own colour: dark on light, light on dark.
    assert light["color"] == light["pane"]
    assert dark["color"] == dark["pane"]
    assert brightness(light["color"]) < 0.5 < brightness(dark["color"]), (light, dark)
    assert light["background"] != dark["background"]
    assert light["legend"] == light["background"]
    assert dark["legend"] == dark["background"]
    shots(page, fix.locator('.nbr-question[data-question="fixed"]'), "diff")
