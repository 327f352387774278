"""Corrections, completions, preferences and rankings in a real JupyterLab: an edit shows its
diff and stores the corrected text, a reference completion is written in a text box, a
preference stores the field's name on a record whose sides are swapped, a ranking is
reordered by keyboard; keys typed in the widget never reach the notebook."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import Locator, expect

ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts"

EDIT = """
import datasets, nbreview as nr
ds = datasets.Dataset.from_dict({
    "id": ["e1", "e2"],
    "prompt": ["What is the capital of France?", "Name a primary colour."],
    "response": [
        "The capital of France is Berlin. It is known for the Eiffel Tower.",
        "Red is a primary colour.",
    ],
})
review = nr.Review(
    ds,
    fields=["prompt", "response"],
    questions=[
        nr.Edit("corrected", field="response"),
        nr.FreeText("reference", placeholder="Write the answer the model should have given"),
    ],
    id="id", store="{store}", annotator="alice",
)
review
"""

COMPARE = """
import datasets, nbreview as nr
ds = datasets.Dataset.from_dict({
    "id": [f"p{i}" for i in range(6)],
    "prompt": [f"Question {i}: how do I boil an egg?" for i in range(6)],
    "response_a": [f"A{i}: Put the egg in boiling water for nine minutes." for i in range(6)],
    "response_b": [f"B{i}: Eggs cannot be boiled." for i in range(6)],
    "response_c": [f"C{i}: Boil it, then cool it in cold water so it peels." for i in range(6)],
})
pref = nr.Review(
    ds, fields=["prompt", "response_a", "response_b"],
    questions=[nr.Preference("better", fields=("response_a", "response_b"))],
    id="id", store="{store}", annotator="alice", name="pref",
)
swapped = [i for i, k in enumerate(pref.keys.all().to_pylist())
           if pref.questions["better"].sides(k) == ("response_b", "response_a")][0]
pref.position = swapped
pref
"""

RANK = """
rank = nr.Review(
    ds, fields=["prompt"],
    questions=[nr.Ranking("order", fields=["response_a", "response_b", "response_c"])],
    id="id", store="{store}", annotator="alice", name="rank",
)
rank
"""


def shot(root: Locator, name: str) -> None:
    """The whole widget, however tall, as a reader sees it."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    root.screenshot(path=str(ARTIFACTS_DIR / f"{name}.png"))


def widget(nb, cell: int = 0) -> Locator:
    root = nb.cell(cell).locator(".nbr-root")
    root.wait_for(state="visible", timeout=30_000)
    return root


def wait_ack(root: Locator, seq: int) -> None:
    expect(root).to_have_attribute("data-ack", str(seq), timeout=15_000)


def kernel_json(nb, code: str):
    return json.loads(nb.exec(f"import json; print(json.dumps({code}))"))


def test_correct_a_response_and_write_a_reference(page, open_notebook):
    nb = open_notebook([EDIT.replace("{store}", "edit.sqlite"), "x = 1"])
    nb.run_cell(0, key="Control+Enter")
    root = widget(nb)
    sources = nb.cell_sources()
    edit = root.locator('.nbr-question[data-question="corrected"]')
    box = edit.locator("textarea.nbr-edit-text")
    original = "The capital of France is Berlin. It is known for the Eiffel Tower."
    expect(box).to_have_value(original)
    expect(edit.locator(".nbr-edit-stats")).to_have_text("Not edited yet")

    # Correct the response: replace "Berlin." and add a sentence. The text typed holds
    # "dd", "a" and "b", which in the notebook would delete a cell and add two.
    box.click()
    page.keyboard.press("Control+Home")  # modified: not the widget's, the text box's
    for _ in range(len("The capital of France is ")):
        page.keyboard.press("ArrowRight")
    for _ in range(len("Berlin")):
        page.keyboard.press("Shift+ArrowRight")
    page.keyboard.type("Paris")
    page.keyboard.press("Control+End")
    page.keyboard.type(" I added a better example: the Louvre.")
    corrected = (
        "The capital of France is Paris. It is known for the Eiffel Tower. "
        "I added a better example: the Louvre."
    )
    expect(box).to_have_value(corrected)
    diff = edit.locator(".nbr-diff")
    expect(diff.locator("del")).to_have_text("Berlin")
    expect(diff.locator("ins").first).to_have_text("Paris")
    expect(diff.locator("ins").nth(1)).to_contain_text("I added a better example")
    expect(edit.locator(".nbr-edit-stats")).to_have_text("Edit distance: 11 words (+10 −1)")
    shot(root, "edit-diff")

    # The reference completion: Tab to the next question puts the keyboard in its box.
    page.keyboard.press("Tab")
    reference = root.locator('.nbr-question[data-question="reference"] textarea')
    expect(reference).to_be_focused()
    expect(reference).to_have_attribute(
        "placeholder", "Write the answer the model should have given"
    )
    page.keyboard.type("The capital of France is Paris.")
    page.keyboard.press("Enter")  # a new line, not a submit
    page.keyboard.type("Paris has been the capital since 987.")
    shot(root, "edit-reference")
    page.keyboard.press("Control+Enter")  # submit from the box: both texts are sent first
    expect(root).to_have_attribute("data-key", "e2")
    assert nb.cell_count() == 2
    assert nb.cell_sources() == sources

    row = kernel_json(
        nb,
        "{c: review.to_dataset()[0][c] for c in ['corrected', 'reference', 'status']}",
    )
    assert row == {
        "corrected": corrected,
        "reference": "The capital of France is Paris.\nParis has been the capital since 987.",
        "status": "submitted",
    }
    sft = kernel_json(nb, "review.to_trl('sft').to_list()")
    assert sft == [{"prompt": "What is the capital of France?", "completion": corrected}]
    reference_sft = kernel_json(nb, "review.to_trl('sft', completion='reference')[0]")
    assert reference_sft["completion"].startswith("The capital of France is Paris.\n")

    # The second response is right: 0 says so without typing, Enter submits.
    ack = int(root.get_attribute("data-ack"))
    root.locator(".nbr-field").first.click()
    page.keyboard.press("0")
    wait_ack(root, ack + 1)
    expect(edit.locator(".nbr-edit-stats")).to_have_text("No change needed ✓")
    page.keyboard.press("Enter")
    wait_ack(root, ack + 2)
    assert kernel_json(nb, "review.to_dataset()['corrected'][:]") == [
        corrected,
        "Red is a primary colour.",
    ]
    assert original not in kernel_json(nb, "review.to_dataset()['corrected'][:]")


