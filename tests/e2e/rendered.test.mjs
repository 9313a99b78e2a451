// Marks rendered ahead of time (dist/demo-rendered.html, made by `sahifa render`): the page shows its marks
// before any script runs; the widget mounted on it adopts them (no extraction) into the same state a live
// widget reaches on the same text, and is editable; a render whose text was edited afterwards, or whose
// marks were tampered with, is not trusted: the text is extracted again.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { serve, launch, openPage, cpSlice, DIST } from "./harness.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const DEMO = fs.readFileSync(path.join(DIST, "demo-rendered.html"), "utf8");

/** Opens demo-rendered.html (or `html` served in its place) and waits for the widget's `ready`. */
async function openRendered(html) {
  const opened = await openPage(browser);
  if (html) {
    await opened.context.route("**/demo-rendered.html", (route) =>
      route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html }));
  }
  await opened.page.addInitScript(() => {
    window.__ready = new Promise((res) => document.addEventListener("sahifa:ready", res, { once: true }));
  });
  await opened.page.goto(`${server.url}/demo-rendered.html`);
  await opened.page.evaluate(() => window.__ready);
  return opened;
}

/** The widget's state on the demo page: text, entities, how the rendered marks were taken, marks shown. */
const state = (page) => page.evaluate(() => {
  const story = document.getElementById("story");
  const container = story.querySelector(":scope > [data-sahifa-container]");
  const root = container.shadowRoot;
  return {
    text: story.sahifa.text(), entities: story.sahifa.entities(),
    hydration: container.getAttribute("data-sahifa-hydration"),
    marks: [...root.querySelectorAll("mark[data-start]")].map((m) => [m.dataset.id, +m.dataset.start, +m.dataset.end, m.dataset.type]),
  };
});

