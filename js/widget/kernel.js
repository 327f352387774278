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
  // Rendered: the kernel may now send the next records ahead (kept out of the opening state).
  model.send({ type: "ahead" });

  const kernelView = () => model.get("view") ?? {};
  const link = () => model.get("link") ?? null;
  let shown = null; // {record, seq}: a record painted ahead of the kernel (prefetch)
  // The view as the kernel sent it, or moved to the record painted ahead of it.
  const view = () => {
    let v = kernelView();
    if (v.queue?.open && v.queue.page === undefined) {
      // The queue table's page crosses in trait "queue_page", in the same sync as its view.
      v = { ...v, queue: { ...v.queue, page: model.get("queue_page") ?? null } };
    }
    if (!shown) return v;
    const { row, index } = shown.record;
    return { ...v, position: row, index: index ?? null, done: false, notice: null };
  };
  // This view's own ack when the kernel keeps one per view; else the view's (tests, old kernels).
  const ack = () => link()?.acks?.[outbox.viewId] ?? (link() ? 0 : (kernelView().ack ?? 0));
  const kernelRecord = () => {
    const changing = kernelView().record ?? null;
    const fixed = model.get("record") ?? {};
    if (!changing || fixed.key !== changing.key) return changing;
    const { ahead, ...rest } = fixed;
    return { ...rest, ...changing };
  };

  return {
    outbox,
    pending,
    typeahead,
    view,
    ack,
    fault: () => link()?.fault ?? null,
    /** The record on screen: the one painted ahead, else the kernel's (its fixed part,
     * trait "record", under what answers change). */
    record() {
      return shown ? shown.record : kernelRecord();
    },
    /**
     * The record Enter ("open") or → ("next") will show, when the kernel sent it ahead;
     * after a record painted ahead, the one after it.
     */
    predict(kind) {
      const ahead = model.get("record")?.ahead?.[kind] ?? [];
      const at = shown ? ahead.findIndex((r) => r.key === shown.record.key) + 1 : 0;
      return (shown && at === 0) || at >= ahead.length ? null : ahead[at];
    },
    /** How many records Enter could paint ahead of the kernel (the DOM hook data-ahead). */
    aheadCount() {
      return (model.get("record")?.ahead?.open ?? []).length;
    },
    /** Paint `record` now; message `seq` asked for it, and the kernel's view for it settles it. */
    show(record, seq) {
      shown = { record, seq };
    },
    /** A view arrived: forget what it acknowledges, and retry what a fault held back. */
    settle() {
      const faulted = Boolean(link()?.fault) || kernelView().notice?.kind === "unsaved";
      // The kernel's record is the truth again once it has the move; and at once when what
      // was sent could not be stored, so the unsaved answers stay on screen, on their record.
      if (shown && (ack() >= shown.seq || faulted)) shown = null;
      pending.prune(ack());
      outbox.acked(ack());
      retry.update({ fault: faulted, unacked: outbox.unacked });
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
