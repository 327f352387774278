"""to_openai (API.md 11): OpenAI fine-tuning JSONL, every line checked against the fields
OpenAI documents, and read back by `datasets.load_dataset("json", ...)`."""

from __future__ import annotations

import json

import datasets
import pandas as pd
import pytest

import nbreview as nr

# The fields OpenAI documents for a line of a fine-tuning file, from:
# - API reference, fine-tuning "Training format for chat models" (the supervised method's
#   per-line example, FineTuneChatRequestInput): messages, tools, parallel_tool_calls,
#   functions (deprecated); per message role the keys below; a tool call is
#   {"id", "type": "function", "function": {"name", "arguments": <JSON string>}};
#   an assistant message's `weight` is 0 or 1;
# - Guides, "Supervised fine-tuning" (multi-turn chat examples: `weight` 0 or 1 per assistant
#   message) and "Direct preference optimization" (each line: input {messages, tools,
#   parallel_tool_calls}, preferred_output, non_preferred_output, lists of assistant messages).
SFT_LINE = {"messages", "tools", "parallel_tool_calls", "functions"}
DPO_LINE = {"input", "preferred_output", "non_preferred_output"}
DPO_INPUT = {"messages", "tools", "parallel_tool_calls"}
MESSAGE_KEYS = {
    "system": {"role", "content", "name"},
    "developer": {"role", "content", "name"},
    "user": {"role", "content", "name"},
    "assistant": {
        "role",
        "content",
        "refusal",
        "name",
        "audio",
        "tool_calls",
        "function_call",
        "weight",
    },
    "tool": {"role", "content", "tool_call_id"},
}
TOOL_CALL = {"id", "type", "function"}
FUNCTION = {"name", "arguments"}
CONTENT_PARTS = {"text": {"type", "text"}, "image_url": {"type", "image_url"}}


def check_messages(messages: list[dict]) -> None:
    """Every message, call and part in the form OpenAI documents; results answer calls."""
    called: set[str] = set()
    for m in messages:
        assert m["role"] in MESSAGE_KEYS, m
        assert set(m) <= MESSAGE_KEYS[m["role"]], m
        content = m.get("content")
        if isinstance(content, list):
            for part in content:
                assert set(part) == CONTENT_PARTS[part["type"]], part
        else:
            assert content is None or isinstance(content, str)
        if "weight" in m:
            assert m["role"] == "assistant"
            assert m["weight"] in (0, 1)
        for call in m.get("tool_calls", []):
            assert set(call) == TOOL_CALL
            assert call["type"] == "function"
            assert set(call["function"]) == FUNCTION
            assert isinstance(json.loads(call["function"]["arguments"]), dict)
            called.add(call["id"])
        if m["role"] == "tool":
            assert m["tool_call_id"] in called  # a result answers a call made before it
        else:
            assert content is not None or m.get("tool_calls"), m


def read_lines(path) -> list[dict]:
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def load_back(path) -> list[dict]:
    return datasets.load_dataset("json", data_files=str(path), split="train").to_list()


# -- agent traces in every shape ------------------------------------------------------------

HF_TRACE = [  # the form TRL and HF chat templates use: arguments a dict, tool message `name`
    {"role": "system", "content": "You can look up the weather."},
    {"role": "user", "content": "Weather in Paris?"},
    {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "type": "function",
                "function": {"name": "get_weather", "arguments": {"city": "Paris"}},
            }
        ],
    },
    {"role": "tool", "name": "get_weather", "content": "18 C, sunny"},
    {"role": "assistant", "content": "18 C and sunny.", "reasoning_content": "Read it off."},
]
OPENAI_TRACE = [  # OpenAI's own form: ids, arguments as JSON text, a failed tool
    {"role": "user", "content": "Convert 100 USD to EUR."},
    {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": "call_fx",
                "type": "function",
                "function": {"name": "convert", "arguments": '{"amount": 100, "to": "EUR"}'},
            }
        ],
    },
    {"role": "tool", "tool_call_id": "call_fx", "content": "Error: rate service unavailable"},
    {"role": "assistant", "content": "The rate service is down; try again later."},
]
PARTS_TRACE = [  # content as parts: tool_use / tool_result, thinking, text parts
    {"role": "user", "content": [{"type": "text", "text": "كم عدد سكان القاهرة؟"}]},
    {
        "role": "assistant",
        "content": [
            {"type": "thinking", "thinking": "I should search."},
            {"type": "tool_use", "id": "toolu_1", "name": "search", "input": {"q": "Cairo"}},
        ],
    },
    {
        "role": "user",
        "content": [
            {
                "type": "tool_result",
                "tool_use_id": "toolu_1",
                "content": [{"type": "text", "text": "about 10 million"}],
            }
        ],
    },
    {
        "role": "assistant",
        "content": [{"type": "text", "text": "نحو عشرة ملايين"}, {"type": "text", "text": "."}],
    },
]


