// A plain static server over dist/ for scripts/serve.sh: what a reader's own static server would do, with no
// live-reload script injected (Trunk's `serve` injects one that errors on any other server).
//   node tools/serve/serve.mjs [DIR] [PORT]
import http from "node:http";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(process.argv[2] || "dist");
const port = Number(process.argv[3] || 8080);
const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript",
  ".wasm": "application/wasm", ".css": "text/css", ".woff2": "font/woff2", ".txt": "text/plain; charset=utf-8",
  ".json": "application/json", ".bin": "application/octet-stream",
};

http.createServer((req, res) => {
  const rel = decodeURIComponent(new URL(req.url, "http://x").pathname);
  let file = path.join(root, rel);
  if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
  fs.readFile(file, (err, data) => {
    if (err) { res.writeHead(404).end("not found"); return; }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
    res.end(data);
  });
}).listen(port, "127.0.0.1", () => console.log(`Sahifa: http://127.0.0.1:${port}/ (serving ${root}; Ctrl+C stops)`));
