// A collection of articles on the standalone page (issue #19): 200 articles opened from files, moved through
// by key, one annotated and marked done, filtered and searched, kept in IndexedDB across a reload, exported
// in each collection format and imported into a fresh profile equal; single-article localStorage saves
// migrated into the database; the quota warning.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch, openWidget, span } from "./harness.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const WORDS = ["قال", "الرئيس", "اليوم", "إن", "الحكومة", "ستعمل", "على", "تحسين", "الاقتصاد", "في", "مدينة",
  "القاهرة", "وزار", "الوزير", "محمد", "علي", "شركة", "مصر", "للطيران", "أمس", "بعد", "اجتماع", "طويل"];

/** Article `i`: three paragraphs of generated news text, with a word of its own (`رمز<i>`) to find it by. */
function article(i) {
  const para = (k) => Array.from({ length: 14 }, (_, j) => WORDS[(i * 7 + k * 5 + j * 3) % WORDS.length]).join(" ") + ".";
  return `${para(0)} رمز${i}\n\n${para(1)}\n\n${para(2)}`;
}
const N = 200;
const files = Array.from({ length: N }, (_, i) => ({
  name: `مقال-${String(i).padStart(3, "0")}.txt`, mimeType: "text/plain", buffer: Buffer.from(article(i), "utf8"),
}));

const state = (page) => page.evaluate(() => window.sahifa.collection.state());

async function fresh() {
  const opened = await openWidget(browser, server.url + "/index.html");
  await opened.page.evaluate(() => window.sahifa.collection.ready());
  return opened;
}

/** Spans by article as a JSONL collection export says them, with what every format but CoNLL carries. */
function spansOf(jsonl, { conll = false } = {}) {
  return jsonl.trim().split("\n").map((l) => JSON.parse(l)).map((o) => ({
    id: o.meta.id,
    text: o.text,
    done: conll ? undefined : o.meta.done,
    spans: o.spans
      .filter((s) => !conll || s.status !== "rejected")
      .map((s) => conll ? `${s.start}-${s.end}-${s.label}` : `${s.start}-${s.end}-${s.label}-${s.source}-${s.status}-${s.note ?? ""}`)
      .sort(),
  }));
}

