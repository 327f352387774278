"""Chats of every shape (issue 20, API.md 11): OpenAI tool calls and tool messages, the HF/TRL
form, content as a list of parts, reasoning fields; accepted at construction both as pandas
values and as the Arrow struct columns `datasets` makes of them, while what is not a chat is
still refused naming the row and the problem. A message's text is one rule everywhere."""

from __future__ import annotations

import json

import datasets
import pandas as pd
import pytest

import nbreview as nr
from nbreview._data.chat import message_text, turn_tools, without_nulls

OPENAI = [
    {"role": "system", "content": "You book trips."},
    {"role": "user", "content": "Weather in Paris?"},
    {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": "call_1",
                "type": "function",
                "function": {"name": "get_weather", "arguments": json.dumps({"city": "Paris"})},
            }
        ],
    },
    {"role": "tool", "tool_call_id": "call_1", "content": '{"temp": 21}'},
    {"role": "assistant", "content": "It is 21 °C.", "reasoning_content": "The tool said 21."},
]

HF = [
    {"role": "user", "content": "Search cats"},
    {
        "role": "assistant",
        "tool_calls": [
            {"type": "function", "function": {"name": "search", "arguments": {"q": "cats"}}}
        ],
    },
    {"role": "tool", "name": "search", "content": "3 results"},
    {"role": "assistant", "content": "Found 3.", "thinking": "count them"},
]

PARTS = [
    {
        "role": "user",
        "content": [
            {"type": "text", "text": "What is in this image?"},
            {"type": "image_url", "image_url": {"url": "https://example.com/x.png"}},
            {"type": "text", "text": "Be brief."},
        ],
    },
    {
        "role": "assistant",
        "content": [
            {"type": "thinking", "thinking": "look closely"},
            {"type": "tool_use", "id": "tu_1", "name": "zoom", "input": {"factor": 2}},
        ],
    },
    {
        "role": "user",
        "content": [{"type": "tool_result", "tool_use_id": "tu_1", "content": "zoomed"}],
    },
    {"role": "assistant", "content": [{"type": "text", "text": "A cat."}]},
]


def _review(make_review, data, **kwargs):
    kwargs.setdefault("questions", [nr.Rating("q")])
    return make_review(data, fields=[nr.Chat("messages")], **kwargs)


@pytest.mark.parametrize("chat", [OPENAI, HF, PARTS], ids=["openai", "hf", "parts"])
def test_every_shape_builds_from_pandas_and_from_arrow(make_review, chat):
    frame = pd.DataFrame({"messages": [chat, chat]})
    review = _review(make_review, frame)
    # sent as it is, without the null keys a struct column fills in for other messages' keys
    assert review.session.view()["record"]["fields"]["messages"] == without_nulls(chat)
    ds = datasets.Dataset.from_list([{"messages": chat}, {"messages": chat}])
    assert isinstance(ds.features["messages"], datasets.List)  # nested structs and lists
    review = _review(make_review, ds)
    assert review.session.view()["record"]["fields"]["messages"] == without_nulls(chat)


def test_arguments_as_dicts_become_structs_and_still_build(make_review):
    """HF arguments as dicts: Arrow makes a struct of every key any call used."""
    ds = datasets.Dataset.from_list([{"messages": HF}])
    function = ds.features["messages"].feature["tool_calls"].feature["function"]
    assert set(function["arguments"]) == {"q"}
    _review(make_review, ds)


def test_a_message_text_is_its_content_or_its_text_parts():
    assert message_text({"role": "user", "content": "hi"}) == "hi"
    assert message_text(PARTS[0]) == "What is in this image?\n\nBe brief."
    assert message_text(PARTS[1]) == ""  # thinking and a tool call: no text
    assert message_text(OPENAI[2]) == ""  # content null beside tool calls
    assert message_text(HF[1]) == ""  # no content at all
    assert message_text({"role": "x", "content": [{"type": "text", "text": None}]}) == ""
    # as Arrow gives it back: every key of the struct, None where absent
    arrow = datasets.Dataset.from_list([{"messages": PARTS}])[0]["messages"][0]
    assert message_text(arrow) == "What is in this image?\n\nBe brief."


