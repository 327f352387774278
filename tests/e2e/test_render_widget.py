"""Model output as it is meant to be read, and never run, in a real JupyterLab (issue 5).

- An XSS corpus (tests/data/xss-payloads.json) in Text, Markdown and Chat fields, chat roles,
  labels, a question name, a suggestion, span labels and the guidelines: every record is shown,
  the guidelines, the raw view and the keys panel opened; no payload sets its global flag, no
  request reaches the local server the payloads point at (its log and Playwright's request log),
  no dialog opens. A control widget with load_images=True shows the detectors do see a fetch.
- Markdown tables, highlighted code and a chat in JupyterLab's light and dark themes
  (screenshots kept in test-artifacts/), a 100 KB markdown field that renders fast and
  scrolls inside the widget, and spans on the last message of a chat.
"""

from __future__ import annotations

import http.server
import json
import threading
import time
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = REPO / "test-artifacts"
CORPUS = REPO / "tests" / "data" / "xss-payloads.json"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8cfc0f01f0005000201a5f0c9a90000000049454e44ae426082"
)


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Answers every request (a 1x1 PNG) and records its path: a hit means something loaded."""

    def do_GET(self):
        self.server.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(PNG)))
        self.end_headers()
        self.wfile.write(PNG)

    do_POST = do_GET

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture
def bait():
    """A local HTTP server on 127.0.0.1 that the payloads try to reach; `.hits` are its paths."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.hits = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def shot(page: Page, name: str) -> None:
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / f"{name}.png"))


def widget(nb, cell: int = 0) -> Locator:
    root = nb.cell(cell).locator(".nbr-root")
    root.wait_for(state="visible", timeout=30_000)
    return root


def watch(page: Page, server_url: str) -> dict:
    """Requests to anything but JupyterLab itself, dialogs, and frames, as they happen."""
    seen: dict = {"requests": [], "dialogs": []}
    own = (server_url, f"blob:{server_url}")  # JupyterLab, and the widget's code it loads

    page.on(
        "request",
        lambda r: None if r.url.startswith(own) else seen["requests"].append(r.url),
    )

    def on_dialog(dialog):
        seen["dialogs"].append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return seen


def fill(payload: str, i: int, base: str) -> str:
    return payload.replace("{URL}", f"{base}/hit/{i}").replace("{FLAG}", f"__xss{i}")


FLAGS = """() => {
    const found = [];
    const look = (w) => {
        for (const k of Object.keys(w)) if (k.startsWith('__xss')) found.push(k);
    };
    look(window);
    for (const f of document.querySelectorAll('iframe')) {
        try { look(f.contentWindow); } catch (e) { found.push('cross-origin frame'); }
    }
    return found;
}"""

XSS = """
import json, datasets, nbreview as nr
corpus = json.load(open({corpus!r}))
base = {base!r}
def fill(p, i):
    return p.replace("{{URL}}", f"{{base}}/hit/{{i}}").replace("{{FLAG}}", f"__xss{{i}}")
payloads = [fill(c["payload"], i) for i, c in enumerate(corpus)]
n = len(payloads)
ds = datasets.Dataset.from_dict({{
    "id": [f"x{{i:02d}}" for i in range(n)],
    "text": payloads,
    "md": payloads,
    "chat": [
        [
            {{"role": "system", "content": p}},
            {{"role": "user", "content": p}},
            {{"role": p, "content": p}},
            {{"role": "assistant", "content": p}},
        ]
        for p in payloads
    ],
    "hint": [payloads[3]] * n,
    "note": payloads,
}})
review = nr.Review(
    ds,
    fields=[nr.Text("text"), nr.Markdown("md"), nr.Chat("chat")],
    questions=[
        nr.Label(
            "verdict", labels=["ok", payloads[3], payloads[0], payloads[23]], suggestion="hint"
        ),
        nr.Rating(payloads[3], scale=3),
        nr.Spans("marks", field="chat[-1]", labels=["bad", payloads[4], payloads[9]]),
        nr.FreeText("comment", suggestion="note"),
    ],
    id="id",
    store="xss.sqlite",
    annotator="mallory",
    guidelines="# Guidelines\\n\\n" + "\\n\\n".join(payloads),
)
review
"""

