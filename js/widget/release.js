// Esc in a JupyterLab or Notebook 7 cell: the keyboard goes back to the notebook (command
// mode), and the next Tab comes back to the widget.
//
// Why a mark, not the cell: JupyterLab draws its cell toolbar inside the cell, before the
// outputs. Focus on the cell node itself makes Tab stop on that toolbar first (issue 23, 5:
// "the first time it worked" because a click on the prompt sets the browser's tab starting
// point past the toolbar). A focusable, empty mark just before the widget, inside the cell,
// is command mode for JupyterLab (focus in a cell, outside its editor) and puts the widget
// next in the tab order.

/** Hand the keyboard to the notebook around `root`; false when no notebook is around it. */
export function releaseToNotebook(root) {
  const cell = root.closest(".jp-Cell");
  if (!cell) {
    const notebook = root.closest(".jp-Notebook");
    notebook?.focus?.({ preventScroll: true });
    return Boolean(notebook);
  }
  let mark = root.previousElementSibling;
  if (!mark?.classList.contains("nbr-release")) {
    mark = document.createElement("span");
    mark.className = "nbr-release";
    mark.tabIndex = -1;
    mark.setAttribute("aria-hidden", "true");
    root.before(mark);
  }
  root.blur();
  mark.focus({ preventScroll: true });
  return true;
}
