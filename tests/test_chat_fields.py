"""Markdown and chat fields, and chat-message targets (issue 5): the target syntax, clear
errors at construction for columns that cannot be shown or marked, cheap checks on big data,
and spans on one message of a chat, stored in code points of that message's content."""

from __future__ import annotations

import json
import time

import datasets
import pandas as pd
import pytest

import nbreview as nr
from nbreview._data.fields import Target, field_from_spec
from nbreview._data.source import RecordSource

CHATS = [
    [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Where is Paris?"},
        {"role": "assistant", "content": "👩🏽‍💻 Paris is in **Japan**."},
    ],
    [
        {"role": "user", "content": "And Rome?"},
        {"role": "assistant", "content": "Rome is in Italy."},
    ],
    [
        {"role": "user", "content": "2 + 2?"},
        {"role": "assistant", "content": "5"},
        {"role": "user", "content": "Sure?"},
        {"role": "assistant", "content": "4, sorry."},
    ],
]


@pytest.fixture
def chats() -> datasets.Dataset:
    return datasets.Dataset.from_dict(
        {
            "id": ["a", "b", "c"],
            "messages": CHATS,
            "response": ["# Title\n\n| a |\n|---|\n| 1 |", "*x*", None],
            "score": [1, 2, 3],
            "as_json": [json.dumps(c) for c in CHATS],
        }
    )


def errors(field: str) -> nr.Spans:
    return nr.Spans("errors", field=field, labels=["factual", "style"])


# -- the target syntax ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("response", "response", None),
        ("messages[-1]", "messages", -1),
        ("messages[0]", "messages", 0),
        ("messages[12]", "messages", 12),
        ("a[b][2]", "a[b]", 2),
        ("x[1.5]", "x[1.5]", None),
        ("x[]", "x[]", None),
        ("my col[-2]", "my col", -2),
    ],
)
def test_targets_parse_a_column_or_one_message(text, column, message):
    target = Target.parse(text)
    assert (target.column, target.message) == (column, message)
    assert str(target) == text


@pytest.mark.parametrize("bad", ["", None, 3])
def test_a_target_must_be_a_non_empty_string(bad):
    with pytest.raises(ValueError, match="a target names a column"):
        Target.parse(bad)


def test_a_target_reads_the_message_it_names():
    record = {"messages": CHATS[0], "response": "r"}
    assert Target.parse("messages[-1]").text(record) == CHATS[0][-1]["content"]
    assert Target.parse("messages[0]").text(record) == "Be brief."
    assert Target.parse("messages[5]").text(record) is None
    assert Target.parse("messages[-1]").text({"messages": None}) is None
    assert Target.parse("response[0]").text(record) is None
    assert Target.parse("response").text(record) == "r"


def test_fields_rebuild_from_their_spec():
    for field in (nr.Text("a"), nr.Markdown("b"), nr.Chat("c")):
        assert field_from_spec(field.spec()) == field


# -- construction: clear errors ---------------------------------------------------------------


def test_markdown_and_chat_fields_build(make_review, chats):
    review = make_review(
        chats,
        fields=[nr.Chat("messages"), nr.Markdown("response")],
        questions=[nr.Rating("quality")],
    )
    config = review.widget.config
    assert config["fields"] == [
        {"column": "messages", "kind": "chat"},
        {"column": "response", "kind": "markdown"},
    ]
    assert config["load_images"] is False
    view = review.session.view()
    assert view["record"]["fields"]["messages"] == CHATS[0]


BAD_FIELDS = [
    pytest.param(
        nr.Chat("as_json"),
        r"nr.Chat\('as_json'\): column 'as_json' holds string, not lists of messages.*json.loads",
        id="chat-of-json-strings",
    ),
    pytest.param(nr.Chat("score"), r"holds int64, not lists of messages", id="chat-of-ints"),
    pytest.param(nr.Markdown("score"), r"nr.Markdown\('score'\).*holds int64, not text", id="md"),
    pytest.param(nr.Markdown("messages"), r"holds list<.*>, not text.*nr.Chat", id="md-of-chat"),
]


@pytest.mark.parametrize(("field", "match"), BAD_FIELDS)
def test_a_field_its_column_cannot_fill_is_refused(make_review, chats, store_path, field, match):
    with pytest.raises(ValueError, match=match):
        make_review(chats, fields=[field], questions=[nr.Rating("quality")])
    assert not store_path.exists()


