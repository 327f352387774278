"""Real store faults during a review driven by browser messages (issue 12, API.md 10).

Each test counts what the kernel acknowledged against what the store holds: an answer
acknowledged and missing would be an answer lost. The browser's part (resend what was not
acknowledged, in order) is played by `Page`.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import datasets
import pytest

import nbreview as nr
from nbreview.store.sqlite import BUSY_SECONDS
from pg import Cluster, server_bin

TEXTS = [f"record {i}" for i in range(8)]


def make(store, annotator: str = "alice", **kwargs) -> nr.Review:
    data = datasets.Dataset.from_dict({"id": [f"r{i}" for i in range(8)], "text": TEXTS})
    return nr.Review(
        data,
        fields=["text"],
        questions=[nr.Rating("quality"), nr.FreeText("comment")],
        id="id",
        store=store,
        annotator=annotator,
        **kwargs,
    )


class Page:
    """A browser view: numbers its messages, keeps them until acknowledged, resends them."""

    def __init__(self, review: nr.Review, view: str = "page-1"):
        self.review, self.view, self.seq = review, view, 0
        self.unacked: list[dict] = []
        self.slowest = 0.0

    def _deliver(self, message: dict) -> None:
        start = time.monotonic()
        self.review.session.handle(message)
        self.slowest = max(self.slowest, time.monotonic() - start)

    def send(self, kind: str, **fields) -> dict:
        self.seq += 1
        message = {"type": kind, "seq": self.seq, "view": self.view, "elapsed_ms": 1000}
        if kind in ("answer", "submit", "skip", "accept"):
            message["key"] = self.review.session.view()["record"]["key"]
        message.update(fields)
        self.unacked.append(message)
        self._deliver(message)
        return self.settle()

    def resend(self) -> dict:
        for message in list(self.unacked):
            self._deliver(message)
        return self.settle()

    def settle(self) -> dict:
        ack = self.review.session.link()["acks"].get(self.view, 0)
        self.unacked = [m for m in self.unacked if m["seq"] > ack]
        return self.review.session.view()


def stored(review: nr.Review) -> dict[tuple[str, str], object]:
    return {(r, q): v for r, _a, q, v, _t in review.store.answers(review.name, review.annotator)}


# -- SQLite locked by another process ---------------------------------------------------------

HOLD = """
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()  # hold the lock until told to let go
con.execute("ROLLBACK")
"""


class Locker:
    """Another process holding the SQLite file with BEGIN EXCLUSIVE until released."""

    def __init__(self, path: Path):
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLD, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout.readline().strip() == "locked"

    def release(self) -> None:
        self.proc.communicate("\n", timeout=10)


def test_a_locked_sqlite_file_loses_nothing_acknowledged(tmp_path):
    path = tmp_path / "store.sqlite"
    review = make(path)
    page = Page(review)
    first = page.send("answer", question="quality", value=4)
    assert first["notice"] is None
    locker = Locker(path)
    try:
        view = page.send("answer", question="comment", value="typed during the lock")
        assert view["notice"]["kind"] == "unsaved"
        assert view["notice"]["text"].startswith("Not saved: ")
        assert "locked" in view["notice"]["text"]
        assert review.session.link()["fault"]
        view = page.send("submit")  # held behind the comment, not applied out of order
        assert view["record"]["key"] == "r0"
        assert view["record"]["answers"] == {"quality": 4}  # built without the store
        assert len(page.unacked) == 2
        assert review.session.link()["acks"]["page-1"] == 1
        assert page.slowest < 2.0, page.slowest
        assert page.resend()["notice"]["kind"] == "unsaved"  # still locked: still unsaved
    finally:
        locker.release()
    view = page.resend()
    assert page.unacked == []
    assert view["notice"] is None
    assert view["record"]["key"] == "r1"  # the submit went through after the comment
    answers = stored(review)
    assert answers[("r0", "comment")] == "typed during the lock"
    assert answers[("r0", "quality")] == 4
    assert review.store.record("default", "alice", "r0").status == "submitted"
    # every second on screen counted once: 1 s per message, the resends not counted again
    assert review.store.record("default", "alice", "r0").seconds == pytest.approx(3.0)


def test_submit_from_code_raises_store_unavailable_and_stores_nothing(tmp_path):
    path = tmp_path / "store.sqlite"
    review = make(path)
    locker = Locker(path)
    try:
        start = time.monotonic()
        with pytest.raises(nr.StoreUnavailable, match="locked") as info:
            review.submit(0, quality=3)
        assert time.monotonic() - start < BUSY_SECONDS + 1.0
        assert isinstance(info.value, RuntimeError)
    finally:
        locker.release()
    assert stored(review) == {}
    assert review.progress.submitted == 0


# -- a full disk ------------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path) -> Path:
    """A 2 MB tmpfs where the test may mount one (root on Linux), else skip honestly."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(folder: Path) -> Path:
    filler = folder / "filler"
    with filler.open("wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError:
            pass
    return filler


def test_a_full_disk_loses_nothing_acknowledged(small_disk):
    review = make(small_disk / "store.sqlite")
    page = Page(review)
    assert page.send("answer", question="quality", value=2)["notice"] is None
    filler = _fill(small_disk)
    for i in range(30):  # big comments until the disk refuses one
        view = page.send("answer", question="comment", value=f"{i} " + "x" * 20_000)
        if view["notice"] and view["notice"]["kind"] == "unsaved":
            break
    else:
        pytest.fail("the disk never filled up")
    assert "disk is full" in view["notice"]["text"]
    failed_value = page.unacked[0]["value"]
    assert stored(review).get(("r0", "comment")) != failed_value  # not stored, not acknowledged
    assert stored(review)[("r0", "quality")] == 2  # what was acknowledged is there
    filler.unlink()  # room again
    page.resend()
    assert page.unacked == []
    assert stored(review)[("r0", "comment")] == failed_value
    assert (
        sqlite3.connect(small_disk / "store.sqlite").execute("PRAGMA quick_check").fetchone()[0]
        == "ok"
    )


# -- PostgreSQL stopped and started -----------------------------------------------------------


@pytest.fixture
def own_server():
    """A PostgreSQL server of this test's own, to stop and start without harming others."""
    bindir = server_bin()
    if bindir is None or not (bindir / "pg_ctl").exists():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed")
        pytest.skip("PostgreSQL is not installed")
    cluster = Cluster(bindir)
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


def test_postgres_stopped_and_started_loses_nothing_acknowledged(own_server):
    review = make(own_server.url(own_server.create_database()))
    page = Page(review)
    acked_values = []
    for value in (1, 2):
        assert page.send("answer", question="quality", value=value)["notice"] is None
        acked_values.append(value)
    own_server.halt()
    try:
        during = []
        for i in range(4):
            view = page.send("answer", question="comment", value=f"during {i}")
            during.append(view["notice"])
        assert all(n and n["kind"] == "unsaved" for n in during)
        assert "cannot be reached" in during[0]["text"]
        assert page.slowest < 2.0, f"a message took {page.slowest:.2f} s during the outage"
        assert len(page.unacked) == 4
        with pytest.raises(nr.StoreUnavailable):
            review.submit(1, quality=5)
    finally:
        own_server.resume()
    deadline = time.monotonic() + 30
    while page.unacked and time.monotonic() < deadline:  # the browser's backoff, compressed
        page.resend()
        if page.unacked:
            time.sleep(0.5)
    assert page.unacked == [], "the pool did not recover by itself"
    answers = stored(review)
    assert answers[("r0", "quality")] == 2
    assert answers[("r0", "comment")] == "during 3"
    history = [
        (q, v) for _c, r, _a, q, v, *_ in review.store.history(review.name) if q == "comment"
    ]
    assert [v for _q, v in history] == [f"during {i}" for i in range(4)]  # in order, once each
    review.store.close()


# -- PostgreSQL read-only (a hot standby, default_transaction_read_only) ------------------------


def test_a_read_only_postgres_is_unavailable_and_loses_nothing(pg_cluster, pg_database):
    """Issue 25, fault 3: a read-only database refuses writes as a fault that passes: "Not
    saved", not acknowledged, resent, and stored once the database takes writes again."""
    url = pg_cluster.url(pg_database)
    review = make(url)

    def read_only(on: str) -> None:  # as a failover to a standby would; the pool reconnects
        with pg_cluster.admin() as conn:
            conn.execute(f'ALTER DATABASE "{pg_database}" SET default_transaction_read_only = {on}')
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
                "AND pid <> pg_backend_pid()",
                (pg_database,),
            )

    read_only("on")
    page = Page(review)
    try:
        view = page.send("answer", question="quality", value=4)
        assert view["notice"]["kind"] == "unsaved"
        assert "read-only" in view["notice"]["text"]
        assert review.session.link()["fault"] is not None
        assert len(page.unacked) == 1
        with pytest.raises(nr.StoreUnavailable, match="read-only"):
            review.submit(1, quality=5)
        with pytest.raises(nr.StoreUnavailable, match="read-only"):
            make(url, annotator="bob")  # opening a review says so too, clearly
        read_only("off")
        deadline = time.monotonic() + 20
        while page.unacked and time.monotonic() < deadline:  # the browser's backoff
            page.resend()
            if page.unacked:
                time.sleep(0.3)
        assert page.unacked == []
        assert stored(review)[("r0", "quality")] == 4
    finally:
        review.store.close()


