// The in-page mount the scaling benchmarks share (bench/browser.mjs's `scaling`, bench/tasks.mjs), installed
// with context.addInitScript(MOUNT): window.__benchMount(mode, host, text) mounts a widget on `text` in `host`
// and returns the element holding its marks. Modes: "page", the standalone page's own mount (mount_into,
// light DOM, via the bench_mount export); "embed", the embedding path (mountElement, which sahifa.js's
// mount(element, {text}) calls: a shadow root); "page-main", the page's mount with extraction kept on the
// main thread (as on file:// or under Trusted Types). The instance is window.__inst.
// window.__unmarkedWords(host, text, n): n unmarked words of 3+ letters spread over the article, as [start,
// end) code points: where the `interaction` part (bench/browser.mjs) and `--adds` (bench/tasks.mjs) add marks.
export const MOUNT = `
  window.__benchMount = (mode, host, text) => {
    const w = window.wasmBindings;
    if (mode === "page-main") w.setWorkerUrl(null);
    if (mode === "embed") {
      window.__inst = w.mountElement(host, { text });
      return host.querySelector("[data-sahifa-container]").shadowRoot.querySelector(".sahifa-shadow");
    }
    window.__inst = w.bench_mount(host, text);
    return host;
  };
  window.__unmarkedWords = (host, text, n) => {
    const cps = Array.from(text);
    const covered = new Uint8Array(cps.length);
    for (const m of host.querySelectorAll("mark[data-start]")) covered.fill(1, +m.dataset.start, +m.dataset.end);
    const words = [];
    for (let i = 0; i < cps.length;) {
      if (/\\s/.test(cps[i])) { i++; continue; }
      let j = i; while (j < cps.length && !/\\s/.test(cps[j])) j++;
      if (j - i >= 3 && /\\p{L}/u.test(cps[i]) && /\\p{L}/u.test(cps[j - 1]) && !covered.subarray(i, j).some((x) => x)) words.push([i, j]);
      i = j;
    }
    return Array.from({ length: n }, (_, k) => words[Math.floor((k + 0.5) * words.length / n)]);
  };
`;
