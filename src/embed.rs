//! Embedding in a host page: `mountElement(element, options)` annotates a news page's article in place.
//!
//! The widget lives in an open shadow root on a container that replaces the element's children (kept
//! aside and put back by `destroy()`), so the host's CSS does not reach the marks and the widget's CSS does
//! not reach the host. Inherited properties (font, colour, letter-spacing…) still cross a shadow boundary,
//! so the shadow's top element resets them with `all: initial`. The one touch on the host document, the
//! `@font-face` for "Sahifa Naskh" (fonts in a shadow root are ignored by Chrome), is made by `sahifa.js`.
//!
//! Options are checked before the page is touched: a bad one is an `Error` naming it, and the element is
//! left as it was. A panic logs to the console and shows a message in every mounted widget.

use crate::api::Sahifa;
use crate::components::app::{App, AppProps};
use crate::state::{Action, LabelDef};
use crate::store::Store;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, Node};

/// The widget's stylesheet, compiled in so a shadow root needs no request.
const WIDGET_CSS: &str = include_str!("../www/sahifa.css");

/// Resets what the host page could pass down by inheritance, then the widget's own look.
const SHADOW_RESET: &str = r#"
:host { all: initial; display: block; }
.sahifa-shadow {
  all: initial;
  display: block;
  direction: rtl;
  unicode-bidi: isolate;
  text-align: start;
  font-family: "Sahifa Naskh", "Noto Naskh Arabic", "Amiri", "Noto Sans Arabic", "DejaVu Sans", serif;
  font-size: 16px;
  line-height: normal;
  color: var(--fg);
  background: var(--bg);
  --depth: 0;
}
.sahifa-shadow .sahifa-h { font-weight: 700; line-height: 1.6; }
.sahifa-crash {
  all: initial; display: block; direction: rtl; font: 1rem system-ui, sans-serif; padding: .6rem .9rem;
  background: #fff5f5; color: #a51111; border: 1px solid #e03131; border-radius: .35rem; margin: .5rem 0;
}
"#;

/// The stylesheet inside each shadow root: the reset, then `www/sahifa.css` with its `@font-face` rules
/// dropped (declared once in the document) and `:root` variables moved to the shadow's top element.
pub fn shadow_css() -> String {
    let mut css = String::with_capacity(WIDGET_CSS.len() + SHADOW_RESET.len());
    let mut rest = WIDGET_CSS;
    while let Some(i) = rest.find("@font-face") {
        css.push_str(&rest[..i]);
        let tail = &rest[i..];
        rest = &tail[tail.find('}').map_or(tail.len(), |j| j + 1)..];
    }
    css.push_str(rest);
    format!("{SHADOW_RESET}\n{}", css.replace(":root", ".sahifa-shadow"))
}

/// What `mountElement` accepts; every field optional.
#[derive(Debug, Default, PartialEq)]
pub struct Options {
    pub text: Option<String>,
    pub read_only: bool,
    pub storage_key: Option<String>,
    pub labels: Vec<LabelDef>,
}

const KNOWN: &str = "text, readOnly, storageKey, labels";

