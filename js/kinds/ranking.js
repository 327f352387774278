// Ranking questions: the fields as a list, best first, reordered by keyboard or by drag.
//
// Keys while the question is focused: a digit picks the item at that place (again: puts it
// down), ↑/↓ or k/j move the picked item up or down, 0 keeps the order shown, Esc puts the
// item down. Dragging an item by its handle moves it too. Every move saves the whole order
// (field names, best first); before the first one, the kernel's order for the record
// (`record.layout[name].order`, fixed per record by a hash of its key) is shown, unanswered.
import "./compare.css";
import { h, setFlag, setText } from "../dom.js";
import { drawField, giveBack, takeOver } from "../compare/fields.js";
import { letterOf } from "../keys.js";
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

function build(question, index, ctx) {
  const fields = (question.fields ?? []).map(String);
  const { act, run } = actions(ctx, index);
  const shell = questionShell(question, index, ctx, "order best first");
  const n = Math.min(fields.length, 9);
  const hint = h("div", { class: "nbr-rank-hint", "aria-live": "polite" });
  const keep = button(
    { class: "nbr-button nbr-rank-keep", title: "the order shown is right (key 0)" },
    () => run(act("keep")),
    keyBadge("0"),
    "Keep this order",
  );
  const list = h("ol", { class: "nbr-rank-list", "aria-label": `${question.name}: best first` });
  shell.el.append(h("div", { class: "nbr-rank-toolbar" }, hint, h("span", { class: "nbr-spacer" }), keep), list);

  const items = new Map(); // column → {li, place, body}
  for (const column of fields) {
    const place = h("span", { class: "nbr-rank-place" });
    const handle = h(
      "span",
      {
        class: "nbr-rank-handle",
        title: "drag to move",
        "aria-hidden": "true",
        onmousedown: (e) => startDrag(e, column),
      },
      "⠿",
    );
    const body = h("div", { class: "nbr-rank-body" });
    const li = h(
      "li",
      {
        class: "nbr-rank-item",
        dataset: { column },
        onmousedown: () => ctx.focus?.(index),
      },
      h("div", { class: "nbr-rank-item-header" }, handle, place),
      body,
    );
    items.set(column, { li, place, body });
  }

  let order = fields.slice();
  let picked = null;
  let drawnKey = null;
  let drag = null; // {column, order} while an item is dragged
  let stopFollowing = null;
  let view = { key: null, suggested: false, answered: false, focused: false };

  const save = (next) => ctx.answer(question, next);

  function pick(digit) {
    const column = order[digit - 1];
    if (!column) return false;
    picked = picked === column ? null : column;
    return true;
  }

  function move(by) {
    if (!picked) {
      ctx.notify(PICK_FIRST, "info");
      return;
    }
    const next = moved(order, picked, by);
    if (next !== order) {
      order = next;
      save(next);
    }
  }

  function arrange(current) {
    list.replaceChildren(...current.map((c) => items.get(c).li));
    current.forEach((c, i) => {
      const item = items.get(c);
      item.li.dataset.place = String(i + 1);
      setText(item.place, String(i + 1));
      item.li.classList.toggle("nbr-picked", c === picked);
      item.li.classList.toggle("nbr-dragged", c === drag?.column);
      item.li.setAttribute("aria-current", c === picked ? "true" : "false");
    });
  }

  function hintText() {
    const keys = n <= 1 ? "1" : `1–${n}`;
    if (drag) return "Drop it where it belongs";
    if (picked) return `Moving place ${order.indexOf(picked) + 1} · ↑/↓ (or k/j) move it · Esc or its number puts it down`;
    if (view.suggested) return `Suggested order · a accepts · ${keys} pick an item to move it`;
    if (!view.answered) return `Not ranked yet · ${keys} pick an item, then ↑/↓ (or k/j) · 0 keeps this order · or drag ⠿`;
    return `${keys} pick an item, then ↑/↓ (or k/j) · or drag ⠿`;
  }

  function render() {
    arrange(drag ? drag.order : order);
    list.classList.toggle("nbr-suggested", view.suggested);
    setText(hint, hintText());
    setFlag(keep, "hidden", view.answered);
  }

  // --- drag by the handle --------------------------------------------------------------------

  function startDrag(e, column) {
    if (e.button !== 0) return;
    e.preventDefault(); // no text selection while dragging
    e.stopPropagation();
    ctx.focus?.(index);
    drag = { column, order: order.slice() };
    stopFollowing = followMouse(list, onDragMove, onDragEnd);
    render();
  }

  function stopDrag() {
    stopFollowing?.();
    stopFollowing = null;
    const d = drag;
    drag = null;
    return d;
  }

  function onDragMove(e) {
    if (!drag) return;
    e.preventDefault();
    // The dragged item goes before the first other item whose middle is below the pointer.
    const others = drag.order.filter((c) => c !== drag.column);
    let at = others.length;
    for (let i = 0; i < others.length; i += 1) {
      const box = items.get(others[i]).li.getBoundingClientRect();
      if (e.clientY < box.top + box.height / 2) {
        at = i;
        break;
      }
    }
    others.splice(at, 0, drag.column);
    if (others.join("\u001f") !== drag.order.join("\u001f")) {
      drag.order = others;
      render();
    }
  }

  function onDragEnd(e) {
    onDragMove(e);
    const d = stopDrag();
    if (d && d.order.join("\u001f") !== order.join("\u001f")) {
      run(act("set", { order: d.order }));
    } else render();
  }

  return {
    el: shell.el,
    question,
    update(state) {
      shell.update(state);
      const rec = state.record ?? null;
      const key = rec?.key ?? null;
      if (key !== view.key) {
        picked = null;
        if (drag) stopDrag();
      }
      view = { key, suggested: Boolean(state.suggested), answered: Boolean(state.answered), focused: Boolean(state.focused) };
      order = orderOf(question, state.value, rec);
      const kinds = takeOver(ctx, index, shell.el, fields);
      const drawn = JSON.stringify([key, kinds]);
      if (drawn !== drawnKey) {
        drawnKey = drawn;
        for (const c of fields) items.get(c).body.replaceChildren(drawField(c, rec?.fields?.[c], kinds[c]));
      }
      if (!state.focused) picked = null;
      render();
    },
    keyAction(e) {
      if (!view.key || e.ctrlKey || e.metaKey || e.altKey) return null;
      const k = e.key;
      const letter = e.shiftKey ? null : letterOf(e);
      if (k === "ArrowUp" || letter === "k") return act("move", { by: -1 });
      if (k === "ArrowDown" || letter === "j") return act("move", { by: 1 });
      if (k === "Escape" && picked) return act("drop");
      return null;
    },
    perform(action) {
      if (!view.key) return false;
      if (action.type === "digit") {
        if (action.digit === 0) save(order);
        else if (!pick(action.digit)) return false;
      } else if (action.type === "kind") {
        switch (action.op) {
          case "move":
            move(action.by);
            break;
          case "drop":
            picked = null;
            break;
          case "keep":
            save(order);
            break;
          case "set":
            if (isRanking(question, action.order)) {
              order = action.order.slice();
              save(order);
            }
            break;
          default:
            return false;
        }
      } else {
        return false;
      }
      render();
      return true;
    },
    reset() {
      picked = null;
      if (drag) stopDrag();
      drawnKey = null;
    },
    destroy() {
      if (drag) stopDrag();
      giveBack(shell.el, fields);
    },
  };
}

function help(question) {
  const n = Math.min((question.fields ?? []).length, 9);
  return [
    [n <= 1 ? "1" : `1 – ${n}`, "ranking: pick the item at that place (again, or Esc: put it down)"],
    ["↑ / ↓ or k / j", "ranking: move the picked item up / down (saves the order)"],
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
