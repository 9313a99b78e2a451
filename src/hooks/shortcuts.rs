//! Keyboard shortcuts anywhere in the widget: Ctrl/⌘+Z undoes, Ctrl/⌘+Shift+Z and Ctrl/⌘+Y redo (except
//! while typing in a field); Esc closes the picker, or else the open card and returns focus to its mark.

use super::picker::Pending;
use sahifa_core::session::Action;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[hook]
pub fn use_shortcuts(
    dispatch: Callback<Action>,
    pending: UseStateHandle<Option<Pending>>,
    selected: Option<String>,
    root: NodeRef,
) -> Callback<KeyboardEvent> {
    Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Escape" && pending.is_none() {
            if let Some(id) = &selected {
                dispatch.emit(Action::Select(None));
                // Back to the mark the card belonged to.
                let mark = root
                    .cast::<web_sys::Element>()
                    .and_then(|r| r.query_selector(&format!("mark[data-id=\"{}\"]", id.replace('"', ""))).ok().flatten())
                    .and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok());
                let main = root
                    .cast::<web_sys::Element>()
                    .and_then(|r| r.query_selector(".sahifa-main").ok().flatten())
                    .and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok());
                if let (Some(main), Some(m)) = (main, mark) {
                    crate::selection::return_to_mark(&main, &m);
                }
                return;
            }
        }
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
