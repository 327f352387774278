"""One annotator in two places (two kernels on one store): each window keeps the record it is
on, is told about the other, and no answer is ever superseded silently. Store seats on
SQLite and PostgreSQL; the name a served page asks for before the session exists."""

from __future__ import annotations

import time

import pandas as pd
import pytest

import nbreview as nr
from nbreview._ui import presence
from nbreview.store import open_store

DF = pd.DataFrame({"text": [f"record {i}" for i in range(6)]})


@pytest.fixture
def window(store_url):
    """Build windows: each a Review of its own (a kernel) on the same store, its widget."""
    made = []

    def open_(annotator: str = "alice", **kwargs):
        review = nr.Review(
            DF, ["text"], [nr.Label("verdict", ["good", "bad"])], store=store_url,
            annotator=annotator, **kwargs,
        )  # fmt: skip
        made.append(review)
        return review.widget

    yield open_
    for review in made:
        review.widget.close()
        review.store.close()


class Page:
    """What a browser sends, numbered as the front end numbers it."""

    def __init__(self, widget):
        self.widget, self.seq = widget, 0

    def send(self, kind: str, **fields) -> dict:
        self.seq += 1
        self.widget._on_message(None, {"type": kind, "seq": self.seq, "view": "v", **fields}, None)
        return self.widget.view

    def answer(self, value: str) -> dict:
        key = self.widget.record["key"]
        return self.send("answer", key=key, question="verdict", value=value, submit=True)


def answers(widget) -> dict[str, str]:
    review = widget.review
    return {row[0]: row[3] for row in review.store.answers(review.name)}


# -- the store's seats --------------------------------------------------------------------------


def test_a_seat_holds_its_record_against_the_annotators_other_seats(store_url):
    store = open_store(store_url)
    try:
        assert store.take_seat("r", "alice", "A", "k1", 60) == {}
        assert store.take_seat("r", "alice", "B", "k1", 60) == {"A": "k1"}  # refused: A has it
        assert store.take_seat("r", "alice", "A", "k1", 60) == {"B": None}  # B holds nothing
        assert store.take_seat("r", "bob", "C", "k1", 60) == {}  # other names are not seats
        assert store.take_seat("r", "alice", "B", "k2", 60) == {"A": "k1"}
        store.leave_seat("r", "alice", "A")
        assert store.take_seat("r", "alice", "B", "k1", 60) == {}  # free once A left
    finally:
        store.close()


def test_a_seat_lapses_after_its_ttl(store_url):
    store = open_store(store_url)
    try:
        store.take_seat("r", "alice", "A", "k1", 0.05)
        time.sleep(0.1)
        assert store.take_seat("r", "alice", "B", "k1", 60) == {}  # A's page went quiet
        assert store.take_seat("r", "alice", "A", "k1", 60) == {"B": "k1"}
    finally:
        store.close()


# -- two windows of one name --------------------------------------------------------------------


def test_the_second_window_is_told_and_opens_on_another_record(window):
    a = window()
    b = window()
    assert a.session.position == 0
    assert b.session.position == 1  # record 1 is a's
    assert b.visitor["elsewhere"] == (
        "alice is also reviewing in another window, on record 1 (kept for that window)."
    )
    Page(a).send("here")  # a learns of b at its next message or heartbeat
    assert "on record 2" in a.visitor["elsewhere"]


def test_other_annotators_are_not_windows_of_this_one(window):
    window("alice")
    bob = window("bob")
    assert bob.session.position == 0
    assert bob.visitor["windows"] == 0


