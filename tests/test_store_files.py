"""Store files that cannot be used are refused on open, named, and left byte for byte.

Tests run as root, and root ignores permission bits; the read-only cases therefore open the
store in a child process that drops to the user `nobody` (when run as root) after its
imports, so the folder and file modes are checked by the kernel as for any reviewer.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

import nbreview as nr
from nbreview.store import Change, SQLiteStore, StoreError
from nbreview.store.base import SCHEMA_VERSION

NOBODY = 65534
AS_ROOT = os.geteuid() == 0

# Opens the store at argv[1] as an unprivileged user; prints what happened as JSON.
CHILD = textwrap.dedent(
    """
    import json, os, sys
    from nbreview.store import SQLiteStore, StoreError
    if os.geteuid() == 0:
        os.setgid(NOBODY)
        os.setuid(NOBODY)
    if sys.argv[2] == "trust-access":  # skip the os.access checks: reach SQLite's own errors
        os.access = lambda *args, **kwargs: True
    try:
        SQLiteStore(sys.argv[1]).close()
        print(json.dumps({"opened": True, "uid": os.getuid()}))
    except StoreError as exc:
        print(json.dumps({"error": str(exc), "uid": os.getuid()}))
    """
).replace("NOBODY", str(NOBODY))


def open_as_reviewer(path: Path, trust_access: bool = False) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), "trust-access" if trust_access else "check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert outcome["uid"] != 0  # the kernel, not root's privilege, decided
    return outcome


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder the unprivileged child can reach (pytest's tmp_path is root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="nbreview-files-"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir():
            path.chmod(0o755)
    shutil.rmtree(folder)


def make_store(path: Path) -> None:
    """A store with answers in it, closed cleanly (no -wal/-shm left)."""
    store = SQLiteStore(path)
    store.write_many(
        [
            Change("default", "alice", f"rec-{i}", {"quality": i % 5, "note": "x" * 40})
            for i in range(300)
        ]
    )
    store.close()


def give_to_reviewer(path: Path, mode: int) -> None:
    """Owner `nobody` when run as root (else the user running the tests), then `mode`."""
    if AS_ROOT:
        os.chown(path, NOBODY, NOBODY)
    path.chmod(mode)


# -- read-only folder and file ----------------------------------------------------------------


def test_a_writable_store_opens_for_the_reviewer(shared):
    # the control: the child can open a store it may write, so the refusals below are real
    folder = shared / "mine"
    folder.mkdir()
    give_to_reviewer(folder, 0o755)
    make_store(folder / "reviews.sqlite")
    give_to_reviewer(folder / "reviews.sqlite", 0o644)
    assert open_as_reviewer(folder / "reviews.sqlite") == {"opened": True, "uid": NOBODY}
    assert open_as_reviewer(folder / "new.sqlite")["opened"]
    assert (folder / "new.sqlite").is_file()


@pytest.mark.parametrize("trust_access", [False, True], ids=["checked", "sqlite-error"])
def test_new_store_in_a_read_only_folder_is_refused(shared, trust_access):
    folder = shared / "readonly"
    folder.mkdir(mode=0o755)  # root's: the reviewer may read it, not write
    outcome = open_as_reviewer(folder / "reviews.sqlite", trust_access)
    assert str(folder / "reviews.sqlite") in outcome["error"]
    if trust_access:  # SQLite's own refusal, named
        assert "unable to open database file" in outcome["error"]
        assert "writable" in outcome["error"]
    else:
        assert f"folder {str(folder)!r} is not writable" in outcome["error"]
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("trust_access", [False, True], ids=["checked", "sqlite-error"])
def test_existing_store_in_a_read_only_folder_is_refused(shared, digests, trust_access):
    # the file itself is writable, but WAL needs -wal/-shm beside it
    folder = shared / "readonly"
    folder.mkdir(mode=0o755)
    path = folder / "reviews.sqlite"
    make_store(path)
    give_to_reviewer(path, 0o644)
    before = digests(folder)
    outcome = open_as_reviewer(path, trust_access)
    assert str(path) in outcome["error"]
    assert "not writable" in outcome["error"] or "writable" in outcome["error"]
    if not trust_access:
        assert f"folder {str(folder)!r} is not writable" in outcome["error"]
    assert digests(folder) == before
    assert sorted(p.name for p in folder.iterdir()) == ["reviews.sqlite"]


@pytest.mark.parametrize("trust_access", [False, True], ids=["checked", "sqlite-error"])
def test_read_only_store_file_is_refused(shared, digests, trust_access):
    folder = shared / "mine"
    folder.mkdir()
    give_to_reviewer(folder, 0o755)  # the reviewer may create files here
    path = folder / "reviews.sqlite"
    make_store(path)
    give_to_reviewer(path, 0o444)
    before = digests(folder)
    outcome = open_as_reviewer(path, trust_access)
    assert str(path) in outcome["error"]
    if trust_access:
        # Where os.access would say yes (a lying network file system), SQLite opens the file
        # read-only and the first write is refused: named too, and the file keeps every byte.
        # That read-only connection may leave empty -wal/-shm files; the check above prevents it.
        assert (
            "cannot be opened for writing (attempt to write a readonly database)"
            in (outcome["error"])
        )
        assert digests(folder)["reviews.sqlite"] == before["reviews.sqlite"]
    else:
        assert "is read-only" in outcome["error"]
        assert digests(folder) == before
        assert sorted(p.name for p in folder.iterdir()) == ["reviews.sqlite"]


def test_unreadable_store_file_is_refused(shared, digests):
    folder = shared / "mine"
    folder.mkdir()
    give_to_reviewer(folder, 0o755)
    path = folder / "reviews.sqlite"
    make_store(path)
    path.chmod(0o600)  # root's, closed to the reviewer
    before = digests(folder)
    outcome = open_as_reviewer(path)
    assert f"store {str(path)!r} cannot be read (Permission denied)" in outcome["error"]
    assert digests(folder) == before


# -- schema_version ---------------------------------------------------------------------------


def set_version(path: Path, value: str | None) -> None:
    con = sqlite3.connect(path)
    if value is None:
        con.execute("DELETE FROM nbreview_meta WHERE key = 'schema_version'")
    else:
        con.execute("UPDATE nbreview_meta SET value = ? WHERE key = 'schema_version'", (value,))
    con.commit()
    con.close()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("one", r"bad schema_version 'one'"),
        ("", r"bad schema_version ''"),
        ("1.5", r"bad schema_version '1.5'"),
        ("-1", r"bad schema_version '-1'"),
        ("0", r"bad schema_version '0'"),
        ("١", r"bad schema_version '١'"),  # an Arabic-Indic digit: isdigit(), not a version
        (None, r"bad schema_version 'None'"),
        (str(SCHEMA_VERSION + 1), r"newer nbreview \(store schema 2"),
        ("9" * 30, r"newer nbreview"),
    ],
)
def test_bad_schema_version_is_refused_and_left_untouched(tmp_path, digests, value, message):
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "reviews.sqlite"
    make_store(path)
    set_version(path, value)
    before = digests(folder)
    with pytest.raises(StoreError, match=message) as info:
        SQLiteStore(path)
    assert str(path) in str(info.value)
    assert digests(folder) == before


def test_current_schema_version_opens(tmp_path):
    path = tmp_path / "reviews.sqlite"
    make_store(path)
    set_version(path, str(SCHEMA_VERSION))
    store = SQLiteStore(path)
    try:
        assert store.record("default", "alice", "rec-3").answers["quality"] == 3
    finally:
        store.close()


# -- damaged pages ----------------------------------------------------------------------------


def damage(path: Path, table: str, offset: int, value: int) -> None:
    """Overwrite one byte of the b-tree page that holds `table`'s root."""
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    (root,) = con.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    con.close()
    with path.open("r+b") as f:
        f.seek((root - 1) * page_size + offset)
        assert f.read(1) != bytes([value])
        f.seek(-1, os.SEEK_CUR)
        f.write(bytes([value]))


