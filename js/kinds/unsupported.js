// A question kind this version of the widget does not know: shown as a notice, never a crash.
import { h } from "../dom.js";
import { questionShell } from "./shell.js";

function build(question, index, ctx) {
  const shell = questionShell(question, index, ctx);
  shell.el.append(
    h(
      "div",
      { class: "nbr-unsupported" },
      `This version of the widget cannot show "${question.kind}" questions yet.`,
    ),
  );
  return { el: shell.el, question, update: shell.update };
}

export default { kinds: [], build };
