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

import json
import os
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

df = pd.DataFrame({{"id": ["short-1", "long", "short-2", "short-3", "short-2-twin"],
                    "messages": [trace(8), trace({n}), trace(20), trace(8), trace(20)]}})
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


# Chromium's trace: every task of the page's main thread, wall time (dur) and the time the
# thread really ran (tdur, CPU). On a loaded machine a task's wall time grows with the queue
# for the cores; its CPU time does not, so it says what the page itself costs.
TRACE_CATEGORIES = ["toplevel", "devtools.timeline", "disabled-by-default-devtools.timeline"]


def _main_thread_tasks(trace: bytes) -> list[tuple[float, float]]:
    """(wall ms, CPU ms) of each top-level task on the renderer's main thread."""
    events = json.loads(trace)
    events = events.get("traceEvents", events) if isinstance(events, dict) else events
    mains = {
        (e["pid"], e["tid"])
        for e in events
        if e.get("ph") == "M" and e.get("args", {}).get("name") == "CrRendererMain"
    }
    per: dict[tuple, list[tuple[float, float]]] = {}
    for e in events:
        if e.get("name") == "RunTask" and e.get("ph") == "X" and (e["pid"], e["tid"]) in mains:
            cpu = e.get("tdur", e.get("dur", 0))
            per.setdefault((e["pid"], e["tid"]), []).append((e.get("dur", 0) / 1e3, cpu / 1e3))
    return max(per.values(), key=len, default=[])


class Traced:
    """Trace a phase: the longest task by wall and by CPU time, and how many passed 200 ms."""

    def __init__(self, browser, page, name: str, out: dict):
        self.browser, self.page, self.name, self.out = browser, page, name, out

    def __enter__(self):
        self.browser.start_tracing(page=self.page, categories=TRACE_CATEGORIES)
        return self

    def __exit__(self, *exc):
        tasks = _main_thread_tasks(self.browser.stop_tracing())
        self.out[f"{self.name}_longest_wall_ms"] = round(max((w for w, _ in tasks), default=0))
        self.out[f"{self.name}_longest_cpu_ms"] = round(max((c for _, c in tasks), default=0))
        self.out[f"{self.name}_cpu_over_200"] = sum(c > 200 for _, c in tasks)
        self.out[f"{self.name}_cpu_over_50"] = sum(c > 50 for _, c in tasks)


def _open_next(page, settle_ms: int) -> dict:
    before = page.evaluate("window.__nbrBench.samples.length")
    ahead = page.evaluate("document.querySelector('.nbr-root').dataset.ahead")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("n => window.__nbrBench.samples.length > n", arg=before, timeout=60_000)
    sample = page.evaluate("window.__nbrBench.samples.at(-1)")
    page.wait_for_timeout(settle_ms)
    return {**sample, "ahead": ahead}


def _server(e2e, base: Path):
    dirs = e2e._make_private_dirs(base)
    e2e._write_lab_settings(dirs["settings"])
    e2e._write_kernelspec(dirs["data"])
    log = open(base / "server.log", "wb")  # noqa: SIM115 - closed by the caller
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
    port = e2e._read_port(proc, dirs["runtime"], server.log_path)
    server.url = f"http://127.0.0.1:{port}"
    e2e._wait_ready(server)
    return server, dirs, log


def _measure(browser, page, root, n: int) -> dict:
    """From the first record: → to the long chat, scroll it, → to the short chat after it;
    then → twice more to the twin (the same short chat after a short one)."""
    out: dict = {}
    root.focus()
    with Traced(browser, page, "open", out):
        long_open = _open_next(page, 1500)
    out["open_long_tasks"] = len(_tasks_since(page, long_open["t0"]))
    t_scroll = page.evaluate("performance.now()")
    with Traced(browser, page, "scroll", out):
        scroll = page.evaluate(SCROLL)
        page.wait_for_timeout(1000)
    out["scroll_long_tasks"] = len(_tasks_since(page, t_scroll))
    out["scroll_steps"], out["scroll_height"] = scroll["steps"], scroll["height"]
    last = f'.nbr-root .nbr-message[data-index="{n - 1}"]'
    out["last_message_shown"] = page.locator(last).count()
    root.focus()
    with Traced(browser, page, "after_long", out):
        after_long = _open_next(page, 1500)
    root.focus()
    _open_next(page, 1500)  # short-3
    with Traced(browser, page, "after_short", out):
        after_short = _open_next(page, 1500)
    for name, sample in (
        ("long", long_open),
        ("after_long", after_long),
        ("after_short", after_short),
    ):
        out[f"{name}_dom_ms"] = round(sample["dom"])
        out[f"{name}_frame_ms"] = round(sample["frame"])
        out[f"{name}_ahead"] = sample["ahead"]
    return out


def open_chat(args: dict) -> dict:
    from playwright.sync_api import sync_playwright

    e2e = _e2e()
    n = int(args.get("messages", 2000))
    base = Path(tempfile.mkdtemp(prefix="nbreview-bench-chat-"))
    server, dirs, log = _server(e2e, base)
    try:
        e2e._write_notebook(dirs["root"], "chat.ipynb", [CELL.format(n=n)])
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=e2e.CHROMIUM, headless=True, args=e2e.CHROMIUM_ARGS
            )
            try:
                page = browser.new_context(viewport=e2e.VIEWPORT).new_page()
                page.set_default_timeout(120_000)
                page.add_init_script(e2e._PAGE_HELPERS)
                notebook = e2e.Notebook(page, server, "chat.ipynb").open()
                page.evaluate(OBSERVE)
                notebook.run_cell(0, key="Control+Enter")
                root = notebook.cell(0).locator(".nbr-root")
                root.wait_for(state="visible", timeout=120_000)
                page.wait_for_selector(".nbr-root .nbr-message")
                page.evaluate(TIMER)
                page.wait_for_timeout(2000)  # the records sent ahead arrive
                out = _measure(browser, page, root, n)
                out["chromium"] = browser.version
            finally:
                browser.close()
        return {"messages": n, "load_average": round(os.getloadavg()[0], 1), **out}
    finally:
        e2e._stop_server(server)
        log.close()
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    task_main({"open": open_chat})
