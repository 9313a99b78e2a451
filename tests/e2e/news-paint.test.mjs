// The first highlight on a news page (issue 18): `mount()` (auto-mount on `[data-sahifa]`) paints the host's
// article with the paint module (paint/) before the widget's wasm is fetched, reading it with the widget's
// own reader (crate sahifa-dom), in a container with its own shadow root. The widget then adopts those marks
// (no second extraction), keeps the headings, is editable, merges the tagger's marks later, and destroy()
// gives the host its article back exactly. Without the module (a 404) the page works as before; several
// articles, options and a Trusted Types page keep working (the view is built with DOM calls, no HTML string).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { serve, launch, openPage, DIST, hold, paragraphBoxes, assertUnmoved } from "./harness.mjs";

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const TAGGER = /\/tagger\/(anercorp|lexicon|clusters|names)\.bin$/;
const PAINT = /sahifa-paint(_bg\.wasm|\.js)$/;
const shape = (entities) => entities.map((e) => [e.start, e.end, e.type, e.entity, e.source]);

/** Records the painted view when it reaches the DOM: its marks, headings, the first mark's box, and which
 *  requests had been made then. The view is built whole before it is put in the element. */
function recordPaint() {
  window.__painted = new Promise((res) => new MutationObserver((_, o) => {
    const view = document.querySelector("[data-sahifa-painted]");
    if (!view?.shadowRoot) return;
    o.disconnect();
    const root = view.shadowRoot;
    const marks = [...root.querySelectorAll("mark[data-start]")];
    res({
      marks: marks.map((m) => [+m.dataset.start, +m.dataset.end, m.dataset.type, m.dataset.entity, m.dataset.source]),
      headings: [...root.querySelectorAll(".sahifa-p")].map((p) => p.getAttribute("aria-level")),
      requested: performance.getEntriesByType("resource").map((e) => e.name.split("/").pop()),
      at: performance.now(),
    });
  }).observe(document, { childList: true, subtree: true }));
}

/** Holds the tagger's four files until `release()`. */
const holdTagger = (context) => hold(context, TAGGER);

/** The news demo's widget, once it is ready, and what it shows. */
async function widgetState(page) {
  // The widget mounts hidden beside the painted view, and replaces it a moment later.
  await page.waitForFunction(() => document.getElementById("story").sahifa?.entities && !document.querySelector("[data-sahifa-painted]")
    && document.querySelector("#story > [data-sahifa-container]")?.shadowRoot.querySelector(".sahifa-article mark"));
  return page.evaluate(() => {
    const container = document.querySelector("#story > [data-sahifa-container]");
    const root = container.shadowRoot;
    return {
      hydration: container.getAttribute("data-sahifa-hydration"),
      hidden: getComputedStyle(container).display === "none",
      painted: document.querySelectorAll("[data-sahifa-painted]").length,
      children: document.getElementById("story").children.length,
      headings: [...root.querySelectorAll(".sahifa-p")].map((p) => p.getAttribute("aria-level")),
      entities: document.getElementById("story").sahifa.entities(),
      editable: root.querySelector(".sahifa-main").getAttribute("contenteditable"),
    };
  });
}

/** The news demo with its article in a column `width` px wide (the site's padding and border included, no
 *  side bar), served as /news-WIDTH.html. */
async function newsColumn(context, width) {
  const html = fs.readFileSync(path.join(DIST, "demo-news.html"), "utf8").replace("</head>",
    `<style>.layout { display: block; max-width: none; margin: 0; padding: 0; } .sidebar { display: none; } .story { width: ${width}px; }</style></head>`);
  await context.route(new RegExp(`/news-${width}\\.html$`), (route) => route.fulfill({ status: 200, contentType: "text/html", body: html }));
}

