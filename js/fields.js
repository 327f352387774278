// The record's fields, shown as text.
import { h } from "./dom.js";

const isMessage = (m) => m && typeof m === "object" && "role" in m && "content" in m;

/** A field value as display text. Chat and markdown show as text until their renderers land. */
export function fieldText(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.length > 0 && value.every(isMessage)) {
    return value.map((m) => `${m.role}:\n${fieldText(m.content)}`).join("\n\n");
  }
  if (typeof value === "object") return JSON.stringify(value, null, 2);
  return String(value);
}

/** Replace the container's children with one .nbr-field per configured field. */
export function renderFields(container, fields = [], values = {}) {
  container.replaceChildren(
    ...fields.map(({ column, kind }) => {
      const text = fieldText(values?.[column]);
      const body = h("div", { class: "nbr-field-body" });
      body.textContent = text; // untrusted: text only
      if (text === "") body.classList.add("nbr-empty");
      return h(
        "section",
        { class: "nbr-field", dataset: { column, kind: kind ?? "text" } },
        h("div", { class: "nbr-field-header" }, column),
        body,
      );
    }),
  );
}
