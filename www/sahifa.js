// Sahifa for news pages: one ES module. A page adds
//   <script type="module" src=".../sahifa.js"></script>
// and marks its article with `data-sahifa`; the widget annotates that article in place. From code:
//   import { mount } from ".../sahifa.js";
//   const w = await mount(element, { text, readOnly, storageKey, labels });   // every option optional
// Options may also be given as `data-sahifa-readonly`, `data-sahifa-storage-key`, `data-sahifa-labels` (JSON).
// The wasm, the glue, the extraction worker, the gazetteer's automata and the tagger's data (tagger/*.bin)
// and the fonts are loaded from beside this file; nothing else is fetched. Until the widget's wasm is in, a
// host's own article is first painted by the small first-highlight module (sahifa-paint*, with the automata)
// and the widget adopts those marks (see paintHost). The automata (tagger/gazetteer.bin)
// come with the wasm: no widget extracts before they are installed. The tagger's data comes after the wasm,
// in parallel with the first render and highlight (the lists' and rules' marks); its marks are merged in when it is installed. A host whose
// Content-Security-Policy sets connect-src must allow this file's origin ('self' when served with the page).
// A failure (a bad option, a wasm that cannot load) shows a message in the element and never throws into
// the page's own scripts: `mount` rejects its promise with an Error, auto-mount logs it.
const here = (file) => new URL(file, import.meta.url).href;
let loading;

/** The tagger's four files (src/tagger_data.rs), fetched once for every widget, once the wasm is in: they
 *  download while the first widget renders, and never compete with the wasm the first highlight waits for. */
const DATA = ["model", "lexicon", "clusters", "names"];
const DATA_FILES = { model: "anercorp.bin", lexicon: "lexicon.bin", clusters: "clusters.bin", names: "names.bin" };
let data;
function fetchData() {
  data ??= DATA.map((kind) => fetch(here(`./tagger/${DATA_FILES[kind]}`)).then(async (r) => {
    if (!r.ok) throw new Error(`${r.url}: HTTP ${r.status}`);
    return [kind, new Uint8Array(await r.arrayBuffer())];
  }));
  for (const file of data) file.catch(() => { /* handled in installData, once the glue is there */ });
  return data;
}

/** The gazetteer's automata (src/tagger_data.rs), fetched once for every widget, with the wasm: every
 *  extraction needs them. Resolves to the bytes, or rejects with why they could not be fetched. */
let lists;
function fetchLists() {
  lists ??= fetch(here("./tagger/gazetteer.bin")).then(async (r) => {
    if (!r.ok) throw new Error(`${r.url}: HTTP ${r.status}`);
    return new Uint8Array(await r.arrayBuffer());
  });
  return lists;
}

/** Installs the automata before any widget mounts; without them (a 404, a refused file) the widgets
 *  mount with empty lists and say the data is unavailable. Never throws. */
async function installLists(glue) {
  try {
    glue.installData("gazetteer", await fetchLists());
  } catch (e) {
    glue.dataUnavailable(String(e && e.message || e), "gazetteer");
  }
}

/** Installs each file as it arrives; the first failure (a 404, a refused connection) tells the widgets
 *  that the tagger's marks will not come. Never throws. */
function installData(glue) {
  for (const file of fetchData()) {
    file.then(([kind, bytes]) => glue.installData(kind, bytes))
      .catch((e) => glue.dataUnavailable(String(e && e.message || e)));
  }
}

/** The first-highlight module (paint/, issue 18: rules and gazetteers and the DOM contract's render, about
 *  64 kB gzipped against the widget's 630), loaded once with the automata it shares with the widget (the
 *  same bytes, fetched once). Resolves to the module, or to null when it cannot be loaded (a 404, a page
 *  that refuses it): the page then works without it, the widget extracting as before. */
let painter;
function loadPainter() {
  if (painter) return painter;
  // The module's wasm is fetched beside its glue, not after it: a news page has no preload for either.
  const wasm = fetch(here("./sahifa-paint_bg.wasm"));
  wasm.catch(() => { /* the glue's init reports it */ });
  painter = Promise.all([import("./sahifa-paint.js"), fetchLists()]).then(async ([paint, bytes]) => {
    await paint.default({ module_or_path: wasm });
    paint.installLists(bytes);
    return paint;
  }).catch((e) => {
    console.warn(`sahifa: no first highlight before the widget: ${e && e.message || e}`);
    return null;
  });
  return painter;
}

