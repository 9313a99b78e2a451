// Which code runs in each long main-thread task while a long article is mounted (issue 18: no task over
// 50 ms), and with --adds N in the tasks that then add annotations to it (`addAnnotation` ≤ 8 ms). Mounts
// the article as bench/browser.mjs's `scaling` part does, traced with the V8 sampling profiler, and prints
// every main-thread task over --min ms of CPU or wall: its wall and CPU time, the trace events inside it
// (timers, messages, layout, paint, GC) and the functions the profiler saw most in it.
// A build without wasm-opt keeps the wasm functions' names (`data-wasm-opt="0"` in a copy of index.html).
//
//   node bench/tasks.mjs --dist DIR [--text FILE] [--mode page|embed|page-main] [--min MS] [--minwall MS]
//                        [--runs N] [--noprofile] [--adds N]
//
// A diagnostic, not a benchmark: it reports, asserts nothing and is not part of scripts/bench.sh's table.
import fs from "node:fs";
import path from "node:path";
import { serve, launch, openPage } from "../tests/e2e/harness.mjs";
import { MOUNT } from "./mount.mjs";

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const DIST = path.resolve(opt("--dist", "dist"));
const TEXT = path.resolve(opt("--text", "bench/.out/texts/words-100k.txt"));
const MODE = opt("--mode", "page");
const MIN = +opt("--min", 15);
const RUNS = +opt("--runs", 1);
const ADDS = +opt("--adds", 0);

const SITE = path.resolve("bench/.out/site-tasks");
fs.rmSync(SITE, { recursive: true, force: true });
fs.cpSync(DIST, SITE, { recursive: true });
fs.copyFileSync(TEXT, path.join(SITE, "article.txt"));

const MAIN_EVENTS = ["TimerFire", "EventDispatch", "FunctionCall", "RunMicrotasks", "v8.evaluateModule", "ParseHTML",
  "UpdateLayoutTree", "Layout", "PrePaint", "Paint", "Layerize", "Commit", "MinorGC", "MajorGC", "BlinkGC.AtomicPhase",
  "V8.GC_SCAVENGER", "V8.GC_MARK_COMPACTOR", "FireAnimationFrame", "HitTest", "ScheduleStyleRecalculation"];