test("news page: painted first, adopted, headings kept, editable, then today's marks; destroy() gives the article back", async () => {
  const { page, context, errors, offsite } = await openPage(browser);
  try {
    const release = await holdTagger(context);
    const releaseWidget = await hold(context, /\/sahifa-widget_bg\.wasm$/);
    await page.addInitScript(recordPaint);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server.url}/demo-news.html`);
    const painted = await page.evaluate(() => window.__painted);
    assert.ok(painted.marks.length > 50, `${painted.marks.length} painted marks`);
    assert.ok(!painted.requested.includes("sahifa-widget_bg.wasm"), "painted before the widget's wasm was fetched");
    assert.equal(painted.requested.filter((f) => f === "gazetteer.bin").length, 1, "the automata fetched once");
    assert.equal(painted.headings[0], "1", "the <h1> is painted as a level-1 heading");
    assert.ok(painted.headings.slice(1).every((l) => l === null), "the paragraphs are not headings");
    // Where the painted article is (the widget's wasm is held until then).
    const before = await paragraphBoxes(page, "#story > [data-sahifa-painted]");
    releaseWidget();

    const w = await widgetState(page);
    assert.equal(w.hydration, "adopted", "the widget took the painted marks (no extraction of its own)");
    assert.equal(w.painted, 0, "the painted view is gone once the widget shows its marks");
    assert.equal(w.hidden, false);
    assert.equal(w.children, 1, "the widget's container alone in the article element");
    assert.deepEqual(w.headings, painted.headings, "the widget keeps the same headings");
    assert.equal(w.editable, "true");
    assert.deepEqual(shape(w.entities), painted.marks, "the widget shows exactly the painted marks");
    // The widget's own rules-and-gazetteers extraction of the same text (the tagger's data is held).
    const own = await page.evaluate(async () => {
      const glue = await import("./sahifa-widget.js");
      return JSON.parse(glue.workerExtract(document.getElementById("story").sahifa.text()));
    });
    assert.deepEqual(own.map((a) => [a.start, a.end, a.label, a.entity, a.source]), painted.marks,
      "the painted marks are the widget's rules-and-gazetteers extraction");
    // When the widget takes over, the article stays where it was painted (the columns below measure more).
    assertUnmoved(before, await paragraphBoxes(page, "#story > [data-sahifa-container]"), "painted → widget");

    // Editable: an annotation added through the API is a mark in the widget.
    const id = await page.evaluate(() => {
      const s = document.getElementById("story").sahifa;
      const text = s.text();
      const at = Array.from(text.slice(0, text.indexOf("المساعي"))).length;
      return s.addAnnotation({ start: at, end: at + 7, type: "MISC" });
    });
    assert.ok(await page.evaluate((id) => !!document.querySelector("#story > [data-sahifa-container]")
      .shadowRoot.querySelector(`mark[data-id="${id}"]`), id));
    await page.evaluate((id) => document.getElementById("story").sahifa.removeAnnotation(id), id);

    release();
    await page.evaluate(() => document.getElementById("story").sahifa.settle());
    const settled = await page.evaluate(() => document.getElementById("story").sahifa.entities());

    // destroy(): the host's own article back, node for node, as the page served it.
    const restored = await page.evaluate(async () => {
      const story = document.getElementById("story");
      story.sahifa.destroy();
      const served = new DOMParser().parseFromString(await (await fetch(location.href)).text(), "text/html");
      return {
        same: story.innerHTML === served.getElementById("story").innerHTML,
        painted: document.querySelectorAll("[data-sahifa-painted], [data-sahifa-container]").length,
        instance: "sahifa" in story,
      };
    });
    assert.deepEqual(restored, { same: true, painted: 0, instance: false });
    assert.deepEqual(errors, []);
    assert.deepEqual(offsite, []);
    await context.close();

    // The same page with the paint module missing (404): the widget extracts itself, nothing adopted, and
    // after settle() it shows exactly what the painted page shows.
    const plain = await openPage(browser);
    const asked = [];
    await plain.context.route(PAINT, (route) => {
      asked.push(route.request().url());
      return route.fulfill({ status: 404, contentType: "text/plain", body: "not here" });
    });
    await plain.page.goto(`${server.url}/demo-news.html`);
    const p = await widgetState(plain.page);
    await plain.page.evaluate(() => document.getElementById("story").sahifa.settle());
    const plainSettled = await plain.page.evaluate(() => document.getElementById("story").sahifa.entities());
    assert.ok(asked.length > 0, "the module was asked for");
    assert.equal(p.hydration, null, "nothing painted, nothing adopted");
    assert.equal(p.painted, 0);
    assert.deepEqual(p.headings, painted.headings, "headings as with the painted view");
    assert.deepEqual(shape(settled), shape(plainSettled), "after settle(): the same marks with and without painting");
    assert.deepEqual(plain.offsite, []);
    await plain.context.close();
  } finally {
    await context.close().catch(() => {});
  }
});

// No layout jump (issue 18): the article's first paragraphs stay where they were painted when the widget takes
// over (its toolbar is one row of a fixed height at any width, the row the painted view reserves) and when the
// tagger's marks come in (the status line keeps its line when it empties), in a phone's column to a wide one.
for (const width of [320, 375, 720, 1200]) {
  test(`news page in a ${width} px column: the article does not move from the first paint to the tagger's marks`, async () => {
    const { page, context, errors, offsite } = await openPage(browser);
    try {
      const releaseTagger = await holdTagger(context);
      const releaseWidget = await hold(context, /\/sahifa-widget_bg\.wasm$/);
      await newsColumn(context, width);
      await page.addInitScript(recordPaint);
      await page.setViewportSize({ width: width + 40, height: 800 });
      await page.goto(`${server.url}/news-${width}.html`);
      await page.evaluate(() => window.__painted);
      const painted = await paragraphBoxes(page, "#story > [data-sahifa-painted]");

      releaseWidget();
      await page.waitForFunction(() => !document.querySelector("[data-sahifa-painted]")
        && document.querySelector("#story > [data-sahifa-container]")?.shadowRoot.querySelector(".sahifa-article mark"));
      const status = () => document.querySelector("#story > [data-sahifa-container]").shadowRoot
        .querySelector(".sahifa-status").textContent;
      assert.match(await page.evaluate(status), /المُعلِّم الآلي/, "the status line says the tagger's marks are to come");
      const widget = await paragraphBoxes(page, "#story > [data-sahifa-container]");
      assertUnmoved(painted, widget, `${width} px, painted → widget`);

      releaseTagger();
      await page.evaluate(() => document.getElementById("story").sahifa.settle());
      assert.equal(await page.evaluate(status), "", "the status line has nothing more to say");
      const tagged = await paragraphBoxes(page, "#story > [data-sahifa-container]");
      assertUnmoved(widget, tagged, `${width} px, widget → the tagger's marks in`);
      assert.deepEqual(errors, []);
      assert.deepEqual(offsite, []);
    } finally {
      await context.close();
    }
  });
}