CONTROL = """
control = nr.Review(
    datasets.Dataset.from_dict({{"md": ["![a real image]({base}/allowed.png)"]}}),
    fields=[nr.Markdown("md")],
    questions=[nr.Rating("q")],
    store="control.sqlite",
    annotator="mallory",
    load_images=True,
)
control
"""


def test_no_payload_runs_or_loads_anything(page, open_notebook, jupyter_server, bait):
    t0 = time.monotonic()
    corpus = json.loads(CORPUS.read_text())
    assert len(corpus) >= 30
    seen = watch(page, jupyter_server.url)
    nb = open_notebook(
        [XSS.format(corpus=str(CORPUS), base=bait.base), CONTROL.format(base=bait.base)]
    )
    frames_before = len(page.frames)
    nb.run_cell(0, key="Control+Enter")
    root = widget(nb)
    root.locator(".nbr-position").click()  # focus the widget, as a person does

    # Every record: its payload in the text, the markdown, four chat messages and a role.
    for i in range(len(corpus)):
        expect(root).to_have_attribute("data-position", str(i), timeout=15_000)
        md = root.locator('.nbr-field[data-column="md"]')
        expect(md).to_have_attribute("data-view", "rendered")
        text = root.locator('.nbr-field[data-column="text"] .nbr-field-body')
        assert text.text_content() == fill(corpus[i]["payload"], i, bait.base)
        expect(root.locator(".nbr-message")).to_have_count(4)
        if i < len(corpus) - 1:
            page.keyboard.press("ArrowRight")
    # The marked message is raw text; the others rendered.
    views = root.locator(".nbr-message").evaluate_all("ms => ms.map(m => m.dataset.view)")
    assert views == ["rendered", "rendered", "rendered", "raw"]
    page.keyboard.press("g")  # every payload at once, as the guidelines
    expect(root.locator(".nbr-guidelines")).to_be_visible()
    expect(root.locator(".nbr-guidelines-text h1")).to_have_text("Guidelines")
    page.keyboard.press("r")  # raw
    expect(root.locator('.nbr-field[data-column="md"]')).to_have_attribute("data-view", "raw")
    page.keyboard.press("r")
    page.keyboard.press("?")
    expect(root.locator(".nbr-help")).to_be_visible()
    # Labels, the question name and the suggestion are text.
    assert root.locator(".nbr-question").nth(1).get_attribute("data-question").startswith("<img")
    expect(root.locator(".nbr-option.nbr-suggested")).to_have_count(1)
    page.wait_for_timeout(1500)  # time for anything lazy to fire
    shot(page, "xss-corpus")

    assert page.evaluate(FLAGS) == []
    assert seen["dialogs"] == []
    assert seen["requests"] == []
    assert bait.hits == []
    assert root.locator("iframe, object, embed, svg, script, style, img, form").count() == 0
    assert len(page.frames) == frames_before
    # The payloads are there as text, not gone.
    expect(root.locator(".nbr-guidelines-text")).to_contain_text("<script>top.__xss0=1")
    assert nb.exec("print(review.position)").strip() == str(len(corpus) - 1)

    # Control: with load_images=True a real image does load, and both detectors see it.
    nb.run_cell(1, key="Control+Enter")
    control = widget(nb, 1)
    expect(control.locator(".nbr-md img")).to_have_count(1)
    control.locator(".nbr-md img").scroll_into_view_if_needed()  # loading="lazy"
    control.locator(".nbr-md img").evaluate("img => img.decode()")
    assert bait.hits == ["/allowed.png"]
    assert seen["requests"] == [f"{bait.base}/allowed.png"]
    assert page.evaluate(FLAGS) == []
    print(f"[e2e] XSS corpus of {len(corpus)} payloads checked in {time.monotonic() - t0:.1f} s")