def traces() -> pd.DataFrame:
    return pd.DataFrame(
        {"id": ["hf", "openai", "parts"], "messages": [HF_TRACE, OPENAI_TRACE, PARTS_TRACE]}
    )


def trace_review(make_review, **kwargs):
    question = nr.Label("step", ["good", "bad"], turns="messages", required=False)
    return make_review(
        traces(), fields=[nr.Chat("messages")], questions=[question], id="id", **kwargs
    )


def test_sft_weights_each_assistant_message_in_openai_form(make_review, tmp_path):
    review = trace_review(make_review)
    review.submit(0, step=[None, None, "good", None, "bad"])
    review.submit(1, step=[None, "bad", None, "bad"])  # nothing good: nothing to learn
    review.submit(2, step=[None, "good", None, "good"])
    path = review.to_openai("sft", tmp_path / "train.jsonl", weights="step", good=["good"])
    assert path == tmp_path / "train.jsonl"
    lines = read_lines(path)
    assert len(lines) == 2
    for line in lines:
        assert set(line) <= SFT_LINE
        check_messages(line["messages"])
    hf, parts = lines[0]["messages"], lines[1]["messages"]
    assert [m.get("weight") for m in hf] == [None, None, 1, None, 0]
    call = hf[2]["tool_calls"][0]
    assert json.loads(call["function"]["arguments"]) == {"city": "Paris"}
    assert hf[3] == {"role": "tool", "content": "18 C, sunny", "tool_call_id": call["id"]}
    assert hf[4] == {"role": "assistant", "content": "18 C and sunny.", "weight": 0}  # no reasoning
    assert [m["role"] for m in parts] == ["user", "assistant", "tool", "assistant"]
    assert parts[0]["content"] == "كم عدد سكان القاهرة؟"  # text parts: one string, as written
    assert parts[1]["tool_calls"][0]["id"] == "toolu_1"
    assert json.loads(parts[1]["tool_calls"][0]["function"]["arguments"]) == {"q": "Cairo"}
    assert parts[2] == {"role": "tool", "content": "about 10 million", "tool_call_id": "toolu_1"}
    assert parts[3] == {"role": "assistant", "content": "نحو عشرة ملايين\n\n.", "weight": 1}
    assert "القاهرة" in path.read_text(encoding="utf-8")  # UTF-8, not \\u escapes
    assert load_back(path) == lines  # datasets reads every line back as written


def test_sft_without_weights_is_every_submitted_chat(make_review, tmp_path):
    review = trace_review(make_review)
    review.submit(1, step=[None, "bad", None, "good"])
    out = review.to_openai("sft")
    assert isinstance(out, datasets.Dataset)
    assert out.column_names == ["messages"]
    (line,) = out.to_list()
    check_messages(line["messages"])
    assert line["messages"][1]["tool_calls"][0] == OPENAI_TRACE[1]["tool_calls"][0]  # kept
    assert line["messages"][2] == OPENAI_TRACE[2]
    assert "weight" not in json.dumps(line)
    review.to_openai("sft", tmp_path / "all.jsonl")
    assert read_lines(tmp_path / "all.jsonl") == out.to_list()


def test_sft_from_a_dataset_of_struct_messages_with_tools(make_review, tmp_path):
    """A datasets struct column fills every key any message used with null: none of it leaks."""
    weather = {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Weather in a city",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
        },
    }
    data = datasets.Dataset.from_list([{"messages": HF_TRACE, "tools": [weather]}])
    assert "tool_calls" in data.features["messages"].feature  # a struct of every key
    review = make_review(
        data,
        fields=[nr.Chat("messages")],
        questions=[nr.Label("step", ["good", "bad"], turns="messages")],
    )
    review.submit(0, step=[None, None, "good", None, "good"])
    (line,) = read_lines(review.to_openai("sft", tmp_path / "t.jsonl", weights="step"))
    assert set(line) == {"messages", "tools"}
    assert line["tools"][0]["function"]["name"] == "get_weather"
    check_messages(line["messages"])
    assert line["messages"][1] == {"role": "user", "content": "Weather in Paris?"}
    assert [m.get("weight") for m in line["messages"]] == [None, None, 1, None, 1]
    assert load_back(tmp_path / "t.jsonl") == [line]