def test_a_chat_of_other_dicts_is_refused(make_review):
    sharegpt = datasets.Dataset.from_dict({"conv": [[{"from": "human", "value": "hi"}]]})
    with pytest.raises(ValueError, match=r"messages without 'role' and 'content'"):
        make_review(sharegpt, fields=[nr.Chat("conv")], questions=[nr.Rating("q")])


def test_pandas_columns_are_checked_on_their_first_rows(make_review):
    frame = pd.DataFrame(
        {
            "messages": [None, CHATS[0], "not a chat", CHATS[1]],
            "md": ["ok", None, {"a": 1}, "fine"],
        }
    )
    with pytest.raises(ValueError, match=r"'messages' \(row 2\) holds str 'not a chat'"):
        make_review(frame, fields=[nr.Chat("messages")], questions=[nr.Rating("q")])
    with pytest.raises(ValueError, match=r"'md' \(row 2\) holds dict \{'a': 1\}, not text"):
        make_review(frame, fields=[nr.Markdown("md")], questions=[nr.Rating("q")])
    bad_message = pd.DataFrame({"m": [[{"role": "user", "content": "hi"}, ["user", "hi"]]]})
    with pytest.raises(ValueError, match=r"message 1 is list \['user', 'hi'\], not a"):
        make_review(bad_message, fields=[nr.Chat("m")], questions=[nr.Rating("q")])


def test_a_bad_row_beyond_the_sample_builds_and_is_left_to_the_widget(make_review):
    rows = [CHATS[1]] * 100 + ["not a chat"]
    frame = pd.DataFrame({"messages": rows})
    review = make_review(frame, fields=[nr.Chat("messages")], questions=[nr.Rating("q")])
    review.position = 100
    assert review.session.view()["record"]["fields"]["messages"] == "not a chat"


def test_null_and_empty_columns_are_fine(make_review):
    frame = pd.DataFrame({"messages": [None, None], "md": [None, None]})
    make_review(frame, fields=[nr.Chat("messages"), nr.Markdown("md")], questions=[nr.Rating("q")])
    empty = datasets.Dataset.from_dict({"messages": [[]], "md": [""]})
    make_review(empty, fields=[nr.Chat("messages"), nr.Markdown("md")], questions=[nr.Rating("q")])


BAD_TARGETS = [
    pytest.param("response[-1]", r"question 'errors'.*'response' holds string", id="text-column"),
    pytest.param("as_json[0]", r"'as_json' holds string, not lists of messages", id="json-column"),
    pytest.param("score[0]", r"'score' holds int64", id="int-column"),
    pytest.param(
        "messages[4]",
        r"no chat in the first rows of 'messages' has a message messages\[4\] "
        r"\(they have 2, 3, 4 messages\).*messages\[-1\]",
        id="no-such-message",
    ),
    pytest.param("messages[-5]", r"no chat .* has a message messages\[-5\]", id="too-far-back"),
    pytest.param("nothing[-1]", r"unknown column 'nothing' \(question 'errors'\)", id="unknown"),
    pytest.param("score", r"column 'score' does not hold strings", id="not-text"),
]


@pytest.mark.parametrize(("target", "match"), BAD_TARGETS)
def test_a_target_that_does_not_exist_is_refused(make_review, chats, store_path, target, match):
    with pytest.raises(ValueError, match=match):
        make_review(chats, fields=[nr.Chat("messages")], questions=[errors(target)])
    assert not store_path.exists()


def test_a_message_of_text_parts_is_marked_on_its_text(make_review):
    """Content as a list of parts (API.md 11) has a text: its text parts, a blank line apart;
    content that is neither text nor parts is refused where the chat is checked."""
    parts = datasets.Dataset.from_dict(
        {"m": [[{"role": "user", "content": [{"type": "text", "text": "hi"}]}]]}
    )
    make_review(parts, fields=[nr.Chat("m")], questions=[nr.Rating("q")])  # shown: fine
    review = make_review(parts, fields=[nr.Chat("m")], questions=[errors("m[0]")])
    review.submit(0, errors=[{"start": 0, "end": 2, "label": "style"}])
    assert review.to_dataset()["errors"][0][0]["text"] == "hi"
    frame = pd.DataFrame({"m": [[{"role": "user", "content": ["a", "b"]}]]})
    with pytest.raises(ValueError, match=r"\(row 0\) part 0 of message 0 is str 'a'"):
        make_review(frame, fields=[nr.Chat("m")], questions=[errors("m[-1]")])
    numbers = datasets.Dataset.from_dict({"m": [[{"role": "user", "content": 3}]]})
    with pytest.raises(ValueError, match=r"content is int64, neither text nor a list of parts"):
        make_review(numbers, fields=[nr.Chat("m")], questions=[errors("m[-1]")])


