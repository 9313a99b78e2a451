// Shared set-up for the end-to-end tests: a static server over dist/ on 127.0.0.1, Debian's Chromium
// launched with the flags this machine needs, and a page that records console errors and every request
// that tries to leave localhost (those are aborted, so a test also proves the page works offline).
import { chromium } from "playwright-core";
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const DIST = path.resolve(here, "../../dist");
export const WWW = path.resolve(here, "../../www");

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".mjs": "text/javascript",
  ".wasm": "application/wasm", ".css": "text/css", ".woff2": "font/woff2", ".txt": "text/plain; charset=utf-8",
  ".json": "application/json",
};

/** Serves `root` on an ephemeral localhost port; resolves to { url, close }. */
export function serve(root = DIST) {
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
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((r) => server.close(r)),
  })));
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-quic", "--no-first-run", "--disable-sync"],
  });
}

/** A new page that aborts and records any request not to localhost or file:, and records console errors. */
export async function openPage(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const offsite = [];
  const errors = [];
  await context.route("**/*", (route) => {
    const u = new URL(route.request().url());
    const local = u.protocol === "file:" || u.protocol === "data:" || u.protocol === "blob:" ||
      ["127.0.0.1", "localhost", "[::1]"].includes(u.hostname);
    if (local) return route.continue();
    offsite.push(u.href);
    return route.abort();
  });
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  if (url) await page.goto(url);
  return { page, context, offsite, errors };
}

/** Slices by code points, as every Sahifa offset counts. */
export function cpSlice(text, start, end) {
  return Array.from(text).slice(start, end).join("");
}
