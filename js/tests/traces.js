// Agent traces in every form a chat column may hold (API.md 11), for the rendering tests.

/** OpenAI: tool_calls with arguments as a JSON string; tool messages by tool_call_id. */
export const OPENAI = [
  { role: "system", content: "You can call tools." },
  { role: "user", content: "Weather in Paris and Rome?" },
  {
    role: "assistant",
    content: null,
    reasoning_content: "Two cities: call the tool twice.",
    tool_calls: [
      { id: "call_a", type: "function", function: { name: "get_weather", arguments: '{"city": "Paris", "unit": "C"}' } },
      { id: "call_b", type: "function", function: { name: "get_weather", arguments: { city: "Rome" } } },
    ],
  },
  // Results out of order: each still goes under its own call (by id).
  { role: "tool", tool_call_id: "call_b", content: '{"temp": 24, "sky": "clear"}' },
  { role: "tool", tool_call_id: "call_a", content: "18 C, rain" },
  { role: "assistant", content: "Paris: 18 C and rain. Rome: 24 C and clear." },
];

/** TRL / HF chat templates: arguments as dicts, tool messages with `name`, no ids. */
export const HF = [
  { role: "user", content: "2 + 3?" },
  { role: "assistant", tool_calls: [{ type: "function", function: { name: "add", arguments: { a: 2, b: 3 } } }] },
  { role: "tool", name: "add", content: "5" },
  { role: "assistant", content: "It is **5**.", thinking: "Simple sum." },
];

/** Content as a list of parts (Anthropic-style tool_use / tool_result, images, thinking). */
export const PARTS = [
  {
    role: "user",
    content: [
      { type: "text", text: "What is in this picture?" },
      { type: "image_url", image_url: { url: "https://example.org/cat.png" } },
    ],
  },
  {
    role: "assistant",
    content: [
      { type: "thinking", thinking: "I should look it up." },
      { type: "text", text: "Let me check." },
      { type: "tool_use", id: "tu_1", name: "vision", input: { image: 0 } },
    ],
  },
  { role: "user", content: [{ type: "tool_result", tool_use_id: "tu_1", content: "a cat on a mat" }] },
  { role: "assistant", content: [{ type: "text", text: "A cat." }, { type: "hologram", beam: "<b>x</b>" }] },
];

/** A tool result of `n` lines. */
export const longResult = (n) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join("\n");
