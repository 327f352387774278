// @vitest-environment jsdom
// The ranking question inside the widget, with a fake model: the kernel's first order, a
// digit picks, ↑/↓ and k/j move and save the whole order, 0 keeps it, drag by the handle.
import { afterEach, describe, expect, it } from "vitest";
import { keyList } from "../help.js";
import { isRanking, moved, orderOf, PICK_FIRST } from "../kinds/ranking.js";
import widget from "../widget.js";
import { mountWidget, press, unmountAll } from "./helpers.js";

const FIELDS = ["a", "b", "c", "d"];
const RANK = { name: "rank", kind: "ranking", fields: FIELDS, required: true };

function configOf(question = RANK, fields = ["prompt"]) {
  return {
    name: "default",
    annotator: "alice",
    fields: fields.map((column) => ({ column, kind: "text" })),
    questions: [question],
    guidelines: "",
    one_key: false,
  };
}

function viewOf(order = ["c", "a", "d", "b"], extra = {}, key = "k1") {
  return {
    ack: 0,
    position: 0,
    total: 2,
    record: {
      key,
      row: 0,
      fields: { prompt: "Best answer?", a: "Answer A", b: "Answer B", c: "Answer C", d: "Answer D" },
      answers: {},
      suggestions: {},
      status: null,
      layout: { rank: { order } },
      ...extra,
    },
    progress: { total: 2, submitted: 0, skipped: 0, remaining: 2 },
    done: false,
    notice: null,
    can_undo: false,
  };
}

function mount(config = configOf(), view = viewOf()) {
  return mountWidget(widget, config, view);
}

afterEach(() => {
  unmountAll();
});

const shown = (root) => [...root.querySelectorAll(".nbr-rank-item")].map((li) => li.dataset.column);
const sent = (model) => model.sent.filter((m) => m.type === "answer").map((m) => m.value);

describe("ranking helpers", () => {
  it("check, choose and move orders", () => {
    expect(isRanking(RANK, ["b", "a", "d", "c"])).toBe(true);
    expect(isRanking(RANK, ["b", "a", "d"])).toBe(false);
    expect(isRanking(RANK, ["b", "b", "d", "c"])).toBe(false);
    expect(orderOf(RANK, undefined, { layout: { rank: { order: ["d", "c", "b", "a"] } } })).toEqual(["d", "c", "b", "a"]);
    expect(orderOf(RANK, ["b", "a", "d", "c"], { layout: { rank: { order: ["d", "c", "b", "a"] } } })).toEqual([
      "b",
      "a",
      "d",
      "c",
    ]);
    expect(orderOf(RANK, undefined, {})).toEqual(FIELDS);
    expect(moved(["a", "b", "c"], "c", -1)).toEqual(["a", "c", "b"]);
    const same = ["a", "b", "c"];
    expect(moved(same, "a", -1)).toBe(same);
  });
});

describe("ranking question", () => {
  it("shows the kernel's order, unanswered, each field drawn once", () => {
    const { model, root } = mount(configOf(RANK, ["prompt", "a"]));
    expect(shown(root)).toEqual(["c", "a", "d", "b"]);
    expect(root.querySelector('.nbr-fields > .nbr-field[data-column="a"]').hidden).toBe(true);
    expect(root.querySelector(".nbr-rank-hint").textContent).toMatch(/^Not ranked yet/);
    expect(sent(model)).toEqual([]);
  });

  it("moves the picked item by keyboard and saves the whole order each time", () => {
    const { model, root } = mount();
    press(root, "3"); // pick "d", third
    expect(root.querySelector(".nbr-rank-item.nbr-picked").dataset.column).toBe("d");
    press(root, "ArrowUp");
    press(root, "k");
    expect(sent(model)).toEqual([
      ["c", "d", "a", "b"],
      ["d", "c", "a", "b"],
    ]);
    expect(shown(root)).toEqual(["d", "c", "a", "b"]);
    press(root, "k"); // already first: nothing changes, nothing is sent
    press(root, "j");
    press(root, "ArrowDown");
    expect(sent(model).at(-1)).toEqual(["c", "a", "d", "b"]);
    expect(root.querySelector(".nbr-rank-item.nbr-picked").dataset.column).toBe("d");
    press(root, "Escape"); // puts it down; the widget keeps focus
    expect(root.querySelector(".nbr-rank-item.nbr-picked")).toBeNull();
    expect(document.activeElement).toBe(root);
  });

  it("keeps the order shown on 0", () => {
    const { model, root } = mount();
    press(root, "0");
    expect(sent(model)).toEqual([["c", "a", "d", "b"]]);
    expect(root.querySelector(".nbr-question").classList.contains("nbr-answered")).toBe(true);
  });

  it("says to pick first when nothing is picked", () => {
    const { model, root } = mount();
    press(root, "j");
    expect(root.querySelector(".nbr-notice").textContent).toBe(PICK_FIRST);
    expect(sent(model)).toEqual([]);
  });

  it("shows a saved answer over the kernel's first order", () => {
    const { root } = mount(configOf(), viewOf(["c", "a", "d", "b"], { answers: { rank: ["b", "a", "d", "c"] } }));
    expect(shown(root)).toEqual(["b", "a", "d", "c"]);
  });

  it("moves an item by dragging its handle", () => {
    const { model, root } = mount();
    const items = [...root.querySelectorAll(".nbr-rank-item")];
    items.forEach((li, i) => {
      li.getBoundingClientRect = () => ({ top: i * 100, height: 100, bottom: i * 100 + 100, left: 0, right: 500, width: 500 });
    });
    const handle = root.querySelector('.nbr-rank-item[data-column="b"] .nbr-rank-handle'); // last
    handle.dispatchEvent(new MouseEvent("mousedown", { bubbles: true, button: 0, clientY: 350 }));
    window.dispatchEvent(new MouseEvent("mousemove", { bubbles: true, clientY: 20 }));
    expect(shown(root)).toEqual(["b", "c", "a", "d"]); // previewed while dragging
    expect(sent(model)).toEqual([]);
    window.dispatchEvent(new MouseEvent("mouseup", { bubbles: true, clientY: 20 }));
    expect(sent(model)).toEqual([["b", "c", "a", "d"]]);
  });

  it("forgets the pick on the next record", () => {
    const { model, root } = mount();
    press(root, "1");
    model.kernelSets("view", viewOf(["a", "b", "c", "d"], {}, "k2"));
    expect(shown(root)).toEqual(["a", "b", "c", "d"]);
    expect(root.querySelector(".nbr-rank-item.nbr-picked")).toBeNull();
  });

  it("lists its keys in the help", () => {
    const keys = keyList(configOf()).map(([k]) => k);
    expect(keys).toEqual(expect.arrayContaining(["1 – 4", "↑ / ↓ or k / j", "0"]));
  });
});

describe("ranking with remapped keys", () => {
  it("moves the picked item with the table's prev_turn / next_turn keys, and says which", () => {
    const config = { ...configOf(), keys: { prev_turn: ["p"], next_turn: ["n"] } };
    const { model, root } = mount(config);
    press(root, "3"); // pick "d"
    expect(root.querySelector(".nbr-rank-hint").textContent).toContain("p/n move it");
    press(root, "p");
    expect(sent(model)).toEqual([["c", "d", "a", "b"]]);
    expect(press(root, "ArrowUp").defaultPrevented).toBe(false); // ↑ is nobody's now
    expect(sent(model).length).toBe(1);
    press(root, "n");
    expect(sent(model).at(-1)).toEqual(["c", "a", "d", "b"]);
    expect(keyList(config).map(([k]) => k)).toContain("p / n");
  });
});