test("a bad option found once the widget loads: the painted view goes, the host's article is back as served", async () => {
  const { page, context, offsite } = await openPage(browser);
  try {
    const html = fs.readFileSync(path.join(DIST, "demo-news.html"), "utf8").replace("data-sahifa data-sahifa-storage-key",
      'data-sahifa data-sahifa-readonly="maybe" data-sahifa-storage-key');
    await context.route(/\/news-bad\.html$/, (route) => route.fulfill({ status: 200, contentType: "text/html", body: html }));
    await page.addInitScript(recordPaint);
    await page.goto(`${server.url}/news-bad.html`);
    const painted = await page.evaluate(() => window.__painted);
    assert.ok(painted.marks.length > 0, "painted first (the options are the widget's to check)");
    await page.waitForSelector("#story > [data-sahifa-error]", { state: "attached" });
    const r = await page.evaluate(() => {
      const story = document.getElementById("story");
      const clone = story.cloneNode(true);
      clone.querySelector(":scope > [data-sahifa-error]").remove();
      return {
        article: clone.innerHTML,
        painted: document.querySelectorAll("[data-sahifa-painted], [data-sahifa-container]").length,
        message: story.querySelector(":scope > [data-sahifa-error]").shadowRoot.textContent,
        instance: "sahifa" in story,
      };
    });
    const served = await page.evaluate(async () => new DOMParser().parseFromString(await (await fetch(location.href)).text(), "text/html")
      .getElementById("story").innerHTML);
    assert.equal(r.article, served, "the host's own children back in place");
    assert.equal(r.painted, 0);
    assert.match(r.message, /data-sahifa-readonly/);
    assert.equal(r.instance, false);
    assert.deepEqual(offsite, []);
  } finally {
    await context.close();
  }
});

