"""Malformed or hostile browser messages, through Session.handle on both stores (issue 12).

Each must get a clear notice, change nothing in the store or on screen, never raise, and
never be echoed back in full; a number far ahead must not freeze the acknowledgements.
"""

from __future__ import annotations

import json

import pytest

import nbreview as nr

BIG = "x" * 10_000_000
GOOD = object()  # stands for the record's own key


def hostile() -> list[tuple[str, dict]]:
    answer = {"type": "answer", "key": GOOD, "question": "quality", "value": 3}
    return [
        ("not an object", ["answer"]),
        ("type missing", {"key": GOOD}),
        ("type a number", {**answer, "type": 7}),
        ("type unknown", {**answer, "type": "drop_table"}),
        ("seq a string", {**answer, "seq": "2"}),
        ("seq a bool", {**answer, "seq": True}),
        ("seq negative", {**answer, "seq": -4}),
        ("seq huge", {**answer, "seq": 10**30}),
        ("seq a float", {**answer, "seq": 1.5}),
        ("view a dict", {**answer, "view": {"a": 1}}),
        ("elapsed a string", {**answer, "elapsed_ms": "1000"}),
        ("elapsed infinite", {**answer, "elapsed_ms": float("inf")}),
        ("elapsed nan", {**answer, "elapsed_ms": float("nan")}),
        ("key a list", {**answer, "key": ["k"]}),
        ("key of another record", {**answer, "key": "not-a-key"}),
        ("question a dict", {**answer, "question": {"q": 1}}),
        ("question unknown", {**answer, "question": "nope"}),
        ("value of a wrong type", {**answer, "value": "four"}),
        ("value huge number", {**answer, "value": 10**300}),
        ("value a 10 MB string", {**answer, "question": "verdict", "value": BIG}),
        ("comment of 10 MB", {**answer, "question": "comment", "value": BIG}),
        ('submit "false"', {**answer, "submit": "false"}),
        ("submit a number", {**answer, "submit": 1}),
        ("nav to -1", {"type": "nav", "to": -1}),
        ("nav to 10**12", {"type": "nav", "to": 10**12}),
        ("nav to a string", {"type": "nav", "to": "sideways"}),
        ("nav to a float", {"type": "nav", "to": 2.0}),
        ("nav to a bool", {"type": "nav", "to": True}),
        ("queue search a list", {"type": "queue", "search": ["a"]}),
        ("queue search 10 MB", {"type": "queue", "search": BIG}),
        ("queue status unknown", {"type": "queue", "status": "everything"}),
        ("queue page a string", {"type": "queue_page", "start": "0"}),
        ("queue page negative", {"type": "queue_page", "start": -10}),
    ]


@pytest.fixture
def review(make_review, store_url):
    return make_review(store=store_url)


def snapshot(review: nr.Review) -> tuple:
    store = review.store
    return (
        sorted(store.answers(review.name)),
        sorted(store.records(review.name)),
        len(store.history(review.name)),
    )


@pytest.mark.parametrize(("what", "message"), hostile(), ids=[w for w, _ in hostile()])
def test_a_hostile_message_changes_nothing_and_says_why(review, what, message):
    session = review.session
    session.handle({"type": "answer", "seq": 1, "key": review.keys.key(0), "question": "quality",
                    "value": 2, "elapsed_ms": 10})  # fmt: skip
    assert session.notice is None
    before, view_before = snapshot(review), session.view()
    if isinstance(message, dict):
        message = {"seq": 2, "elapsed_ms": 5, **message}
        if message.get("key") is GOOD:
            message["key"] = review.keys.key(0)
    session.handle(message)  # never raises
    view = session.view()
    json.dumps(view)
    assert view["notice"] is not None, what
    assert view["notice"]["kind"] == "error", what
    assert len(view["notice"]["text"]) <= 300
    assert "x" * 100 not in view["notice"]["text"]  # the refused value is not echoed in full
    assert snapshot(review) == before
    assert view["position"] == view_before["position"]
    assert view["record"]["answers"] == view_before["record"]["answers"]
    # the next good message is handled as usual: nothing froze the acknowledgements
    ack = session.ack
    session.handle({"type": "answer", "seq": ack + 1, "key": review.keys.key(0),
                    "question": "quality", "value": 5, "elapsed_ms": 5})  # fmt: skip
    assert session.notice is None, session.notice
    assert session.ack == ack + 1
    assert review.store.record(review.name, "alice", review.keys.key(0)).answers["quality"] == 5


def test_a_seq_far_ahead_neither_applies_nor_freezes_the_ack(review):
    session = review.session
    key = review.keys.key(0)
    session.handle({"type": "answer", "seq": 10**12, "key": key, "question": "quality", "value": 4})
    assert session.notice["kind"] == "error"
    assert session.ack == 0
    assert review.store.answers(review.name) == []
    session.handle({"type": "answer", "seq": 1, "key": key, "question": "quality", "value": 1})
    assert session.ack == 1
    assert session.notice is None


def test_a_resent_message_is_stored_once(review):
    session = review.session
    message = {"type": "answer", "seq": 1, "view": "v", "key": review.keys.key(0),
               "question": "quality", "value": 3, "elapsed_ms": 2000}  # fmt: skip
    session.handle(message)
    session.handle(message)  # the browser resends what it thinks was not stored
    assert len({event[0] for event in review.store.history(review.name)}) == 1  # one change
    assert session.link()["acks"] == {"v": 1}


def test_two_views_count_their_own_messages(review):
    session = review.session
    key = review.keys.key(0)
    for view, value in (("a", 1), ("b", 2), ("a", 3)):
        seq = session.link()["acks"].get(view, 0) + 1
        session.handle({"type": "answer", "seq": seq, "view": view, "key": key,
                        "question": "quality", "value": value})  # fmt: skip
        assert session.notice is None
    assert session.link()["acks"] == {"a": 2, "b": 1}
    assert review.store.record(review.name, "alice", key).answers["quality"] == 3
