// Accessibility: axe-core (npm, from node_modules, injected into the page: nothing fetched) checks the
// standalone page and the embedded demo pages, with the label picker and a mark's card open, in Arabic and
// in English, and the standalone page's collection panel in both. No serious or critical violation may
// remain; lesser ones are listed in the test output.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { serve, launch } from "./harness.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const AXE = fs.readFileSync(path.join(here, "node_modules/axe-core/axe.min.js"), "utf8");

let server, browser;
before(async () => { server = await serve(process.env.SAHIFA_DIST || undefined); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function open(url, viewport = { width: 1280, height: 900 }) {
  // bypassCSP: the strict-CSP demo page refuses injected scripts, and axe has to be injected.
  const context = await browser.newContext({ viewport, bypassCSP: true });
  const page = await context.newPage();
  await page.goto(server.url + url);
  return { context, page };
}

/** axe's serious and critical violations on the page (shadow roots included), after logging the rest. */
async function audit(page, what) {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => [n.target.join(" "), n.failureSummary?.split("\n")[1]?.trim()]),
    }));
  });
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  for (const v of violations.filter((v) => !bad.includes(v))) {
    console.log(`# ${what}: ${v.impact} ${v.id}: ${v.help}`);
  }
  return bad;
}

const standaloneReady = (page) =>
  page.waitForFunction(() => window.sahifa?.entities && !document.querySelector("[data-sahifa-painted]") && document.querySelectorAll("mark[data-id]").length > 20);

for (const lang of ["ar", "en"]) {
  test(`standalone page (${lang}): as loaded, with the picker open, with a card open`, async () => {
    const { context, page } = await open(`/index.html?lang=${lang}`);
    await standaloneReady(page);
    assert.equal(await page.$eval(".sahifa", (w) => w.lang), lang);
    assert.deepEqual(await audit(page, `standalone ${lang}`), [], "as loaded");

    // The picker, opened by a mouse drag over an unmarked word.
    const r = await page.evaluate(() => {
      const p = [...document.querySelectorAll(".sahifa-p")].find((p) => p.firstChild?.nodeType === Node.TEXT_NODE);
      const range = document.createRange();
      range.setStart(p.firstChild, 0); range.setEnd(p.firstChild, 3);
      p.scrollIntoView({ block: "center" });
      const b = range.getClientRects()[0];
      return { left: b.left, right: b.right, y: (b.top + b.bottom) / 2 };
    });
    await page.mouse.move(r.right - 1, r.y);
    await page.mouse.down();
    await page.mouse.move(r.left + 1, r.y, { steps: 4 });
    await page.mouse.up();
    await page.waitForSelector(".sahifa-picker");
    assert.deepEqual(await audit(page, `standalone ${lang}, picker`), [], "picker open");
    await page.keyboard.press("Escape");

    await page.click("mark[data-source=extractor]");
    await page.waitForSelector(".sahifa-details");
    assert.deepEqual(await audit(page, `standalone ${lang}, card`), [], "card open");
    await context.close();
  });
}

for (const demo of ["demo-news.html", "demo-two.html", "demo-csp.html"]) {
  test(`embedded: ${demo}, and its first widget with a card open`, async () => {
    const { context, page } = await open(`/${demo}`);
    await page.waitForFunction(() => [...document.querySelectorAll("[data-sahifa]")].every((el) => el.sahifa?.entities().length > 0
      && !el.querySelector(":scope > [data-sahifa-painted]")));
    assert.deepEqual(await audit(page, demo), [], "as loaded");
    const mark = await page.evaluateHandle(() => document.querySelector("[data-sahifa-container]").shadowRoot.querySelector("mark[data-id]"));
    await mark.asElement().click();
    await page.waitForFunction(() => document.querySelector("[data-sahifa-container]").shadowRoot.querySelector(".sahifa-details"));
    assert.deepEqual(await audit(page, `${demo}, card`), [], "card open");
    await context.close();
  });
}

