"""A 2,000-message agent trace opened and scrolled in a real JupyterLab and Debian's Chromium.

    python benchmarks/chat_browser.py open '{"messages": 2000}'

The server, browser and notebook helpers are the end-to-end tests' own (as in browser.py).
A review of three chats: a short one, a long agent trace (user questions, assistant turns
with reasoning and tool calls, JSON tool results, markdown answers with code), and a short
one again, with a per-turn Rating on every assistant message. From the first record, `→`
opens the long chat; the page's `PerformanceObserver` collects every long task (main-thread
task over 50 ms) from that key press until the chat is open, scrolled from top to bottom and
idle. The twin is the same key press to the short chat after it, in the same page: its
longest task, and the frames from keydown to the next record painted.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from browser import _e2e
from common import task_main

CELL = """
import json, pandas as pd, nbreview as nr

ANSWER = ("Item {{i}} has *a* = {{a}}.\\n\\n```python\\nprint({{i}} * 2)\\n```\\n\\n"
          "| k | v |\\n|---|---|\\n| a | {{a}} |")

def trace(n):
    out = []
    for i in range(n // 4):
        args = json.dumps({{"item": i, "fields": ["a", "b"]}})
        ask = f"Step {{i}}: look up **item {{i}}**, compare it."
        out.append({{"role": "user", "content": ask}})
        out.append({{"role": "assistant", "content": None,
                     "reasoning_content": f"I need the record of item {{i}} first. " * 3,
                     "tool_calls": [{{"id": f"c{{i}}", "type": "function",
                                      "function": {{"name": "lookup", "arguments": args}}}}]}})
        out.append({{"role": "tool", "tool_call_id": f"c{{i}}",
                     "content": json.dumps({{"item": i, "a": i * 2, "b": [1, 2, 3]}})}})
        out.append({{"role": "assistant", "content": ANSWER.format(i=i, a=i * 2)}})
    return out

df = pd.DataFrame({{"id": ["short-1", "long", "short-2"],
                    "messages": [trace(8), trace({n}), trace(20)]}})
review = nr.Review(df, fields=[nr.Chat("messages")],
                   questions=[nr.Rating("helpful", scale=5, turns="messages")],
                   id="id", store="chat-bench.sqlite", annotator="bench")
review
"""

OBSERVE = """
() => {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      window.__longTasks.push({ start: e.startTime, duration: e.duration });
    }
  }).observe({ type: "longtask", buffered: true });
}
"""

# keydown → the new record's key on the root (dom) → the next animation frame (frame).
TIMER = """
() => {
  const root = document.querySelector('.nbr-root');
  const bench = (window.__nbrBench = { samples: [], pending: null });
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowRight') return;
    bench.pending = { t0: performance.now(), key: root.dataset.key };
  }, true);
  new MutationObserver(() => {
    const p = bench.pending;
    if (!p || root.dataset.key === p.key) return;
    const t1 = performance.now();
    bench.pending = null;
    requestAnimationFrame(() => {
      bench.samples.push({ t0: p.t0, dom: t1 - p.t0, frame: performance.now() - p.t0 });
    });
  }).observe(root, { attributes: true, attributeFilter: ['data-key'] });
}
"""

SCROLL = """
async () => {
  const chat = document.querySelector('.nbr-root .nbr-chat');
  const step = Math.max(200, chat.clientHeight);
  let n = 0;
  while (chat.scrollTop + chat.clientHeight < chat.scrollHeight - 2 && n < 2000) {
    chat.scrollTop += step;
    n += 1;
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 16)));
  }
  return { steps: n, height: chat.scrollHeight };
}
"""


def _tasks_since(page, t0: float) -> list[float]:
    return page.evaluate(
        "t0 => window.__longTasks.filter(t => t.start >= t0).map(t => t.duration)", t0
    )


def _open_next(page, index: int, settle_ms: int) -> dict:
    before = page.evaluate("window.__nbrBench.samples.length")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("n => window.__nbrBench.samples.length > n", arg=before, timeout=60_000)
    sample = page.evaluate("window.__nbrBench.samples.at(-1)")
    page.wait_for_timeout(settle_ms)
    return sample


def open_chat(args: dict) -> dict:
    from playwright.sync_api import sync_playwright

    e2e = _e2e()
    n = int(args.get("messages", 2000))
    base = Path(tempfile.mkdtemp(prefix="nbreview-bench-chat-"))
    dirs = e2e._make_private_dirs(base)
    e2e._write_lab_settings(dirs["settings"])
    e2e._write_kernelspec(dirs["data"])
    log = open(base / "server.log", "wb")  # noqa: SIM115 - closed in finally
    proc = subprocess.Popen(
        e2e._server_command(dirs["root"]),
        env=e2e._server_env(dirs),
        cwd=dirs["root"],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    server = e2e.JupyterServer("", e2e.TOKEN, dirs["root"], base, proc)
    try:
        port = e2e._read_port(proc, dirs["runtime"], server.log_path)
        server.url = f"http://127.0.0.1:{port}"
        e2e._wait_ready(server)
        e2e._write_notebook(dirs["root"], "chat.ipynb", [CELL.format(n=n)])
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=e2e.CHROMIUM, headless=True, args=e2e.CHROMIUM_ARGS
            )
            try:
                page = browser.new_context(viewport=e2e.VIEWPORT).new_page()
                page.set_default_timeout(60_000)
                page.add_init_script(e2e._PAGE_HELPERS)
                notebook = e2e.Notebook(page, server, "chat.ipynb").open()
                page.evaluate(OBSERVE)
                notebook.run_cell(0, key="Control+Enter")
                root = notebook.cell(0).locator(".nbr-root")
                root.wait_for(state="visible", timeout=60_000)
                page.wait_for_selector(".nbr-root .nbr-message")
                page.evaluate(TIMER)
                page.wait_for_timeout(2000)  # the records sent ahead arrive
                root.focus()
                long_open = _open_next(page, 1, 1500)
                last = f'.nbr-root .nbr-message[data-index="{n - 1}"]'
                page.wait_for_selector(last, state="attached")
                shown = page.evaluate("document.querySelectorAll('.nbr-root .nbr-message').length")
                opened = _tasks_since(page, long_open["t0"])
                scroll = page.evaluate(SCROLL)
                page.wait_for_timeout(1000)
                scrolled = _tasks_since(page, long_open["t0"])
                root.focus()
                short_open = _open_next(page, 2, 1500)
                twin = _tasks_since(page, short_open["t0"])
                rendered = page.evaluate(
                    "document.querySelectorAll('.nbr-root .nbr-rendered[data-pending]').length"
                )
                chromium = browser.version
            finally:
                browser.close()
        if shown != n:
            raise RuntimeError(f"{n} messages sent, {shown} drawn")
        return {
            "messages": n,
            "open_longest_ms": max(opened, default=0.0),
            "open_long_tasks": len(opened),
            "open_and_scroll_longest_ms": max(scrolled, default=0.0),
            "open_and_scroll_long_tasks": len(scrolled),
            "scroll_steps": scroll["steps"],
            "long_chat_dom_ms": long_open["dom"],
            "long_chat_frame_ms": long_open["frame"],
            "twin_longest_ms": max(twin, default=0.0),
            "twin_dom_ms": short_open["dom"],
            "twin_frame_ms": short_open["frame"],
            "pending_after_next": rendered,
            "chromium": chromium,
        }
    finally:
        e2e._stop_server(server)
        log.close()
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    task_main({"open": open_chat})