SHOWCASE = '''
import datasets, nbreview as nr
RESPONSE = """## Three ways to sort

| method | stable | time |
|:-------|:------:|-----:|
| `sorted()` | yes | O(n log n) |
| ~~bubble sort~~ | yes | O(n²) |
| heap sort | no | O(n log n) |

```python
def top(xs, k=3):
    \\"\\"\\"The k largest, best first.\\"\\"\\"
    return sorted(xs, reverse=True)[:k]  # stable
```

- [x] tested
- [ ] benchmarked

> Inline math such as $O(n \\\\log n)$ is shown as code. See [the docs](https://docs.python.org/3/howto/sorting.html).

![a chart of timings](https://example.invalid/chart.png)
"""
CHAT = [
    {"role": "system", "content": "You are a *concise* assistant."},
    {"role": "user", "content": "How do I reverse a list in JavaScript?"},
    {"role": "assistant",
     "content": "Use `reverse()`:\\n\\n```js\\nconst xs = [1, 2, 3];\\n"
                "xs.reverse(); // [3, 2, 1]\\n```"},
    {"role": "tool", "name": "run_js", "content": "[3, 2, 1]"},
    {"role": "assistant",
     "content": "It returns **[3, 2, 1]** and changes the list in place. "
                "The capital of France is Berlin."},
]
BIG = ("## Part\\n\\nSome **bold** words, `code` and a [link](https://example.org).\\n\\n"
       "| a | b |\\n|---|---|\\n| 1 | 2 |\\n\\n"
       "```python\\nfor i in range(3):\\n    print(i)\\n```\\n\\n")
BIG = BIG * (100_000 // len(BIG) + 1)
ds = datasets.Dataset.from_dict({
    "prompt": ["Compare sorting methods", "A very long answer"],
    "response": [RESPONSE, BIG],
    "messages": [CHAT, CHAT[:2] + [{"role": "assistant", "content": "Short."}]],
})
review = nr.Review(
    ds,
    fields=["prompt", nr.Markdown("response"), nr.Chat("messages")],
    questions=[
        nr.Spans("errors", field="messages[-1]", labels=["factual error", "unclear"]),
        nr.Rating("quality", scale=5),
    ],
    store="showcase.sqlite",
    annotator="alice",
    guidelines="## Rate\\n\\n| score | meaning |\\n|---|---|\\n| 5 | perfect |\\n| 1 | wrong |",
)
review
'''

# Press a key in the widget; resolve with the ms until the record shown is `position`, drawn.
NAV = """async ([key, position]) => {
    const root = document.querySelector('.nbr-root');
    const drawn = new Promise((resolve) => {
        const ob = new MutationObserver(() => {
            if (root.dataset.position === position) { ob.disconnect(); resolve(); }
        });
        ob.observe(root, {attributes: true});
    });
    const t = performance.now();
    root.dispatchEvent(new KeyboardEvent('keydown', {key, code: key, bubbles: true}));
    await drawn;  // observers run after the task that set the position and drew the record
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));  // painted
    return Math.round(performance.now() - t);
}"""

THEME = "(name) => window.jupyterapp.commands.execute('apputils:change-theme', {theme: name})"


def set_theme(page: Page, name: str, light: bool) -> None:
    page.evaluate(THEME, name)
    page.wait_for_function(
        f"document.body.dataset.jpThemeLight === '{str(light).lower()}'", timeout=20_000
    )
    page.wait_for_timeout(300)  # the theme's stylesheet applied


