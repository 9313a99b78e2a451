//! Keyboard shortcuts anywhere in the widget, except while typing in a field: Ctrl/⌘+Z undoes,
//! Ctrl/⌘+Shift+Z and Ctrl/⌘+Y redo, Esc closes the picker.

use super::picker::Pending;
use sahifa_core::session::Action;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[hook]
pub fn use_shortcuts(
    dispatch: Callback<Action>,
    pending: UseStateHandle<Option<Pending>>,
) -> Callback<KeyboardEvent> {
    Callback::from(move |e: KeyboardEvent| {
        let typing = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        if typing || !(e.ctrl_key() || e.meta_key()) {
            if e.key() == "Escape" && pending.is_some() {
                pending.set(None);
            }
            return;
        }
        let action = match (e.key().to_lowercase().as_str(), e.shift_key()) {
            ("z", false) => Some(Action::Undo),
            ("z", true) | ("y", _) => Some(Action::Redo),
            _ => None,
        };
        if let Some(a) = action {
            e.prevent_default();
            dispatch.emit(a);
        }
    })
}
