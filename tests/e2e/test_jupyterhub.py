"""A real JupyterHub (PyPI) behind configurable-http-proxy (npm), with a local spawner and an
authenticator with passwords: two reviewers log in, each gets the review as a Voilà page
inside their own server, answers, and the one PostgreSQL store both servers write to (a
throw-away server, tests/pg.py; its URL reaches the spawned servers through
`Spawner.environment`) holds each answer under their login ($JUPYTERHUB_USER), whatever
the page's address says: the lead reads both from it.

Needs `pip install jupyterhub` and `npm install -g configurable-http-proxy` (or its `bin` on
PATH, or $CONFIGURABLE_HTTP_PROXY naming it).
"""

from __future__ import annotations

import os
import shutil
import sys
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from playwright.sync_api import Browser, expect
from serving import free_port, script, served, wait_until

import nbreview as nr

ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts"
SRC = Path(__file__).resolve().parents[2] / "src"
PASSWORD = "review-pass"
OPEN_TIMEOUT = 120_000

TEXTS = ["alpha", "beta", "gamma", "delta"]
NOTEBOOK = f"""
import pandas as pd
import nbreview as nr

df = pd.DataFrame({{"text": {TEXTS!r}}})
review = nr.Review(df, ["text"], [nr.Label("verdict", ["good", "bad"])], id=None)
review
"""


def proxy() -> str:
    found = os.environ.get("CONFIGURABLE_HTTP_PROXY") or shutil.which("configurable-http-proxy")
    if not found:
        raise AssertionError(
            "configurable-http-proxy is not installed: npm install -g configurable-http-proxy"
        )
    return found


@pytest.fixture
def hub(tmp_path: Path, pg_url: str):
    import jupyterhub  # noqa: F401  (a test requirement: fails loudly when missing)

    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(NOTEBOOK)],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}},
    )  # fmt: skip
    nbformat.write(nb, tmp_path / "review.ipynb")
    port, hub_port, api_port = free_port(), free_port(), free_port()
    store = pg_url  # one PostgreSQL store for every user's server
    python_path = os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))
    config = f"""
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.command = [{proxy()!r}]
c.JupyterHub.db_url = "sqlite:///{tmp_path / "hub.sqlite"}"
c.JupyterHub.cookie_secret_file = {str(tmp_path / "cookie_secret")!r}
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {PASSWORD!r}
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.Spawner.cmd = [{str(Path(sys.executable).parent / "jupyterhub-singleuser")!r}]
c.Spawner.args = ["--allow-root"]
c.Spawner.notebook_dir = {str(tmp_path)!r}
c.Spawner.default_url = "/voila/render/review.ipynb"
c.Spawner.http_timeout = 90
c.Spawner.start_timeout = 120
c.Spawner.environment = {{"NBREVIEW_STORE": {store!r}, "PYTHONPATH": {python_path!r}}}
"""
    (tmp_path / "jupyterhub_config.py").write_text(config)
    command = [script("jupyterhub"), "-f", str(tmp_path / "jupyterhub_config.py")]
    url = f"http://127.0.0.1:{port}"
    with served(command, f"{url}/hub/health", tmp_path, tmp_path / "hub.log"):
        # the proxy answers (404) before the hub has put its own route in: wait for the hub
        wait_until(lambda: healthy(f"{url}/hub/health"), 60, "the hub behind its proxy")
        yield url, store


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def log_in_and_answer(browser: Browser, url: str, user: str, key: str, name: str) -> None:
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        console: list[str] = []
        page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
        page.goto(f"{url}/hub/login")
        page.fill("#username_input", user)
        page.fill("#password_input", PASSWORD)
        page.click("#login_submit")
        # The hub opens the review page (Spawner.default_url) in the user's own server.
        page.wait_for_url(f"**/user/{user}/voila/render/review.ipynb*", timeout=OPEN_TIMEOUT)
        root = page.locator(".nbr-root")
        try:
            root.wait_for(state="visible", timeout=OPEN_TIMEOUT)
        except Exception:
            ARTIFACTS_DIR.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS_DIR / f"jupyterhub-{name}-failed.png"))
            raise AssertionError("no widget:\n" + "\n".join(console[-20:])) from None
        expect(page.locator(".nbr-who")).to_have_text(f"Reviewing as {user}")
        expect(root).to_have_attribute("data-position", "0", timeout=OPEN_TIMEOUT)
        root.focus()
        page.keyboard.press(key)
        expect(root).to_have_attribute("data-ack", "1", timeout=30_000)
        # An address naming someone else changes nothing: the login answers.
        page.goto(f"{url}/user/{user}/voila/render/review.ipynb?annotator=mallory")
        page.locator(".nbr-root").wait_for(state="visible", timeout=OPEN_TIMEOUT)
        expect(page.locator(".nbr-who")).to_have_text(f"Reviewing as {user}")
        ARTIFACTS_DIR.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS_DIR / f"jupyterhub-{name}.png"))
    finally:
        context.close()


@pytest.mark.timeout(420)  # two single-user servers and two Voilà kernels on a small machine
def test_two_users_of_a_jupyterhub_answer_under_their_logins(hub, browser):
    url, store = hub
    log_in_and_answer(browser, url, "ana", "1", "ana")
    log_in_and_answer(browser, url, "ben", "2", "ben")
    # The lead, under their own name, reads the same PostgreSQL store: one answer each,
    # on the first record, under each login.
    lead = nr.Review(
        pd.DataFrame({"text": TEXTS}), ["text"], [nr.Label("verdict", ["good", "bad"])],
        id=None, store=store, annotator="lead",
    )  # fmt: skip
    first = lead.to_pandas(annotators="all").iloc[0]
    assert (list(first["annotator"]), list(first["verdict"])) == (["ana", "ben"], ["good", "bad"])
    progress = lead.progress_by_annotator().set_index("annotator")["submitted"]
    assert progress.to_dict() == {"ana": 1, "ben": 1}