test("a strict CSP with Trusted Types required: painted with DOM calls (no violation), then adopted", async () => {
  const { page, context, errors, offsite } = await openPage(browser);
  try {
    const violations = [];
    await page.exposeFunction("__violation", (v) => violations.push(v));
    await page.addInitScript(() => document.addEventListener("securitypolicyviolation",
      (e) => window.__violation(`${e.violatedDirective}: ${e.blockedURI} ${e.sample}`)));
    await page.addInitScript(recordPaint);
    await page.goto(`${server.url}/demo-csp.html`);
    const painted = await page.evaluate(() => window.__painted);
    assert.ok(painted.marks.length > 0, "painted");
    await page.waitForFunction(() => document.getElementById("story").sahifa?.entities
      && !document.querySelector("[data-sahifa-painted]"));
    const r = await page.evaluate(() => ({
      hydration: document.querySelector("#story > [data-sahifa-container]").getAttribute("data-sahifa-hydration"),
      entities: document.getElementById("story").sahifa.entities(),
    }));
    assert.equal(r.hydration, "adopted");
    assert.deepEqual(shape(r.entities), painted.marks);
    assert.deepEqual(violations, [], "no CSP or Trusted Types violation");
    assert.deepEqual(errors, []);
    assert.deepEqual(offsite, []);
  } finally {
    await context.close();
  }
});

test("several articles (one read-only with its own labels): each painted, adopted, and editable or not as asked", async () => {
  const { page, context, errors, offsite } = await openPage(browser);
  try {
    await page.goto(`${server.url}/demo-two.html`);
    await page.waitForFunction(() => ["first", "second"].every((id) => document.getElementById(id).sahifa?.entities)
      && !document.querySelector("[data-sahifa-painted]"));
    const r = await page.evaluate(() => ["first", "second"].map((id) => {
      const c = document.querySelector(`#${id} > [data-sahifa-container]`);
      return {
        hydration: c.getAttribute("data-sahifa-hydration"),
        marks: c.shadowRoot.querySelectorAll(".sahifa-article mark[data-start]").length,
        editable: c.shadowRoot.querySelector(".sahifa-main").getAttribute("contenteditable"),
      };
    }));
    for (const w of r) assert.equal(w.hydration, "adopted");
    assert.ok(r.every((w) => w.marks > 0));
    assert.deepEqual(r.map((w) => w.editable), ["true", null]);
    assert.deepEqual(errors, []);
    assert.deepEqual(offsite, []);
  } finally {
    await context.close();
  }
});

test("an explicit text option is not painted; a widget mounted after the wasm is in is not painted", async () => {
  const { page, context, errors } = await openPage(browser);
  try {
    await page.goto(`${server.url}/demo-news.html`);
    await page.waitForFunction(() => document.getElementById("story").sahifa?.entities);
    const r = await page.evaluate(async () => {
      const { mount } = await import("./sahifa.js");
      const seen = [];
      new MutationObserver(() => { if (document.querySelector("[data-sahifa-painted]")) seen.push(1); })
        .observe(document.body, { childList: true, subtree: true });
      const a = document.createElement("div");
      a.innerHTML = "<p>زار الرئيس الفرنسي إيمانويل ماكرون باريس.</p>";
      document.body.append(a);
      const b = document.createElement("div");
      document.body.append(b);
      const wa = await mount(a);
      const wb = await mount(b, { text: "زار فلاديمير بوتين موسكو." });
      await new Promise((r) => setTimeout(r, 50));
      return { seen: seen.length, a: wa.entities().length, b: wb.entities().length,
        hydration: [a, b].map((e) => e.querySelector("[data-sahifa-container]").getAttribute("data-sahifa-hydration")) };
    });
    assert.equal(r.seen, 0, "nothing painted once the widget is loaded");
    assert.ok(r.a > 0 && r.b > 0);
    assert.deepEqual(r.hydration, [null, null]);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
