// Two tabs learning at once lose nothing: each tab's learned weights are its own part of the stored total
// (per collection, or per site for embedded widgets); a save adds to what another tab stored instead of
// replacing it, the other tab suggests with both soon after, a new tab starts with both, and an undo in one
// tab takes back exactly its own part.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch, openPage, span } from "./harness.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

// Two names no list knows. The shipped model calls the first a place and the second a person in these
// sentences; tab A teaches that the first is an organisation, tab B the second. Each article ends with a
// sentence holding the other tab's name, after everything its tab reviews (re-suggested text).
const N1 = "كريمزون", N2 = "زورافسكي";
const TA = "وصل الوزير كريمزون إلى العاصمة أمس.\n\nوقال كريمزون إن الزيارة مهمة.\n\nوالتقى بكريمزون عدد من المسؤولين.\n\nواستقبل المدير زورافسكي الوفد.";
const TB = "استقبل المدير زورافسكي الوفد أمس.\n\nوقال زورافسكي إن اللقاء كان مفيدا.\n\nووصل الوزير كريمزون إلى العاصمة.";
// Neither tab's article: what a third tab suggests there shows what it learned from storage.
const TC = "وصل الوزير كريمزون إلى العاصمة أمس.\n\nواستقبل المدير زورافسكي الوفد.";
const spansOf = (text, name, n) => [...Array(n).keys()].map((k) => span(text, name, k));

// A tab below is `{page, w, errors}`: `window[w]` is its widget's instance ("sahifa" on the standalone page).

/** The type suggested on each mention of N1 and N2 in tab `t`. */
const typesIn = (t) => t.page.evaluate(({ w, names }) => {
  const out = {};
  for (const n of names) {
    out[n] = window[w].entities().filter((e) => e.text.endsWith(n) && e.source === "extractor").map((e) => e.type);
  }
  return out;
}, { w: t.w, names: [N1, N2] });

/** The last mention of `name` in tab `t` is suggested as `type` (waits: another tab's save is heard). */
const waitForType = (t, name, type) => t.page.waitForFunction(({ w, name, type }) => {
  const on = window[w].entities().filter((e) => e.text.endsWith(name));
  return on.length > 0 && on[on.length - 1].type === type;
}, { w: t.w, name, type }, { timeout: 20_000 });

/** Teaches `type` at every span in tab `t`, then waits for `settle()`. */
const teach = (t, spans, type) => t.page.evaluate(async ({ w, spans, type }) => {
  for (const s of spans) window[w].addAnnotation({ ...s, type });
  await window[w].settle();
}, { w: t.w, spans, type });

const undoAll = (t, n) => t.page.evaluate(async ({ w, n }) => {
  for (let i = 0; i < n; i++) window[w].undo();
  await window[w].settle();
}, { w: t.w, n });

/**
 * Tab B (on TB) teaches first; A (on TA), open all along, suggests with it soon after, without an edit of its
 * own; then A teaches and B comes to suggest with A's learning. Returns what was stored after B alone.
 */
async function teachInTurn(a, b, stored) {
  assert.deepEqual((await typesIn(a))[N2], ["PER"], "A's last sentence, before B teaches");
  assert.deepEqual((await typesIn(b))[N1], ["LOC"], "B's last sentence, before A teaches");
  await teach(b, spansOf(TB, N2, 2), "ORG");
  await waitForType(a, N2, "ORG");
  const onlyB = await stored();
  assert.ok(onlyB, "B's learning is stored");
  await teach(a, spansOf(TA, N1, 3), "ORG");
  await waitForType(b, N1, "ORG");
  assert.notEqual(await stored(), onlyB, "A's save added to B's");
  return onlyB;
}

/** Resets what was learned in tab `t`; waits until every tab of `others` has forgotten it too. */
async function resetIn(t, others) {
  await t.page.evaluate(async (w) => { window[w].resetLearning(); await window[w].settle(); }, t.w);
  const empty = await exported(t);
  assert.equal(empty.length, 20, "nothing learned: a header and a checksum");
  for (const o of others) {
    await o.page.waitForFunction(({ w, n }) => window[w].exportLearning().length === n, { w: o.w, n: empty.length }, { timeout: 20_000 });
  }
}

