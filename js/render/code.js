// JSON shown as code: indented, highlighted by the bundled highlight.js, and passed through
// the sanitizer like every other HTML made from dataset text (tool names and arguments are
// untrusted too).
import { highlight } from "./highlight.js";
import { escapeHtml } from "./markdown.js";
import { sanitize } from "./sanitize.js";

/** Indented JSON text for a value (strings that are not JSON are shown as they are). */
export function prettyJson(value) {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A <pre><code> fragment of `text` highlighted as `language` (plain when too long). */
export function codeFragment(text, language = "json") {
  const html = highlight(text, language) ?? escapeHtml(text);
  return sanitize(`<pre class="nbr-md-code" dir="ltr"><code class="hljs language-${language}">${html}</code></pre>`);
}

/** A value as highlighted, indented JSON. */
export const jsonFragment = (value) => codeFragment(prettyJson(value), "json");
