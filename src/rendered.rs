//! An article rendered ahead of time (`sahifa render`, `sahifa_core::html`), read off the page so the widget
//! adopts its marks instead of extracting again: the text is the article element's text content (exact by
//! construction of the render), the marks are its primary `mark[data-start]` elements. Whether they can be
//! trusted (format version, text checksum, count, every attribute) is the core's decision
//! ([`sahifa_core::hydrate::hydrate`]); this module only reads attributes.

use sahifa_core::hydrate::{hydrate, Attributes, HydrateError};
use sahifa_core::Annotation;
use wasm_bindgen::JsCast;
use web_sys::Element;

/// The marker a render puts on its article element.
const MARKER: &str = "data-sahifa-rendered";

struct Dom(Element);

impl Attributes for Dom {
    fn attr(&self, name: &str) -> Option<String> {
        self.0.get_attribute(name)
    }
}

/// The rendered article in `element`: the element itself when it carries the marker, else its first
/// descendant that does.
pub fn find(element: &Element) -> Option<Element> {
    if element.has_attribute(MARKER) {
        return Some(element.clone());
    }
    element.query_selector(&format!("[{MARKER}]")).ok().flatten()
}

/// The text of the rendered `article` and its marks as annotations, or why they cannot be adopted (then
/// the text is extracted as any other). `is_label` names the labels the embedder defined.
pub fn read(article: &Element, is_label: impl Fn(&str) -> bool) -> (String, Result<Vec<Annotation>, HydrateError>) {
    let text = article.text_content().unwrap_or_default();
    let marks: Vec<Dom> = match article.query_selector_all("mark[data-start]") {
        Ok(list) => (0..list.length())
            .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
            .map(Dom)
            .collect(),
        Err(_) => Vec::new(),
    };
    let found = hydrate(&text, &Dom(article.clone()), &marks, is_label);
    (text, found)
}
