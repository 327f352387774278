// The record's fields: text as text, markdown rendered, chats as conversations.
import { buildFields } from "./render/record.js";

const isMessage = (m) => m && typeof m === "object" && "role" in m && "content" in m;

/** A field value as display text (what a text field shows). */
export function fieldText(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.length > 0 && value.every(isMessage)) {
    return value.map((m) => `${m.role}:\n${fieldText(m.content)}`).join("\n\n");
  }
  if (typeof value === "object") return JSON.stringify(value, null, 2);
  return String(value);
}

/** Replace the container's children with one .nbr-field per configured field (js/render/record.js). */
export function renderFields(container, fields = [], values = {}) {
  buildFields(container, fields, values, fieldText);
}
