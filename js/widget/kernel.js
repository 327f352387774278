// The widget's line to the kernel: numbered messages kept until acknowledged, answers shown
// before the kernel confirms them, resends after a fault, keys held during a record change.
import { createOutbox, newViewId } from "../outbox.js";
import { createPending } from "../pending.js";
import { createRetry } from "../retry.js";
import { createTypeahead } from "../typeahead.js";

// How long keys typed ahead of a record change wait for the kernel before they are dropped.
export const AWAIT_MS = 5000;

export function createKernelLink(model, { onStall, onSaved }) {
  const outbox = createOutbox(model, undefined, newViewId());
  const pending = createPending();
  const retry = createRetry({ resend: () => outbox.resend(), onSaved });
  const typeahead = createTypeahead({ timeoutMs: AWAIT_MS, onStall });

  const view = () => model.get("view") ?? {};
  const link = () => model.get("link") ?? null;
  // This view's own ack when the kernel keeps one per view; else the view's (tests, old kernels).
  const ack = () => link()?.acks?.[outbox.viewId] ?? (link() ? 0 : (view().ack ?? 0));

  return {
    outbox,
    pending,
    typeahead,
    view,
    ack,
    fault: () => link()?.fault ?? null,
    /** The record on screen: its fixed part (trait "record") under what answers change. */
    record() {
      const changing = view().record ?? null;
      const fixed = model.get("record") ?? {};
      return changing && fixed.key === changing.key ? { ...fixed, ...changing } : changing;
    },
    /** A view arrived: forget what it acknowledges, and retry what a fault held back. */
    settle() {
      pending.prune(ack());
      outbox.acked(ack());
      const fault = Boolean(link()?.fault) || view().notice?.kind === "unsaved";
      retry.update({ fault, unacked: outbox.unacked });
    },
    /** Changes sent and not stored while the store fails (0 when all is well). */
    get unsaved() {
      return retry.failing ? outbox.unacked : 0;
    },
    destroy() {
      retry.destroy();
      typeahead.destroy();
    },
  };
}
