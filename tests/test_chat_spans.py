"""Spans on a whole chat (issue 20, API.md 11): `nr.Spans(name, field=CHAT_COLUMN)` marks any
message; each span names its `message`, offsets in code points of that message's text, and
the browser's UTF-16 offsets are converted per message (emoji, CJK, right-to-left text)."""

from __future__ import annotations

import datasets
import pandas as pd
import pytest

import nbreview as nr
from nbreview._data.chat import message_text

CHAT = [
    {"role": "user", "content": [{"type": "text", "text": "Is 👩🏽‍💻 a coder? 🙂"}]},
    {
        "role": "assistant",
        "content": [
            {"type": "text", "text": "東京は日本の首都です。"},
            {"type": "text", "text": "مرحبا بالعالم 🌍"},
        ],
    },
    {"role": "assistant", "content": [{"type": "text", "text": "plain text"}]},
]
OTHER = [{"role": "user", "content": [{"type": "text", "text": "short"}]}]

FEATURE = datasets.List(
    {
        "message": datasets.Value("int32"),
        "start": datasets.Value("int32"),
        "end": datasets.Value("int32"),
        "label": datasets.Value("string"),
        "text": datasets.Value("string"),
    }
)


@pytest.fixture
def chats() -> pd.DataFrame:
    return pd.DataFrame({"id": ["a", "b"], "messages": [CHAT, OTHER], "score": [1, 2]})


def errors(field: str = "messages") -> nr.Spans:
    return nr.Spans("errors", field=field, labels=["wrong", "unsafe"])


def span(message: int, piece: str, label: str = "wrong", occurrence: int = 0) -> dict:
    text = message_text(CHAT[message])
    start = text.index(piece)
    for _ in range(occurrence):
        start = text.index(piece, start + 1)
    return {"message": message, "start": start, "end": start + len(piece), "label": label}


def review_of(make_review, chats, **kwargs):
    return make_review(chats, fields=[nr.Chat("messages")], questions=[errors()], id="id", **kwargs)


def test_spans_in_any_message_are_stored_with_their_message(make_review, chats):
    review = review_of(make_review, chats)
    given = [
        span(2, "text"),
        span(1, "بالعالم", "unsafe"),
        span(0, "👩🏽‍💻"),
        span(1, "日本"),
        span(1, "🌍"),
    ]
    review.submit(0, errors=given)
    out = review.to_dataset()
    assert out.features["errors"] == FEATURE
    stored = out["errors"][0]
    keys = [(s["message"], s["start"], s["end"], s["label"]) for s in stored]
    assert keys == sorted(keys)  # by (message, start, end, label)
    for s in stored:  # record[col][s["message"]]'s text [start:end] == text
        assert message_text(CHAT[s["message"]])[s["start"] : s["end"]] == s["text"]
    assert [s["text"] for s in stored] == ["👩🏽‍💻", "日本", "بالعالم", "🌍", "text"]


def test_the_browser_gets_utf16_offsets_per_message_and_sends_them_back(make_review, chats):
    review = review_of(make_review, chats)
    review.submit(0, errors=[span(0, "🙂"), span(1, "🌍")])
    review.position = 0
    sent = review.session.view()["record"]["answers"]["errors"]
    for s in sent:  # UTF-16 units of the message's own text
        text = message_text(CHAT[s["message"]])
        units = text.encode("utf-16-le")
        piece = units[2 * s["start"] : 2 * s["end"]].decode("utf-16-le")
        assert piece == s["text"]
    assert span(0, "🙂")["start"] == 17  # code points: "Is ", 👩🏽‍💻 (4), " a coder? "
    assert sent[0]["start"] == 20  # UTF-16 units: 👩🏽‍💻 is 7 of them
    session = review.session
    key = session.view()["record"]["key"]
    begin = sent[1]["start"]  # "بالعالم" ends a space before the 🌍
    marked = [{"message": 1, "start": begin - 8, "end": begin - 1, "label": "wrong"}]
    session.handle(
        {"type": "answer", "seq": 1, "elapsed_ms": 0, "key": key}
        | {"question": "errors", "value": marked, "submit": False}
    )
    assert session.view()["notice"] is None
    [stored] = review.store.record(review.name, review.annotator, key).answers["errors"]
    assert stored["text"] == "بالعالم"


BAD = [
    pytest.param(
        [{"message": 5, "start": 0, "end": 1, "label": "wrong"}],
        r"errors: the span 0–1 labelled 'wrong' in message 5 is refused: message 5 is out of "
        r"range \(the chat has 3 messages\)",
        id="out-of-range",
    ),
    pytest.param(
        [{"message": 2, "start": 0, "end": 5, "label": "wrong", "text": "PLAIN"}],
        r"in message 2 is refused: its text 'PLAIN' is not the text there, 'plain'",
        id="text-differs",
    ),
    pytest.param(
        [{"start": 0, "end": 5, "label": "wrong"}],
        r"on a whole chat a span names its message, got None",
        id="no-message",
    ),
    pytest.param(
        [{"message": 2, "start": 0, "end": 50, "label": "wrong"}],
        r"in message 2 is refused: it is out of range \(the text has 10 characters\)",
        id="past-the-message",
    ),
]


