"""The files the project ships, as committed: tests never read a user's own copies.

A newcomer runs the quickstart in `examples/`: it leaves `quickstart.sqlite` there, and
Jupyter autosaves any cell they add. Tests that use the examples take what git tracks, with
the content of HEAD, so a clone that has been used tests the same as a fresh one. Outside a
git checkout (an unpacked sdist) the folder is copied without stores and checkpoints.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
UNSHIPPED = ("*.sqlite", "*.sqlite-*", ".ipynb_checkpoints", "__pycache__")


def _git(*args: str) -> bytes | None:
    """Stdout of a git command in the repository, or None when there is no git checkout."""
    try:
        done = subprocess.run(
            ["git", "-C", str(REPO_ROOT), *args], capture_output=True, check=False, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def shipped_paths(folder: str) -> list[str] | None:
    """Paths under `folder` (relative to the repository) that HEAD tracks, or None without git."""
    listed = _git("ls-tree", "-r", "--name-only", "-z", "HEAD", "--", folder)
    if listed is None:
        return None
    return [p for p in listed.decode().split("\0") if p]


def shipped_bytes(path: str) -> bytes:
    """The committed content of one file (the working copy outside a git checkout)."""
    content = _git("show", f"HEAD:{path}")
    return content if content is not None else (REPO_ROOT / path).read_bytes()


def copy_shipped(folder: str, dest: Path) -> Path:
    """Copy `folder` as committed into `dest` (created); returns `dest`."""
    paths = shipped_paths(folder)
    if paths is None:
        shutil.copytree(REPO_ROOT / folder, dest, ignore=shutil.ignore_patterns(*UNSHIPPED))
        return dest
    dest.mkdir(parents=True, exist_ok=True)
    for path in paths:
        target = dest / Path(path).relative_to(folder)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(shipped_bytes(path))
    return dest