fn get(obj: &JsValue, key: &str) -> Option<JsValue> {
    js_sys::Reflect::get(obj, &key.into())
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

/// Reads options from the element's `data-sahifa-*` attributes, then from `options` (which win).
pub fn read_options(element: &Element, options: &JsValue) -> Result<Options, String> {
    let mut o = Options::default();
    if let Some(v) = element.get_attribute("data-sahifa-readonly") {
        o.read_only = match v.trim() {
            "" | "true" | "readonly" => true,
            "false" => false,
            other => {
                return Err(format!(
                    "data-sahifa-readonly must be \"true\" or \"false\", not {other:?}"
                ))
            }
        };
    }
    if let Some(v) = element.get_attribute("data-sahifa-storage-key") {
        o.storage_key = Some(storage_key(&v).map_err(|e| format!("data-sahifa-storage-key {e}"))?);
    }
    if let Some(v) = element.get_attribute("data-sahifa-labels") {
        let parsed = js_sys::JSON::parse(&v)
            .map_err(|_| format!("data-sahifa-labels must be a JSON array of labels, got {v:?}"))?;
        o.labels = labels(&parsed).map_err(|e| format!("data-sahifa-labels {e}"))?;
    }
    if options.is_undefined() || options.is_null() {
        return Ok(o);
    }
    if !options.is_object() || js_sys::Array::is_array(options) {
        return Err("options must be an object like {text, readOnly, storageKey, labels}".into());
    }
    for key in js_sys::Object::keys(options.unchecked_ref::<js_sys::Object>()).iter() {
        let key = key.as_string().unwrap_or_default();
        if !["text", "readOnly", "storageKey", "labels"].contains(&key.as_str()) {
            return Err(format!("unknown option {key:?}; the options are {KNOWN}"));
        }
    }
    if let Some(v) = get(options, "text") {
        let t = v.as_string().ok_or("option text must be a string")?;
        if t.trim().is_empty() {
            return Err("option text is empty".into());
        }
        o.text = Some(t);
    }
    if let Some(v) = get(options, "readOnly") {
        o.read_only = v.as_bool().ok_or("option readOnly must be true or false")?;
    }
    if let Some(v) = get(options, "storageKey") {
        let k = v.as_string().ok_or("option storageKey must be a string")?;
        o.storage_key = Some(storage_key(&k).map_err(|e| format!("option storageKey {e}"))?);
    }
    if let Some(v) = get(options, "labels") {
        o.labels = labels(&v).map_err(|e| format!("option labels {e}"))?;
    }
    Ok(o)
}

fn storage_key(k: &str) -> Result<String, String> {
    if k.trim().is_empty() {
        Err("must not be empty".into())
    } else {
        Ok(k.to_string())
    }
}

/// `labels`: extra labels the picker offers, as names or `{name, color?, key?}`.
fn labels(v: &JsValue) -> Result<Vec<LabelDef>, String> {
    if !js_sys::Array::is_array(v) {
        return Err(format!(
            "must be an array of label names or {{name, color?, key?}} objects, got {}",
            describe(v)
        ));
    }
    let mut out: Vec<LabelDef> = Vec::new();
    for (i, item) in js_sys::Array::from(v).iter().enumerate() {
        let (name, color, key) = if let Some(name) = item.as_string() {
            (name, None, None)
        } else if item.is_object() {
            let name = get(&item, "name").and_then(|n| n.as_string());
            let name = name.ok_or(format!("[{i}] has no string \"name\""))?;
            let color = match get(&item, "color") {
                Some(c) => Some(
                    c.as_string()
                        .ok_or(format!("[{i}].color must be a string"))?,
                ),
                None => None,
            };
            let key = match get(&item, "key") {
                Some(k) => {
                    let k = k.as_string().unwrap_or_default();
                    let mut cs = k.chars();
                    match (cs.next(), cs.next()) {
                        (Some(c), None) => Some(c),
                        _ => return Err(format!("[{i}].key must be one character")),
                    }
                }
                None => None,
            };
            (name, color, key)
        } else {
            return Err(format!(
                "[{i}] must be a label name or {{name, color?, key?}}, got {}",
                describe(&item)
            ));
        };
        let name = name.trim().to_string();
        if name.is_empty()
            || name.chars().count() > 40
            || name.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(format!(
                "[{i}]: {name:?} is not a label name (1–40 characters, no spaces)"
            ));
        }
        if name.parse::<sahifa_core::EntityType>().is_ok() {
            return Err(format!("[{i}]: {name} is a built-in label"));
        }
        if out.iter().any(|l| l.name == name) {
            return Err(format!("[{i}]: {name} is listed twice"));
        }
        let color = match color {
            Some(c)
                if c.chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || "#(),.% -".contains(ch))
                    && !c.is_empty() =>
            {
                c
            }
            Some(c) => return Err(format!("[{i}].color {c:?} is not a CSS colour")),
            None => "var(--custom)".to_string(),
        };
        out.push(LabelDef { name, color, key });
    }
    Ok(out)
}

fn describe(v: &JsValue) -> String {
    if let Some(s) = v.as_string() {
        format!("the string {s:?}")
    } else if let Some(n) = v.as_f64() {
        format!("the number {n}")
    } else if let Some(b) = v.as_bool() {
        format!("{b}")
    } else if v.is_function() {
        "a function".into()
    } else {
        "an object".into()
    }
}

const BLOCKS: &str = "h1,h2,h3,h4,h5,h6,p,li,blockquote";