def test_a_message_some_chats_lack_is_accepted(make_review, chats):
    review = make_review(chats, fields=[nr.Chat("messages")], questions=[errors("messages[3]")])
    review.submit(0, errors=[])  # this chat has no message 3: nothing to mark
    review.submit(2, errors=[{"start": 0, "end": 1, "label": "factual"}])
    assert review.to_dataset()["errors"][2] == [
        {"start": 0, "end": 1, "label": "factual", "text": "4"}
    ]


def test_checks_stay_cheap_on_a_million_rows():
    chat = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]
    frame = pd.DataFrame({"messages": [chat] * 1_000_000, "md": ["x"] * 1_000_000})
    source = RecordSource.of(frame)
    t0 = time.perf_counter()
    nr.Chat("messages").check(source)
    nr.Markdown("md").check(source)
    errors("messages[-1]").check(source)
    assert time.perf_counter() - t0 < 0.5


# -- spans on one message ---------------------------------------------------------------------


def test_spans_on_the_last_message_in_code_points_of_its_content(make_review, chats):
    review = make_review(
        chats,
        fields=[nr.Chat("messages")],
        questions=[errors("messages[-1]"), nr.Rating("quality")],
        id="id",
    )
    text = CHATS[0][-1]["content"]
    start = text.index("Japan")
    review.submit(0, errors=[{"start": start, "end": start + 5, "label": "factual"}], quality=2)
    stored = review.to_dataset()["errors"][0]
    assert stored == [{"start": start, "end": start + 5, "label": "factual", "text": "Japan"}]
    assert text[stored[0]["start"] : stored[0]["end"]] == "Japan"

    # The browser counts UTF-16 units of the same message: the emoji before take two each.
    session = review.session
    review.position = 0
    record = session.view()["record"]
    shown = record["answers"]["errors"][0]
    assert shown["start"] == start + sum(1 for c in text[:start] if ord(c) > 0xFFFF)
    assert record["fields"]["messages"] == CHATS[0]  # the whole chat, as the widget draws it
    session.handle(
        {
            "type": "answer",
            "seq": session.ack + 1,
            "elapsed_ms": 0,
            "key": record["key"],
            "question": "errors",
            "value": [{**shown, "label": "style"}],
        }
    )
    assert session.view()["notice"] is None
    assert review.store.record(review.name, review.annotator, record["key"]).answers["errors"] == [
        {"start": start, "end": start + 5, "label": "style", "text": "Japan"}
    ]


def test_spans_on_a_message_refuse_text_from_another_message(make_review, chats):
    review = make_review(chats, fields=[nr.Chat("messages")], questions=[errors("messages[1]")])
    with pytest.raises(ValueError, match=r"is not the text there"):
        review.submit(1, errors=[{"start": 0, "end": 4, "label": "factual", "text": "And "}])
    review.submit(1, errors=[{"start": 0, "end": 4, "label": "factual", "text": "Rome"}])


def test_a_message_target_is_sent_when_the_chat_is_not_shown(make_review, chats):
    review = make_review(chats, fields=["id"], questions=[errors("messages[-1]")])
    assert review.session.view()["record"]["fields"]["messages"] == CHATS[0]


def test_an_edit_of_a_message_is_checked_the_same_way(make_review, chats):
    with pytest.raises(ValueError, match=r"question 'fixed'.*has a message messages\[4\]"):
        make_review(
            chats, fields=[nr.Chat("messages")], questions=[nr.Edit("fixed", "messages[4]")]
        )
    with pytest.raises(ValueError, match=r"question 'fixed'.*'as_json' holds string"):
        make_review(chats, fields=["id"], questions=[nr.Edit("fixed", "as_json[-1]")])
    review = make_review(
        chats, fields=[nr.Chat("messages")], questions=[nr.Edit("fixed", "messages[-1]")]
    )
    review.submit(1, fixed="Rome is in Italy, yes.")
    assert review.to_dataset()["fixed"][1] == "Rome is in Italy, yes."
