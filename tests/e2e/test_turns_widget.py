"""A 12-turn agent trace reviewed by keyboard only in a real JupyterLab (API.md 11): each
assistant turn rated under its message, a tool result labelled, a span marked in the third
message (after an emoji, so UTF-16 offsets become code points), then what reached the store;
reasoning and long results folded until t; XSS in a tool's name, arguments, result and
reasoning never runs. Screenshots in light and dark go to test-artifacts/turns-*.png."""

from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect
from spans_points import SPANS_TEXT, word_points

ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts"

SETUP = r"""
import json, pandas as pd, nbreview as nr
XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'
LONG = "\n".join(f"{i:>3}  Lyon,{1000 + i},ok" for i in range(60))
def call(id, name, arguments):
    return {"id": id, "type": "function", "function": {"name": name, "arguments": arguments}}
trace = [
    {"role": "system", "content": "You are a research assistant. Use tools when you need facts."},
    {"role": "user", "content": "How many people live in **Lyon**, and what is that per km²?"},
    {"role": "assistant", "content": "I will search 🔎 the population of Lyon.",
     "reasoning_content": "Population first, then the area, then divide.",
     "tool_calls": [call("call_1", "web_search",
                         json.dumps({"query": "Lyon population 2024", "top_k": 3}))]},
    {"role": "tool", "tool_call_id": "call_1",
     "content": json.dumps({"results": [{"title": "Lyon", "population": 522250}]})},
    {"role": "assistant", "content": "Now the area.",
     "tool_calls": [call("call_2", "area_lookup", {"city": "Lyon"})]},
    {"role": "tool", "tool_call_id": "call_2", "content": "Error: city not found"},
    {"role": "assistant", "content": "The lookup failed; Lyon covers about **47.87 km²**."},
    {"role": "user", "content": "ما هي الكثافة السكانية؟ (the density?)"},
    {"role": "assistant", "content": "522,250 / 47.87 ≈ **10,910** people per km².",
     "tool_calls": [call("call_3", "calculator", json.dumps({"expr": "522250/47.87"}))]},
    {"role": "tool", "tool_call_id": "call_3", "content": LONG},
    {"role": "assistant", "content": "So about 10,900 people per km²."},
    {"role": "user", "content": "Thanks!"},
]
evil = [
    {"role": "user", "content": "x"},
    {"role": "assistant", "content": XSS, "reasoning_content": XSS,
     "tool_calls": [call("e1", XSS, json.dumps({XSS: XSS}))]},
    {"role": "tool", "tool_call_id": "e1", "content": XSS},
]
df = pd.DataFrame({"id": ["trace", "evil"], "messages": [trace, evil]})
review = nr.Review(
    df,
    fields=[nr.Chat("messages")],
    questions=[
        nr.Rating("helpful", scale=5, turns="messages"),
        nr.Label("tool_ok", labels=["ok", "wrong"], turns="messages", roles=["tool"],
                 required=False),
        nr.Spans("errors", field="messages", labels=["wrong", "unsafe"], required=False),
    ],
    id="id",
    store="turns.sqlite",
    annotator="alice",
)
review
"""

THEME = "(name) => window.jupyterapp.commands.execute('apputils:change-theme', {theme: name})"


def shot(target: Page | Locator, name: str) -> None:
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    target.screenshot(path=str(ARTIFACTS_DIR / f"{name}.png"))


def set_theme(page: Page, name: str, light: bool) -> None:
    page.evaluate(THEME, name)
    page.wait_for_function(
        f"document.body.dataset.jpThemeLight === '{str(light).lower()}'", timeout=20_000
    )
    page.wait_for_timeout(300)


def wait_ack(root: Locator, seq: int) -> None:
    expect(root).to_have_attribute("data-ack", str(seq), timeout=15_000)


def marked(root: Locator, question: str) -> list[str]:
    """The turn marked in `question` (only its own turn components count)."""
    els = root.locator(f'.nbr-turn-question.nbr-turn-marked[data-question="{question}"]')
    return [els.nth(i).get_attribute("data-turn") for i in range(els.count())]


