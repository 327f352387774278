// The view: draws a state (js/core/state.js) into the widget's DOM. It decides nothing; what it
// shows is read from the state through the selectors, once per action from outside.
import { shownValue } from "../answers.js";
import { setFlag } from "../dom.js";
import { renderFields } from "../fields.js";
import { answered } from "../kinds/index.js";
import { renderMarkdown } from "../render/markdown.js";
import { showUnits } from "../render/record.js";
import { buildHelp } from "../help.js";
import {
  aheadCount,
  ackOf,
  answersOf,
  isReady,
  isUnsaved,
  questionsOf,
  recordOf,
  suggestionsPending,
  tableQuestions,
  unsavedCount,
  viewOf,
} from "../core/state.js";
import { NO_GUIDELINES } from "../core/panels.js";
import { chooseNotice } from "./notices.js";
import { showChrome, showKeys } from "./shell.js";

/** The config changed: questions, guidelines, the keys panel and the buttons' keys. */
function configure(parts, state) {
  const config = state.config;
  parts.kinds.build(questionsOf(state));
  const text = config.guidelines ?? "";
  parts.guidelinesText.replaceChildren(
    text === "" ? NO_GUIDELINES : renderMarkdown(text, { loadImages: Boolean(config.load_images), breaks: false }),
  );
  parts.guidelinesText.classList.toggle("nbr-empty", text === "");
  const markdown = (config.fields ?? []).some((f) => f.kind === "markdown" || f.kind === "chat");
  setFlag(parts.rawToggle, "hidden", !markdown);
  setFlag(parts.guidelinesToggle, "hidden", text === ""); // no guidelines: no control for them
  const fresh = buildHelp(config);
  parts.help.replaceWith(fresh);
  parts.help = fresh;
  showKeys(parts, state.keys);
  parts.queue.showKeys?.(state.keys);
}

/** Each question as the state shows it: value, focus, answered, unsaved, missing. */
function drawQuestions(kinds, state, rec) {
  const answers = answersOf(state);
  const suggestions = rec?.suggestions ?? {};
  kinds.all.forEach((c, i) => {
    const { value, suggested } = shownValue(c.question, answers, suggestions);
    const done = answered(c.question, value, answers, rec);
    c.update({ value, suggested, focused: i === state.focus, answered: done, record: rec });
    c.el.classList.toggle("nbr-unsaved", isUnsaved(state, c.question.name));
    c.el.classList.toggle("nbr-missing", state.missing.includes(i) && !done);
  });
}

/** `parts`: the shell (js/widget/shell.js) with root, queue, others, feedback and `kinds`, the
 * built questions (js/widget/questions.js). */
export function createView(parts) {
  const { root, kinds, queue, others, feedback } = parts;
  let fieldsKey; // the record whose fields are on screen

  function draw(state) {
    const v = viewOf(state);
    const rec = recordOf(state);
    const config = state.config;
    queue.update(v);
    feedback.update(v.feedback ?? null);
    const key = rec?.key ?? null;
    if (fieldsKey !== key) {
      renderFields(parts.fields, config.fields ?? [], rec?.fields ?? {});
      fieldsKey = key;
    }
    others.update(tableQuestions(questionsOf(state)), rec?.others ?? {});
    root.dataset.ahead = String(aheadCount(state));
    drawQuestions(kinds, state, rec);
    // After the questions: a field a question draws over is shown raw (claimed); fields a
    // question draws itself (a preference's two sides) render like the field list's.
    for (const area of [root, parts.questions]) {
      showUnits(area, { raw: state.raw, loadImages: Boolean(config.load_images) });
    }
    parts.guidelines.hidden = !state.panels.guidelines;
    parts.help.hidden = !state.panels.help;
    const waiting = unsavedCount(state);
    showChrome(parts, root, {
      v,
      rec,
      ack: ackOf(state),
      raw: state.raw,
      help: parts.help,
      acceptable: kinds.hasPending() || suggestionsPending(state).length > 0,
      ready: isReady(state),
      unsaved: waiting > 0,
      notice: chooseNotice({
        unsaved: waiting > 0,
        fault: state.kernel.link?.fault ?? null,
        waiting,
        local: state.notice,
        saved: state.saved,
        kernel: v.notice,
      }),
    });
  }

  return {
    configure(state) {
      configure(parts, state);
      fieldsKey = undefined;
    },
    draw,
  };
}