def test_sft_errors_say_what_to_pass(make_review, tmp_path):
    review = trace_review(make_review)
    whole = make_review(
        traces(),
        fields=[nr.Chat("messages")],
        questions=[nr.Label("ok", ["good", "bad"])],
        id="id",
        name="whole",
    )
    with pytest.raises(ValueError, match=r"weights='ok' is asked once per record; pass a Label"):
        whole.to_openai("sft", weights="ok")
    tools = make_review(
        traces(),
        fields=[nr.Chat("messages")],
        questions=[nr.Label("t", ["good", "bad"], turns="messages", roles=["tool"])],
        id="id",
        name="tools",
    )
    with pytest.raises(ValueError, match=r"asked about \['tool'\] messages, not the assistant"):
        tools.to_openai("sft", weights="t")
    with pytest.raises(ValueError, match=r"good= goes with weights="):
        review.to_openai("sft", good=["good"])
    with pytest.raises(ValueError, match=r"none of the labels .* pass good="):
        make_review(
            traces(),
            fields=[nr.Chat("messages")],
            questions=[nr.Label("v", ["fine", "off"], turns="messages")],
            id="id",
            name="odd",
        ).to_openai("sft", weights="v")
    with pytest.raises(ValueError, match=r"to_openai\('sft'\) takes no question"):
        review.to_openai("sft", question="step")
    with pytest.raises(ValueError, match=r"makes 'sft', 'dpo' files, got 'rft'"):
        review.to_openai("rft")
    with pytest.raises(ValueError, match=r"chat='nope' is not a column"):
        review.to_openai("sft", chat="nope")
    assert not (tmp_path / "never.jsonl").exists()


def test_a_message_openai_has_no_form_for_is_named(make_review, tmp_path):
    odd = [
        {"role": "user", "content": "hi"},
        {"role": "assistant", "content": [{"type": "audio_clip", "data": "…"}]},
    ]
    data = pd.DataFrame(
        {"id": ["o"], "messages": [odd], "other": [[{"role": "narrator", "content": "x"}]]}
    )
    review = make_review(
        data, fields=[nr.Chat("messages")], questions=[nr.FreeText("note")], id="id"
    )
    review.submit(0, note="odd")
    with pytest.raises(
        ValueError, match=r"row 0 of 'messages', message 1: a part of type 'audio_clip' has no"
    ):
        review.to_openai("sft", tmp_path / "x.jsonl")
    with pytest.raises(ValueError, match=r"message 0: the role 'narrator' has no place"):
        review.to_openai("sft", chat="other")


# -- dpo ------------------------------------------------------------------------------------------

PAIRS = {
    "id": ["a", "b", "c"],
    "prompt": ["Capital of France?", "2 + 2?", "Say hi."],
    "first": ["Paris", "5", "Hello!"],
    "second": ["Lyon", "4", "Hi."],
    "third": ["Marseille", "four", "Hey"],
}


def test_dpo_from_a_preference_in_openai_form(make_review, tmp_path):
    review = make_review(
        datasets.Dataset.from_dict(PAIRS),
        fields=["prompt"],
        questions=[nr.Preference("better", fields=("first", "second"))],
        id="id",
    )
    review.submit(0, better="first")
    review.submit(1, better="second")
    review.submit(2, better="tie")  # says nothing about which is better: left out
    path = review.to_openai("dpo", tmp_path / "prefs.jsonl", question="better", prompt="prompt")
    lines = read_lines(path)
    assert lines == [
        {
            "input": {"messages": [{"role": "user", "content": "Capital of France?"}]},
            "preferred_output": [{"role": "assistant", "content": "Paris"}],
            "non_preferred_output": [{"role": "assistant", "content": "Lyon"}],
        },
        {
            "input": {"messages": [{"role": "user", "content": "2 + 2?"}]},
            "preferred_output": [{"role": "assistant", "content": "4"}],
            "non_preferred_output": [{"role": "assistant", "content": "5"}],
        },
    ]
    for line in lines:
        assert set(line) == DPO_LINE
        assert set(line["input"]) <= DPO_INPUT
        for key in ("preferred_output", "non_preferred_output"):
            check_messages(line[key])
            assert [m["role"] for m in line[key]] == ["assistant"]
    assert load_back(path) == lines
    assert review.to_openai("dpo").to_list() == lines  # prompt= and question= found alone


