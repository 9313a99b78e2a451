// Named collections on the standalone page (issue #19): made, listed, switched, renamed and deleted from the
// panel and the API, each with its own articles, progress and learning key; a deletion is confirmed first
// (with the export offered) and can be undone; a version 1 database is upgraded to version 2 with nothing
// lost; and a folder is opened through the folder input.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { serve, launch, openWidget, openPage, span } from "./harness.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const state = (page) => page.evaluate(() => window.sahifa.collection.state());
const list = (page) => page.evaluate(() => window.sahifa.collection.collections());
const txt = (name, text) => ({ name, mimeType: "text/plain", buffer: Buffer.from(text, "utf8") });
const A = ["قال الرئيس محمد علي اليوم في القاهرة إن الحكومة ستعمل.", "زار الوزير مدينة الإسكندرية أمس مع وفد."];
const B = ["أعلنت شركة مصر للطيران رحلات جديدة إلى بيروت.", "فاز النادي الأهلي على الزمالك في القاهرة.", "سافر الوفد إلى عمّان صباح اليوم."];

async function fresh(url = "/index.html") {
  const opened = await openWidget(browser, server.url + url);
  await opened.page.evaluate(() => window.sahifa.collection.ready());
  return opened;
}

/** The stored records of object store `store` in the page's `sahifa` database: `[key, value]` pairs. */
const records = (page, store) => page.evaluate((store) => new Promise((ok, fail) => {
  const req = indexedDB.open("sahifa");
  req.onerror = () => fail(req.error);
  req.onsuccess = () => {
    const s = req.result.transaction(store).objectStore(store);
    const keys = s.getAllKeys(), vals = s.getAll();
    vals.onsuccess = () => { ok(keys.result.map((k, i) => [k, vals.result[i]])); req.result.close(); };
    vals.onerror = () => fail(vals.error);
  };
}), store);

