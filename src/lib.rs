//! Sahifa's widget: a thin Yew shell over `sahifa_core`.
//!
//! The core finds the entities; this crate renders them as marks, keeps the one session (the core's
//! [`sahifa_core::session::Session`]) in a [`store::Store`] and
//! exposes the JS API. Nothing here decides what an entity is.

pub mod api;
#[cfg(feature = "bench")]
pub mod bench;
pub mod bidi;
pub mod collection;
pub mod colors;
pub mod components;
/// How a host page's article is read (shared with the first-highlight module, `paint/`).
pub use sahifa_dom as dom_article;
pub mod embed;
pub mod extractor;
pub mod files;
pub mod hooks;
pub mod i18n;
pub mod learner;
pub mod notice;
pub mod rendered;
pub mod selection;
pub mod storage;
pub mod store;
pub mod tagger_data;

use components::app::{App, AppProps};
use sahifa_core::session::Session;
use store::Store;
use wasm_bindgen::prelude::*;

/// The widget's first session. A short article is extracted here, so its marks are in the very first
/// render; a long one starts as text alone and is extracted in groups after it is on screen (see
/// [`hooks::use_extraction`]), which also restores saved work.
pub fn initial_session(text: String) -> Session {
    Session::extracted_if_short(text)
}

/// Renders a widget for `text` into `element` and returns its API instance; `ready` fires after the first
/// render has put the marks in the DOM. The interface is in Arabic.
pub fn mount_into(element: web_sys::Element, text: String) -> api::Sahifa {
    mount_in_language(element, text, i18n::Lang::default(), false)
}

/// [`mount_into`] with the interface in `lang`, and with a button that switches the language when
/// `lang_toggle` is set.
pub fn mount_in_language(
    element: web_sys::Element,
    text: String,
    lang: i18n::Lang,
    lang_toggle: bool,
) -> api::Sahifa {
    mount_with(element, Store::new(initial_session(text)), None, lang, lang_toggle)
}

/// The standalone page's widget on `session` (its first article, extracted or adopted): [`mount_in_language`]
/// with a language toggle and a collection of articles kept in IndexedDB.
pub fn mount_standalone(
    element: web_sys::Element,
    session: Session,
    lang: i18n::Lang,
) -> (api::Sahifa, collection::CollectionCtl) {
    let store = Store::new(session);
    let ctl = collection::CollectionCtl::new(store.clone());
    ctl.set_lang(lang);
    let instance = mount_with(element, store, Some(ctl.clone()), lang, true);
    // Each collection learns under its own key, from the moment it is opened (before its first article
    // is shown); without a database it is the single-article widget and learns under the site's key.
    let widget = instance.clone();
    ctl.on_switch(move |id| widget.learn_in(Box::new(learner::LocalLearned { key: learner::collection_key(id) })));
    ctl.start();
    let (widget, ready, opened) = (instance.clone(), ctl.ready(), ctl.clone());
    wasm_bindgen_futures::spawn_local(async move {
        let _ = wasm_bindgen_futures::JsFuture::from(ready).await;
        // No database, or an empty first collection: nothing of a collection is shown yet.
        if opened.id().is_none() || opened.is_empty() {
            widget.learn_in(Box::new(learner::LocalLearned { key: learner::DEFAULT_KEY.to_string() }));
        }
    });
    (instance, ctl)
}

/// The root with the collection (or none) in context, so the App's props stay those of every widget.
#[derive(yew::Properties, PartialEq)]
struct RootProps {
    app: yew::Callback<(), AppProps>,
    collection: Option<collection::CollectionCtl>,
}

#[yew::function_component(Root)]
fn root(p: &RootProps) -> yew::Html {
    let props = p.app.emit(());
    yew::html! {
        <yew::ContextProvider<Option<collection::CollectionCtl>> context={p.collection.clone()}>
            <App ..props />
        </yew::ContextProvider<Option<collection::CollectionCtl>>>
    }
}

fn mount_with(
    element: web_sys::Element,
    store: Store,
    collection: Option<collection::CollectionCtl>,
    lang: i18n::Lang,
    lang_toggle: bool,
) -> api::Sahifa {
    // A collection's learning is kept nowhere until its key is known (see `mount_standalone`).
    let instance = match collection {
        Some(_) => api::Sahifa::learning_in(store.clone(), Some(element.clone()), Box::new(learner::Unkeyed)),
        None => api::Sahifa::new(store.clone(), Some(element.clone())),
    };
    let on_ready = {
        let instance = instance.clone();
        yew::Callback::from(move |_| instance.mark_ready())
    };
    let app = yew::Callback::from(move |_| AppProps {
        store: store.clone(),
        on_ready: Some(on_ready.clone()),
        storage_key: None,
        read_only: false,
        lang,
        lang_toggle,
        headings: Vec::new(),
    });
    let app = yew::Renderer::<Root>::with_root_and_props(element, RootProps { app, collection }).render();
    let cell = std::cell::RefCell::new(Some(app));
    instance.set_destroy(move || {
        if let Some(app) = cell.borrow_mut().take() {
            app.destroy();
        }
    });
    instance
}

