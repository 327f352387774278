// Spans questions: labelled marks over a field's text, made and edited by mouse or keyboard.
//
// The answer is [{start, end, label, text}] in UTF-16 offsets (the kernel converts them to
// code points). Suggested spans are drawn hatched until the annotator decides on them: a
// decision (accept one, reject one, a new span) saves the answer, i.e. the spans accepted so
// far; the suggestions not yet decided stay on screen (not part of the answer) until the
// record is left, and `a` accepts them all.
import { h, setFlag, setText } from "../dom.js";
import { letterOf } from "../keys.js";
import { labelColor } from "../spans/colors.js";
import {
  compareSpans,
  conflict,
  including,
  normalize,
  replacing,
  sameSpan,
  withText,
  without,
} from "../spans/model.js";
import { targetText } from "../render/target.js";
import { domOffset, drawText, pointOffset, rangeOffsets } from "../spans/text.js";
import { extendFocus, firstStop, moveCaret, snapEdge, snapSelection } from "../spans/words.js";
import { keepFocus, questionShell } from "./shell.js";

const clip = (text, n = 40) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);
// Dataset text inside an English sentence sits in a bidi isolate (FSI … PDI), so Arabic or
// Hebrew in it cannot pull the punctuation and keys around it out of place.
const isolate = (text) => `\u2068${text}\u2069`;
const quote = (text) => `“${isolate(clip(text.replace(/\s+/g, " ")))}”`;

/** Show a text with isolates as elements: each FSI … PDI part becomes a <bdi>. */
function showIsolated(el, text) {
  if (el.dataset.text === text) return;
  el.dataset.text = text;
  el.replaceChildren(...text.split(/[\u2068\u2069]/).map((part, i) => (i % 2 ? h("bdi", {}, part) : part)));
}
const ordered = ({ anchor, focus }) => ({ start: Math.min(anchor, focus), end: Math.max(anchor, focus) });

export const SELECT_FIRST =
  "Select some text first: drag over it with the mouse, or press c for a keyboard caret.";
/** Key 0 with spans marked: "nothing to mark" would delete them, so it asks for that first. */
export const MARKED_FIRST = (n) =>
  `${n === 1 ? "1 span is" : `${n} spans are`} marked: delete ${n === 1 ? "it" : "them"} first ` +
  "(Backspace) to say there is nothing to mark.";

const blank = () => ({
  selected: null, // {start, end, label, suggested}: the span clicked or stepped to
  selection: null, // {start, end}: text chosen by the mouse, waiting for a label
  caret: null, // {anchor, focus}: the keyboard caret (caret mode when set)
  lastCaret: null,
  localPending: null, // suggestions still undecided once an answer exists
  drag: null, // {edge, span, start, end} while an edge handle is dragged
});

