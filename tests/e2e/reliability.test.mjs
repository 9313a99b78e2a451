// Nothing lost: two tabs on one article merge their work instead of overwriting it; saved work that
// cannot be read is said, kept aside and never overwritten; the page does not jump after an annotation.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch } from "./harness.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** Code-point offsets of the `nth` occurrence of `word` in `text`. */
function spanOf(text, word, nth = 0) {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(word, i + 1);
  const start = Array.from(text.slice(0, i)).length;
  return { start, end: start + Array.from(word).length };
}

async function tab(context) {
  const page = await context.newPage();
  await page.goto(server.url + "/index.html");
  await page.waitForFunction(() => window.sahifa?.entities && !document.querySelector("[data-sahifa-painted]") && document.querySelectorAll("mark[data-start]").length > 0);
  return page;
}

const userTexts = (page) => page.evaluate(() =>
  window.sahifa.entities().filter((e) => e.source === "user").map((e) => e.text).sort());

test("two tabs on one article: each tab's annotation reaches the other, and both survive a reload", async () => {
  const context = await browser.newContext();
  const a = await tab(context);
  const b = await tab(context);
  const text = await a.evaluate(() => window.sahifa.text());
  // Words the machine does not mark, so each add is a new user annotation.
  const [w1, w2] = ["اتصالات", "الرئاسة"];
  await b.evaluate((s) => window.sahifa.addAnnotation({ ...s, type: "ORG" }), spanOf(text, w1));
  await a.waitForFunction((w) => window.sahifa.entities().some((e) => e.source === "user" && e.text === w), w1);
  await a.evaluate((s) => window.sahifa.addAnnotation({ ...s, type: "ORG" }), spanOf(text, w2));
  await b.waitForFunction((w) => window.sahifa.entities().some((e) => e.source === "user" && e.text === w), w2);
  assert.deepEqual(await userTexts(a), [w1, w2].sort());
  assert.deepEqual(await userTexts(b), [w1, w2].sort());
  // Undo in A takes back A's own edit, not B's.
  await a.evaluate(() => window.sahifa.undo());
  await b.waitForFunction((w) => !window.sahifa.entities().some((e) => e.source === "user" && e.text === w), w2);
  assert.deepEqual(await userTexts(a), [w1]);
  await a.evaluate(() => window.sahifa.redo());
  await a.waitForTimeout(100);
  await a.reload();
  await a.waitForFunction(() => window.sahifa?.entities && !document.querySelector("[data-sahifa-painted]") && document.querySelectorAll("mark[data-start]").length > 0);
  assert.deepEqual(await userTexts(a), [w1, w2].sort(), "nothing lost after a reload");
  await context.close();
});

test("a true conflict between tabs keeps both versions and says so", async () => {
  const context = await browser.newContext();
  const a = await tab(context);
  const text = await a.evaluate(() => window.sahifa.text());
  // A save both tabs start from.
  await a.evaluate((s) => window.sahifa.addAnnotation({ ...s, type: "ORG" }), spanOf(text, "اتصالات"));
  await a.waitForTimeout(100);
  const key = await a.evaluate(() => Object.keys(localStorage).find((k) => /^sahifa:v1:[0-9a-f]+:\d+$/.test(k)));
  const shared = await a.evaluate((k) => localStorage.getItem(k), key);
  const id = await a.evaluate(() => window.sahifa.entities().find((e) => e.type === "PER" && e.source === "extractor").id);
  // Tab A relabels the suggestion and saves...
  await a.evaluate((id) => window.sahifa.updateAnnotation(id, { type: "ORG" }), id);
  await a.waitForTimeout(100);
  // ...while another tab, which had not heard of that yet, rejected it and saved its own revision of the
  // shared save (written from a plain page of the same origin, as that tab's autosave would).
  const other = await context.newPage();
  await other.goto(server.url + "/no-widget-here");
  await other.evaluate(([k, shared, id]) => {
    const s = JSON.parse(shared);
    const parent = s.rev;
    s.annotations.find((x) => x.id === id).status = "rejected";
    s.rev = "other-tab-1";
    s.parent = parent;
    localStorage.setItem(k, JSON.stringify(s));
  }, [key, shared, id]);
  // A hears it: both versions are kept and the user is told.
  await a.waitForSelector(".sahifa-conflict[role=alert]");
  const kept = await a.evaluate((id) => {
    const all = JSON.parse(localStorage.getItem(Object.keys(localStorage).find((k) => /^sahifa:v1:[0-9a-f]+:\d+$/.test(k))));
    return all.annotations.filter((x) => x.id === id || x.id === id + "-2").map((x) => `${x.label}/${x.status}`).sort();
  }, id);
  assert.deepEqual(kept, ["ORG/accepted", "PER/rejected"], "A's relabel and the other tab's rejection, both saved");
  await context.close();
});