def test_markdown_and_chats_read_well_in_light_and_dark(page, open_notebook, jupyter_server):
    seen = watch(page, jupyter_server.url)
    nb = open_notebook([SHOWCASE])
    nb.run_cell(0, key="Control+Enter")
    root = widget(nb)
    response = root.locator('.nbr-field[data-column="response"]')
    expect(response.locator(".nbr-md table")).to_have_count(1)
    expect(response.locator(".nbr-md th")).to_have_text(["method", "stable", "time"])
    expect(response.locator(".nbr-md del")).to_have_text("bubble sort")
    expect(response.locator(".nbr-md .hljs-keyword").first).to_have_text("def")
    expect(response.locator(".nbr-md .nbr-md-task")).to_have_text(["☑", "☐"])
    expect(response.locator(".nbr-md code.nbr-math")).to_have_text("O(n \\log n)")
    expect(response.locator(".nbr-md .nbr-md-image")).to_have_text("[image: a chart of timings]")
    link = response.locator(".nbr-md a")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    messages = root.locator(".nbr-message")
    expect(messages).to_have_count(5)
    kinds = messages.evaluate_all("ms => ms.map(m => m.dataset.roleKind)")
    assert kinds == ["system", "user", "assistant", "tool", "assistant"]
    expect(messages.nth(2).locator(".hljs-keyword").first).to_have_text("const")
    # The last message is what the spans question marks: raw, with its panel beside it.
    last = messages.nth(4)
    expect(last).to_have_attribute("data-view", "raw")
    expect(last.locator(".nbr-spans-text")).to_have_text(
        "It returns **[3, 2, 1]** and changes the list in place. The capital of France is Berlin."
    )
    expect(last.locator(".nbr-spans-panel")).to_be_visible()

    # Mark "Berlin" by the keyboard caret: c, End, Shift+← selects the last word; 1 labels it.
    root.locator(".nbr-position").click()
    for key in ["c", "End", "ArrowLeft", "Shift+ArrowLeft", "1", "Escape"]:
        page.keyboard.press(key)
    expect(root).to_have_attribute("data-ack", "1", timeout=15_000)
    stored = nb.exec("print(review.session.view()['record']['answers']['errors'])")
    assert "'text': 'Berlin'" in stored

    page.keyboard.press("g")
    expect(root.locator(".nbr-guidelines-text table")).to_have_count(1)
    page.set_viewport_size({"width": 1280, "height": 2000})  # the whole widget in view
    root.evaluate("el => el.scrollIntoView({block: 'start'})")
    light_bg = root.evaluate("el => getComputedStyle(el).backgroundColor")
    shot(page, "render-light")
    page.keyboard.press("r")
    expect(response).to_have_attribute("data-view", "raw")
    shot(page, "render-raw")
    page.keyboard.press("r")
    try:
        set_theme(page, "JupyterLab Dark", light=False)
        dark_bg = root.evaluate("el => getComputedStyle(el).backgroundColor")
        assert dark_bg != light_bg
        cell_color = messages.nth(1).evaluate("el => getComputedStyle(el).color")
        assert cell_color != "rgb(0, 0, 0)"
        shot(page, "render-dark")
    finally:
        set_theme(page, "JupyterLab Light", light=True)

    # A 100 KB markdown answer: rendered in a moment, scrolled inside its own box.
    page.set_viewport_size({"width": 1280, "height": 900})
    root.locator(".nbr-position").click()
    small_ms, big_ms = [], []
    for _ in range(3):
        big_ms.append(page.evaluate(NAV, ["ArrowRight", "1"]))
        small_ms.append(page.evaluate(NAV, ["ArrowLeft", "0"]))
    page.keyboard.press("ArrowRight")
    expect(root).to_have_attribute("data-position", "1", timeout=15_000)
    expect(response.locator(".nbr-md table").first).to_be_visible()
    body = response.locator(".nbr-field-body-rendered")
    size = body.evaluate(
        "el => [el.scrollHeight, el.clientHeight, el.querySelectorAll('table').length]"
    )
    assert size[0] > 20 * size[1]  # the text is long, its box is not
    assert size[1] < 600
    assert size[2] > 300
    big, small = min(big_ms), min(small_ms)
    print(
        f"[e2e] key to painted screen, kernel round trip included: {big:.0f} ms to the record with "
        f"100 KB of markdown, {small:.0f} ms to a small one (best of 3; all: {big_ms}, {small_ms})"
    )
    # A guard against a hang, not a speed target: 1.6-2.0 s on a quiet 2-core machine, over
    # 3 s when it is busy. The speed is measured in benchmarks/ (the figure printed above).
    assert big < 10_000
    assert seen["requests"] == []
