// Tiny element helpers. Text only ever goes in as text nodes: dataset text is untrusted.

/** Create an element: h("button", {class: "x", dataset: {value: "1"}, onclick}, "text", child). */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") el.className = value;
    else if (name === "dataset") Object.assign(el.dataset, value);
    else if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

/** Append children; strings and numbers become text nodes, null/false are skipped. */
export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Set text only when it changed, so selection and scroll survive no-op updates. */
export function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

/** Set or remove a boolean attribute such as hidden or disabled. */
export function setFlag(el, name, on) {
  if (on) el.setAttribute(name, "");
  else el.removeAttribute(name);
}
