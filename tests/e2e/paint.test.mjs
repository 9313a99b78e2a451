// The first highlight from a small module (issue 18): dist/index.html loads sahifa.js, which fetches the
// gazetteer's automata once, hands them to the paint module (paint/, sahifa-paint_bg.wasm) and paints the
// seed article's rules-and-gazetteers marks (the DOM contract's render) before the widget's wasm is even
// fetched. The widget then adopts those marks without extracting again, is editable, and merges the tagger's
// marks in as before. Without the module (a 404) the page works as it did; a corrupt automata file is
// refused with a clear message and the page still works.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { serve, launch, openPage, DIST } from "./harness.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const TAGGER = /\/tagger\/(anercorp|lexicon|clusters|names)\.bin$/;

/** The seed article's full extraction, as `sahifa render` wrote it (the CLI has the data embedded). */
function fullExtraction() {
  const html = fs.readFileSync(path.join(DIST, "demo-rendered.html"), "utf8");
  return [...html.matchAll(/<mark [^>]*>/g)].map(([m]) => {
    const a = (k) => m.match(new RegExp(`data-${k}="([^"]*)"`))[1];
    return [+a("start"), +a("end"), a("type"), a("entity"), a("source")];
  });
}
const shape = (entities) => entities.map((e) => [e.start, e.end, e.type, e.entity, e.source]);

/** Records the painted article's marks when they first reach the DOM, and which requests had been made then. */
function recordPaint() {
  window.__painted = new Promise((res) => new MutationObserver((_, o) => {
    const marks = document.querySelectorAll("article[data-sahifa-painted] mark[data-start]");
    if (!marks.length) return;
    o.disconnect();
    res({
      marks: [...marks].map((m) => [+m.dataset.start, +m.dataset.end, m.dataset.type, m.dataset.entity, m.dataset.source]),
      requested: performance.getEntriesByType("resource").map((e) => e.name.split("/").pop()),
    });
  }).observe(document, { childList: true, subtree: true }));
}

/** Holds the tagger's four files until `release()`. */
async function holdTagger(context) {
  let release;
  const released = new Promise((res) => { release = res; });
  await context.route(TAGGER, async (route) => { await released; return route.continue(); });
  return release;
}

test("dist/ holds the paint module; neither wasm carries the automata, which are one file", () => {
  const lists = fs.readFileSync(path.join(DIST, "tagger", "gazetteer.bin"));
  assert.equal(lists.subarray(0, 8).toString(), "SAHIFAGZ");
  const middle = lists.subarray(lists.length >> 1, (lists.length >> 1) + 1024);
  for (const f of ["sahifa-paint_bg.wasm", "sahifa-widget_bg.wasm"]) {
    const wasm = fs.readFileSync(path.join(DIST, f));
    assert.equal(wasm.indexOf(middle), -1, `the automata are not in ${f}`);
  }
  assert.ok(fs.existsSync(path.join(DIST, "sahifa-paint.js")));
  const index = fs.readFileSync(path.join(DIST, "index.html"), "utf8");
  assert.match(index, /import \{ standalone \} from "\.\/sahifa\.js"/);
  assert.doesNotMatch(index, /sahifa-widget_bg\.wasm/, "the widget's wasm is not preloaded before the first highlight");
});

test("painted marks = the widget's rules and gazetteers; adopted without a second extraction; editable; then today's", async () => {
  const { page, context, errors, offsite } = await openPage(browser);
  try {
    const release = await holdTagger(context);
    await page.addInitScript(recordPaint);
    await page.goto(`${server.url}/index.html`);
    const painted = await page.evaluate(() => window.__painted);
    assert.ok(painted.marks.length > 50, `${painted.marks.length} painted marks`);
    assert.ok(!painted.requested.includes("sahifa-widget_bg.wasm"), "painted before the widget's wasm was fetched");
    assert.equal(painted.requested.filter((f) => f === "gazetteer.bin").length, 1, "the automata fetched once");

    await page.waitForFunction(() => typeof window.sahifa?.entities === "function" && document.querySelector(".sahifa-article mark"));
    const mounted = await page.evaluate(() => ({
      hydration: document.getElementById("sahifa").getAttribute("data-sahifa-hydration"),
      paintedLeft: document.querySelectorAll("[data-sahifa-painted]").length,
      entities: window.sahifa.entities(),
      // The widget's own extraction of the same text now (rules and gazetteers: the tagger's data is held).
      own: JSON.parse(window.wasmBindings.workerExtract(window.sahifa.text())),
      status: document.querySelector(".sahifa-status").textContent,
      gazetteerFetches: performance.getEntriesByType("resource").filter((e) => e.name.endsWith("/gazetteer.bin")).length,
    }));
    assert.equal(mounted.hydration, "adopted", "the widget took the painted marks (no extraction of its own)");
    assert.equal(mounted.paintedLeft, 0, "the painted copy is gone once the widget shows its marks");
    assert.equal(mounted.gazetteerFetches, 1, "the widget used the bytes the paint module had");
    assert.deepEqual(shape(mounted.entities), painted.marks, "the widget shows exactly the painted marks");
    assert.deepEqual(mounted.own.map((a) => [a.start, a.end, a.label, a.entity, a.source]), painted.marks,
      "the painted marks are the widget's rules-and-gazetteers extraction");
    assert.ok(mounted.status.trim().length > 0);

    release();
    await page.evaluate(() => window.sahifa.settle());
    const settled = await page.evaluate(() => window.sahifa.entities());
    assert.deepEqual(shape(settled), fullExtraction(), "after settle(): the full extraction, as without painting");

    // Editable: an annotation added through the API is a mark in the widget.
    const id = await page.evaluate(() => {
      const text = window.sahifa.text();
      const at = Array.from(text.slice(0, text.indexOf("المساعي"))).length;
      return window.sahifa.addAnnotation({ start: at, end: at + 7, type: "MISC" });
    });
    assert.ok(await page.evaluate((id) => !!document.querySelector(`.sahifa-article mark[data-id="${id}"]`), id));
    assert.deepEqual(errors, []);
    assert.deepEqual(offsite, []);
  } finally {
    await context.close();
  }
});

