//! Sahifa's extraction core.
//!
//! Pure Rust with no web dependencies, so every piece is tested natively and the same code runs in the
//! `sahifa` command line and, compiled to wasm, in the widget. Offsets in the public API are Unicode code
//! points (what W3C Web Annotation counts); byte and UTF-16 offsets exist only inside [`offsets`].

pub mod anchor;
pub mod annotation;
pub mod cluster;
pub mod conll;
pub mod document;
pub mod extract;
pub mod formats;
pub mod gazetteer;
pub mod html;
pub mod link;
pub mod marks;
pub mod metrics;
pub mod normalize;
pub mod offsets;
pub mod rules;
pub mod snap;
pub mod tagger;
pub mod tokenize;

pub use annotation::{Annotation, EntityType, Source, Status};
pub use extract::extract;

/// The seed article, the widget's embedded default (the source's stray "Ad" line removed).
pub const SEED_ARTICLE: &str = include_str!("../assets/seed-article-ar.txt");
