"""An axe-core audit of the widget as a screen-reader or keyboard user meets it: every kind
of question (per turn too, on a chat with tool calls), side by side (`layout="auto"`, in a
1,700 px window) and stacked, in JupyterLab light and dark, and on a page served by
`nbreview serve` (the name box, then the review). No serious or critical violation, and no
text under 4.5:1 (measured here: axe skips the text of an output area); screenshots of
every widget in both themes in test-artifacts/a11y-*.png."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from axe import describe, low_contrast, severe
from playwright.sync_api import Browser, Locator, Page, expect
from serving import free_port, script, served

ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts"
THEME = "(name) => window.jupyterapp.commands.execute('apputils:change-theme', {theme: name})"

DATA = """
import pandas as pd, nbreview as nr
CALL = {"id": "c1", "type": "function",
        "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'}}
df = pd.DataFrame({
    "id": ["r1", "r2"],
    "prompt": ["What is the weather in Paris?", "ما هو الطقس في باريس؟"],
    "response": ["It is **sunny** in Paris, 21 °C.\\n\\n- wind: light\\n- rain: none",
                 "الجو مشمس في باريس (Paris) اليوم."],
    "a": ["Sunny, 21 °C.", "مشمس."], "b": ["I cannot know.", "لا أعرف."],
    "c": ["Check a forecast.", "راجع النشرة."],
    "messages": [[
        {"role": "user", "content": "Weather in Paris?"},
        {"role": "assistant", "content": "", "tool_calls": [CALL]},
        {"role": "tool", "tool_call_id": "c1", "content": '{"sky": "sunny", "c": 21}'},
        {"role": "assistant", "content": "Sunny and 21 °C."},
    ]] * 2,
})
GUIDE = "## How to judge\\n\\n| Rating | Meaning |\\n|---|---|\\n| 5 | Excellent |"
def kinds(layout):
    common = dict(id="id", store="a11y.sqlite", annotator="ada", layout=layout, guidelines=GUIDE)
    return [
        nr.Review(df, ["prompt", nr.Markdown("response")], [
            nr.Rating("quality", scale=5, labels=["awful", "poor", "fair", "good", "great"]),
            nr.Label("verdict", ["accept", "reject"]),
            nr.MultiLabel("issues", ["factual", "style", "unsafe"]),
            nr.Number("minutes", min=0, max=60, step=1),
            nr.FreeText("note", required=False),
            nr.Rubric("scores", criteria={"helpful": "Does it help?", "true": "Is it right?"},
                      scale=(0, 4), descriptors={0: "none", 4: "fully"}),
        ], name=f"choices-{layout}", **common),
        nr.Review(df, ["prompt", "response"], [
            nr.Spans("errors", field="response", labels=["factual error", "Charlotte Bronte"]),
            nr.Edit("fixed", field="response"),
        ], name=f"text-{layout}", **common),
        nr.Review(df, ["prompt"], [
            nr.Preference("better", fields=("a", "b")),
            nr.Ranking("order", fields=["a", "b", "c"]),
        ], name=f"compare-{layout}", **common),
        nr.Review(df, [nr.Chat("messages")], [nr.Label("helpful", ["yes", "no"]),
                                              nr.Rating("turn", scale=3, turns="messages")],
                  name=f"chat-{layout}", **common),
    ]
auto, stacked = kinds("auto"), kinds("stacked")
"""
CELLS = [DATA] + [f"{layout}[{i}]" for layout in ("auto", "stacked") for i in range(4)]
NAMES = [f"{kind}-{layout}" for layout in ("auto", "stacked")
         for kind in ("choices", "text", "compare", "chat")]  # fmt: skip


def set_theme(page: Page, dark: bool) -> None:
    page.evaluate(THEME, "JupyterLab Dark" if dark else "JupyterLab Light")
    page.wait_for_function(
        f"document.body.dataset.jpThemeLight === '{str(not dark).lower()}'", timeout=20_000
    )
    page.wait_for_timeout(300)  # the theme's stylesheet applied


def audit(page: Page, root: Locator, name: str) -> list[str]:
    """Scroll the widget in (the notebook skips drawing cells out of view), audit, shoot."""
    root.scroll_into_view_if_needed()
    root.focus()
    page.keyboard.press("Tab")  # a question focused, as it is while answering
    page.wait_for_timeout(150)
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    root.screenshot(path=str(ARTIFACTS_DIR / f"a11y-{name}.png"))
    found = severe(page, root, ".jp-OutputArea")
    lines = describe(found).splitlines() + [f"contrast {c}" for c in low_contrast(root)]
    return [f"{name}: {line}" for line in lines]


@pytest.fixture
def wide(page: Page):
    page.set_viewport_size({"width": 1700, "height": 1000})
    yield page
    # The theme is a setting of the whole (shared) server: put it back.
    page.evaluate(THEME, "JupyterLab Light")


def test_every_kind_and_layout_in_light_and_dark(wide, open_notebook):
    page = wide
    nb = open_notebook(CELLS)
    nb.run_all(timeout=120)
    roots = [nb.cell(i + 1).locator(".nbr-root") for i in range(len(NAMES))]
    for root in roots:
        root.wait_for(state="visible", timeout=30_000)
    for root, name in zip(roots, NAMES, strict=True):
        side = re.compile(r"\bnbr-side\b")
        if name.endswith("-auto"):
            expect(root).to_have_class(side)
        else:
            expect(root).not_to_have_class(side)
    problems = []
    for dark in (False, True):
        set_theme(page, dark)
        theme = "dark" if dark else "light"
        for root, name in zip(roots, NAMES, strict=True):
            problems += audit(page, root, f"{name}-{theme}")
        # The panels a reviewer opens: guidelines (g) and keys (?).
        roots[0].focus()
        page.keyboard.press("g")
        page.keyboard.press("?")
        problems += audit(page, roots[0], f"panels-{theme}")
        page.keyboard.press("?")
        page.keyboard.press("g")
    assert not problems, "\n".join(problems)


SERVED = """
import pandas as pd, nbreview as nr
df = pd.DataFrame({"text": ["alpha", "beta"]})
review = nr.Review(df, ["text"], [nr.Label("verdict", ["good", "bad"])], id=None)
review
"""


@pytest.fixture
def served_page(tmp_path: Path, browser: Browser):
    """A page of `nbreview serve` opened without a name, as a link a writer was sent."""
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(SERVED)],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    )
    nbformat.write(nb, tmp_path / "review.ipynb")
    port = free_port()
    command = [script("nbreview"), "serve", "review.ipynb", "--port", str(port),
               "--store", str(tmp_path / "a.sqlite"), "--no-browser",
               "--Voila.ip=127.0.0.1"]  # fmt: skip
    probe = f"http://127.0.0.1:{port}/nbreview-probe"
    with served(command, probe, tmp_path, tmp_path / "serve.log"):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(f"http://127.0.0.1:{port}/")
        try:
            yield page
        finally:
            ARTIFACTS_DIR.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS_DIR / "a11y-served.png"))
            context.close()


def test_a_served_page_by_keyboard_alone(served_page):
    page = served_page
    name = page.locator(".nbr-ask-name")
    name.wait_for(state="visible")
    expect(name).to_be_focused()  # the name box is focused when shown
    problems = describe(severe(page, page.locator(".nbr-root")))
    problems += "\n".join(low_contrast(page.locator(".nbr-root")))
    page.keyboard.type("kim")
    page.keyboard.press("Enter")
    root = page.locator(".nbr-root")
    expect(root).to_have_attribute("data-position", "0")
    expect(page.locator(".nbr-who")).to_have_text("Reviewing as kim")
    expect(root).to_be_focused()  # the keys work at once, without a click
    page.keyboard.press("2")
    expect(root).to_have_attribute("data-position", "1")
    problems += "\n" + describe(severe(page, page.locator(".nbr-root")))
    problems += "\n".join(low_contrast(page.locator(".nbr-root")))
    assert not problems.strip(), problems
