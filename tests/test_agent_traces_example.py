"""examples/agent_traces.ipynb runs top to bottom in a fresh kernel: agent traces and steps
reviewed turn by turn, then exported for TRL and OpenAI (API.md 11)."""

from __future__ import annotations

import json

import datasets
import nbformat
import pytest
from nbclient import NotebookClient

from shipped import copy_shipped


@pytest.mark.timeout(240)
def test_agent_traces_notebook_runs_and_exports(tmp_path):
    folder = copy_shipped("examples", tmp_path / "examples")
    nb = nbformat.read(folder / "agent_traces.ipynb", as_version=4)
    NotebookClient(
        nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": folder}}
    ).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "Progress(total=6, submitted=6, skipped=0, remaining=0)" in text
    assert "List(ClassLabel(names=['good', 'bad']))" in text  # one entry per message
    assert "[True, False, False]" in text  # the dice solution's wrong steps, stepwise
    lines = (folder / "agent_traces_sft.jsonl").read_text(encoding="utf-8").splitlines()
    chats = [json.loads(line)["messages"] for line in lines]
    assert len(chats) == 6  # every trace has a good assistant turn
    weights = [m["weight"] for chat in chats for m in chat if m["role"] == "assistant"]
    assert sorted(set(weights)) == [0, 1]
    calls = [c for chat in chats for m in chat for c in m.get("tool_calls", [])]
    assert all(isinstance(c["function"]["arguments"], str) for c in calls)  # OpenAI's form
    assert any("متشكّر" in m["content"] for m in chats[-1] if m["role"] == "assistant")
    loaded = datasets.load_dataset(
        "json", data_files=str(folder / "agent_traces_sft.jsonl"), split="train"
    )
    assert len(loaded) == 6
    assert (folder / "agent_traces.sqlite").exists()
