"""A chat in any shape nbreview shows, rewritten in the form OpenAI's fine-tuning files take.

OpenAI documents, per message (API reference, "The per-line training example of a
fine-tuning input file for chat models"): system, developer and user messages `{"role",
"content", "name"}`, assistant messages `{"role", "content", "refusal", "name",
"tool_calls", "weight"}`, tool messages `{"role", "content", "tool_call_id"}`; a tool call is
`{"id", "type": "function", "function": {"name", "arguments"}}` with `arguments` a JSON string.

What changes on the way:

- the HF/TRL form (arguments as a dict, tool messages with `name` and no `tool_call_id`):
  arguments become JSON text, calls without an id get one (`call_<message>_<call>`), and a
  tool message is tied to the call it answers (by id, else the first open call of its
  tool's name, else the first open call);
- content as a list of parts: text parts become the content string (joined by a blank
  line, as nbreview counts a message's text), images stay as `image_url` parts in user
  messages, `tool_use` parts become `tool_calls`, `tool_result` parts become tool messages;
- reasoning (`reasoning_content`, `reasoning`, `thinking` fields, thinking/reasoning parts)
  and keys OpenAI does not document are dropped: the file trains on what was said;
- keys whose value is null are dropped (a `datasets` struct column holds every key any row
  used, null elsewhere; so do the dict arguments of calls to different tools).

A message or part that none of this covers is a `ValueError` naming the record and message.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from .._data.chat import TEXT_JOIN

KEYS = {
    "system": ("role", "content", "name"),
    "developer": ("role", "content", "name"),
    "user": ("role", "content", "name"),
    "assistant": ("role", "content", "refusal", "name", "tool_calls", "weight"),
    "tool": ("role", "content", "tool_call_id"),
}
DROPPED_PARTS = ("thinking", "reasoning", "redacted_thinking")


def clean(value: Any) -> Any:
    """The value without null-valued keys, at every depth (Arrow's struct filling)."""
    if isinstance(value, Mapping):
        return {k: clean(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    return value


def part_text(part: Any) -> str | None:
    """The text of a text part, else None."""
    if isinstance(part, Mapping) and part.get("type") == "text":
        text = part.get("text")
        return text if isinstance(text, str) else None
    return None


class Converter:
    """One chat's messages, converted in order; it keeps the calls not yet answered."""

    def __init__(self, where: str):
        self.where = where
        self.open: list[tuple[str, str]] = []  # (id, tool name) of calls without a result
        self.out: list[dict] = []

    def fail(self, i: int, problem: str) -> ValueError:
        return ValueError(f"{self.where}, message {i}: {problem}")

    def add(self, i: int, message: Any, weight: int | None = None) -> None:
        if not isinstance(message, Mapping):
            raise self.fail(i, f"{type(message).__name__} is not a message")
        message = clean(message)
        role = message.get("role")
        if role not in KEYS:
            raise self.fail(
                i, f"the role {role!r} has no place in OpenAI's format ({', '.join(KEYS)})"
            )
        if role == "tool":
            self._tool(i, message)
            return
        content, calls, results = self._content(i, role, message.get("content"))
        for result in results:
            self._tool(i, result)
        if role != "assistant":
            if content is not None or not results:
                self.out.append(self._keep(role, {**message, "content": content or ""}))
            return
        calls += [self._call(i, len(calls), c) for c in message.get("tool_calls") or []]
        reply = {**message, "content": content}
        reply.pop("tool_calls", None)
        if calls:
            reply["tool_calls"] = calls
        elif content is None:
            reply["content"] = ""
        if weight is not None:
            reply["weight"] = weight
        self.out.append(self._keep(role, reply))

    def _keep(self, role: str, message: dict) -> dict:
        return {k: message[k] for k in KEYS[role] if message.get(k) is not None}

    def _content(self, i: int, role: str, content: Any) -> tuple[Any, list[dict], list[dict]]:
        """(content in OpenAI's form, tool calls, tool results) of a message's content."""
        if content is None or isinstance(content, str):
            return content, [], []
        if isinstance(content, Mapping) or not isinstance(content, Sequence):
            raise self.fail(i, f"content is {type(content).__name__}, not text or a list of parts")
        texts: list[str] = []
        images: list[dict] = []
        calls: list[dict] = []
        results: list[dict] = []
        for part in content:
            kind = part.get("type") if isinstance(part, Mapping) else None
            if part_text(part) is not None:
                texts.append(part_text(part))
            elif kind in ("image_url", "image") and role == "user":
                images.append(self._image(i, part))
            elif kind == "tool_use" and role == "assistant":
                call = {"id": part.get("id"), "name": part.get("name"), "input": part.get("input")}
                calls.append(self._call(i, len(calls), call))
            elif kind == "tool_result" and role == "user":
                results.append(_result(part))
            elif kind not in DROPPED_PARTS:
                raise self.fail(i, f"a part of type {kind!r} has no OpenAI form in {role} messages")
        text = TEXT_JOIN.join(texts)
        if images:
            return ([{"type": "text", "text": text}] if texts else []) + images, calls, results
        return (text if texts else None), calls, results

    def _image(self, i: int, part: Mapping) -> dict:
        url = part.get("image_url")
        url = url.get("url") if isinstance(url, Mapping) else url
        url = url or part.get("url") or part.get("image")
        if not isinstance(url, str):
            raise self.fail(i, "an image part without a URL (OpenAI takes image_url parts)")
        return {"type": "image_url", "image_url": {"url": url}}

    def _call(self, i: int, k: int, call: Any) -> dict:
        if not isinstance(call, Mapping):
            raise self.fail(i, f"tool call {k} is {type(call).__name__}, not a dict")
        function = call.get("function") if isinstance(call.get("function"), Mapping) else call
        name = function.get("name")
        if not isinstance(name, str) or not name:
            raise self.fail(i, f"tool call {k} has no function name")
        arguments = function.get("arguments", function.get("input"))
        if not isinstance(arguments, str):
            arguments = json.dumps({} if arguments is None else arguments, ensure_ascii=False)
        call_id = call.get("id") or f"call_{i}_{k}"
        self.open.append((call_id, name))
        return {
            "id": call_id,
            "type": "function",
            "function": {"name": name, "arguments": arguments},
        }

    def _tool(self, i: int, message: Mapping) -> None:
        call_id = message.get("tool_call_id")
        name = message.get("name")
        if call_id is None:
            ids = [c for c, n in self.open if n == name] or [c for c, _ in self.open]
            if not ids:
                raise self.fail(i, "a tool result that answers no tool call before it")
            call_id = ids[0]
        self.open = [(c, n) for c, n in self.open if c != call_id]
        content = message.get("content")
        if isinstance(content, list):
            texts = [part_text(p) for p in content]
            content = (
                TEXT_JOIN.join(texts)
                if all(t is not None for t in texts)
                else json.dumps(content, ensure_ascii=False)
            )
        elif content is not None and not isinstance(content, str):
            content = json.dumps(content, ensure_ascii=False)
        self.out.append({"role": "tool", "content": content or "", "tool_call_id": call_id})


def _result(part: Mapping) -> dict:
    """A tool_result part (in a user message) as the tool message OpenAI expects."""
    return {"role": "tool", "tool_call_id": part.get("tool_use_id"), "content": part.get("content")}


def to_openai_messages(
    messages: Sequence[Any], where: str, weights: Sequence[int | None] | None = None
) -> list[dict]:
    """`messages` in OpenAI's form; `weights[i]` (0 or 1) goes on assistant message i."""
    if isinstance(messages, (str, Mapping)) or not isinstance(messages, Sequence):
        raise ValueError(f"{where}: {type(messages).__name__} is not a list of messages")
    chat = Converter(where)
    for i, message in enumerate(messages):
        chat.add(i, message, None if weights is None else weights[i])
    return chat.out
