//! Following the store: the component re-renders with every new session.

use crate::store::Store;
use sahifa_core::session::Session;
use std::rc::Rc;
use yew::prelude::*;

/// The store's current session, kept up to date.
#[hook]
pub fn use_session(store: &Store) -> Rc<Session> {
    let session = use_state(|| store.get());
    {
        let session = session.clone();
        use_effect_with(store.clone(), move |store| {
            let id = store.subscribe(move |next: &Rc<Session>, _| session.set(next.clone()));
            let store = store.clone();
            move || store.unsubscribe(id)
        });
    }
    (*session).clone()
}
