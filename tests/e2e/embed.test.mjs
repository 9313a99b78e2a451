// Embedding in a news page (dist/sahifa.js): the demo news page's article annotated in place inside an open
// shadow root, style isolation both ways, two independent widgets, destroy(), bad options that never break
// the host page, and the `ready` / `change` events seen by the host document.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { serve, launch, openPage, cpSlice, DIST } from "./harness.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const SEED = fs.readFileSync(path.resolve(DIST, "../core/assets/seed-article-ar.txt"), "utf8")
  .split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
const HEADLINE = "بوتين يجمع وزيري خارجية أذربيجان وأرمينيا في موسكو";

/** Records `sahifa:*` events reaching the host document, from before any script runs. */
const RECORD_EVENTS = () => {
  window.__sahifaEvents = [];
  for (const type of ["sahifa:ready", "sahifa:change"]) {
    document.addEventListener(type, (e) => window.__sahifaEvents.push({ type, target: e.target.id, detail: e.detail ?? null }));
  }
};

async function openDemo(file = "demo-news.html") {
  const opened = await openPage(browser);
  await opened.page.addInitScript(RECORD_EVENTS);
  await opened.page.goto(`${server.url}/${file}`);
  return opened;
}

// Mounted and shown: on a page that painted first (sahifa.js), the painted view stays until the widget is ready.
const waitMounted = (page, id) =>
  page.waitForFunction((id) => { const el = document.getElementById(id);
    return el?.sahifa?.entities().length > 0 && !el.querySelector(":scope > [data-sahifa-painted]"); }, id);

test("dist/ holds the embedding files under stable names", () => {
  for (const f of ["sahifa.js", "sahifa-worker.js", "sahifa-widget.js", "sahifa-widget_bg.wasm", "demo-news.html", "demo-two.html",
    "sahifa-standalone.html", "index.html"]) {
    assert.ok(fs.existsSync(path.join(DIST, f)), `dist/${f}`);
  }
  const js = fs.readFileSync(path.join(DIST, "sahifa.js"), "utf8");
  assert.match(js, /export async function mount\b/);
  assert.match(js, /import\.meta\.url/);
});

