// Review at speed: accept or reject every open suggestion of an entity at once (one undo step), a filter box
// for the entity list, picking an entity again goes to its next mention, and the user's own labels appear in
// the legend with their counts.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch, openWidget } from "./harness.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

function ready(url = "/index.html") {
  return openWidget(browser, server.url + url, { width: 1280, marks: 20 });
}

test("accept all of an entity's suggestions in one step, undo in one step", async () => {
  const { page, errors } = await ready();
  // An entity with several mentions.
  const entity = await page.evaluate(() => {
    const n = {};
    for (const e of window.sahifa.entities()) n[e.entity] = (n[e.entity] || 0) + 1;
    return Object.entries(n).sort((a, b) => b[1] - a[1])[0][0];
  });
  const statuses = () => page.evaluate((id) => window.sahifa.entities().filter((e) => e.entity === id).map((e) => e.status), entity);
  assert.ok((await statuses()).length >= 2);
  await page.click(`.sahifa-entities li:has(button[data-entity="${entity}"]) .accept-all`);
  await page.waitForFunction((id) => window.sahifa.entities().filter((e) => e.entity === id).every((e) => e.status === "accepted"), entity);
  assert.equal(await page.$(`.sahifa-entities li:has(button[data-entity="${entity}"]) .accept-all`), null, "nothing left to review there");
  await page.keyboard.press("Control+z");
  await page.waitForFunction((id) => window.sahifa.entities().filter((e) => e.entity === id).every((e) => e.status === "suggested"), entity);
  // Reject all: the mentions disappear.
  await page.click(`.sahifa-entities li:has(button[data-entity="${entity}"]) .reject-all`);
  await page.waitForFunction((id) => !window.sahifa.entities().some((e) => e.entity === id), entity);
  assert.deepEqual(errors, []);
});

test("the legend says how many marks are reviewed and how many suggestions are left", async () => {
  const { page, errors } = await ready();
  const progress = () => page.$eval(".sahifa-legend .sahifa-progress", (p) =>
    ({ decided: +p.dataset.decided, open: +p.dataset.open, text: p.textContent }));
  const before = await progress();
  assert.equal(before.decided, 0, "nothing reviewed on a fresh article");
  assert.equal(before.open, await page.evaluate(() => window.sahifa.entities().length));
  assert.ok(before.text.includes(String(before.open)), before.text);
  // Accept one suggestion; undo takes the decision back.
  const id = await page.evaluate(() => window.sahifa.entities()[0].id);
  await page.evaluate((id) => window.sahifa.accept(id), id);
  await page.waitForFunction((n) => +document.querySelector(".sahifa-progress").dataset.decided === n, before.decided + 1);
  const after = await progress();
  assert.equal(after.decided, 1);
  assert.ok(after.text.includes("1"), after.text);
  await page.evaluate(() => window.sahifa.undo());
  await page.waitForFunction(() => +document.querySelector(".sahifa-progress").dataset.decided === 0);
  assert.deepEqual(errors, []);
});

test("the filter box narrows the entity list, by normalised spelling", async () => {
  const { page } = await ready();
  // The list's rows come a few at a time, so the test waits for states rather than counting a moment.
  await page.fill(".sahifa-entities .filter", "اذربيجان"); // bare alef: matches أذربيجان
  await page.waitForFunction(() => {
    const n = [...document.querySelectorAll(".sahifa-entities .canonical")].map((x) => x.textContent);
    return n.length >= 1 && n.every((t) => t.includes("ذربيجان"));
  });
  const shown = await page.$$eval(".sahifa-entities .canonical", (c) => c.map((x) => x.textContent));
  await page.fill(".sahifa-entities .filter", "");
  await page.waitForFunction((k) => document.querySelectorAll(".sahifa-entities li").length > k, shown.length);
  assert.ok(shown.every((t) => t.includes("ذربيجان")), shown.join(", "));
});

test("picking an entity again scrolls to its next mention", async () => {
  const { page } = await ready();
  const entity = await page.evaluate(() => {
    const n = {};
    for (const e of window.sahifa.entities()) n[e.entity] = (n[e.entity] || 0) + 1;
    return Object.entries(n).sort((a, b) => b[1] - a[1])[0][0];
  });
  const focused = () => page.evaluate(() => document.activeElement?.dataset?.start ?? null);
  const button = `.sahifa-entities button[data-entity="${entity}"]`;
  await page.click(button);
  const first = await focused();
  await page.click(button);
  const second = await focused();
  assert.ok(first !== null && second !== null && first !== second, `${first} then ${second}`);
});

test("the user's own labels appear in the legend with their counts", async () => {
  const { page } = await ready();
  await page.click("text=+ تسمية");
  await page.fill(".sahifa-newlabel input[aria-label='اسم التسمية']", "EVENT");
  await page.click(".sahifa-newlabel button[type=submit]");
  await page.waitForSelector(".sahifa-legend [data-type=EVENT]");
  const text = await page.evaluate(() => window.sahifa.text());
  const i = text.indexOf("المعارك");
  const start = Array.from(text.slice(0, i)).length;
  await page.evaluate((start) => window.sahifa.addAnnotation({ start, end: start + 7, type: "EVENT" }), start);
  // The mark, and the other mentions of المعارك that it suggested EVENT on (propagation): each one counted.
  await page.waitForFunction(() => {
    const n = window.sahifa.entities().filter((e) => e.type === "EVENT").length;
    return n >= 1 && document.querySelector(".sahifa-legend [data-type=EVENT] .count")?.textContent === String(n);
  });
  // A bad label is refused beside the form, which stays open.
  await page.click("text=+ تسمية");
  await page.fill(".sahifa-newlabel input[aria-label='اسم التسمية']", "two words");
  await page.click(".sahifa-newlabel button[type=submit]");
  const why = await page.waitForSelector(".sahifa-newlabel [role=alert]");
  // In the interface's language (Arabic here; the English interface says "is not a label name").
  assert.match(await why.textContent(), /ليس اسم تسمية/);
});
