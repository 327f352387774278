// @vitest-environment node
// The front end's shape, checked: the core names no question kind (kinds are plugins, in
// js/kinds/), no function runs past a screen, and js/widget.js stays a wiring module.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { registeredKinds } from "../kinds/index.js";

const JS = path.resolve(__dirname, "..");

function sources(dir = JS) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "tests" ? [] : sources(full);
    return e.name.endsWith(".js") ? [full] : [];
  });
}

const rel = (file) => path.relative(JS, file).split(path.sep).join("/");
// Comments may name kinds ("a preference's strength"); code may not. A JavaScript type
// (`typeof x === "number"`) is not a kind.
const code = (text) =>
  text
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1")
    .replace(/typeof\s+[\w.?$[\]]+\s*[!=]==?\s*["'`]\w+["'`]/g, "typeof");

describe("kinds are plugins", () => {
  it("no file outside js/kinds/ names a question kind", () => {
    const kinds = registeredKinds();
    expect(kinds).toEqual(expect.arrayContaining(["rating", "label", "multilabel", "freetext", "spans"]));
    // "label" is also an HTML tag and a spans action: h("label", …), act("label", …).
    const named = new RegExp(`(?<!\\b(?:h|act)\\()["'\`](${kinds.join("|")})["'\`]`);
    const offenders = sources()
      .filter((f) => !rel(f).startsWith("kinds/"))
      .flatMap((f) =>
        code(fs.readFileSync(f, "utf8"))
          .split("\n")
          .map((line, i) => [rel(f), i + 1, line.trim()])
          .filter(([, , line]) => named.test(line)),
      );
    expect(offenders).toEqual([]);
  });

  it("the check would catch a kind named in the core", () => {
    const named = new RegExp(`(?<!\\b(?:h|act)\\()["'\`](${registeredKinds().join("|")})["'\`]`);
    expect(named.test('if (question.kind === "multilabel") return [];')).toBe(true);
    expect(named.test('h("label", { class: "x" })')).toBe(false);
    expect(named.test(code('if (typeof value === "number") return value;'))).toBe(false);
  });
});

/** [file, line, length] of every function longer than `max` lines (a brace count from its head). */
function longFunctions(max) {
  const head = /(\bfunction\b[^(]*\(|=>\s*\{\s*$|^\s*(?:async\s+)?[A-Za-z_$][\w$]*\([^)]*\)\s*\{\s*$)/;
  const found = [];
  for (const file of sources()) {
    const lines = code(fs.readFileSync(file, "utf8")).split("\n");
    lines.forEach((line, i) => {
      if (!head.test(line)) return;
      let depth = 0;
      let opened = false;
      for (let j = i; j < lines.length; j += 1) {
        for (const c of lines[j]) {
          if (c === "{") [depth, opened] = [depth + 1, true];
          else if (c === "}") depth -= 1;
        }
        if (opened && depth <= 0) {
          if (j - i + 1 > max) found.push([rel(file), i + 1, j - i + 1]);
          return;
        }
      }
    });
  }
  return found;
}

describe("small parts", () => {
  it("no function in js/ is longer than 80 lines", () => {
    expect(longFunctions(80)).toEqual([]);
  });
  it("js/widget.js is wiring, under 200 lines", () => {
    const lines = fs.readFileSync(path.join(JS, "widget.js"), "utf8").split("\n").length;
    expect(lines).toBeLessThan(200);
  });
});
