// The progress bar and its counts line.
import { h, setText } from "./dom.js";

/** "3 submitted · 1 skipped · 36 remaining of 40" */
export function progressText(p) {
  if (!p) return "";
  return `${p.submitted} submitted · ${p.skipped} skipped · ${p.remaining} remaining of ${p.total}`;
}

/** "Team: alice 12 · bob 9 submitted" when several people answer the same review. */
export function teamText(p) {
  const team = p?.team ?? [];
  if (team.length < 2) return "";
  return `Team: ${team.map((t) => `${t.annotator} ${t.submitted}`).join(" · ")} submitted`;
}

const percent = (n, total) => (total > 0 ? `${(100 * n) / total}%` : "0%");

export function buildProgress() {
  const submitted = h("div", { class: "nbr-progress-submitted" });
  const skipped = h("div", { class: "nbr-progress-skipped" });
  const bar = h(
    "div",
    { class: "nbr-progress-bar", role: "progressbar", "aria-label": "Progress", "aria-valuemin": "0" },
    submitted,
    skipped,
  );
  const text = h("div", { class: "nbr-progress-text" });
  const team = h("div", { class: "nbr-progress-team" });
  const el = h("div", { class: "nbr-progress" }, bar, text, team);
  return {
    el,
    update(p) {
      const total = p?.total ?? 0;
      submitted.style.width = percent(p?.submitted ?? 0, total);
      skipped.style.width = percent(p?.skipped ?? 0, total);
      bar.setAttribute("aria-valuemax", String(total));
      bar.setAttribute("aria-valuenow", String((p?.submitted ?? 0) + (p?.skipped ?? 0)));
      setText(text, progressText(p));
      bar.setAttribute("aria-valuetext", progressText(p) || "no records");
      setText(team, teamText(p));
      team.hidden = team.textContent === "";
    },
  };
}
