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
