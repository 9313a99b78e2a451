// Turns one run's measurements into the markdown table of bench/results.md.
//
//   node bench/report.mjs --criterion DIR --native FILE --browser FILE --machine TEXT [--smoke]
//
// DIR is Criterion's output folder (…/criterion) holding the `pipeline_*` groups of core/benches/pipeline.rs
// (extract, the tokenize floor, the tagger alone);
// FILE of --native holds JSON lines of core/examples/bench_extract.rs; FILE of --browser is bench/browser.mjs's
// output. Prints the report on stdout. Targets are checked and marked, never enforced.
import fs from "node:fs";
import path from "node:path";

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const SMOKE = args.includes("--smoke");
const native = Object.fromEntries(fs.readFileSync(opt("--native"), "utf8").trim().split("\n").map((l) => { const o = JSON.parse(l); return [o.name, o]; }));
const br = JSON.parse(fs.readFileSync(opt("--browser"), "utf8"));
const critDir = opt("--criterion");

const f0 = (x) => Math.round(x).toLocaleString("en-US");
const f1 = (x) => x.toFixed(1);
const f2 = (x) => x.toFixed(2);
const ms = (x) => (x === null || x === undefined || Number.isNaN(x)) ? "n/a" : (x >= 100 ? f0(x) : x >= 10 ? f1(x) : f2(x)) + " ms";
const kb = (b) => f1(b / 1000) + " kB";
const mtok = (tokPerS) => (tokPerS >= 1e6 ? f2(tokPerS / 1e6) + " M" : f0(tokPerS / 1e3) + " k") + " tokens/s";
const mbs = (bytes, msPer) => f2(bytes / 1e6 / (msPer / 1e3)) + " MB/s";
const verdict = (ok) => (ok ? "✅ met" : "❌ over");

function criterion(group, id) {
  try {
    const e = JSON.parse(fs.readFileSync(path.join(critDir, group, id, "new", "estimates.json"), "utf8"));
    return e.mean.point_estimate / 1e6; // ms per iteration
  } catch { return null; }
}

const rows = [];
const row = (bench, input, result, target = "", check = "") => rows.push([bench, input, result, target, check]);
const inputName = (n) => `${n.name === "seed" ? "seed" : "long (" + br.source + ")"}: ${f0(n.tokens)} tokens, ${kb(n.bytes)}`;

// Core throughput (criterion), with the tokenize floor from the same run.
for (const name of ["seed", "long"]) {
  const n = native[name];
  if (!n) continue;
  const ex = criterion("pipeline_extract", name), tk = criterion("pipeline_tokenize", name);
  if (ex === null || tk === null) {
    row("Core extract, native (criterion)", inputName(n), SMOKE ? "not timed (smoke: criterion --test mode)" : "missing criterion output");
    continue;
  }
  row("Core extract, native (criterion)", inputName(n), `${mtok(n.tokens / (ex / 1e3))}, ${mbs(n.bytes, ex)} (${ms(ex)} per run)`);
  row("Floor: tokenize alone, native (criterion)", inputName(n), `${mtok(n.tokens / (tk / 1e3))}, ${mbs(n.bytes, tk)}; extract takes ${f1(ex / tk)}× the floor`);
  const tg = criterion("pipeline_tagger", name);
  if (tg !== null) {
    const rate = n.tokens / (tg / 1e3);
    row("Tagger alone, native (criterion; both stages, one core)", inputName(n), `${mtok(rate)} (${ms(tg)} per run)`, "≥ 500 k tokens/s", verdict(rate >= 5e5));
  }
}

// wasm in Chromium vs native (the example binary), same run.
for (const w of br.wasm) {
  const n = native[w.name];
  const ratio = w.extract_ms / n.extract_ms;
  row("Extract in Chromium (wasm) vs native", inputName(n),
    `wasm ${mtok(w.tokens / (w.extract_ms / 1e3))} (${ms(w.extract_ms)}), native ${mtok(n.tokens / (n.extract_ms / 1e3))} (${ms(n.extract_ms)}): wasm/native ${f2(ratio)}×; ` +
    `tokenize floor ${f2(w.tokenize_ms / n.tokenize_ms)}×; same ${w.annotations === n.annotations ? "" : "NOT the same "}${w.annotations} annotations`,
    "≤ 2×", verdict(ratio <= 2));
}

