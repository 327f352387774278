"""End-to-end fixtures: a private JupyterLab server, a headless Chromium, and a
`Notebook` helper that drives a notebook the way a person does.

Fixtures
--------
- ``jupyter_server`` (session): running JupyterLab -> ``JupyterServer``
  (``url``, ``token``, ``root_dir``, ``api(method, path)``).
- ``browser`` (session): Playwright Chromium (Debian's ``/usr/bin/chromium``).
- ``page`` (function): fresh context + page; screenshot to
  ``test-artifacts/<test>.png`` at teardown; deletes the test's sessions.
- ``open_notebook`` (function): ``open_notebook(cells, name=None) -> Notebook``.

``Notebook``: ``run_cell(i)``, ``run_all()``, ``output_text(i)``, ``cell(i)``
(Locator), ``cell_count()``, ``cell_sources()``, ``execution_count(i)``,
``exec(code) -> str``, ``restart_kernel()``, ``wait_kernel_ready()``.
Every wait has a timeout and fails with an AssertionError saying what it waited for.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import pytest
from playwright.sync_api import Browser, Locator, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from shipped import copy_shipped

E2E_DIR = Path(__file__).resolve().parent
REPO_ROOT = E2E_DIR.parents[1]
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts"

TOKEN = "nbreview-e2e-token"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1280, "height": 900}

# Timeouts in seconds, sized for a 2-core machine.
TEST_TIMEOUT = 180
SERVER_START_TIMEOUT = 60
OPEN_TIMEOUT = 60
RUN_TIMEOUT = 60
EXEC_TIMEOUT = 30
RESTART_TIMEOUT = 60


# --------------------------------------------------------------------------
# pytest configuration
# --------------------------------------------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: end-to-end test in real JupyterLab + Chromium (slow)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark tests in this folder `e2e` and give them a default timeout."""
    cli_timeout = config.getoption("timeout", None)
    for item in items:
        if E2E_DIR not in Path(item.path).resolve().parents:
            continue
        item.add_marker(pytest.mark.e2e)
        # A marker beats --timeout, so only add one when none was asked for.
        if not cli_timeout and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(TEST_TIMEOUT))


# --------------------------------------------------------------------------
# Small utilities
# --------------------------------------------------------------------------


def wait_until(
    predicate: Callable[[], Any], timeout: float, what: str, interval: float = 0.1
) -> Any:
    """Poll `predicate` until it returns something truthy, or fail saying `what`."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


def safe_name(text: str) -> str:
    """File-system friendly version of a test name."""
    return re.sub(r"[^\w.-]+", "_", text).strip("_") or "test"


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "<no log>"


# --------------------------------------------------------------------------
# JupyterLab server
# --------------------------------------------------------------------------


@dataclass
class JupyterServer:
    url: str  # e.g. http://127.0.0.1:45678 (no trailing slash)
    token: str
    root_dir: Path  # notebooks written here are visible to the server
    base_dir: Path  # private config/runtime/data dirs + server.log
    process: subprocess.Popen = field(repr=False)

    @property
    def log_path(self) -> Path:
        return self.base_dir / "server.log"

    def api(self, method: str, path: str, body: Any = None, timeout: float = 30) -> Any:
        """Call the REST API (`path` like "/api/sessions"); returns parsed JSON or None."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + path,
            data=data,
            method=method,
            headers={
                "Authorization": f"token {self.token}",
                "Content-Type": "application/json",
            },
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
        return json.loads(raw) if raw else None

    def session_ids(self) -> set[str]:
        return {s["id"] for s in self.api("GET", "/api/sessions")}

    def delete_session(self, session_id: str) -> None:
        try:
            self.api("DELETE", f"/api/sessions/{session_id}")
        except urllib.error.HTTPError as err:
            if err.code != 404:  # already gone is fine
                raise


def _make_private_dirs(base: Path) -> dict[str, Path]:
    names = ["config", "runtime", "data", "settings", "workspaces", "ipython", "root"]
    dirs = {name: base / name for name in names}
    for path in dirs.values():
        path.mkdir(parents=True, exist_ok=True)
    return dirs


def _write_lab_settings(settings_dir: Path) -> None:
    """Silence the "get notified about news?" toast that covers the page."""
    path = settings_dir / "@jupyterlab/apputils-extension/notification.jupyterlab-settings"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))


