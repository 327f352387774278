"""A reviewer's layout in JupyterLab: at 1,100 px and wider the questions sit beside a long
record and stay in view while it scrolls, the guidelines open in that column beside the
record, f fills the window; layout="stacked" keeps the questions below, and opens the
guidelines beside the record. Screenshots in light and dark."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts"
VIEWPORT = {"width": 1600, "height": 1000}
SETUP = """
import pandas as pd, nbreview as nr
para = "The model's answer goes on at length, as long answers do. " * 30
df = pd.DataFrame({
    "prompt": [f"Explain topic {i} to a newcomer." for i in range(6)],
    "response": ["\\n\\n".join([para] * 8) for _ in range(6)],
})
review = nr.Review(
    df, ["prompt", "response"],
    [nr.Label("verdict", ["good", "bad", "unsure"]),
     nr.MultiLabel("issues", ["factual", "style", "unsafe"]),
     nr.FreeText("note", required=False)],
    store="side.sqlite", annotator="lee",
    guidelines="## Guidelines\\n\\nJudge **helpfulness** first.\\n\\n- good: right and complete",
)
review
"""
STACKED = """
stacked = nr.Review(df, ["prompt", "response"], [nr.Label("verdict", ["good", "bad"])],
                    store="side.sqlite", annotator="lee", name="stacked", layout="stacked",
                    guidelines="Say **good** only when every claim checks out.")
stacked
"""


def box(page: Page, selector: str, nth: int = 0) -> dict:
    return (
        page.locator(selector)
        .nth(nth)
        .evaluate(
            "e => { const r = e.getBoundingClientRect();"
            " return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; }"
        )
    )


def luminance(page: Page) -> float:
    css = page.locator(".nbr-root").first.evaluate("r => getComputedStyle(r).backgroundColor")
    r, g, b = (int(v) / 255 for v in re.findall(r"\d+", css)[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def shot(page: Page, name: str) -> None:
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / f"{name}.png"))


@pytest.fixture
def wide(page: Page):
    page.set_viewport_size(VIEWPORT)
    yield page
    # The theme is a setting of the whole (shared) server: put it back.
    page.evaluate(
        "jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Light'})"
    )


def test_questions_beside_a_long_record_in_light_and_dark(wide, open_notebook):
    page = wide
    nb = open_notebook([SETUP, STACKED])
    nb.run_cell(0)
    root = nb.cell(0).locator(".nbr-root")
    expect(root).to_have_class(re.compile(r"\bnbr-side\b"), timeout=30_000)
    root.focus()
    page.wait_for_timeout(300)
    fields, aside = box(page, ".nbr-fields"), box(page, ".nbr-aside")
    assert aside["left"] >= fields["right"]  # the questions beside the record
    assert abs(aside["top"] - fields["top"]) < 40

    page.keyboard.press("g")  # guidelines: at the head of the question column, beside
    guide = box(page, ".nbr-guidelines")  # the record, which stays where and as wide as it was
    assert guide["left"] >= fields["right"]
    assert box(page, ".nbr-question")["top"] > guide["bottom"]
    assert box(page, ".nbr-fields") == fields
    shot(page, "side-layout-light-guidelines")
    page.keyboard.press("g")

    # Scroll the notebook: the record moves up, the questions stay in view.
    page.evaluate(
        "() => document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer').scrollBy(0, 900)"
    )
    page.wait_for_timeout(300)
    moved, held = box(page, ".nbr-fields"), box(page, ".nbr-aside")
    assert moved["top"] < fields["top"] - 800
    assert 0 <= held["top"] < VIEWPORT["height"] - 200
    assert box(page, ".nbr-question")["top"] >= held["top"]
    shot(page, "side-layout-light")

    page.evaluate(
        "jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Dark'})"
    )
    expect(page.locator("body")).to_have_attribute("data-jp-theme-light", "false", timeout=30_000)
    page.wait_for_timeout(500)
    assert luminance(page) < 0.2
    shot(page, "side-layout-dark")

    root.focus()
    page.keyboard.press("f")  # the full window: the widget over the whole page
    expect(root).to_have_class(re.compile(r"\bnbr-full\b"))
    full = box(page, ".nbr-root")
    assert (full["left"], full["top"]) == (0, 0)
    assert (full["right"], full["bottom"]) == (VIEWPORT["width"], VIEWPORT["height"])
    shot(page, "side-layout-dark-full")
    page.keyboard.press("Escape")
    expect(root).not_to_have_class(re.compile(r"\bnbr-full\b"))

    nb.run_cell(1)
    stacked = nb.cell(1).locator(".nbr-root")
    stacked.wait_for(state="visible", timeout=30_000)
    expect(stacked).not_to_have_class(re.compile(r"\bnbr-side\b"))
    fields, questions = box(page, ".nbr-fields", 1), box(page, ".nbr-questions", 1)
    assert questions["top"] > fields["bottom"]  # today's layout: below the record
    stacked.focus()
    page.wait_for_timeout(300)
    fields = box(page, ".nbr-fields", 1)
    page.keyboard.press("g")
    guide = box(page, ".nbr-guidelines", 1)
    assert guide["left"] >= box(page, ".nbr-fields", 1)["right"]  # beside, not above
    assert box(page, ".nbr-fields", 1)["top"] == fields["top"]
    shot(page, "stacked-layout-dark-guidelines")
