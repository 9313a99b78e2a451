//! The widget's components: each renders a slice of [`sahifa_core::session::Session`] and sends `Action`s back.

pub mod app;
pub mod article;
pub mod collection_panel;
pub mod collections_bar;
pub mod details;
pub mod entity_list;
pub mod find;
pub mod legend;
pub mod paragraph;
pub mod picker;
pub mod toolbar;

use std::rc::Rc;

/// A shared value compared by pointer: memo keys and props over large values (the article, the
/// annotations) compared in O(1) instead of walking them on every render.
pub(crate) struct Same<T>(pub Rc<T>);

impl<T> PartialEq for Same<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}
