// The cost of learning from the annotator, in the page: mounts a widget on an article (dist/ from
// `trunk build --release --offline`), adds PER on 11 unmarked words of 3+ letters spread over it (as the
// interaction benchmark in browser.mjs picks them; common words, so propagation and learning have the
// most to do), and after each add times the edit's own call (reducer, propagation), then `settle()` (the
// learning and the re-suggestion of the unreviewed text, a group of paragraphs a task), recording every
// main-thread task over 50 ms meanwhile (PerformanceObserver "longtask").
//   node bench/learn.mjs ARTICLE.txt [DIST]   e.g. core/assets/seed-article-ar.txt or bench/.out/texts/words-20k.txt;
//                                            DIST: a built dist/ other than the checkout's (an A/B of two builds)
import { serve, launch, openPage } from "../tests/e2e/harness.mjs";
import fs from "node:fs";
import path from "node:path";
const text = fs.readFileSync(process.argv[2], "utf8");
const server = await serve(...(process.argv[3] ? [path.resolve(process.argv[3])] : [])); const browser = await launch();
const { page } = await openPage(browser, server.url + "/index.html");
await page.waitForFunction(() => window.sahifa?.entities);
const r = await page.evaluate(async (text) => {
  const { mount } = await import("./sahifa.js");
  const el = document.createElement("section"); document.body.append(el);
  const w = await mount(el, { text, storageKey: "measure" });
  await new Promise((r) => w.on("ready", r)); await w.settle();
  await new Promise((r) => setTimeout(r, 500));
  const cps = Array.from(text); const covered = new Uint8Array(cps.length);
  for (const e of w.entities()) covered.fill(1, e.start, e.end);
  const words = [];
  for (let i = 0; i < cps.length;) { if (/\s/.test(cps[i])) { i++; continue; } let j = i; while (j < cps.length && !/\s/.test(cps[j])) j++;
    if (j - i >= 3 && /\p{L}/u.test(cps[i]) && /\p{L}/u.test(cps[j - 1]) && !covered.subarray(i, j).some((x) => x)) words.push([i, j]); i = j; }
  const adds = 11; const picks = Array.from({ length: adds }, (_, k) => words[Math.floor((k + 0.5) * words.length / adds)]);
  const calls = [], settles = [], tasks = [];
  const po = new PerformanceObserver((l) => tasks.push(...l.getEntries().map((e) => e.duration))); po.observe({ type: "longtask" });
  for (const [start, end] of picks) {
    const t0 = performance.now(); w.addAnnotation({ start, end, type: "PER" }); calls.push(performance.now() - t0);
    const s0 = performance.now(); await w.settle(); settles.push(performance.now() - s0);
    await new Promise((r) => setTimeout(r, 100));
  }
  po.disconnect();
  const med = (a) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)];
  return { marks: w.entities().length, callMed: med(calls), callMax: Math.max(...calls), settleMed: med(settles), settleMax: Math.max(...settles), longest: Math.max(0, ...tasks), nLong: tasks.length };
}, text);
console.log(JSON.stringify(r));
await browser.close(); await server.close();
