//! An article rendered ahead of time (`sahifa render`, `sahifa_core::html`), read off the page so the widget
//! adopts its marks instead of extracting again: the text is the article element's text content (exact by
//! construction of the render), the marks are its primary `mark[data-start]` elements. Whether they can be
//! trusted (format version, text checksum, count, every attribute) is the core's decision
//! ([`sahifa_core::hydrate::hydrate`]); this module only reads attributes.

use sahifa_core::hydrate::{heading_level, hydrate, Attributes, HydrateError};
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
    let found = read_for(article, &text, is_label);
    (text, found)
}

/// The marks of the rendered `article` as annotations of `text` (read elsewhere: a painted copy of a
/// host's article is adopted only if it was made of the very text the widget reads from the host; any
/// other text is [`HydrateError::Stale`]).
pub fn read_for(article: &Element, text: &str, is_label: impl Fn(&str) -> bool) -> Result<Vec<Annotation>, HydrateError> {
    let marks: Vec<Dom> = match article.query_selector_all("mark[data-start]") {
        Ok(list) => (0..list.length())
            .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
            .map(Dom)
            .collect(),
        Err(_) => Vec::new(),
    };
    hydrate(text, &Dom(article.clone()), &marks, is_label)
}

/// Which paragraphs of the rendered `article` were headings, and their level (one entry a paragraph;
/// all `None` for a render without headings), so the widget's view keeps their look.
pub fn headings(article: &Element) -> Vec<Option<u8>> {
    match article.query_selector_all(":scope > p.sahifa-p") {
        Ok(list) => (0..list.length())
            .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
            .map(|p| heading_level(&Dom(p)))
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// The marker `sahifa.js` puts on the view it painted in a host's element before the widget loaded.
const PAINTED: &str = "data-sahifa-painted";

/// A view painted by the first-highlight module in `element` (`sahifa.js`, `paint/`): a container, the
/// element's only child, whose light DOM holds the host's own children (not shown: its shadow root has no
/// slot) and whose open shadow root holds the painted article. The container and that article.
pub fn painted(element: &Element) -> Option<(Element, Element)> {
    let container = element.first_element_child().filter(|c| c.has_attribute(PAINTED))?;
    let article = container.shadow_root()?.query_selector(&format!("[{MARKER}]")).ok().flatten()?;
    Some((container, article))
}
