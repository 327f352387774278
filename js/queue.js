// The queue controls: a search box, a status filter, and a compact table to jump from.
import { h, setFlag, setText } from "./dom.js";
import { keysText } from "./keys.js";

export const STATUSES = [
  ["", "all records"],
  ["unanswered", "unanswered"],
  ["draft", "drafts"],
  ["submitted", "submitted"],
  ["skipped", "skipped"],
];
export const PAGE = 10;

/** The queue message the controls send: empty values mean "no filter". */
export function queueMessage(search, status) {
  return { search: search.trim(), status };
}

/** Where the table opens: a page that shows the current record near its top. */
export function pageStart(index) {
  return index === null || index === undefined ? 0 : Math.max(0, index - 2);
}

/** The search box and status filter; keys typed there are text: Enter applies, Esc leaves. */
function buildFilters({ send, leave }) {
  const search = h("input", {
    type: "search",
    class: "nbr-search",
    placeholder: "Search the shown fields (/) · Enter to apply",
    "aria-label": "Search the shown fields",
    tabindex: "-1",
  });
  const status = h(
    "select",
    { class: "nbr-status-filter", "aria-label": "Status filter", tabindex: "-1" },
    STATUSES.map(([value, label]) => h("option", { value }, label)),
  );
  const apply = () => send("queue", queueMessage(search.value, status.value));
  search.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    e.stopPropagation(); // typed text, not the widget's keys
    if (e.key === "Enter") {
      e.preventDefault();
      apply();
    } else if (e.key === "Escape") {
      e.preventDefault();
      leave();
    }
  });
  status.addEventListener("change", () => {
    apply();
    leave();
  });
  status.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    e.stopPropagation();
    if (e.key === "Escape") leave();
  });
  return { search, status };
}

/** One row of the table: a click jumps there. */
function queueRow(r, index, { send, leave }) {
  return h(
    "tr",
    {
      class: r.index === index ? "nbr-queue-current" : "",
      dataset: { row: String(r.row), index: String(r.index) },
      onmousedown: (e) => e.preventDefault(),
      onclick: () => {
        send("nav", { to: r.row });
        leave();
      },
    },
    h("td", {}, String(r.index + 1)),
    h("td", { class: "nbr-queue-preview", dir: "auto" }, r.preview || "(empty)"),
    h(
      "td",
      { class: "nbr-queue-status", dataset: { status: r.status || "unanswered" } },
      r.status || "unanswered", // no answer yet: said, not left blank
    ),
  );
}

/**
 * send(type, fields) posts a message to the kernel; leave() hands focus back to the widget.
 */
export function buildQueue({ send, leave }) {
  const { search, status } = buildFilters({ send, leave });
  const toggle = h("button", {
    type: "button",
    class: "nbr-button nbr-queue-toggle",
    tabindex: "-1",
    "aria-expanded": "false",
    onmousedown: (e) => e.preventDefault(),
  }, "Queue (q)");
  const count = h("span", { class: "nbr-queue-count" });
  const rows = h("tbody");
  const earlier = h("button", { type: "button", class: "nbr-button nbr-page-prev", tabindex: "-1" }, "↑ Earlier");
  const later = h("button", { type: "button", class: "nbr-button nbr-page-next", tabindex: "-1" }, "Later ↓");
  const table = h(
    "div",
    { class: "nbr-queue-table", hidden: true },
    h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, "#"), h("th", {}, "preview"), h("th", {}, "status"))), rows),
    h("div", { class: "nbr-queue-paging" }, earlier, later),
  );
  const el = h(
    "div",
    { class: "nbr-queue" },
    h("div", { class: "nbr-queue-bar" }, search, status, count, toggle),
    table,
  );

  let page = null; // the last page the kernel sent
  let index = null; // queue index of the record shown
  const open = () => !table.hidden;
  const setOpen = (on) => {
    table.hidden = !on;
    toggle.setAttribute("aria-expanded", String(on));
    send("queue_page", { start: on ? pageStart(index) : null });
  };
  toggle.addEventListener("click", () => {
    setOpen(!open());
    leave();
  });
  for (const [button, by] of [[earlier, -PAGE], [later, PAGE]]) {
    button.addEventListener("mousedown", (e) => e.preventDefault());
    button.addEventListener("click", () => {
      send("queue_page", { start: Math.max(0, (page?.start ?? 0) + by) });
      leave();
    });
  }

  return {
    el,
    toggle: () => setOpen(!open()),
    /** The keys in force in the hints: "Queue (q)", "Search the shown fields (/)". */
    showKeys(keys) {
      const k = (action) => keysText(keys, action);
      setText(toggle, k("queue") ? `Queue (${k("queue")})` : "Queue");
      search.placeholder = `Search the shown fields${k("search") ? ` (${k("search")})` : ""} · Enter to apply`;
    },
    focusSearch: () => search.focus(),
    /** view: the kernel's view (its queue spec, page, index and total). */
    update(view) {
      index = view.index ?? null;
      const spec = view.queue?.spec ?? {};
      if (document.activeElement !== search && search.value !== (spec.search ?? "")) {
        search.value = spec.search ?? "";
      }
      if (document.activeElement !== status) status.value = spec.status ?? "";
      setText(count, `${view.total ?? 0} in queue`);
      page = view.queue?.page ?? null;
      if (!page) return rows.replaceChildren();
      rows.replaceChildren(...page.rows.map((r) => queueRow(r, index, { send, leave })));
      setFlag(earlier, "disabled", page.start <= 0);
      setFlag(later, "disabled", page.start + PAGE >= page.size);
    },
  };
}