def _write_server_config(config_dir: Path) -> None:
    """Notebook 7 (`/notebooks/<nb>`) exposes `window.jupyterapp` only when told here: the
    command-line flag reaches JupyterLab alone."""
    config = {"JupyterNotebookApp": {"expose_app_in_browser": True}}
    (config_dir / "jupyter_server_config.json").write_text(json.dumps(config))


def _write_kernelspec(data_dir: Path) -> None:
    """A `python3` kernel running this very interpreter (not whatever `python` is on PATH)."""
    spec_dir = data_dir / "kernels" / "python3"
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (e2e)",
        "language": "python",
        "metadata": {"debugger": False},
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=1))


def _server_env(dirs: dict[str, Path]) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        JUPYTER_CONFIG_DIR=str(dirs["config"]),
        JUPYTER_RUNTIME_DIR=str(dirs["runtime"]),
        JUPYTER_DATA_DIR=str(dirs["data"]),
        JUPYTERLAB_SETTINGS_DIR=str(dirs["settings"]),
        JUPYTERLAB_WORKSPACES_DIR=str(dirs["workspaces"]),
        IPYTHONDIR=str(dirs["ipython"]),
        # Keep our private data dir (and its kernelspec) ahead of the env's.
        JUPYTER_PREFER_ENV_PATH="0",
        PYDEVD_DISABLE_FILE_VALIDATION="1",
    )
    return env


def _server_command(root_dir: Path) -> list[str]:
    return [
        sys.executable, "-m", "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        "--ServerApp.port=0",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={TOKEN}",
        f"--ServerApp.root_dir={root_dir}",
        "--ServerApp.allow_root=True",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--expose-app-in-browser",
    ]  # fmt: skip


def _read_port(proc: subprocess.Popen, runtime_dir: Path, log: Path) -> int:
    """The server writes jpserver-<pid>.json once it listens; port=0 means we must read it."""
    info_file = runtime_dir / f"jpserver-{proc.pid}.json"

    def port() -> int | None:
        if proc.poll() is not None:
            raise AssertionError(f"JupyterLab exited with {proc.returncode}:\n{_tail(log)}")
        try:
            return json.loads(info_file.read_text())["port"]
        except (OSError, ValueError, KeyError):
            return None

    try:
        return wait_until(port, SERVER_START_TIMEOUT, f"{info_file.name}")
    except AssertionError as err:
        raise AssertionError(f"{err}\nserver log:\n{_tail(log)}") from None


def _wait_ready(server: JupyterServer) -> None:
    def ready() -> bool:
        try:
            return server.api("GET", "/api/status", timeout=5) is not None
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    try:
        wait_until(ready, SERVER_START_TIMEOUT, f"{server.url}/api/status to answer")
    except AssertionError as err:
        raise AssertionError(f"{err}\nserver log:\n{_tail(server.log_path)}") from None