test("named collections: made, switched, renamed, deleted after a confirmation and restored, each with its own articles", async () => {
  const { page, context, errors } = await fresh();
  let s = await state(page);
  assert.equal(s.collection.name, "مجموعة 1");
  const first = s.collection.id;
  await page.setInputFiles("input.collection-files", A.map((t, i) => txt(`a${i}.txt`, t)));
  await page.waitForFunction(() => window.sahifa.collection.state().counts.total === 2);
  await page.evaluate((sp) => window.sahifa.addAnnotation({ ...sp, type: "PER" }), span(A[0], "محمد علي"));
  await page.waitForFunction(() => window.sahifa.collection.state().items[0].status === "in-progress");

  // A new collection from the panel: a name, then the button; it opens empty and takes its own files.
  await page.fill(".collection-name", "  أخبار   الرياضة ");
  await page.click(".collection-create");
  await page.waitForFunction(() => window.sahifa.collection.state().collection.name === "أخبار الرياضة");
  s = await state(page);
  assert.notEqual(s.collection.id, first);
  assert.equal(s.counts.total, 0);
  const second = s.collection.id;
  const opened = await page.evaluate((B) => window.sahifa.collection.open(B.map((data, i) => ({ name: `b${i}.txt`, data }))), B);
  assert.equal(opened.added, 3);
  assert.equal(await page.evaluate(() => window.sahifa.text()), B[0]);
  assert.deepEqual((await list(page)).map((c) => [c.name, c.open]), [["مجموعة 1", false], ["أخبار الرياضة", true]]);
  // A taken or empty name is refused, by the API and in the panel's status line.
  await assert.rejects(page.evaluate(() => window.sahifa.collection.create("مجموعة 1")), /exists already/);
  await page.fill(".collection-name", "   ");
  await page.click(".collection-create");
  await page.waitForFunction(() => /للمجموعة اسم لا بد منه/.test(document.querySelector(".collection-status").textContent));

  // Back to the first through the chooser: its articles, its progress, its open article.
  await page.selectOption(".collection-choose", first);
  await page.waitForFunction((id) => window.sahifa.collection.state().collection?.id === id, first);
  s = await state(page);
  assert.equal(s.counts.total, 2);
  assert.equal(s.items[0].status, "in-progress");
  assert.equal(await page.evaluate(() => window.sahifa.text()), A[0]);
  assert.ok((await page.evaluate(() => window.sahifa.entities())).some((e) => e.source === "user" && e.text === "محمد علي"));

  // Renamed (API); the chooser shows the new name.
  await page.evaluate((id) => window.sahifa.collection.rename(id, "أخبار الاقتصاد"), first);
  await page.waitForFunction(() => [...document.querySelectorAll(".collection-choose option")].some((o) => o.textContent === "أخبار الاقتصاد"));
  await assert.rejects(page.evaluate((id) => window.sahifa.collection.rename(id, "أخبار الرياضة"), first), /exists already/);

  // Delete asks first, names what goes, and offers the export; cancel keeps everything.
  await page.click(".collection-delete");
  const confirm = page.locator(".collection-confirm[role=group]");
  assert.match(await confirm.textContent(), /حذف «أخبار الاقتصاد» بمقالاتها \(2\)/);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click(".collection-confirm-export")]);
  assert.equal(download.suggestedFilename(), "sahifa-collection.jsonl");
  await page.click(".collection-confirm-cancel");
  assert.equal(await confirm.count(), 0);
  assert.equal((await list(page)).length, 2);
  // Deleted from the keyboard: focus the button, Enter, then the confirmation's delete button.
  await page.focus(".collection-delete");
  await page.keyboard.press("Enter");
  await page.focus(".collection-confirm-delete");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => window.sahifa.collection.collections().length === 1);
  s = await state(page);
  assert.equal(s.collection.id, second, "the other collection is opened");
  assert.equal(s.counts.total, 3);
  // Undo brings it back whole.
  await page.click(".collection-undo-delete");
  await page.waitForFunction((id) => window.sahifa.collection.state().collection?.id === id, first);
  s = await state(page);
  assert.equal(s.counts.total, 2);
  assert.equal(s.items[0].status, "in-progress");
  assert.equal((await list(page)).length, 2);

  // Deleted again and the page reloaded: now it is gone from the database, with what it learned.
  const learnedKey = `sahifa:learned:v1:collection:${first}`;
  await page.evaluate((k) => localStorage.setItem(k, "00"), learnedKey);
  await page.evaluate((id) => window.sahifa.collection.remove(id), first);
  await page.reload();
  await page.waitForFunction(() => window.sahifa?.collection);
  await page.evaluate(() => window.sahifa.collection.ready());
  assert.deepEqual((await list(page)).map((c) => c.name), ["أخبار الرياضة"]);
  assert.equal((await state(page)).counts.total, 3);
  const items = await records(page, "items");
  assert.equal(items.filter(([k]) => k[0] === first).length, 0);
  assert.equal(items.filter(([k]) => k[0] === second).length, 3);
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), learnedKey), null);
  assert.deepEqual(errors, []);
  await context.close();
});

test("each collection learns under its own key, switched with the collection", async () => {
  const { page, context } = await fresh();
  const first = (await state(page)).collection.id;
  await page.evaluate((A) => window.sahifa.collection.open(A.map((data, i) => ({ name: `a${i}.txt`, data }))), A);
  // A verb marked as a name: the tagger was surely wrong there, so it learns something.
  await page.evaluate((sp) => window.sahifa.addAnnotation({ ...sp, type: "PER" }), span(A[0], "ستعمل"));
  await page.evaluate(() => window.sahifa.settle());
  const learned = await page.evaluate(() => Array.from(window.sahifa.exportLearning()));
  const second = await page.evaluate(() => window.sahifa.collection.create("ثانية"));
  await page.evaluate((B) => window.sahifa.collection.open(B.map((data, i) => ({ name: `b${i}.txt`, data }))), B);
  await page.evaluate(() => window.sahifa.settle());
  const fresh2 = await page.evaluate(() => Array.from(window.sahifa.exportLearning()));
  assert.notDeepEqual(fresh2, learned, "the new collection starts with nothing learned");
  await page.evaluate((id) => window.sahifa.collection.switchTo(id), first);
  await page.evaluate(() => window.sahifa.settle());
  assert.deepEqual(await page.evaluate(() => Array.from(window.sahifa.exportLearning())), learned, "the first one's learning is back");
  assert.ok(await page.evaluate((id) => localStorage.getItem(`sahifa:learned:v1:collection:${id}`) !== null, first));
  assert.ok(second);
  await context.close();
});