/** The learned weights stored under `key` (hex; what follows a `:` says which total they were computed on). */
const weightsIn = (t, key) => t.page.evaluate((k) => localStorage.getItem(k)?.split(":")[0] ?? null, key);

const exported = (t) => t.page.evaluate((w) => Array.from(window[w].exportLearning()), t.w);

/** A new page of `context` on the standalone page, recording its errors. */
async function tab(context) {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  // (The browser's own request for /favicon.ico, which dist/ has not, is not the widget's error.)
  page.on("console", (m) => { if (m.type() === "error" && !m.location().url.endsWith("/favicon.ico")) errors.push(m.text()); });
  await page.goto(`${server.url}/index.html`);
  return { page, errors };
}

/** A page of `context` with an embedded widget (`window.w`) on `text`, learning under the site's key. */
async function embedded(context, text, storageKey) {
  return mountIn(await tab(context), text, storageKey, "w");
}

/** Mounts another embedded widget on `text` in tab `t`'s page, as `window[w]`. */
async function mountIn(t, text, storageKey, w) {
  await t.page.waitForFunction(() => window.sahifa?.entities);
  await t.page.evaluate(async ({ text, storageKey, w }) => {
    const { mount } = await import("./sahifa.js");
    const el = document.createElement("section");
    document.body.append(el);
    window[w] = await mount(el, { text, storageKey });
    await new Promise((r) => window[w].on("ready", r));
    await window[w].settle();
  }, { text, storageKey, w });
  return { ...t, w };
}

test("two tabs' embedded widgets learning under the site's key keep each other's learning", async () => {
  // What the shipped model alone suggests (a context of its own: nothing learned there).
  const fresh = await openPage(browser);
  const untaught = await typesIn(await embedded(fresh.context, TC, "tabs-c"));
  assert.deepEqual(untaught, { [N1]: ["LOC"], [N2]: ["PER"] }, "the shipped model's guesses, which the tabs correct");
  await fresh.context.close();

  const context = await browser.newContext();
  const a = await embedded(context, TA, "tabs-a");
  const b = await embedded(context, TB, "tabs-b");
  const stored = () => weightsIn(a, "sahifa:learned:v1");
  const onlyB = await teachInTurn(a, b, stored);
  assert.deepEqual(await exported(a), await exported(b), "both tabs suggest with the same weights");

  // A third tab, on an article neither tab touched, starts with both lessons.
  const c = await embedded(context, TC, "tabs-c");
  assert.deepEqual(await typesIn(c), { [N1]: ["ORG"], [N2]: ["ORG"] }, "both tabs' learning");
  assert.deepEqual(await exported(c), await exported(a));

  // Undo in A takes back A's learning, exactly, and only it.
  await undoAll(a, 3);
  assert.equal(await stored(), onlyB, "what is stored is B's learning alone, to the byte");
  await waitForType(b, N1, "LOC");
  const d = await embedded(context, TC, "tabs-d");
  assert.deepEqual(await typesIn(d), { [N1]: ["LOC"], [N2]: ["ORG"] }, "B's lesson without A's");

  // A reset in one tab is a reset in all: the others forget too.
  await resetIn(a, [b, d]);
  assert.equal(await stored(), null);
  assert.deepEqual(await typesIn(d), untaught, "the shipped model's suggestions again");
  for (const t of [a, b, c, d]) assert.deepEqual(t.errors, []);
  await context.close();
});

/** A page of `context` on the standalone page, its collection ready, showing article `index`. */
async function standalone(context, index) {
  const { page, errors } = await tab(context);
  await page.waitForFunction(() => window.sahifa?.collection);
  await page.evaluate(() => window.sahifa.collection.ready());
  if (index !== null) await show(page, index);
  return { page, errors, w: "sahifa" };
}

async function show(page, index) {
  await page.waitForFunction((i) => window.sahifa.collection.state().items.length > i, index);
  await page.evaluate(async (i) => {
    await window.sahifa.collection.go(i);
    await window.sahifa.settle();
  }, index);
}

