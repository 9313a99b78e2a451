//! Sahifa's extraction core.
//!
//! Pure Rust with no web dependencies, so every piece is tested natively and the same code runs in the
//! `sahifa` command line and, compiled to wasm, in the widget. Offsets in the public API are Unicode code
//! points (what W3C Web Annotation counts); byte and UTF-16 offsets exist only inside [`OffsetMap`].
//!
//! # The public API, and why it is small
//! Everything a caller needs is re-exported here; the modules behind it are private, so the pipeline's
//! pieces (token keys, list bits, rule candidates, the merge) can change shape without breaking the widget,
//! the CLI or the examples. Nine modules stay public because their callers use them as a whole:
//! [`collection`] (many articles: status, navigation, search, collection-wide export/import),
//! [`data`] (the tagger's data files, installed at run time when not embedded),
//! [`session`] (one article's annotations, edits and history: the widget's state), [`formats`] (the
//! widget's and the CLI's import/export), [`tagger`] (training and `sahifa tag`), [`conll`] and [`metrics`]
//! (reading and scoring CoNLL files for `sahifa tag`/`eval`/`train`).
//!
//! | item | for |
//! | --- | --- |
//! | [`extract`] | the entities of an article: rules and gazetteers merged with the embedded tagger |
//! | [`extract_with`], [`TaggerFn`] | the same with another tagger (or none): experiments, scoring |
//! | [`Annotation`], [`EntityType`], [`Source`], [`Status`] | one mark, the machine's or the user's |
//! | [`UnknownEntityType`] | why a label is not one of the six built-in types (custom labels are legal) |
//! | [`cluster`], [`assign`] | entity ids across spelling variants: for a whole article, for marks added later |
//! | [`tokenize`], [`sentences`], [`Token`], [`TokenKind`] | the tokens every part of the core sees (tagger input, CoNLL, benches) |
//! | [`OffsetMap`], [`slice_chars`] | code points ⇄ UTF-8 bytes ⇄ UTF-16 units, the only conversion place |
//! | [`paragraphs`], [`Paragraph`] | the article's paragraphs, rendered one by one |
//! | [`nest`], [`MarkNode`] | nesting or crossing marks as a render tree |
//! | [`snap`] | a raw selection to the span a reader meant |
//! | [`normalize_key`] | the matching key of a string (hamza/alef forms, ى, ة, diacritics, tatweel, digits folded): what a search box compares |
//! | [`html::render`] | an article with its marks as static HTML, by the DOM contract (`sahifa render`) |
//! | [`hydrate::hydrate`] | such a render's marks read back as annotations (checked: version, text checksum, count), so a widget adopts them |
//! | [`Tagger`] | the learned sequence tagger (see [`tagger`]) |
//! | [`SEED_ARTICLE`] | the widget's default article, and the tests' |

/// Re-anchoring, public only to the fuzz targets (the `fuzzing` feature); callers go through [`formats`].
#[cfg(feature = "fuzzing")]
pub mod anchor;
#[cfg(not(feature = "fuzzing"))]
mod anchor;
mod annotation;
mod candidate;
mod cluster;
pub mod collection;
pub mod conll;
pub mod data;
mod document;
mod extract;
pub mod formats;
mod find;
mod gazetteer;
pub mod html;
pub mod hydrate;
mod link;
mod lists;
mod marks;
mod merge;
pub mod metrics;
mod normalize;
mod offsets;
mod rules;
pub mod session;
mod snap;
pub mod tagger;
mod token;
mod tokenize;

pub use normalize::key as normalize_key;
pub use annotation::{Annotation, EntityType, Source, Status, UnknownEntityType};
pub use cluster::cluster;
pub use document::{paragraphs, Paragraph};
pub use extract::{extract, extract_with, TaggerFn};
pub use link::assign;
pub use marks::{nest, MarkNode};
pub use offsets::{slice_chars, OffsetMap};
pub use find::find_all;
pub use snap::{article_reading, snap};
pub use tagger::Tagger;
pub use token::{Token, TokenKind};
pub use tokenize::{sentences, tokenize};

/// The seed article, the widget's embedded default (the source's stray "Ad" line removed).
pub const SEED_ARTICLE: &str = include_str!("../assets/seed-article-ar.txt");
