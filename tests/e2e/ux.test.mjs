// Small things an annotator runs into, each driven by the real mouse and keyboard: no frame round the
// article after a click (a ring only for the keyboard), the picker kept on screen at 200% zoom, stepping
// through an entity's mentions, downloading the reviewed work only, the interface in English.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { serve, launch, wordRange } from "./harness.mjs";

let server, browser;
// SAHIFA_DIST points the tests at another build (to see them fail on one without the fixes).
before(async () => { server = await serve(process.env.SAHIFA_DIST || undefined); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function open(viewport = { width: 1280, height: 900 }, url = "/index.html", extra = {}) {
  const context = await browser.newContext({ viewport, ...extra });
  const page = await context.newPage();
  await page.goto(server.url + url);
  await page.waitForFunction(() => window.sahifa?.entities && !document.querySelector("[data-sahifa-painted]") && document.querySelectorAll("mark[data-id]").length > 20);
  return { context, page };
}

/** The viewport rectangle of `word` (its `nth` occurrence) in the article, scrolled to `y` px from the top
 *  of the viewport (or to its middle). */
async function wordRect(page, word, nth = 0, y = null) {
  const r = await wordRange(page, word, { nth, y });
  assert.ok(r, `"${word}" is in the article`);
  return r;
}

/** Drags the mouse across `word`, right to left as Arabic reads, and waits for the picker. */
async function dragAcross(page, word, nth = 0, y = null) {
  const r = await wordRect(page, word, nth, y);
  const mid = (r.top + r.bottom) / 2;
  await page.mouse.move(r.right - 1, mid);
  await page.mouse.down();
  await page.mouse.move((r.left + r.right) / 2, mid, { steps: 3 });
  await page.mouse.move(r.left + 1, mid, { steps: 3 });
  await page.mouse.up();
  await page.waitForSelector(".sahifa-picker");
}

test("a click in the article leaves no frame round it; the keyboard brings the focus ring", async () => {
  const { context, page } = await open();
  const r = await wordRect(page, "الاجتماع");
  await page.mouse.click((r.left + r.right) / 2, (r.top + r.bottom) / 2);
  assert.equal(await page.evaluate(() => document.activeElement.closest(".sahifa-main") !== null), true, "the article has focus");
  const outline = () => page.$eval(".sahifa-main", (m) => getComputedStyle(m).outlineStyle);
  assert.equal(await outline(), "none", "no frame after a mouse click");
  await page.keyboard.press("ArrowLeft");
  assert.notEqual(await outline(), "none", "a focus ring once the keyboard is used");
  await page.mouse.click((r.left + r.right) / 2, (r.top + r.bottom) / 2);
  assert.equal(await outline(), "none", "and none again after the mouse");
  await context.close();
});

test("at 200% zoom (640×450 CSS px at 2×) the picker stays inside the viewport", async () => {
  const { context, page } = await open({ width: 640, height: 450 }, "/index.html", { deviceScaleFactor: 2 });
  // Everywhere in the view: near the top, the middle, the bottom.
  for (let y = 20; y <= 420; y += 25) {
    await dragAcross(page, "المعارك", 1, y);
    const box = await page.$eval(".sahifa-picker", (p) => {
      const b = p.getBoundingClientRect();
      return { top: b.top, bottom: b.bottom, left: b.left, right: b.right, vw: innerWidth, vh: innerHeight };
    });
    assert.ok(box.top >= 0 && box.bottom <= box.vh + 0.5, `vertically inside (word at ${y} px): ${JSON.stringify(box)}`);
    assert.ok(box.left >= 0 && box.right <= box.vw + 0.5, `horizontally inside (word at ${y} px): ${JSON.stringify(box)}`);
    await page.keyboard.press("Escape");
    await page.waitForSelector(".sahifa-picker", { state: "detached" });
  }
  await context.close();
});

test("an entity's mentions one after another: N and P in the list, Alt+↓/↑ on a mark", async () => {
  const { context, page } = await open();
  const entity = await page.$eval(".sahifa-entity", (b) => b.dataset.entity);
  const mentions = await page.$$eval(`mark[data-entity="${entity}"]`, (ms) => ms.map((m) => m.dataset.id));
  assert.ok(mentions.length >= 3, `the first entity has several mentions (${mentions.length})`);
  // The mention reached: the focused mark, or the one holding the caret in the focused article.
  const focused = () => page.evaluate(() => {
    const active = document.activeElement;
    if (active.closest("mark[data-id]")) return active.closest("mark[data-id]").dataset.id;
    if (!active.classList.contains("sahifa-main")) return null;
    const n = getSelection().focusNode;
    return (n?.nodeType === 1 ? n : n?.parentElement)?.closest("mark[data-id]")?.dataset.id ?? null;
  });
  await page.focus(".sahifa-entity");
  await page.keyboard.press("n");
  assert.equal(await focused(), mentions[0], "N: the first mention");
  assert.match(await page.textContent(".sahifa-status"), new RegExp(`1 .* ${mentions.length}`));
  await page.keyboard.press("Alt+ArrowDown");
  assert.equal(await focused(), mentions[1], "Alt+↓ on the mark: the second");
  await page.keyboard.press("Alt+ArrowDown");
  assert.equal(await focused(), mentions[2], "and the third");
  await page.keyboard.press("Alt+ArrowUp");
  assert.equal(await focused(), mentions[1], "Alt+↑: back to the second");
  await page.focus(".sahifa-entity");
  await page.keyboard.press("p");
  assert.equal(await focused(), mentions[0], "P in the list: the previous one");
  await page.focus(".sahifa-entity");
  await page.keyboard.press("p");
  assert.equal(await focused(), mentions[mentions.length - 1], "P from the first goes round to the last");
  await context.close();
});

test("the download offers the reviewed work only or everything", async () => {
  const { context, page } = await open();
  // Accept one suggestion with the mouse, so the reviewed work is one annotation.
  await page.click("mark[data-source=extractor]");
  await page.click(".sahifa-details .accept");
  const download = async () => {
    const d = page.waitForEvent("download");
    await page.click("button[data-export=jsonl]");
    const lines = fs.readFileSync(await (await d).path(), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    return lines.flatMap((l) => l.spans ?? l.annotations ?? l.entities ?? []);
  };
  const all = await download();
  assert.ok(all.length > 20, `everything: ${all.length} spans`);
  await page.focus("select.export-scope");
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.$eval("select.export-scope", (s) => s.value), "reviewed");
  const reviewed = await download();
  assert.equal(reviewed.length, 1, `reviewed only: ${JSON.stringify(reviewed)}`);
  assert.equal(reviewed[0].status, "accepted");
  await context.close();
});

test("للأرمن: the picker keeps the article's ل and says the span reads الأرمن; R gives the whole word", async () => {
  const { context, page } = await open();
  await dragAcross(page, "للأرمن");
  const preview = () => page.$eval(".sahifa-picker .preview bdi", (b) => b.textContent);
  assert.equal(await preview(), "لأرمن", "the guidelines' span: ل + الأرمن, the proclitic left out");
  assert.match(await page.textContent(".sahifa-picker .reading"), /«الأرمن»/, "and it says how it reads");
  await page.keyboard.press("r");
  assert.equal(await preview(), "للأرمن", "R: the whole word");
  assert.equal(await page.$(".sahifa-picker .reading"), null, "no reading for the whole word");
  await page.keyboard.press("r");
  await page.keyboard.press("4");
  await page.waitForSelector("mark[data-source=user]");
  assert.equal(await page.$eval("mark[data-source=user]", (m) => m.textContent), "لأرمن");
  await context.close();
});

test("the interface in English (?lang=en): chrome left to right, the article right to left, a toggle back", async () => {
  const { context, page } = await open({ width: 1280, height: 900 }, "/index.html?lang=en");
  const look = () => page.evaluate(() => {
    const w = document.querySelector(".sahifa");
    return {
      lang: w.lang, dir: getComputedStyle(w.querySelector(".sahifa-toolbar")).direction,
      article: getComputedStyle(w.querySelector(".sahifa-article")).direction,
      articleLang: w.querySelector(".sahifa-article").lang,
      undo: w.querySelector(".undo").textContent,
      legend: w.querySelector(".sahifa-legend-item[data-type=PER] .name").textContent,
    };
  });
  assert.deepEqual(await look(), { lang: "en", dir: "ltr", article: "rtl", articleLang: "ar", undo: "↶ Undo", legend: "Person" });
  // A refusal from the core comes in English: a label name with a space, typed in the form.
  await page.getByRole("button", { name: "+ Label" }).click();
  await page.getByRole("textbox", { name: "Label name" }).click();
  await page.keyboard.type("two words");
  await page.keyboard.press("Enter");
  assert.match(await page.textContent(".sahifa-newlabel .error"), /is not a label name/);
  await page.click("button.lang");
  assert.deepEqual(await look(), { lang: "ar", dir: "rtl", article: "rtl", articleLang: "ar", undo: "↶ تراجع", legend: "شخص" });
  await page.click("button.lang");
  assert.equal((await look()).undo, "↶ Undo", "and back");
  await context.close();
});

test("mount's lang option: English chrome, and a clear error for a language it does not have", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url + "/demo-news.html");
  await page.waitForFunction(() => document.querySelector("[data-sahifa]")?.sahifa);
  const r = await page.evaluate(async () => {
    const { mount } = await import("./sahifa.js");
    const el = document.createElement("div");
    el.innerHTML = "<p>زار الرئيس الفرنسي باريس أمس.</p>";
    document.body.append(el);
    let error = null;
    try { await mount(el, { lang: "fr" }); } catch (e) { error = e.message; }
    const untouched = el.querySelector(":scope > p").outerHTML;
    const shown = el.querySelector(":scope > [data-sahifa-error]")?.shadowRoot.textContent;
    el.setAttribute("data-sahifa-lang", "en");
    const w = await mount(el);
    el.id = "mounted";
    return { error, untouched, shown, text: w.text() };
  });
  await page.waitForFunction(() => document.querySelector("#mounted [data-sahifa-container]").shadowRoot.querySelector(".undo"));
  Object.assign(r, await page.evaluate(() => {
    const root = document.querySelector("#mounted [data-sahifa-container]").shadowRoot;
    return { undo: root.querySelector(".undo").textContent, dir: getComputedStyle(root.querySelector(".sahifa-toolbar")).direction };
  }));
  assert.match(r.error, /option lang must be "ar" or "en", not "fr"/);
  assert.equal(r.untouched, "<p>زار الرئيس الفرنسي باريس أمس.</p>", "the article left as it was");
  assert.match(r.shown, /option lang/, "the error shown in the page names the option");
  assert.deepEqual([r.text, r.undo, r.dir], ["زار الرئيس الفرنسي باريس أمس.", "↶ Undo", "ltr"]);
  await context.close();
});

