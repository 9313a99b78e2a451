//! Sahifa's widget: a thin Yew shell over `sahifa_core`.
//!
//! The core finds the entities; this crate renders them as marks, keeps the one session (the core's
//! [`sahifa_core::session::Session`]) in a [`store::Store`] and
//! exposes the JS API. Nothing here decides what an entity is.

pub mod api;
#[cfg(feature = "bench")]
pub mod bench;
pub mod bidi;
pub mod colors;
pub mod components;
pub mod dom_article;
pub mod embed;
pub mod files;
pub mod hooks;
pub mod learner;
pub mod notice;
pub mod selection;
pub mod storage;
pub mod store;

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
/// render has put the marks in the DOM.
pub fn mount_into(element: web_sys::Element, text: String) -> api::Sahifa {
    let store = Store::new(initial_session(text));
    let instance = api::Sahifa::new(store.clone(), Some(element.clone()));
    let on_ready = {
        let instance = instance.clone();
        yew::Callback::from(move |_| instance.mark_ready())
    };
    let app = yew::Renderer::<App>::with_root_and_props(
        element,
        AppProps {
            store,
            on_ready: Some(on_ready),
            storage_key: None,
            read_only: false,
        },
    )
    .render();
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
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    if let Some(el) = document.query_selector("[data-sahifa-standalone]")? {
        embed::watch(&el);
        let instance = mount_into(el, sahifa_core::SEED_ARTICLE.to_string());
        js_sys::Reflect::set(&window, &"sahifa".into(), &JsValue::from(instance))?;
    }
    Ok(())
}