def test_agent_trace_turn_by_turn(page, open_notebook):
    nb = open_notebook([SETUP])
    nb.run_cell(0, key="Control+Enter")
    root = nb.cell(0).locator(".nbr-root")
    root.wait_for(state="visible", timeout=30_000)
    expect(root).to_have_attribute("data-key", "trace")
    page.set_viewport_size({"width": 1280, "height": 1300})
    cells = nb.cell_count()

    # The trace as it is: calls as cards with their arguments, results under their call.
    card = root.locator('.nbr-tool-call[data-call-id="call_1"]')
    expect(card.locator(".nbr-tool-name")).to_have_text("web_search")
    expect(card.locator(".nbr-tool-args .hljs-attr").first).to_have_text('"query"')
    expect(card.locator('.nbr-tool-results > .nbr-message[data-index="3"]')).to_have_count(1)
    expect(root.locator(".nbr-reasoning")).to_have_attribute("data-folded", "")
    long_result = root.locator('.nbr-message[data-index="9"]')
    expect(long_result).to_have_class(re.compile(r"\bnbr-fold-clip\b"))
    expect(long_result).to_have_attribute("data-folded", "")
    # Buttons under each assistant turn, labels under each tool turn.
    for i in (2, 4, 6, 8, 10):
        slot = root.locator(f'.nbr-message[data-index="{i}"] > .nbr-turn-slot')
        expect(slot.locator(".nbr-option")).to_have_count(5)
    expect(root.locator('.nbr-message[data-index="1"] .nbr-turn-slot .nbr-option')).to_have_count(0)

    root.focus()  # the widget takes the keys; from here on, only the keyboard
    assert marked(root, "helpful") == ["2"]
    seq = 0
    for digit in "43524":  # each digit rates the marked turn; the next one is marked
        page.keyboard.press(digit)
        seq += 1
        wait_ack(root, seq)
    assert marked(root, "helpful") == ["10"]
    page.keyboard.press("k")  # back up one turn, and change its rating
    assert marked(root, "helpful") == ["8"]
    page.keyboard.press("3")
    seq += 1
    wait_ack(root, seq)

    page.keyboard.press("Tab")  # the tool results' label
    assert marked(root, "tool_ok") == ["3"]
    page.keyboard.press("j")
    assert marked(root, "tool_ok") == ["5"]
    page.keyboard.press("2")  # the failed lookup: wrong
    seq += 1
    wait_ack(root, seq)

    page.keyboard.press("Tab")  # spans over any message: go to the third message
    page.keyboard.press("j")
    page.keyboard.press("j")
    for key in ("c", "End", "ArrowLeft", "Shift+ArrowLeft", "1"):
        page.keyboard.press(key)
    seq += 1
    wait_ack(root, seq)
    page.keyboard.press("Escape")  # leave the caret
    page.keyboard.press("t")  # unfold reasoning and the long result for the pictures
    expect(root.locator(".nbr-reasoning")).not_to_have_attribute("data-folded", "")
    expect(long_result).not_to_have_attribute("data-folded", "")
    assert nb.cell_count() == cells  # no key reached the notebook

    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")  # back on the rating, its marked turn outlined
    root.locator('.nbr-message[data-index="2"]').scroll_into_view_if_needed()
    shot(page, "turns-trace-light")
    try:
        set_theme(page, "JupyterLab Dark", light=False)
        shot(page, "turns-trace-dark")
    finally:
        set_theme(page, "JupyterLab Light", light=True)
    root.focus()
    page.keyboard.press("Enter")
    seq += 1
    wait_ack(root, seq)
    expect(root).to_have_attribute("data-key", "evil")

    out = nb.exec(
        "import json; t = review.to_dataset(); r = t[0]; "
        "print(json.dumps({'status': r['status'], 'helpful': r['helpful'], "
        "'tool_ok': review.to_pandas()['tool_ok'][0], 'errors': r['errors'], "
        "'type': str(t.features['helpful'])}))"
    )
    # The kernel may print a warning besides the line asked for.
    [line] = [x for x in out.splitlines() if x.startswith('{"status"')]
    stored = json.loads(line)
    assert stored["status"] == "submitted"
    assert stored["helpful"] == [None, None, 4, None, 3, None, 5, None, 3, None, 4, None]
    assert stored["tool_ok"] == [None] * 5 + ["wrong"] + [None] * 6
    assert "int32" in stored["type"]
    [span] = stored["errors"]
    text = "I will search 🔎 the population of Lyon."
    assert span["message"] == 2
    assert span["label"] == "wrong"
    assert span["text"] == "Lyon" == text[span["start"] : span["end"]]  # code points

    # The second record carries XSS in a tool's name, arguments, result and reasoning.
    root.focus()
    page.keyboard.press("t")
    evil_card = root.locator('.nbr-tool-call[data-call-id="e1"]')
    expect(evil_card.locator(".nbr-tool-name")).to_contain_text("<img src=x onerror")
    expect(root.locator(".nbr-reasoning-text")).to_contain_text("<script>")
    page.wait_for_timeout(500)
    assert page.evaluate("window.__xss") is None
    assert root.locator("img, script").count() == 0
    shot(root, "turns-xss-light")


