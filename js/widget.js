// The nbreview widget: renders the record the kernel shows and turns keys and clicks into messages.
import "./widget.css";
import {
  answerForDigit,
  chooseOption,
  isAnswered,
  isComplete,
  missingQuestions,
  pendingSuggestions,
  sameValue,
  shownValue,
} from "./answers.js";
import { setFlag, setText } from "./dom.js";
import { renderFields } from "./fields.js";
import { renderMarkdown } from "./render/markdown.js";
import { claimTarget, showUnits, toggleFolds, turnElement, turnSlot } from "./render/record.js";
import { buildHelp } from "./help.js";
import { buildOthers } from "./others.js";
import { buildQueue } from "./queue.js";
import { actionForKey, ownsKey } from "./keys.js";
import { buildQuestion, pluginOf } from "./kinds/index.js";
import { guardShortcuts } from "./suppress.js";

import { AWAIT_MS, createKernelLink } from "./widget/kernel.js";
import {
  chooseNotice,
  DONE_TEXT,
  EMPTY_TEXT,
  positionText,
  SAVED_TEXT,
  STALE_TEXT,
  STALLED_TEXT,
  unsavedText,
} from "./widget/notices.js";
import { buildRoot, buildShell, showChrome } from "./widget/shell.js";
import { buildFeedback } from "./widget/feedback.js";
import { attachVisitor } from "./widget/visitor.js";

export { AWAIT_MS, DONE_TEXT, EMPTY_TEXT, positionText, SAVED_TEXT, STALE_TEXT, STALLED_TEXT, unsavedText };

// Actions that touch no record run at once, even while a record change is in flight.
const NO_GUIDELINES = "No guidelines were given for this review.";
const IMMEDIATE = new Set(["help", "guidelines", "release", "leave", "raw", "search", "queue", "full", "unfold"]);

