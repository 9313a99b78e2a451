// Two tabs on one collection (issue #19): two pages of one browser context edit the same collection, on
// different articles and on the same article at the same time; every edit of both ends up in both tabs and
// in the database, nothing is overwritten, and a third page opened afterwards sees it all.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch, openWidget, span } from "./harness.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const TEXTS = [
  "قال الرئيس محمد علي اليوم في القاهرة إن الحكومة ستعمل على تحسين الاقتصاد.",
  "زار الوزير مدينة الإسكندرية أمس مع وفد من شركة مصر للطيران.",
  "فاز النادي الأهلي على الزمالك في القاهرة، وسافر الوفد إلى عمّان صباح اليوم.",
];

async function tab(context) {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(server.url + "/index.html");
  await page.waitForFunction(() => window.sahifa?.collection);
  await page.evaluate(() => window.sahifa.collection.ready());
  return { page, errors };
}

const user = (page) => page.evaluate(() => window.sahifa.entities().filter((e) => e.source === "user").map((e) => `${e.text}:${e.type}`).sort());
const add = (page, text, word, type) => page.evaluate(({ sp, type }) => window.sahifa.addAnnotation({ ...sp, type }), { sp: span(text, word), type });
/** The user's marks of every article as the tab's collection export has them. */
async function marks(page) {
  const jsonl = await page.evaluate(() => window.sahifa.collection.export("jsonl"));
  return jsonl.trim().split("\n").map((l) => JSON.parse(l)).map((o) => o.spans.filter((s) => s.source === "user").map((s) => `${o.text.slice(s.start, s.end)}:${s.label}`).sort());
}