LONG_SETUP = r"""
import pandas as pd, nbreview as nr
def long_trace(n):
    out = []
    for i in range(n // 2):
        out.append({"role": "user", "content": f"Question **{i}**: what is {i} * 2?"})
        out.append({"role": "assistant", "content": f"It is **{i * 2}**.",
                    "reasoning_content": f"Double {i}."})
    return out
df = pd.DataFrame({"id": ["long"], "messages": [long_trace(400)]})
review = nr.Review(df, fields=[nr.Chat("messages")],
                   questions=[nr.Rating("helpful", scale=5, turns="messages")],
                   id="id", store="long.sqlite", annotator="alice")
review
"""

IN_VIEW = """(el) => {
    const chat = el.closest('.nbr-chat').getBoundingClientRect(), r = el.getBoundingClientRect();
    return r.bottom > Math.max(chat.top, 0) && r.top < Math.min(chat.bottom, innerHeight);
}"""


def test_a_long_chat_is_windowed_and_keeps_keys_folds_and_controls(page, open_notebook):
    """400 messages: only the cards near the view are in the page; j moves the mark far down
    and scrolls its card into view, a digit rates it, the bottom renders when scrolled to, t
    opens folds in cards out of the page, and axe finds nothing serious."""
    from axe import describe, severe

    nb = open_notebook([LONG_SETUP])
    nb.run_cell(0, key="Control+Enter")
    root = nb.cell(0).locator(".nbr-root")
    root.wait_for(state="visible", timeout=30_000)
    chat = root.locator(".nbr-chat[data-windowed]")
    expect(chat).to_have_count(1)
    in_page = root.locator(".nbr-chat > .nbr-message")
    assert 5 < in_page.count() < 120, in_page.count()

    root.focus()
    assert marked(root, "helpful") == ["1"]
    for _ in range(40):
        page.keyboard.press("j")
    assert marked(root, "helpful") == ["81"]
    card = root.locator('.nbr-message[data-index="81"]')
    expect(card).to_have_class(re.compile(r"\bnbr-turn-current\b"))
    page.wait_for_timeout(300)
    assert card.evaluate(IN_VIEW), "the marked turn is scrolled into view"
    expect(root.locator('.nbr-chat > .nbr-message[data-index="0"]')).to_have_count(0)
    page.keyboard.press("4")
    wait_ack(root, 1)
    assert marked(root, "helpful") == ["83"]
    expect(card.locator(".nbr-turn-slot .nbr-option.nbr-selected")).to_have_count(1)

    chat.evaluate("el => { el.scrollTop = el.scrollHeight; }")
    last = root.locator('.nbr-message[data-index="399"]')
    expect(last).to_have_count(1, timeout=10_000)
    for _ in range(5):  # the spacers' estimates become measured heights: scroll till the end
        chat.evaluate("el => { el.scrollTop = el.scrollHeight; }")
        page.wait_for_timeout(200)
    expect(last.locator(".nbr-message-text-rendered strong")).to_have_text("398", timeout=10_000)
    assert last.evaluate(IN_VIEW)
    page.keyboard.press("t")
    expect(last.locator(".nbr-reasoning")).not_to_have_attribute("data-folded", "")
    chat.evaluate("el => { el.scrollTop = 0; }")
    first = root.locator('.nbr-message[data-index="1"]')
    expect(first).to_have_count(1, timeout=10_000)
    expect(first.locator(".nbr-reasoning")).not_to_have_attribute("data-folded", "")
    shot(page, "turns-long-light")
    try:
        set_theme(page, "JupyterLab Dark", light=False)
        shot(page, "turns-long-dark")
    finally:
        set_theme(page, "JupyterLab Light", light=True)

    violations = [v for v in severe(page, root) if v["id"] != "aria-progressbar-name"]
    assert not violations, describe(violations)
    out = nb.exec("print(review.to_dataset()[0]['helpful'][81])")
    assert out.strip().splitlines()[-1] == "4"