// Load to highlights vs the static twin.
{
  const L = br.load.live, S = br.load.static;
  // Highlights are complete when ready has fired and every mark is in the DOM (whichever is later).
  const done = Math.max(L.ready, L.lastMark);
  const base = Number.isFinite(S.fcp) ? S.fcp : S.load;
  row(`Load → highlights vs static page (median of ${br.runs})`, "seed article",
    `live: first mark in DOM ${ms(L.firstMark)}, all marks ${ms(L.lastMark)}, ready event ${ms(L.ready)} (first paint ${ms(L.fcp)}, wasm downloaded ${ms(L.wasmFetched)}, wasm started and widget mounted ${ms(L.started)}` +
    (L.settled ? `; the tagger's data installed and its marks merged, settle() resolved, by ${ms(L.settled)}` : "") + `); ` +
    `static page with the same marks: marks parsed ${ms(S.firstMark)}, first paint ${ms(S.fcp)}, load event ${ms(S.load)}; ` +
    `live complete − static first paint = ${ms(done - base)} (− static load: ${ms(done - S.load)})`,
    "≤ 150 ms after static", verdict(done - base <= 150));
  row(`First highlight after the static page (median of ${br.runs}, alternating)`, "seed article",
    `first mark in DOM ${ms(L.firstMark)} − static first paint ${ms(base)} = ${ms(L.firstMark - base)}`,
    "≤ 100 ms", verdict(L.firstMark - base <= 100));
}

// Marks rendered ahead of time (sahifa render): highlights at first paint, then adopted by the widget.
if (br.rendered) {
  const R = br.rendered.live, S = br.rendered.static;
  row(`Rendered marks (demo-rendered.html) vs the same page without script (median of ${br.runs})`, "seed article",
    `with the widget: first mark in DOM ${ms(R.firstMark)}, first paint ${ms(R.fcp)}, widget ready (marks adopted, editable) ${ms(R.ready)}; ` +
    `without script: first mark ${ms(S.firstMark)}, first paint ${ms(S.fcp)}; first highlight − static's = ${ms(R.firstMark - S.firstMark)}`,
    "no later than static (±5 ms noise)", verdict(R.firstMark <= S.firstMark + 5));
  if (br.rendered.shiftPx !== undefined)
    row("Rendered marks: the first mark's move when the widget mounts (median)", "seed article",
      `${br.rendered.shiftPx.toFixed(1)} px${br.rendered.maxShiftPx !== undefined ? ` (at most ${br.rendered.maxShiftPx.toFixed(1)} px in any load)` : ""}; layout-shift score with the widget ${R.cls.toFixed(3)}, without script ${S.cls.toFixed(3)}`,
      "~0 px", verdict(Math.abs(br.rendered.shiftPx) <= 2));
}

// A news page (demo-news.html): sahifa.js paints the host's article with the paint module first (issue 18).
if (br.news) {
  const N = br.news, L = N.live, S = N.static;
  const kb = (b) => `${(b / 1000).toFixed(1)} kB`;
  row(`News page: bytes before the first highlight, gzip -9 (${N.page})`, "demo article",
    `${kb(N.beforeFirstMarkGzip)} of ${kb(N.totalGzip)}: ${N.download.filter((f) => f.beforeFirstMark).map((f) => `${f.file} ${kb(f.gzip)}`).join(", ")}`,
    "≤ 500 kB", verdict(N.beforeFirstMarkGzip <= 500_000));
  row(`News page: first highlight after its static twin (median of ${br.runs}, alternating)`, "demo article",
    `first mark ${ms(L.firstMark)} (painted in ${N.painted} of ${br.runs} loads), widget ready ${ms(L.ready)}; static first paint ${ms(S.fcp)}; ` +
    `median difference ${ms(N.firstMarkAfterStaticFcp)}; the first mark moved ${L.shiftPx.toFixed(1)} px when the widget took over` +
    (L.settledShiftPx !== undefined ? `, ${L.settledShiftPx.toFixed(1)} px with the tagger's marks in (at most ${N.maxShiftPx.toFixed(1)} px in any load)` : ""),
    "≤ 100 ms", verdict(N.firstMarkAfterStaticFcp <= 100));
}

// Scaling.
const sc = Object.fromEntries(br.scaling.map((s) => [s.label, s]));
for (const s of br.scaling) {
  const nat = native[s.file];
  const how = { embed: "embedded mountElement (shadow root)", "page-main": "mount, extraction kept on the main thread" }[s.mode] || "mount";
  row(`Scaling: ${how} → highlights (median of ${s.raw.length})`, `${f0(s.words)} words, ${f0(s.marks)} marks`,
    `first mark ${ms(s.firstMarkMs)}, all marks ${ms(s.allMarksMs)}, ready event ${ms(s.readyMs)}` + (s.extractMs === null ? "" : `; extraction alone: wasm ${ms(s.extractMs)}` +
    (nat ? `, native ${ms(nat.extract_ms)}` : "")) + `; longest main-thread task (max of runs) ${s.longestTaskMs ? ms(s.longestTaskMs) : "< 50 ms (none reported)"}` +
    (s.longestTaskCpuMs === undefined ? "" : `; in CPU time (traced run) ${ms(s.longestTaskCpuMs)}, ${s.tasksOver50CpuMs} task(s) over 50 ms`) +
    (s.blockingMs === undefined ? "" : `, total blocking time (median) ${ms(s.blockingMs)}`) +
    `; fetched for the mount: ${s.raw[0].fetched?.length ? s.raw[0].fetched.map((f) => `${f.file} ${kb(f.gzip)}`).join(", ") : "nothing"}`);
}
if (sc["10k"] && sc["100k"]) {
  const done = (x) => Math.max(x.readyMs, x.allMarksMs);
  const r = done(sc["100k"]) / done(sc["10k"]), e = sc["100k"].extractMs / sc["10k"].extractMs;
  row("Scaling: 100k ÷ 10k words", "", `mount → all marks and ready ${f1(r)}×, wasm extraction ${f1(e)}×`, "≤ 12×", verdict(Math.max(r, e) <= 12));
  const names = { "100k": "", "100k embed": " embedded", "100k main thread": ", no worker (file://, Trusted Types)" };
  for (const label of Object.keys(names)) {
    const s = sc[label];
    if (!s) continue;
    const lt = s.longestTaskMs, cpu = s.longestTaskCpuMs;
    row(`Longest main-thread task, 100k words${names[label]}`, "",
      `wall ${lt ? ms(lt) : "< 50 ms"} (max of runs); CPU ${cpu === undefined ? "n/a" : ms(cpu)} (traced run)`, "≤ 50 ms", verdict(!lt || lt <= 50));
  }
}

