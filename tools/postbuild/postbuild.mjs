// Trunk post_build hook (see Trunk.toml): completes a build of dist/ for embedding and offline use.
//   sahifa.js               the ES module for news pages (copied from www/, minified like the glue: minify.mjs)
//   sahifa-worker.js        the extraction worker that sahifa.js and index.html start for long articles
//   tagger/*.bin            the tagger's data (model, lexicon, clusters, name lists; copied from core/models/),
//                           fetched after the first highlight by sahifa.js and index.html (src/tagger_data.rs)
//   demo-*.html             demo pages that embed the widget as a news site would (copied from www/)
//   sahifa-standalone.html  the whole widget in one file, for file:// with no network: the wasm-bindgen
//                           glue inlined, the wasm inlined as base64 (instantiated asynchronously), the CSS
//                           inlined and its fonts as data: URLs, the tagger's data inlined as base64 and
//                           installed once the widget has shown its first highlight.
// Runs from the repository root; writes into $TRUNK_STAGING_DIR (or the directory given as argument).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { minifyScripts } from "./minify.mjs";

const root = process.env.TRUNK_SOURCE_DIR || path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const out = process.argv[2] || process.env.TRUNK_STAGING_DIR || path.join(root, "dist");
const www = path.join(root, "www");
const read = (p) => fs.readFileSync(p, "utf8");
const fail = (msg) => { console.error(`postbuild: ${msg}`); process.exit(1); };

for (const f of ["sahifa-widget.js", "sahifa-widget_bg.wasm"]) {
  if (!fs.existsSync(path.join(out, f))) fail(`${f} is missing in ${out} (is filehash = false in Trunk.toml?)`);
}

// 1. The embedding module and the demo pages.
fs.copyFileSync(path.join(www, "sahifa.js"), path.join(out, "sahifa.js"));
fs.copyFileSync(path.join(www, "sahifa-worker.js"), path.join(out, "sahifa-worker.js"));
for (const f of fs.readdirSync(www).filter((f) => /^demo-.*\.(html|css)$/.test(f))) {
  fs.copyFileSync(path.join(www, f), path.join(out, f));
}

// 2. The tagger's data, under the names src/tagger_data.rs and sahifa.js fetch (the core's DataKind::file_name).
const DATA = { model: "anercorp.bin", lexicon: "lexicon.bin", clusters: "clusters.bin", names: "names.bin" };
fs.mkdirSync(path.join(out, "tagger"), { recursive: true });
for (const f of Object.values(DATA)) {
  fs.copyFileSync(path.join(root, "core", "models", f), path.join(out, "tagger", f));
}

// 3. The single-file standalone page.
let glue = read(path.join(out, "sahifa-widget.js"));
if (!/\basync function __wbg_init\b/.test(glue)) fail("the wasm-bindgen glue has no __wbg_init");
// An inline module cannot be imported from: its exports are dropped, the init function is called directly.
glue = glue.replace(/^export \{[^}]*\};?\s*$/m, "").replace(/^export (?=(async )?(function|class|const|let) )/gm, "");
if (/^export\b/m.test(glue)) fail("unexpected export left in the glue");
if (/<\/script/i.test(glue)) fail("the glue contains </script");
const wasm = fs.readFileSync(path.join(out, "sahifa-widget_bg.wasm")).toString("base64");

const dataUrl = (file, mime) => `data:${mime};base64,${fs.readFileSync(file).toString("base64")}`;
const css = read(path.join(www, "sahifa.css")).replace(/url\(\s*"?(fonts\/[^")]+\.woff2)"?\s*\)/g,
  (_, f) => `url("${dataUrl(path.join(www, f), "font/woff2")}")`);
if (/url\(\s*(?!"?data:)/.test(css)) fail("sahifa.css refers to a file that is not inlined");

let page = read(path.join(root, "index.html"))
  .replace(/<link\b[^>]*\bdata-trunk\b[^>]*>\s*/g, "")
  // No worker in the single file: Chrome refuses module workers from file://, and the file stands alone;
  // long articles are extracted on the main thread, one group of paragraphs a task (src/extractor.rs).
  .replace(/\s+data-sahifa-worker="[^"]*"/, "")
  // Nor files to fetch: the tagger's data is inlined below.
  .replace(/\s+data-sahifa-data="[^"]*"/, "")
  .replace("<title>", "<!-- Sahifa, standalone: one file, no network; built by tools/postbuild/postbuild.mjs -->\n  <title>");
const script = `<script type="module">
${glue}
// The wasm, inlined; instantiated asynchronously, then start() mounts on [data-sahifa-standalone].
const b64 = "${wasm}";
const bin = atob(b64);
const bytes = new Uint8Array(bin.length);
for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
await __wbg_init({ module_or_path: bytes });
// The tagger's data, inlined: installed after the first highlight (a task later), then merged in.
const data = ${JSON.stringify(Object.fromEntries(Object.entries(DATA).map(([k, f]) =>
  [k, fs.readFileSync(path.join(root, "core", "models", f)).toString("base64")])))};
setTimeout(() => {
  for (const [kind, b64] of Object.entries(data)) {
    try { installData(kind, Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))); }
    catch (e) { dataUnavailable(String(e && e.message || e)); }
  }
}, 0);
</script>`;
page = page.replace("</head>", () => `  <style>\n${css}\n</style>\n${script}\n</head>`);
if (!page.includes("data-sahifa-standalone")) fail("index.html has no [data-sahifa-standalone] element");
fs.writeFileSync(path.join(out, "sahifa-standalone.html"), page);

// 4. The scripts a page downloads, minified (the standalone page above keeps the readable glue).
try {
  await minifyScripts(root, out, ["sahifa-widget.js", "sahifa.js", "sahifa-worker.js"]);
} catch (e) {
  fail(`minifying the scripts: ${e.message}`);
}
console.log(`postbuild: sahifa.js, demo pages and sahifa-standalone.html (${(page.length / 1024).toFixed(0)} KiB) in ${out}`);
