"""The quickstart, as a newcomer meets it: run the cells, review every record by keyboard."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import Page, expect

ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts"
THEME = "(name) => window.jupyterapp.commands.execute('apputils:change-theme', {theme: name})"


def set_theme(page: Page, dark: bool) -> None:
    page.evaluate(THEME, "JupyterLab Dark" if dark else "JupyterLab Light")
    page.wait_for_function(
        f"document.body.dataset.jpThemeLight === '{str(not dark).lower()}'", timeout=20_000
    )
    page.wait_for_timeout(300)  # the theme's stylesheet applied


def test_quickstart_reviewed_to_the_end_with_the_keyboard(page, open_example):
    nb = open_example("quickstart.ipynb")
    code = next(i for i, source in enumerate(nb.cell_sources()) if "nr.Review(" in source)
    for i in range(code + 1):
        if "jp-CodeCell" in (nb.cell(i).get_attribute("class") or ""):
            nb.run_cell(i, key="Control+Enter")
    root = nb.cell(code).locator(".nbr-root")
    root.wait_for(state="visible", timeout=30_000)
    total = int(nb.exec("print(len(ds))"))
    assert total >= 30

    # The response is markdown (lists and code render); the ratings are named.
    response = root.locator('.nbr-field[data-column="response"]')
    expect(response).to_have_attribute("data-kind", "markdown")
    quality = root.locator('.nbr-question[data-question="quality"] .nbr-option')
    expect(quality).to_have_count(5)
    expect(quality.first).to_have_attribute("title", "1 = unusable")
    expect(quality.last).to_contain_text("excellent")

    root.locator(".nbr-field").first.click()
    # The guidelines start hidden behind a visible control, and are one key away.
    guidelines = root.locator(".nbr-guidelines")
    expect(guidelines).to_be_hidden()
    expect(root.locator(".nbr-guidelines-toggle")).to_have_text("Guidelines (g)")
    page.keyboard.press("g")
    expect(guidelines).to_contain_text("Rating")
    page.keyboard.press("g")
    expect(guidelines).to_be_hidden()
    ack = 0
    for n in range(total):
        expect(root).to_have_attribute("data-position", str(n))
        # quality 3, verdict "accept", issues "none apply", then submit.
        for key in ("3", "Tab", "1", "Tab", "0", "Enter"):
            page.keyboard.press(key)
            if key != "Tab":
                ack += 1
                expect(root).to_have_attribute("data-ack", str(ack), timeout=15_000)
    expect(root.locator(".nbr-banner")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS_DIR / "quickstart-done.png"))

    # A response with a code block and a list, rendered, in both themes.
    row = int(nb.exec("print(next(i for i, r in enumerate(ds['response']) if '```' in r))"))
    nb.exec(f"review.position = {row}")
    expect(root).to_have_attribute("data-position", str(row))
    expect(response.locator(".nbr-md pre").first).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 2000})  # the whole widget in view
    try:
        for dark in (False, True):
            set_theme(page, dark)
            root.scroll_into_view_if_needed()
            name = f"quickstart-markdown-{'dark' if dark else 'light'}.png"
            root.screenshot(path=str(ARTIFACTS_DIR / name))
    finally:
        set_theme(page, False)

    progress = json.loads(nb.exec("import json; print(json.dumps(tuple(review.progress)))"))
    assert progress == [total, total, 0, 0]
    counts = json.loads(
        nb.exec(
            "t = review.to_dataset(); "
            "print(json.dumps([t['quality'][:].count(3), t['verdict'][:].count(0), "
            "t['status'][:].count('submitted')]))"
        )
    )
    assert counts == [total, total, total]