SPANS_SETUP = r"""
import pandas as pd, nbreview as nr
chat = [
    {"role": "user", "content": "Say hello to the **world** in Arabic."},
    {"role": "assistant", "content": "مرحبا 🌍 بالعالم الكبير — hello world"},
    {"role": "user", "content": "Thanks!"},
]
df = pd.DataFrame({"id": ["a"], "messages": [chat]})
review = nr.Review(df, fields=[nr.Chat("messages")],
                   questions=[nr.Spans("errors", field="messages", labels=["wrong", "unsafe"])],
                   id="id", store="chat-spans.sqlite", annotator="alice")
review
"""


def test_spans_over_a_whole_chat_by_mouse_in_an_arabic_message(page, open_notebook):
    """Spans over a whole chat show the chat as a chat (a role and a box per message); a word
    of the second (Arabic, after an emoji) message selected with the mouse and labelled is
    stored with that message's index and offsets in code points of its text."""
    nb = open_notebook([SPANS_SETUP])
    nb.run_cell(0, key="Control+Enter")
    root = nb.cell(0).locator(".nbr-root")
    root.wait_for(state="visible", timeout=30_000)
    page.set_viewport_size({"width": 1280, "height": 1000})
    messages = root.locator(".nbr-chat > .nbr-message")
    expect(messages).to_have_count(3)
    for i, role in enumerate(["user", "assistant", "user"]):
        expect(messages.nth(i).locator(".nbr-message-role")).to_have_text(role)
    box = page.locator('.nbr-message[data-index="1"] .nbr-spans-text').first
    expect(box).to_have_attribute("dir", "auto")
    box.scroll_into_view_if_needed()
    page.wait_for_timeout(500)  # the notebook lays itself out again after the resize
    a = word_points(page, "بالعالم", selector=f'.nbr-message[data-index="1"] {SPANS_TEXT}')
    page.mouse.move(a["x1"], a["y1"])
    page.mouse.down()
    page.mouse.move(a["x2"], a["y2"], steps=8)
    page.mouse.up()
    hint = root.locator('.nbr-turn-question[data-turn="1"] .nbr-spans-hint')
    expect(hint).to_contain_text("“بالعالم” selected")
    page.keyboard.press("1")
    wait_ack(root, 1)
    shot(page, "turns-chat-spans-light")
    try:
        set_theme(page, "JupyterLab Dark", light=False)
        shot(page, "turns-chat-spans-dark")
    finally:
        set_theme(page, "JupyterLab Light", light=True)

    out = nb.exec("import json; print(json.dumps(review.to_dataset()[0]['errors']))")
    [span] = json.loads(out.strip().splitlines()[-1])
    text = "مرحبا 🌍 بالعالم الكبير — hello world"
    assert span["message"] == 1
    assert span["label"] == "wrong"
    assert span["text"] == "بالعالم" == text[span["start"] : span["end"]]  # code points
    assert span["start"] == text.index("بالعالم")