test("a version 1 database is upgraded to version 2: articles, work, done, open article and collection id kept", async () => {
  // A collection made by this version, to have real entries; then written as version 1 kept them.
  const made = await fresh();
  await made.page.evaluate((B) => window.sahifa.collection.open(B.map((data, i) => ({ name: `b${i}.txt`, data }))), B);
  await made.page.evaluate(() => window.sahifa.collection.go(1));
  await made.page.evaluate((sp) => window.sahifa.addAnnotation({ ...sp, type: "ORG", note: "نادٍ" }), span(B[1], "النادي الأهلي"));
  await made.page.evaluate(() => window.sahifa.collection.setDone(true));
  await made.page.evaluate(() => window.sahifa.collection.go(2));
  await made.page.evaluate(() => window.sahifa.collection.flush());
  const want = await made.page.evaluate(() => window.sahifa.collection.export("jsonl"));
  const entries = (await records(made.page, "items")).map(([, v]) => JSON.stringify(JSON.parse(v).entry));
  assert.equal(entries.length, 3);
  await made.context.close();

  const { page, context } = await openPage(browser, server.url + "/sahifa.css");
  await page.evaluate((entries) => new Promise((ok, fail) => {
    const req = indexedDB.open("sahifa", 1);
    req.onupgradeneeded = () => { for (const s of ["articles", "meta", "saves"]) req.result.createObjectStore(s); };
    req.onerror = () => fail(req.error);
    req.onsuccess = () => {
      const tx = req.result.transaction(["articles", "meta"], "readwrite");
      entries.forEach((e, i) => tx.objectStore("articles").put(e, i));
      tx.objectStore("meta").put("v1-collection", "id");
      tx.objectStore("meta").put("2", "current");
      tx.oncomplete = () => { req.result.close(); ok(); };
      tx.onerror = () => fail(tx.error);
    };
  }), entries);
  await page.goto(server.url + "/index.html");
  await page.waitForFunction(() => window.sahifa?.collection);
  await page.evaluate(() => window.sahifa.collection.ready());
  const s = await state(page);
  assert.equal(s.collection.id, "v1-collection", "the id (and so the learning key) is kept");
  assert.equal(s.counts.total, 3);
  assert.equal(s.current, 2);
  assert.equal(s.items[1].status, "done");
  assert.equal(await page.evaluate(() => window.sahifa.collection.export("jsonl")), want, "the same collection, byte for byte");
  assert.equal((await page.evaluate(() => window.sahifa.collection.migration())).movedFromV1, 3);
  assert.equal(await page.evaluate(() => new Promise((ok) => {
    const r = indexedDB.open("sahifa");
    r.onsuccess = () => { ok(r.result.version); r.result.close(); };
  })), 2);
  assert.deepEqual(await records(page, "articles"), [], "version 1's store is emptied only after the copy read back");
  // A second start does not move anything again.
  await page.reload();
  await page.waitForFunction(() => window.sahifa?.collection);
  await page.evaluate(() => window.sahifa.collection.ready());
  assert.equal((await page.evaluate(() => window.sahifa.collection.migration())).movedFromV1, 0);
  assert.equal((await state(page)).counts.total, 3);
  await context.close();
});

test("a folder opened through the folder input (webkitdirectory) adds its articles, nested ones too", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sahifa-folder-"));
  fs.writeFileSync(path.join(dir, "one.txt"), A[0]);
  fs.writeFileSync(path.join(dir, "two.html"), `<html><body><h1>عنوان</h1><p>${A[1]}</p></body></html>`);
  fs.mkdirSync(path.join(dir, "more"));
  fs.writeFileSync(path.join(dir, "more", "three.txt"), B[0]);
  fs.writeFileSync(path.join(dir, "more", "notes.md"), "# not an article");
  const { page, context } = await fresh();
  assert.notEqual(await page.getAttribute("input.collection-folder", "webkitdirectory"), null);
  await page.setInputFiles("input.collection-folder", dir);
  await page.waitForFunction(() => window.sahifa.collection.state().counts.total === 3);
  const s = await state(page);
  assert.deepEqual(s.items.map((i) => i.id).sort(), ["one", "three", "two"]);
  assert.match(await page.textContent(".collection-status"), /notes\.md: نوع ملف غير معروف/);
  await page.evaluate((i) => window.sahifa.collection.go(i), s.items.findIndex((i) => i.id === "two"));
  assert.match(await page.evaluate(() => window.sahifa.text()), /^عنوان\n\n/);
  fs.rmSync(dir, { recursive: true });
  await context.close();
});