test("find in the article: typed in the side panel, every match highlighted, Enter and Shift+Enter step", async () => {
  const { context, page } = await open();
  await page.click(".sahifa-find .find");
  // Typed without the hamza: اذربيجان finds أذربيجان too.
  await page.keyboard.type("اذربيجان");
  const total = await page.evaluate(() => [...window.sahifa.text().matchAll(/[أا]ذربيجان/g)].length);
  assert.ok(total > 5, `the article has many (${total})`);
  const state = () => page.evaluate(() => ({
    count: document.querySelector(".sahifa-find .count").textContent,
    all: CSS.highlights.get("sahifa-find")?.size ?? 0,
    current: [...(CSS.highlights.get("sahifa-find-current") ?? [])].map((r) => r.toString()).join("|"),
    top: [...(CSS.highlights.get("sahifa-find-current") ?? [])][0]?.getBoundingClientRect().top,
  }));
  let s = await state();
  assert.equal(s.all, total, "every match highlighted");
  assert.match(s.count, new RegExp(`^1 .* ${total}$`));
  assert.equal(s.current, "أذربيجان");
  for (let k = 0; k < total - 1; k++) await page.keyboard.press("Enter");
  s = await state();
  assert.match(s.count, new RegExp(`^${total} .* ${total}$`), "Enter steps to the last");
  assert.ok(s.top >= 0 && s.top <= 900, `the current match is scrolled into view (${s.top})`);
  await page.keyboard.press("Enter");
  assert.match((await state()).count, new RegExp(`^1 .* ${total}$`), "and round to the first");
  await page.keyboard.press("Shift+Enter");
  assert.match((await state()).count, new RegExp(`^${total} .* ${total}$`), "Shift+Enter goes back");
  await page.click(".sahifa-find .find-next");
  assert.match((await state()).count, new RegExp(`^1 .* ${total}$`), "the ↓ button steps too");
  await page.click(".sahifa-find .find");
  await page.keyboard.press("Escape");
  assert.equal((await state()).all, 0, "Esc clears the search and its highlights");
  await context.close();
});

