// Accessibility: axe-core (npm, from node_modules, injected into the page: nothing fetched) checks the
// standalone page and the embedded demo pages, with the label picker and a mark's card open, in Arabic and
// in English. No serious or critical violation may remain; lesser ones are listed in the test output.
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
  page.waitForFunction(() => window.sahifa && document.querySelectorAll("mark[data-id]").length > 20);

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
    await page.waitForFunction(() => [...document.querySelectorAll("[data-sahifa]")].every((el) => el.sahifa?.entities().length > 0));
    assert.deepEqual(await audit(page, demo), [], "as loaded");
    const mark = await page.evaluateHandle(() => document.querySelector("[data-sahifa-container]").shadowRoot.querySelector("mark[data-id]"));
    await mark.asElement().click();
    await page.waitForFunction(() => document.querySelector("[data-sahifa-container]").shadowRoot.querySelector(".sahifa-details"));
    assert.deepEqual(await audit(page, `${demo}, card`), [], "card open");
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
  await page.waitForFunction(() => document.querySelector("[data-sahifa]")?.sahifa?.entities().length > 0);
  const dirs = await page.evaluate(() => {
    const root = document.querySelector("[data-sahifa-container]").shadowRoot;
    const dir = (sel) => getComputedStyle(root.querySelector(sel)).direction;
    return { chrome: dir(".sahifa-toolbar"), article: dir(".sahifa-article"), undo: root.querySelector(".undo").textContent };
  });
  assert.deepEqual(dirs, { chrome: "ltr", article: "rtl", undo: "↶ Undo" });
  assert.deepEqual(await audit(page, "demo-news.html in English"), []);
  await context.close();
});