test("the rendered page shows its marks at first paint, with no script at all", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}/demo-rendered.html`);
    const r = await page.evaluate(() => {
      const a = document.querySelector("[data-sahifa-rendered]");
      const m = a.querySelector("mark[data-start]");
      return {
        marks: a.querySelectorAll("mark[data-start]").length, said: +a.dataset.sahifaMarks,
        text: a.textContent, first: [m.dataset.type, +m.dataset.start, +m.dataset.end, m.textContent],
        background: getComputedStyle(m).backgroundColor,
      };
    });
    assert.ok(r.marks > 50, `${r.marks} marks`);
    assert.equal(r.marks, r.said, "as many marks as the render says");
    const [, start, end, shown] = r.first;
    assert.equal(cpSlice(r.text, start, end), shown, "offsets count code points of the article's text content");
    assert.notEqual(r.background, "rgba(0, 0, 0, 0)", "marks are styled by sahifa.css before the widget runs");
  } finally {
    await context.close();
  }
});

test("a rendered page hydrates to the same state as a live one, and editing works after", async () => {
  const live = await openPage(browser, `${server.url}/index.html`);
  await live.page.waitForFunction(() => window.sahifa?.entities?.().length > 0);
  // Its final state: the first highlight is the rules' marks, the tagger's come with its data (issue 18).
  await live.page.evaluate(() => window.sahifa.settle());
  const want = await live.page.evaluate(() => ({ text: window.sahifa.text(), entities: window.sahifa.entities() }));
  await live.context.close();

  const { page, context, errors, offsite } = await openRendered();
  try {
    const got = await state(page);
    assert.equal(got.hydration, "adopted");
    assert.equal(got.text, want.text, "the rendered article's text is the live widget's");
    assert.deepEqual(got.entities, want.entities, "same entities, ids, entity ids, sources and statuses");
    assert.deepEqual(got.marks.map((m) => m[0]).sort(), want.entities.map((e) => e.id).sort(), "every entity is a mark");

    // Editing: a user annotation on an unmarked word, accepting a suggestion, undo.
    const r = await page.evaluate(() => {
      const w = document.getElementById("story").sahifa;
      const text = [...w.text()];
      const covered = new Uint8Array(text.length);
      for (const e of w.entities()) covered.fill(1, e.start, e.end);
      let start = -1, end = -1;
      for (let i = 0; i < text.length && start < 0; i++) {
        let j = i;
        while (j < text.length && /\p{L}/u.test(text[j])) j++;
        if (j - i >= 4 && (i === 0 || /\s/.test(text[i - 1])) && !covered.subarray(i, j).some(Boolean)) [start, end] = [i, j];
        i = j;
      }
      const id = w.addAnnotation({ start, end, type: "ORG" });
      const suggestion = w.entities().find((e) => e.source === "extractor");
      w.accept(suggestion.id);
      return { id, start, end, accepted: suggestion.id, entities: w.entities() };
    });
    assert.match(r.id, /^u\d+$/);
    const root = (sel) => page.evaluate((sel) => document.getElementById("story")
      .querySelector("[data-sahifa-container]").shadowRoot.querySelector(sel)?.dataset.source ?? null, sel);
    await page.waitForFunction((id) => document.getElementById("story").querySelector("[data-sahifa-container]")
      .shadowRoot.querySelector(`mark[data-id="${id}"]`), r.id);
    assert.equal(await root(`mark[data-id="${r.accepted}"]`), "user", "the accepted suggestion is the user's now");
    assert.equal(r.entities.find((e) => e.id === r.id).type, "ORG");
    await page.evaluate(() => document.getElementById("story").sahifa.undo());
    await page.waitForFunction((id) => document.getElementById("story").querySelector("[data-sahifa-container]")
      .shadowRoot.querySelector(`mark[data-id="${id}"]`)?.dataset.source === "extractor", r.accepted);

    // Saved work wins over the rendered suggestions on reload (the accept was undone; the addition stays).
    await page.evaluate(() => new Promise((res) => setTimeout(res, 300)));  // autosave runs after the frame
    await page.reload();
    await page.evaluate(() => window.__ready);
    const back = await state(page);
    assert.ok(back.entities.some((e) => e.id === r.id && e.start === r.start && e.end === r.end && e.type === "ORG"),
      "the user's annotation comes back from storage");
    assert.equal(back.entities.find((e) => e.id === r.accepted).source, "extractor");
    assert.deepEqual(errors, []);
    assert.deepEqual(offsite, []);
  } finally {
    await context.close();
  }
});

test("a stale or tampered render is not trusted: its text is extracted again", async () => {
  const article = DEMO.slice(DEMO.indexOf("<article"), DEMO.indexOf("</article>"));
  const firstMark = article.match(/<mark [^>]*data-start="(\d+)" data-end="(\d+)"[^>]*>([^<]+)<\/mark>/);
  assert.ok(firstMark, "the demo has a simple mark");
  const cases = {
    // The CMS edited the text after rendering: one word of the first mark changed, marks and checksum kept.
    stale: DEMO.replace(firstMark[0], firstMark[0].replace(`>${firstMark[3]}</mark>`, ">غرينلاند</mark>")),
    // A sanitiser dropped one mark element (its text kept).
    count: DEMO.replace(firstMark[0], firstMark[3]),
    // A mark whose offsets point elsewhere (the count and the text are intact).
    offsets: DEMO.replace(`data-end="${firstMark[2]}"`, `data-end="999999"`),
  };
  const why = { stale: /^refused: the text changed since it was rendered/, count: /^refused: the render wrote \d+ marks but the page holds \d+/, offsets: /^refused: mark \d+: .*not a span of the text/ };
  for (const [name, html] of Object.entries(cases)) {
    const { page, context } = await openRendered(html);
    try {
      const got = await state(page);
      assert.match(got.hydration, why[name], name);
      assert.ok(got.entities.length > 50, `${name}: extracted again (${got.entities.length} entities)`);
      for (const e of got.entities) assert.equal(cpSlice(got.text, e.start, e.end), e.text, `${name}: ${e.id} fits the text`);
      assert.equal(got.marks.length, got.entities.length, `${name}: every entity is a mark`);
      if (name === "stale") assert.ok(got.text.includes("غرينلاند"), "the page's current text is what is annotated");
    } finally {
      await context.close();
    }
  }
});
