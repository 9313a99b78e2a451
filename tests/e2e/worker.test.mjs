// Extraction in a Web Worker (dist/sahifa-worker.js, src/extractor.rs): the worker gives exactly the
// annotations the main thread gives, message by message and as a whole widget on a long article; the
// pages that must not start one (the single file on file://, a Trusted Types policy) do not, and still work.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { serve, launch, openPage, openWidget, DIST } from "./harness.mjs";

let server, browser;
let widgetEntities;   // the long article's entities in a widget, for the file:// test
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const SEED = fs.readFileSync(path.resolve(DIST, "../core/assets/seed-article-ar.txt"), "utf8").trim();
/** A long article (past the one-go limit, so it is extracted in several groups): the seed's paragraphs,
 *  rotated in each of 16 copies, so group boundaries fall at different places of the seed's text. */
const LONG = (() => {
  const paras = SEED.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  const out = [];
  for (let i = 0; i < 16; i++) out.push(...paras.slice(i % paras.length), ...paras.slice(0, i % paras.length));
  return out.join("\n\n");
})();

test("the long article is long enough for several groups", () => {
  assert.ok(Array.from(LONG).length > 40_000, `${Array.from(LONG).length} code points`);
});

test("the worker answers each text with the main thread's annotations (seed and long article)", async () => {
  const { page, context, errors, offsite } = await openWidget(browser, `${server.url}/index.html`);
  // The page's data installed (the automata and the tagger's, not in the wasm); the worker gets the same files in a message.
  await page.evaluate(() => window.sahifa.settle());
  const r = await page.evaluate(async (texts) => {
    const here = texts.map((t) => window.wasmBindings.workerExtract(t));
    const worker = new Worker("sahifa-worker.js", { type: "module" });
    const files = { gazetteer: "gazetteer.bin", model: "anercorp.bin", lexicon: "lexicon.bin", clusters: "clusters.bin", names: "names.bin" };
    const data = await Promise.all(Object.entries(files).map(async ([kind, f]) =>
      [kind, new Uint8Array(await (await fetch(`tagger/${f}`)).arrayBuffer())]));
    worker.postMessage({ data });
    const replies = new Map();
    const all = new Promise((resolve, reject) => {
      worker.onmessage = ({ data }) => { replies.set(data.id, data); if (replies.size === texts.length) resolve(); };
      worker.onerror = (e) => reject(new Error(`worker: ${e.message}`));
    });
    texts.forEach((text, id) => worker.postMessage({ id, text }));
    await all;
    worker.terminate();
    return texts.map((_, id) => ({ here: here[id], there: replies.get(id).annotations, error: replies.get(id).error }));
  }, [SEED, LONG]);
  for (const [i, { here, there, error }] of r.entries()) {
    assert.equal(error, undefined);
    const h = JSON.parse(here), t = JSON.parse(there);
    assert.ok(h.length > (i ? 1000 : 50), `${h.length} annotations`);
    assert.deepEqual(t, h);
  }
  assert.deepEqual(errors, []);
  assert.deepEqual(offsite, []);
  await context.close();
});

test("a widget on a long article shows the same annotations extracted in the worker or on the main thread", async () => {
  const { page, context, errors, offsite } = await openWidget(browser, `${server.url}/index.html`);
  await page.evaluate(() => window.sahifa.settle());   // the tagger's data installed
  const mountOn = (workerUrl, key) => page.evaluate(async ({ text, workerUrl, key }) => {
    window.wasmBindings.setWorkerUrl(workerUrl && new URL(workerUrl, location.href).href);
    const host = document.createElement("div");
    document.body.append(host);
    const ready = new Promise((res) => host.addEventListener("sahifa:ready", res, { once: true }));
    const inst = window.wasmBindings.mountElement(host, { text, storageKey: key });
    const shadow = host.querySelector("[data-sahifa-container]").shadowRoot;
    // Every entity the side list ever shows: it waits until the groups' ids are joined (relinked), so none
    // of them may be an id that the relinking replaced.
    const listed = new Set();
    const rows = new MutationObserver(() => shadow.querySelectorAll(".sahifa-entities button.sahifa-entity")
      .forEach((b) => listed.add(b.dataset.entity)));
    rows.observe(shadow, { childList: true, subtree: true });
    // The status line says more marks are coming while they are, and nothing once all are in.
    await new Promise((r) => requestAnimationFrame(r));
    const line = shadow.querySelector(".sahifa-status");
    const said = [line.textContent];
    const mo = new MutationObserver(() => said.push(line.textContent));
    mo.observe(line, { childList: true, characterData: true, subtree: true });
    await ready;
    mo.disconnect();
    while (!shadow.querySelector(".sahifa-entities button.sahifa-entity")) await new Promise((r) => setTimeout(r, 20));
    rows.disconnect();
    return { entities: inst.entities(), during: said.join(" | "), after: line.textContent, listed: [...listed] };
  }, { text: LONG, workerUrl, key }).then(({ entities, during, after, listed }) => {
    assert.match(during, /يجري استخراج الكيانات/);
    assert.equal(after, "");
    const final = new Set(entities.map((m) => m.entity));
    assert.ok(listed.length > 0, "the side list showed entities");
    assert.deepEqual(listed.filter((id) => !final.has(id)), [], "entities listed before their ids were joined");
    return entities;
  });
  const here = await mountOn(null, "worker-test-main");
  assert.equal(page.workers().length, 0, "no worker when none is set");
  const fetched = [];
  page.on("request", (r) => fetched.push(new URL(r.url()).pathname.split("/").pop()));
  const there = await mountOn("sahifa-worker.js", "worker-test-worker");
  // The worker gets the page's compiled wasm: it fetches its script and the glue, never the wasm again.
  assert.ok(fetched.includes("sahifa-worker.js"), fetched.join(" "));
  assert.ok(!fetched.some((f) => f.endsWith(".wasm")), fetched.join(" "));
  const workers = page.workers();
  assert.equal(workers.length, 1, "one worker");
  const extracted = await workers[0].evaluate(() => self.sahifaExtracted);
  assert.ok(extracted >= 2, `the worker extracted ${extracted} groups`);
  assert.ok(here.length > 1000, `${here.length} entities`);
  assert.deepEqual(there, here);
  widgetEntities = here;
  assert.deepEqual(errors, []);
  assert.deepEqual(offsite, []);
  await context.close();
});