test("the demo news page: its article marked in place, the host's styles intact and kept out", async () => {
  const { page, context, offsite, errors } = await openDemo();
  await waitMounted(page, "story");

  const r = await page.evaluate(() => {
    const story = document.getElementById("story");
    const container = story.querySelector(":scope > [data-sahifa-container]");
    const root = container?.shadowRoot;
    const marks = [...root.querySelectorAll("mark[data-start]")];
    const styleOf = (el) => { const c = getComputedStyle(el); return { bg: c.backgroundColor, ls: c.letterSpacing, color: c.color, font: c.fontFamily }; };
    const ps = [...root.querySelectorAll(".sahifa-p")];
    return {
      children: story.children.length,
      open: root?.mode,
      inDocument: document.querySelectorAll("mark").length,
      marks: marks.map((m) => ({ start: +m.dataset.start, end: +m.dataset.end, text: m.textContent, type: m.dataset.type,
        source: m.dataset.source, entity: m.dataset.entity, ...styleOf(m) })),
      paragraphs: ps.map((p) => p.textContent),
      headingWeight: getComputedStyle(ps[0]).fontWeight,
      bodyWeight: getComputedStyle(ps[1]).fontWeight,
      articleDir: getComputedStyle(root.querySelector(".sahifa-article")).direction,
      text: story.sahifa.text(),
      header: getComputedStyle(document.querySelector(".site-header")).backgroundColor,
      navLink: getComputedStyle(document.querySelector(".site-nav a")).color,
      hostSpan: styleOf(document.querySelector(".site-header .date")),
      bodyFont: getComputedStyle(document.body).fontFamily,
      bodyBg: getComputedStyle(document.body).backgroundColor,
      hostSheets: [...document.querySelectorAll("style, link[rel=stylesheet]")].map(() => "host"),
    };
  });
  assert.equal(r.open, "open", "an open shadow root on the container");
  assert.equal(r.children, 1, "the article's children are replaced by the widget's container");
  assert.equal(r.inDocument, 0, "no mark in the light DOM");
  assert.equal(r.articleDir, "rtl");

  // Text kept exactly: the headline and every seed paragraph, in order.
  assert.equal(r.text, [HEADLINE, ...SEED].join("\n\n"));
  assert.deepEqual(r.paragraphs, [HEADLINE, ...SEED], "headings and paragraphs kept, one widget paragraph each");
  assert.equal(r.headingWeight, "700", "the headline still looks like one");
  assert.equal(r.bodyWeight, "400");

  assert.ok(r.marks.length >= 40, `at least 40 marks, got ${r.marks.length}`);
  for (const m of r.marks) {
    assert.equal(cpSlice(r.text, m.start, m.end), m.text, "offsets honour the contract");
    assert.ok(["extractor", "user"].includes(m.source) && m.entity && m.type);
    // The host's `mark, span { … !important }` and its inherited letter-spacing do not reach the marks.
    assert.notEqual(m.bg, "rgb(255, 0, 0)", "hostile background kept out");
    assert.equal(m.ls, "normal", "hostile and inherited letter-spacing kept out");
    assert.notEqual(m.color, "rgb(255, 255, 0)", "hostile colour kept out");
    assert.match(m.font, /^"Sahifa Naskh"/, "the widget's font, not the host's Georgia");
  }

  // The host keeps its own look: the widget's CSS does not leak out.
  assert.equal(r.header, "rgb(176, 0, 32)", "host header styled");
  assert.equal(r.navLink, "rgb(238, 238, 238)", "host nav styled");
  assert.equal(r.hostSpan.bg, "rgb(255, 0, 0)", "the host's own rules still apply to the host");
  assert.match(r.bodyFont, /^Tahoma/);
  assert.equal(r.bodyBg, "rgb(250, 250, 250)", "the widget's body rule is not applied to the host");
  assert.deepEqual(r.hostSheets, ["host"], "the widget adds no stylesheet to the host (its font goes to document.fonts)");

  // The font is declared once in the document and loads from beside sahifa.js.
  const fonts = await page.evaluate(async () => {
    await document.fonts.ready;
    return [...document.fonts].filter((f) => f.family.replaceAll('"', "") === "Sahifa Naskh").map((f) => f.status);
  });
  assert.ok(fonts.includes("loaded"), `Sahifa Naskh loaded (${fonts})`);

  // The host's own ready listener ran (ready comes once the marks are in the DOM).
  await page.waitForFunction(() => document.getElementById("widget-status").textContent.startsWith("الكيانات معلَّمة"));
  assert.match(await page.$eval("#widget-status", (s) => s.textContent), /^الكيانات معلَّمة: \d+$/);
  assert.deepEqual(offsite, [], "no request leaves localhost");
  assert.deepEqual(errors, [], "no console errors");
  await context.close();
});

test("ready and change events reach the host document; on() works too; the UI works inside the shadow root", async () => {
  const { page, context, errors } = await openDemo();
  await waitMounted(page, "story");
  await page.waitForFunction(() => window.__sahifaEvents.some((e) => e.type === "sahifa:ready"));

  // Mouse selection inside the shadow root opens the picker; a label key and Enter add the annotation.
  const p = page.locator("#story .sahifa-p").nth(2);
  await p.scrollIntoViewIfNeeded();
  const box = await p.boundingBox();
  await page.mouse.move(box.x + box.width - 4, box.y + 14);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width - 110, box.y + 14, { steps: 5 });
  await page.mouse.up();
  await page.locator("#story .sahifa-picker").waitFor();
  await page.keyboard.press("4");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => window.__sahifaEvents.some((e) => e.type === "sahifa:change"));
  const viaApi = await page.evaluate(() => {
    const w = document.getElementById("story").sahifa;
    const seen = [];
    w.on("change", (d) => seen.push(d));
    let ready = false;
    w.on("ready", () => { ready = true; });   // late subscribers to ready are called at once
    const start = w.text().indexOf("موسكو");
    const before = window.__sahifaEvents.length;
    const id = w.addAnnotation({ start: [...w.text().slice(0, start)].length, end: [...w.text().slice(0, start)].length + 5, type: "MISC" });
    return { id, seen, ready, events: window.__sahifaEvents.slice(before) };
  });
  assert.ok(viaApi.id);
  assert.deepEqual(viaApi.seen, ["add"]);
  assert.equal(viaApi.ready, true);
  assert.deepEqual(viaApi.events, [{ type: "sahifa:change", target: "story", detail: "add" }]);
  assert.match(await page.textContent("#widget-status"), /^تعديل: add/, "the host page's change listener ran");
  const readies = await page.evaluate(() => window.__sahifaEvents.filter((e) => e.type === "sahifa:ready"));
  assert.deepEqual(readies, [{ type: "sahifa:ready", target: "story", detail: null }], "ready fires once");

  const users = await page.evaluate(() => document.getElementById("story").sahifa.entities().filter((e) => e.source === "user"));
  assert.equal(users.length, 2, "one annotation from the API, one from the mouse");
  assert.deepEqual(errors, []);
  await context.close();
});

