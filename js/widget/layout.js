// A reviewer's layout. At SIDE_MIN px and wider (config.layout "auto") the questions, the
// buttons and the notice sit in a column beside the record and stay in view while a long
// record scrolls, the guidelines at their head; layout "stacked" keeps them below the record,
// and open guidelines beside it when there is room.
import { h } from "../dom.js";
import "./layout.css";

export const SIDE_MIN = 1100;
export const GUIDE_MIN = 720; // narrower than this, open guidelines go above the record again

/** The layout's classes for a widget this wide: which of side / guide-beside apply. */
export function layoutFor(width, layout = "auto") {
  return {
    side: layout !== "stacked" && width >= SIDE_MIN,
    guideBeside: width >= GUIDE_MIN,
  };
}

/** The nearest ancestor that scrolls (through a shadow root's host), or null for the page. */
export function scrollerOf(node) {
  for (let el = upOf(node); el && el !== document.body; el = upOf(el)) {
    const { overflowY } = getComputedStyle(el);
    if ((overflowY === "auto" || overflowY === "scroll") && el.scrollHeight > el.clientHeight) {
      return el;
    }
  }
  return null;
}

const upOf = (el) => el.parentElement ?? el.getRootNode?.().host ?? null;

/**
 * Let the question column stick: a box between the widget and the page's scroller that clips
 * (a host's output area, overflow hidden or auto, scrolling nothing) would hold it in place.
 * `overflow: clip` clips the same but scrolls nothing, so sticky looks past it. Returns the
 * function that puts each box back as it was.
 */
export function unclip(root, scroller) {
  const changed = [];
  // Only the cell's own boxes: the notebook's, from the cell up, are the host's business.
  const host = root.getRootNode?.().host;
  const cell = root.closest(".jp-Cell") ?? host?.closest?.(".marimo-cell") ?? scroller;
  for (let el = upOf(root); el && el !== cell && el !== document.body; el = upOf(el)) {
    const { overflowX, overflowY } = getComputedStyle(el);
    if (overflowX === "visible" && overflowY === "visible") continue;
    if (overflowX === "clip" && overflowY === "clip") continue;
    changed.push([el, el.style.overflow]);
    el.style.overflow = "clip";
  }
  return () => {
    for (const [el, before] of changed) el.style.overflow = before;
  };
}

/**
 * Wrap the question column once (`display: contents` while stacked, so nothing moves) and
 * watch the width of `el`, the host's box around the widget. Returns { update, destroy }.
 */
export function attachLayout({ el, root, parts, others, layout }) {
  const aside = h("div", { class: "nbr-aside" });
  parts.fields.after(aside);
  aside.append(others.el, parts.questions, parts.actions, parts.notice);

  // Side by side, the guidelines head the question column; stacked, they are the root's.
  const placeGuidelines = (side) => {
    const guide = parts.guidelines;
    if (side && guide.parentElement !== aside) aside.prepend(guide);
    if (!side && guide.parentElement === aside) {
      root.insertBefore(guide, root.querySelector(":scope > .nbr-help") ?? aside);
    }
  };
  let restore = null;
  const apply = () => {
    const full = root.classList.contains("nbr-full");
    const width = full ? root.clientWidth : el.clientWidth || root.clientWidth;
    const { side, guideBeside } = layoutFor(width, layout());
    root.classList.toggle("nbr-side", side);
    root.classList.toggle("nbr-guide-beside", guideBeside);
    placeGuidelines(side);
    restore?.();
    restore = null;
    if (full) root.style.setProperty("--nbr-view-height", `${root.clientHeight - 40}px`);
    if (full || !root.isConnected) return;
    // The columns stay in view: no taller than what the scrolling box around them shows.
    const scroller = scrollerOf(root);
    restore = side || guideBeside ? unclip(root, scroller) : null;
    const visible = scroller ? scroller.clientHeight : window.innerHeight;
    root.style.setProperty("--nbr-view-height", `${Math.max(320, visible - 24)}px`);
  };
  const observer = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(apply);
  observer?.observe(el);
  window.addEventListener("resize", apply);
  apply();
  return {
    aside,
    update: apply,
    destroy() {
      restore?.();
      observer?.disconnect();
      window.removeEventListener("resize", apply);
    },
  };
}
