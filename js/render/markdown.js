// GitHub-flavoured markdown (tables, fenced code, strikethrough, task lists) as the reader
// expects it, without ever running or fetching what the text holds.
//
// marked parses; raw HTML in the text is shown as text (only a few bare inline tags such as
// <br>, <sup> or <b>, with no attributes, are kept as markup); fenced code is highlighted by
// highlight.js; math ($…$, $$…$$, \(…\), \[…\]) is shown as code; images become their alt
// text unless images are loaded. Then everything goes through the sanitizer (sanitize.js).
import { Marked } from "marked";
import { highlight, languageOf } from "./highlight.js";
import { sanitize } from "./sanitize.js";

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (text) => String(text ?? "").replace(/[&<>"']/g, (c) => ESCAPES[c]);

// Bare inline tags kept as markup (no attributes can get through this pattern).
const KEPT_TAG = /^<\/?(?:b|br|del|em|i|kbd|mark|s|strong|sub|sup|u)\s*\/?>$/i;

// Characters of code highlighted per text: past that, code is shown plain, so a very long
// text with many code blocks stays quick to render (every highlighted token is a node).
export const HIGHLIGHT_BUDGET = 30_000;

let options = { loadImages: false, budget: HIGHLIGHT_BUDGET }; // of the render in progress

const inlineMath = {
  name: "math",
  level: "inline",
  start(src) {
    const i = src.search(/\$|\\\(/);
    return i < 0 ? undefined : i;
  },
  tokenizer(src) {
    const m =
      /^\$\$(?!\s)([^$]+?)\$\$/.exec(src) ??
      /^\$(?![\s$])((?:\\.|[^\\\n$])+?)(?<!\s)\$(?!\d)/.exec(src) ??
      /^\\\(([\s\S]+?)\\\)/.exec(src);
    if (m) return { type: "math", raw: m[0], text: m[1].trim(), display: false };
    return undefined;
  },
  renderer: (token) => `<code class="nbr-math">${escapeHtml(token.text)}</code>`,
};

const blockMath = {
  name: "mathBlock",
  level: "block",
  start(src) {
    const i = src.search(/^ {0,3}(?:\$\$|\\\[)/m);
    return i < 0 ? undefined : i;
  },
  tokenizer(src) {
    const m =
      /^ {0,3}\$\$([\s\S]+?)\$\$ *(?:\n+|$)/.exec(src) ??
      /^ {0,3}\\\[([\s\S]+?)\\\] *(?:\n+|$)/.exec(src);
    if (m) return { type: "mathBlock", raw: m[0], text: m[1].trim(), display: true };
    return undefined;
  },
  renderer: (token) => `<pre class="nbr-math"><code class="nbr-math">${escapeHtml(token.text)}</code></pre>\n`,
};

const renderer = {
  // Raw HTML is data: shown as the text it is.
  html({ text, block }) {
    if (!block && KEPT_TAG.test(text.trim())) return text.trim();
    return block ? `<div class="nbr-md-html">${escapeHtml(text)}</div>` : escapeHtml(text);
  },
  code({ text, lang }) {
    const language = languageOf(lang);
    const highlighted = options.budget >= text.length ? highlight(text, language) : null;
    if (highlighted) options.budget -= text.length;
    const cls = language ? ` class="hljs language-${language}"` : ' class="hljs"';
    return `<pre class="nbr-md-code"><code${cls}>${highlighted ?? escapeHtml(text)}</code></pre>\n`;
  },
  image({ href, title, text }) {
    if (!options.loadImages) {
      const alt = String(text ?? "").trim();
      const hint = href ? ` title="${escapeHtml(`not loaded: ${String(href).slice(0, 200)}`)}"` : "";
      return `<span class="nbr-md-image"${hint}>${escapeHtml(alt ? `[image: ${alt}]` : "[image]")}</span>`;
    }
    return false; // marked's own <img>; the sanitizer keeps it only with an http(s) source
  },
  checkbox({ checked }) {
    return `<span class="nbr-md-task">${checked ? "☑" : "☐"}</span> `;
  },
};

// Two parsers: the data's (model output keeps its single newlines as line breaks, as chat
// interfaces show them) and prose's (`breaks: false`, GitHub's rule for documents: guidelines
// wrapped in their source read as one paragraph, not "(what an AI" / "model answered)").
const PARSERS = [true, false].map((breaks) => {
  const parser = new Marked({ gfm: true, breaks, async: false });
  parser.use({ extensions: [blockMath, inlineMath], renderer });
  return parser;
});

/** The markdown as HTML (before sanitizing); exported for tests. */
export function markdownHtml(text, { loadImages = false, breaks = true } = {}) {
  options = { loadImages, budget: HIGHLIGHT_BUDGET };
  try {
    return PARSERS[breaks ? 0 : 1].parse(String(text ?? ""));
  } finally {
    options = { loadImages: false, budget: HIGHLIGHT_BUDGET };
  }
}

// Right-to-left text (Arabic, Hebrew) reads right to left: each block finds its own
// direction from its first strong character; code stays left to right.
const BLOCKS = "p, li, h1, h2, h3, h4, h5, h6, blockquote, td, th, dt, dd, .nbr-md-html";

function setDirections(fragment) {
  for (const el of fragment.querySelectorAll(BLOCKS)) el.setAttribute("dir", "auto");
  for (const el of fragment.querySelectorAll("pre")) el.setAttribute("dir", "ltr");
  // A table wider than its column scrolls sideways (render.css): the keyboard can reach it.
  for (const el of fragment.querySelectorAll("table")) el.setAttribute("tabindex", "0");
  return fragment;
}

/**
 * Rendered, sanitized markdown as a DocumentFragment to insert (see sanitize.js); `breaks:
 * false` for prose (guidelines), where a single newline is a space.
 * When the parser fails, the text is returned as it is, in a text node.
 */
export function renderMarkdown(text, { loadImages = false, breaks = true } = {}) {
  let html;
  try {
    html = markdownHtml(text, { loadImages, breaks });
  } catch {
    const fragment = document.createDocumentFragment();
    fragment.append(document.createTextNode(String(text ?? "")));
    return fragment;
  }
  return setDirections(sanitize(html, { loadImages }));
}