const PAGE = `<!doctype html><html><body><nav>قائمة</nav><article>
  <h1>بوتين يجمع وزيري خارجية أذربيجان وأرمينيا</h1>
  <p>استطاع أمس الرئيس الروسي فلاديمير بوتين جمع الوزيرين في موسكو.</p>
  <h2>مفاوضات جنيف</h2>
  <p>ووافق وزير خارجية أذربيجان على المشاركة في محادثات جنيف.</p>
</article></body></html>`;

const headings = (page) => page.$$eval(".sahifa-p", (ps) => ps.map((p) => [p.getAttribute("role"), p.getAttribute("aria-level"),
  getComputedStyle(p).fontWeight, p.textContent.slice(0, 12)]));

test("an opened .html article keeps its headings as headings (role, level, weight)", async () => {
  const { context, page } = await open();
  const chooser = page.waitForEvent("filechooser");
  await page.click(".sahifa-toolbar label.file");
  await (await chooser).setFiles({ name: "karabakh.html", mimeType: "text/html", buffer: Buffer.from(PAGE) });
  await page.waitForFunction(() => window.sahifa.text().startsWith("بوتين يجمع"));
  const h = await headings(page);
  assert.deepEqual(h.map((r) => r.slice(0, 2)), [["heading", "1"], [null, null], ["heading", "2"], [null, null]]);
  assert.equal(h[0][2], "700", "the headline looks like one");
  assert.equal(h[1][2], "400");
  await context.close();
});

test("pasting a copied web page (Ctrl+V with HTML on the clipboard) keeps its headings too", async () => {
  const { context, page } = await open();
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  await page.evaluate(async (html) => {
    await navigator.clipboard.write([new ClipboardItem({
      "text/html": new Blob([html], { type: "text/html" }),
      "text/plain": new Blob(["نص"], { type: "text/plain" }),
    })]);
  }, PAGE);
  await page.click(".sahifa-toolbar button[aria-expanded]");
  await page.click(".sahifa-paste textarea");
  await page.keyboard.press("Control+V");
  await page.waitForFunction(() => window.sahifa.text().startsWith("بوتين يجمع"));
  assert.deepEqual((await headings(page)).map((r) => r[0]), ["heading", null, "heading", null]);
  await context.close();
});
