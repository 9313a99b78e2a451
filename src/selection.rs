//! DOM selection → code-point range of the article.
//!
//! Each paragraph element carries its start offset (`data-offset`) and holds exactly the paragraph's text
//! (marks and `<bdi>` add elements, never characters), so an endpoint's offset is the paragraph start plus
//! the UTF-16 length of the text before it, converted by `sahifa_core::OffsetMap` — the one conversion place.

use sahifa_core::OffsetMap;
use wasm_bindgen::JsCast;
use web_sys::{Element, Node};

/// A selection inside the article, in code points; `rect` is where to place the label picker.
#[derive(Debug, Clone, PartialEq)]
pub struct Picked {
    pub start: usize,
    pub end: usize,
    pub rect: (f64, f64, f64, f64), // left, top, right, bottom (viewport)
    /// The selection went on into a later paragraph and was cut at the end of the first (a mark never
    /// spans paragraphs); the picker says so.
    pub clipped: bool,
}

/// The current selection inside `root` as a code-point range, clipped to the paragraph where it starts
/// (a mark never spans paragraphs). `None` for an empty selection or one outside the article.
pub fn current(root: &Element, article_text: &str) -> Option<Picked> {
    let sel = selection_in(root)?;
    if sel.is_collapsed() || sel.range_count() == 0 {
        return None;
    }
    let range = sel.get_range_at(0).ok()?;
    let (sp, s_utf16) = endpoint(
        root,
        &range.start_container().ok()?,
        range.start_offset().ok()?,
    )?;
    let end = endpoint(root, &range.end_container().ok()?, range.end_offset().ok()?);
    let p_start: usize = sp.get_attribute("data-offset")?.parse().ok()?;
    let p_text = sp.text_content()?;
    let map = OffsetMap::new(&p_text);
    let start = p_start + map.utf16_to_cp(s_utf16)?;
    let (end, clipped) = match end {
        Some((ep, e_utf16)) if ep == sp => (p_start + map.utf16_to_cp(e_utf16)?, false),
        // Ends in a later paragraph or outside: stop at the end of the first one.
        _ => (p_start + map.len_chars(), true),
    };
    if start >= end || article_text.is_empty() {
        return None;
    }
    let r = range.get_bounding_client_rect();
    Some(Picked {
        start,
        end,
        rect: (r.left(), r.top(), r.right(), r.bottom()),
        clipped,
    })
}

/// The selection as seen from `root`'s tree. Inside a shadow root (an embedded widget) the document's
/// selection is retargeted to the shadow host, so Chromium's `ShadowRoot.getSelection()` is used there.
/// The mark the caret is in (a keyboard user moving with the arrows through the editable article), if any.
pub fn caret_mark(root: &Element) -> Option<Element> {
    let sel = selection_in(root)?;
    let node = sel.focus_node()?;
    let el = match node.dyn_ref::<Element>() {
        Some(e) => e.clone(),
        None => node.parent_element()?,
    };
    let mark = el.closest("mark[data-id]").ok()??;
    root.contains(Some(&mark)).then_some(mark)
}

/// Puts the caret at the start of `mark` in the editable article (where keyboard editing acts), or focuses
/// the mark itself where the article is not editable.
pub fn return_to_mark(main: &web_sys::HtmlElement, mark: &web_sys::HtmlElement) {
    if !main.is_content_editable() {
        let _ = mark.focus();
        return;
    }
    let opts = web_sys::FocusOptions::new();
    opts.set_prevent_scroll(true);
    let _ = main.focus_with_options(&opts);
    if let (Some(sel), Some(doc)) = (selection_in(main), mark.owner_document()) {
        if let Ok(range) = doc.create_range() {
            let _ = range.set_start(mark, 0);
            range.collapse_with_to_start(true);
            let _ = sel.remove_all_ranges();
            let _ = sel.add_range(&range);
        }
    }
}

fn selection_in(root: &Element) -> Option<web_sys::Selection> {
    let tree = root.get_root_node();
    if let Some(shadow) = tree.dyn_ref::<web_sys::ShadowRoot>() {
        let get = js_sys::Reflect::get(shadow, &"getSelection".into()).ok()?;
        if let Some(get) = get.dyn_ref::<js_sys::Function>() {
            if let Ok(sel) = get.call0(shadow) {
                if let Ok(sel) = sel.dyn_into::<web_sys::Selection>() {
                    return Some(sel);
                }
            }
        }
    }
    web_sys::window()?.get_selection().ok()?
}

/// The paragraph element holding `node` and the UTF-16 offset of (`node`, `offset`) inside its text.
fn endpoint(root: &Element, node: &Node, offset: u32) -> Option<(Element, usize)> {
    let el: Element = match node.dyn_ref::<Element>() {
        Some(e) => e.clone(),
        None => node.parent_element()?,
    };
    let p = el.closest(".sahifa-p").ok()??;
    if !root.contains(Some(&p)) {
        return None;
    }
    let doc = p.owner_document()?;
    let before = doc.create_range().ok()?;
    before.set_start(&p, 0).ok()?;
    before.set_end(node, offset).ok()?;
    let len = before.to_string().length() as usize;
    Some((p, len))
}

/// Clears the page selection (after a label is picked or the picker is dismissed).
pub fn clear() {
    if let Some(Ok(Some(sel))) = web_sys::window().map(|w| w.get_selection()) {
        let _ = sel.remove_all_ranges();
    }
}