def test_the_tool_of_each_turn():
    assert turn_tools(OPENAI) == ["(none)", "(none)", "get_weather", "get_weather", "(none)"]
    assert turn_tools(HF) == ["(none)", "search", "search", "(none)"]
    assert turn_tools(PARTS) == ["(none)", "zoom", "zoom", "(none)"]
    untold = [OPENAI[2], {"role": "tool", "content": "21"}]  # no id, no name: in order
    assert turn_tools(untold) == ["get_weather", "get_weather"]


NOT_CHATS = [
    pytest.param(
        [{"role": "user", "content": 3}],
        r"\(row 1\) message 0 has the content int 3, neither text nor a list of parts",
        id="number-content",
    ),
    pytest.param(
        [{"role": "user", "content": [{"text": "no type"}]}],
        r"\(row 1\) part 0 of message 0 is dict .*not a part such as",
        id="part-without-type",
    ),
    pytest.param(
        [{"role": "assistant", "content": None, "tool_calls": {"name": "x"}}],
        r"\(row 1\) message 0 has tool_calls dict .*not a list of calls",
        id="calls-not-a-list",
    ),
    pytest.param(
        [{"role": "assistant", "content": None, "tool_calls": [{"function": {}}]}],
        r"\(row 1\) tool call 0 of message 0 is dict .*without a tool name",
        id="call-without-name",
    ),
    pytest.param(
        [{"role": "user"}],
        r"\(row 1\) message 0 is dict \{'role': 'user'\}, not a \{'role', 'content'\} dict",
        id="no-content-at-all",
    ),
    pytest.param([{"from": "human", "value": "hi"}], r"\(row 1\) message 0 is dict", id="sharegpt"),
]


@pytest.mark.parametrize(("bad", "match"), NOT_CHATS)
def test_what_is_not_a_chat_is_refused_naming_row_and_problem(make_review, store_path, bad, match):
    frame = pd.DataFrame({"messages": [OPENAI, bad]})
    with pytest.raises(ValueError, match=match):
        _review(make_review, frame)
    assert not store_path.exists()


ARROW_NOT_CHATS = [
    pytest.param(
        {"messages": [[{"role": "user", "content": 3}]]},
        r"holds messages whose content is int64, neither text nor a list of parts",
        id="number-content",
    ),
    pytest.param(
        {"messages": [[{"role": "user", "content": [{"text": "x"}]}]]},
        r"whose content is list<.*>, neither text nor a list of parts",
        id="parts-without-type",
    ),
    pytest.param(
        {"messages": [[{"role": "assistant", "tool_calls": [{"id": "1"}]}]]},
        r"holds tool calls without a tool name",
        id="calls-without-name",
    ),
    pytest.param(
        {"messages": [[{"role": "assistant", "content": "x", "tool_calls": ["a"]}]]},
        r"holds tool_calls of list<.*string.*>, not lists of calls",
        id="calls-of-strings",
    ),
]


@pytest.mark.parametrize(("rows", "match"), ARROW_NOT_CHATS)
def test_arrow_columns_that_are_not_chats_are_refused(make_review, store_path, rows, match):
    ds = datasets.Dataset.from_dict(rows)
    with pytest.raises(ValueError, match=match):
        _review(make_review, ds)
    assert not store_path.exists()


def test_a_part_type_nobody_knows_is_kept_for_the_widget(make_review):
    """Unknown part types are shown as JSON by the widget, never run: not refused here."""
    odd = [{"role": "user", "content": [{"type": "hologram", "data": "<script>x</script>"}]}]
    review = _review(make_review, pd.DataFrame({"messages": [odd]}))
    assert review.session.view()["record"]["fields"]["messages"] == odd


def test_a_message_target_reads_the_text_of_parts(make_review):
    ds = datasets.Dataset.from_list([{"messages": PARTS}])
    review = make_review(
        ds,
        fields=[nr.Chat("messages")],
        questions=[nr.Edit("fixed", field="messages[-1]")],
    )
    record = review.session.view()["record"]
    assert record["fields"]["messages"][-1]["content"][0]["text"] == "A cat."
    review.submit(0, fixed="A small cat.")
    assert review.to_dataset()["fixed"] == ["A small cat."]
