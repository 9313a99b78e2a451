//! Mounting in a host page: a container with an open shadow root replaces the element's children (kept
//! aside and put back by `destroy()`), so the host's CSS does not reach the marks and the widget's CSS does
//! not reach the host. Options are checked before the page is touched: a bad one is an `Error` naming it,
//! and the element is left as it was.

use super::crash::{install_panic_hook, unwatch, watch};
use sahifa_dom::shadow_css;
use super::options::read_options;
use crate::api::Sahifa;
use crate::components::app::{App, AppProps};
use crate::dom_article::article_of;
use crate::rendered;
use crate::store::Store;
use sahifa_core::session::{Action, Session};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, Node};

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

/// A constructed stylesheet holding `css`.
fn sheet(css: &str) -> Result<web_sys::CssStyleSheet, String> {
    let sheet = dom(web_sys::CssStyleSheet::new())?;
    dom(sheet.replace_sync(css))?;
    Ok(sheet)
}

pub fn mount_in_shadow(element: Element, options: &JsValue) -> Result<Sahifa, String> {
    let has_widget = js_sys::Reflect::get(element.as_ref(), &"sahifa".into())
        .is_ok_and(|v| !v.is_undefined() && !v.is_null());
    if has_widget {
        return Err("this element already has a widget; call its destroy() first".into());
    }
    let opts = read_options(&element, options)?;
    let is_label = |l: &str| opts.labels.iter().any(|d| d.name == l);
    // A view the first-highlight module painted (sahifa.js): the host's article is read as always (through
    // the painted container, which holds the host's children) and the painted marks adopted when they were
    // made of that very text; the painted view stays on screen until the widget has rendered.
    let painted = opts.text.is_none().then(|| rendered::painted(&element)).flatten();
    // An article rendered ahead of time brings its marks: adopted when the core trusts them, so the first
    // paint keeps the server's marks and nothing is extracted; otherwise its text is extracted as usual.
    let rendered = (opts.text.is_none() && painted.is_none()).then(|| rendered::find(&element)).flatten();
    let (text, headings, adopted) = match (&opts.text, rendered, &painted) {
        (Some(t), _, _) => (t.clone(), Vec::new(), None),
        (None, Some(article), _) => {
            let (text, found) = rendered::read(&article, is_label);
            (text, rendered::headings(&article), Some(found))
        }
        (None, None, Some((_, article))) => {
            let (text, headings) = article_of(&element)?;
            let found = rendered::read_for(article, &text, is_label);
            (text, headings, Some(found))
        }
        (None, None, None) => {
            let (text, headings) = article_of(&element)?;
            (text, headings, None)
        }
    };
    let doc = element
        .owner_document()
        .ok_or("the element is not in a document")?;

    // Build the shadow tree first; the page changes only once everything is ready.
    let container = dom(doc.create_element("div"))?;
    dom(container.set_attribute("data-sahifa-container", ""))?;
    let shadow =
        dom(container.attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open)))?;
    // Constructed stylesheets, not <style> elements: a host with a strict Content-Security-Policy (no
    // 'unsafe-inline' styles) refuses inline <style> but not the CSSOM.
    let sheets = vec![sheet(&shadow_css())?];
    let inner = dom(doc.create_element("div"))?;
    inner.set_class_name("sahifa-shadow");
    dom(inner.set_attribute("dir", opts.lang.dir()))?;
    dom(inner.set_attribute("lang", opts.lang.code()))?;
    dom(shadow.append_child(&inner))?;

    let hydration = match &adopted {
        None => None,
        Some(Ok(_)) => Some("adopted".to_string()),
        Some(Err(why)) => {
            web_sys::console::warn_1(&format!("sahifa: the rendered marks were not adopted, extracting again: {why}").into());
            Some(format!("refused: {why}"))
        }
    };
    if let Some(h) = &hydration {
        dom(container.set_attribute("data-sahifa-hydration", h))?;
    }
    let session = match adopted {
        Some(Ok(annotations)) => Session::new(text, annotations, true),
        _ => crate::initial_session(text),
    };
    let store = Store::new(session);
    let adopted: js_sys::Array = sheets.into_iter().collect();
    dom(js_sys::Reflect::set(&shadow, &"adoptedStyleSheets".into(), &adopted))?;
    for def in &opts.labels {
        let _ = store.dispatch(Action::DefineLabel(def.clone()));
    }

    // The host's own children: put back by destroy(). A painted view holds them and stays, with the
    // widget hidden beside it, until the widget has put its marks in the DOM (`reveal`): the page never
    // shows an empty widget, and the two views are never both shown.
    let holder = painted.as_ref().map_or(&element, |(view, _)| view);
    let originals: Vec<Node> = {
        let list = holder.child_nodes();
        (0..list.length()).filter_map(|i| list.item(i)).collect()
    };
    let painted = painted.map(|(view, _)| view);
    match &painted {
        Some(_) => dom(container.unchecked_ref::<web_sys::HtmlElement>().style().set_property("display", "none"))?,
        None => {
            for n in &originals {
                dom(element.remove_child(n))?;
            }
        }
    }
    dom(element.append_child(&container))?;
    let reveal = {
        let (painted, container) = (painted.clone(), container.clone());
        move || {
            if let Some(view) = &painted {
                view.remove();
                let _ = container.unchecked_ref::<web_sys::HtmlElement>().style().remove_property("display");
            }
        }
    };

    let instance = Sahifa::new(store.clone(), Some(element.clone()));
    let on_ready = {
        let (instance, store, labels) = (instance.clone(), store.clone(), opts.labels.clone());
        yew::Callback::from(move |_| {
            // Restored work brings back its own labels; the page's labels stay offered.
            for def in &labels {
                if !store.get().has_label(&def.name) {
                    let _ = store.dispatch(Action::DefineLabel(def.clone()));
                }
            }
            reveal();
            instance.mark_ready()
        })
    };
    let props = AppProps {
        store,
        on_ready: Some(on_ready),
        storage_key: opts.storage_key.clone(),
        read_only: opts.read_only,
        lang: opts.lang,
        lang_toggle: false,
        // Headings stay headings (role, level, look): see `Headings`.
        headings,
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
        if let Some(view) = &painted {
            view.remove();
        }
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

