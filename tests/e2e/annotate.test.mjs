// Annotating in the widget: select → label, edit, delete, undo/redo, accept/reject, autosave and reload,
// pasting a new article, inert notes, Arabic letter joining across mark edges, export/import round trips.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch, openWidget, cpSlice, wordRange } from "./harness.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

function ready(url = "/index.html") {
  return openWidget(browser, server.url + url, { width: 1200, marks: 0 });
}

/** Selects `word` (its `nth` occurrence) in the article with a DOM range and releases the mouse there. */
async function selectWord(page, word, nth = 0) {
  const found = await wordRange(page, word, { nth, select: true });
  assert.ok(found, `"${word}" is in the article`);
  await page.dispatchEvent(".sahifa-main", "mouseup");
  await page.waitForSelector(".sahifa-picker");
}

const userMarks = (page) => page.$$eval("mark[data-source=user]", (ms) => ms.map((m) => ({
  text: m.textContent, type: m.dataset.type, start: +m.dataset.start, end: +m.dataset.end, id: m.dataset.id })));

test("select → label with keys → mark appears; snapping drops the proclitic", async () => {
  const { page, context, errors } = await ready();
  await selectWord(page, "اتصالات");
  await page.keyboard.press("3");
  await page.keyboard.press("Enter");
  await page.waitForSelector("mark[data-source=user]");
  let marks = await userMarks(page);
  assert.deepEqual(marks.map((m) => [m.text, m.type]), [["اتصالات", "ORG"]]);
  const text = await page.evaluate(() => window.sahifa.text());
  assert.equal(cpSlice(text, marks[0].start, marks[0].end), "اتصالات");

  // "ويريفان": the picker offers the name without و; R switches to the raw selection.
  await selectWord(page, "ويريفان");
  const preview = await page.$eval(".sahifa-picker .preview bdi", (b) => b.textContent);
  assert.equal(preview, "يريفان");
  await page.keyboard.press("r");
  assert.equal(await page.$eval(".sahifa-picker .preview bdi", (b) => b.textContent), "ويريفان");
  await page.keyboard.press("Escape");
  assert.equal(await page.$(".sahifa-picker"), null, "Esc cancels");
  assert.equal((await userMarks(page)).length, 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test("edit label and note, delete, undo and redo from keys, buttons and the API", async () => {
  const { page, context } = await ready();
  await selectWord(page, "اتصالات");
  await page.click('.sahifa-pick[data-label="MISC"]');
  const [m] = await userMarks(page);
  await page.click(`mark[data-id="${m.id}"]`);
  await page.selectOption(".sahifa-details select", "ORG");
  await page.fill(".sahifa-details textarea", "ليست جهة");
  await page.click(".sahifa-details .quote"); // blur saves the note
  let ents = await page.evaluate(() => window.sahifa.entities().filter((e) => e.source === "user"));
  assert.deepEqual(ents.map((e) => [e.type, e.note]), [["ORG", "ليست جهة"]]);

  await page.click(".sahifa-details .delete");
  assert.equal((await userMarks(page)).length, 0);
  await page.click(".sahifa-article");
  await page.keyboard.press("Control+z");
  assert.equal((await userMarks(page)).length, 1, "Ctrl+Z undoes the delete");
  await page.keyboard.press("Control+Shift+z");
  assert.equal((await userMarks(page)).length, 0, "Ctrl+Shift+Z redoes it");
  await page.click(".sahifa-toolbar .undo");
  assert.equal((await userMarks(page)).length, 1, "the undo button");
  await page.keyboard.press("Control+z");
  await page.keyboard.press("Control+y");
  assert.equal((await userMarks(page)).length, 1, "Ctrl+Y redoes");
  assert.equal(await page.evaluate(() => window.sahifa.undo()), true);
  assert.equal(await page.evaluate(() => window.sahifa.redo()), true);
  await context.close();
});

test("accept turns a suggestion into the user's; reject hides it and is remembered", async () => {
  const { page, context } = await ready();
  const [a, b] = await page.$$eval("mark[data-source=extractor]", (ms) => ms.slice(0, 2).map((m) => m.dataset.id));
  await page.click(`mark[data-id="${a}"]`);
  await page.click(".sahifa-details .accept");
  assert.equal(await page.$eval(`mark[data-id="${a}"]`, (m) => m.dataset.source), "user");
  await page.click(`mark[data-id="${b}"]`);
  await page.click(".sahifa-details .reject");
  assert.equal(await page.$(`mark[data-id="${b}"]`), null, "rejected suggestion is hidden");
  const ids = await page.evaluate(() => window.sahifa.entities().map((e) => e.id));
  assert.ok(!ids.includes(b));
  await page.reload();
  await page.waitForFunction(() => window.sahifa?.entities && !document.querySelector("[data-sahifa-painted]") && document.querySelector("mark[data-start]"));
  assert.equal(await page.$(`mark[data-id="${b}"]`), null, "still rejected after reload");
  assert.equal(await page.$eval(`mark[data-id="${a}"]`, (m) => m.dataset.source), "user", "still accepted");
  await context.close();
});

test("reload keeps the work; a bad range through the API throws and changes nothing", async () => {
  const { page, context } = await ready();
  await page.evaluate(() => window.sahifa.settle());   // the tagger's marks merged in: the count holds still
  const before = await page.evaluate(() => window.sahifa.entities().length);
  const err = await page.evaluate(() => { try { window.sahifa.addAnnotation({ start: 5, end: 999999, type: "PER" }); } catch (e) { return e.message; } });
  assert.match(err, /outside the article/);
  const err2 = await page.evaluate(() => { try { window.sahifa.addAnnotation({ start: 5, end: 9, type: "NOPE" }); } catch (e) { return e.message; } });
  assert.match(err2, /unknown label/);
  assert.equal(await page.evaluate(() => window.sahifa.entities().length), before);
  const id = await page.evaluate(() => window.sahifa.addAnnotation({ start: 3, end: 5, type: "MISC", note: "n" }));
  await page.reload();
  await page.waitForSelector(`mark[data-id="${id}"]`);
  const e = await page.evaluate((id) => window.sahifa.entities().find((e) => e.id === id), id);
  assert.deepEqual([e.start, e.end, e.type, e.note], [3, 5, "MISC", "n"]);
  await context.close();
});

test("pasting a new article shows it with its own marks", async () => {
  const { page, context } = await ready();
  await page.click("text=لصق مقال");
  const article = "التقى الرئيس المصري عبد الفتاح السيسي في القاهرة يوم الأحد وفدا من الأمم المتحدة.\n\nوبلغ النمو 4 بالمئة.";
  await page.fill(".sahifa-paste textarea", article);
  await page.click(".sahifa-paste button");
  await page.waitForFunction((t) => window.sahifa.text() === t, article);
  const types = await page.$$eval("mark[data-start]", (ms) => ms.map((m) => m.textContent + ":" + m.dataset.type));
  assert.ok(types.includes("القاهرة:LOC"), types.join(" "));
  assert.equal(await page.$$eval(".sahifa-p", (p) => p.length), 2);
  await context.close();
});

test("a note or label holding markup is shown as text and never runs", async () => {
  const { page, context } = await ready();
  const payload = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
  const id = await page.evaluate((note) => window.sahifa.addAnnotation({ start: 3, end: 5, type: "PER", note }), payload);
  await page.click(`mark[data-id="${id}"]`);
  await page.waitForTimeout(200);
  assert.equal(await page.$eval(".sahifa-details textarea", (t) => t.value), payload);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.$$eval(".sahifa img", (i) => i.length), 0);
  await context.close();
});

test("a mark inside a word keeps Arabic letters joined (same rendered width)", async () => {
  const { page, context } = await ready();
  // Width of the word المساعي before and after marking its middle letters.
  const measure = () => page.evaluate(() => {
    const p = document.querySelector(".sahifa-p");
    const text = window.sahifa.text();
    const word = "المساعي";
    const start = Array.from(text.slice(0, text.indexOf(word))).length;
    const r = document.createRange();
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    let n, seen = 0, set = false;
    while ((n = walker.nextNode())) {
      const len = Array.from(n.data).length;
      if (!set && seen + len > start) { r.setStart(n, start - seen); set = true; }
      if (set && seen + len >= start + word.length) { r.setEnd(n, start + word.length - seen); break; }
      seen += len;
    }
    return { width: r.getBoundingClientRect().width, start };
  });
  const before = await measure();
  await page.evaluate((s) => window.sahifa.addAnnotation({ start: s + 2, end: s + 5, type: "MISC" }), before.start);
  await page.waitForSelector("mark[data-source=user]");
  assert.equal(await page.$eval("mark[data-source=user]", (m) => m.textContent), "مسا");
  const afterMark = await measure();
  assert.ok(Math.abs(afterMark.width - before.width) < 0.5,
    `width with a mark inside the word ${afterMark.width} vs without ${before.width}`);
  await context.close();
});

test("export each format, clear, import each: the same marks come back", async () => {
  const { page, context } = await ready();
  const text = await page.evaluate(() => window.sahifa.text());
  const at = (w) => { const i = Array.from(text).join("").indexOf(w); return Array.from(text.slice(0, i)).length; };
  const spans = [["اتصالات", "ORG"], ["السلام", "MISC"]].map(([w, type]) => ({ start: at(w), end: at(w) + Array.from(w).length, type }));
  for (const s of spans) await page.evaluate((s) => window.sahifa.addAnnotation({ ...s, note: "ن" }), s);
  const key = (list) => list.filter((e) => e.source === "user").map((e) => `${e.start}-${e.end}-${e.type}`).sort();
  const want = key(await page.evaluate(() => window.sahifa.entities()));
  assert.equal(want.length, 2);
  for (const format of ["w3c", "brat", "conll", "jsonl", "csv"]) {
    const data = await page.evaluate((f) => window.sahifa.export(f), format);
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await page.waitForFunction(() => window.sahifa?.entities && !document.querySelector("[data-sahifa-painted]") && document.querySelector("mark[data-start]"));
    assert.deepEqual(key(await page.evaluate(() => window.sahifa.entities())), [], `${format}: cleared`);
    const result = await page.evaluate(([f, d]) => window.sahifa.import(f, d), [format, data]);
    assert.deepEqual(result.orphans, [], `${format}: no orphans`);
    const got = key(await page.evaluate(() => window.sahifa.entities()));
    for (const w of want) assert.ok(got.includes(w), `${format}: ${w} back (got ${got})`);
    const shown = await page.$$eval("mark[data-start]", (ms) => ms.map((m) => `${m.dataset.start}-${m.dataset.end}-${m.dataset.type}`));
    for (const w of want) assert.ok(shown.includes(w), `${format}: ${w} rendered`);
    // Back to exactly the two user marks for the next format.
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await page.waitForFunction(() => window.sahifa?.entities && !document.querySelector("[data-sahifa-painted]") && document.querySelector("mark[data-start]"));
    for (const s of spans) await page.evaluate((s) => window.sahifa.addAnnotation({ ...s, note: "ن" }), s);
  }
  const bad = await page.evaluate(() => { try { window.sahifa.import("w3c", "{not json"); } catch (e) { return e.message; } });
  assert.match(bad, /sahifa\.import/);
  await context.close();
});

test("storage full: the widget says so, keeps the work in memory, and export still works", async () => {
  const { page, context } = await ready();
  await page.evaluate(() => {
    Storage.prototype.setItem = function () { throw new DOMException("quota", "QuotaExceededError"); };
  });
  const id = await page.evaluate(() => window.sahifa.addAnnotation({ start: 3, end: 5, type: "PER" }));
  await page.waitForSelector(".sahifa-banner[role=alert]");
  assert.ok(await page.$(`mark[data-id="${id}"]`), "the mark is shown");
  assert.match(await page.evaluate(() => window.sahifa.export("csv")), /^start,end,type/);
  await context.close();
});

test("open an .html article and import a file with an orphan: cleaned text, orphan listed", async () => {
  const { page, context } = await ready();
  const html = "<html><body><nav>قائمة</nav><h1>عنوان الخبر</h1><p>زار <b>ماكرون</b> مدينة <i>باريس</i>.</p><script>window.__ran=1</script></body></html>";
  await page.setInputFiles(".sahifa-toolbar input[type=file]", { name: "news.html", mimeType: "text/html", buffer: Buffer.from(html) });
  await page.waitForFunction(() => window.sahifa.text().startsWith("عنوان الخبر"));
  assert.equal(await page.evaluate(() => window.sahifa.text()), "عنوان الخبر\n\nزار ماكرون مدينة باريس.");
  assert.equal(await page.evaluate(() => window.__ran), undefined);
  // The first row's offsets are stale (re-anchored by its quote); the second cannot be placed.
  const csv = "start,end,type,text,entity,source,note\n20,25,MISC,مدينة,,user,\n0,4,LOC,غير موجود,,user,\n";
  await page.setInputFiles(".sahifa-toolbar input[type=file]", { name: "marks.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.waitForSelector(".sahifa-orphans li");
  assert.equal(await page.$$eval(".sahifa-orphans li", (l) => l.length), 1);
  const user = await page.$$eval("mark[data-source=user]", (ms) => ms.map((m) => m.textContent));
  assert.deepEqual(user, ["مدينة"]);
  await context.close();
});

test("nested user annotations render as nested marks, each with its own contract", async () => {
  const { page, context } = await ready();
  const text = await page.evaluate(() => window.sahifa.text());
  const w = "وزارة الخارجية الروسية";
  const s = Array.from(text.slice(0, text.indexOf(w))).length;
  const outer = await page.evaluate(([s, e]) => window.sahifa.addAnnotation({ start: s, end: e, type: "ORG" }), [s, s + 22]);
  const inner = await page.evaluate(([s, e]) => window.sahifa.addAnnotation({ start: s, end: e, type: "MISC" }), [s + 15, s + 22]);
  const nested = await page.$eval(`mark[data-id="${outer}"]`, (m, inner) => !!m.querySelector(`mark[data-id="${inner}"]`), inner);
  assert.ok(nested, "inner mark sits inside the outer one");
  assert.equal(await page.$eval(`mark[data-id="${inner}"]`, (m) => m.textContent), "الروسية");
  await context.close();
});

test("keyboard only: caret, Shift+arrows, picker keys; the article text cannot be edited", async () => {
  const { page, context } = await ready();
  const text = await page.evaluate(() => window.sahifa.text());
  // Put the caret before "اتصالات" and extend the selection over it with Shift+ArrowLeft (RTL: left moves forward).
  const start = Array.from(text.slice(0, text.indexOf("اتصالات"))).length;
  await page.evaluate((start) => {
    const article = document.querySelector(".sahifa-main");
    article.focus();
    const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
    let n, seen = 0;
    const paras = [...document.querySelectorAll(".sahifa-p")];
    const p = paras.filter((p) => +p.dataset.offset <= start).pop();
    const w = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    let at = +p.dataset.offset;
    while ((n = w.nextNode())) {
      if (at + n.data.length > start) { getSelection().collapse(n, start - at); return; }
      at += n.data.length;
    }
  }, start);
  await page.keyboard.down("Shift");
  for (let i = 0; i < 7; i++) await page.keyboard.press("ArrowLeft");
  await page.keyboard.up("Shift");
  await page.waitForSelector(".sahifa-picker");
  assert.equal(await page.$eval(".sahifa-picker .preview bdi", (b) => b.textContent), "اتصالات");
  await page.keyboard.press("2");
  await page.keyboard.press("Enter");
  await page.waitForSelector("mark[data-source=user]");
  assert.equal(await page.$eval("mark[data-source=user]", (m) => m.dataset.type), "LOC");
  // Typing into the article changes nothing.
  await page.keyboard.type("xyz");
  await page.keyboard.press("Backspace");
  assert.equal(await page.evaluate(() => window.sahifa.text()), text);
  assert.equal(await page.$eval(".sahifa-article", (a) => a.textContent.includes("xyz")), false);
  // Marks are reachable with Tab and open their card with Enter.
  await page.focus("mark[data-source=user]");
  await page.keyboard.press("Enter");
  await page.waitForSelector(".sahifa-details");
  await context.close();
});
