// "Show more" on a long text or markdown field. The kernel sends such a field cut, with
// `record.more[column]` its whole length in characters (code points); a click asks for the
// next piece with a `more` message and the kernel answers with a custom message, which is
// appended here. Nothing of it is synced state (docs/protocol.md, "Long fields").
import { h } from "../dom.js";
import { showUnits } from "./record.js";
import { unitParts } from "./units.js";

const count = (n) => n.toLocaleString("en");
const moreText = (shown, total) => `Show more (${count(shown)} of ${count(total)} characters shown)`;

function fieldOf(container, column) {
  return [...container.querySelectorAll(".nbr-field")].find((s) => s.dataset.column === column) ?? null;
}

/** Append a piece to a field's text: text stays text; markdown is drawn again, whole. */
function appendPiece(section, whole, piece) {
  if (section.dataset.kind !== "markdown") {
    section.querySelector(":scope > .nbr-field-body")?.append(document.createTextNode(piece));
    return;
  }
  for (const old of section.querySelectorAll(":scope > .nbr-field-body, :scope > .nbr-field-body-rendered")) {
    old.remove();
  }
  section.querySelector(":scope > .nbr-field-header").after(...unitParts(whole, "nbr-field-body"));
  showUnits(section, { raw: section.dataset.view === "raw" });
}

/** Watch the model's record: a "Show more" button under each cut field of the record shown. */
export function attachMore(model, container) {
  let key = null;
  let fields = {}; // column -> {text, shown, total, button}
  function update() {
    const rec = model.get("record") ?? {};
    if ((rec.key ?? null) === key) return;
    key = rec.key ?? null;
    fields = {};
    for (const [column, total] of Object.entries(rec.more ?? {})) {
      const section = fieldOf(container, column);
      if (!section) continue;
      const text = String(rec.fields?.[column] ?? "");
      const field = { text, shown: [...text].length, total };
      const ask = () => {
        field.button.disabled = true;
        model.send({ type: "more", key, column, start: field.shown });
      };
      field.button = h("button", { class: "nbr-show-more", type: "button", onmousedown: (e) => e.preventDefault() });
      field.button.addEventListener("click", (e) => {
        e.stopPropagation();
        ask();
      });
      field.button.textContent = moreText(field.shown, total);
      section.append(field.button);
      fields[column] = field;
    }
  }
  function onMessage(msg) {
    const field = msg?.type === "more" && msg.key === key ? fields[msg.column] : undefined;
    if (!field || msg.start !== field.shown || typeof msg.text !== "string") return;
    field.text += msg.text;
    field.shown = msg.end;
    const section = fieldOf(container, msg.column);
    if (section) appendPiece(section, field.text, msg.text);
    if (field.shown >= field.total) field.button.remove();
    else {
      field.button.textContent = moreText(field.shown, field.total);
      field.button.disabled = false;
      section?.append(field.button);
    }
  }
  model.on("change:record", update);
  model.on("msg:custom", onMessage);
  update();
  return () => {
    model.off("change:record", update);
    model.off("msg:custom", onMessage);
  };
}
