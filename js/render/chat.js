// A chat (a list of {role, content} messages) drawn as a conversation, each message's
// content rendered as markdown. Roles are styled apart: system, user, assistant, tool.
import { h } from "../dom.js";

const ROLE_KINDS = {
  system: "system",
  developer: "system",
  user: "user",
  human: "user",
  assistant: "assistant",
  model: "assistant",
  gpt: "assistant",
  bot: "assistant",
  tool: "tool",
  function: "tool",
  ipython: "tool",
  observation: "tool",
};

/** system | user | assistant | tool | other: what a role is drawn as. */
export const roleKind = (role) => ROLE_KINDS[String(role ?? "").toLowerCase()] ?? "other";

export const isMessage = (m) =>
  m !== null && typeof m === "object" && !Array.isArray(m) && "role" in m && "content" in m;

/** A chat: a list of {role, content} messages (an empty list is an empty chat). */
export const isChat = (value) => Array.isArray(value) && value.every(isMessage);

/** A message's content as text: a string as it is; a list of parts, their text. */
export function messageText(content) {
  if (content === null || content === undefined) return "";
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => {
        if (typeof part === "string") return part;
        if (part && typeof part === "object") {
          if (typeof part.text === "string") return part.text;
          if (typeof part.type === "string") return `[${part.type}]`;
        }
        return JSON.stringify(part);
      })
      .join("\n\n");
  }
  return typeof content === "object" ? JSON.stringify(content, null, 2) : String(content);
}

// Keys shown under a message besides role and content (tool calls, a tool's name …).
const EXTRA_SKIP = new Set(["role", "content"]);

/**
 * One .nbr-message per message, in .nbr-chat. Each message is a markdown unit (see fields.js:
 * `.nbr-raw-text` holds the content as text, `.nbr-rendered` receives the markdown when shown).
 * `unit(text)` makes those two parts; the caller owns rendering.
 */
export function buildChat(messages, unit) {
  return h(
    "div",
    { class: "nbr-chat", role: "list" },
    messages.map((m, i) => {
      const role = m.role === null || m.role === undefined ? "" : String(m.role);
      const extras = Object.entries(m).filter(
        ([k, v]) => !EXTRA_SKIP.has(k) && v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0),
      );
      const name = extras.find(([k, v]) => k === "name" && typeof v === "string");
      const rest = extras.filter((e) => e !== name);
      const el = h(
        "div",
        {
          class: "nbr-message nbr-md-unit",
          role: "listitem",
          dataset: {
            role,
            roleKind: roleKind(role),
            index: String(i),
            content: typeof m.content === "string" || m.content == null ? "text" : "parts",
          },
        },
        h(
          "div",
          { class: "nbr-message-header" },
          h("span", { class: "nbr-message-role" }, role || "(no role)"),
          name ? h("span", { class: "nbr-message-name", dir: "auto" }, name[1]) : null,
          h("span", { class: "nbr-message-index" }, `#${i}`),
        ),
        ...unit(messageText(m.content), "nbr-message-text"),
        rest.length
          ? h("pre", { class: "nbr-message-extra" }, JSON.stringify(Object.fromEntries(rest), null, 2))
          : null,
      );
      return el;
    }),
  );
}
