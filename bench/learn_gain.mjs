// The learning gain through the real JS API, in the page: issue 19's protocol on documents exported by the
// native measurement (`core/examples/learn_gain.rs --export FILE`), to show its figure holds in the widget.
// For each document, a fresh browser context (nothing learned or saved before) mounts the widget on the
// text, waits for its suggestions (`ready`, `settle()`), and scores those on the rest of the document; then,
// line by line over the first third, accepts each PER/LOC/ORG suggestion that matches the gold exactly,
// rejects the others, and adds each gold name still missing (`accept`, `reject`, `addAnnotation`); scores
// the rest again right after the edits (propagation) and after `await settle()` (online learning and the
// re-suggestion). PER LOC ORG exact spans, micro and per type, pooled over the documents.
//   cargo run --release -p sahifa-core --example learn_gain -- --max-docs 8 --export /tmp/learn-docs.jsonl
//   node bench/learn_gain.mjs /tmp/learn-docs.jsonl          (dist/ from `trunk build --release --offline`)
// The page runs the shipped model, so compare with the native run without `--model` on the same documents.
import { serve, launch, openPage } from "../tests/e2e/harness.mjs";
import fs from "node:fs";

const TYPES = ["PER", "LOC", "ORG"];
const docs = fs.readFileSync(process.argv[2], "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
const server = await serve();
const browser = await launch();
const zero = () => Object.fromEntries(TYPES.map((t) => [t, { tp: 0, fp: 0, fn: 0 }]));
const totals = { before: zero(), edits: zero(), settled: zero() };
const errorsSeen = [];

for (const doc of docs) {
  const { page, context, errors } = await openPage(browser, server.url + "/index.html");
  await page.waitForFunction(() => window.sahifa);
  const r = await page.evaluate(async (doc) => {
    const { mount } = await import("./sahifa.js");
    const el = document.createElement("section");
    document.body.append(el);
    const w = await mount(el, { text: doc.text, storageKey: "learn-gain" });
    await new Promise((r) => w.on("ready", r));
    await w.settle();
    const key = (s, e, t) => `${s}:${e}:${t}`;
    const gold = new Set(doc.gold.map(([s, e, t]) => key(s, e, t)));
    const marks = () => w.entities().filter((e) => e.start >= doc.scored_from && e.status !== "rejected")
      .map((e) => [e.start, e.end, e.type]);
    const before = marks();
    const open = (id) => w.entities().some((e) => e.id === id && e.source === "extractor" && e.status !== "accepted" && e.status !== "rejected");
    for (const [ls, le] of doc.acted_lines) {
      const suggested = w.entities().filter((e) => e.start >= ls && e.end <= le && e.source === "extractor" &&
        e.status !== "accepted" && e.status !== "rejected" && ["PER", "LOC", "ORG"].includes(e.type));
      for (const e of suggested) {
        if (!open(e.id)) continue;
        if (gold.has(key(e.start, e.end, e.type))) w.accept(e.id); else w.reject(e.id);
      }
      for (const [s, e, t] of doc.gold.filter(([s, e]) => s >= ls && e <= le)) {
        const there = w.entities().some((x) => x.start === s && x.end === e && x.type === t && x.source === "user");
        if (!there) { try { w.addAnnotation({ start: s, end: e, type: t }); } catch (_) { /* as the native run: a refused add changes nothing */ } }
      }
    }
    const edits = marks();
    await w.settle();
    return { before, edits, settled: marks() };
  }, doc);
  for (const [name, pred] of Object.entries(r)) {
    for (const t of TYPES) {
      const g = new Set(doc.gold.filter(([s, , ty]) => s >= doc.scored_from && ty === t).map((x) => x.join(":")));
      const p = new Set(pred.filter(([, , ty]) => ty === t).map((x) => x.join(":")));
      const tp = [...p].filter((x) => g.has(x)).length;
      totals[name][t].tp += tp; totals[name][t].fp += p.size - tp; totals[name][t].fn += g.size - tp;
    }
  }
  errorsSeen.push(...errors);
  await context.close();
}

const f1 = (c) => (c.tp ? 200 * c.tp / (2 * c.tp + c.fp + c.fn) : 0);
const pct = (a, b) => (b ? 100 * a / b : 0);
console.log(`${docs.length} documents; PER/LOC/ORG names scored: ${Object.values(totals.before).reduce((n, c) => n + c.tp + c.fn, 0)}`);
console.log("| suggestions on the rest (page) | P | R | micro F1 | PER F1 | LOC F1 | ORG F1 |");
console.log("| --- | --- | --- | --- | --- | --- | --- |");
const names = { before: "before", edits: "after the edits (propagation)", settled: "after `settle()` (+ online learning)" };
for (const [name, per] of Object.entries(totals)) {
  const m = Object.values(per).reduce((a, c) => ({ tp: a.tp + c.tp, fp: a.fp + c.fp, fn: a.fn + c.fn }), { tp: 0, fp: 0, fn: 0 });
  console.log(`| ${names[name]} | ${pct(m.tp, m.tp + m.fp).toFixed(2)} | ${pct(m.tp, m.tp + m.fn).toFixed(2)} | ${f1(m).toFixed(2)} | ` +
    TYPES.map((t) => f1(per[t]).toFixed(2)).join(" | ") + " |");
}
const micro = (per) => f1(Object.values(per).reduce((a, c) => ({ tp: a.tp + c.tp, fp: a.fp + c.fp, fn: a.fn + c.fn }), { tp: 0, fp: 0, fn: 0 }));
console.log(`gain: ${(micro(totals.settled) - micro(totals.before)).toFixed(2)} points of micro F1`);
if (errorsSeen.length) console.log("console errors:", errorsSeen.slice(0, 5));
await browser.close();
await server.close();
