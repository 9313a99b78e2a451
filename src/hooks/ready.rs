//! `ready`: once the article's marks are in the session (restored or extracted, by [`use_extraction`]) and
//! every paragraph is on screen, the embedder's `on_ready` is called, once.

use super::extraction::{use_extraction, Unreadable};
use crate::store::Store;
use sahifa_core::session::Session;
use std::rc::Rc;
use yew::prelude::*;

/// Restores or extracts the article and calls `on_ready` once everything is shown; returns the callback the
/// article view calls when its paragraphs are rendered, and whether the first article's extraction is
/// still going on (its groups, then the relinking of their entity ids: a side list that waits for it is
/// computed once instead of once per step). False once another article has been loaded.
#[hook]
pub fn use_ready(
    store: &Store,
    key: Rc<dyn Fn(&Session) -> String>,
    on_unreadable: Callback<Unreadable>,
    on_ready: Option<Callback<()>>,
) -> (Callback<()>, bool) {
    let first = use_memo((), {
        let article = store.get().article.clone();
        move |_| article
    });
    let extracted = use_state(|| false);
    let extracting = !*extracted && Rc::ptr_eq(&store.get().article, &first);
    let rendered = use_state(|| false);
    let ready_sent = use_mut_ref(|| false);
    {
        let extracted = extracted.clone();
        use_extraction(store, key, on_unreadable, Callback::from(move |_| extracted.set(true)));
    }
    use_effect_with((*extracted, *rendered), move |&(extracted, rendered)| {
        if extracted && rendered && !std::mem::replace(&mut *ready_sent.borrow_mut(), true) {
            if let Some(cb) = on_ready {
                cb.emit(());
            }
        }
    });
    (use_callback((), move |_: (), _| rendered.set(true)), extracting)
}

/// The article element keeps a caret (for Shift+arrow selection) but can never be edited: Yew has no
/// `onbeforeinput`, so a non-passive listener cancels every edit.
#[hook]
pub fn use_uneditable(main_ref: &NodeRef) {
    let main_ref = main_ref.clone();
    use_effect_with((), move |_| {
        let listener = main_ref.cast::<web_sys::Element>().map(|el| {
            let opts = gloo_events::EventListenerOptions::enable_prevent_default();
            gloo_events::EventListener::new_with_options(&el, "beforeinput", opts, |e| {
                e.prevent_default()
            })
        });
        move || drop(listener)
    });
}