test("two widgets on one page are independent", async () => {
  const { page, context, errors, offsite } = await openDemo("demo-two.html");
  await waitMounted(page, "first");
  await waitMounted(page, "second");
  const r = await page.evaluate(() => {
    const [a, b] = [document.getElementById("first").sahifa, document.getElementById("second").sahifa];
    const before = { a: a.entities().length, b: JSON.stringify(b.entities()) };
    const id = a.addAnnotation({ start: 0, end: 3, type: "PER" });
    let refused = null;
    try { a.addAnnotation({ start: 4, end: 6, type: "EVENT" }); } catch (e) { refused = e.message; }
    const bId = b.addAnnotation({ start: 0, end: 4, type: "EVENT" });
    return {
      same: a === b, texts: [a.text().slice(0, 20), b.text().slice(0, 20)],
      id, refused, bId, before,
      afterA: a.entities().length,
      afterB: b.entities().filter((e) => e.id !== bId),
      readonly: !!document.getElementById("second").querySelector("[data-sahifa-container]").shadowRoot.querySelector(".sahifa.readonly"),
      changes: window.__sahifaEvents.filter((e) => e.type === "sahifa:change").map((e) => e.target),
      readies: window.__sahifaEvents.filter((e) => e.type === "sahifa:ready").map((e) => e.target).sort(),
    };
  });
  assert.equal(r.same, false);
  assert.notEqual(r.texts[0], r.texts[1]);
  assert.equal(r.afterA, r.before.a + 1);
  assert.equal(JSON.stringify(r.afterB), r.before.b, "adding to the first leaves the second unchanged");
  assert.match(r.refused, /EVENT/, "the second's data-sahifa-labels are its own");
  const bMark = await page.waitForFunction(() => document.getElementById("second")
    .querySelector("[data-sahifa-container]").shadowRoot.querySelector('mark[data-source="user"]')?.dataset.type);
  assert.equal(await bMark.jsonValue(), "EVENT", "the second offers its own label EVENT");
  assert.equal(r.readonly, true, "data-sahifa-readonly");
  assert.deepEqual(r.changes, ["first", "second"], "each change is reported on its own element");
  assert.deepEqual(r.readies, ["first", "second"]);
  assert.deepEqual(errors, []);
  assert.deepEqual(offsite, []);
  await context.close();
});

test("destroy() restores the element exactly; mount() from code with text; the element can be mounted again", async () => {
  const { page, context, errors } = await openDemo();
  await waitMounted(page, "story");
  const r = await page.evaluate(async () => {
    const source = await (await fetch("demo-news.html")).text();
    const original = new DOMParser().parseFromString(source, "text/html").getElementById("story").innerHTML;
    const story = document.getElementById("story");
    const { mount } = await import("./sahifa.js");
    const twice = await mount(story).then(() => "resolved", (e) => e.message);
    const boxes = story.querySelectorAll("[data-sahifa-error]").length;
    story.sahifa.destroy();
    const restored = story.innerHTML;
    const gone = { sahifa: "sahifa" in story, container: !!document.querySelector("[data-sahifa-container]") };

    const el = document.createElement("section");
    el.innerHTML = "<p>first</p>";
    document.body.append(el);
    const w = await mount(el, { text: "زار الرئيس إيمانويل ماكرون مدينة باريس يوم 12 أكتوبر.", readOnly: true, storageKey: "t-code" });
    // Yew renders from its scheduler, which yields to the page every 16 ms of work (the other widget's, the
    // tagger's marks merged into it): wait for the article rather than assume the render is done.
    const article = () => el.querySelector("[data-sahifa-container]").shadowRoot.querySelector(".sahifa-article");
    while (!article()) await new Promise((res) => setTimeout(res, 10));
    const shown = article().textContent;
    const same = el.sahifa === w;
    w.destroy();
    const again = await mount(story);
    return { twice, boxes, original, restored, gone, shown, same, back: el.innerHTML, againText: again.text().slice(0, 10), storyIs: story.sahifa === again };
  });
  assert.match(r.twice, /already has a widget/, "mounting twice is refused");
  assert.equal(r.boxes, 0, "and leaves the working widget alone");
  assert.equal(r.restored, r.original, "destroy() puts back the article's own HTML");
  assert.deepEqual(r.gone, { sahifa: false, container: false });
  assert.equal(r.shown, "زار الرئيس إيمانويل ماكرون مدينة باريس يوم 12 أكتوبر.", "with text, that text is shown");
  assert.equal(r.same, true, "the instance is element.sahifa");
  assert.equal(r.back, "<p>first</p>");
  assert.equal(r.againText, "بوتين يجمع");
  assert.equal(r.storyIs, true);
  assert.deepEqual(errors, []);
  await context.close();
});

