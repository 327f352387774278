"""The queue in the widget: search, filter by status, and jump from the queue table."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts"

SETUP = """
import datasets, nbreview as nr
texts = ["Paris is the capital of France.", "Bananas are berries.",
         "Tokyo is the capital of Japan.", "Water boils at 100 °C.",
         "Canberra is the capital of Australia.", "The moon orbits the Earth."]
ds = datasets.Dataset.from_dict({"id": [f"r{i}" for i in range(6)], "text": texts})
review = nr.Review(ds, fields=["text"], questions=[nr.Rating("quality", scale=3)],
                   id="id", store="queue.sqlite", annotator="alice")
review
"""


def test_search_filter_and_jump_from_the_queue_table(page, open_notebook):
    nb = open_notebook([SETUP])
    nb.run_cell(0, key="Control+Enter")
    root = nb.cell(0).locator(".nbr-root")
    root.wait_for(state="visible", timeout=30_000)
    root.locator(".nbr-field").first.click()
    # One key answers and submits record r0 (a single rating question).
    page.keyboard.press("2")
    expect(root).to_have_attribute("data-ack", "1")

    # "/" goes to the search box; Enter applies; the first open match is shown.
    page.keyboard.press("/")
    page.keyboard.type("capital")
    page.keyboard.press("Enter")
    expect(root).to_have_attribute("data-ack", "2")
    expect(root).to_have_attribute("data-key", "r2")
    expect(root.locator(".nbr-queue-count")).to_have_text("3 in queue")

    # "q" opens the table; a click on a row jumps there.
    page.keyboard.press("q")
    table = root.locator(".nbr-queue-table")
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(table.locator("tbody tr").nth(0)).to_contain_text("submitted")
    table.locator('tbody tr[data-row="4"]').click()
    expect(root).to_have_attribute("data-key", "r4")
    expect(root.locator(".nbr-position")).to_have_text("Record 3 of 3")
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "queue-table.png"))
    assert nb.exec("print(review.position)").strip() == "4"

    # The status filter combines with the search: unanswered capitals only.
    root.locator(".nbr-status-filter").select_option("unanswered")
    expect(root.locator(".nbr-queue-count")).to_have_text("2 in queue")
    expect(root).to_have_attribute("data-key", "r2")
    # Keys still belong to the widget afterwards: → moves within the new queue.
    page.keyboard.press("ArrowRight")
    expect(root).to_have_attribute("data-key", "r4")
    assert nb.cell_count() == 1
