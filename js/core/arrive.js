// What the kernel's replies and records painted ahead of it do to the state: acks, faults,
// answers acknowledged, the record on screen and the keys held during a record change.
import { prunePending } from "../pending.js";
import { dropFirst, hold, NOTHING_HELD, settleHeld } from "../typeahead.js";
import { ackOf, recordOf } from "./state.js";
import { STALLED_TEXT } from "../widget/notices.js";
import { effect, set } from "./step.js";

/** A record is on screen (the kernel's or one painted ahead): a new one resets the focus. */
export function arrive(r) {
  const key = recordOf(r.state)?.key ?? null;
  if (key !== r.state.recordKey) {
    set(r, { recordKey: key, focus: 0, missing: [] });
    effect(r, "recordShown");
  }
  return set(r, { notice: null });
}

/** The traits after a sync: one action per kernel reply, whatever traits it changed. */
export function onKernel(r, { view, record, link, page }) {
  if (r.state.stale) return r;
  set(r, { kernel: { view: view ?? {}, record: record ?? null, link: link ?? null, page: page ?? null } });
  const ack = ackOf(r.state);
  const faulted = Boolean(link?.fault) || view?.notice?.kind === "unsaved";
  const { shown } = r.state;
  // The kernel's record is the truth again once it has the move; and at once when what was
  // sent could not be stored, so the unsaved answers stay on screen, on their record.
  if (shown && (ack >= shown.seq || faulted)) set(r, { shown: null });
  set(r, { pending: prunePending(r.state.pending, ack), held: settleHeld(r.state.held, ack) });
  if (r.state.seq <= ack) set(r, { failing: false, saved: r.state.saved || r.state.failing });
  else if (faulted) set(r, { failing: true });
  effect(r, "settled", { ack, faulted });
  return arrive(r);
}

/** An action typed during a record change waits for it. */
export const onHold = (r, { action }) => set(r, { held: hold(r.state.held, action) });

/** The held action about to run leaves the queue. */
export const onUnhold = (r) => set(r, { held: dropFirst(r.state.held) });

/** The kernel did not answer the record change in time: held keys are dropped, and said so. */
export function onStall(r, { seq }) {
  const { held } = r.state;
  if (!held.owed || (seq !== undefined && held.owed !== seq)) return r;
  set(r, { held: NOTHING_HELD });
  return held.queue.length ? set(r, { notice: { kind: "error", text: STALLED_TEXT } }) : r;
}