test("two tabs on one collection keep each other's learning", async () => {
  const context = await browser.newContext();
  const a = await standalone(context, null);
  await a.page.evaluate(async (files) => {
    await window.sahifa.collection.open(files);
  }, [{ name: "a.txt", data: TA }, { name: "b.txt", data: TB }, { name: "c.txt", data: TC }]);
  await show(a.page, 0);
  const b = await standalone(context, 1);
  const key = await a.page.evaluate(() => `sahifa:learned:v1:collection:${window.sahifa.collection.state().collection.id}`);
  const stored = () => weightsIn(a, key);
  assert.deepEqual(await a.page.evaluate(() => window.sahifa.text()), TA);
  assert.deepEqual(await b.page.evaluate(() => window.sahifa.text()), TB);
  const onlyB = await teachInTurn(a, b, stored);

  const c = await standalone(context, 2);
  assert.deepEqual(await typesIn(c), { [N1]: ["ORG"], [N2]: ["ORG"] }, "a third tab has both tabs' learning");

  await undoAll(a, 3);
  assert.equal(await stored(), onlyB, "undo in A leaves B's learning alone, to the byte");
  await waitForType(c, N1, "LOC");
  assert.deepEqual(await typesIn(c), { [N1]: ["LOC"], [N2]: ["ORG"] }, "B's lesson without A's");
  assert.equal(await a.page.evaluate(() => localStorage.getItem("sahifa:learned:v1")), null, "the site's key is not written");
  for (const t of [a, b, c]) assert.deepEqual(t.errors, []);
  await context.close();
});

test("two embedded widgets of one page, under the site's key, keep each other's learning", async () => {
  const context = await browser.newContext();
  const page = await tab(context);
  const a = await mountIn(page, TA, "page-a", "wa");
  const b = await mountIn(page, TB, "page-b", "wb");
  const stored = () => weightsIn(page, "sahifa:learned:v1");
  const onlyB = await teachInTurn(a, b, stored);
  await undoAll(a, 3);
  assert.equal(await stored(), onlyB, "undo in A leaves B's learning alone, to the byte");
  await waitForType(b, N1, "LOC");
  await resetIn(a, [b]);
  assert.equal(await stored(), null);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("a save made without another tab's newest save, overwriting it, is repaired by that tab", async () => {
  // B's learning, made elsewhere (its own context): what a tab B would have saved on an empty store.
  const elsewhere = await browser.newContext();
  const made = await embedded(elsewhere, TB, "race-b");
  await teach(made, spansOf(TB, N2, 2), "ORG");
  const hexB = Buffer.from(await exported(made)).toString("hex");
  await elsewhere.close();

  const context = await browser.newContext();
  const a = await embedded(context, TA, "race-a");
  await teach(a, spansOf(TA, N1, 3), "ORG");
  const raw = () => a.page.evaluate(() => localStorage.getItem("sahifa:learned:v1"));
  assert.match(await raw(), /:00000000$/, "A's save was made on an empty store");
  // Tab B, not having seen A's save yet, saves its own on the empty store too, and its write lands last.
  const b = await tab(context);
  await b.page.evaluate((v) => localStorage.setItem("sahifa:learned:v1", v), `${hexB}:00000000`);
  // A hears it, sees its own save was lost, and writes its part back beside B's.
  await a.page.waitForFunction((hexB) => {
    const v = localStorage.getItem("sahifa:learned:v1") ?? "";
    return !v.startsWith(hexB + ":");
  }, hexB, { timeout: 20_000 });
  const hexA = Buffer.from(await exported(a)).toString("hex");
  assert.equal(await weightsIn(a, "sahifa:learned:v1"), hexA, "stored: what A suggests with");
  const c = await embedded(context, TC, "race-c");
  assert.deepEqual(await typesIn(c), { [N1]: ["ORG"], [N2]: ["ORG"] }, "both lessons are stored");
  for (const t of [a, b, c]) assert.deepEqual(t.errors, []);
  await context.close();
});
