// Shared set-up for the end-to-end tests: a static server over dist/ on 127.0.0.1, Debian's Chromium
// launched with the flags this machine needs, and a page that records console errors and every request
// that tries to leave localhost (those are aborted, so a test also proves the page works offline).
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { serve as serveDir } from "../../tools/serve/serve.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
export const DIST = path.resolve(here, "../../dist");
export const WWW = path.resolve(here, "../../www");

/** Serves `root` (dist/ by default) on an ephemeral localhost port; resolves to { url, close }. */
export function serve(root = DIST) {
  return serveDir(root);
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

/** Opens `url` (the standalone page by default) at `width`×900 and waits until the widget shows more than
 *  `marks` marks; resolves to openPage's { page, context, offsite, errors }. */
export async function openWidget(browser, url, { width = 1280, marks = 0 } = {}) {
  const ctx = await openPage(browser, url);
  await ctx.page.setViewportSize({ width, height: 900 });
  await ctx.page.waitForFunction((n) => window.sahifa?.entities && !document.querySelector("[data-sahifa-painted]") && document.querySelectorAll("mark[data-start]").length > n, marks);
  return ctx;
}

/** Code-point offsets `{start, end}` (the API's offsets) of the `nth` `needle` in `text`. */
export function span(text, needle, nth = 0) {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  const start = Array.from(text.slice(0, at)).length;
  return { start, end: start + Array.from(needle).length };
}

/**
 * The `nth` `word` of the article as a DOM range, found across text nodes (marks split words into several
 * nodes): selected when `select`, else scrolled into view (its top `y` pixels from the viewport's top when
 * `y` is given). Its first box `{left, right, top, bottom}`, or `null` when the word is not there.
 */
export function wordRange(page, word, { nth = 0, y = null, select = false } = {}) {
  return page.evaluate(([word, nth, y, select]) => {
    const article = document.querySelector(".sahifa-article");
    const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
    const nodes = []; let all = "", n;
    while ((n = walker.nextNode())) { nodes.push([n, all.length]); all += n.data; }
    let i = -1;
    for (let k = 0; k <= nth; k++) { i = all.indexOf(word, i + 1); if (i < 0) return null; }
    const locate = (pos) => { for (let k = nodes.length - 1; k >= 0; k--) if (nodes[k][1] <= pos) return [nodes[k][0], pos - nodes[k][1]]; };
    const range = document.createRange();
    range.setStart(...locate(i)); range.setEnd(...locate(i + word.length));
    if (select) {
      const s = getSelection(); s.removeAllRanges(); s.addRange(range);
    } else {
      range.startContainer.parentElement.scrollIntoView({ block: "center" });
      if (y !== null) scrollBy(0, range.getClientRects()[0].top - y);
    }
    const first = range.getClientRects()[0] ?? range.getBoundingClientRect();
    return { left: first.left, right: first.right, top: first.top, bottom: first.bottom };
  }, [word, nth, y, select]);
}

/** Holds every request matching `pattern` until the returned `release()` is called. */
export async function hold(context, pattern) {
  let release;
  const released = new Promise((res) => { release = res; });
  await context.route(pattern, async (route) => { await released; return route.continue(); });
  return release;
}

/** Where the article's first two paragraphs (`.sahifa-p`) under `selector` (inside its shadow root when it
 *  has one) are on the page, once the fonts are in and two frames are drawn: [{top, left, right, height}]. */
export function paragraphBoxes(page, selector) {
  return page.evaluate(async (sel) => {
    await document.fonts.ready;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const host = document.querySelector(sel);
    const ps = [...((host?.shadowRoot ?? host)?.querySelectorAll(".sahifa-p") ?? [])].slice(0, 2);
    return ps.map((p) => {
      const r = p.getBoundingClientRect();
      return { top: r.top + scrollY, left: r.left, right: r.right, height: r.height };
    });
  }, selector);
}

/** Asserts that the paragraphs measured `after` (paragraphBoxes) are where they were `before`, to 1 px. */
export function assertUnmoved(before, after, what) {
  assert.ok(before.length === 2 && after.length === 2, `${what}: paragraphs ${before.length}, ${after.length}`);
  for (const [i, b] of before.entries()) {
    for (const k of ["top", "left", "right", "height"]) {
      assert.ok(Math.abs(after[i][k] - b[k]) <= 1,
        `${what}: paragraph ${i + 1} moved (${k}): ${JSON.stringify(b)} → ${JSON.stringify(after[i])}`);
    }
  }
}
