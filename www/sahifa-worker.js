// Sahifa's extraction worker: the same wasm as the widget, instantiated in a module Web Worker, where it
// mounts nothing (see src/extractor.rs). The page first sends {module, data}: its compiled
// WebAssembly.Module, so the wasm is not downloaded or compiled again (without it the worker loads the wasm
// from beside this file), and the tagger's data files it has installed, as [[kind, bytes], …] (the wasm
// carries none; files installed later come as {data}). Then each {id, text} is answered with
// {id, annotations} (the core's annotation JSON, code-point offsets within text) or {id, error}, in the
// order the texts came, so a long article's groups stream back in order.
import init, { installData, workerExtract } from "./sahifa-widget.js";

let ready = null;
/** How many texts this worker has extracted (read by the end-to-end tests). */
self.sahifaExtracted = 0;

self.onmessage = async ({ data }) => {
  if (data.module) ready ??= init({ module_or_path: data.module });
  if (data.data) {
    ready ??= init({ module_or_path: new URL("./sahifa-widget_bg.wasm", import.meta.url) });
    await ready;
    // A refused file leaves this worker on the rules and gazetteers, as the page is.
    for (const [kind, bytes] of data.data) {
      try { installData(kind, bytes); } catch (e) { console.warn(String(e && e.message || e)); }
    }
  }
  if (data.text === undefined) return;
  try {
    ready ??= init({ module_or_path: new URL("./sahifa-widget_bg.wasm", import.meta.url) });
    await ready;
    const annotations = workerExtract(data.text);
    self.sahifaExtracted++;
    self.postMessage({ id: data.id, annotations });
  } catch (e) {
    self.postMessage({ id: data.id, error: String(e && e.message || e) });
  }
};
