//! Find in the article: a search box in the side panel that highlights every match (the CSS Custom
//! Highlight API, so the article's DOM is not touched) and steps through them with Enter / Shift+Enter or
//! the arrow buttons, scrolling each into view. Matching is the core's ([`sahifa_core::find_all`]: hamza,
//! harakat, tatweel and digit scripts folded); this module only maps its code-point spans to DOM ranges.

use crate::i18n::{Lang, Msg};
use sahifa_core::session::Session;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, Node};
use yew::prelude::*;

/// Highlight names, styled in `sahifa.css` (`::highlight(…)`).
const ALL: &str = "sahifa-find";
const CURRENT: &str = "sahifa-find-current";

#[derive(Properties)]
pub struct FindProps {
    pub state: Rc<Session>,
    /// The widget's root, which holds the article.
    pub root: NodeRef,
}

/// The same session (pointer equality): a derived comparison walks the article's text and the history.
impl PartialEq for FindProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.state, &other.state) && self.root == other.root
    }
}

#[function_component(Find)]
pub fn find(p: &FindProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or_default();
    let t = |m: Msg| m.text(lang);
    let query = use_state(String::new);
    let current = use_state(|| 0usize);
    let matches = {
        let q = (*query).clone();
        use_memo((q, super::Same(p.state.article.clone())), |(q, article)| {
            sahifa_core::find_all(&article.0.text, q)
        })
    };
    let n = matches.len();
    let at = if n == 0 { 0 } else { *current % n };
    // After every render: the marks may have split the text nodes again.
    {
        let (root, matches) = (p.root.clone(), matches.clone());
        use_effect(move || {
            let main = root
                .cast::<Element>()
                .and_then(|r| r.query_selector(".sahifa-main").ok().flatten());
            if let Some(main) = main.filter(|_| !matches.is_empty()) {
                let paragraphs = paragraphs(&main);
                let ranges: Vec<web_sys::Range> = matches
                    .iter()
                    .filter_map(|&(s, e)| dom_range(&main, &paragraphs, s, e))
                    .collect();
                set_highlight(ALL, &ranges);
                set_highlight(CURRENT, ranges.get(at).map(std::slice::from_ref).unwrap_or_default());
            }
            || {
                set_highlight(ALL, &[]);
                set_highlight(CURRENT, &[]);
            }
        });
    }
    let go = {
        let (current, root, matches) = (current.clone(), p.root.clone(), matches.clone());
        Callback::from(move |step: isize| {
            if matches.is_empty() {
                return;
            }
            let next = (at as isize + step).rem_euclid(matches.len() as isize) as usize;
            current.set(next);
            let (s, e) = matches[next];
            let main = root
                .cast::<Element>()
                .and_then(|r| r.query_selector(".sahifa-main").ok().flatten());
            if let Some(el) = main
                .and_then(|m| dom_range(&m, &paragraphs(&m), s, e))
                .and_then(|r| r.start_container().ok())
                .and_then(|n| n.parent_element())
            {
                let opts = web_sys::ScrollIntoViewOptions::new();
                opts.set_block(web_sys::ScrollLogicalPosition::Center);
                el.scroll_into_view_with_scroll_into_view_options(&opts);
            }
        })
    };
    let oninput = {
        let (query, current) = (query.clone(), current.clone());
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                query.set(i.value());
                current.set(0);
            }
        })
    };
    let onkeydown = {
        let (go, query) = (go.clone(), query.clone());
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Enter" => {
                e.prevent_default();
                go.emit(if e.shift_key() { -1 } else { 1 });
            }
            "Escape" if !query.is_empty() => {
                // Clears the box; a second Esc goes on to the widget (closing a card).
                e.prevent_default();
                e.stop_propagation();
                query.set(String::new());
            }
            _ => {}
        })
    };
    let count = if query.trim().is_empty() {
        String::new()
    } else if n == 0 {
        t(Msg::FindNone).to_string()
    } else {
        Msg::FindCount.fill(lang, &[&(at + 1), &n])
    };
    html! {
        <section class="sahifa-find" role="search" aria-label={t(Msg::FindLabel)}>
            <input type="search" class="find" aria-label={t(Msg::FindLabel)} placeholder={t(Msg::FindPlaceholder)}
                value={(*query).clone()} {oninput} {onkeydown} />
            <button type="button" class="find-prev" aria-label={t(Msg::FindPrev)} title={t(Msg::FindPrev)}
                disabled={n == 0} onclick={go.reform(|_: MouseEvent| -1)}>{ "↑" }</button>
            <button type="button" class="find-next" aria-label={t(Msg::FindNext)} title={t(Msg::FindNext)}
                disabled={n == 0} onclick={go.reform(|_: MouseEvent| 1)}>{ "↓" }</button>
            <span class="count" role="status" aria-live="polite">{ count }</span>
        </section>
    }
}

