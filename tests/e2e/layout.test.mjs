// Room to work: the card opens where the reader is (desktop: a sticky side panel; narrow: a bottom sheet),
// the layout follows the widget's own width (container queries), nothing overflows a 360 px host, and an
// import that does not fit lists its orphans in a bounded, dismissible box that leaves the article alone.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch } from "./harness.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function open(viewport, url = "/index.html", extra = {}) {
  const context = await browser.newContext({ viewport, ...extra });
  const page = await context.newPage();
  await page.goto(server.url + url);
  return { context, page };
}

/** Whether most of the element (at least 80% of its height, or 200 px) is inside the viewport. */
const inView = (page, sel) => page.$eval(sel, (el) => {
  const r = el.getBoundingClientRect();
  const shown = Math.min(r.bottom, innerHeight) - Math.max(r.top, 0);
  return shown >= Math.min(200, r.height * 0.8);
});

test("desktop: clicking a mark far down the article shows its card in view", async () => {
  const { context, page } = await open({ width: 1280, height: 900 });
  await page.waitForFunction(() => window.sahifa?.entities && !document.querySelector("[data-sahifa-painted]") && document.querySelectorAll("mark[data-id]").length > 20);
  const marks = await page.$$("mark[data-id]");
  const last = marks[marks.length - 1];
  await last.scrollIntoViewIfNeeded();
  await last.click();
  await page.waitForSelector(".sahifa-details");
  assert.ok(await page.evaluate(() => scrollY > 300), "the page is scrolled down");
  assert.equal(await inView(page, ".sahifa-details"), true, "the card is where the reader is");
  await context.close();
});

test("phone (390×844, touch): tapping a mark shows its card as a sheet in view; no sideways scroll", async () => {
  const { context, page } = await open({ width: 390, height: 844 }, "/index.html", { isMobile: true, hasTouch: true });
  await page.waitForFunction(() => window.sahifa?.entities && !document.querySelector("[data-sahifa-painted]") && document.querySelectorAll("mark[data-id]").length > 20);
  const marks = await page.$$("mark[data-id]");
  const m = marks[Math.floor(marks.length / 2)];
  await m.scrollIntoViewIfNeeded();
  await m.tap();
  await page.waitForSelector(".sahifa-details");
  assert.equal(await inView(page, ".sahifa-details"), true, "the card is in view");
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth + 1), "no sideways scroll");
  await context.close();
});

test("embedded in a 360 px news page, the widget fits and takes one column", async () => {
  const { context, page } = await open({ width: 360, height: 740 }, "/demo-news.html");
  await page.waitForFunction(() => document.querySelector("[data-sahifa]")?.sahifa);
  await page.waitForTimeout(300);
  const r = await page.evaluate(() => {
    const host = document.querySelector("[data-sahifa]");
    const root = host.querySelector("[data-sahifa-container]").shadowRoot;
    const w = root.querySelector(".sahifa");
    return {
      pageOverflow: document.documentElement.scrollWidth - innerWidth,
      columns: getComputedStyle(w).gridTemplateColumns.split(" ").length,
      widgetOverflow: w.scrollWidth - w.clientWidth,
    };
  });
  assert.ok(r.pageOverflow <= 1, `the page scrolls sideways by ${r.pageOverflow}px`);
  assert.ok(r.widgetOverflow <= 1, `the widget overflows by ${r.widgetOverflow}px`);
  assert.equal(r.columns, 1, "the side panel folds under the article");
  await context.close();
});

test("an import with many orphans leaves the article its column and can be dismissed", async () => {
  const { context, page } = await open({ width: 1280, height: 900 });
  await page.waitForFunction(() => window.sahifa?.entities && !document.querySelector("[data-sahifa-painted]") && document.querySelectorAll("mark[data-id]").length > 20);
  const before = await page.$eval(".sahifa-article", (a) => a.getBoundingClientRect().width);
  const csv = ["start,end,type,text,entity,source,note",
    ...Array.from({ length: 300 }, (_, i) => `${i},${i + 3},PER,نص غائب ${i},,user,`)].join("\n");
  const r = await page.evaluate((csv) => window.sahifa.import("csv", csv), csv);
  assert.equal(r.orphans.length, 300);
  await page.waitForSelector(".sahifa-orphans");
  const after = await page.$eval(".sahifa-article", (a) => a.getBoundingClientRect().width);
  assert.ok(after >= before * 0.95, `article width ${before} → ${after}`);
  const box = await page.$eval(".sahifa-orphans", (o) => o.getBoundingClientRect().height);
  assert.ok(box < 400, `the orphan list is bounded (${box}px)`);
  await page.click(".sahifa-orphans .dismiss");
  await page.waitForFunction(() => !document.querySelector(".sahifa-orphans"));
  await context.close();
});

test("a selection across two paragraphs is cut at the first one's end, and the picker says so", async () => {
  const { context, page } = await open({ width: 1280, height: 900 });
  await page.waitForFunction(() => window.sahifa?.entities && !document.querySelector("[data-sahifa-painted]") && document.querySelectorAll(".sahifa-p").length > 2);
  await page.evaluate(() => {
    const ps = document.querySelectorAll(".sahifa-p");
    const last = (p) => { const w = document.createTreeWalker(p, NodeFilter.SHOW_TEXT); let n, l; while ((n = w.nextNode())) l = n; return l; };
    const a = last(ps[1]);
    const b = document.createTreeWalker(ps[2], NodeFilter.SHOW_TEXT).nextNode();
    const r = document.createRange();
    r.setStart(a, Math.max(0, a.data.length - 6)); r.setEnd(b, Math.min(4, b.data.length));
    getSelection().removeAllRanges(); getSelection().addRange(r);
  });
  await page.dispatchEvent(".sahifa-main", "mouseup");
  const note = await page.waitForSelector(".sahifa-picker .clipped");
  assert.match(await note.textContent(), /نهاية الفقرة/);
  await context.close();
});
