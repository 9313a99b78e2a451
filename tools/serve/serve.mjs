// A plain static server over dist/: what a reader's own static server would do, with no live-reload script
// injected (Trunk's `serve` injects one that errors on any other server). scripts/serve.sh runs it; the
// end-to-end tests import `serve` from here. Like any static server (nginx, a CDN) it sends validators (ETag,
// Last-Modified) and answers a matching conditional request with 304 and no body, with `no-cache` so a rebuilt
// dist/ is never served stale: a file the page already has (the glue the extraction worker imports again)
// is not downloaded twice (outside the tests and the bench, whose request routing turns the browser's cache off).
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
    const send = (status, headers, body = "") => res.writeHead(status, headers).end(body);
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) { send(404, {}, "not found"); return; }
      const etag = `"${Math.round(st.mtimeMs * 1000).toString(16)}-${st.size.toString(16)}"`;
      const headers = { etag, "last-modified": st.mtime.toUTCString(), "cache-control": "no-cache" };
      if (req.headers["if-none-match"] === etag) { send(304, headers); return; }
      fs.readFile(file, (err, data) => {
        if (err) { send(404, {}, "not found"); return; }
        send(200, { ...headers, "content-type": TYPES[path.extname(file)] || "application/octet-stream" }, data);
      });
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
