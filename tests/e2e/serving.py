"""Servers the served-page tests start themselves (`nbreview serve`, `marimo run`): a free
port on 127.0.0.1, a wait until the page answers, and a stop that takes the whole process
group (the server's kernels included) down."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psutil

START_TIMEOUT = 60


def wait_until(predicate: Callable[[], Any], timeout: float, what: str) -> Any:
    """Poll `predicate` until it returns something truthy, or fail saying `what`."""
    deadline = time.monotonic() + timeout
    while not (result := predicate()):
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(0.2)
    return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def script(name: str) -> str:
    """A console script of this environment (`nbreview`, `marimo`), beside its python."""
    path = Path(sys.executable).parent / name
    return str(path) if path.exists() else name


def private_env(base: Path) -> dict[str, str]:
    """The server's own Jupyter and marimo folders, so runs share no state."""
    env = dict(os.environ)
    for name in ("NBREVIEW_ANNOTATOR", "NBREVIEW_STORE"):
        env.pop(name, None)
    for var, sub in (
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("IPYTHONDIR", "ipython"),
        ("XDG_CONFIG_HOME", "xdg"),
    ):
        (base / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(base / sub)
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    return env


def _answers(url: str) -> bool:
    """Whether the server answers at all (a 404 is an answer: it is up)."""
    try:
        with urllib.request.urlopen(url, timeout=5):
            return True
    except urllib.error.HTTPError:
        return True
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def _tail(log: Path) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-30:]) if log.exists() else ""


@contextlib.contextmanager
def served(command: list[str], url: str, cwd: Path, log: Path) -> Iterator[subprocess.Popen]:
    """Run `command` in its own session until `url` answers; stop it afterwards."""
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            command,
            cwd=cwd,
            env=private_env(cwd / ".server"),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while not _answers(url):
                if proc.poll() is not None:
                    raise AssertionError(
                        f"{command[0]} exited with {proc.returncode}:\n{_tail(log)}"
                    )
                if time.monotonic() > deadline:
                    raise AssertionError(f"{url} did not answer in {START_TIMEOUT}s:\n{_tail(log)}")
                time.sleep(0.2)
            yield proc
        finally:
            stop(proc)


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM to the process group (a server and its kernels), then SIGKILL if it lingers."""
    for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(grace)
            return
        except subprocess.TimeoutExpired:
            continue


def kernels(proc: subprocess.Popen) -> int:
    """How many ipykernel processes the server is running now."""
    try:
        children = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return 0
    count = 0
    for child in children:
        with contextlib.suppress(psutil.Error):
            if any("ipykernel" in part for part in child.cmdline()):
                count += 1
    return count