def test_a_record_another_window_holds_refuses_answers_with_a_notice(window):
    a, b = window(), window()
    pa, pb = Page(a), Page(b)
    pb.send("nav", to="prev")  # b goes to a's record
    assert b.session.position == 0
    assert b.visitor["blocked"] is True
    view = pb.answer("bad")
    assert "reviewing this record in another window" in view["notice"]["text"]
    assert answers(a) == {}
    pa.answer("good")
    key = a.review.keys.key(0)
    assert answers(a) == {key: "good"}
    # a has moved on; b's first change to the record it watched is refused, and b now sees a's
    view = pb.answer("bad")
    assert "just with alice's other window" in view["notice"]["text"]
    assert view["record"]["answers"] == {"verdict": "good"}
    assert answers(a) == {key: "good"}
    events = [e for e in a.review.store.history(a.review.name) if e[3] == "verdict"]
    assert [e[4] for e in events] == ["good"]  # nothing was ever overwritten
    pb.answer("bad")  # asked again, knowing: a change like any other, kept in the history
    assert answers(a) == {key: "bad"}


def test_advancing_passes_over_the_other_windows_record(window):
    a, b = window(), window()
    pa, pb = Page(a), Page(b)
    pb.answer("good")  # b: record 2 done, next open is 3 (1 is a's)
    assert b.session.position == 2
    pa.answer("bad")  # a: record 1 done, next open: 2 is answered, 3 is b's: 4
    assert a.session.position == 3
    assert set(answers(a).values()) == {"good", "bad"}
    assert len(answers(a)) == 2


def test_a_closed_window_frees_its_record(window):
    a, b = window(), window()
    Page(a).send("leave")  # the page is closing
    Page(b).send("here")
    assert b.visitor["windows"] == 0
    c = window()
    assert c.session.position == 0  # a's record is free again


def test_a_lapsed_seat_is_refused_once_before_a_change(window, monkeypatch):
    a = window()
    pa = Page(a)
    monkeypatch.setattr(presence, "SEAT_TTL", 0.0)  # this window's seat may have lapsed
    view = pa.answer("good")
    assert "just with alice's other window" in view["notice"]["text"]
    assert answers(a) == {}


# -- asking for a name --------------------------------------------------------------------------


def test_a_served_page_asks_then_builds_the_session(window, monkeypatch):
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    monkeypatch.setenv("QUERY_STRING", "")
    monkeypatch.delenv("NBREVIEW_ANNOTATOR", raising=False)
    w = window(None)
    assert w.visitor == {"ask": True, "annotator": None}
    assert "position" not in w.view  # no record, no session yet
    assert w.record == {}
    page = Page(w)
    page.send("answer", key="x", question="verdict", value="good")  # nothing before a name
    w._on_message(None, {"type": "annotator", "name": "\u202e"}, None)
    assert "control characters" in w.visitor["error"]
    w._on_message(None, {"type": "annotator", "name": "  yan  "}, None)
    assert w.visitor["ask"] is False
    assert w.visitor["annotator"] == "yan"
    assert w.config["annotator"] == "yan"
    assert w.view["position"] == 0
    page.seq = 0
    page.answer("good")
    review = w.review
    assert [(r[1], r[3]) for r in review.store.answers(review.name)] == [("yan", "good")]
    w._on_message(None, {"type": "annotator", "name": "mallory"}, None)  # too late: ignored
    assert review.annotator == "yan"


def test_a_reloaded_page_takes_its_tabs_seat_over(window):
    a = window()
    a._on_message(None, {"type": "hello", "tab": "tab-one-123"}, None)
    assert a.session.position == 0  # (its page then closes without a word, as Voilà's do)
    b = window()  # the reloaded page's new kernel: it meets the old seat at first
    assert b.session.position == 1
    b._on_message(None, {"type": "hello", "tab": "tab-one-123"}, None)
    assert b.session.position == 0  # its own old seat is out of the way
    assert b.visitor["windows"] == 0
    c = window()
    c._on_message(None, {"type": "hello", "tab": "tab-two-456"}, None)  # another tab
    assert c.session.position == 1
    assert c.visitor["windows"] == 1


