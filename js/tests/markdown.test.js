// @vitest-environment jsdom
// Markdown as a reader expects it (GFM tables, fenced code, strikethrough, task lists, math as
// code), and the XSS corpus of tests/data/xss-payloads.json: nothing that runs, styles or loads
// survives the renderer and the sanitizer.
import { afterEach, describe, expect, it } from "vitest";
import CORPUS from "../../tests/data/xss-payloads.json";
import { languageOf } from "../render/highlight.js";
import { escapeHtml, markdownHtml, renderMarkdown } from "../render/markdown.js";
import { ALLOWED_TAGS, safeUrl, sanitize } from "../render/sanitize.js";

const URL_HIT = "http://127.0.0.1:9/hit";
const fill = (payload, i) => payload.replaceAll("{URL}", `${URL_HIT}/${i}`).replaceAll("{FLAG}", `__xss${i}`);

const EVIL_TAGS =
  "script, style, svg, math, iframe, object, embed, form, input, button, link, meta, base, template, noscript, video, audio, source, picture, details, marquee, body, frame, frameset";

function mountMarkdown(text, opts) {
  const box = document.createElement("div");
  box.append(renderMarkdown(text, opts));
  document.body.append(box);
  return box;
}

/** Everything the sanitizer promises about one rendered tree. */
function expectSafe(box, { loadImages }) {
  expect(box.querySelector(EVIL_TAGS)).toBeNull();
  for (const el of box.querySelectorAll("*")) {
    expect(ALLOWED_TAGS).toContain(el.localName);
    for (const { name, value } of el.attributes) {
      if (name !== "title" && name !== "alt") expect(value).not.toMatch(/javascript:|vbscript:|data:|url\(/i);
      expect(name.startsWith("on"), `${el.localName}[${name}]`).toBe(false);
      expect(["style", "srcdoc", "srcset", "ping", "action", "formaction", "background", "id", "name"]).not.toContain(name);
      if (name === "href") expect(value).toMatch(/^(?:https?:|mailto:)/i);
      if (name === "src") expect(value).toMatch(/^https?:/i);
      if (name === "class") expect(value).not.toMatch(/\bnbr-(?!md-|math)/);
    }
  }
  if (!loadImages) expect(box.querySelector("img")).toBeNull();
}

afterEach(() => {
  document.body.replaceChildren();
  for (const k of Object.keys(window)) if (k.startsWith("__xss")) delete window[k];
});

describe("the XSS corpus", () => {
  it("holds at least 30 payloads", () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(30);
  });

  for (const loadImages of [false, true]) {
    it.each(CORPUS.map((p, i) => [p.name, p.payload, i]))(
      `%s is inert as markdown (load_images=${loadImages})`,
      (_name, payload, i) => {
        const text = fill(payload, i);
        const box = mountMarkdown(text, { loadImages });
        expectSafe(box, { loadImages });
        // A payload inside a paragraph, a list and a table is no different.
        const nested = mountMarkdown(`- item ${text}\n\n> ${text}\n\n| a |\n|---|\n| ${text.replace(/\n/g, " ")} |`, {
          loadImages,
        });
        expectSafe(nested, { loadImages });
        expect(Object.keys(window).filter((k) => k.startsWith("__xss"))).toEqual([]);
      },
    );
  }

  it("every payload together, as one document", () => {
    const all = CORPUS.map((p, i) => fill(p.payload, i)).join("\n\n");
    expectSafe(mountMarkdown(all, { loadImages: false }), { loadImages: false });
    expectSafe(mountMarkdown(all, { loadImages: true }), { loadImages: true });
  });

  it("the sanitizer alone strips what the renderer would never write", () => {
    for (const [i, { payload }] of CORPUS.entries()) {
      const box = document.createElement("div");
      box.append(sanitize(fill(payload, i), { loadImages: false }));
      expectSafe(box, { loadImages: false });
    }
  });
});

describe("raw HTML is text", () => {
  it("shows tags as the text they are", () => {
    const box = mountMarkdown('Hello <img src=x onerror="top.__xss=1"> and <script>x()</script>');
    expect(box.textContent).toContain('<img src=x onerror="top.__xss=1">');
    expect(box.textContent).toContain("<script>x()</script>");
    expect(box.querySelector("img, script")).toBeNull();
  });
  it("keeps bare inline tags such as <br>, <sup> and <b>, never with attributes", () => {
    const box = mountMarkdown("E = mc<sup>2</sup><br>a <b>bold</b> <b class=x>not</b>");
    expect(box.querySelector("sup").textContent).toBe("2");
    expect(box.querySelector("br")).not.toBeNull();
    expect(box.querySelector("b").textContent).toBe("bold");
    expect(box.textContent).toContain("<b class=x>");
  });
  it("shows an HTML block as text", () => {
    const box = mountMarkdown('<div onclick="x()">\n<p>hi</p>\n</div>');
    expect(box.querySelector(".nbr-md-html").textContent).toContain('<div onclick="x()">');
    expect(box.querySelector("[onclick]")).toBeNull();
  });
});

