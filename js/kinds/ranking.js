// Ranking questions: the fields as a list, best first, reordered by keyboard or by drag.
//
// Keys while the question is focused: a digit picks the item at that place (again: puts it
// down), the keys of `prev_turn` / `next_turn` in the keys table (↑/↓ or k/j by default) move
// the picked item up or down, 0 keeps the order shown, Esc puts the item down. Dragging an item by its handle moves it too. Every move saves the whole order
// (field names, best first); before the first one, the kernel's order for the record
// (`record.layout[name].order`, fixed per record by a hash of its key) is shown, unanswered.
import "./compare.css";
import { h, setFlag, setText } from "../dom.js";
import { drawField, giveBack, takeOver } from "../compare/fields.js";
import { DEFAULT_KEYS, pairText } from "../keys.js";
import { actions, button, keyBadge } from "./buttons.js";
import { followMouse } from "./drag.js";
import { questionShell } from "./shell.js";

export const PICK_FIRST = "Pick an item first: press its number (1 is the top).";

/** Whether `order` names every field once. */
export function isRanking(question, order) {
  const fields = (question.fields ?? []).map(String);
  return (
    Array.isArray(order) &&
    order.length === fields.length &&
    fields.every((f) => order.includes(f)) &&
    new Set(order).size === order.length
  );
}

/** The order to show: the answer (or suggestion), else the kernel's layout, else the fields. */
export function orderOf(question, value, record) {
  if (isRanking(question, value)) return value.map(String);
  const layout = record?.layout?.[question.name]?.order;
  if (isRanking(question, layout)) return layout.map(String);
  return (question.fields ?? []).map(String);
}

/** `order` with `item` moved `by` places (clamped); the same array when it cannot move. */
export function moved(order, item, by) {
  const from = order.indexOf(item);
  const to = Math.max(0, Math.min(order.length - 1, from + by));
  if (from === -1 || to === from) return order;
  const next = order.filter((x) => x !== item);
  next.splice(to, 0, item);
  return next;
}

// The parts below share `r`, the question's state (see build): the order shown, the item
// picked by its number, the drag under way.

/** One item: a drag handle, its place and the field drawn in `body`. */
function rankItem(r, column) {
  const place = h("span", { class: "nbr-rank-place" });
  const handle = h(
    "span",
    {
      class: "nbr-rank-handle",
      title: "drag to move",
      "aria-hidden": "true",
      onmousedown: (e) => startDrag(r, e, column),
    },
    "⠿",
  );
  const body = h("div", { class: "nbr-rank-body" });
  const li = h(
    "li",
    { class: "nbr-rank-item", dataset: { column }, onmousedown: () => r.ctx.focus?.(r.index) },
    h("div", { class: "nbr-rank-item-header" }, handle, place),
    body,
  );
  return { li, place, body };
}

const save = (r, next) => r.ctx.answer(r.question, next);

/** A digit: pick the item at that place, or put it down again; false past the last one. */
function pick(r, digit) {
  const column = r.order[digit - 1];
  if (!column) return false;
  r.picked = r.picked === column ? null : column;
  return true;
}

function move(r, by) {
  if (!r.picked) {
    r.ctx.notify(PICK_FIRST, "info");
    return;
  }
  const next = moved(r.order, r.picked, by);
  if (next !== r.order) {
    r.order = next;
    save(r, next);
  }
}

/** The keys that move the picked item, as the keys table has them ("↑/↓ (or k/j)"). */
function moveKeys(keys = DEFAULT_KEYS) {
  const [first, ...rest] = pairText(keys, "prev_turn", "next_turn").replaceAll(" / ", "/").split(" or ");
  return rest.length ? `${first} (or ${rest.join(", ")})` : first;
}

function hintText(r) {
  const n = Math.min(r.fields.length, 9);
  const keys = n <= 1 ? "1" : `1–${n}`;
  if (r.drag) return "Drop it where it belongs";
  const move = moveKeys(r.ctx.keys?.());
  if (r.picked) return `Moving place ${r.order.indexOf(r.picked) + 1} · ${move} move it · Esc or its number puts it down`;
  if (r.view.suggested) return `Suggested order · a accepts · ${keys} pick an item to move it`;
  if (!r.view.answered) return `Not ranked yet · ${keys} pick an item, then ${move} · 0 keeps this order · or drag ⠿`;
  return `${keys} pick an item, then ${move} · or drag ⠿`;
}

/** The items in the order shown (the dragged order while dragging), places, picked, hint. */
function render(r) {
  const current = r.drag ? r.drag.order : r.order;
  r.list.replaceChildren(...current.map((c) => r.items.get(c).li));
  current.forEach((c, i) => {
    const item = r.items.get(c);
    item.li.dataset.place = String(i + 1);
    setText(item.place, String(i + 1));
    item.li.classList.toggle("nbr-picked", c === r.picked);
    item.li.classList.toggle("nbr-dragged", c === r.drag?.column);
    item.li.setAttribute("aria-current", c === r.picked ? "true" : "false");
  });
  r.list.classList.toggle("nbr-suggested", r.view.suggested);
  setText(r.hint, hintText(r));
  setFlag(r.keep, "hidden", r.view.answered);
}

// --- drag by the handle --------------------------------------------------------------------

function startDrag(r, e, column) {
  if (e.button !== 0) return;
  e.preventDefault(); // no text selection while dragging
  e.stopPropagation();
  r.ctx.focus?.(r.index);
  r.drag = { column, order: r.order.slice() };
  r.stopFollowing = followMouse(r.list, (ev) => onDragMove(r, ev), (ev) => onDragEnd(r, ev));
  render(r);
}