/** The paint module's render (`html::render`: an <article data-sahifa-rendered> of <p> and <mark> elements,
 *  double-quoted attributes, text escaped as `&amp; &lt; &gt; &quot; &#39;`) as DOM nodes, built with DOM calls:
 *  no HTML string reaches the page, so a page that requires Trusted Types is painted too. Anything the render
 *  never writes (another element, an unclosed one) is refused: null. */
function fromRender(html) {
  const entity = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'" };
  const unescape = (s) => s.replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => entity[e]);
  const token = /<(\/?)(article|p|mark)((?: [a-z-]+="[^"]*")*)>|([^<]+)/y;
  const root = document.createDocumentFragment();
  let at = root, m, end = 0;
  while ((m = token.exec(html))) {
    end = token.lastIndex;
    if (m[4] !== undefined) {
      at.append(unescape(m[4]));
    } else if (m[1]) {
      if (at.localName !== m[2]) return null;
      at = at.parentNode;
    } else {
      const el = document.createElement(m[2]);
      for (const [, name, value] of m[3].matchAll(/ ([a-z-]+)="([^"]*)"/g)) el.setAttribute(name, unescape(value));
      at.append(el);
      at = el;
    }
  }
  const article = root.firstElementChild;
  return end === html.length && at === root && article?.hasAttribute("data-sahifa-rendered") ? article : null;
}

/** The widget's frame around a painted `article`, laid out as the widget lays it out (www/sahifa.css): the
 *  rows it shows above the article kept empty and unseen (the standalone page's collections panel, the
 *  toolbar's unless read-only, the status line's), the article's column and the side column. */
function frameOf(article, { readOnly = false, english = false, collection = false } = {}) {
  const el = (tag, cls) => { const e = document.createElement(tag); e.className = cls; return e; };
  const frame = el("div", readOnly ? "sahifa readonly" : "sahifa");
  frame.lang = english ? "en" : "ar"; frame.dir = english ? "ltr" : "rtl";
  const rows = [];
  if (collection) {
    const panel = el("section", "sahifa-collection empty");
    const open = el("label", "file");
    open.textContent = "\u00a0";
    panel.append(el("div", "collection-names"), open);
    rows.push(panel);
  }
  if (!readOnly) {
    const button = document.createElement("button");
    button.disabled = true;
    button.textContent = "\u00a0";
    rows.push(el("div", "sahifa-toolbar"));
    rows[rows.length - 1].append(button);
  }
  rows.push(el("div", "sahifa-status"));
  rows[rows.length - 1].textContent = "\u00a0";
  for (const row of rows) { row.setAttribute("aria-hidden", "true"); row.style.visibility = "hidden"; }
  const main = el("div", "sahifa-main");
  main.lang = "ar"; main.dir = "rtl";
  main.append(article);
  frame.append(...rows, main, el("aside", "sahifa-side"));
  return frame;
}

/** Whether `mount(element, options)` should paint first: the widget is not loaded yet (once it is, it
 *  marks the article at once), the article is the host's own (not an explicit `text` option, not a
 *  CMS-rendered article that already shows its marks) and not painted already. The module itself declines
 *  an article longer than the widget extracts in one go (the worker streams those). */
function shouldPaint(element, options) {
  return !loaded && options?.text == null && !element.querySelector("[data-sahifa-rendered]")
    && !painted(element) && (element.textContent?.length ?? 0) <= PAINT_LIMIT;
}

/** Above this many UTF-16 units of text content an article is surely past the widget's one-go limit
 *  (40,000 code points, `ONE_GO`): the module is not even loaded for it, and its reading of the article
 *  never adds a long task to the page. Between the two, the module reads and declines. */
const PAINT_LIMIT = 60_000;

/** The view painted in `element` before its widget mounted, if it is still there. */
function painted(element) {
  const view = element.firstElementChild;
  return view && view.hasAttribute("data-sahifa-painted") && view.shadowRoot ? view : null;
}

