// What a screen reader says as the reviewer moves: the widget root keeps the keyboard (keys act
// on it, API.md 4), so moving between questions or turns moves no DOM focus a reader would
// follow. A polite live region, present from the start and visually hidden, says the question
// now focused ("Question 2 of 5: verdict, choose one") and, for a per-turn question, the turn
// marked in it; the record's position is said when the record changes.
import { h, setText } from "../dom.js";
import "./a11y.css";

/** The words for question `index` of the built questions `all` (its header, as it reads). */
export function questionText(all, index) {
  const c = all[index];
  if (!c) return "";
  const header = c.el.querySelector(".nbr-question-header");
  const parts = [...(header?.children ?? [])]
    .filter((e) => !e.hidden)
    .map((e) => e.textContent.replace(/\s+/g, " ").trim())
    .filter(Boolean);
  const said = parts.length ? parts.join(", ") : String(c.question?.name ?? "");
  // A per-turn question: the turn marked (its own live hint says the later moves).
  const turn =
    c.el.querySelector(".nbr-turn-marked[aria-label]")?.getAttribute("aria-label") ||
    c.el.querySelector(".nbr-turns-hint")?.textContent.trim();
  return `Question ${index + 1} of ${all.length}: ${said}${turn ? `; ${turn}` : ""}`;
}

/** The live region and its `say(parts, state)`, called after each draw. */
export function buildAnnouncer() {
  const el = h("div", { class: "nbr-announce nbr-sr-only", role: "status", "aria-live": "polite" });
  let lastRecord = null;
  let lastFocus = "";
  return {
    el,
    say(parts, state) {
      const focused = questionText(parts.kinds?.all ?? [], state?.focus ?? -1);
      const record = parts.root?.dataset.key ?? "";
      const moved = record !== lastRecord;
      if (!moved && focused === lastFocus) return;
      lastRecord = record;
      lastFocus = focused;
      const position = moved ? (parts.position?.textContent ?? "") : "";
      setText(el, [position, focused].filter(Boolean).join(". "));
    },
  };
}
