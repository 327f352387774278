"""What the widget's synced traits carry (docs/protocol.md, "Synced traits")."""

from __future__ import annotations


def test_the_record_crosses_once_and_the_records_ahead_only_when_a_view_asks(make_review):
    review = make_review()
    widget = review.widget
    assert set(widget.record) == {"key", "row", "fields"}  # opening state: no records ahead
    assert "fields" not in widget.view["record"]
    widget._on_message(widget, {"type": "ahead"}, [])
    assert [r["row"] for r in widget.record["ahead"]["open"]] == [1, 2, 3, 4]
    first = widget.record
    widget._on_message(widget, {"type": "answer", "seq": 1, "key": first["key"],
                                "question": "quality", "value": 3}, [])  # fmt: skip
    assert widget.record is first  # an answer does not send the record again
    widget._on_message(widget, {"type": "nav", "seq": 2, "to": "next"}, [])
    assert widget.record["key"] == review.keys.key(1)
    assert [r["row"] for r in widget.record["ahead"]["next"]] == [2, 3, 4, 5]


def test_the_queue_page_crosses_when_asked_for(make_review):
    widget = make_review().widget
    assert widget.queue_page is None
    widget._on_message(widget, {"type": "queue_page", "seq": 1, "start": 0}, [])
    assert [r["row"] for r in widget.queue_page["rows"]] == [0, 1, 2, 3, 4, 5]
    assert widget.view["queue"]["open"] is True
    assert "page" not in widget.view["queue"]