/// Entry point, run when the wasm is instantiated: installs the panic hook and, on the standalone page
/// only (an element with `data-sahifa-standalone`), mounts the seed article and publishes the instance as
/// `window.sahifa`. Pages that embed the widget call `mount` from `sahifa.js` instead (see [`embed`]).
#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    embed::install_panic_hook();
    // In a Web Worker (`sahifa-worker.js`): nothing to mount, it only answers `workerExtract` calls.
    let Some(window) = web_sys::window() else {
        return Ok(());
    };
    let document = window.document().ok_or("no document")?;
    if let Some(el) = document.query_selector("[data-sahifa-standalone]")? {
        // The page names its worker script (relative to the page); the single-file page names none.
        if let Some(worker) = el.get_attribute("data-sahifa-worker") {
            let base = document.base_uri()?.unwrap_or_default();
            extractor::set_worker_url(web_sys::Url::new_with_base(&worker, &base).ok().map(|u| u.href()));
        }
        // The tagger's data, fetched from the folder the page names (the single-file page names none and
        // installs its inlined copy itself).
        if let Some(folder) = el.get_attribute("data-sahifa-data") {
            let base = document.base_uri()?.unwrap_or_default();
            if let Ok(url) = web_sys::Url::new_with_base(&folder, &base) {
                tagger_data::fetch_from(url.href());
            }
        }
        // Every extraction needs the gazetteer's automata: the seed article is mounted once they are in
        // (fetched above, or installed by the single-file page right after this function).
        tagger_data::when_lists(move || {
            if let Err(e) = mount_standalone_page(&window, el) {
                web_sys::console::error_2(&"sahifa: the standalone page could not be mounted".into(), &e);
            }
        });
    }
    Ok(())
}

/// The standalone page's widget on `el`, published as `window.sahifa`.
fn mount_standalone_page(window: &web_sys::Window, el: web_sys::Element) -> Result<(), JsValue> {
    embed::watch(&el);
    // `?lang=en` (or `data-sahifa-lang` on the element) chooses the interface language; the page offers
    // a toggle as well.
    let from_query = window
        .location()
        .search()
        .ok()
        .and_then(|q| web_sys::UrlSearchParams::new_with_str(&q).ok())
        .and_then(|p| p.get("lang"));
    let lang = from_query
        .or_else(|| el.get_attribute("data-sahifa-lang"))
        .and_then(|l| i18n::Lang::parse(&l))
        .unwrap_or_default();
    // The seed article painted by the first-highlight module (`sahifa.js`, `paint/`): its marks adopted
    // when the core trusts them (no second extraction), and the painted copy removed once the widget has
    // put its own marks in the DOM.
    let painted = rendered::find(&el).filter(|a| a.has_attribute("data-sahifa-painted"));
    let session = match &painted {
        Some(article) => match rendered::read(article, |_| false) {
            (text, Ok(found)) if text == sahifa_core::SEED_ARTICLE => {
                el.set_attribute("data-sahifa-hydration", "adopted")?;
                Session::new(text, found, true)
            }
            (_, found) => {
                let why = found.err().map_or("another text".to_string(), |e| e.to_string());
                web_sys::console::warn_1(&format!("sahifa: the painted marks were not adopted, extracting again: {why}").into());
                el.set_attribute("data-sahifa-hydration", &format!("refused: {why}"))?;
                initial_session(sahifa_core::SEED_ARTICLE.to_string())
            }
        },
        None => initial_session(sahifa_core::SEED_ARTICLE.to_string()),
    };
    if let Some(article) = painted {
        // The painted view: the article in the widget's frame (sahifa.js), which goes with it.
        let view = el.query_selector(":scope > [data-sahifa-painted]").ok().flatten().unwrap_or(article);
        gloo_events::EventListener::once(&el, "sahifa:ready", move |_| view.remove()).forget();
    }
    let (instance, ctl) = mount_standalone(el, session, lang);
    let instance = JsValue::from(instance);
    let api = collection::api::CollectionApi::new(ctl);
    js_sys::Reflect::set(&instance, &"collection".into(), &JsValue::from(api))?;
    js_sys::Reflect::set(window, &"sahifa".into(), &instance)?;
    Ok(())
}
