// The standalone page: the seed article right-to-left with its entities marked under the DOM contract.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch, openPage, cpSlice, hold, paragraphBoxes, assertUnmoved } from "./harness.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const TYPES = new Set(["PER", "LOC", "ORG", "MISC", "DATE", "NUM"]);

test("seed article renders RTL with at least 40 marks that honour the contract", async () => {
  const { page, context, offsite, errors } = await openPage(browser, server.url + "/index.html");
  await page.waitForFunction(() => window.sahifa?.entities && !document.querySelector("[data-sahifa-painted]") && document.querySelectorAll("mark[data-start]").length > 0);
  const html = await page.evaluate(() => ({ dir: document.documentElement.dir, lang: document.documentElement.lang }));
  assert.deepEqual(html, { dir: "rtl", lang: "ar" });
  const articleDir = await page.$eval(".sahifa-article", (a) => getComputedStyle(a).direction);
  assert.equal(articleDir, "rtl");

  const text = await page.evaluate(() => window.sahifa.text());
  assert.ok(text.startsWith("في ظل تكثيف المساعي الدولية"), "the seed article is the default");
  assert.ok(!/^Ad$/m.test(text), "the stray 'Ad' line is dropped");
  const paragraphs = await page.$$eval(".sahifa-p", (ps) => ps.length);
  assert.equal(paragraphs, text.split(/\n\s*\n/).filter((p) => p.trim()).length, "paragraphs are kept");

  const marks = await page.$$eval("mark[data-start]", (ms) => ms.map((m) => ({
    type: m.dataset.type, start: m.dataset.start, end: m.dataset.end, source: m.dataset.source,
    entity: m.dataset.entity, text: m.textContent,
  })));
  assert.ok(marks.length >= 40, `expected at least 40 marks, got ${marks.length}`);
  for (const m of marks) {
    assert.ok(TYPES.has(m.type), `type ${m.type}`);
    assert.match(m.start, /^\d+$/);
    assert.match(m.end, /^\d+$/);
    assert.ok(["extractor", "user"].includes(m.source));
    assert.ok(m.entity.length > 0);
    assert.equal(cpSlice(text, +m.start, +m.end), m.text, `offsets ${m.start}..${m.end} match the text`);
  }
  const entities = await page.evaluate(() => window.sahifa.entities());
  assert.equal(entities.length, marks.length, "entities() lists every mark");

  // Spelling variants are one entity.
  const ids = (word) => new Set(marks.filter((m) => m.text.split(" ").includes(word)).map((m) => m.entity));
  const both = new Set([...ids("باشنيان"), ...ids("باشينيان")]);
  assert.equal(both.size, 1, "باشنيان and باشينيان share one entity id");
  const karabakh = new Set([...ids("كاراباخ"), ...ids("ناغوررني")]);
  assert.equal(karabakh.size, 1, "the Karabakh variants share one entity id");

  // The legend lists the six types.
  const legend = await page.$$eval(".sahifa-legend [data-type]", (ls) => ls.map((l) => l.dataset.type));
  assert.deepEqual(legend, ["PER", "LOC", "ORG", "MISC", "DATE", "NUM"]);

  assert.deepEqual(offsite, [], "no request leaves localhost");
  assert.deepEqual(errors, [], "no console errors");
  await context.close();
});

test("the bundled Arabic font is used, not a system fallback", async () => {
  const { page, context } = await openPage(browser, server.url + "/index.html");
  await page.waitForFunction(() => document.querySelectorAll("mark[data-start]").length > 0);
  const loaded = await page.evaluate(async () => {
    await document.fonts.ready;
    return [...document.fonts].some((f) => f.family.replaceAll('"', "") === "Sahifa Naskh" && f.status === "loaded");
  });
  assert.equal(loaded, true);
  await context.close();
});

// No layout jump (issue 18): on the standalone page too, the seed article is painted in the widget's frame
// (its collections, toolbar and status rows reserved) and the status line keeps its line when the tagger's
// marks come in and it has nothing more to say, so the article does not move, on a phone or a desktop.
for (const width of [320, 375, 720, 1200]) {
  test(`standalone page ${width} px wide: the article does not move from the first paint to the tagger's marks`, async () => {
    const { page, context, offsite, errors } = await openPage(browser);
    try {
      const release = await hold(context, /\/tagger\/(anercorp|lexicon|clusters|names)\.bin$/);
      const releaseWidget = await hold(context, /\/sahifa-widget_bg\.wasm$/);
      await page.setViewportSize({ width, height: 800 });
      await page.goto(server.url + "/index.html");
      await page.waitForFunction(() => document.querySelector("article[data-sahifa-painted] mark"));
      const painted = await paragraphBoxes(page, "#sahifa");
      releaseWidget();
      await page.waitForFunction(() => window.sahifa?.entities && !document.querySelector("[data-sahifa-painted]")
        && document.querySelector(".sahifa-article mark"));
      const status = () => document.querySelector(".sahifa-status").textContent;
      assert.match(await page.evaluate(status), /المُعلِّم الآلي/, "the status line says the tagger's marks are to come");
      const before = await paragraphBoxes(page, "#sahifa");
      assertUnmoved(painted, before, `${width} px, painted → widget`);
      release();
      await page.evaluate(() => window.sahifa.settle());
      assert.equal(await page.evaluate(status), "", "the status line has nothing more to say");
      assertUnmoved(before, await paragraphBoxes(page, "#sahifa"), `${width} px, the tagger's marks in`);
      assert.deepEqual(errors, []);
      assert.deepEqual(offsite, []);
    } finally {
      await context.close();
    }
  });
}