function analyse(buffer) {
  const ev = JSON.parse(buffer.toString()).traceEvents;
  const mains = new Set(ev.filter((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain").map((e) => `${e.pid}:${e.tid}`));
  const key = (e) => `${e.pid}:${e.tid}`;
  const busy = {};
  for (const t of ev) if (t.name === "RunTask" && t.ph === "X" && mains.has(key(t))) busy[key(t)] = (busy[key(t)] || 0) + t.dur;
  const main = Object.entries(busy).sort((a, b) => b[1] - a[1])[0]?.[0];
  const onMain = ev.filter((e) => key(e) === main);
  const tasks = onMain.filter((e) => e.name === "RunTask" && e.ph === "X").sort((a, b) => a.ts - b.ts);
  // The sampling profiler's samples on the main thread: [timestamp, stack of function names].
  const nodes = new Map(), samples = [];
  const profiles = new Map(ev.filter((e) => e.name === "Profile" && key(e) === main).map((e) => [e.id, e.args.data.startTime]));
  const clock = new Map();
  for (const e of ev.filter((x) => x.name === "ProfileChunk" && profiles.has(x.id))) {
    const cp = e.args.data.cpuProfile || {};
    for (const n of cp.nodes || []) nodes.set(`${e.id}:${n.id}`, { name: n.callFrame.functionName || `(${(n.callFrame.url || "").split("/").pop() || "anon"})`, parent: n.parent ? `${e.id}:${n.parent}` : null });
    let t = clock.get(e.id) ?? profiles.get(e.id);
    const deltas = e.args.data.timeDeltas || [];
    (cp.samples || []).forEach((s, i) => { t += deltas[i] || 0; samples.push([t, `${e.id}:${s}`]); });
    clock.set(e.id, t);
  }
  samples.sort((a, b) => a[0] - b[0]);
  const stack = (id) => { const s = []; for (let n = nodes.get(id); n; n = nodes.get(n.parent)) s.push(n.name); return s; };
  const t0 = tasks[0]?.ts ?? 0;
  const rows = [];
  for (const t of tasks) {
    const wall = t.dur / 1000, cpu = (t.tdur ?? t.dur) / 1000;
    if (cpu < MIN && wall < (+opt("--minwall", 1e9))) continue;
    const inside = onMain.filter((e) => e.ph === "X" && e.ts >= t.ts && e.ts + (e.dur || 0) <= t.ts + t.dur && e !== t);
    // The tasks that add an annotation (--adds) hold its console.timeStamp, an instant event.
    const adds = onMain.some((e) => e.name === "TimeStamp" && e.args?.data?.message === "sahifa-add" && e.ts >= t.ts && e.ts <= t.ts + t.dur);
    const by = {};
    for (const e of inside) if (args.includes("--all-events") || MAIN_EVENTS.includes(e.name)) by[e.name] = (by[e.name] || 0) + e.dur / 1000;
    const leaf = {}, wasmTop = {};
    let n = 0;
    for (const [ts, id] of samples) {
      if (ts < t.ts || ts > t.ts + t.dur) continue;
      n++;
      const s = stack(id);
      leaf[s[0]] = (leaf[s[0]] || 0) + 1;
      // The outermost few named frames below the root: which entry point the task runs.
      // Inclusive counts of the project's own functions (each once per sample): where the task's time goes.
      for (const f of new Set(s.filter((x) => /sahifa_|yew::(scheduler|dom_bundle::blist)/.test(x)))) {
        const name = f.replace(/::h[0-9a-f]{16}$/, "");
        wasmTop[name] = (wasmTop[name] || 0) + 1;
      }
    }
    const top = (o, k) => Object.entries(o).sort((a, b) => b[1] - a[1]).slice(0, k);
    rows.push({ at: ((t.ts - t0) / 1000).toFixed(0), wall: wall.toFixed(1), cpu: cpu.toFixed(1), adds,
      events: top(by, +opt("--events", 8)).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(", "),
      leaf: top(leaf, 8).map(([k, v]) => `${k} ${v}`).join(", "), entry: top(wasmTop, +opt("--top", 12)).map(([k, v]) => `${v}: ${k}`).join("\n        "), samples: n });
  }
  const cpus = tasks.map((t) => (t.tdur ?? t.dur) / 1000), walls = tasks.map((t) => t.dur / 1000);
  return { rows, tasks: tasks.length, maxCpu: Math.max(...cpus), maxWall: Math.max(...walls) };
}

const server = await serve(SITE);
const browser = await launch();
try {
  for (let run = 0; run < RUNS; run++) {
    const { page, context } = await openPage(browser);
    await context.addInitScript(MOUNT);
    page.setDefaultTimeout(180_000);
    await page.goto(server.url + "/index.html");
    await page.waitForFunction(() => window.wasmBindings && window.sahifa?.entities);
    await page.evaluate(() => window.sahifa.settle());
    // --noprofile: the timeline alone, so that CPU times are not inflated by the sampling profiler.
    await browser.startTracing(page, { categories: ["devtools.timeline", "disabled-by-default-devtools.timeline",
      ...(args.includes("--noprofile") ? [] : ["disabled-by-default-v8.cpu_profiler", "v8"])] });
    const r = await page.evaluate(async (mode) => {
      const text = await (await fetch("article.txt")).text();
      const longtasks = [];
      const po = new PerformanceObserver((l) => longtasks.push(...l.getEntries().map((e) => e.duration)));
      po.observe({ type: "longtask" });
      const host = document.createElement("div");
      document.body.append(host);
      const ready = new Promise((res) => host.addEventListener("sahifa:ready", () => res(performance.now()), { once: true }));
      let root;
      const t0 = await new Promise((res) => setTimeout(() => {
        root = window.__benchMount(mode, host, text);
        res(performance.now());
      }, 0));
      const tReady = await ready;
      const marks = root.getElementsByTagName("mark");
      for (let seen = -1, since = performance.now(); ;) {
        await new Promise((r) => setTimeout(r, 20));
        if (marks.length !== seen) { seen = marks.length; since = performance.now(); } else if (performance.now() - since >= 300) break;
      }
      po.disconnect();
      return { readyMs: tReady - t0, marks: marks.length, entities: window.__inst.entities().length, longtasks };
    }, MODE);
    // --adds N: then N annotations added as bench/browser.mjs's `interaction` part adds them (unmarked words
    // spread over the article), traced on their own: each adding task is printed with "adds".
    if (ADDS > 0) {
      await browser.stopTracing();
      await browser.startTracing(page, { categories: ["devtools.timeline", "disabled-by-default-devtools.timeline",
        ...(args.includes("--noprofile") ? [] : ["disabled-by-default-v8.cpu_profiler", "v8"])] });
      await page.evaluate(async (adds) => {
        const host = document.body.lastElementChild;
        const text = await (await fetch("article.txt")).text();
        const picks = window.__unmarkedWords(host, text, adds);
        for (const [start, end] of picks) {
          console.timeStamp("sahifa-add");
          window.__inst.addAnnotation({ start, end, type: "PER" });
          await window.__inst.settle();
          await new Promise((r) => setTimeout(r, 50));
        }
      }, ADDS);
    }
    const a = analyse(await browser.stopTracing());
    console.log(`run ${run + 1} (${MODE}): ${r.marks} marks (${r.entities} entities), ready ${r.readyMs.toFixed(0)} ms, ${a.tasks} tasks, longest wall ${a.maxWall.toFixed(1)} / CPU ${a.maxCpu.toFixed(1)} ms; longtask entries: ${r.longtasks.map((d) => d.toFixed(0)).join(" ") || "none"}`);
    for (const row of a.rows) {
      console.log(`  @${row.at} ms${row.adds ? "  adds" : ""}  wall ${row.wall}  cpu ${row.cpu}  [${row.events}]  samples ${row.samples}`);
      console.log(`      leaf: ${row.leaf}`);
      console.log(`      entry: ${row.entry}`);
    }
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
