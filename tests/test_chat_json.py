"""Agent traces as `load_dataset("json")` reads them: messages whose keys differ become
`List(Json)` in datasets 5, which a review must open, show, answer and export like any chat."""

from __future__ import annotations

import json

import datasets
import pytest

import nbreview as nr

TRACES = [
    {
        "id": "t1",
        "messages": [
            {"role": "user", "content": "Weather in Oslo?"},
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "c1",
                        "type": "function",
                        "function": {"name": "weather", "arguments": '{"city": "Oslo"}'},
                    }
                ],
            },
            {"role": "tool", "tool_call_id": "c1", "content": "4°C, rain"},
            {"role": "assistant", "content": "It is 4°C and raining."},
        ],
    },
    {
        "id": "t2",
        "messages": [
            {"role": "user", "content": [{"type": "text", "text": "Hi 👋"}]},
            {"role": "assistant", "content": "Hello!", "reasoning_content": "Greet back."},
        ],
    },
]


@pytest.fixture
def traces(tmp_path) -> datasets.Dataset:
    path = tmp_path / "traces.jsonl"
    path.write_text("\n".join(json.dumps(t, ensure_ascii=False) for t in TRACES))
    ds = datasets.load_dataset(
        "json", data_files=str(path), split="train", cache_dir=str(tmp_path / "cache")
    )
    assert isinstance(ds.features["messages"].feature, datasets.Json)  # what this test is about
    return ds


def review(ds, tmp_path) -> nr.Review:
    return nr.Review(
        ds,
        fields=[nr.Chat("messages")],
        questions=[
            nr.Label("step", ["good", "bad"], turns="messages"),
            nr.Spans("errors", field="messages", labels=["wrong"]),
        ],
        id="id",
        store=tmp_path / "s.sqlite",
        annotator="ana",
    )


def test_a_json_chat_column_opens_and_shows_its_messages(traces, tmp_path):
    r = review(traces, tmp_path)
    record = r.widget.record
    messages = record["fields"]["messages"]
    assert messages[1]["tool_calls"][0]["function"]["name"] == "weather"  # decoded, not text
    assert record["layout"]["step"]["turns"] == {"count": 4, "asked": [1, 3]}


def test_a_json_chat_column_is_answered_and_exported(traces, tmp_path):
    r = review(traces, tmp_path)
    span = {"message": 2, "start": 0, "end": 3, "label": "wrong", "text": "4°C"}
    r.submit(0, step=[None, "good", None, "bad"], errors=[span])
    r.submit(1, step=[None, "good"], errors=[])
    out = r.to_dataset()
    assert out.features["step"] == datasets.List(datasets.ClassLabel(names=["good", "bad"]))
    assert out[0]["step"] == [None, 0, None, 1]
    assert out[0]["errors"] == [span]
    sft = r.to_openai("sft", weights="step", good=["good"])
    weights = [m.get("weight") for m in sft[0]["messages"] if m["role"] == "assistant"]
    assert weights == [1, 0]
    kto = r.to_trl("kto", question="step", good=["good"], turns=True)
    assert sorted(kto["label"]) == [False, True, True]


def test_a_json_column_that_is_not_a_chat_is_refused_by_row(tmp_path):
    path = tmp_path / "bad.jsonl"
    rows = [{"messages": [{"role": "user", "content": "a"}]}, {"messages": [{"text": 1}, 2]}]
    path.write_text("\n".join(json.dumps(r) for r in rows))
    ds = datasets.load_dataset(
        "json", data_files=str(path), split="train", cache_dir=str(tmp_path / "cache")
    )
    with pytest.raises(ValueError, match=r"'messages' \(row 1\) message 0"):
        nr.Review(ds, [nr.Chat("messages")], [nr.Rating("q")], store=tmp_path / "s.sqlite")