@pytest.mark.parametrize(("value", "match"), BAD)
def test_bad_spans_name_the_message_and_store_nothing(make_review, chats, value, match):
    review = review_of(make_review, chats)
    with pytest.raises(ValueError, match=match):
        review.submit(0, errors=value)
    assert review.annotations().empty


def test_spans_in_different_messages_never_overlap(make_review, chats):
    review = review_of(make_review, chats)
    same = {"start": 0, "end": 2, "label": "wrong"}
    review.submit(0, errors=[{**same, "message": 1}, {**same, "message": 2}])
    with pytest.raises(ValueError, match=r"overlaps"):
        review.submit(0, errors=[{**same, "message": 2}, {**same, "message": 2, "end": 3}])


def test_a_field_that_is_neither_text_nor_chat_names_both_forms(make_review, chats, store_path):
    with pytest.raises(ValueError, match=r"field='messages'\).*field='messages\[-1\]'"):
        make_review(chats, fields=["id"], questions=[errors("score")])
    assert not store_path.exists()


def test_one_message_targets_keep_their_form(make_review, chats):
    review = make_review(chats, fields=[nr.Chat("messages")], questions=[errors("messages[-1]")])
    review.submit(0, errors=[{"start": 0, "end": 5, "label": "wrong"}])
    out = review.to_dataset()
    assert "message" not in out.features["errors"].feature
    assert out["errors"][0] == [{"start": 0, "end": 5, "label": "wrong", "text": "plain"}]


def test_arrow_chats_of_parts_take_whole_chat_spans(make_review):
    ds = datasets.Dataset.from_list([{"messages": CHAT[1:2]}])
    review = make_review(ds, fields=[nr.Chat("messages")], questions=[errors()])
    review.submit(0, errors=[{"message": 0, "start": 0, "end": 2, "label": "unsafe"}])
    assert review.to_dataset()["errors"][0][0]["text"] == "東京"


def test_string_content_takes_whole_chat_spans(make_review):
    chat = [{"role": "user", "content": "🙂 hi"}, {"role": "assistant", "content": "שלום עולם"}]
    ds = datasets.Dataset.from_dict({"messages": [chat]})
    review = make_review(ds, fields=[nr.Chat("messages")], questions=[errors()])
    given = [{"message": 1, "start": 5, "end": 9, "label": "wrong", "text": "עולם"}]
    review.submit(0, errors=[*given, {"message": 0, "start": 2, "end": 4, "label": "wrong"}])
    assert [s["text"] for s in review.to_dataset()["errors"][0]] == ["hi", "עולם"]
    review.position = 0
    sent = review.session.view()["record"]["answers"]["errors"]
    assert (sent[0]["start"], sent[0]["end"]) == (3, 5)  # 🙂 is two UTF-16 units


def test_a_dataframe_chat_mixing_text_and_parts_is_shown_and_marked(make_review):
    """Arrow cannot type such a chat; the record is read as it is (keyed by its id: content
    keys hash Arrow values)."""
    mixed = [{"role": "user", "content": "hi"}, CHAT[1]]
    frame = pd.DataFrame({"messages": [mixed], "id": ["m"]})
    review = make_review(frame, fields=[nr.Chat("messages")], questions=[errors()], id="id")
    assert review.session.view()["record"]["fields"]["messages"] == mixed
    review.submit(0, errors=[{"message": 1, "start": 0, "end": 2, "label": "wrong"}])
    [stored] = review.store.record(review.name, "alice", review.keys.key(0)).answers["errors"]
    assert stored["text"] == "東京"


def test_several_annotators_per_message(make_review, chats, store_path):
    answers = {
        "alice": [span(1, "日本"), span(2, "text")],
        "bob": [span(1, "日本"), span(0, "coder")],
        "cy": [span(1, "日本"), span(2, "text")],
    }
    for who, given in answers.items():
        review = review_of(make_review, chats, store=store_path, annotator=who)
        review.submit(0, errors=given)
    consensus = review.to_dataset(annotators="consensus")["errors"][0]
    assert [(s["message"], s["text"]) for s in consensus] == [(1, "日本"), (2, "text")]
    row = review.agreement().set_index("question").loc["errors"]
    assert row["level"] == "span-F1"
    # per message token F1: alice-cy agree on both, each with bob on one of two
    assert row["alpha"] == pytest.approx((4 + 2 + 2) / (4 + 4 + 4))
    summary = review.summary("errors").set_index("answer")
    assert summary.loc["wrong", "count"] == 3


def test_whole_chat_spans_survive_the_hub_round_trip(make_review, chats, tmp_path):
    review = review_of(make_review, chats)
    review.submit(0, errors=[span(1, "日本")])
    folder = review.save_hub_folder(tmp_path / "out")
    again = nr.Review.from_hub_folder(folder, annotator="alice", store=tmp_path / "re.sqlite")
    assert again.to_dataset()["errors"][0] == [{**span(1, "日本"), "text": "日本"}]
    assert again.to_dataset().features["errors"] == FEATURE