test("saved work that cannot be read is said, kept aside, offered, and never overwritten", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url + "/index.html");
  await page.waitForFunction(() => window.sahifa?.entities);
  const key = await page.evaluate(() => Object.keys(localStorage).find((k) => k.startsWith("sahifa:v1:"))
    ?? null);
  // Make sure there is a save, then cut it as a crash mid-write would.
  const text = await page.evaluate(() => window.sahifa.text());
  await page.evaluate((s) => window.sahifa.addAnnotation({ ...s, type: "ORG" }), spanOf(text, "اتصالات"));
  await page.waitForTimeout(100);
  const saveKey = key ?? await page.evaluate(() => Object.keys(localStorage).find((k) => k.startsWith("sahifa:v1:")));
  const cut = await page.evaluate((k) => { const v = localStorage.getItem(k); const c = v.slice(0, v.length / 2);
    localStorage.setItem(k, c); return c; }, saveKey);
  await page.reload();
  await page.waitForFunction(() => window.sahifa?.entities && !document.querySelector("[data-sahifa-painted]") && document.querySelectorAll("mark[data-start]").length > 0);
  const banner = await page.waitForSelector(".sahifa-unreadable[role=alert]");
  assert.match(await banner.textContent(), /تعذّرت قراءة العمل المحفوظ/);
  assert.equal(await page.evaluate((k) => localStorage.getItem(k + ":unreadable"), saveKey), cut);
  const download = page.waitForEvent("download");
  await page.click(".sahifa-unreadable button");
  const file = await download;
  assert.equal(file.suggestedFilename(), "sahifa-saved-work.json");
  // A new edit saves new work and leaves the kept entry alone.
  await page.evaluate((s) => window.sahifa.addAnnotation({ ...s, type: "ORG" }), spanOf(text, "الرئاسة"));
  await page.waitForTimeout(100);
  assert.equal(await page.evaluate((k) => localStorage.getItem(k + ":unreadable"), saveKey), cut);
  await context.close();
});

test("labelling far down the article does not scroll the page back to the top", async () => {
  const context = await browser.newContext();
  const page = await tab(context);
  await page.setViewportSize({ width: 1280, height: 600 });
  // The last paragraph's first word, selected with a DOM range, then labelled with the keyboard.
  const scrolled = await page.evaluate(() => {
    const ps = document.querySelectorAll(".sahifa-p");
    const p = ps[ps.length - 1];
    p.scrollIntoView({ block: "center" });
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    const node = walker.nextNode();
    const r = document.createRange();
    r.setStart(node, 0); r.setEnd(node, Math.min(4, node.data.length));
    getSelection().removeAllRanges(); getSelection().addRange(r);
    return window.scrollY;
  });
  // Setting the selection scrolls it into view (the browser's doing): measure from where that settles.
  await page.waitForTimeout(200);
  const before = await page.evaluate(() => window.scrollY);
  assert.ok(before > 200 && scrolled > 200, `the page is scrolled (${before})`);
  await page.dispatchEvent(".sahifa-main", "mouseup");
  await page.waitForSelector(".sahifa-picker");
  await page.keyboard.press("4");
  await page.keyboard.press("Enter");
  await page.waitForSelector("mark[data-source=user]");
  await page.waitForTimeout(200);
  const after = await page.evaluate(() => window.scrollY);
  assert.ok(Math.abs(after - before) < 50, `scroll ${before} → ${after}`);
  await context.close();
});

test("dist/index.html carries no live-reload script, so any static server can serve it", async () => {
  const fs = await import("node:fs");
  const { DIST } = await import("./harness.mjs");
  const html = fs.readFileSync(`${DIST}/index.html`, "utf8");
  assert.doesNotMatch(html, /well-known\/trunk|__TRUNK|trunk\/ws|autoreload/i);
});
