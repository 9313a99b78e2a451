//! Autosave: after every action that [`ActionKind::persists`], the session's snapshot is written to its
//! key after the frame that shows the edit (a zero timeout coalesces bursts of edits), and at once if the
//! page goes away. The outcome goes back to the session as [`Action::StorageStatus`].

use crate::storage;
use crate::store::Store;
use gloo_timers::callback::Timeout;
use sahifa_core::session::{Action, ActionKind, Session};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// Saves the store's work under `key(session)` whenever it changes.
#[hook]
pub fn use_autosave(store: &Store, key: Rc<dyn Fn(&Session) -> String>) {
    use_effect_with(store.clone(), move |store| {
        let pending: Rc<RefCell<Option<Timeout>>> = Rc::default();
        let save_now = {
            let store = store.clone();
            Rc::new(move || {
                let session = store.get();
                let result = storage::save(&key(&session), &session).err();
                // Refused only when the status is unchanged.
                let _ = store.dispatch(Action::StorageStatus(result));
            })
        };
        let sub = {
            let (pending, save_now) = (pending.clone(), save_now.clone());
            store.subscribe(move |_, kind: ActionKind| {
                if !kind.persists() {
                    return;
                }
                let (slot, save_now) = (pending.clone(), save_now.clone());
                *pending.borrow_mut() = Some(Timeout::new(0, move || {
                    slot.borrow_mut().take();
                    save_now();
                }));
            })
        };
        let flush = web_sys::window().map(|w| {
            let (pending, save_now) = (pending.clone(), save_now.clone());
            gloo_events::EventListener::new(&w, "pagehide", move |_| {
                if pending.borrow_mut().take().is_some() {
                    save_now();
                }
            })
        });
        let store = store.clone();
        move || {
            store.unsubscribe(sub);
            drop(flush);
        }
    });
}
