// Minifies the JavaScript a news page downloads (the wasm-bindgen glues, sahifa.js, the worker's script), in
// place in dist/. Why: gzip alone leaves the glue's long names and comments; terser (npm, tools/build) cuts
// the widget's glue, sahifa.js and the worker's script from 22.6 to 13.8 kB gzipped (2026-12-02). ES modules
// keep their exported names, which sahifa.js, the worker and host pages import. Readable sources stay in www/ and in the glue wasm-bindgen writes; the
// single-file standalone page, built before this step, inlines the unminified glue. Trunk has already put
// Subresource Integrity hashes of the glue in index.html (its modulepreload): they are recomputed here, or the
// browser would refuse the minified file.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** Minifies each of `files` in `dir`; fails the build (throws) if terser is missing or a file does not parse. */
export async function minifyScripts(root, dir, files) {
  const entry = path.join(root, "tools", "build", "node_modules", "terser", "main.js");
  if (!fs.existsSync(entry)) throw new Error("terser is missing: run scripts/setup.sh (npm ci in tools/build)");
  const { minify } = await import(entry);
  for (const f of files) {
    const file = path.join(dir, f);
    const out = await minify(fs.readFileSync(file, "utf8"), { module: true, compress: true, mangle: true });
    fs.writeFileSync(file, out.code);
    updateIntegrity(dir, f, out.code);
  }
}

/** Rewrites `integrity` on every tag of dir's HTML files whose href or src is `./file`. */
function updateIntegrity(dir, file, code) {
  const hash = `sha384-${crypto.createHash("sha384").update(code).digest("base64")}`;
  const url = `\\./${file.replace(/[.]/g, "\\.")}`;
  const tag = new RegExp(`<[^>]*\\b(?:href|src)=["']?${url}(?=["'\\s>])[^>]*>`, "g");
  for (const page of fs.readdirSync(dir).filter((f) => f.endsWith(".html"))) {
    const p = path.join(dir, page);
    const html = fs.readFileSync(p, "utf8");
    const next = html.replace(tag, (t) => t.replace(/\bintegrity=("[^"]*"|'[^']*'|[^\s>]+)/, `integrity=${hash}`));
    if (next !== html) fs.writeFileSync(p, next);
  }
}