@pytest.mark.parametrize(
    ("table", "offset", "value"),
    [
        ("changes", 0, 0x07),  # not a b-tree page type: SQLite raises "malformed"
        ("answers", 0, 0x00),  # quick_check reports btreeInitPage() failing
        ("changes", 5, 0xFF),  # cell content offset out of range: free space corruption
    ],
)
def test_damaged_page_is_refused_and_left_untouched(tmp_path, digests, table, offset, value):
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "reviews.sqlite"
    make_store(path)
    damage(path, table, offset, value)
    before = digests(folder)
    with pytest.raises(StoreError, match=r"is damaged \(PRAGMA quick_check: ") as info:
        SQLiteStore(path)
    assert str(path) in str(info.value)
    assert "restore it from a backup" in str(info.value)
    assert digests(folder) == before
    # and through a Review: the same refusal, nothing written
    with pytest.raises(ValueError, match=r"is damaged"):
        nr.Review(pd.DataFrame({"prompt": ["a", "b"]}), questions=[nr.Rating("q")], store=path)
    assert digests(folder) == before


def test_damaged_store_in_use_is_refused_too(tmp_path):
    # another kernel has the store open (its -wal and -shm exist): read through its locks
    path = tmp_path / "reviews.sqlite"
    make_store(path)
    other = SQLiteStore(path)
    try:
        assert (tmp_path / "reviews.sqlite-wal").exists()
        damage(path, "answers", 0, 0x00)
        main = path.read_bytes()
        with pytest.raises(StoreError, match=r"is damaged"):
            SQLiteStore(path)
        assert path.read_bytes() == main
    finally:
        other.close()


def test_store_in_use_by_a_busy_writer_is_not_taken_for_damaged(tmp_path):
    # a second kernel opens while another writes (and SQLite checkpoints every ~1000 pages):
    # quick_check must never take the moving file for damaged
    path = tmp_path / "reviews.sqlite"
    make_store(path)
    with subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys
                from nbreview.store import Change, SQLiteStore
                s = SQLiteStore({str(path)!r})
                print("ready", flush=True)
                for i in range(4000):
                    s.write(Change("default", "bob", f"w-{{i}}", {{"note": "y" * 200}}))
                s.close()
                """
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    ) as writer:
        try:
            assert writer.stdout.readline().strip() == "ready"
            opened = 0
            while writer.poll() is None and opened < 200:
                SQLiteStore(path).close()
                opened += 1
            assert opened >= 5  # the opens overlapped the writes
        finally:
            writer.wait(timeout=120)
    assert writer.returncode == 0