/** A news page's article painted before the widget loads (issue 18): the module reads `element` with the
 *  widget's own reader and renders it with its rules-and-gazetteers marks and headings; the result is shown
 *  in a container with its own shadow root and the widget's stylesheet (no host CSS in or out), laid out as
 *  the widget will lay it out (a toolbar's and a status line's row above the article, the side column
 *  beside it), so the text does not move when the widget takes over. The host's own children move into the
 *  container's light DOM (not shown: the shadow root has no slot), where the widget reads them and from
 *  where `destroy()` puts them back. Built with DOM calls (`fromRender`), so Trusted Types pages are painted
 *  too. Nothing is painted when the module declines the article. Never throws. */
function paintHost(element, paint, options) {
  let view;
  try {
    const html = paint.paintElement(element);
    if (!html) return false;
    const article = fromRender(html);
    if (!article) return false;
    const attr = (name) => element.getAttribute(name);
    const english = /^en\b/i.test(String(options?.lang ?? attr("data-sahifa-lang") ?? "").trim());
    const ro = attr("data-sahifa-readonly");
    const readOnly = options?.readOnly ?? (ro != null && ["", "true", "readonly"].includes(ro.trim()));
    view = document.createElement("div");
    view.setAttribute("data-sahifa-painted", "");
    const root = view.attachShadow({ mode: "open" });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(paint.shadowCss());
    root.adoptedStyleSheets = [sheet];
    const top = document.createElement("div");
    top.className = "sahifa-shadow";
    top.lang = english ? "en" : "ar"; top.dir = english ? "ltr" : "rtl";
    top.append(frameOf(article, { readOnly, english }));
    root.append(top);
    view.append(...element.childNodes);
    element.append(view);
    return true;
  } catch {
    if (view) unpaint(element);
    return false;
  }
}

/** Puts the host's own children back in `element` and removes the painted view (the widget could not
 *  mount): the element is as it was. */
function unpaint(element) {
  const view = painted(element);
  if (!view) return;
  for (const node of [...view.childNodes]) element.insertBefore(node, view);
  view.remove();
}

/** The standalone page (dist/index.html): the seed article painted by the first-highlight module, in the
 *  widget's frame (so the text does not move when the widget replaces it), then the widget loaded, which
 *  adopts those marks without extracting again (src/lib.rs, `start`). Without the module the widget
 *  extracts as before. Publishes the glue as `window.wasmBindings` and fires
 *  `TrunkApplicationStarted`, as Trunk's own loader does (the tests and benchmarks wait for them). */
export async function standalone() {
  const element = document.querySelector("[data-sahifa-standalone]");
  const paint = await loadPainter();
  const article = element && paint && fromRender(paint.paintSeed());
  if (article) {
    article.setAttribute("data-sahifa-painted", "");
    const view = frameOf(article, { collection: true, english: new URLSearchParams(location.search).get("lang") === "en" });
    view.setAttribute("data-sahifa-painted", "");
    element.append(view);
  }
  const glue = await load();
  window.wasmBindings = glue;
  dispatchEvent(new CustomEvent("TrunkApplicationStarted", { detail: { wasm: glue } }));
}

/** Loads the glue and instantiates the wasm once, whatever the number of widgets; resolves to the glue. */
let loaded = false;
function load() {
  fetchLists().catch(() => { /* handled in installLists, once the glue is there */ });
  loading ??= import("./sahifa-widget.js").then(async (glue) => {
    await glue.default({ module_or_path: here("./sahifa-widget_bg.wasm") });
    loaded = true;
    await installLists(glue);
    // Long articles are extracted in a Web Worker from beside this file (not on file://, nor under a
    // Trusted Types policy: the widget then extracts on the main thread, a group of paragraphs a task).
    glue.setWorkerUrl(here("./sahifa-worker.js"));
    installData(glue);
    return glue;
  });
  loading.catch(() => { loading = undefined; });   // a later mount may try again
  return loading;
}

/** @font-face does not work inside a shadow root (Chrome), so the font is added once to the document's
 *  FontFaceSet, under a family name no host uses: the widget's only touch on the host page. The FontFace API
 *  rather than a <style> element, so a host whose Content-Security-Policy refuses inline styles still gets it. */
