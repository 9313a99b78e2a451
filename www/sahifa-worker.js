// Sahifa's extraction worker: the same wasm as the widget, instantiated in a module Web Worker, where it
// mounts nothing (see src/extractor.rs). The page sends {id, text}; the reply is {id, annotations} (the
// core's annotation JSON, code-point offsets within text) or {id, error}. Messages are answered in the
// order they come, so a long article's groups stream back in order. Loaded from beside this file.
import init, { workerExtract } from "./sahifa-widget.js";

const ready = init({ module_or_path: new URL("./sahifa-widget_bg.wasm", import.meta.url) });
/** How many texts this worker has extracted (read by the end-to-end tests). */
self.sahifaExtracted = 0;

self.onmessage = async ({ data }) => {
  try {
    await ready;
    const annotations = workerExtract(data.text);
    self.sahifaExtracted++;
    self.postMessage({ id: data.id, annotations });
  } catch (e) {
    self.postMessage({ id: data.id, error: String(e && e.message || e) });
  }
};
