//! The JavaScript API of a mounted widget (see `API.md`). It only reads the [`Store`] and dispatches
//! `Action`s, so everything it does is also what the UI does.

use crate::state::{Action, State};
use crate::store::Store;
use sahifa_core::Status;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// A mention as `entities()` reports it.
#[derive(Serialize)]
struct Mention<'a> {
    id: &'a str,
    entity: &'a str,
    start: usize,
    end: usize,
    #[serde(rename = "type")]
    label: &'a str,
    text: &'a str,
    source: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    status: &'a str,
}

/// The instance handed to JavaScript (`window.sahifa`, `element.sahifa`).
#[wasm_bindgen]
pub struct Sahifa {
    store: Store,
}

impl Sahifa {
    pub fn new(store: Store) -> Self {
        Sahifa { store }
    }

    fn state(&self) -> std::rc::Rc<State> {
        self.store.get()
    }
}

fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsError> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("sahifa: cannot convert result: {e}")))
}

#[wasm_bindgen]
impl Sahifa {
    /// The article text that offsets count.
    pub fn text(&self) -> String {
        self.state().article.text.clone()
    }

    /// Every mention shown (rejected suggestions excluded), in text order.
    pub fn entities(&self) -> Result<JsValue, JsError> {
        let state = self.state();
        let list: Vec<Mention> = state
            .annotations
            .iter()
            .filter(|a| a.status != Status::Rejected)
            .map(|a| Mention {
                id: &a.id,
                entity: &a.entity,
                start: a.start,
                end: a.end,
                label: &a.label,
                text: &a.text,
                source: a.source.as_str(),
                note: a.note.as_deref(),
                status: match a.status {
                    Status::Suggested => "suggested",
                    Status::Accepted => "accepted",
                    Status::Rejected => "rejected",
                },
            })
            .collect();
        to_js(&list)
    }

    pub fn undo(&self) -> bool {
        self.store.dispatch(Action::Undo)
    }

    pub fn redo(&self) -> bool {
        self.store.dispatch(Action::Redo)
    }
}
