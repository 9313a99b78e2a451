// The in-page mount the scaling benchmarks share (bench/browser.mjs's `scaling`, bench/tasks.mjs), installed
// with context.addInitScript(MOUNT): window.__benchMount(mode, host, text) mounts a widget on `text` in `host`
// and returns the element holding its marks. Modes: "page", the standalone page's own mount (mount_into,
// light DOM, via the bench_mount export); "embed", the embedding path (mountElement, which sahifa.js's
// mount(element, {text}) calls: a shadow root); "page-main", the page's mount with extraction kept on the
// main thread (as on file:// or under Trusted Types). The instance is window.__inst.
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
`;
