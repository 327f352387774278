// The marked text: the field's text with the spans drawn over it (segments, lanes, tags, edge
// handles, the caret), placed over the field's own text when the question may claim it, else
// inside the question with the span panel.
import { h, setFlag } from "../dom.js";
import { allSpans } from "./answer.js";
import { sameSpan } from "./model.js";
import { caretRange, isSelected } from "./state.js";
import { drawText } from "./text.js";

/** The text element and where it goes. `host` is the question's own place for it. */
export function textView(s) {
  // dir="auto": right-to-left text stays right to left; offsets are the DOM's, so spans still
  // land on the characters selected.
  const el = h("div", {
    class: "nbr-spans-text",
    dir: "auto",
    dataset: { question: String(s.question.name), field: s.field },
  });
  const v = {
    el,
    ownBody: h("div", { class: "nbr-field-body nbr-spans-body" }),
    host: h("div", { class: "nbr-spans-host", hidden: true }),
    drawnKey: null, // what the text was last drawn with
    marksById: new Map(),
    claimed: null, // the field (or message) section drawn over
  };
  return {
    el,
    host: v.host,
    /** The span drawn as mark `id` (as clicked in the text), or undefined. */
    markOf: (id) => v.marksById.get(id),
    draw: (cur) => draw(s, v, cur),
    place: (panel) => place(s, v, panel),
    destroy() {
      v.claimed?.classList.remove("nbr-field-spans", "nbr-spans-active");
    },
  };
}

/** The marks to draw: every span, the dragged one at its dragged extent; fills v.marksById. */
function marks(s, v, cur) {
  const { drag } = s.st;
  const out = [];
  let n = 0;
  v.marksById = new Map();
  for (const x of allSpans(cur)) {
    let { start, end } = x;
    if (drag && sameSpan(x, drag.span) && x.suggested === Boolean(drag.span.suggested)) ({ start, end } = drag);
    const m = { ...x, id: `m${n++}`, start, end, color: s.color(x.label), selected: isSelected(s, x) };
    v.marksById.set(m.id, { ...x });
    out.push(m);
  }
  return out;
}

/** Redraw the text when what it shows changed; the caret or selected tag scrolls into view. */
function draw(s, v, cur) {
  const { st, view } = s;
  const all = marks(s, v, cur);
  const caret = st.caret ? st.caret.focus : null;
  const selection = st.caret ? caretRange(st.caret) : st.selection;
  const handles = all.find((m) => m.selected)?.id ?? null;
  const key = JSON.stringify([view.key, view.text.length, all, caret, selection, handles]);
  if (key !== v.drawnKey) {
    v.drawnKey = key;
    drawText(v.el, view.text, all, { selection, caret, handles });
    if (caret !== null || handles !== null) {
      v.el.querySelector(caret !== null ? ".nbr-caret" : ".nbr-tag-selected")?.scrollIntoView?.({
        block: "nearest",
        inline: "nearest",
      });
    }
  }
  v.el.classList.toggle("nbr-caret-mode", Boolean(st.caret));
}

/** Over the field's own text when the question claims it (the panel after it), else in `host`. */
function place(s, v, panel) {
  const body = s.ctx.claimField?.(s.field, s.index) ? s.ctx.fieldBody?.(s.field) : null;
  if (body) {
    if (v.el.parentNode !== body) {
      body.replaceChildren(v.el);
      body.classList.add("nbr-spans-body");
      body.after(panel);
      v.claimed = body.closest(".nbr-message") ?? body.closest(".nbr-field");
      v.claimed?.classList.add("nbr-field-spans");
      v.drawnKey = null;
    }
    setFlag(v.host, "hidden", true);
    v.claimed?.classList.toggle("nbr-spans-active", s.view.focused);
  } else {
    if (v.el.parentNode !== v.ownBody) {
      v.ownBody.replaceChildren(v.el);
      v.host.replaceChildren(v.ownBody, panel);
      v.drawnKey = null;
    }
    setFlag(v.host, "hidden", false);
  }
}
