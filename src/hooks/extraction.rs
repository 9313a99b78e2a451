//! Restoring saved work or extracting the article, after the first render has put the text on screen,
//! and again whenever another article is loaded.
//!
//! The grouping itself is the core's ([`GroupedExtraction`]); the groups' texts go to
//! [`crate::extractor::extract`] a few ahead of the replies (a Web Worker extracts them back to
//! back, or this thread does, one group a task), and their suggestions are dispatched here in order as each arrives, so a long article
//! streams its marks in and never blocks the page. It stops if another article replaces this one.
//! Saved work that cannot be used is moved aside under its own key (never overwritten by the next save)
//! and reported through `on_unreadable`.

use crate::storage::{self, Loaded};
use crate::store::Store;
use sahifa_core::session::{Action, ActionKind, GroupedExtraction, Session};
use std::rc::Rc;
use yew::prelude::*;

/// Groups' texts sent to the extractor and not answered yet (see [`run`]).
const IN_FLIGHT: usize = 8;

/// Saved work that could not be restored: where it was kept aside, the entry itself and why.
#[derive(Clone, PartialEq)]
pub struct Unreadable {
    pub key: String,
    pub raw: Rc<String>,
    pub why: String,
}

/// Restores or extracts now and after every `Load`; `done` is called when the first article's marks are
/// all in the session.
#[hook]
pub fn use_extraction(
    store: &Store,
    key: Rc<dyn Fn(&Session) -> String>,
    on_unreadable: Callback<Unreadable>,
    done: Callback<()>,
) {
    use_effect_with(store.clone(), move |store| {
        run(store.clone(), &*key, &on_unreadable, done);
        let sub = {
            let store2 = store.clone();
            store.subscribe(move |_, kind| {
                if kind == ActionKind::Load {
                    run(store2.clone(), &*key, &on_unreadable, Callback::noop());
                }
            })
        };
        let store = store.clone();
        move || store.unsubscribe(sub)
    });
}

fn run(store: Store, key: &dyn Fn(&Session) -> String, on_unreadable: &Callback<Unreadable>, done: Callback<()>) {
    let session = store.get();
    let key = key(&session);
    match storage::load(&key) {
        Loaded::Nothing => {}
        Loaded::Saved(snapshot) => match store.dispatch(Action::Restore(snapshot)) {
            Ok(_) => return done.emit(()),
            Err(why) => {
                // Saved for another text under the same key: keep it aside, do not overwrite it.
                let raw = <gloo_storage::LocalStorage as gloo_storage::Storage>::raw()
                    .get_item(&key)
                    .ok()
                    .flatten()
                    .unwrap_or_default();
                set_aside(&key, raw, why.to_string(), on_unreadable);
            }
        },
        Loaded::Unreadable { raw, why } => set_aside(&key, raw, why.to_string(), on_unreadable),
    }
    if session.is_extracted() {
        return done.emit(());
    }
    let article = session.article.clone();
    let mut groups = GroupedExtraction::new(&article);
    if groups.len() == 1 {
        if let Some(action) = groups.next_action(&article) {
            let _ = store.dispatch(action);
        }
        return done.emit(());
    }
    yew::platform::spawn_local(async move {
        // The groups' texts go out a few ahead of the replies, not all in the mount's task: turning
        // 100,000 words into JavaScript strings and posting them took about 10 ms of CPU there. With
        // [`IN_FLIGHT`] texts sent and not answered, the worker always has the next one queued while this
        // thread takes a reply in; where extraction runs here, the calls cost nothing until awaited.
        let mut texts = groups.remaining_texts(&article).into_iter();
        let mut pending = std::collections::VecDeque::with_capacity(IN_FLIGHT);
        loop {
            pending.extend(texts.by_ref().take(IN_FLIGHT - pending.len()).map(crate::extractor::extract));
            let Some(found) = pending.pop_front() else { break };
            let found = found.await;
            // Taken in a task of its own: the worker's reply was read (its JSON parsed) in the message's
            // task, and putting the marks in the session and on screen as well made it a long one.
            gloo_timers::future::TimeoutFuture::new(0).await;
            if !Rc::ptr_eq(&store.get().article, &article) {
                return;
            }
            let _ = store.dispatch(groups.take(found));
            // One group's suggestions a task: a worker's replies may already wait, and taking them all in
            // this task (promises resolve as microtasks) would block the page for as long.
            gloo_timers::future::TimeoutFuture::new(0).await;
        }
        // Clustering the whole article: one entity type a task, apart from the last group's.
        for relink in groups.relink_steps() {
            gloo_timers::future::TimeoutFuture::new(0).await;
            if !Rc::ptr_eq(&store.get().article, &article) {
                return;
            }
            let _ = store.dispatch(relink);
        }
        done.emit(());
    });
}

fn set_aside(key: &str, raw: String, why: String, on_unreadable: &Callback<Unreadable>) {
    let aside = storage::aside_key(key);
    let why = match storage::set_aside(key, &raw) {
        Ok(()) => why,
        Err(e) => format!("{why}; it could not be moved aside either ({e})"),
    };
    on_unreadable.emit(Unreadable {
        key: aside,
        raw: Rc::new(raw),
        why,
    });
}
