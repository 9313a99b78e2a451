// The README's screenshots, taken from dist/ (see scripts/screenshots.sh): the standalone page on a desktop
// and a phone, the widget embedded in the demo news page, and the English interface with a card open.
// Viewport-sized PNGs at 1× (small files), taken once the marks are shown and the fonts loaded.
//   node tests/e2e/screenshots.mjs OUT_DIR
import path from "node:path";
import fs from "node:fs";
import { serve, launch } from "./harness.mjs";

const out = path.resolve(process.argv[2] || "docs/screenshots");
fs.mkdirSync(out, { recursive: true });
const server = await serve();
const browser = await launch();

const SHOTS = [
  { file: "desktop.png", url: "/index.html", viewport: { width: 1280, height: 900 } },
  { file: "phone.png", url: "/index.html", viewport: { width: 390, height: 844 }, mobile: true },
  { file: "embedded.png", url: "/demo-news.html", viewport: { width: 1280, height: 900 }, embedded: true },
  { file: "english-card.png", url: "/index.html?lang=en", viewport: { width: 1280, height: 900 }, card: true },
];

try {
  for (const s of SHOTS) {
    const context = await browser.newContext({
      viewport: s.viewport, deviceScaleFactor: 1, isMobile: !!s.mobile, hasTouch: !!s.mobile, colorScheme: "light",
    });
    const page = await context.newPage();
    await page.goto(server.url + s.url);
    if (s.embedded) {
      await page.waitForFunction(() => { const el = document.querySelector("[data-sahifa]");
        return el?.sahifa?.entities().length > 0 && !el.querySelector(":scope > [data-sahifa-painted]"); });
    } else {
      await page.waitForFunction(() => window.sahifa?.entities && !document.querySelector("[data-sahifa-painted]") && document.querySelectorAll("mark[data-id]").length > 20);
    }
    if (s.card) await page.click("mark[data-source=extractor]");
    await page.evaluate(() => document.fonts.ready);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: path.join(out, s.file) });
    await context.close();
    console.log(`${s.file}: ${fs.statSync(path.join(out, s.file)).size} bytes`);
  }
} finally {
  await browser.close();
  await server.close();
}
