// Trunk post_build hook (see Trunk.toml): completes a build of dist/ for embedding and offline use.
//   sahifa.js               the ES module for news pages (copied from www/, minified like the glue: minify.mjs)
//   sahifa-worker.js        the extraction worker that sahifa.js and index.html start for long articles
//   tagger/*.bin            the tagger's data (model, lexicon, clusters, name lists; copied from core/models/),
//                           fetched after the first highlight by sahifa.js and index.html (src/tagger_data.rs),
//                           and the gazetteer's automata (gazetteer.bin, written by core/build.rs), fetched
//                           with the wasm
//   sahifa-paint.js, sahifa-paint_bg.wasm
//                           the first-highlight module (paint/, crate sahifa-paint), built here: cargo with the
//                           paint-release profile, wasm-bindgen, wasm-opt -Oz (wasm-opt on PATH, as for Trunk)
//   index.html              rewritten: Trunk's loader (which instantiates the widget at once) replaced by
//                           sahifa.js's standalone(), which paints the seed article with the module first
//   demo-*.html             demo pages that embed the widget as a news site would (copied from www/)
//   sahifa-standalone.html  the whole widget in one file, for file:// with no network: the wasm-bindgen
//                           glue inlined, the wasm inlined as base64 (instantiated asynchronously), the CSS
//                           inlined and its fonts as data: URLs, the tagger's data inlined as base64 and
//                           installed once the widget has shown its first highlight.
// Runs from the repository root; writes into $TRUNK_STAGING_DIR (or the directory given as argument).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";
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

// The gazetteer's automata: core/build.rs writes them into its OUT_DIR, in every build of the core; the
// newest is the one this build just made (checked against the lists it is made from).
const target = process.env.CARGO_TARGET_DIR || path.join(root, "target");
const built = [];
for (const triple of ["wasm32-unknown-unknown", "."]) {
  const profiles = path.join(target, triple);
  if (!fs.existsSync(profiles)) continue;
  for (const profile of fs.readdirSync(profiles)) {
    const build = path.join(profiles, profile, "build");
    if (!fs.existsSync(build)) continue;
    for (const d of fs.readdirSync(build).filter((d) => d.startsWith("sahifa-core-"))) {
      const f = path.join(build, d, "out", "gazetteer.bin");
      if (fs.existsSync(f)) built.push({ f, mtime: fs.statSync(f).mtimeMs });
    }
  }
}
built.sort((a, b) => b.mtime - a.mtime);
if (!built.length) fail(`no gazetteer.bin under ${target}/*/build/sahifa-core-*/out (did the wasm build run core/build.rs?)`);
const sources = [path.join(root, "core", "build.rs"), ...fs.readdirSync(path.join(root, "core", "data")).map((f) => path.join(root, "core", "data", f))];
const newestSource = Math.max(...sources.map((f) => fs.statSync(f).mtimeMs));
if (built[0].mtime < newestSource) fail(`${built[0].f} is older than core/data or core/build.rs`);
const GAZETTEER = built[0].f;
fs.copyFileSync(GAZETTEER, path.join(out, "tagger", "gazetteer.bin"));

// 3. The first-highlight module, and the standalone page that paints with it before loading the widget.
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
run("cargo", ["build", "--quiet", "-p", "sahifa-paint", "--target", "wasm32-unknown-unknown", "--profile", "paint-release"]);
const paintTmp = fs.mkdtempSync(path.join(out, ".paint-"));
try {
  run("wasm-bindgen", ["--target", "web", "--no-typescript", "--out-dir", paintTmp, "--out-name", "sahifa-paint",
    path.join(target, "wasm32-unknown-unknown", "paint-release", "sahifa_paint.wasm")]);
  // The widget's wasm-opt flags (index.html's data-wasm-opt-params), at -Oz.
  run("wasm-opt", ["-Oz", "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext",
    "--enable-mutable-globals", path.join(paintTmp, "sahifa-paint_bg.wasm"), "-o", path.join(out, "sahifa-paint_bg.wasm")]);
  fs.copyFileSync(path.join(paintTmp, "sahifa-paint.js"), path.join(out, "sahifa-paint.js"));
} finally {
  fs.rmSync(paintTmp, { recursive: true, force: true });
}
const indexFile = path.join(out, "index.html");
const index = read(indexFile);
// Trunk's loader and its preloads of the widget: the widget's wasm now comes after the first highlight.
const trunkLoader = /<script type="module">\s*import init, \* as bindings from '\.\/sahifa-widget\.js';[\s\S]*?<\/script>/;
const widgetPreloads = /<link rel="modulepreload" href="\.\/sahifa-widget\.js"[^>]*>\s*<link rel="preload" href="\.\/sahifa-widget_bg\.wasm"[^>]*>/;
const done = index.includes('import { standalone } from "./sahifa.js"');   // (this script run again on a dist/)
if (!done && !(trunkLoader.test(index) && widgetPreloads.test(index))) fail("Trunk's loader or its preloads not found in index.html");
const loader = `<link rel="modulepreload" href="./sahifa.js">
  <link rel="modulepreload" href="./sahifa-paint.js">
  <link rel="preload" href="./sahifa-paint_bg.wasm" as="fetch" type="application/wasm" crossorigin>
  <script type="module">
  // The first highlight from the paint module, then the widget (issue 18; see standalone() in sahifa.js).
  import { standalone } from "./sahifa.js";
  standalone();
  </script>`;
// sahifa.js fetches the data beside itself and installs it (the automata before the widget mounts).
const rewritten = index.replace(trunkLoader, () => loader).replace(widgetPreloads, "").replace(/\s+data-sahifa-data="[^"]*"/, "");
if (/data-sahifa-data=/.test(rewritten)) fail("index.html still names a data folder");
if (!done) fs.writeFileSync(indexFile, rewritten);

// 4. The single-file standalone page (it inlines the widget and its data and does not paint first).
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
  // Nor the automata's preload: they are inlined below.
  .replace(/<!--[^>]*-->\s*<link rel="preload" href="tagger\/gazetteer\.bin"[^>]*>\s*/, "")
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
// The gazetteer's automata, inlined: installed at once (start() waits for them to mount the widget).
installData("gazetteer", Uint8Array.from(atob("${fs.readFileSync(GAZETTEER).toString("base64")}"), (c) => c.charCodeAt(0)));
// The tagger's data, inlined: installed after the first highlight (a task later), then merged in.
const data = ${JSON.stringify(Object.fromEntries(Object.entries(DATA).map(([k, f]) =>
  [k, fs.readFileSync(path.join(root, "core", "models", f)).toString("base64")])))};
setTimeout(() => {
  for (const [kind, b64] of Object.entries(data)) {
    try { installData(kind, Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))); }
    catch (e) { dataUnavailable(String(e && e.message || e), kind); }
  }
}, 0);
</script>`;
page = page.replace("</head>", () => `  <style>\n${css}\n</style>\n${script}\n</head>`);
if (!page.includes("data-sahifa-standalone")) fail("index.html has no [data-sahifa-standalone] element");
fs.writeFileSync(path.join(out, "sahifa-standalone.html"), page);

// 5. The scripts a page downloads, minified (the standalone page above keeps the readable glue).
try {
  await minifyScripts(root, out, ["sahifa-widget.js", "sahifa-paint.js", "sahifa.js", "sahifa-worker.js"]);
} catch (e) {
  fail(`minifying the scripts: ${e.message}`);
}
console.log(`postbuild: sahifa.js, demo pages and sahifa-standalone.html (${(page.length / 1024).toFixed(0)} KiB) in ${out}`);
