"""review.monitor(): the lead's live view, refreshed from the store in a background thread
only while a page shows it; names from pages are escaped, the chart is SVG made here."""

from __future__ import annotations

import time

import datasets
import pytest

import nbreview as nr
from nbreview.store import Change


def review(store, who="lead") -> nr.Review:
    ds = datasets.Dataset.from_dict({"id": [f"r{i}" for i in range(10)], "t": ["x"] * 10})
    return nr.Review(ds, fields=["t"], questions=[nr.Label("v", ["a", "b"])], id="id",
                     store=store, annotator=who)  # fmt: skip


def submit(r: nr.Review, who: str, row: int, value: str = "a") -> None:
    r.store.write(Change("default", who, f"r{row}", {"v": value}, "submitted", 3))


def wait_for(predicate, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_the_monitor_shows_the_team_and_follows_the_store_while_seen(store_path):
    lead = review(store_path)
    lead.assign("ana", rows=range(5))
    submit(lead, "ana", 0)
    monitor = lead.monitor(every=0.2)
    try:
        assert "ana" in monitor.html
        assert monitor.html.count('class="nbr-monitor-bar"') == 1
        assert "<h4>Assignments</h4>" in monitor.html
        first = monitor.refreshes
        time.sleep(0.7)
        assert monitor.refreshes == first  # nobody looking: no reads
        submit(lead, "<b>ben</b>", 1, "b")
        monitor._on_message(monitor, {"type": "seen"}, [])
        wait_for(lambda: "ben" in monitor.html)
        assert "&lt;b&gt;ben&lt;/b&gt;" in monitor.html  # a page's name is text, never markup
        assert "<b>ben" not in monitor.html
        assert monitor.html.count('class="nbr-monitor-bar"') == 2
    finally:
        monitor.close()
    assert not monitor._thread.is_alive() or monitor._thread.join(2) is None
    assert not monitor._thread.is_alive()


def test_a_failing_store_read_is_shown_not_raised(store_path, monkeypatch):
    lead = review(store_path)
    monitor = lead.monitor(every=5)
    try:
        monkeypatch.setattr(type(lead.store), "times", lambda self, name: 1 / 0)
        monitor.refresh()
        assert "could not read the store" in monitor.html
        assert monitor.error == "division by zero"
    finally:
        monitor.close()


def test_every_is_checked(store_path):
    with pytest.raises(ValueError, match="every="):
        review(store_path).monitor(every=0)


def test_the_slow_figures_come_from_a_thread_of_their_own_and_only_when_work_changed(
    store_path, monkeypatch
):
    lead = review(store_path)
    for who in ("ana", "ben", "chloé"):
        submit(lead, who, 0)
    fits = []
    quality = type(lead).quality
    monkeypatch.setattr(type(lead), "quality", lambda self: fits.append(1) or quality(self))
    monitor = lead.monitor(every=5)
    try:
        assert "being computed" in monitor.html or "as of" in monitor.html  # drawn at once
        wait_for(lambda: "as of" in monitor.html)  # then the fit's thread redraws
        assert monitor.slow is not None
        assert set(monitor.slow.quality["annotator"]) == {"ana", "ben", "chloé"}
        assert fits == [1]
        monitor.slow_every = 0  # due at every refresh from now on
        monitor.refresh()
        time.sleep(0.3)
        assert fits == [1]  # nothing new in the store: no refit
        submit(lead, "ana", 1, "b")
        monitor.refresh()
        wait_for(lambda: len(fits) == 2)
    finally:
        monitor.close()


def test_a_reviewers_answer_is_not_held_up_by_the_monitors_read(tmp_path):
    """On SQLite the monitor reads through a connection of its own: while it is in the
    middle of a read (its store's lock held, as through a 100,000-record read), a reviewer
    in the same kernel stores an answer at once, and the monitor then shows it."""
    import threading

    lead = review(str(tmp_path / "team.sqlite"))
    ana = review(str(tmp_path / "team.sqlite"), who="ana")
    ana.store = lead.store  # one kernel: the reviewer's review shares the lead's store
    monitor = lead.monitor(every=5)
    try:
        assert monitor.review.store is not lead.store
        stored = threading.Event()
        with monitor.review.store._lock:  # the monitor mid-read
            threading.Thread(target=lambda: (ana.submit(0, v="b"), stored.set())).start()
            assert stored.wait(5), "the reviewer's answer waited for the monitor's read"
        monitor.refresh()
        assert "ana" in monitor.html
    finally:
        monitor.close()
    assert lead.store.record("default", "ana", "r0").answers == {"v": "b"}