/// The article held by `element`: each block (heading, paragraph, list item, quote) is a paragraph, joined
/// by blank lines, its text as written (only HTML source line breaks and indentation collapse, as the page
/// shows them). Also says which paragraphs were headings (their level), to keep their look.
pub fn article_of(element: &Element) -> Result<(String, Vec<Option<u8>>), String> {
    let blocks = element
        .query_selector_all(BLOCKS)
        .map_err(|_| "cannot read the element".to_string())?;
    let mut paragraphs: Vec<(String, Option<u8>)> = Vec::new();
    for i in 0..blocks.length() {
        let Some(el) = blocks.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        // A block inside another block of the article (a <p> in an <li>) is part of that one.
        let outer = el
            .parent_element()
            .and_then(|p| p.closest(BLOCKS).ok().flatten());
        if outer.is_some_and(|o| element.contains(Some(&o)) && !o.is_same_node(Some(element))) {
            continue;
        }
        let text = collapse(&el.text_content().unwrap_or_default());
        if text.is_empty() {
            continue;
        }
        let tag = el.tag_name().to_ascii_lowercase();
        let level = tag.strip_prefix('h').and_then(|n| n.parse::<u8>().ok());
        paragraphs.push((text, level));
    }
    if paragraphs.is_empty() {
        let all = element
            .text_content()
            .unwrap_or_default()
            .replace("\r\n", "\n");
        paragraphs = all
            .split("\n\n")
            .map(collapse)
            .filter(|p| !p.is_empty())
            .map(|p| (p, None))
            .collect();
    }
    if paragraphs.is_empty() {
        return Err(
            "the element holds no text to annotate (give it <h1>/<p> children or the text option)"
                .into(),
        );
    }
    let text = paragraphs
        .iter()
        .map(|(t, _)| t.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");
    Ok((text, paragraphs.into_iter().map(|(_, l)| l).collect()))
}

/// HTML white space (space, tab, line breaks, form feed) collapsed and trimmed; other characters (no-break
/// spaces, ZWNJ, bidi marks) kept.
fn collapse(s: &str) -> String {
    let html_ws = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c');
    let mut out = String::with_capacity(s.len());
    let mut pending = false;
    for c in s.chars() {
        if html_ws(c) {
            pending = !out.is_empty();
        } else {
            if pending {
                out.push(' ');
                pending = false;
            }
            out.push(c);
        }
    }
    out
}

thread_local! {
    /// Where a panic message goes: each mounted widget's shadow root (or standalone element).
    static ROOTS: RefCell<Vec<Node>> = const { RefCell::new(Vec::new()) };
}

/// Remembers `node` as a place to show a crash message.
pub fn watch(node: &Node) {
    ROOTS.with(|r| r.borrow_mut().push(node.clone()));
}

fn unwatch(node: &Node) {
    ROOTS.with(|r| r.borrow_mut().retain(|n| !n.is_same_node(Some(node))));
}

/// A panic is logged and shown in every mounted widget; the host page keeps working.
pub fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| report_panic(&info.to_string())));
    });
}

/// What the panic hook does: logs `message` and shows a notice in every mounted widget.
pub fn report_panic(message: &str) {
    web_sys::console::error_1(&format!("sahifa: internal error: {message}").into());
    let roots = ROOTS.with(|r| r.try_borrow().map(|r| r.clone()).unwrap_or_default());
    for root in roots {
        show_crash(&root);
    }
}

fn show_crash(root: &Node) {
    let Some(doc) = root.owner_document() else {
        return;
    };
    let Ok(div) = doc.create_element("div") else {
        return;
    };
    div.set_class_name("sahifa-crash");
    let _ = div.set_attribute("role", "alert");
    div.set_text_content(Some(
        "توقّفت صحيفة بسبب خطأ داخلي — Sahifa stopped after an internal error (details in the console). Reload the page to try again.",
    ));
    let _ = root.insert_before(&div, root.first_child().as_ref());
}

/// Mounts a widget on `element` for `mount(element, options)` in `sahifa.js`, which also sets
/// `element.sahifa` to the instance returned (`destroy()` deletes it). Throws an `Error` (and leaves the element untouched) on a bad option.
#[wasm_bindgen(js_name = mountElement)]
pub fn mount_element(element: Element, options: JsValue) -> Result<Sahifa, JsError> {
    install_panic_hook();
    mount_in_shadow(element, &options).map_err(|e| JsError::new(&format!("sahifa.mount: {e}")))
}

/// The stylesheet used inside shadow roots (for tests and tools).
#[wasm_bindgen(js_name = shadowCss)]
pub fn shadow_css_js() -> String {
    shadow_css()
}

fn dom<T>(r: Result<T, JsValue>) -> Result<T, String> {
    r.map_err(|e| format!("cannot build the widget: {e:?}"))
}

