// A plain static server over dist/: what a reader's own static server would do, with no live-reload script
// injected (Trunk's `serve` injects one that errors on any other server). scripts/serve.sh runs it; the
// end-to-end tests import `serve` from here.
//   node tools/serve/serve.mjs [DIR] [PORT]
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript",
  ".wasm": "application/wasm", ".css": "text/css", ".woff2": "font/woff2", ".txt": "text/plain; charset=utf-8",
  ".json": "application/json", ".bin": "application/octet-stream",
};

/** Serves `root` on 127.0.0.1:`port` (0: any free port); resolves to { url, close }. */
export function serve(root, port = 0) {
  root = path.resolve(root);
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let file = path.join(root, rel);
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404).end("not found"); return; }
      res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
      res.end(data);
    });
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve({
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((r) => server.close(r)),
  })));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = process.argv[2] || "dist";
  const { url } = await serve(root, Number(process.argv[3] || 8080));
  console.log(`Sahifa: ${url}/ (serving ${path.resolve(root)}; Ctrl+C stops)`);
}
