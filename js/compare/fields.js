// The fields a comparison question (preference, ranking) draws inside itself, side by side or
// in order. Each is drawn as the field list would draw it (text, markdown or chat: the
// field's kind when it is shown, else chat for a list of messages, else text), and the
// field's own section in the list is hidden while the question shows it, so no text appears
// twice. Column names are not shown: a name like "gpt-4" or "chosen" would bias the choice.
import { isChat } from "../render/chat.js";
import { buildField } from "../render/record.js";

/** The field list's section of a column, or null when the column is not shown. */
function listedSection(from, column) {
  const list = from.closest(".nbr-root")?.querySelector(":scope .nbr-fields");
  if (!list) return null;
  return [...list.children].find((f) => f.classList.contains("nbr-field") && f.dataset.column === column) ?? null;
}

/**
 * Hide the listed copies of `columns` that question `index` may take over (the first
 * question to claim a field draws it); returns column → kind of the listed field.
 */
export function takeOver(ctx, index, from, columns) {
  const kinds = {};
  for (const column of columns) {
    const section = listedSection(from, column);
    if (!section) continue;
    kinds[column] = section.dataset.kind ?? "text";
    if (ctx.claimField?.(column, index)) {
      section.hidden = true;
      section.classList.add("nbr-field-compared");
    }
  }
  return kinds;
}

/** Show the listed copies again (the question is going away). */
export function giveBack(from, columns) {
  for (const column of columns) {
    const section = listedSection(from, column);
    if (section?.classList.contains("nbr-field-compared")) {
      section.hidden = false;
      section.classList.remove("nbr-field-compared");
    }
  }
}

/** A column's value drawn as a field section, without the column's name. */
export function drawField(column, value, kind) {
  const chosen = kind ?? (isChat(value) && value?.length ? "chat" : "text");
  const section = buildField({ column, kind: chosen }, value);
  section.classList.add("nbr-compared");
  section.querySelector(":scope > .nbr-field-header")?.remove();
  return section;
}