function build(question, index, ctx) {
  const labels = (question.labels ?? []).map(String);
  const field = String(question.field ?? "");
  const color = (label) => labelColor(Math.max(0, labels.indexOf(label)));
  const keyOf = (label) => {
    const i = labels.indexOf(label);
    return i >= 0 && i < 9 ? String(i + 1) : null;
  };
  const act = (op, extra = {}) => ({ type: "kind", index, op, ...extra });
  const run = (action) => {
    ctx.dispatch(action);
    ctx.refocus?.();
  };

  const shell = questionShell(question, index, ctx, "mark spans");
  const hint = h("div", { class: "nbr-spans-hint", "aria-live": "polite" });
  // dir="auto": right-to-left text stays right to left; offsets are the DOM's, so spans still
  // land on the characters selected.
  const textEl = h("div", {
    class: "nbr-spans-text",
    dir: "auto",
    dataset: { question: String(question.name), field },
    onmousedown: onMouseDown,
    onmouseup: onMouseUp,
  });
  const legend = h(
    "div",
    { class: "nbr-spans-legend", role: "group", "aria-label": `${question.name} labels` },
    labels.map((label) => {
      const key = keyOf(label);
      const button = h(
        "button",
        {
          type: "button",
          class: "nbr-spans-label",
          tabindex: "-1",
          dataset: { label },
          title: key ? `label the selection (key ${key})` : "label the selection",
          onmousedown: keepFocus,
          onclick: (e) => {
            e.stopPropagation();
            run(act("label", { label }));
          },
        },
        key ? h("kbd", { class: "nbr-key" }, key) : null,
        h("span", { class: "nbr-swatch" }),
        h("span", { class: "nbr-spans-label-text", dir: "auto" }, label),
      );
      button.style.setProperty("--nbr-c", color(label));
      return button;
    }),
  );
  // An empty list is a real answer ("nothing to mark"), so it has a key and a button.
  const noneButton = h(
    "button",
    {
      type: "button",
      class: "nbr-none nbr-spans-none",
      tabindex: "-1",
      title: "nothing to mark in this text (key 0)",
      "aria-pressed": "false",
      onmousedown: keepFocus,
      onclick: (e) => {
        e.stopPropagation();
        run(act("none"));
      },
    },
    h("kbd", { class: "nbr-key" }, "0"),
    h("span", { class: "nbr-option-label" }, "nothing to mark"),
  );
  legend.append(noneButton);
  const listTitle = h("div", { class: "nbr-spans-list-title" });
  const list = h("ol", { class: "nbr-spans-list" });
  const panel = h(
    "div",
    { class: "nbr-spans-panel", dataset: { question: String(question.name) }, onmousedown: () => ctx.focus?.(index) },
    legend,
    listTitle,
    list,
  );
  const ownBody = h("div", { class: "nbr-field-body nbr-spans-body" });
  const host = h("div", { class: "nbr-spans-host", hidden: true });
  shell.el.append(hint, host);

  let st = blank();
  let view = { key: null, text: "", focused: false };
  let drawnKey = null; // what the text was last drawn with
  let listKey = null;
  let marksById = new Map();
  let claimedSection = null;

  // --- the answer ------------------------------------------------------------

  /** {confirmed, pending, suggested}: the answer's spans, and suggestions not yet decided. */
  function current() {
    const { value, suggested } = ctx.current(question);
    if (suggested) return { confirmed: [], pending: normalize(view.text, value, labels), suggested: true };
    const confirmed = normalize(view.text, value ?? [], labels);
    const pending = (st.localPending ?? []).filter((p) => !confirmed.some((c) => sameSpan(c, p)));
    return { confirmed, pending, suggested: false };
  }

  /** Whether the answer is "nothing to mark": [] given, no suggestion left undecided. */
  function answeredNone(cur) {
    const { value, suggested } = ctx.current(question);
    return !suggested && Array.isArray(value) && value.length === 0 && cur.pending.length === 0;
  }

  function selectedSpan(cur) {
    const sel = st.selected;
    if (!sel) return null;
    const pool = sel.suggested ? cur.pending : cur.confirmed;
    const found = pool.find((s) => sameSpan(s, sel));
    return found ? { ...found, suggested: sel.suggested } : null;
  }

  function commit(confirmed, pending, select) {
    st.localPending = pending;
    if (select !== undefined) st.selected = select && { ...select, suggested: false };
    ctx.answer(
      question,
      confirmed.map((s) => withText(view.text, s)).sort(compareSpans),
    );
  }

  /** With overlap=False, say so and return true when `span` would overlap an accepted span. */
  function refused(span, confirmed, except = null) {
    if (question.overlap) return false;
    const other = conflict(span, confirmed, except);
    if (!other) return false;
    const text = view.text.slice(span.start, span.end);
    ctx.notify(
      `${quote(text)} overlaps ${quote(other.text)} (${isolate(other.label)}): spans may not overlap in this question.`,
    );
    return true;
  }

  function applyLabel(label) {
    if (!labels.includes(label)) return;
    const cur = current();
    const range = st.selection ?? (st.caret && st.caret.anchor !== st.caret.focus ? ordered(st.caret) : null);
    if (range) {
      const span = withText(view.text, { ...range, label });
      if (refused(span, cur.confirmed)) return;
      st.selection = null;
      if (st.caret) st.caret = { anchor: span.end, focus: span.end };
      commit(including(cur.confirmed, span), without(cur.pending, span), span);
      return;
    }
    const sel = selectedSpan(cur);
    if (sel?.suggested) {
      const span = { ...sel, label };
      if (refused(span, cur.confirmed)) return;
      commit(including(cur.confirmed, span), without(cur.pending, sel), span);
    } else if (sel) {
      if (sel.label !== label) commit(replacing(cur.confirmed, sel, { ...sel, label }), cur.pending, { ...sel, label });
    } else {
      ctx.notify(SELECT_FIRST, "info");
    }
  }

  function remove(span) {
    const cur = current();
    if (sameSpan(span, st.selected) && Boolean(span.suggested) === Boolean(st.selected?.suggested)) st.selected = null;
    if (span.suggested) commit(cur.confirmed, without(cur.pending, span));
    else commit(without(cur.confirmed, span), cur.pending);
  }

  /** Key 0: the answer is "nothing to mark" ([]); undecided suggestions are rejected. */
  function nothingToMark() {
    const cur = current();
    if (cur.confirmed.length > 0) {
      ctx.notify(MARKED_FIRST(cur.confirmed.length), "info");
      return;
    }
    st.selected = null;
    st.selection = null;
    commit([], []);
  }

  function acceptAll() {
    const cur = current();
    if (cur.suggested || cur.pending.length === 0) return false; // the kernel's accept covers it
    let confirmed = cur.confirmed;
    for (const p of cur.pending) {
      if (refused(p, confirmed)) return true;
      confirmed = including(confirmed, p);
    }
    commit(confirmed, []);
    return true;
  }

  function resize({ span, start, end }) {
    if (start === span.start && end === span.end) return;
    const cur = current();
    const next = withText(view.text, { start, end, label: span.label });
    if (span.suggested) {
      if (refused(next, cur.confirmed)) return;
      commit(including(cur.confirmed, next), without(cur.pending, span), next);
    } else {
      if (refused(next, cur.confirmed, span)) return;
      commit(replacing(cur.confirmed, span, next), cur.pending, next);
    }
  }

  // --- selecting ----------------------------------------------------------------

  function allSpans(cur) {
    return [
      ...cur.confirmed.map((s) => ({ ...s, suggested: false })),
      ...cur.pending.map((s) => ({ ...s, suggested: true })),
    ].sort(compareSpans);
  }

  const isSelected = (s) =>
    Boolean(st.selected) && sameSpan(s, st.selected) && Boolean(s.suggested) === Boolean(st.selected.suggested);

  function select(span) {
    st.selected = span ? { start: span.start, end: span.end, label: span.label, suggested: Boolean(span.suggested) } : null;
    st.selection = null;
    if (span && st.caret) st.caret = { anchor: span.end, focus: span.end };
  }

  function step(by) {
    const spans = allSpans(current());
    if (spans.length === 0) {
      ctx.notify("No spans on this record yet.", "info");
      return;
    }
    const i = spans.findIndex(isSelected);
    const next = i === -1 ? (by > 0 ? 0 : spans.length - 1) : (i + by + spans.length) % spans.length;
    select(spans[next]);
  }

  /** A click on marked text: the innermost span there, or the next one on repeated clicks. */
  function pickAt(ids) {
    const spans = ids.map((id) => marksById.get(id)).filter(Boolean);
    if (spans.length === 0) return select(null);
    const i = spans.findIndex(isSelected);
    if (i !== -1) return select(spans[(i + 1) % spans.length]);
    return select([...spans].sort((a, b) => a.end - a.start - (b.end - b.start))[0]);
  }

  // --- the keyboard caret -------------------------------------------------------------

  function caretOn() {
    const range = st.selection;
    if (range) st.caret = { anchor: range.start, focus: range.end };
    else if (st.lastCaret) st.caret = st.lastCaret;
    else {
      const at = firstStop(view.text);
      st.caret = { anchor: at, focus: at };
    }
    st.selection = null;
  }

  function moveBy(dir, extend) {
    const c = st.caret;
    if (!c) return;
    if (extend) {
      c.focus = extendFocus(view.text, c.focus, dir);
    } else if (c.anchor !== c.focus) {
      const r = ordered(c);
      c.anchor = c.focus = dir > 0 ? r.end : r.start;
    } else {
      c.anchor = c.focus = moveCaret(view.text, c.focus, dir);
    }
    st.selected = null;
  }

  function moveTo(where, extend) {
    if (!st.caret) return;
    const to = where === "start" ? 0 : view.text.length;
    st.caret.focus = to;
    if (!extend) st.caret.anchor = to;
    st.selected = null;
  }

  // --- mouse ---------------------------------------------------------------------------

  function onMouseDown(e) {
    if (e.button !== 0) return;
    ctx.focus?.(index);
    const handle = e.target.closest?.(".nbr-handle");
    if (handle) {
      e.preventDefault(); // no text selection while an edge is dragged
      e.stopPropagation();
      startDrag(handle.dataset.edge);
    }
  }

  function onMouseUp(e) {
    if (e.button !== 0 || st.drag) return;
    const sel = textEl.ownerDocument.getSelection?.();
    if (sel && sel.rangeCount > 0 && !sel.isCollapsed) {
      const range = rangeOffsets(textEl, sel.getRangeAt(0));
      if (range) {
        const snapped = snapSelection(view.text, range.start, range.end, { words: !e.altKey });
        sel.removeAllRanges();
        st.selected = null;
        st.selection = snapped;
        if (st.caret && snapped) st.caret = { anchor: snapped.start, focus: snapped.end };
        render();
        return;
      }
    }
    const tag = e.target.closest?.(".nbr-tag");
    const seg = e.target.closest?.(".nbr-seg");
    if (tag) select(marksById.get(tag.dataset.mark));
    else if (seg?.dataset.marks) pickAt(seg.dataset.marks.split(" "));
    else select(null);
    st.selection = null;
    if (st.caret && !st.selected && sel?.rangeCount) {
      const at = domOffset(textEl, sel.anchorNode, sel.anchorOffset);
      if (at !== null) st.caret = { anchor: at, focus: at };
    }
    render();
  }

  function startDrag(edge) {
    const span = selectedSpan(current());
    if (!span || (edge !== "start" && edge !== "end")) return;
    st.drag = { edge, span, start: span.start, end: span.end };
    const win = textEl.ownerDocument.defaultView;
    win.addEventListener("mousemove", onDragMove, true);
    win.addEventListener("mouseup", onDragEnd, true);
  }

  function stopDrag() {
    const win = textEl.ownerDocument.defaultView;
    win?.removeEventListener("mousemove", onDragMove, true);
    win?.removeEventListener("mouseup", onDragEnd, true);
    const drag = st.drag;
    st.drag = null;
    return drag;
  }

  function onDragMove(e) {
    const d = st.drag;
    if (!d) return;
    e.preventDefault();
    const p = pointOffset(textEl, e.clientX, e.clientY);
    if (p === null) return;
    const at = snapEdge(view.text, p, d.edge, { words: !e.altKey });
    if (d.edge === "start" && at < d.end) d.start = at;
    if (d.edge === "end" && at > d.start) d.end = at;
    render();
  }

  function onDragEnd(e) {
    onDragMove(e);
    const d = stopDrag();
    if (d) resize(d);
    render();
  }

  // --- drawing --------------------------------------------------------------------------

  function marks(cur) {
    const out = [];
    let n = 0;
    marksById = new Map();
    for (const s of allSpans(cur)) {
      let { start, end } = s;
      if (st.drag && sameSpan(s, st.drag.span) && s.suggested === Boolean(st.drag.span.suggested)) {
        ({ start, end } = st.drag);
      }
      const m = { ...s, id: `m${n++}`, start, end, color: color(s.label), selected: isSelected(s) };
      marksById.set(m.id, { ...s });
      out.push(m);
    }
    return out;
  }

  function drawList(cur) {
    const spans = allSpans(cur);
    const none = answeredNone(cur);
    const key = JSON.stringify([view.key, spans, st.selected, none]);
    if (key === listKey) return;
    listKey = key;
    const nAccepted = cur.confirmed.length;
    const nSuggested = cur.pending.length;
    setText(
      listTitle,
      `Spans: ${nAccepted}${nSuggested ? ` · ${nSuggested} suggested (a accepts all)` : ""}`,
    );
    if (spans.length === 0) {
      list.replaceChildren(
        h(
          "li",
          { class: "nbr-spans-empty" },
          none
            ? "Nothing to mark ✓ (select text and press a label key to mark a span after all)"
            : "Nothing marked. Select text, then press a label key (0: nothing to mark).",
        ),
      );
      return;
    }
    list.replaceChildren(
      ...spans.map((s) => {
        const chip = h("span", { class: "nbr-span-chip", dir: "auto" }, s.label);
        chip.style.setProperty("--nbr-c", color(s.label));
        const item = h(
          "li",
          {
            class: `nbr-span-item${s.suggested ? " nbr-span-suggested" : ""}${isSelected(s) ? " nbr-selected" : ""}`,
            dataset: { start: String(s.start), end: String(s.end), label: s.label },
            title: s.suggested ? "suggested: click to select" : "click to select",
            onmousedown: keepFocus,
            onclick: () => run(act("pick", { span: s })),
          },
          chip,
          h("span", { class: "nbr-span-text", dir: "auto" }, s.text),
          s.suggested
            ? h(
                "button",
                {
                  type: "button",
                  class: "nbr-span-accept",
                  tabindex: "-1",
                  title: "accept this suggestion",
                  "aria-label": "accept",
                  onmousedown: keepFocus,
                  onclick: (e) => {
                    e.stopPropagation();
                    run(act("accept-one", { span: s }));
                  },
                },
                "✓",
              )
            : null,
          h(
            "button",
            {
              type: "button",
              class: "nbr-span-delete",
              tabindex: "-1",
              title: s.suggested ? "reject this suggestion" : "delete (Backspace)",
              "aria-label": s.suggested ? "reject" : "delete",
              onmousedown: keepFocus,
              onclick: (e) => {
                e.stopPropagation();
                run(act("remove", { span: s }));
              },
            },
            "✕",
          ),
        );
        return item;
      }),
    );
  }

  function hintText(cur) {
    const n = Math.min(labels.length, 9);
    const keys = n <= 1 ? "1" : `1–${n}`;
    const sel = selectedSpan(cur);
    if (view.missing) return `This record has no text at ${field}: nothing to mark here.`;
    if (st.drag) return "Drag to resize · hold Alt for single characters";
    if (st.caret) {
      const r = ordered(st.caret);
      const picked = r.start < r.end ? `${quote(view.text.slice(r.start, r.end))} · ${keys} label it · ` : "";
      return `Caret: ${picked}←/→ move by word · Shift+←/→ extend · Esc leave caret`;
    }
    if (st.selection) {
      return `${quote(view.text.slice(st.selection.start, st.selection.end))} selected · press ${keys} or click a label`;
    }
    if (sel) {
      const what = `${quote(sel.text)} (${isolate(sel.label)}${sel.suggested ? ", suggested" : ""})`;
      return sel.suggested
        ? `${what} · ${keys} accept with that label · Backspace reject`
        : `${what} · ${keys} relabel · Backspace delete · drag an edge to resize (Alt: by character)`;
    }
    return `Select text with the mouse, then ${keys} or a label · c keyboard caret · ↑/↓ select a span · 0 nothing to mark`;
  }

  function attach() {
    const body = ctx.claimField?.(field, index) ? ctx.fieldBody?.(field) : null;
    if (body) {
      if (textEl.parentNode !== body) {
        body.replaceChildren(textEl);
        body.classList.add("nbr-spans-body");
        body.after(panel);
        claimedSection = body.closest(".nbr-message") ?? body.closest(".nbr-field");
        claimedSection?.classList.add("nbr-field-spans");
        drawnKey = null;
      }
      setFlag(host, "hidden", true);
      claimedSection?.classList.toggle("nbr-spans-active", view.focused);
    } else {
      if (textEl.parentNode !== ownBody) {
        ownBody.replaceChildren(textEl);
        host.replaceChildren(ownBody, panel);
        drawnKey = null;
      }
      setFlag(host, "hidden", false);
    }
  }

  function render() {
    const cur = current();
    const all = marks(cur);
    const caret = st.caret ? st.caret.focus : null;
    const selection = st.caret ? (st.caret.anchor !== st.caret.focus ? ordered(st.caret) : null) : st.selection;
    const handles = all.find((m) => m.selected)?.id ?? null;
    const key = JSON.stringify([view.key, view.text.length, all, caret, selection, handles]);
    if (key !== drawnKey) {
      drawnKey = key;
      drawText(textEl, view.text, all, { selection, caret, handles });
      if (caret !== null || handles !== null) {
        textEl.querySelector(caret !== null ? ".nbr-caret" : ".nbr-tag-selected")?.scrollIntoView?.({
          block: "nearest",
          inline: "nearest",
        });
      }
    }
    textEl.classList.toggle("nbr-caret-mode", Boolean(st.caret));
    drawList(cur);
    showIsolated(hint, hintText(cur));
    const none = answeredNone(cur);
    noneButton.classList.toggle("nbr-selected", none);
    noneButton.setAttribute("aria-pressed", String(none));
    setFlag(shell.suggestedTag, "hidden", !(cur.suggested || cur.pending.length > 0));
  }

  // --- the component -------------------------------------------------------------------

  return {
    el: shell.el,
    question,
    update(state) {
      shell.update(state);
      const rec = state.record ?? null;
      const key = rec?.key ?? null;
      if (key !== view.key) {
        if (st.drag) stopDrag();
        st = blank();
      }
      // `field` is a column or one chat message ("messages[-1]"); null: this record lacks it.
      const text = rec ? targetText(rec.fields, field) : "";
      view = { key, text: text ?? "", missing: text === null, focused: Boolean(state.focused) };
      if (state.suggested) st.localPending = null; // no answer: the kernel's suggestions are all pending
      if (!state.focused && st.caret) {
        st.lastCaret = st.caret;
        st.caret = null;
      }
      attach();
      render();
      setFlag(shell.suggestedTag, "hidden", !(state.suggested || current().pending.length > 0));
    },
    keyAction(e) {
      if (!view.key || e.ctrlKey || e.metaKey || e.altKey) return null;
      const k = e.key;
      if (st.caret) {
        if (k === "ArrowLeft" || k === "ArrowRight") return act("caret", { dir: k === "ArrowRight" ? 1 : -1, extend: e.shiftKey });
        if (k === "Home" || k === "End") return act("caret-to", { where: k === "Home" ? "start" : "end", extend: e.shiftKey });
        if (k === "Escape") return act("caret-off");
      }
      if (!e.shiftKey && letterOf(e) === "c") return act("caret-toggle");
      if (k === "ArrowUp" || k === "ArrowDown") return act("step", { by: k === "ArrowDown" ? 1 : -1 });
      if ((k === "Backspace" || k === "Delete") && st.selected) return act("remove-selected");
      if (k === "Escape" && (st.selected || st.selection)) return act("deselect");
      return null;
    },
    perform(action) {
      if (!view.key) return false;
      if (action.type === "digit" && action.digit === 0) {
        nothingToMark();
      } else if (action.type === "digit") {
        const label = labels[action.digit - 1];
        if (!label || action.digit < 1) return false;
        applyLabel(label);
      } else if (action.type === "kind") {
        switch (action.op) {
          case "label":
            applyLabel(action.label);
            break;
          case "none":
            nothingToMark();
            break;
          case "caret-toggle":
            if (st.caret) {
              st.lastCaret = st.caret;
              st.caret = null;
            } else caretOn();
            break;
          case "caret":
            moveBy(action.dir, action.extend);
            break;
          case "caret-to":
            moveTo(action.where, action.extend);
            break;
          case "caret-off":
            st.lastCaret = st.caret;
            st.caret = null;
            break;
          case "step":
            step(action.by);
            break;
          case "remove-selected": {
            const sel = selectedSpan(current());
            if (sel) remove(sel);
            break;
          }
          case "remove":
            remove(action.span);
            break;
          case "accept-one": {
            const cur = current();
            if (cur.pending.some((p) => sameSpan(p, action.span))) {
              st.selected = { ...action.span, suggested: true };
              st.selection = null;
              applyLabel(action.span.label);
            }
            break;
          }
          case "pick":
            select(allSpans(current()).find((s) => sameSpan(s, action.span) && s.suggested === action.span.suggested));
            break;
          case "deselect":
            select(null);
            st.selection = null;
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
    accept: () => {
      const done = acceptAll();
      if (done) render();
      return done;
    },
    hasPending: () => {
      const cur = current();
      return !cur.suggested && cur.pending.length > 0;
    },
    reset() {
      if (st.drag) stopDrag();
      st = blank();
    },
    destroy() {
      if (st.drag) stopDrag();
      panel.remove();
      claimedSection?.classList.remove("nbr-field-spans", "nbr-spans-active");
    },
  };
}

function help(question) {
  const n = Math.min((question.labels ?? []).length, 9);
  const keys = n <= 1 ? "1" : `1 – ${n}`;
  return [
    [keys, `spans: label the selected text; relabel the selected span (accepts a suggested one)`],
    ["0", "spans: nothing to mark (rejects suggestions not yet accepted)"],
    ["c", "spans: keyboard caret on / off"],
    ["← / → (caret)", "move the caret by word; Shift extends the selection"],
    ["Home / End (caret)", "start / end of the text"],
    ["↑ / ↓", "spans: select the previous / next span"],
    ["Backspace", "delete the selected span (reject a suggested one)"],
    ["Esc (spans)", "leave caret mode, or unselect"],
    ["drag an edge", "resize the selected span, by word (hold Alt: by character)"],
  ];
}

export default {
  kinds: ["spans"],
  build,
  isAnswered: (_question, value) => Array.isArray(value),
  help,
};