def _stop_server(server: JupyterServer) -> None:
    """POST /api/shutdown (stops kernels too), then signal the process group if it lingers."""
    proc = server.process
    with contextlib.suppress(urllib.error.URLError, ConnectionError, TimeoutError):
        server.api("POST", "/api/shutdown", timeout=10)
    for sig, grace in ((None, 10), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        if sig is not None:
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                return
        try:
            proc.wait(grace)
            return
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture(scope="session")
def jupyter_server(tmp_path_factory: pytest.TempPathFactory):
    """A private JupyterLab; notebooks go in `.root_dir`."""
    base = tmp_path_factory.mktemp("jupyter")
    dirs = _make_private_dirs(base)
    _write_lab_settings(dirs["settings"])
    _write_server_config(dirs["config"])
    _write_kernelspec(dirs["data"])
    with open(base / "server.log", "wb") as log_file:
        proc = subprocess.Popen(
            _server_command(dirs["root"]),
            env=_server_env(dirs),
            cwd=dirs["root"],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        server = JupyterServer("", TOKEN, dirs["root"], base, proc)
        try:
            port = _read_port(proc, dirs["runtime"], server.log_path)
            server.url = f"http://127.0.0.1:{port}"
            _wait_ready(server)
            yield server
        finally:
            _stop_server(server)


# --------------------------------------------------------------------------
# Browser and page
# --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def _save_screenshot(page: Page, name: str) -> None:
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=str(ARTIFACTS_DIR / f"{name}.png"), timeout=15_000)
    except Exception as err:  # never mask the test's own outcome
        print(f"[e2e] screenshot for {name} failed: {err}", file=sys.stderr)


def _save_console(messages: list[str], name: str) -> None:
    """Keep browser errors next to the screenshot; they explain blank widgets."""
    path = ARTIFACTS_DIR / f"{name}.console.txt"
    if messages:
        path.write_text("\n".join(messages) + "\n")
    elif path.exists():
        path.unlink()


@pytest.fixture
def page(browser: Browser, jupyter_server: JupyterServer, request: pytest.FixtureRequest):
    """A fresh page; at teardown: screenshot, close, and delete the sessions it started."""
    name = safe_name(request.node.name)
    sessions_before = jupyter_server.session_ids()
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on(
        "console",
        lambda msg: (
            errors.append(f"console.{msg.type}: {msg.text}")
            if msg.type in ("error", "warning")
            else None
        ),
    )
    try:
        yield page
    finally:
        _save_screenshot(page, name)
        _save_console(errors, name)
        context.close()
        for session_id in jupyter_server.session_ids() - sessions_before:
            jupyter_server.delete_session(session_id)


# --------------------------------------------------------------------------
# Notebook helper
# --------------------------------------------------------------------------

# Installed in every page we open; finds the notebook panel by path so tests
# do not depend on which tab happens to be current.
_PAGE_HELPERS = r"""
window.__e2e = {
  panel(path) {
    const app = window.jupyterapp;
    if (!app) return null;
    for (const w of app.shell.widgets('main')) {
      if (w.context && w.context.path === path) return w;
    }
    return null;
  },
  kernel(path) {
    const p = this.panel(path);
    return (p && p.sessionContext.session && p.sessionContext.session.kernel) || null;
  },
  kernelReady(path) {
    const k = this.kernel(path);
    return !!k && k.status === 'idle' && k.connectionStatus === 'connected';
  },
  kernelState(path) {
    const k = this.kernel(path);
    return k ? `status=${k.status} connection=${k.connectionStatus}` : 'no kernel';
  },
  // Resolves (sets a flag) when the cell gets a new execution count. JupyterLab
  // clears the count when a run starts and sets it after the reply and the
  // kernel's idle for that request, so the outputs are in by then.
  armed: {},
  arm(path, index) {
    const model = this.panel(path).content.model.cells.get(index);
    const key = `${path}#${index}#${Math.random()}`;
    const state = (this.armed[key] = { done: false, count: null });
    const onChange = (_, change) => {
      if (change.name === 'executionCount' && change.newValue !== null) {
        state.done = true;
        state.count = change.newValue;
        model.stateChanged.disconnect(onChange);
      }
    };
    model.stateChanged.connect(onChange);
    return key;
  },
  outputsJSON(path, index) {
    const model = this.panel(path).content.model.cells.get(index);
    return model.outputs ? model.outputs.toJSON() : [];
  },
};
"""


class Notebook:
    """A notebook open in JupyterLab; cell indices are 0-based."""

    def __init__(self, page: Page, server: JupyterServer, path: str):
        self.page = page
        self.server = server
        self.path = path
        self.panel_id: str | None = None  # DOM id of the notebook panel, set by open()

    # -- plumbing ---------------------------------------------------------

    def _js(self, body: str, *args: Any) -> Any:
        """Evaluate `body` (a JS expression) with `path` and `args` in scope."""
        return self.page.evaluate(
            f"([path, args]) => {{ const e2e = window.__e2e; return ({body}); }}",
            [self.path, list(args)],
        )

    def _wait_js(self, condition: str, timeout: float, what: str, *args: Any) -> None:
        """Wait for a JS condition in the page, failing with `what` and the kernel state."""
        try:
            self.page.wait_for_function(
                f"([path, args]) => {{ const e2e = window.__e2e; "
                f"return !!e2e && !!({condition}); }}",
                arg=[self.path, list(args)],
                timeout=timeout * 1000,
                polling=100,
            )
        except PlaywrightTimeoutError:
            raise AssertionError(
                f"Timed out after {timeout:.0f}s waiting for {what} in {self.path} "
                f"({self._kernel_state()})"
            ) from None

    def _kernel_state(self) -> str:
        try:
            return self._js("e2e.kernelState(path)")
        except Exception as err:
            return f"kernel state unavailable: {err}"

    def wait_kernel_ready(self, timeout: float = OPEN_TIMEOUT) -> None:
        """Wait until the kernel is idle and its websocket connected."""
        self._wait_js("e2e.kernelReady(path)", timeout, "kernel idle and connected")

    def cell(self, index: int) -> Locator:
        """Locator for the index-th `.jp-Cell` of this notebook."""
        return self.page.locator(f"[id='{self.panel_id}'] .jp-Notebook .jp-Cell").nth(index)

    # -- opening ----------------------------------------------------------

    def open(self, timeout: float = OPEN_TIMEOUT) -> Notebook:
        """Load the notebook in the page; wait for its cells and an idle, connected kernel."""
        url = f"{self.server.url}/lab/tree/{self.path}?token={self.server.token}&reset"
        self.page.goto(url, timeout=timeout * 1000)
        try:
            self.page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=timeout * 1000)
        except PlaywrightTimeoutError:
            raise AssertionError(
                f"Timed out after {timeout:.0f}s waiting for notebook cells of {self.path}"
            ) from None
        self._wait_js("e2e.panel(path)", timeout, "the notebook panel")
        self._wait_js("e2e.panel(path).context.isReady", timeout, "the notebook model")
        self.panel_id = self._js("e2e.panel(path).id")
        self.wait_kernel_ready(timeout)
        return self

    # -- reading ----------------------------------------------------------

    def cell_count(self) -> int:
        return self._js("e2e.panel(path).content.model.cells.length")

    def cell_sources(self) -> list[str]:
        """Source text of every cell, read from the notebook model."""
        return self._js(
            "Array.from(e2e.panel(path).content.model.cells, c => c.sharedModel.getSource())"
        )

    def output_text(self, index: int) -> str:
        """Visible text of the cell's outputs (prompts excluded), stripped."""
        cell = self.cell(index)
        cell.scroll_into_view_if_needed()
        texts = cell.locator(".jp-OutputArea-output").all_inner_texts()
        return "\n".join(texts).strip()

    def execution_count(self, index: int) -> int | None:
        return self._js("e2e.panel(path).content.model.cells.get(args[0]).executionCount", index)

    # -- running ----------------------------------------------------------

    def run_cell(self, index: int, key: str = "Shift+Enter", timeout: float = RUN_TIMEOUT) -> None:
        """Click the cell's editor, press `key`; wait for a new execution count and an idle kernel.

        Shift+Enter on the last cell makes JupyterLab append an empty cell (as it
        does for a person); pass key="Control+Enter" to run in place.
        """
        token = self._js("e2e.arm(path, args[0])", index)
        self.cell(index).locator(".jp-InputArea-editor").click()
        self.page.keyboard.press(key)
        self._wait_js("e2e.armed[args[0]].done", timeout, f"cell {index} to finish running", token)
        self.wait_kernel_ready(timeout)

    def run_all(self, timeout: float = RUN_TIMEOUT) -> None:
        """Run all cells (`notebook:run-all-cells`); fail if one did not run (e.g. an error)."""
        indices = list(range(self.cell_count()))
        tokens = [self._js("e2e.arm(path, args[0])", i) for i in indices]
        self._js("(jupyterapp.shell.activateById(e2e.panel(path).id), true)")
        # Not awaited: the command resolves only when every cell ran; we poll with a timeout.
        self._js("(jupyterapp.commands.execute('notebook:run-all-cells'), true)")
        all_done = "args.every(t => e2e.armed[t].done)"
        # A failing cell stops run-all: finish early so the error can be reported.
        errored = (
            "e2e.kernelReady(path) && args.some((t, i) => e2e.armed[t].done && "
            "e2e.outputsJSON(path, i).some(o => o.output_type === 'error'))"
        )
        self._wait_js(f"({all_done}) || ({errored})", timeout, "all cells to run", *tokens)
        self.wait_kernel_ready(timeout)
        done = self._js("args.map(t => e2e.armed[t].done)", *tokens)
        not_run = [i for i, ok in zip(indices, done, strict=True) if not ok]
        if not_run:
            errors = {i: self._error_text(i) for i in indices}
            errors = {i: e for i, e in errors.items() if e}
            raise AssertionError(f"run_all: cells {not_run} did not run; errors: {errors}")

    def _error_text(self, index: int) -> str | None:
        """`ename: evalue` of the cell's error output, if any."""
        for out in self._js("e2e.outputsJSON(path, args[0])", index):
            if out.get("output_type") == "error":
                return f"{out.get('ename')}: {out.get('evalue')}"
        return None

    def exec(self, code: str, timeout: float = EXEC_TIMEOUT) -> str:
        """Run `code` in the kernel without touching the notebook; return its stdout/stderr.

        Raises AssertionError if the code raises in the kernel.
        """
        result = self.page.evaluate(
            """async ([path, code, timeoutMs]) => {
                const kernel = window.__e2e.kernel(path);
                if (!kernel) return { error: 'no kernel', out: '' };
                const future = kernel.requestExecute(
                    { code, silent: false, store_history: false, allow_stdin: false });
                let out = '';
                let error = null;
                future.onIOPub = (msg) => {
                    const t = msg.header.msg_type;
                    if (t === 'stream') out += msg.content.text;
                    else if (t === 'error') error = `${msg.content.ename}: ${msg.content.evalue}`;
                };
                let timer;
                const timedOut = new Promise((resolve) => {
                    timer = setTimeout(() => resolve('timeout'), timeoutMs);
                });
                const done = await Promise.race([future.done.then(() => 'done'), timedOut]);
                clearTimeout(timer);
                if (done === 'timeout') { future.dispose(); return { timeout: true, out, error }; }
                return { out, error };
            }""",
            [self.path, code, int(timeout * 1000)],
        )
        if result.get("timeout"):
            raise AssertionError(
                f"Timed out after {timeout:.0f}s running in the kernel: {code!r} "
                f"(output so far: {result['out']!r}; {self._kernel_state()})"
            )
        if result.get("error"):
            raise AssertionError(
                f"Kernel raised {result['error']} running {code!r}\n{result['out']}"
            )
        return result["out"]

    def restart_kernel(self, timeout: float = RESTART_TIMEOUT) -> None:
        """Restart through the session context (no dialog); wait until idle and connected."""
        self.page.evaluate(
            "async (path) => { await window.__e2e.panel(path).sessionContext.restartKernel(); }",
            self.path,
        )
        self.wait_kernel_ready(timeout)