test("200 articles: opened, navigated by key, annotated, kept across a reload, exported and re-imported equal", async () => {
  const { page, context, errors } = await fresh();
  await page.setInputFiles("input.collection-files", files);
  await page.waitForFunction((n) => window.sahifa.collection.state().counts.total === n, N);
  let s = await state(page);
  assert.equal(s.current, 0);
  assert.deepEqual(s.counts, { total: N, new: N, inProgress: 0, done: 0 });
  assert.equal(await page.evaluate(() => window.sahifa.text()), article(0));
  assert.equal(await page.locator(".collection-list li").count(), N);

  // Next and previous by key, from inside the widget.
  await page.focus(".sahifa-main");
  await page.keyboard.press("Alt+PageDown");
  await page.keyboard.press("Alt+PageDown");
  await page.waitForFunction(() => window.sahifa.collection.state().current === 2);
  await page.keyboard.press("Alt+PageUp");
  await page.waitForFunction(() => window.sahifa.collection.state().current === 1);
  assert.equal(await page.evaluate(() => window.sahifa.text()), article(1));
  assert.match(await page.textContent(".collection-current"), /^2 \/ 200: مقال-001$/);

  // Annotate article 1, then mark it done in the panel.
  const word = `رمز1`;
  const { start, end } = span(article(1), word);
  await page.evaluate(({ start, end }) => window.sahifa.addAnnotation({ start, end, type: "MISC", note: "رمز" }), { start, end });
  await page.waitForFunction(() => window.sahifa.collection.state().items[1].status === "in-progress");
  await page.check(".collection-done");
  await page.waitForFunction(() => window.sahifa.collection.state().items[1].status === "done");
  s = await state(page);
  assert.equal(s.counts.done, 1);
  assert.equal(await page.getAttribute(".collection-progress", "value"), "1");

  // Filter by status, and find a word across the collection.
  await page.selectOption(".collection-filter", "done");
  assert.equal(await page.locator(".collection-list li").count(), 1);
  await page.selectOption(".collection-filter", "new");
  assert.equal(await page.locator(".collection-list li").count(), N - 1);
  await page.selectOption(".collection-filter", "");
  await page.fill(".collection-find", "رمز137");
  await page.click(".collection-hits button[data-index='137']");
  await page.waitForFunction(() => window.sahifa.collection.state().current === 137);
  assert.equal(await page.evaluate(() => window.sahifa.text()), article(137));

  // IndexedDB keeps it: a reload brings back all 200, the open article and the work on article 1.
  await page.evaluate(() => window.sahifa.collection.flush());
  await page.reload();
  await page.waitForFunction(() => window.sahifa?.collection);
  await page.evaluate(() => window.sahifa.collection.ready());
  s = await state(page);
  assert.equal(s.counts.total, N);
  assert.equal(s.current, 137);
  assert.equal(s.items[1].status, "done");
  const exports = {};
  for (const f of ["jsonl", "conll", "w3c"]) exports[f] = await page.evaluate((f) => window.sahifa.collection.export(f), f);
  exports.brat = await page.evaluate(() => Array.from(window.sahifa.collection.export("brat")));
  const want = spansOf(exports.jsonl);
  assert.equal(want.length, N);
  assert.ok(want[1].spans.includes(`${start}-${start + 4}-MISC-user-accepted-رمز`), "article 1's annotation is exported");
  assert.match(exports.conll, /^-DOCSTART- مقال-000\n/);
  assert.equal(JSON.parse(exports.w3c)["sahifa:articles"].length, N);
  // The panel's export button downloads the same file.
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("button[data-collection-export='jsonl']")]);
  assert.equal(download.suggestedFilename(), "sahifa-collection.jsonl");
  assert.deepEqual(errors, []);
  await context.close();

  // Each format into a fresh profile gives the same collection back.
  for (const f of ["jsonl", "w3c", "brat"]) {
    const b = await fresh();
    const r = await b.page.evaluate(({ f, data }) => window.sahifa.collection.import(f, f === "brat" ? new Uint8Array(data) : data), { f, data: exports[f] });
    assert.equal(r.added, N, f);
    assert.equal(r.orphans, 0, f);
    const back = await b.page.evaluate(() => window.sahifa.collection.export("jsonl"));
    assert.deepEqual(spansOf(back), want, `${f} re-imported equal`);
    assert.deepEqual(b.errors, []);
    await b.context.close();
  }
  // CoNLL carries no text: the articles are opened first, then the CoNLL brings the marks back.
  const c = await fresh();
  await c.page.setInputFiles("input.collection-files", files);
  await c.page.waitForFunction((n) => window.sahifa.collection.state().counts.total === n, N);
  const r = await c.page.evaluate((data) => window.sahifa.collection.import("conll", data), exports.conll);
  assert.equal(r.updated, N);
  const back = spansOf(await c.page.evaluate(() => window.sahifa.collection.export("jsonl")), { conll: true });
  const orig = spansOf(exports.jsonl, { conll: true });
  // Every mark CoNLL brought back was in the export; only what CoNLL cannot write (one of two overlapping
  // marks) is missing, and the annotator's mark on article 1 is back.
  assert.equal(back.length, N);
  let kept = 0, total = 0;
  for (let i = 0; i < N; i++) {
    assert.equal(back[i].text, orig[i].text);
    for (const sp of back[i].spans) assert.ok(orig[i].spans.includes(sp), `article ${i}: ${sp}`);
    kept += back[i].spans.length; total += orig[i].spans.length;
  }
  assert.ok(back[1].spans.includes(`${start}-${start + 4}-MISC`));
  assert.ok(kept >= total * 0.9, `${kept} of ${total} marks`);
  await c.context.close();
});

test("a bad file is named and the others open; a bad import changes nothing", async () => {
  const { page, context } = await fresh();
  await page.setInputFiles("input.collection-files", [
    files[0], files[1],
    { name: "bad.jsonl", mimeType: "application/jsonl", buffer: Buffer.from('{"text": "نص"}\n{"text": 5}\n') },
  ]);
  await page.waitForFunction(() => window.sahifa.collection.state().counts.total === 2);
  // The Arabic interface says where (السطر: line) in Arabic; the reader's detail names the file's field.
  assert.match(await page.textContent(".collection-status"), /bad\.jsonl: السطر 2: field 'text': must be a string/);
  const err = await page.evaluate(() => { try { window.sahifa.collection.import("jsonl", '{"text": "a"}\n{oops'); } catch (e) { return e.message; } });
  assert.match(err, /^sahifa\.collection\.import: line 2: not valid JSON/);
  assert.equal((await state(page)).counts.total, 2);
  // An article pasted while a collection is open is a single article again: it autosaves in localStorage.
  await page.click("button:has-text('لصق مقال')");
  await page.fill(".sahifa-paste textarea", "مقال ملصوق عن القاهرة");
  await page.click(".sahifa-paste button");
  await page.waitForFunction(() => window.sahifa.text() === "مقال ملصوق عن القاهرة");
  assert.equal((await state(page)).current, null);
  await page.evaluate(() => window.sahifa.addAnnotation({ start: 0, end: 4, type: "MISC" }));
  await page.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith("sahifa:v1:")));
  await context.close();
});

