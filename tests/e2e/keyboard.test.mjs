// Editing marks from the keyboard alone: with the caret in a mark (the editable article holds the focus and
// the arrows move the caret), Enter moves into the mark's card, Esc comes back, Delete, A, X and a label's
// key act on that mark, and Ctrl+Z works right after (focus never falls to the body).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch, openWidget } from "./harness.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

function ready(url = "/index.html") {
  return openWidget(browser, server.url + url, { width: 1280, marks: 5 });
}

const focusMark = async (page, nth) => {
  const m = await page.evaluate((nth) => {
    const m = document.querySelectorAll("mark[data-id][data-source=extractor]")[nth];
    return { id: m.dataset.id, type: m.dataset.type };
  }, nth);
  await page.evaluate((id) => {
    const m = document.querySelector(`mark[data-id="${id}"]`);
    document.querySelector(".sahifa-main").focus({ preventScroll: true });
    const r = document.createRange();
    r.setStart(m.firstChild, 1); r.collapse(true);
    getSelection().removeAllRanges(); getSelection().addRange(r);
  }, m.id);
  return m;
};
const active = (page) => page.evaluate(() => {
  const a = document.activeElement;
  const n = getSelection().focusNode;
  const caret = (n?.nodeType === 1 ? n : n?.parentElement)?.closest("mark[data-id]")?.dataset.id ?? null;
  return { tag: a.tagName, caret, inCard: !!a.closest(".sahifa-details"), main: a.classList.contains("sahifa-main") };
});

test("Enter opens the card with focus in it; Esc returns to the mark", async () => {
  const { page, errors } = await ready();
  const m = await focusMark(page, 3);
  await page.keyboard.press("Enter");
  await page.waitForSelector(`.sahifa-details[data-id="${m.id}"]`);
  assert.equal((await active(page)).inCard, true, "focus moved into the card");
  await page.keyboard.press("Escape");
  await page.waitForFunction(() => !document.querySelector(".sahifa-details"));
  const back = await active(page);
  assert.equal(back.main, true, "focus is back in the article");
  assert.equal(back.caret, m.id, "with the caret in the mark");
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