test("without the paint module (404) the page works as before: the widget extracts, then the tagger's marks", async () => {
  const { page, context, offsite } = await openPage(browser);
  try {
    const missing = [];
    await context.route(/sahifa-paint(_bg\.wasm|\.js)$/, (route) => {
      missing.push(route.request().url());
      return route.fulfill({ status: 404, contentType: "text/plain", body: "not here" });
    });
    await page.goto(`${server.url}/index.html`);
    await page.waitForFunction(() => typeof window.sahifa?.entities === "function" && document.querySelector(".sahifa-article mark"));
    await page.evaluate(() => window.sahifa.settle());
    const r = await page.evaluate(() => ({
      hydration: document.getElementById("sahifa").getAttribute("data-sahifa-hydration"),
      painted: document.querySelectorAll("[data-sahifa-painted]").length,
      entities: window.sahifa.entities(),
    }));
    assert.ok(missing.length > 0, "the module was asked for");
    assert.equal(r.hydration, null, "nothing painted, nothing adopted");
    assert.equal(r.painted, 0);
    assert.deepEqual(shape(r.entities), fullExtraction());
    assert.deepEqual(offsite, []);
  } finally {
    await context.close();
  }
});

// The automata cut in half (refused by both modules' loaders), or not served at all: either way the widget
// must still mount (it waits for the automata, or for word that they will not come), with a clear message.
for (const { what, fulfill, warning } of [
  { what: "a corrupt automata file is refused by both modules with a clear message",
    fulfill: (lists) => ({ status: 200, contentType: "application/octet-stream", body: lists.subarray(0, lists.length >> 1) }),
    warning: /gazetteer file is truncated/ },
  { what: "a missing automata file (404) is reported",
    fulfill: () => ({ status: 404, contentType: "text/plain", body: "not here" }),
    warning: /gazetteer\.bin: HTTP 404/ },
]) {
  test(`${what}; the page still works`, async () => {
    const { page, context, errors, offsite } = await openPage(browser);
    try {
      const lists = fs.readFileSync(path.join(DIST, "tagger", "gazetteer.bin"));
      await context.route(/\/tagger\/gazetteer\.bin$/, (route) => route.fulfill(fulfill(lists)));
      const warnings = [];
      page.on("console", (m) => { if (m.type() === "warning") warnings.push(m.text()); });
      await page.goto(`${server.url}/index.html?lang=en`);
      await page.waitForFunction(() => typeof window.sahifa?.entities === "function" && document.querySelector(".sahifa-status"));
      await page.evaluate(() => window.sahifa.settle());
      const r = await page.evaluate(() => ({
        painted: document.querySelectorAll("[data-sahifa-painted]").length,
        status: document.querySelector(".sahifa-status").textContent,
        canAdd: (() => { try { return !!window.sahifa.addAnnotation({ start: 0, end: 2, type: "MISC" }); } catch { return false; } })(),
      }));
      assert.equal(r.painted, 0, "nothing painted without the lists");
      assert.ok(warnings.some((w) => warning.test(w)), warnings.join(" | "));
      assert.ok(r.canAdd, "the widget is there and editable");
      assert.ok(r.status.trim().length > 0, "the status line says the data is not all there");
      // A 404 is a console error of the browser's own (the failed resource), not of the page's scripts.
      assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
      assert.deepEqual(offsite, []);
    } finally {
      await context.close();
    }
  });
}