function render({ model, el, signal }) {
  const s = {
    focus: 0, // index of the focused question
    recordKey: undefined,
    fieldsKey: undefined, // record whose fields are on screen
    localNotice: null,
    questions: [], // built question components (js/kinds/)
    claims: new Map(), // field column → index of the question that draws over its text
    raw: false, // the raw switch (key r): markdown fields and chats shown as their raw text
    stale: false, // the kernel restarted or stopped: this widget is a picture of the past
    saved: false, // what a fault held back is stored now: say so until the next action
  };
  const kernel = createKernelLink(model, {
    onStall: () => {
      s.localNotice = { kind: "error", text: STALLED_TEXT };
      update();
    },
    onSaved: () => {
      s.saved = true; // said until the reviewer's next action
    },
  });
  const { outbox, pending, typeahead } = kernel;

  const refocus = () => root.focus({ preventScroll: true });
  const p = buildShell((action) => {
    dispatch(action);
    refocus();
  });
  const { fields, questions, notice, guidelines, guidelinesText, rawToggle, actions } = p;
  let help = p.help;
  // Adjudication: the other annotators' answers; "Use" takes one as the final answer.
  const others = buildOthers((question, value) => {
    answer(question, value);
    refocus();
  });
  // The queue: search, status filter and a table to jump from (js/queue.js).
  const queue = buildQueue({
    send: (type, fields) =>
      type === "queue_page" ? outbox.send(type, fields) : sendRecordChange(type, fields),
    leave: refocus,
  });
  const root = buildRoot(p, { queue, others, onKeydown });
  const feedback = buildFeedback(); // gold_feedback: the expected answers after a gold submit
  p.banner.after(feedback.el);
  p.stale.textContent = STALE_TEXT;
  el.append(root);
  // Who answers, their other windows, the layout, the host (js/widget/visitor.js).
  const visitor = attachVisitor({ model, el, root, parts: p, others, refocus });

  const config = () => model.get("config") ?? {};
  const view = kernel.view;
  const record = kernel.record;
  const questionConfigs = () => s.questions.map((c) => c.question);
  const focusedQuestion = () => s.questions[s.focus]?.question ?? null;
  const ack = kernel.ack;
  const answersNow = () => pending.overlay(record()?.answers ?? {}, record()?.key ?? null);

  // --- building -----------------------------------------------------------

  function buildQuestions() {
    for (const c of s.questions) c.destroy?.();
    s.claims.clear();
    // A click on an option answers, then hands focus back to the root, where the keys live.
    const clicked = (action) => {
      dispatch(action);
      root.focus({ preventScroll: true });
    };
    // What a question kind may ask of the widget (docs/protocol.md, "question kinds").
    const ctx = {
      choose: (index, value) => clicked({ type: "option", index, value }),
      none: (index) => clicked({ type: "none", index }),
      focus: (index) => {
        if (s.focus !== index) {
          s.focus = index;
          update();
        }
      },
      answer: (question, value) => answer(question, value),
      dispatch: (action) => dispatch(action),
      refocus: () => root.focus({ preventScroll: true }),
      current: (question) => shownValue(question, answersNow(), record()?.suggestions ?? {}),
      notify: (text, kind = "error") => {
        s.localNotice = { kind, text };
        update();
      },
      claimField: (column, index) => {
        if (!s.claims.has(column)) s.claims.set(column, index);
        return s.claims.get(column) === index;
      },
      // A column, or one message of a chat ("messages[-1]"): js/render/record.js.
      fieldBody: (target) => claimTarget(fields, target),
      // Per-turn questions (js/kinds/turns.js): where turn i of a chat or steps field is.
      turnSlot: (column, i) => turnSlot(fields, column, i),
      turnElement: (column, i) => turnElement(fields, column, i),
      keys: () => config().keys ?? {},
      fieldKind: (column) => (config().fields ?? []).find((f) => f.column === column)?.kind ?? null,
    };
    s.questions = (config().questions ?? []).map((q, i) => buildQuestion(q, i, ctx));
    questions.replaceChildren(...s.questions.map((c) => c.el));
  }

  function onConfig() {
    buildQuestions();
    const text = config().guidelines ?? "";
    const loadImages = Boolean(config().load_images);
    guidelinesText.replaceChildren(
      text === "" ? NO_GUIDELINES : renderMarkdown(text, { loadImages }),
    );
    const markdown = (config().fields ?? []).some((f) => f.kind === "markdown" || f.kind === "chat");
    setFlag(rawToggle, "hidden", !markdown);
    guidelinesText.classList.toggle("nbr-empty", text === "");
    // No guidelines: no control for them (and g says so, below).
    setFlag(p.guidelinesToggle, "hidden", text === "");
    if (text === "") guidelines.hidden = true;
    const fresh = buildHelp(config());
    fresh.hidden = help.hidden;
    help.replaceWith(fresh);
    help = fresh;
    s.fieldsKey = undefined;
    s.focus = Math.min(s.focus, Math.max(0, s.questions.length - 1));
    update();
  }

  function onView() {
    if (s.stale) return;
    kernel.settle();
    const key = record()?.key ?? null;
    if (key !== s.recordKey) {
      s.recordKey = key;
      s.focus = 0;
      outbox.recordShown();
      // Unsent typing (and other local edits) belonged to the old record; drop them.
      for (const c of s.questions) {
        c.reset?.();
        c.el.classList.remove("nbr-missing");
      }
      if (root.contains(document.activeElement) && document.activeElement !== root) {
        root.focus({ preventScroll: true });
      }
    }
    s.localNotice = null;
    update();
    if (typeahead.settle(ack())) {
      // Replay keys typed during the record change, until one starts another.
      for (let a = typeahead.next(ack()); a !== undefined; a = typeahead.next(ack())) perform(a);
    }
  }

  // --- rendering ----------------------------------------------------------

  function update() {
    const v = view();
    const rec = record();
    const answers = answersNow();
    const suggestions = rec?.suggestions ?? {};
    const qs = questionConfigs();
    queue.update(v);
    feedback.update(v.feedback ?? null);
    const key = rec?.key ?? null;
    if (s.fieldsKey !== key) {
      renderFields(fields, config().fields ?? [], rec?.fields ?? {});
      s.fieldsKey = key;
    }
    others.update(withCompanions(qs), rec?.others ?? {});
    const waiting = kernel.unsaved;
    root.dataset.ahead = String(kernel.aheadCount());
    s.questions.forEach((c, i) => {
      const { value, suggested } = shownValue(c.question, answers, suggestions);
      const answered = answeredFor(c.question, value, answers);
      c.update({ value, suggested, focused: i === s.focus, answered, record: rec });
      c.el.classList.toggle("nbr-unsaved", waiting > 0 && pending.has(c.question.name, rec?.key ?? null));
      if (answered) c.el.classList.remove("nbr-missing");
    });
    // After the questions: a field a question draws over is shown raw (claimed); fields a
    // question draws itself (a preference's two sides) render like the field list's.
    for (const area of [root, questions]) {
      showUnits(area, { raw: s.raw, loadImages: Boolean(config().load_images) });
    }
    const pendingHere = s.questions.some((c) => c.hasPending?.());
    showChrome(p, root, {
      v,
      rec,
      ack: ack(),
      raw: s.raw,
      help,
      acceptable: pendingHere || pendingSuggestions(qs, answers, suggestions).length > 0,
      ready: isComplete(qs, answers, answeredFor),
      unsaved: waiting > 0,
      notice: chooseNotice({
        unsaved: waiting > 0,
        fault: kernel.fault(),
        waiting,
        local: s.localNotice,
        saved: s.saved,
        kernel: v.notice,
      }),
    });
  }

  // --- actions ------------------------------------------------------------

  function flushAll() {
    for (const c of s.questions) c.flush?.();
  }

  /** The questions, each followed by those answered with it (a preference's strength). */
  function withCompanions(questions) {
    return questions.flatMap((q) => [q, ...(pluginOf(q).companions?.(q) ?? [])]);
  }

  function answeredFor(question, value, answers = answersNow()) {
    return (pluginOf(question).isAnswered ?? isAnswered)(question, value, answers, record());
  }

  function answer(question, value) {
    const rec = record();
    if (!rec) return;
    const q = question;
    // One key answers, submits and advances (config.one_key: the kernel asks Question.one_key).
    const oneKey = Boolean(config().one_key);
    const answers = answersNow();
    if (!oneKey && (Object.hasOwn(answers, q.name) ? sameValue(answers[q.name], value) : value === null)) {
      return; // nothing changes
    }
    const fields = { key: rec.key, question: q.name, value };
    if (oneKey) {
      // Answer, submit and advance in one message: the next record is painted at once.
      fields.submit = true;
      const { seq, painted } = sendRecordChange("answer", fields, value === null ? null : "open");
      if (!painted) {
        pending.set(q.name, value, seq, rec.key); // shown chosen until the kernel moves on
        update();
      }
      return;
    }
    const seq = outbox.send("answer", fields);
    pending.set(q.name, value, seq, rec.key);
    update();
  }

  /** Send a message that moves to another record; paint that record now when it is known. */
  function sendRecordChange(type, fields, kind = aheadKind(type, fields)) {
    flushAll();
    const next = kind ? kernel.predict(kind) : null;
    const seq = outbox.send(type, fields);
    if (next) {
      kernel.show(next, seq); // the kernel's view confirms it, or puts back its own record
      onView();
    } else typeahead.expect(seq);
    return { seq, painted: Boolean(next) };
  }

  /** Which records the kernel sent ahead fit this move: Enter and s ("open"), → ("next"). */
  function aheadKind(type, fields) {
    if (type === "skip") return "open";
    if (type === "submit") {
      // Only a submit the kernel will take: one it refuses leaves the record where it is.
      return isComplete(questionConfigs(), answersNow(), answeredFor) ? "open" : null;
    }
    return type === "nav" && fields.to === "next" ? "next" : null;
  }

  function acceptSuggestions() {
    const rec = record();
    if (!rec) return;
    const suggestions = rec.suggestions ?? {};
    // Kinds that keep suggestions of their own (spans decided one by one) accept those first.
    for (const c of s.questions) c.accept?.();
    const names = pendingSuggestions(questionConfigs(), answersNow(), suggestions);
    if (names.length === 0) return;
    const seq = outbox.send("accept", { key: rec.key });
    for (const name of names) pending.set(name, suggestions[name], seq, rec.key);
    update();
  }

  /** Enter with required answers missing: mark those questions and go to the first. */
  function showMissing() {
    const missing = missingQuestions(questionConfigs(), answersNow(), answeredFor);
    s.questions.forEach((c, i) => c.el.classList.toggle("nbr-missing", missing.includes(i)));
    if (missing.length > 0 && missing[0] !== s.focus) moveFocus(missing[0] - s.focus);
  }

  function moveFocus(by) {
    const n = s.questions.length;
    if (n === 0) return;
    s.focus = (((s.focus + by) % n) + n) % n;
    update();
    const target = s.questions[s.focus].focusEl;
    if (target) target.focus({ preventScroll: false });
    else if (document.activeElement !== root) root.focus({ preventScroll: true });
  }

  function togglePanel(panel) {
    panel.hidden = !panel.hidden;
    update();
  }

  /** Esc: give the keyboard back to the notebook (command mode in JupyterLab). */
  function release() {
    if (visitor.release()) return; // leaves the full window; marimo: to its cell
    root.blur();
    const target = root.closest(".jp-Notebook") ?? root.closest(".jp-Cell");
    target?.focus?.({ preventScroll: true });
  }

  function current(question) {
    return shownValue(question, answersNow(), record()?.suggestions ?? {}).value;
  }

  function perform(action) {
    const rec = record();
    // A kind's own actions go to its question; digits first to the focused one.
    if (action.type === "kind") {
      if (rec) s.questions[action.index]?.perform?.(action);
      return;
    }
    if (rec && action.type === "digit" && s.questions[s.focus]?.perform?.(action)) return;
    switch (action.type) {
      case "digit": {
        const q = focusedQuestion();
        if (!q || !rec) return;
        const value = answerForDigit(q, action.digit, current(q));
        if (value !== undefined) answer(q, value);
        return;
      }
      case "option":
      case "none": {
        const q = s.questions[action.index]?.question;
        if (!q || !rec) return;
        s.focus = action.index;
        answer(q, action.type === "none" ? [] : chooseOption(q, current(q), action.value));
        update();
        return;
      }
      case "move":
        moveFocus(action.by);
        return;
      case "submit":
        if (rec) {
          showMissing(); // the kernel refuses it too; the reviewer sees where at once
          sendRecordChange("submit", { key: rec.key });
        }
        return;
      case "skip":
        if (rec) sendRecordChange("skip", { key: rec.key });
        return;
      case "nav":
        if (rec) sendRecordChange("nav", { to: action.to });
        return;
      case "undo":
        sendRecordChange("undo", {});
        return;
      case "accept":
        acceptSuggestions();
        return;
      case "guidelines":
        if (config().guidelines) togglePanel(guidelines);
        else {
          s.localNotice = { kind: "info", text: NO_GUIDELINES };
          update();
        }
        return;
      case "help":
        togglePanel(help);
        return;
      case "search":
        queue.focusSearch();
        return;
      case "queue":
        queue.toggle();
        return;
      case "raw":
        s.raw = !s.raw;
        update();
        return;
      case "full":
        visitor.toggleFull();
        return;
      case "unfold":
        toggleFolds(fields); // t: every fold of the record (reasoning, long tool results)
        return;
      case "release":
        release();
        return;
      case "leave":
        root.focus({ preventScroll: true });
        return;
      default:
    }
  }

  function dispatch(action) {
    s.saved = false;
    // While the kernel moves to another record, record actions wait to run on the new one.
    if (!IMMEDIATE.has(action.type) && typeahead.waiting(ack())) typeahead.hold(action);
    else perform(action);
  }

  function onKeydown(e) {
    if (s.stale || !ownsKey(e)) return; // Ctrl+S and friends belong to the notebook
    e.stopPropagation(); // no key of ours reaches JupyterLab's shortcuts
    const inTextarea = e.target !== root && e.target.tagName === "TEXTAREA";
    // The focused question may claim keys first (spans: caret, ↑/↓, Backspace).
    const own = inTextarea || e.isComposing ? null : (s.questions[s.focus]?.keyAction?.(e) ?? null);
    const action = own ?? actionForKey(e, { inTextarea });
    if (!action) return;
    e.preventDefault();
    dispatch(action);
  }

  /** The kernel restarted or stopped: say so, and take no more input. */
  function goStale() {
    if (s.stale) return;
    s.stale = true;
    kernel.destroy();
    root.classList.add("nbr-stale");
    root.inert = true;
    p.stale.hidden = false;
  }

  const unguard = guardShortcuts(root, ownsKey);
  model.on("change:config", onConfig);
  model.on("change:view", onView);
  model.on("change:record", onView);
  model.on("change:link", onView);
  onConfig();
  onView();
  // anywidget aborts the signal when the model is destroyed (the kernel stopped); a kernel
  // restart leaves the model with a dead comm, which ipywidgets announces as comm_live_update
  // (it only ever turns false once a view is rendered).
  signal?.addEventListener("abort", () => {
    if (String(signal.reason ?? "").includes("Runtime destroyed")) goStale();
  });
  model.on("comm_live_update", goStale);

  return () => {
    try {
      flushAll(); // typing not yet sent is still an answer
    } catch {
      // the comm may already be closed
    }
    unguard();
    visitor.destroy();
    model.off("change:config", onConfig);
    model.off("change:view", onView);
    model.off("change:record", onView);
    model.off("change:link", onView);
    model.off("comm_live_update", goStale);
    for (const c of s.questions) c.destroy?.();
    kernel.destroy();
    // A model closed by a kernel restart leaves its view on the page, marked stale (goStale,
    // on the abort signal); a view that is simply removed takes its element along.
    if (!s.stale) root.remove();
  };
}

export default { render };
