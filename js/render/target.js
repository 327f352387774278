// The text a Spans or Edit question works on, named as in Python (src/nbreview/fields.py,
// `Target`): "response" is a column; "messages[-1]" the content of the last message of the
// chat in column "messages" ("messages[0]" the first, and so on). A message's text is its
// content when a string, else its text parts joined by a blank line (API.md 11).
import { isChat, messageText } from "./trace.js";

const MESSAGE = /^(.+)\[(-?\d+)\]$/;

/** {column, message}: message is null for a whole column. */
export function parseTarget(target) {
  const text = String(target ?? "");
  const m = MESSAGE.exec(text);
  return m ? { column: m[1], message: Number(m[2]) } : { column: text, message: null };
}

/** The position of message `index` (negative counts from the end) in a chat of `length`, or null. */
export function messagePosition(index, length) {
  const i = index < 0 ? length + index : index;
  return Number.isInteger(i) && i >= 0 && i < length ? i : null;
}

/**
 * The target's text in a record's fields: a string, or null when the record does not have
 * it (no such message, or a message whose content is not text).
 */
export function targetText(fields, target) {
  const { column, message } = parseTarget(target);
  const value = fields?.[column];
  if (message === null) {
    if (value === null || value === undefined) return "";
    if (typeof value === "object") return null; // a chat or a list: not one text
    return typeof value === "string" ? value : String(value);
  }
  if (!isChat(value)) return null;
  const i = messagePosition(message, value.length);
  if (i === null) return null;
  return messageText(value[i].content); // a string, or its text parts (contract A)
}