def _write_notebook(root: Path, name: str, cells: list[str]) -> None:
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(source) for source in cells],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
    )
    nbformat.write(nb, root / name)


def _unique_name(root: Path, stem: str) -> str:
    name, n = f"{stem}.ipynb", 1
    while (root / name).exists():
        n += 1
        name = f"{stem}-{n}.ipynb"
    return name


@pytest.fixture
def open_notebook(page: Page, jupyter_server: JupyterServer, request: pytest.FixtureRequest):
    """Factory: `open_notebook(cells, name=None) -> Notebook`, opened and kernel-ready."""
    page.add_init_script(_PAGE_HELPERS)

    def _open(cells: list[str], name: str | None = None) -> Notebook:
        if name is None:
            name = _unique_name(jupyter_server.root_dir, safe_name(request.node.name))
        elif not name.endswith(".ipynb"):
            name += ".ipynb"
        _write_notebook(jupyter_server.root_dir, name, cells)
        return Notebook(page, jupyter_server, name).open()

    return _open


@pytest.fixture
def open_example(page: Page, jupyter_server: JupyterServer):
    """Factory: copy `examples/` as committed into the server root and open one of its notebooks.

    As committed (tests/shipped.py): a user's quickstart.sqlite or added cells never reach a test.
    """
    page.add_init_script(_PAGE_HELPERS)

    def _open(notebook: str) -> Notebook:
        target = jupyter_server.root_dir / "examples"
        if target.exists():
            shutil.rmtree(target)
        copy_shipped("examples", target)
        return Notebook(page, jupyter_server, f"examples/{notebook}").open()

    return _open


@pytest.fixture
def open_notebook_elsewhere(browser: Browser, jupyter_server: JupyterServer, page: Page, request):
    """Factory: open a notebook in another browser page, as a second person would.

    Depends on `page`, whose teardown deletes the kernels these pages start too.
    """
    contexts = []

    def _open(cells: list[str], name: str) -> Notebook:
        context = browser.new_context(viewport=VIEWPORT)
        contexts.append(context)
        other = context.new_page()
        other.set_default_timeout(30_000)
        other.add_init_script(_PAGE_HELPERS)
        name = name if name.endswith(".ipynb") else f"{name}.ipynb"
        _write_notebook(jupyter_server.root_dir, name, cells)
        return Notebook(other, jupyter_server, name).open()

    yield _open
    for i, context in enumerate(contexts, start=2):
        if context.pages:
            _save_screenshot(context.pages[0], f"{safe_name(request.node.name)}-page{i}")
        context.close()