// The collection panel, with three articles and one file it cannot open: its chrome follows the widget's
// language (English left to right, Arabic right to left), its status line says the error in that language
// and is worded again when the language is switched, and axe finds nothing serious in either.
const PANEL_WORDS = {
  ar: { dir: "rtl", next: "التالي ←", status: /أُضيف 3 مقالًا.*bad\.xyz: نوع ملف غير معروف/ },
  en: { dir: "ltr", next: "Next →", status: /^3 articles added, 0 updated, 0 not placed — could not open: bad\.xyz: unknown kind of file/ },
};
for (const lang of ["ar", "en"]) {
  test(`collection panel (${lang}): mirrored chrome, messages in the widget's language, no violations`, async () => {
    const { context, page } = await open(`/index.html?lang=${lang}`);
    await standaloneReady(page);
    await page.evaluate(() => window.sahifa.collection.ready());
    const opened = await page.evaluate(() => window.sahifa.collection.open([
      { name: "one.txt", data: "قال الرئيس محمد علي اليوم في القاهرة." },
      { name: "two.txt", data: "زار الوزير مدينة الإسكندرية أمس." },
      { name: "three.txt", data: "أعلنت شركة مصر للطيران رحلات جديدة." },
      { name: "bad.xyz", data: "?" },
    ]));
    assert.equal(opened.added, 3);
    assert.equal(opened.errors.length, 1);
    assert.match(opened.errors[0], lang === "en" ? /^bad\.xyz: unknown kind of file/ : /^bad\.xyz: نوع ملف غير معروف/);
    await page.waitForFunction(() => document.querySelectorAll(".collection-list li").length === 3);

    const want = PANEL_WORDS[lang];
    const seen = await page.evaluate(() => {
      const panel = document.querySelector(".sahifa-collection");
      const next = panel.querySelector(".collection-next");
      const box = next.getBoundingClientRect();
      // The chrome's own words: everything but the article names (in <bdi>).
      const chrome = [...panel.querySelectorAll(".collection-row button, .collection-row label, .collection-counts, option")]
        .map((e) => { const c = e.cloneNode(true); c.querySelectorAll("bdi").forEach((b) => b.remove()); return c.textContent; })
        .join(" ");
      return {
        dir: getComputedStyle(panel).direction,
        next: next.textContent,
        nextVisible: box.width > 0 && box.height > 0,
        status: panel.querySelector(".collection-status").textContent,
        chromeHasArabic: /[\u0600-\u06FF]/.test(chrome),
        region: panel.getAttribute("aria-label"),
        // In the chrome's direction, the first row starts at the panel's start edge.
        startsAtStart: (() => {
          const p = panel.getBoundingClientRect(), f = panel.querySelector(".collection-row > *").getBoundingClientRect();
          return getComputedStyle(panel).direction === "ltr" ? f.left - p.left < 30 : p.right - f.right < 30;
        })(),
      };
    });
    assert.equal(seen.dir, want.dir);
    assert.equal(seen.next, want.next);
    assert.ok(seen.nextVisible, "the Next button is visible");
    assert.match(seen.status, want.status);
    assert.equal(seen.chromeHasArabic, lang === "ar", `the panel's chrome is in ${lang}`);
    assert.equal(seen.region, lang === "en" ? "Article collection" : "مجموعة المقالات");
    assert.ok(seen.startsAtStart, "the panel's rows start at its start edge");
    assert.deepEqual(await audit(page, `collection panel ${lang}`), []);
    // The named collections' row with its delete confirmation open.
    await page.click(".collection-delete");
    await page.waitForSelector(".collection-confirm");
    assert.deepEqual(await audit(page, `collection panel ${lang}, delete confirmation`), []);
    await page.click(".collection-confirm-cancel");

    // The language switch words the panel and its status line again.
    await page.click("button.lang");
    const other = PANEL_WORDS[lang === "en" ? "ar" : "en"];
    await page.waitForFunction((next) => document.querySelector(".collection-next").textContent === next, other.next);
    assert.match(await page.textContent(".collection-status"), other.status);
    assert.equal(await page.$eval(".sahifa-collection", (p) => getComputedStyle(p).direction), other.dir);
    await context.close();
  });
}

test("embedded in English (lang option): chrome left to right, article right to left, no violations", async () => {
  const { context, page } = await open("/demo-news.html");
  await page.waitForFunction(() => document.querySelector("[data-sahifa]")?.sahifa);
  await page.evaluate(async () => {
    const el = document.querySelector("[data-sahifa]");
    el.sahifa.destroy();
    const { mount } = await import("./sahifa.js");
    await mount(el, { lang: "en" });
  });
  await page.waitForFunction(() => { const el = document.querySelector("[data-sahifa]");
    return el?.sahifa?.entities().length > 0 && !el.querySelector(":scope > [data-sahifa-painted]"); });
  const dirs = await page.evaluate(() => {
    const root = document.querySelector("[data-sahifa-container]").shadowRoot;
    const dir = (sel) => getComputedStyle(root.querySelector(sel)).direction;
    return { chrome: dir(".sahifa-toolbar"), article: dir(".sahifa-article"), undo: root.querySelector(".undo").textContent };
  });
  assert.deepEqual(dirs, { chrome: "ltr", article: "rtl", undo: "↶ Undo" });
  assert.deepEqual(await audit(page, "demo-news.html in English"), []);
  await context.close();
});