def test_a_hello_after_the_first_message_keeps_the_record(window):
    a = window()
    b = window()
    Page(b).send("nav", to="next")
    assert b.session.position == 2
    b._on_message(None, {"type": "hello", "tab": "tab-three-789"}, None)
    assert b.session.position == 2  # the reviewer moved: the page is not put back
    b._on_message(None, {"type": "hello", "tab": "<script>"}, None)  # not an id: ignored
    assert b.presence.seat.startswith("tab-three-789.")
    assert a.session.position == 0


def test_the_seats_a_process_gives_up_at_exit_do_not_keep_windows_alive(window):
    """In `marimo run` every visitor's session shares one process: exit-time cleanup must
    not pin the finished ones (only a weak set of windows is kept)."""
    import gc

    w = window()
    seat = w.presence
    assert seat in presence.SEATED
    w.close()  # the widget closed: its seat is given up, and forgotten
    assert seat not in presence.SEATED
    assert w.review.store.take_seat(w.review.name, "alice", "other", None, 60) == {}

    class Loose:  # a window nothing refers to any more
        review = w.review
        cursor = w.session.cursor
        hold = None

    before = len(presence.SEATED)
    presence.Presence(Loose())
    assert len(presence.SEATED) == before + 1
    gc.collect()
    assert len(presence.SEATED) == before  # freed: the set held it weakly


def test_alone_undo_goes_back_to_the_record_just_left(window):
    a = window()
    pa = Page(a)
    pa.answer("good")
    assert a.session.position == 1
    view = pa.send("undo")
    assert view["notice"] is None
    assert a.session.position == 0
    assert answers(a) == {}


# -- issue 25, fault 5: an acknowledged answer is never overwritten by the other window ----------


def test_a_record_shown_open_before_the_other_window_answered_it_is_not_overwritten(window):
    """b was shown a's record open (blocked); a answered it and moved on; b's heartbeat then
    took the record, so b's page shows it open and unblocked. b's answer must not replace
    a's acknowledged one: the write compares what b was shown with what is stored."""
    a, b = window(), window()
    pa, pb = Page(a), Page(b)
    pb.send("nav", to="prev")
    assert b.visitor["blocked"] is True
    shown = b.view["record"]
    assert shown["answers"] == {}
    assert shown["status"] is None
    assert pa.answer("good")["notice"] is None  # acknowledged, stored
    b._on_message(None, {"type": "here"}, None)  # b's heartbeat: a left, b holds it now
    assert b.visitor["blocked"] is False
    key = a.review.keys.key(0)
    view = pb.answer("bad")
    assert answers(a) == {key: "good"}  # a's acknowledged answer stands
    assert "another window" in view["notice"]["text"]
    assert view["record"]["answers"] == {"verdict": "good"}  # b now sees what is stored
    pb.answer("bad")  # asked again, knowing: a change like any other
    assert answers(a) == {key: "bad"}


def test_a_submit_is_one_transaction_with_the_seat_on_the_next_record(tmp_path):
    """issue 25: the write, the window's seat on the next record and that record's state are
    one transaction (store.Move), and the seat holds the record the page moved to."""
    review = nr.Review(DF, ["text"], [nr.Label("verdict", ["good", "bad"])],
                       store=tmp_path / "s.sqlite", annotator="alice")  # fmt: skip
    widget = review.widget
    statements: list[str] = []
    review.store._con.set_trace_callback(statements.append)
    view = Page(widget).answer("good")
    review.store._con.set_trace_callback(None)
    assert view["notice"] is None
    assert widget.session.position == 1
    assert [s for s in statements if s.startswith(("BEGIN", "COMMIT"))] == [
        "BEGIN IMMEDIATE",
        "COMMIT",
    ]
    # Another window of alice is told the record is held by this one.
    seats = review.store.take_seat(review.name, "alice", "other", None, 60)
    assert list(seats.values()) == [review.keys.key(1)]
    widget.close()
    review.store.close()