pub fn mount_in_shadow(element: Element, options: &JsValue) -> Result<Sahifa, String> {
    if get(element.as_ref(), "sahifa").is_some() {
        return Err("this element already has a widget; call its destroy() first".into());
    }
    let opts = read_options(&element, options)?;
    let (text, headings) = match &opts.text {
        Some(t) => (t.clone(), Vec::new()),
        None => article_of(&element)?,
    };
    let doc = element
        .owner_document()
        .ok_or("the element is not in a document")?;

    // Build the shadow tree first; the page changes only once everything is ready.
    let container = dom(doc.create_element("div"))?;
    dom(container.set_attribute("data-sahifa-container", ""))?;
    let shadow =
        dom(container.attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open)))?;
    let style = dom(doc.create_element("style"))?;
    style.set_text_content(Some(&shadow_css()));
    dom(shadow.append_child(&style))?;
    let inner = dom(doc.create_element("div"))?;
    inner.set_class_name("sahifa-shadow");
    dom(inner.set_attribute("dir", "rtl"))?;
    dom(inner.set_attribute("lang", "ar"))?;
    dom(shadow.append_child(&inner))?;

    let store = Store::new(crate::initial_state(text));
    // Headings keep their weight and size: the paragraph with the heading's start offset gets a rule.
    let state = store.get();
    if headings.len() == state.article.paragraphs.len() {
        let rules: String = headings
            .iter()
            .zip(&state.article.paragraphs)
            .filter_map(|(level, p)| {
                let size = match (*level)? {
                    1 => 1.7,
                    2 => 1.45,
                    3 => 1.25,
                    _ => 1.1,
                };
                Some(format!(".sahifa-p[data-offset=\"{}\"] {{ font-size: {size}em; font-weight: 700; line-height: 1.6; }}\n", p.start))
            })
            .collect();
        if !rules.is_empty() {
            let extra = dom(doc.create_element("style"))?;
            extra.set_text_content(Some(&rules));
            dom(shadow.append_child(&extra))?;
        }
    }
    for def in &opts.labels {
        store.dispatch(Action::DefineLabel(def.clone()));
    }

    let originals: Vec<Node> = {
        let list = element.child_nodes();
        (0..list.length()).filter_map(|i| list.item(i)).collect()
    };
    for n in &originals {
        dom(element.remove_child(n))?;
    }
    dom(element.append_child(&container))?;

    let instance = Sahifa::new(store.clone(), Some(element.clone()));
    let on_ready = {
        let (instance, store, labels) = (instance.clone(), store.clone(), opts.labels.clone());
        yew::Callback::from(move |_| {
            // Restored work brings back its own labels; the page's labels stay offered.
            for def in &labels {
                if !store.get().has_label(&def.name) {
                    store.dispatch(Action::DefineLabel(def.clone()));
                }
            }
            instance.mark_ready()
        })
    };
    let props = AppProps {
        store,
        on_ready: Some(on_ready),
        storage_key: opts.storage_key.clone(),
        read_only: opts.read_only,
    };
    let app = yew::Renderer::<App>::with_root_and_props(inner, props).render();
    let shadow_node: Node = shadow.clone().into();
    watch(&shadow_node);

    let app = RefCell::new(Some(app));
    instance.set_destroy(move || {
        if let Some(app) = app.borrow_mut().take() {
            app.destroy();
        }
        unwatch(&shadow_node);
        container.remove();
        for n in &originals {
            let _ = element.append_child(n);
        }
        let _ = js_sys::Reflect::delete_property(
            element.unchecked_ref::<js_sys::Object>(),
            &"sahifa".into(),
        );
    });
    Ok(instance)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_white_space_collapses_and_other_spaces_stay() {
        assert_eq!(
            collapse("\n    زار الرئيس\n      باريس.  \n"),
            "زار الرئيس باريس."
        );
        assert_eq!(
            collapse("a\u{a0}b\u{200c}c"),
            "a\u{a0}b\u{200c}c",
            "no-break space and ZWNJ are text"
        );
        assert_eq!(collapse(" \t\n"), "");
    }

    #[test]
    fn shadow_css_has_no_font_face_and_no_root() {
        let css = shadow_css();
        assert!(
            !css.contains("@font-face"),
            "fonts are declared in the document"
        );
        assert!(
            !css.contains(":root"),
            ":root matches nothing in a shadow root"
        );
        assert!(
            css.contains(".sahifa-shadow {\n  color-scheme") || css.contains(".sahifa-shadow {")
        );
        assert!(css.contains("all: initial"));
        assert!(
            css.contains(".sahifa-mark"),
            "the widget's own rules are kept"
        );
    }
}
