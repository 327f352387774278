// @vitest-environment jsdom
import { describe, expect, it, vi } from "vitest";
import { actionForKey } from "../keys.js";
import { buildQueue, pageStart, queueMessage } from "../queue.js";

const key = (k, extra = {}) => new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true, ...extra });

function setup() {
  const send = vi.fn();
  const leave = vi.fn();
  const queue = buildQueue({ send, leave });
  const parent = document.createElement("div");
  const seen = vi.fn();
  parent.addEventListener("keydown", seen);
  parent.append(queue.el);
  document.body.replaceChildren(parent);
  return { queue, send, leave, seen };
}

describe("queue controls", () => {
  it("maps / and q to the queue actions", () => {
    expect(actionForKey(key("/"))).toEqual({ type: "search" });
    expect(actionForKey(key("q"))).toEqual({ type: "queue" });
  });

  it("trims the search and opens the table near the current record", () => {
    expect(queueMessage("  paris ", "")).toEqual({ search: "paris", status: "" });
    expect(pageStart(null)).toBe(0);
    expect(pageStart(1)).toBe(0);
    expect(pageStart(12)).toBe(10);
  });

  it("applies a search on Enter; typed keys never reach the widget", () => {
    const { queue, send, leave, seen } = setup();
    queue.focusSearch();
    const input = queue.el.querySelector(".nbr-search");
    input.value = "capital";
    for (const k of ["d", "a", "s"]) input.dispatchEvent(key(k));
    expect(seen).not.toHaveBeenCalled();
    input.dispatchEvent(key("Enter"));
    expect(send).toHaveBeenCalledWith("queue", { search: "capital", status: "" });
    input.dispatchEvent(key("Escape"));
    expect(leave).toHaveBeenCalled();
  });

  it("filters by status on change", () => {
    const { queue, send } = setup();
    const select = queue.el.querySelector(".nbr-status-filter");
    select.value = "skipped";
    select.dispatchEvent(new Event("change"));
    expect(send).toHaveBeenCalledWith("queue", { search: "", status: "skipped" });
  });

  it("shows a page of the queue as text and jumps to a clicked row", () => {
    const { queue, send } = setup();
    queue.toggle();
    expect(send).toHaveBeenCalledWith("queue_page", { start: 0 });
    queue.update({
      index: 1,
      total: 3,
      queue: {
        spec: { search: "capital" },
        page: {
          start: 0,
          size: 3,
          rows: [
            { index: 0, row: 4, preview: "<b>Paris</b>", status: "submitted" },
            { index: 1, row: 7, preview: "Kyoto", status: null },
          ],
        },
      },
    });
    const rows = queue.el.querySelectorAll("tbody tr");
    expect(rows).toHaveLength(2);
    expect(queue.el.querySelector("b")).toBeNull();
    expect(rows[0].textContent).toContain("<b>Paris</b>");
    const statuses = [...rows].map((r) => r.querySelector(".nbr-queue-status").textContent);
    expect(statuses).toEqual(["submitted", "unanswered"]); // never a blank cell
    expect(rows[1].classList.contains("nbr-queue-current")).toBe(true);
    expect(queue.el.querySelector(".nbr-search").value).toBe("capital");
    expect(queue.el.querySelector(".nbr-queue-count").textContent).toBe("3 in queue");
    rows[0].click();
    expect(send).toHaveBeenCalledWith("nav", { to: 4 });
    queue.toggle();
    expect(send).toHaveBeenLastCalledWith("queue_page", { start: null });
  });
});

describe("position text", async () => {
  const { positionText } = await import("../widget.js");
  it("counts in queue order, and says when a row is outside the queue", () => {
    expect(positionText({ index: 2, position: 4, total: 3 })).toBe("Record 3 of 3");
    expect(positionText({ position: 4, total: 6 })).toBe("Record 5 of 6");
    expect(positionText({ index: null, position: 1, total: 3 })).toBe("Row 2 (outside the queue of 3)");
  });
});