let fontAdded = false;
function declareFont() {
  if (fontAdded) return;
  fontAdded = true;
  // One weight (400): headings are emboldened by the browser.
  const face = new FontFace("Sahifa Naskh", `url("${here("./fonts/noto-naskh-arabic-arabic-400-normal.woff2")}") format("woff2")`,
    { weight: "400", display: "swap" });
  document.fonts.add(face);
  face.load().catch(() => { /* the system's Arabic font stands in */ });
}

const ERROR_CSS = `:host { all: initial; display: block; }
  p { all: initial; display: block; direction: rtl; font: 1rem system-ui, sans-serif; padding: .6rem .9rem;
      margin: .5rem 0; background: #fff5f5; color: #a51111; border: 1px solid #e03131; border-radius: .35rem; }
  bdi { unicode-bidi: isolate; }`;

/** Shows `message` in `element`, in its own shadow root, above the element's content (left readable). Built
 *  with DOM calls and a constructed stylesheet: no HTML strings (Trusted Types) and no inline styles (CSP). */
function showError(element, message, english = false) {
  clearError(element);
  const box = document.createElement("div");
  box.setAttribute("data-sahifa-error", "");
  const root = box.attachShadow({ mode: "open" });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(ERROR_CSS);
  root.adoptedStyleSheets = [sheet];
  const p = document.createElement("p");
  p.setAttribute("role", "alert");
  p.className = "sahifa-error";
  const bdi = document.createElement("bdi");
  bdi.dir = "ltr";
  bdi.textContent = message;
  // The widget's own messages are in src/i18n.rs; this one is shown before (or instead of) the widget.
  if (english) {
    p.lang = "en"; p.dir = "ltr";
    p.append("Sahifa could not be shown — ", bdi);
  } else {
    p.append("تعذّر عرض صحيفة — ", bdi);
  }
  root.append(p);
  element.prepend(box);
}

function clearError(element) {
  for (const old of element.querySelectorAll(":scope > [data-sahifa-error]")) old.remove();
}

/** Annotates `element` (its own article, or `options.text`); resolves to the instance, also `element.sahifa`. */
export async function mount(element, options = {}) {
  if (!(element instanceof Element)) {
    throw new TypeError("sahifa.mount: the first argument must be an element");
  }
  if (element.sahifa) {   // not shown in the element: the widget there keeps working
    throw new Error("sahifa.mount: this element already has a widget; call its destroy() first");
  }
  try {
    declareFont();
    // The first highlight from the paint module (about 70 kB gzipped with the automata it shares with the
    // widget), then the widget's wasm, which adopts the painted marks (src/embed/mount.rs).
    if (shouldPaint(element, options)) {
      const paint = await loadPainter();
      if (paint && shouldPaint(element, options)) {
        clearError(element);
        paintHost(element, paint, options);
      }
    }
    const glue = await load();
    clearError(element);
    const instance = glue.mountElement(element, options);
    element.sahifa = instance;
    return instance;
  } catch (e) {
    if (!element.sahifa) unpaint(element);   // not another mount's widget, which keeps its painted view
    const error = e instanceof Error ? e : new Error(String(e));
    if (!/^sahifa/.test(error.message)) error.message = `sahifa.mount: ${error.message}`;
    // In the interface language asked for, when it can be told (the lang option itself may be the error).
    const asked = String(options?.lang ?? element.getAttribute("data-sahifa-lang") ?? "");
    try { showError(element, error.message, /^en\b/i.test(asked.trim())); } catch { /* the element cannot show it; the promise says it */ }
    throw error;
  }
}

const pending = new WeakSet();

/** Mounts on every `[data-sahifa]` element under `root` not mounted yet; never throws. */
export function mountAll(root = document) {
  const mounts = [];
  for (const el of root.querySelectorAll("[data-sahifa]")) {
    if (el.sahifa || pending.has(el)) continue;
    pending.add(el);
    mounts.push(mount(el)
      .catch((e) => { console.error(e); return null; })
      .finally(() => pending.delete(el)));
  }
  return Promise.all(mounts);
}

try {
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => mountAll(), { once: true });
  } else {
    mountAll();
  }
} catch (e) {
  console.error("sahifa: auto-mount failed", e);
}
