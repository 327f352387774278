// Syntax highlighting for fenced code: highlight.js core with the languages model output
// uses most, bundled (nothing is loaded at run time). Its output is HTML that still goes
// through the sanitizer with the rest of the markdown.
import hljs from "highlight.js/lib/core";
import bash from "highlight.js/lib/languages/bash";
import cpp from "highlight.js/lib/languages/cpp";
import css from "highlight.js/lib/languages/css";
import diff from "highlight.js/lib/languages/diff";
import go from "highlight.js/lib/languages/go";
import java from "highlight.js/lib/languages/java";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import markdown from "highlight.js/lib/languages/markdown";
import python from "highlight.js/lib/languages/python";
import rust from "highlight.js/lib/languages/rust";
import sql from "highlight.js/lib/languages/sql";
import typescript from "highlight.js/lib/languages/typescript";
import xml from "highlight.js/lib/languages/xml";
import yaml from "highlight.js/lib/languages/yaml";

const LANGUAGES = {
  bash,
  cpp,
  css,
  diff,
  go,
  java,
  javascript,
  json,
  markdown,
  python,
  rust,
  sql,
  typescript,
  xml,
  yaml,
};
for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);
hljs.registerAliases(["c", "h"], { languageName: "cpp" }); // C++'s grammar reads C well enough

// Code longer than this is shown plain: highlighting it would cost more than it helps.
export const MAX_HIGHLIGHT = 50_000;

/** The registered language a fence names (`py`, `js`, `sh`, `html` … are aliases), or null. */
export function languageOf(info) {
  const name = String(info ?? "").trim().split(/\s+/)[0].toLowerCase();
  if (!name) return null;
  const language = hljs.getLanguage(name);
  if (!language) return null;
  return Object.keys(LANGUAGES).find((k) => hljs.getLanguage(k) === language) ?? null;
}

/** Highlighted HTML for code in `language`, or null when it should be shown plain. */
export function highlight(code, language) {
  if (!language || code.length > MAX_HIGHLIGHT) return null;
  try {
    return hljs.highlight(code, { language, ignoreIllegals: true }).value;
  } catch {
    return null;
  }
}
