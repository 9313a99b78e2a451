// Offline: dist/sahifa-standalone.html works opened straight from file:// with no request at all, and every
// page of dist/ works from a static server with nothing fetched from anywhere else.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { serve, launch, openPage, cpSlice, DIST } from "./harness.mjs";

let server, browser, tmp;
before(async () => {
  server = await serve();
  browser = await launch();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sahifa-standalone-"));
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** Every request the page makes, recorded before the harness's router sees it. */
function recordRequests(context) {
  const seen = [];
  context.on("request", (r) => seen.push(r.url()));
  return seen;
}

test("sahifa-standalone.html works alone from file:// with no request besides itself", async () => {
  // Copied alone into an empty folder: nothing beside it to load.
  const file = path.join(tmp, "sahifa-standalone.html");
  fs.copyFileSync(path.join(DIST, "sahifa-standalone.html"), file);
  const url = pathToFileURL(file).href;

  const { page, context, offsite, errors } = await openPage(browser);
  const requests = recordRequests(context);
  await page.goto(url);
  await page.waitForFunction(() => window.sahifa?.entities && !document.querySelector("[data-sahifa-painted]") && document.querySelectorAll("mark[data-start]").length >= 40);

  const r = await page.evaluate(async () => {
    await document.fonts.ready;
    return {
      text: window.sahifa.text(),
      marks: [...document.querySelectorAll("mark[data-start]")].map((m) => [+m.dataset.start, +m.dataset.end, m.textContent]),
      font: [...document.fonts].some((f) => f.family.replaceAll('"', "") === "Sahifa Naskh" && f.status === "loaded"),
      dir: getComputedStyle(document.querySelector(".sahifa-article")).direction,
      markBg: getComputedStyle(document.querySelector("mark[data-start]")).backgroundColor,
    };
  });
  assert.ok(r.text.startsWith("في ظل تكثيف المساعي الدولية"), "the seed article");
  for (const [s, e, t] of r.marks) assert.equal(cpSlice(r.text, s, e), t);
  assert.equal(r.font, true, "the inlined font is used");
  assert.equal(r.dir, "rtl");
  assert.notEqual(r.markBg, "rgba(0, 0, 0, 0)", "the inlined CSS applies");

  // The API works too.
  const id = await page.evaluate(() => window.sahifa.addAnnotation({ start: 0, end: 2, type: "MISC" }));
  assert.ok(id);

  assert.ok(requests.includes(url), "the recorder sees requests (the file's own)");
  const other = requests.filter((u) => u !== url && !u.startsWith("data:") && !u.startsWith("blob:"));
  assert.deepEqual(other, [], "no request at all besides the file itself (and data:/blob:)");
  assert.deepEqual(offsite, []);
  assert.deepEqual(errors, [], "no console errors");
  await context.close();
});

test("the standalone file inlines everything: no URL to load, the wasm instantiated asynchronously", () => {
  const html = fs.readFileSync(path.join(DIST, "sahifa-standalone.html"), "utf8");
  assert.doesNotMatch(html, /<(script|link|img)\b[^>]*\b(src|href)=/i, "no external script, stylesheet or image");
  assert.doesNotMatch(html, /url\(\s*(?!"?data:)/, "every CSS url() is a data: URL");
  assert.match(html, /__wbg_init\(\{ module_or_path: bytes \}\)/, "asynchronous instantiation");
  assert.doesNotMatch(html, /initSync\(\{/, "not the synchronous one");
});

for (const file of ["index.html", "demo-news.html", "demo-two.html"]) {
  test(`dist/${file} from a static server fetches only from that server`, async () => {
    const { page, context, offsite, errors } = await openPage(browser);
    const requests = recordRequests(context);
    await page.goto(`${server.url}/${file}`);
    await page.waitForFunction(() => {
      const hosts = document.querySelectorAll("[data-sahifa-container], [data-sahifa-standalone]");
      return hosts.length > 0 && [...hosts].every((h) => (h.shadowRoot ?? h).querySelector("mark[data-start]"));
    });
    await page.evaluate(() => document.fonts.ready);
    const foreign = requests.filter((u) => !u.startsWith(server.url + "/") && !u.startsWith("data:"));
    assert.deepEqual(foreign, [], "every request goes to the static server");
    assert.deepEqual(offsite, [], "nothing tried to leave the machine");
    assert.deepEqual(errors, []);
    await context.close();
  });
}