// Interaction.
{
  const i = br.interaction;
  row(`addAnnotation → mark in DOM (median of ${i.adds})`, `${f0(i.words)} words, ${f0(i.marks)} marks`,
    `${ms(i.medianMs)} (max ${ms(i.maxMs)}; to the next frame ${ms(i.medianNextFrameMs)})` +
    (i.medianCpuMs === undefined ? "" : `; CPU of the adding task ${ms(i.medianCpuMs)} (max ${ms(i.maxCpuMs)})`), "≤ 8 ms median", verdict(i.medianMs <= 8));
  if (i.callMaxMs !== undefined) {
    row(`the edit's main-thread task: addAnnotation with propagation to the other mentions (median of ${i.adds})`,
      `${f0(i.words)} words`, `${ms(i.callMedianMs)} (max ${ms(i.callMaxMs)})`, "< 50 ms", verdict(i.callMaxMs < 50));
  }
  if (i.settleMaxMs !== undefined) {
    row(`then re-suggestion by what the tagger learned, to settle() (median of ${i.adds}); its longest main-thread task`,
      `${f0(i.words)} words`, `${ms(i.settleMedianMs)} (max ${ms(i.settleMaxMs)}); longest task ${i.settleLongestTaskMs ? ms(i.settleLongestTaskMs) : "none over 50 ms"}` +
        (i.longestCpuAfterAddMs === undefined ? "" : `; by CPU (traced), longest task from the first add on ${ms(i.longestCpuAfterAddMs)}, ${i.tasksOver50CpuAfterAdd} over 50 ms`),
      "task < 50 ms", verdict(i.settleLongestTaskMs < 50));
  }
}

// Download.
{
  const d = br.download;
  const total = d.reduce((a, f) => a + f.gzip, 0);
  const byKind = {};
  for (const f of d) byKind[f.kind] = (byKind[f.kind] || 0) + f.gzip;
  const parts = Object.entries(byKind).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${kb(v)}`).join(", ");
  row("Download, gzip -9 of every response", `${d.length} files, ${kb(d.reduce((a, f) => a + f.bytes, 0))} raw`, `${kb(total)}: ${parts}`, "< 800 kB", verdict(total < 800_000));
  // Everything a page ever downloads: the seed page's files and what a long article's mount adds (the worker).
  const extra = br.scaling.find((x) => x.label === "100k")?.raw[0].fetched || [];
  const ever = total + extra.reduce((a, f) => a + f.gzip, 0);
  row("Everything a page downloads, gzip -9 (the above and what a 100k-word article's mount adds)", "",
    `${kb(ever)}` + (extra.length ? ` (+ ${extra.map((f) => `${f.file} ${kb(f.gzip)}`).join(", ")})` : ""), "≤ 1.2 MB", verdict(ever <= 1_200_000));
  const first = d.filter((f) => f.beforeFirstMark);
  const firstGz = first.reduce((a, f) => a + f.gzip, 0);
  row("Bytes before the first highlight, gzip -9 (responses ended before the first mark)", "seed article",
    `${kb(firstGz)}: ${first.map((f) => `${f.file} ${kb(f.gzip)}`).join(", ")}`, "≤ 500 kB", verdict(firstGz <= 500_000));
}

const esc = (s) => String(s).replace(/\|/g, "\\|");
const table = ["| Benchmark | Input | Result | Target | |", "|---|---|---|---|---|", ...rows.map((r) => "| " + r.map(esc).join(" | ") + " |")].join("\n");
const when = new Date().toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
console.log(`${SMOKE ? "Smoke run (every harness once on tiny inputs; figures meaningless)" : "Benchmarks"} — ${when}\n\n` +
  `Machine: ${opt("--machine", "unknown")}; Chromium ${br.chromium}. Command: \`scripts/bench.sh\`.\n\n${table}\n\n` +
  `kB = 1000 bytes. Long article and scaling inputs: ${br.source === "anercorp-train" ? "ANERcorp training text as running text" : "the seed article repeated (ANERcorp not found)"}.\n`);