test("single-article localStorage saves are migrated into IndexedDB and restore an article of a collection", async () => {
  const { page, context } = await fresh();
  // The single-article widget saves in localStorage, as before.
  const text = await page.evaluate(() => window.sahifa.text());
  const word = "اتصالات";
  await page.evaluate((s) => window.sahifa.addAnnotation({ ...s, type: "ORG" }), span(text, word));
  await page.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith("sahifa:v1:")));
  const [key, saved] = await page.evaluate(() => {
    const k = Object.keys(localStorage).find((k) => k.startsWith("sahifa:v1:") && !k.endsWith(":unreadable"));
    return [k, localStorage.getItem(k)];
  });
  await page.reload();
  await page.waitForFunction(() => window.sahifa?.collection);
  await page.evaluate(() => window.sahifa.collection.ready());
  const m = await page.evaluate(() => window.sahifa.collection.migration());
  assert.equal(m.found, 1);
  assert.equal(m.schema, 2);
  // The database holds an exact copy; the old entry is still there.
  const copy = await page.evaluate((key) => new Promise((ok, fail) => {
    const req = indexedDB.open("sahifa");
    req.onerror = () => fail(req.error);
    req.onsuccess = () => {
      const get = req.result.transaction("saves").objectStore("saves").get(key);
      get.onsuccess = () => ok(get.result);
      get.onerror = () => fail(get.error);
    };
  }), key);
  assert.equal(copy, saved);
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), key), saved);
  // Even with localStorage gone, opening the article in a collection brings its work back from the database.
  await page.evaluate(() => localStorage.clear());
  await page.setInputFiles("input.collection-files", [
    { name: "seed.txt", mimeType: "text/plain", buffer: Buffer.from(text, "utf8") }, files[0],
  ]);
  await page.waitForFunction((w) => window.sahifa.collection.state().counts.total === 2 &&
    window.sahifa.entities().some((e) => e.source === "user" && e.text === w), word);
  await page.waitForFunction(() => window.sahifa.collection.state().items[0].status === "in-progress");
  // While a collection is open, the single-article autosave stays out of localStorage.
  await page.evaluate(() => window.sahifa.collection.next());
  await page.evaluate(() => window.sahifa.addAnnotation({ start: 0, end: 3, type: "PER" }));
  await page.waitForTimeout(100);
  assert.deepEqual(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("sahifa:v1:"))), []);
  await context.close();
});

test("a JSONL of 1,000 articles (some 5 MB, localStorage's whole quota) opens and is still there after a reload", async () => {
  const { page, context } = await fresh();
  const big = (i) => Array.from({ length: 12 }, (_, k) => article(i * 12 + k)).join("\n\n");
  const lines = Array.from({ length: 1000 }, (_, i) => JSON.stringify({ text: big(i), meta: { source: "وكالة", n: i } })).join("\n");
  assert.ok(Buffer.byteLength(lines) > 5 * 1024 * 1024, `${Buffer.byteLength(lines)} bytes`);
  await page.setInputFiles("input.collection-files", [{ name: "articles.jsonl", mimeType: "application/jsonl", buffer: Buffer.from(lines) }]);
  await page.waitForFunction(() => window.sahifa.collection.state().counts.total === 1000, null, { timeout: 60000 });
  await page.evaluate(() => window.sahifa.collection.go(999));
  await page.evaluate(() => window.sahifa.collection.flush());
  await page.reload();
  await page.waitForFunction(() => window.sahifa?.collection);
  await page.evaluate(() => window.sahifa.collection.ready());
  const s = await state(page);
  assert.equal(s.counts.total, 1000);
  assert.equal(s.current, 999);
  assert.equal(await page.evaluate(() => window.sahifa.text()), big(999));
  const line = JSON.parse((await page.evaluate(() => window.sahifa.collection.export("jsonl"))).split("\n")[999]);
  assert.deepEqual(line.meta, { source: "وكالة", n: 999, id: "line-1000", done: false });
  await context.close();
});

test("the quota is shown when storage runs low", async () => {
  const { page, context } = await fresh();
  await page.setInputFiles("input.collection-files", files.slice(0, 3));
  await page.waitForFunction(() => window.sahifa.collection.state().counts.total === 3);
  // Nothing to say at the default threshold on an empty profile.
  const q = await page.evaluate(() => window.sahifa.collection.checkQuota());
  assert.ok(q.quota > 0 && q.usage >= 0, JSON.stringify(q));
  assert.equal(await page.locator(".collection-quota").count(), 0);
  // A threshold of 0 forces the warning, with the estimate in it.
  await page.evaluate(() => window.sahifa.collection.checkQuota(0));
  const banner = page.locator(".collection-quota[role=alert]");
  await banner.waitFor();
  assert.match(await banner.textContent(), /استُعمل [\d.]+ من [\d.]+ م\.ب/);
  await page.evaluate(() => window.sahifa.collection.checkQuota(1.01));
  await page.waitForFunction(() => !document.querySelector(".collection-quota"));
  await context.close();
});
