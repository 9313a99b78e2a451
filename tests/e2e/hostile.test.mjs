// Hostile hosts: a page with a strict Content-Security-Policy and Trusted Types required, and a page whose
// scripts patched Array.prototype, JSON and Element.prototype before the widget loaded. The widget works in
// both, and never throws into the host.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { serve, launch, openPage, DIST } from "./harness.mjs";

let server, browser, root;
before(async () => {
  // dist/ as built, plus a poisoned host page written here (it is a test fixture, not a demo).
  root = fs.mkdtempSync(path.join(os.tmpdir(), "sahifa-hostile-"));
  fs.cpSync(DIST, root, { recursive: true });
  fs.writeFileSync(path.join(root, "poisoned.js"), `
    // What old libraries and careless hosts do: enumerable additions to built-ins, wrapped JSON, wrapped DOM.
    Array.prototype.each = function (f) { for (let i = 0; i < this.length; i++) f(this[i]); };
    Object.defineProperty(Array.prototype, "last", { get() { return this[this.length - 1]; }, enumerable: true });
    const parse = JSON.parse, stringify = JSON.stringify;
    JSON.parse = function (s, r) { window.__jsonCalls = (window.__jsonCalls || 0) + 1; return parse(s, r); };
    JSON.stringify = function (v, r, i) { return stringify(v, r, i); };
    const append = Element.prototype.appendChild;
    Element.prototype.appendChild = function (n) { return append.call(this, n); };
    Element.prototype.getAttribute = (function (g) { return function (n) { return g.call(this, n); }; })(Element.prototype.getAttribute);
    Element.prototype.foo = "bar";
  `);
  fs.writeFileSync(path.join(root, "poisoned.html"), `<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
    <script src="poisoned.js"></script><script type="module" src="sahifa.js"></script></head>
    <body><article id="story" data-sahifa><h2>زيارة</h2><p>زار الرئيس الفرنسي إيمانويل ماكرون العاصمة المصرية القاهرة يوم 9 أكتوبر 2020 والتقى الرئيس عبد الفتاح السيسي.</p></article></body></html>`);
  server = await serve(root);
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); fs.rmSync(root, { recursive: true, force: true }); });

async function exercise(page) {
  return page.evaluate(async () => {
    const el = document.getElementById("story");
    for (let i = 0; i < 100 && !el.sahifa; i++) await new Promise((r) => setTimeout(r, 50));
    const w = el.sahifa;
    const shadow = el.querySelector("[data-sahifa-container]").shadowRoot;
    for (let i = 0; i < 100 && !shadow.querySelector("mark[data-start]"); i++) await new Promise((r) => setTimeout(r, 50));
    const text = w.text();
    const i = text.indexOf("الرئيس");
    const start = Array.from(text.slice(0, i)).length;
    const id = w.addAnnotation({ start, end: start + 6, type: "MISC" });
    await new Promise((r) => setTimeout(r, 50));
    const exported = w.export("w3c");
    const reimported = w.import("w3c", exported);
    return {
      marks: shadow.querySelectorAll("mark[data-start]").length,
      added: w.entities().some((e) => e.id === id),
      undone: w.undo(),
      exportedItems: JSON.parse(exported).items?.length ?? JSON.parse(exported).first?.items?.length ?? -1,
      duplicates: reimported.duplicates,
      styled: getComputedStyle(shadow.querySelector("mark[data-start]")).textDecorationLine,
    };
  });
}

test("under a strict CSP with Trusted Types required, the widget loads, marks, edits and exports with no violation", async () => {
  const { page, errors } = await openPage(browser);
  const violations = [];
  await page.exposeFunction("__violation", (v) => violations.push(v));
  await page.addInitScript(() => document.addEventListener("securitypolicyviolation",
    (e) => window.__violation(`${e.violatedDirective}: ${e.blockedURI} ${e.sample}`)));
  await page.goto(server.url + "/demo-csp.html");
  const r = await exercise(page);
  assert.ok(r.marks >= 5, `marks: ${r.marks}`);
  assert.equal(r.added, true);
  assert.equal(r.undone, true);
  assert.ok(r.duplicates >= 1, "the export re-imports onto itself");
  assert.match(r.styled, /underline/, "the widget's stylesheet applies under the CSP");
  assert.deepEqual(violations, [], "no CSP or Trusted Types violation");
  assert.deepEqual(errors, []);
});

test("a host that patched Array.prototype, JSON and Element.prototype does not break the widget", async () => {
  const { page, errors } = await openPage(browser, server.url + "/poisoned.html");
  const r = await exercise(page);
  assert.ok(r.marks >= 4, `marks: ${r.marks}`);
  assert.equal(r.added, true);
  assert.equal(r.undone, true);
  assert.ok(r.duplicates >= 1);
  assert.deepEqual(errors, []);
});

test("script in an import's notes and texts stays text; markup in a label is refused as an orphan", async () => {
  const { page, errors } = await openPage(browser, server.url + "/index.html");
  await page.waitForFunction(() => window.sahifa?.entities && !document.querySelector("[data-sahifa-painted]") && document.querySelectorAll("mark[data-id]").length > 5);
  const r = await page.evaluate(() => {
    const text = window.sahifa.text();
    const i = text.indexOf("موسكو");
    const start = Array.from(text.slice(0, i)).length;
    const evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    const line = JSON.stringify({ text, spans: [
      { start, end: start + 5, label: "LOC", note: evil, source: "user" },
      { start, end: start + 5, label: "<script>", note: evil },
    ] });
    const res = window.sahifa.import("jsonl", line);
    const mark = document.querySelector(`mark[data-start="${start}"]`);
    mark.click();
    return { orphans: res.orphans.map((o) => o.reason), evil };
  });
  await page.waitForSelector(".sahifa-details textarea");
  const note = await page.$eval(".sahifa-details textarea", (t) => t.value);
  assert.equal(note, r.evil, "the note is shown as the text it is");
  assert.equal(r.orphans.length, 1);
  assert.match(r.orphans[0], /not a label name/);
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => window.__pwned ?? null), null, "nothing ran");
  assert.equal(await page.$("img[src=x]"), null);
  assert.deepEqual(errors, []);
});