def test_choose_a_preference_and_reorder_a_ranking(page, open_notebook):
    nb = open_notebook(
        [COMPARE.replace("{store}", "compare.sqlite"), RANK.replace("{store}", "compare.sqlite")]
    )
    nb.run_cell(0, key="Control+Enter")
    nb.run_cell(1, key="Control+Enter")
    sources = nb.cell_sources()
    root = widget(nb, 0)
    swapped = int(nb.exec("print(swapped)"))
    expect(root).to_have_attribute("data-position", str(swapped))

    # The sides are swapped on this record: response_b is drawn on the left.
    left = root.locator('.nbr-pref-pane[data-side="left"]')
    right = root.locator('.nbr-pref-pane[data-side="right"]')
    expect(left).to_have_attribute("data-column", "response_b")
    expect(left).to_contain_text(f"B{swapped}: Eggs cannot be boiled.")
    expect(right).to_have_attribute("data-column", "response_a")
    expect(root.locator('.nbr-fields > .nbr-field[data-column="response_a"]')).to_be_hidden()

    root.locator(".nbr-field").first.click()
    page.keyboard.press("2")  # the right one, response_a, is better
    wait_ack(root, 1)
    expect(right).to_have_class("nbr-pref-pane nbr-chosen")
    shot(root, "preference-chosen")
    stored = kernel_json(
        nb,
        f"pref.to_dataset().features['better'].int2str(pref.to_dataset()['better'][{swapped}])",
    )
    assert stored == "response_a"  # the field's name, not "right" and not the left one
    page.keyboard.press("1")  # changed mind: the left one, response_b
    wait_ack(root, 2)
    page.keyboard.press("Enter")
    wait_ack(root, 3)
    dpo = kernel_json(nb, "pref.to_trl('dpo').to_list()")
    assert dpo == [
        {
            "prompt": f"Question {swapped}: how do I boil an egg?",
            "chosen": f"B{swapped}: Eggs cannot be boiled.",
            "rejected": f"A{swapped}: Put the egg in boiling water for nine minutes.",
        }
    ]

    # The ranking: pick the third item, move it to the top with k, then the last one up with ↑.
    rank = widget(nb, 1)
    items = rank.locator(".nbr-rank-item")
    first = [items.nth(i).get_attribute("data-column") for i in range(3)]
    assert sorted(first) == ["response_a", "response_b", "response_c"]
    assert first == kernel_json(nb, "rank.questions['order'].initial_order(rank.keys.key(0))")
    rank.locator(".nbr-field").first.click()
    page.keyboard.press("3")
    expect(items.nth(2)).to_have_class("nbr-rank-item nbr-picked")
    page.keyboard.press("k")
    wait_ack(rank, 1)
    page.keyboard.press("k")
    wait_ack(rank, 2)
    expected = [first[2], first[0], first[1]]
    page.keyboard.press("Escape")  # puts the item down; the widget keeps the keys
    page.keyboard.press("3")
    page.keyboard.press("ArrowUp")
    wait_ack(rank, 3)
    expected = [expected[0], expected[2], expected[1]]
    expect(items.nth(0)).to_have_attribute("data-column", expected[0])
    assert [items.nth(i).get_attribute("data-column") for i in range(3)] == expected
    shot(rank, "ranking-moved")
    page.keyboard.press("Escape")
    page.keyboard.press("Enter")
    wait_ack(rank, 4)
    assert kernel_json(nb, "rank.to_dataset()[0]['order']") == expected
    assert kernel_json(nb, "rank.to_dataset()[0]['status']") == "submitted"
    pairs = kernel_json(nb, "[(d['chosen'][:2], d['rejected'][:2]) for d in rank.to_trl('dpo')]")
    best = {"response_a": "A0", "response_b": "B0", "response_c": "C0"}
    assert pairs == [[best[expected[0]], best[expected[1]]], [best[expected[0]], best[expected[2]]]]
    # j, k, digits and Escape in the widgets moved no cell and changed none
    assert nb.cell_count() == 2
    assert nb.cell_sources() == sources
