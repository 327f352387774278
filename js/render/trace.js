// What a chat message holds, whatever form it comes in (API.md 11): its text, its reasoning,
// the tools it calls and the tool result it is. Pure: no DOM.
//
// Forms read: OpenAI (assistant `tool_calls` of {id, type: "function", function: {name,
// arguments}}, arguments a JSON string or a dict; `role: tool` messages with `tool_call_id`),
// TRL / HF chat templates (arguments as dicts, tool messages with `name`), legacy
// `function_call`, and `content` as a list of parts: {type: "text"}, {type: "image_url" |
// "image"}, {type: "tool_use", id, name, input}, {type: "tool_result", tool_use_id, content},
// {type: "thinking" | "reasoning"}; and `reasoning_content` / `reasoning` / `thinking` beside
// `content`.

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

/** Fields that hold reasoning beside `content`, in the order they are shown. */
export const REASONING_FIELDS = ["reasoning_content", "reasoning", "thinking"];

/** Keys of a message the chat draws itself; any other key is shown under it as data. */
export const DRAWN_KEYS = new Set(["role", "content", "name", "tool_calls", "tool_call_id", "function_call", ...REASONING_FIELDS]);

/** Whether `m` is a chat message: a dict with a role and something said (content, tool calls, reasoning). */
export function isMessage(m) {
  if (!isObject(m) || !("role" in m)) return false;
  return "content" in m || "tool_calls" in m || "function_call" in m || REASONING_FIELDS.some((k) => k in m);
}

/** A chat: a list of messages (an empty list is an empty chat). */
export const isChat = (value) => Array.isArray(value) && value.every(isMessage);

const partType = (part) => (isObject(part) && typeof part.type === "string" ? part.type : null);

/**
 * A message's text (contract A): its content when a string, else its text parts joined by a
 * blank line, else "". What spans and per-turn questions count offsets in.
 */
export function messageText(content) {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .filter((p) => partType(p) === "text" && typeof p.text === "string")
    .map((p) => p.text)
    .join("\n\n");
}

/** A value shown as text: strings as they are, anything else as indented JSON. */
export function asText(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The text of a reasoning value: a string, a part ({thinking|reasoning|text|summary}), or JSON. */
function reasoningText(value) {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(reasoningText).join("\n\n");
  if (isObject(value)) {
    for (const k of ["thinking", "reasoning", "text", "content", "summary"]) {
      if (k in value && value[k] !== null && value[k] !== undefined) return reasoningText(value[k]);
    }
  }
  return asText(value);
}

/** The message's reasoning: [{source, text}] from the reasoning fields and thinking parts. */
export function reasoningOf(m) {
  const out = [];
  for (const k of REASONING_FIELDS) {
    const v = m[k];
    if (v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0)) continue;
    out.push({ source: k, text: reasoningText(v) });
  }
  for (const part of Array.isArray(m.content) ? m.content : []) {
    const t = partType(part);
    if (t === "thinking" || t === "reasoning" || t === "redacted_thinking") {
      out.push({ source: t, text: t === "redacted_thinking" ? "(redacted)" : reasoningText(part) });
    }
  }
  return out;
}

/** A call's arguments as shown: {value} when JSON (a dict, or a string that parses), else {text}. */
export function argumentsOf(args) {
  if (typeof args === "string") {
    try {
      return { value: JSON.parse(args), text: args };
    } catch {
      return { value: undefined, text: args };
    }
  }
  return { value: args ?? {}, text: asText(args ?? {}) };
}

/** The tools a message calls: [{id, name, args}] from tool_calls, function_call and tool_use parts. */
export function toolCallsOf(m) {
  const calls = [];
  for (const c of Array.isArray(m.tool_calls) ? m.tool_calls : []) {
    const fn = isObject(c?.function) ? c.function : isObject(c) ? c : {};
    calls.push({ id: c?.id ?? null, name: fn.name ?? null, args: fn.arguments ?? fn.parameters ?? {} });
  }
  if (isObject(m.function_call)) {
    calls.push({ id: null, name: m.function_call.name ?? null, args: m.function_call.arguments ?? {} });
  }
  for (const part of Array.isArray(m.content) ? m.content : []) {
    if (partType(part) === "tool_use") calls.push({ id: part.id ?? null, name: part.name ?? null, args: part.input ?? {} });
  }
  return calls.map((c) => ({ ...c, id: c.id === null ? null : String(c.id), name: c.name === null ? null : String(c.name) }));
}

const IMAGE_TYPES = new Set(["image_url", "image", "input_image"]);

/** Where an image part points (a URL or data URL), or "". */
export function imageSource(part) {
  const v = part.image_url ?? part.image ?? part.url ?? part.source;
  if (typeof v === "string") return v;
  if (isObject(v)) {
    if (typeof v.url === "string") return v.url;
    if (v.type === "base64" && typeof v.data === "string") return `data:${v.media_type ?? "image/png"};base64,${v.data}`;
  }
  return "";
}

/**
 * The parts a message shows besides its text, reasoning and tool calls, in order:
 * {kind: "image", src} | {kind: "result", id, content} | {kind: "unknown", part}.
 */
export function otherParts(m) {
  if (!Array.isArray(m.content)) return [];
  const out = [];
  for (const part of m.content) {
    const t = partType(part);
    if (t === "text" && typeof part.text === "string") continue;
    if (t === "tool_use" || t === "thinking" || t === "reasoning" || t === "redacted_thinking") continue;
    if (IMAGE_TYPES.has(t)) out.push({ kind: "image", src: imageSource(part) });
    else if (t === "tool_result") {
      const id = part.tool_use_id ?? null;
      out.push({ kind: "result", id: id === null ? null : String(id), content: part.content, error: Boolean(part.is_error) });
    } else out.push({ kind: "unknown", part });
  }
  return out;
}

/** The text of a tool result's content (a string, or parts whose text is joined). */
export function resultText(content) {
  if (typeof content === "string") return content;
  if (Array.isArray(content) && content.every((p) => partType(p) === "text")) return messageText(content);
  return asText(content);
}

/** A tool message's link to its call: {id, name} (either may be null). */
export function resultOf(m) {
  return {
    id: m.tool_call_id === null || m.tool_call_id === undefined ? null : String(m.tool_call_id),
    name: typeof m.name === "string" ? m.name : null,
  };
}
