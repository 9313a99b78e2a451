//! Sahifa's first-highlight module (issue 18): a small wasm that paints an article's marks before the widget
//! has loaded.
//!
//! Why: the widget's wasm is over 500 kB gzipped by its code alone (collections, formats, learning), so the
//! first highlight can come under 500 kB only from a second, small module that does nothing but extract
//! a short article with the rules and gazetteers and paint its marks. Its output is the core's render
//! ([`sahifa_core::html::render`], the DOM contract `sahifa render` follows), which the widget adopts
//! without extracting again ([`sahifa_core::hydrate`]); the tagger's marks come later, with the widget, as
//! they do today. It carries no data: the page fetches the gazetteer's automata (`tagger/gazetteer.bin`)
//! once and hands the same bytes to this module ([`install_lists`]) and to the widget.
//!
//! A news page's article ([`paint_element`]) is read with the widget's own reader
//! ([`sahifa_dom::article_of`], one crate for both: the same blocks, heading levels and white space), and
//! shown with the widget's own shadow-root stylesheet ([`shadow_css`]), so the painted view and the widget
//! that replaces it have the same text, headings and look.
//!
//! Built by `tools/postbuild/postbuild.mjs` (profile `paint-release`: the core at opt-level z, it extracts
//! one short article) into `dist/sahifa-paint.js` and `dist/sahifa-paint_bg.wasm`.

use sahifa_core::data::{self, DataKind};
use wasm_bindgen::prelude::*;

/// Installs the gazetteer's automata (the bytes of `gazetteer.bin`). Throws an `Error` naming what is
/// wrong when they are refused; [`paint`] then finds nothing from the lists.
#[wasm_bindgen(js_name = installLists)]
pub fn install_lists(bytes: &[u8]) -> Result<(), JsError> {
    match data::install(DataKind::Gazetteer, bytes) {
        Ok(()) | Err(data::DataError::AlreadyInstalled(_)) => Ok(()),
        Err(e) => Err(JsError::new(&e.to_string())),
    }
}

/// `text` as the core's rendered article (`<article data-sahifa-rendered>`), with the marks of the rules
/// and gazetteers alone: what the widget's first extraction finds before the tagger's data is in.
#[wasm_bindgen]
pub fn paint(text: &str) -> String {
    sahifa_core::html::render(text, &sahifa_core::extract_with(text, None))
}

/// [`paint`] of the seed article, the standalone page's first article.
#[wasm_bindgen(js_name = paintSeed)]
pub fn paint_seed() -> String {
    paint(sahifa_core::SEED_ARTICLE)
}

/// The article a news page holds in `element`, read as the widget reads it, rendered with its marks and
/// its headings; `undefined` when the widget would not extract it in one go either (no text, or longer
/// than [`sahifa_core::session::ONE_GO`]: the widget's worker streams those in groups, and painting them
/// here would block the page longer than it saves).
#[wasm_bindgen(js_name = paintElement)]
pub fn paint_element(element: &web_sys::Element) -> Option<String> {
    let (text, levels) = sahifa_dom::article_of(element).ok()?;
    if text.chars().count() > sahifa_core::session::ONE_GO {
        return None;
    }
    let found = sahifa_core::extract_with(&text, None);
    Some(sahifa_core::html::render_with_headings(&text, &found, &levels))
}

/// The stylesheet of the widget's shadow root, for the painted view's own shadow root: the same look, and
/// the host's CSS kept out of it.
#[wasm_bindgen(js_name = shadowCss)]
pub fn shadow_css() -> String {
    sahifa_dom::shadow_css()
}