# -- issue 25, fault 4: changes made after a failed submit land on their record ----------------


def test_changes_after_a_failed_submit_land_on_their_record(tmp_path):
    """The submit failed, so the page stayed on r0 and the reviewer changed r0 again; once
    the lock is gone the resent submit moves on, and the later changes still reach r0."""
    path = tmp_path / "store.sqlite"
    review = make(path)
    page = Page(review)
    assert page.send("answer", question="quality", value=4)["notice"] is None
    locker = Locker(path)
    try:
        view = page.send("submit")
        assert view["notice"]["kind"] == "unsaved"
        assert view["record"]["key"] == "r0"  # not moved on: the page shows r0 still
        page.send("answer", question="comment", value="second thoughts")
        page.send("answer", question="quality", value=5)
    finally:
        locker.release()
    view = page.resend()
    assert page.unacked == []
    assert view["notice"] is None, view["notice"]
    answers = stored(review)
    assert answers[("r0", "comment")] == "second thoughts"
    assert answers[("r0", "quality")] == 5
    assert view["record"]["key"] == "r0"  # where the reviewer was, with what they changed
    assert view["record"]["answers"] == {"quality": 5, "comment": "second thoughts"}


def test_a_resubmit_after_a_full_disk_lands_and_moves_on(tmp_path):
    """A full disk (SQLite's max_page_count on the store's own connection): the reviewer
    changes r0 and submits again; once there is room, r0 holds the change, submitted."""
    review = make(tmp_path / "store.sqlite")
    page = Page(review)
    assert page.send("answer", question="quality", value=2)["notice"] is None
    con = review.store._con
    pages = con.execute("PRAGMA page_count").fetchone()[0]
    con.execute(f"PRAGMA max_page_count = {pages}")
    try:
        for i in range(40):  # long comments until the file may grow no more
            view = page.send("answer", question="comment", value=f"{i} " + "x" * 8_000)
            if view["notice"] and view["notice"]["kind"] == "unsaved":
                break
        else:
            pytest.fail("the store never filled up")
        assert "disk is full" in view["notice"]["text"]
        assert page.send("submit")["record"]["key"] == "r0"
        page.send("answer", question="quality", value=3)
        page.send("submit")
    finally:
        con.execute("PRAGMA max_page_count = 1073741823")
    view = page.resend()
    assert page.unacked == []
    assert view["notice"] is None, view["notice"]
    assert stored(review)[("r0", "quality")] == 3
    assert review.store.record("default", "alice", "r0").status == "submitted"
    assert view["record"]["key"] == "r1"


# -- issue 25: a claim after a stored answer meets a lock -----------------------------------------


def test_a_claim_locked_out_after_a_stored_submit_is_retried_before_any_notice(tmp_path):
    """overlap=1: the submit is stored, then the claim of the next record meets a lock
    another process holds past the busy timeout. The session tries again by itself, and
    the reviewer sees the next record, not "Saved, but then" on the record just submitted."""
    import threading

    path = tmp_path / "store.sqlite"
    review = make(path, overlap=1)
    page = Page(review)
    assert page.send("answer", question="quality", value=4)["notice"] is None
    store, real, lockers = review.store, review.store.claim, []

    def claim(*args, **kwargs):  # the real claim, on a file another process has just locked
        if not lockers:
            lockers.append(Locker(path))
            threading.Timer(BUSY_SECONDS + 0.5, lockers[0].release).start()
        return real(*args, **kwargs)

    store.claim = claim
    view = page.send("submit")
    assert lockers, "the submit claimed no record"
    assert view["notice"] is None, view["notice"]
    assert view["record"]["key"] == "r1"
    assert page.unacked == []
    assert review.store.record("default", "alice", "r0").status == "submitted"
