//! Where the tagger's data stands ([`crate::tagger_data`]), re-rendering once when it is in or will not
//! come, so the status line can say the tagger's marks are still to come, or why they will not.

use crate::tagger_data::{self, DataState, OnSettled};
use std::rc::Rc;
use yew::prelude::*;

#[hook]
pub fn use_tagger_data() -> DataState {
    // `_eq`: the effect's catch-up below re-renders only when the state did change meanwhile.
    let state = use_state_eq(tagger_data::state);
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            let listener: Option<OnSettled> = (tagger_data::state() == DataState::Pending)
                .then(|| {
                    let state = state.clone();
                    Rc::new(move |s: &DataState| state.set(s.clone())) as OnSettled
                });
            match &listener {
                Some(l) => tagger_data::when_settled(l),
                None => state.set(tagger_data::state()),
            }
            move || drop(listener)
        });
    }
    (*state).clone()
}
