// The one way HTML made from dataset text reaches the page: DOMPurify with a strict allow-list.
//
// The HTML is parsed in an inert document (DOMPurify's DOMParser document: no scripts run,
// nothing is fetched there) and comes back as a DocumentFragment of that document. Images
// are rewritten to their alt text before the fragment is returned, so an <img> never reaches
// the live document unless the review opted in with load_images=True, and then only with an
// http(s) source. No style attribute, <style>, <svg>, <math>, <iframe>, <object>, <embed>,
// <form> or event handler survives; links keep only http(s) and mailto targets and open in
// a new tab without an opener or a referrer.
import DOMPurify from "dompurify";

export const ALLOWED_TAGS = [
  "a",
  "b",
  "blockquote",
  "br",
  "code",
  "del",
  "div",
  "em",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "hr",
  "i",
  "img",
  "kbd",
  "li",
  "mark",
  "ol",
  "p",
  "pre",
  "s",
  "span",
  "strong",
  "sub",
  "sup",
  "table",
  "tbody",
  "td",
  "th",
  "thead",
  "tr",
  "u",
  "ul",
];
export const ALLOWED_ATTR = ["href", "title", "alt", "src", "class", "align", "start"];

// Link and image targets allowed at all (checked again on the parsed URL below).
const SAFE_URL = /^(?:https?:|mailto:)/i;
const LINK_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);
const IMAGE_PROTOCOLS = new Set(["http:", "https:"]);
// Classes the renderer itself writes (highlight.js scopes, code languages, our own).
const SAFE_CLASS = /^(?:hljs(?:-[\w-]+)?|[a-z]+_|language-[\w+#.-]+|nbr-md-[\w-]+|nbr-math)$/;

const CONFIG = {
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  ALLOWED_URI_REGEXP: SAFE_URL,
  // Values of other attributes must look like a safe URL too, except these plain words.
  ADD_URI_SAFE_ATTR: ["align", "start"],
  FORBID_TAGS: ["style", "svg", "math", "iframe", "object", "embed", "form", "input", "script"],
  FORBID_ATTR: ["style", "srcset", "xlink:href", "action", "formaction", "background"],
  RETURN_DOM_FRAGMENT: true,
};

let purifier = null;

/** A DOMPurify of our own (hooks do not leak into anyone else's), made on first use. */
function instance() {
  if (purifier) return purifier;
  purifier = DOMPurify(window);
  purifier.addHook("uponSanitizeAttribute", (_node, data) => {
    if (data.attrName === "class") {
      data.attrValue = data.attrValue
        .split(/\s+/)
        .filter((c) => SAFE_CLASS.test(c))
        .join(" ");
      if (!data.attrValue) data.keepAttr = false;
    }
  });
  purifier.addHook("afterSanitizeAttributes", (node) => {
    if (node.nodeName === "A") {
      if (node.hasAttribute("href") && !safeUrl(node.getAttribute("href"), LINK_PROTOCOLS)) {
        node.removeAttribute("href");
      }
      if (node.hasAttribute("href")) {
        node.setAttribute("target", "_blank");
        node.setAttribute("rel", "noopener noreferrer");
      }
    }
  });
  return purifier;
}

/** True when `url` parses as an absolute URL with one of `protocols`. */
export function safeUrl(url, protocols = LINK_PROTOCOLS) {
  if (typeof url !== "string" || !SAFE_URL.test(url.trim())) return false;
  try {
    return protocols.has(new URL(url.trim()).protocol);
  } catch {
    return false;
  }
}

/** What stands in for an image that is not loaded: its alt text, or a placeholder. */
export function imagePlaceholder(doc, alt, src) {
  const span = doc.createElement("span");
  span.className = "nbr-md-image";
  const text = String(alt ?? "").trim();
  span.textContent = text ? `[image: ${text}]` : "[image]";
  if (typeof src === "string" && src) {
    span.title = `not loaded: ${src.length > 200 ? `${src.slice(0, 199)}…` : src}`;
  }
  return span;
}

/**
 * Sanitized HTML as a DocumentFragment of an inert document, ready to insert.
 * `loadImages`: keep <img> with an http(s) source (no referrer, lazy); otherwise every image
 * is replaced by its alt text before the fragment leaves this function.
 */
export function sanitize(html, { loadImages = false } = {}) {
  const fragment = instance().sanitize(String(html ?? ""), CONFIG);
  const doc = fragment.ownerDocument;
  for (const img of [...fragment.querySelectorAll("img")]) {
    const src = img.getAttribute("src");
    if (loadImages && safeUrl(src, IMAGE_PROTOCOLS)) {
      img.setAttribute("referrerpolicy", "no-referrer");
      img.setAttribute("loading", "lazy");
      img.setAttribute("decoding", "async");
    } else {
      img.replaceWith(imagePlaceholder(doc, img.getAttribute("alt"), src));
    }
  }
  return fragment;
}