const BAD_PAGE = `<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<script type="module" src="sahifa.js"></script></head><body>
<button id="btn" type="button">host</button><output id="clicks">0</output>
<article id="bad" data-sahifa data-sahifa-labels="not json"><h1>عنوان</h1><p>زار الرئيس ماكرون باريس.</p></article>
<article id="good" data-sahifa><p>التقى بوتين نظيره في موسكو.</p></article>
<div id="code"><p>نص أول.</p></div>
<script>
  let n = 0;
  document.getElementById("btn").addEventListener("click", () => { document.getElementById("clicks").textContent = String(++n); });
</script></body></html>`;

test("a bad option shows a message in the widget; the host page keeps working and sees no exception", async () => {
  const { page, context } = await openPage(browser);
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  await page.route(`${server.url}/bad.html`, (route) => route.fulfill({ contentType: "text/html; charset=utf-8", body: BAD_PAGE }));
  await page.goto(`${server.url}/bad.html`);
  await waitMounted(page, "good");
  await page.waitForFunction(() => document.querySelector("#bad > [data-sahifa-error]"));

  const auto = await page.evaluate(() => {
    const bad = document.getElementById("bad");
    return {
      message: bad.querySelector("[data-sahifa-error]").shadowRoot.querySelector("[role=alert]").textContent,
      kept: [...bad.querySelectorAll("h1, p")].map((e) => e.textContent),
      sahifa: "sahifa" in bad,
    };
  });
  assert.match(auto.message, /data-sahifa-labels must be a JSON array/);
  assert.deepEqual(auto.kept, ["عنوان", "زار الرئيس ماكرون باريس."], "the article stays readable");
  assert.equal(auto.sahifa, false);

  const fromCode = await page.evaluate(async () => {
    const { mount } = await import("./sahifa.js");
    const el = document.getElementById("code");
    const out = {};
    for (const [name, opts] of [["labels", { labels: 42 }], ["unknown", { colour: "red" }], ["readOnly", { readOnly: "yes" }]]) {
      try { await mount(el, opts); out[name] = "resolved"; } catch (e) {
        out[name] = { isError: e instanceof Error, message: e.message,
          shown: el.querySelector("[data-sahifa-error]")?.shadowRoot.querySelector("[role=alert]").textContent };
      }
    }
    out.nonElement = await mount("#code").then(() => "resolved", (e) => e instanceof TypeError);
    // A good mount afterwards clears the message.
    const w = await mount(el);
    out.recovered = { text: w.text(), errors: el.querySelectorAll("[data-sahifa-error]").length };
    return out;
  });
  assert.equal(fromCode.labels.isError, true);
  assert.match(fromCode.labels.message, /^sahifa\.mount: option labels must be an array/);
  assert.match(fromCode.labels.shown, /option labels must be an array/, "the message is shown in the element");
  assert.match(fromCode.unknown.message, /unknown option "colour"/);
  assert.match(fromCode.readOnly.message, /option readOnly: invalid type/);
  assert.equal(fromCode.nonElement, true);
  assert.deepEqual(fromCode.recovered, { text: "نص أول.", errors: 0 });

  // The host's own script still runs, the good widget next door works.
  await page.click("#btn");
  await page.click("#btn");
  assert.equal(await page.textContent("#clicks"), "2");
  const good = await page.evaluate(() => document.getElementById("good").sahifa.entities().length);
  assert.ok(good > 0);
  assert.deepEqual(pageErrors, [], "no uncaught exception reaches the page");
  await context.close();
});