function stopDrag(r) {
  r.stopFollowing?.();
  r.stopFollowing = null;
  const d = r.drag;
  r.drag = null;
  return d;
}

const sameOrder = (a, b) => a.join("\u001f") === b.join("\u001f");

function onDragMove(r, e) {
  const { drag } = r;
  if (!drag) return;
  e.preventDefault();
  // The dragged item goes before the first other item whose middle is below the pointer.
  const others = drag.order.filter((c) => c !== drag.column);
  let at = others.length;
  for (let i = 0; i < others.length; i += 1) {
    const box = r.items.get(others[i]).li.getBoundingClientRect();
    if (e.clientY < box.top + box.height / 2) {
      at = i;
      break;
    }
  }
  others.splice(at, 0, drag.column);
  if (!sameOrder(others, drag.order)) {
    drag.order = others;
    render(r);
  }
}

function onDragEnd(r, e) {
  onDragMove(r, e);
  const d = stopDrag(r);
  if (d && !sameOrder(d.order, r.order)) r.acts.run(r.acts.act("set", { order: d.order }));
  else render(r);
}

// --- the component -------------------------------------------------------------------------

/** Take in the state the widget shows; a new record puts the picked item down. */
function showRecord(r, state) {
  const rec = state.record ?? null;
  const key = rec?.key ?? null;
  if (key !== r.view.key) {
    r.picked = null;
    stopDrag(r);
  }
  const { suggested, answered, focused } = state;
  r.view = { key, suggested: Boolean(suggested), answered: Boolean(answered), focused: Boolean(focused) };
  r.order = orderOf(r.question, state.value, rec);
  const kinds = takeOver(r.ctx, r.index, r.shell.el, r.fields);
  const drawn = JSON.stringify([key, kinds]);
  if (drawn !== r.drawnKey) {
    r.drawnKey = drawn;
    for (const c of r.fields) r.items.get(c).body.replaceChildren(drawField(c, rec?.fields?.[c], kinds[c]));
  }
  if (!state.focused) r.picked = null;
}

/** What each kind action does; a missing op is not handled. */
const OPS = {
  move: (r, a) => move(r, a.by),
  drop: (r) => {
    r.picked = null;
  },
  keep: (r) => save(r, r.order),
  set: (r, a) => {
    if (!isRanking(r.question, a.order)) return;
    r.order = a.order.slice();
    save(r, r.order);
  },
};

function perform(r, action) {
  if (!r.view.key) return false;
  if (action.type === "digit") {
    if (action.digit === 0) save(r, r.order);
    else if (!pick(r, action.digit)) return false;
  } else if (action.type === "prev_turn" || action.type === "next_turn") {
    move(r, action.type === "next_turn" ? 1 : -1); // the table's up / down, while focused
  } else if (action.type === "kind" && Object.hasOwn(OPS, action.op)) {
    OPS[action.op](r, action);
  } else {
    return false;
  }
  render(r);
  return true;
}

/** Esc puts a picked item down (moving it is the keys table's prev_turn / next_turn). */
function keyAction(r, e) {
  if (!r.view.key || e.ctrlKey || e.metaKey || e.altKey) return null;
  if (e.key === "Escape" && r.picked) return r.acts.act("drop");
  return null;
}

function build(question, index, ctx) {
  const fields = (question.fields ?? []).map(String);
  const acts = actions(ctx, index);
  const shell = questionShell(question, index, ctx, "order best first");
  const r = {
    question,
    index,
    ctx,
    acts,
    fields,
    shell,
    hint: h("div", { class: "nbr-rank-hint", "aria-live": "polite" }),
    keep: button(
      { class: "nbr-button nbr-rank-keep", title: "the order shown is right (key 0)" },
      () => acts.run(acts.act("keep")),
      keyBadge("0"),
      "Keep this order",
    ),
    list: h("ol", { class: "nbr-rank-list", "aria-label": `${question.name}: best first` }),
    items: new Map(), // column → {li, place, body}
    order: fields.slice(),
    picked: null,
    drawnKey: null,
    drag: null, // {column, order} while an item is dragged
    stopFollowing: null,
    view: { key: null, suggested: false, answered: false, focused: false },
  };
  for (const column of fields) r.items.set(column, rankItem(r, column));
  shell.el.append(h("div", { class: "nbr-rank-toolbar" }, r.hint, h("span", { class: "nbr-spacer" }), r.keep), r.list);
  return {
    el: shell.el,
    question,
    update(state) {
      shell.update(state);
      showRecord(r, state);
      render(r);
    },
    keyAction: (e) => keyAction(r, e),
    perform: (action) => perform(r, action),
    reset() {
      r.picked = null;
      stopDrag(r);
      r.drawnKey = null;
    },
    destroy() {
      stopDrag(r);
      giveBack(shell.el, fields);
    },
  };
}

function help(question, keys = DEFAULT_KEYS) {
  const n = Math.min((question.fields ?? []).length, 9);
  return [
    [n <= 1 ? "1" : `1 – ${n}`, "ranking: pick the item at that place (again, or Esc: put it down)"],
    [pairText(keys, "prev_turn", "next_turn"), "ranking: move the picked item up / down (saves the order)"],
    ["0", "ranking: keep the order shown as the answer"],
    ["drag ⠿", "ranking: move an item with the mouse"],
  ];
}

export default {
  kinds: ["ranking"],
  build,
  isAnswered: (question, value) => isRanking(question, value),
  help,
};