test("two tabs on one collection merge each other's work, on different articles and on the same one", async () => {
  const first = await openWidget(browser, server.url + "/index.html");
  const { context } = first;
  const a = { page: first.page, errors: first.errors };
  await a.page.evaluate(() => window.sahifa.collection.ready());
  await a.page.evaluate((T) => window.sahifa.collection.open(T.map((data, i) => ({ name: `t${i}.txt`, data }))), TEXTS);
  await a.page.evaluate(() => window.sahifa.collection.flush());
  const b = await tab(context);
  assert.equal((await b.page.evaluate(() => window.sahifa.collection.state())).counts.total, 3);

  // Different articles: A on the first, B on the second, editing at the same time.
  await b.page.evaluate(() => window.sahifa.collection.go(1));
  await Promise.all([add(a.page, TEXTS[0], "محمد علي", "PER"), add(b.page, TEXTS[1], "الإسكندرية", "LOC")]);
  await Promise.all([a.page.evaluate(() => window.sahifa.collection.flush()), b.page.evaluate(() => window.sahifa.collection.flush())]);
  // Each tab hears the other's article.
  await a.page.waitForFunction(() => window.sahifa.collection.state().items[1].status === "in-progress");
  await b.page.waitForFunction(() => window.sahifa.collection.state().items[0].status === "in-progress");
  const want1 = [["محمد علي:PER"], ["الإسكندرية:LOC"], []];
  assert.deepEqual(await marks(a.page), want1);
  assert.deepEqual(await marks(b.page), want1);

  // The same article open in both: both add a mark at once; neither loses its own or the other's.
  await a.page.evaluate(() => window.sahifa.collection.go(2));
  await b.page.evaluate(() => window.sahifa.collection.go(2));
  await Promise.all([add(a.page, TEXTS[2], "النادي الأهلي", "ORG"), add(b.page, TEXTS[2], "عمّان", "LOC")]);
  const both = ["النادي الأهلي:ORG", "عمّان:LOC"].sort();
  await a.page.waitForFunction((n) => window.sahifa.entities().filter((e) => e.source === "user").length === n, 2);
  await b.page.waitForFunction((n) => window.sahifa.entities().filter((e) => e.source === "user").length === n, 2);
  assert.deepEqual(await user(a.page), both);
  assert.deepEqual(await user(b.page), both);
  // Undo in B takes back only B's own mark: A's arrived as a merge, not as B's edit.
  await b.page.evaluate(() => window.sahifa.undo());
  await b.page.waitForFunction(() => window.sahifa.entities().filter((e) => e.source === "user").length === 1);
  assert.deepEqual(await user(b.page), ["النادي الأهلي:ORG"]);
  // ...and A hears that deletion.
  await a.page.waitForFunction(() => window.sahifa.entities().filter((e) => e.source === "user").length === 1);
  assert.deepEqual(await user(a.page), ["النادي الأهلي:ORG"]);
  await b.page.evaluate(() => window.sahifa.redo());
  await a.page.waitForFunction(() => window.sahifa.entities().filter((e) => e.source === "user").length === 2);

  // Done ticked in one tab shows in the other.
  await a.page.evaluate(() => window.sahifa.collection.setDone(true));
  await b.page.waitForFunction(() => window.sahifa.collection.state().items[2].status === "done");

  await Promise.all([a.page.evaluate(() => window.sahifa.collection.flush()), b.page.evaluate(() => window.sahifa.collection.flush())]);
  let want2 = [["محمد علي:PER"], ["الإسكندرية:LOC"], both];
  assert.deepEqual(await marks(a.page), want2);
  assert.deepEqual(await marks(b.page), want2);
  // The compare-and-set itself: A writes without telling B (its channel silenced), so B, editing the same
  // article from the revision before, finds a newer revision when it saves, merges it into its session and
  // writes the union; A then hears that.
  await a.page.evaluate(() => { window.told = BroadcastChannel.prototype.postMessage; BroadcastChannel.prototype.postMessage = () => {}; });
  await a.page.evaluate(() => window.sahifa.collection.go(0));
  await b.page.evaluate(() => window.sahifa.collection.go(0));
  await add(a.page, TEXTS[0], "القاهرة", "LOC");
  await a.page.evaluate(() => window.sahifa.collection.flush());
  await b.page.waitForTimeout(300);
  assert.deepEqual(await user(b.page), ["محمد علي:PER"], "B has not heard of A's write");
  await add(b.page, TEXTS[0], "الحكومة", "ORG");
  const three = ["محمد علي:PER", "القاهرة:LOC", "الحكومة:ORG"].sort();
  await b.page.waitForFunction((n) => window.sahifa.entities().filter((e) => e.source === "user").length === n, 3);
  assert.deepEqual(await user(b.page), three);
  assert.match(await b.page.textContent(".collection-status"), /دُمج عمل من نافذة أخرى/);
  await a.page.waitForFunction((n) => window.sahifa.entities().filter((e) => e.source === "user").length === n, 3);
  assert.deepEqual(await user(a.page), three);
  await Promise.all([a.page.evaluate(() => window.sahifa.collection.flush()), b.page.evaluate(() => window.sahifa.collection.flush())]);
  want2[0] = three;
  await a.page.evaluate(() => { BroadcastChannel.prototype.postMessage = window.told; });

  // A third tab opened now reads it all from the database.
  const c = await tab(context);
  assert.deepEqual(await marks(c.page), want2);
  assert.equal((await c.page.evaluate(() => window.sahifa.collection.state())).items[2].status, "done");
  // Deleted in one tab while another has it open: that tab says so and offers the undo, which restores it.
  await c.page.close();
  const id = (await a.page.evaluate(() => window.sahifa.collection.state())).collection.id;
  await a.page.evaluate((id) => window.sahifa.collection.remove(id), id);
  await b.page.waitForFunction(() => /حُذفت المجموعة/.test(document.querySelector(".collection-status").textContent));
  await b.page.click(".collection-undo-delete");
  await b.page.waitForFunction((id) => window.sahifa.collection.collections().some((c) => c.id === id && c.open), id);
  await a.page.waitForFunction((id) => window.sahifa.collection.collections().some((c) => c.id === id), id);
  assert.deepEqual(await marks(b.page), want2);
  assert.deepEqual([...a.errors, ...b.errors, ...c.errors], []);
  await context.close();
});
