// Builds the widget's front end into src/nbreview/static: widget.js and widget.css.
//
// anywidget sends both files as widget state every time a widget is shown, so what is
// sent is kept small: the minified bundle and its CSS are deflated and shipped as base64
// inside a loader of a few hundred bytes, which inflates them in the browser
// (DecompressionStream), puts the CSS in a <style> of the page's head as anywidget does
// with `_css` (widget.css is left empty), and imports the code the way anywidget imports
// any widget code (a blob: module URL).
// esbuild's metafile goes to build/esbuild-meta.json; the largest inputs are listed.
//
//   node scripts/build-frontend.mjs          # what `npm run build` runs
//   node scripts/build-frontend.mjs --plain  # no deflating (to read the bundle)
import { mkdirSync, writeFileSync } from "node:fs";
import { deflateRawSync } from "node:zlib";
import * as esbuild from "esbuild";

const OUT = "src/nbreview/static";
const BUDGET = 150 * 1024; // bytes of js + css sent with every widget
const plain = process.argv.includes("--plain");

const result = await esbuild.build({
  entryPoints: ["js/widget.js"],
  bundle: true,
  format: "esm",
  minify: true,
  legalComments: "none",
  outdir: OUT,
  write: false,
  metafile: true,
  logLevel: "warning",
});

mkdirSync("build", { recursive: true });
writeFileSync("build/esbuild-meta.json", JSON.stringify(result.metafile));
mkdirSync(OUT, { recursive: true });

const files = Object.fromEntries(result.outputFiles.map((f) => [f.path.split("/").pop(), f]));
const code = files["widget.js"].text;
const css = files["widget.css"]?.text ?? "";
const sent = plain ? code : loader(code, css);
const styles = plain ? css : "";
writeFileSync(`${OUT}/widget.js`, sent);
writeFileSync(`${OUT}/widget.css`, styles);

report(result.metafile, code, sent, css, styles);

function packed(text) {
  return deflateRawSync(Buffer.from(text), { level: 9 }).toString("base64");
}

/** A module that inflates the bundle and its CSS, and re-exports what the bundle exports. */
function loader(source, styles) {
  const named = exportsOf(result.metafile).filter((n) => n !== "default");
  return [
    `const z="${packed(source)}";`,
    `const y="${packed(styles)}";`,
    "const f=(t)=>new Response(new Blob([Uint8Array.from(atob(t),(c)=>c.charCodeAt(0))])",
    '  .stream().pipeThrough(new DecompressionStream("deflate-raw"))).text();',
    "const [j,k]=await Promise.all([f(z),f(y)]);",
    'let e=document.getElementById("nbreview-css");',
    'if(!e){e=document.createElement("style");e.id="nbreview-css";document.head.appendChild(e);}',
    "if(e.textContent!==k)e.textContent=k;",
    'const u=URL.createObjectURL(new Blob([j],{type:"text/javascript"}));',
    "const m=await import(u);",
    "URL.revokeObjectURL(u);",
    "export default m.default;",
    ...named.map((n) => `export const ${n}=m.${n};`),
    "",
  ].join("\n");
}

function exportsOf(metafile) {
  const output = Object.entries(metafile.outputs).find(([path]) => path.endsWith(".js"));
  return output[1].exports ?? [];
}

function report(metafile, source, shipped, styles, shippedStyles) {
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint);
  const inputs = Object.entries(output.inputs)
    .map(([path, info]) => [path.replace(/^node_modules\//, ""), info.bytesInOutput])
    .sort((a, b) => b[1] - a[1]);
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  const total = shipped.length + shippedStyles.length;
  console.log(
    `bundle: ${kb(source.length)} minified js + ${kb(styles.length)} css, ` +
      `sent as ${kb(total)} (budget ${kb(BUDGET)})`,
  );
  console.log("largest inputs:", inputs.slice(0, 8).map(([p, n]) => `${p} ${kb(n)}`).join(", "));
  if (!plain && total > BUDGET) {
    console.error(`the front end is ${kb(total)}, over its budget of ${kb(BUDGET)}`);
    process.exit(1);
  }
}