test("the single file on file:// extracts a long article on the main thread, without a worker, to the same annotations", async () => {
  assert.ok(widgetEntities, "the test above ran");
  const url = pathToFileURL(path.join(DIST, "sahifa-standalone.html")).href;
  const { page, context, errors, offsite } = await openWidget(browser, url);
  await page.evaluate(() => window.sahifa.settle());   // the tagger's data installed
  assert.equal(await page.evaluate(() => document.querySelector("[data-sahifa-worker]")), null);
  await page.click("text=لصق مقال");
  await page.fill(".sahifa-paste textarea", LONG);
  await page.click(".sahifa-paste button");
  await page.waitForFunction(({ text, n }) => window.sahifa.text() === text && window.sahifa.entities().length >= n,
    { text: LONG, n: widgetEntities.length });
  await page.waitForTimeout(300);   // the last group's relink
  const ids = (es) => es.map(({ id, entity, start, end, type, text, source }) => [id, entity, start, end, type, text, source]);
  assert.deepEqual(ids(await page.evaluate(() => window.sahifa.entities())), ids(widgetEntities));
  assert.equal(page.workers().length, 0);
  assert.deepEqual(errors, []);
  assert.deepEqual(offsite, []);
  await context.close();
});

test("under a strict CSP with Trusted Types a long article is extracted on the main thread, same annotations, no errors", async () => {
  assert.ok(widgetEntities, "the test above ran");
  const { page, context, errors, offsite } = await openPage(browser, `${server.url}/demo-csp.html`);
  await page.waitForFunction(() => document.getElementById("story")?.sahifa?.entities().length > 0);
  await page.evaluate(() => document.getElementById("story").sahifa.settle());   // the tagger's data installed
  const got = await page.evaluate(async (text) => {
    const { mount } = await import("./sahifa.js");
    const host = document.createElement("div");
    document.body.append(host);
    const ready = new Promise((res) => host.addEventListener("sahifa:ready", res, { once: true }));
    const w = await mount(host, { text, storageKey: "worker-test-csp" });
    await ready;
    return w.entities();
  }, LONG);
  assert.equal(page.workers().length, 0);
  assert.deepEqual(got, widgetEntities);
  assert.deepEqual(errors, []);
  assert.deepEqual(offsite, []);
  await context.close();
});

test("a worker that cannot start leaves the extraction to the main thread, same annotations", async () => {
  assert.ok(widgetEntities, "the test above ran");
  const { page, context, errors, offsite } = await openWidget(browser, `${server.url}/index.html`);
  await page.evaluate(() => window.sahifa.settle());   // the tagger's data installed
  const got = await page.evaluate(async (text) => {
    window.wasmBindings.setWorkerUrl(new URL("no-such-worker.js", location.href).href);
    const host = document.createElement("div");
    document.body.append(host);
    const ready = new Promise((res) => host.addEventListener("sahifa:ready", res, { once: true }));
    const inst = window.wasmBindings.mountElement(host, { text, storageKey: "worker-test-missing" });
    await ready;
    return inst.entities();
  }, LONG);
  assert.deepEqual(got, widgetEntities);
  // The only error is the browser's own report of the missing script.
  assert.ok(errors.every((e) => /404|Failed to load|no-such-worker/i.test(e)), errors.join(" | "));
  assert.deepEqual(offsite, []);
  await context.close();
});