/// The rendered paragraphs with their start offsets (`data-offset`), in order: read once per pass.
fn paragraphs(main: &Element) -> Vec<(Element, usize)> {
    let Ok(list) = main.query_selector_all(".sahifa-p[data-offset]") else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .filter_map(|el| {
            let off = el.get_attribute("data-offset")?.parse().ok()?;
            Some((el, off))
        })
        .collect()
}

/// The DOM range of code points `start..end` of the article: in the paragraph that holds `start` (found by
/// binary search over `paragraphs`), counting code points through its text nodes, converted to the UTF-16
/// offsets the DOM uses. `None` when that paragraph is not rendered yet.
fn dom_range(
    main: &Element,
    paragraphs: &[(Element, usize)],
    start: usize,
    end: usize,
) -> Option<web_sys::Range> {
    let i = paragraphs.partition_point(|(_, off)| *off <= start).checked_sub(1)?;
    let (para, mut pos) = paragraphs[i].clone();
    let mut texts = Vec::new();
    text_nodes(&para, &mut texts);
    let doc = main.owner_document()?;
    let range = doc.create_range().ok()?;
    let (mut started, mut ended) = (false, false);
    for node in texts {
        let data = node.text_content().unwrap_or_default();
        let len = data.chars().count();
        let utf16 = |k: usize| data.chars().take(k).map(char::len_utf16).sum::<usize>() as u32;
        if !started && start < pos + len {
            range.set_start(&node, utf16(start - pos)).ok()?;
            started = true;
        }
        if started && end <= pos + len {
            range.set_end(&node, utf16(end - pos)).ok()?;
            ended = true;
            break;
        }
        pos += len;
    }
    (started && ended).then_some(range)
}

fn text_nodes(node: &Node, out: &mut Vec<Node>) {
    let children = node.child_nodes();
    for i in 0..children.length() {
        if let Some(child) = children.item(i) {
            if child.node_type() == Node::TEXT_NODE {
                out.push(child);
            } else {
                text_nodes(&child, out);
            }
        }
    }
}

/// Sets (or, with no ranges, removes) a named highlight in the document's registry, where the browser has
/// the Highlight API; elsewhere finding still counts and scrolls, without the colour.
fn set_highlight(name: &str, ranges: &[web_sys::Range]) {
    let run = || -> Result<(), JsValue> {
        let window = web_sys::window().ok_or(JsValue::NULL)?;
        let css = js_sys::Reflect::get(&window, &"CSS".into())?;
        let registry = js_sys::Reflect::get(&css, &"highlights".into())?;
        if registry.is_undefined() {
            return Ok(());
        }
        if ranges.is_empty() {
            let delete = js_sys::Reflect::get(&registry, &"delete".into())?;
            delete.unchecked_ref::<js_sys::Function>().call1(&registry, &name.into())?;
            return Ok(());
        }
        let ctor = js_sys::Reflect::get(&window, &"Highlight".into())?;
        let args: js_sys::Array = ranges.iter().collect();
        let highlight = js_sys::Reflect::construct(ctor.unchecked_ref::<js_sys::Function>(), &args)?;
        let set = js_sys::Reflect::get(&registry, &"set".into())?;
        set.unchecked_ref::<js_sys::Function>()
            .call2(&registry, &name.into(), &highlight)?;
        Ok(())
    };
    let _ = run();
}
