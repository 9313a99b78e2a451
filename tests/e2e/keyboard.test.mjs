// Editing marks from the keyboard alone: Enter moves into the mark's card, Esc comes back, Delete, A, X and
// a label's key act on the focused mark, and Ctrl+Z works right after (focus never falls to the body).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch, openPage } from "./harness.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function ready() {
  const ctx = await openPage(browser, server.url + "/index.html");
  await ctx.page.setViewportSize({ width: 1280, height: 900 });
  await ctx.page.waitForFunction(() => window.sahifa && document.querySelectorAll("mark[data-id]").length > 5);
  return ctx;
}

const focusMark = (page, nth) => page.evaluate((nth) => {
  const m = document.querySelectorAll("mark[data-id][data-source=extractor]")[nth];
  m.focus();
  return { id: m.dataset.id, type: m.dataset.type };
}, nth);
const active = (page) => page.evaluate(() => {
  const a = document.activeElement;
  return { tag: a.tagName, id: a.dataset?.id ?? null, inCard: !!a.closest(".sahifa-details"), main: a.classList.contains("sahifa-main") };
});

test("Enter opens the card with focus in it; Esc returns to the mark", async () => {
  const { page, errors } = await ready();
  const m = await focusMark(page, 3);
  await page.keyboard.press("Enter");
  await page.waitForSelector(`.sahifa-details[data-id="${m.id}"]`);
  assert.equal((await active(page)).inCard, true, "focus moved into the card");
  await page.keyboard.press("Escape");
  await page.waitForFunction(() => !document.querySelector(".sahifa-details"));
  assert.equal((await active(page)).id, m.id, "focus is back on the mark");
  assert.deepEqual(errors, []);
});

test("Delete removes the focused mark and Ctrl+Z brings it back at once", async () => {
  const { page } = await ready();
  const m = await focusMark(page, 2);
  await page.keyboard.press("Delete");
  await page.waitForFunction((id) => !document.querySelector(`mark[data-id="${id}"]`), m.id);
  assert.equal((await active(page)).main, true, "focus stays in the article, not the body");
  await page.keyboard.press("Control+z");
  await page.waitForSelector(`mark[data-id="${m.id}"]`);
});

test("A accepts, X rejects and a label's key retypes the focused mark", async () => {
  const { page } = await ready();
  const a = await focusMark(page, 0);
  await page.keyboard.press("a");
  await page.waitForFunction((id) => window.sahifa.entities().find((e) => e.id === id)?.status === "accepted", a.id);
  const b = await focusMark(page, 1);
  const key = b.type === "ORG" ? "4" : "3";
  const want = b.type === "ORG" ? "MISC" : "ORG";
  await page.keyboard.press(key);
  await page.waitForFunction(([id, t]) => window.sahifa.entities().find((e) => e.id === id)?.type === t, [b.id, want]);
  const c = await focusMark(page, 2);
  await page.keyboard.press("x");
  await page.waitForFunction((id) => !window.sahifa.entities().some((e) => e.id === id), c.id);
  await page.keyboard.press("Control+z");
  await page.waitForFunction((id) => window.sahifa.entities().some((e) => e.id === id), c.id);
});
