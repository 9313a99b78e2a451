//! One DOM-to-article function for every way HTML becomes an article — an embedded element, an opened
//! `.html` file, the first-highlight module painting a news page — so the same HTML always gives the same
//! text, offsets and storage key.
//!
//! Each block (heading, paragraph, list item, quote, preformatted text) is a paragraph, joined by blank
//! lines, its text as written: only HTML white space (source line breaks, indentation) collapses, as the
//! page shows it; no-break spaces, ZWNJ and bidi marks are text. Headings keep their level, so a view can
//! keep their look.

use wasm_bindgen::JsCast;
use web_sys::Element;

const BLOCKS: &str = "h1,h2,h3,h4,h5,h6,p,li,blockquote,pre";

/// The article held by `element`: each block (heading, paragraph, list item, quote) is a paragraph, joined
/// by blank lines, its text as written (only HTML source line breaks and indentation collapse, as the page
/// shows them). Also says which paragraphs were headings (their level), to keep their look.
pub fn article_of(element: &Element) -> Result<(String, Vec<Option<u8>>), String> {
    let blocks = element
        .query_selector_all(BLOCKS)
        .map_err(|_| "cannot read the element".to_string())?;
    let mut paragraphs: Vec<(String, Option<u8>)> = Vec::new();
    for i in 0..blocks.length() {
        let Some(el) = blocks.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        // A block inside another block of the article (a <p> in an <li>) is part of that one.
        let outer = el
            .parent_element()
            .and_then(|p| p.closest(BLOCKS).ok().flatten());
        if outer.is_some_and(|o| element.contains(Some(&o)) && !o.is_same_node(Some(element))) {
            continue;
        }
        let text = collapse(&el.text_content().unwrap_or_default());
        if text.is_empty() {
            continue;
        }
        let tag = el.tag_name().to_ascii_lowercase();
        let level = tag.strip_prefix('h').and_then(|n| n.parse::<u8>().ok());
        paragraphs.push((text, level));
    }
    if paragraphs.is_empty() {
        let all = element
            .text_content()
            .unwrap_or_default()
            .replace("\r\n", "\n");
        paragraphs = all
            .split("\n\n")
            .map(collapse)
            .filter(|p| !p.is_empty())
            .map(|p| (p, None))
            .collect();
    }
    if paragraphs.is_empty() {
        return Err(
            "the element holds no text to annotate (give it <h1>/<p> children or the text option)"
                .into(),
        );
    }
    let text = paragraphs
        .iter()
        .map(|(t, _)| t.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");
    Ok((text, paragraphs.into_iter().map(|(_, l)| l).collect()))
}

/// HTML white space (space, tab, line breaks, form feed) collapsed and trimmed; other characters (no-break
/// spaces, ZWNJ, bidi marks) kept.
fn collapse(s: &str) -> String {
    let html_ws = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c');
    let mut out = String::with_capacity(s.len());
    let mut pending = false;
    for c in s.chars() {
        if html_ws(c) {
            pending = !out.is_empty();
        } else {
            if pending {
                out.push(' ');
                pending = false;
            }
            out.push(c);
        }
    }
    out
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_white_space_collapses_and_other_spaces_stay() {
        assert_eq!(collapse("\n    زار الرئيس\n      باريس.  \n"), "زار الرئيس باريس.");
        assert_eq!(collapse("a\u{a0}b\u{200c}c"), "a\u{a0}b\u{200c}c", "no-break space and ZWNJ are text");
        assert_eq!(collapse(" \t\n"), "");
    }
}