def test_dpo_from_a_ranking_is_its_best_against_its_worst(make_review):
    review = make_review(
        datasets.Dataset.from_dict(PAIRS),
        fields=["prompt"],
        questions=[nr.Ranking("order", fields=["first", "second", "third"])],
        id="id",
    )
    review.submit(1, order=["second", "third", "first"])
    (line,) = review.to_openai("dpo").to_list()
    assert line["preferred_output"] == [{"role": "assistant", "content": "4"}]
    assert line["non_preferred_output"] == [{"role": "assistant", "content": "5"}]


def test_dpo_over_a_chat_prompt_keeps_its_messages(make_review, tmp_path):
    data = pd.DataFrame(
        {
            "conversation": [HF_TRACE[:4]],
            "good": ["18 C and sunny."],
            "bad": ["I cannot know the weather."],
        }
    )
    review = make_review(
        data,
        fields=[nr.Chat("conversation")],
        questions=[nr.Preference("p", ("good", "bad"))],
    )
    review.submit(0, p="good")
    (line,) = read_lines(review.to_openai("dpo", tmp_path / "c.jsonl", prompt="conversation"))
    check_messages(line["input"]["messages"])
    assert [m["role"] for m in line["input"]["messages"]] == ["system", "user", "assistant", "tool"]
    assert line["preferred_output"] == [{"role": "assistant", "content": "18 C and sunny."}]


def test_dpo_errors_say_what_to_pass(make_review):
    review = make_review(
        datasets.Dataset.from_dict(PAIRS), fields=["prompt"], questions=[nr.Rating("q")], id="id"
    )
    with pytest.raises(ValueError, match=r"from a Preference or Ranking question: the review has"):
        review.to_openai("dpo")
    with pytest.raises(ValueError, match=r"to_openai\('dpo'\) takes no weights, good"):
        review.to_openai("dpo", weights="x", good="y")
    both = make_review(
        datasets.Dataset.from_dict(PAIRS),
        fields=["first"],
        questions=[nr.Preference("better", fields=("first", "second"))],
        id="id",
        name="np",
    )
    with pytest.raises(ValueError, match=r"prompt='nope' is not a column"):
        both.to_openai("dpo", prompt="nope")
    with pytest.raises(ValueError, match=r"tools='nope' is not a column"):
        both.to_openai("dpo", tools="nope")


def test_weights_that_no_longer_line_up_are_refused(make_review, tmp_path):
    review = trace_review(make_review)
    review.submit(0, step=[None, None, "good", None, "bad"])
    changed = traces()
    changed.at[0, "messages"] = HF_TRACE[:3]  # the trace was cut after it was reviewed
    again = trace_review(lambda data, **kw: make_review(changed, **kw))
    with pytest.raises(ValueError, match=r"row 0: the answer to 'step' has 5 entries, but the"):
        again.to_openai("sft", tmp_path / "w.jsonl", weights="step")
    assert not (tmp_path / "w.jsonl").exists()  # nothing written


def test_message_shapes_rewritten_one_by_one():
    from nbreview._export.openai_chat import to_openai_messages

    chat = [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "What is on this sign?"},
                {"type": "image", "url": "https://example.com/sign.png"},
            ],
        },
        {"role": "assistant", "tool_calls": [{"name": "ocr", "arguments": {"lang": "de"}}]},
        {"role": "tool", "content": [{"type": "text", "text": "Ausfahrt"}]},
        {"role": "assistant", "content": "It says 'exit'.", "thinking": "German.", "extra": 1},
    ]
    out = to_openai_messages(chat, "here")
    check_messages(out)
    assert out[0]["content"] == [
        {"type": "text", "text": "What is on this sign?"},
        {"type": "image_url", "image_url": {"url": "https://example.com/sign.png"}},
    ]
    assert out[1]["tool_calls"] == [
        {
            "id": "call_1_0",
            "type": "function",
            "function": {"name": "ocr", "arguments": '{"lang": "de"}'},
        }
    ]
    assert out[2] == {"role": "tool", "content": "Ausfahrt", "tool_call_id": "call_1_0"}
    assert out[3] == {"role": "assistant", "content": "It says 'exit'."}
    with pytest.raises(
        ValueError, match=r"here, message 0: a tool result that answers no tool call"
    ):
        to_openai_messages([{"role": "tool", "content": "orphan"}], "here")
    with pytest.raises(
        ValueError, match=r"message 1: a part of type 'image' has no OpenAI form in assistant"
    ):
        to_openai_messages(
            [chat[0], {"role": "assistant", "content": [chat[0]["content"][1]]}], "x"
        )
    with pytest.raises(ValueError, match=r"tool call 0 has no function name"):
        to_openai_messages([{"role": "assistant", "tool_calls": [{"arguments": "{}"}]}], "x")