describe("GitHub-flavoured markdown", () => {
  it("renders tables with their alignment", () => {
    const box = mountMarkdown("| name | n |\n|:-----|--:|\n| a | 1 |\n| b | 2 |");
    expect([...box.querySelectorAll("th")].map((th) => th.textContent)).toEqual(["name", "n"]);
    expect(box.querySelectorAll("tbody tr").length).toBe(2);
    expect(box.querySelector("th:last-child").getAttribute("align")).toBe("right");
  });
  it("highlights fenced code in a known language, and shows other code plain", () => {
    const box = mountMarkdown("```python\ndef f(x):\n    return x  # done\n```\n\n```klingon\nqapla'\n```");
    const [py, other] = box.querySelectorAll("pre > code");
    expect(py.className).toBe("hljs language-python");
    expect(py.querySelector(".hljs-keyword").textContent).toBe("def");
    expect(py.querySelector(".hljs-comment").textContent).toBe("# done");
    expect(py.textContent).toBe("def f(x):\n    return x  # done");
    expect(other.textContent).toBe("qapla'");
    expect(other.children.length).toBe(0);
  });
  it("knows the usual aliases", () => {
    expect(languageOf("py")).toBe("python");
    expect(languageOf("JS")).toBe("javascript");
    expect(languageOf("sh")).toBe("bash");
    expect(languageOf("html")).toBe("xml");
    expect(languageOf("c")).toBe("cpp");
    expect(languageOf("ts {1,3}")).toBe("typescript");
    expect(languageOf("nope")).toBeNull();
    expect(languageOf("")).toBeNull();
  });
  it("renders strikethrough, task lists, emphasis, lists and line breaks", () => {
    const box = mountMarkdown("~~old~~ **new** *it*\n\n- [x] done\n- [ ] todo\n\n1. one\n2. two\n\nline one\nline two");
    expect(box.querySelector("del").textContent).toBe("old");
    expect(box.querySelector("strong").textContent).toBe("new");
    expect(box.querySelector("em").textContent).toBe("it");
    expect([...box.querySelectorAll(".nbr-md-task")].map((t) => t.textContent)).toEqual(["☑", "☐"]);
    expect(box.querySelectorAll("ol > li").length).toBe(2);
    expect(box.querySelector("br")).not.toBeNull();
  });
  it("shows math as code, and leaves prices alone", () => {
    const box = mountMarkdown("Inline $e^{i\\pi}+1=0$ and \\(x_1\\).\n\n$$\n\\int_0^1 x\\,dx\n$$\n\nIt costs $5 and $10.");
    const maths = [...box.querySelectorAll("code.nbr-math")].map((c) => c.textContent);
    expect(maths).toEqual(["e^{i\\pi}+1=0", "x_1", "\\int_0^1 x\\,dx"]);
    expect(box.querySelector("pre.nbr-math")).not.toBeNull();
    expect(box.textContent).toContain("It costs $5 and $10.");
  });
  it("opens safe links in a new tab without opener or referrer, and drops the rest", () => {
    const box = mountMarkdown(
      "[site](https://example.org/a?b=1) <https://example.org> [mail](mailto:a@example.org) [rel](notes.html) [proto](//evil.example) [ftp](ftp://x.example)",
    );
    const links = [...box.querySelectorAll("a")];
    const withHref = links.filter((a) => a.hasAttribute("href"));
    expect(withHref.map((a) => a.getAttribute("href"))).toEqual([
      "https://example.org/a?b=1",
      "https://example.org",
      "mailto:a@example.org",
    ]);
    for (const a of withHref) {
      expect(a.getAttribute("target")).toBe("_blank");
      expect(a.getAttribute("rel")).toBe("noopener noreferrer");
    }
    for (const a of links.filter((a) => !a.hasAttribute("href"))) expect(a.hasAttribute("target")).toBe(false);
    expect(box.textContent).toContain("rel");
  });
  it("shows images as their alt text unless images are loaded", () => {
    const off = mountMarkdown("![a cat](https://example.org/cat.png) ![](https://example.org/x.png)");
    expect(off.querySelector("img")).toBeNull();
    expect([...off.querySelectorAll(".nbr-md-image")].map((s) => s.textContent)).toEqual(["[image: a cat]", "[image]"]);
    const on = mountMarkdown("![a cat](https://example.org/cat.png) ![x](data:image/png;base64,AAAA)", { loadImages: true });
    const imgs = [...on.querySelectorAll("img")];
    expect(imgs.map((i) => i.getAttribute("src"))).toEqual(["https://example.org/cat.png"]);
    expect(imgs[0].getAttribute("referrerpolicy")).toBe("no-referrer");
    expect(on.querySelector(".nbr-md-image").textContent).toBe("[image: x]");
  });
  it("escapes what it writes itself", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    expect(markdownHtml("`<b>`")).toContain("&lt;b&gt;");
  });
  it("checks URLs by their parsed protocol", () => {
    expect(safeUrl("https://a.example")).toBe(true);
    expect(safeUrl(" HTTPS://a.example")).toBe(true);
    expect(safeUrl("javascript:alert(1)")).toBe(false);
    expect(safeUrl("https:")).toBe(false);
    expect(safeUrl("/relative")).toBe(false);
    expect(safeUrl(null)).toBe(false);
  });
});

describe("long text", () => {
  it("parses and highlights 100 KB of markdown quickly", () => {
    const block = [
      "## Section\n",
      "Some **bold** text with `code`, a [link](https://example.org) and more words to read.\n",
      "| a | b | c |\n|---|---|---|\n| 1 | 2 | 3 |\n| 4 | 5 | 6 |\n",
      "```python\nfor i in range(10):\n    print(i)  # count\n```\n",
      "- one\n- two\n- three\n",
    ].join("\n");
    const text = block.repeat(Math.ceil(100_000 / block.length));
    expect(text.length).toBeGreaterThanOrEqual(100_000);
    markdownHtml(block); // warm up
    const t0 = performance.now();
    const html = markdownHtml(text);
    const ms = performance.now() - t0;
    // The sanitizer's share is measured in a real browser (tests/e2e): jsdom's DOM is far slower.
    console.info(`[render] ${text.length} characters of markdown parsed and highlighted in ${ms.toFixed(0)} ms`);
    expect(html.match(/<table>/g).length).toBeGreaterThan(100);
    expect(ms).toBeLessThan(3000); // a busy 2-core machine: the figure printed is the measure
  });
});
