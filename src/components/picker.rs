//! The label picker that opens beside a selection: keys 1–9 pick a label, Enter confirms, Esc cancels,
//! `r` switches between the snapped span and the raw selection.

use sahifa_core::session::LabelDef;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PickerProps {
    pub labels: Rc<Vec<LabelDef>>,
    /// The text that will be marked (snapped or raw, as `raw` says).
    pub preview: AttrValue,
    pub raw: bool,
    /// Whether snapping changed the selection (otherwise the raw toggle is moot).
    pub snapped_differs: bool,
    /// Selection rectangle in viewport coordinates: left, top, right, bottom.
    pub rect: (f64, f64, f64, f64),
    /// The selection was cut at the end of its paragraph: say so.
    #[prop_or_default]
    pub clipped: bool,
    pub on_pick: Callback<String>,
    pub on_cancel: Callback<()>,
    pub on_toggle_raw: Callback<()>,
}

const WIDTH: f64 = 264.0;
const HEIGHT: f64 = 240.0;

/// Right-aligned under the selection (reading starts at the right), flipped above it near the bottom,
/// and always kept inside the viewport.
fn place(rect: (f64, f64, f64, f64)) -> (f64, f64) {
    let (vw, vh) = web_sys::window()
        .map(|w| {
            let n = |v: Result<wasm_bindgen::JsValue, _>| {
                v.ok().and_then(|v| v.as_f64()).unwrap_or(800.0)
            };
            (n(w.inner_width()), n(w.inner_height()))
        })
        .unwrap_or((800.0, 600.0));
    let (_, top, right, bottom) = rect;
    let left = (right - WIDTH).clamp(8.0, (vw - WIDTH - 8.0).max(8.0));
    let y = if bottom + 6.0 + HEIGHT <= vh {
        bottom + 6.0
    } else {
        (top - 6.0 - HEIGHT).max(8.0)
    };
    (left, y)
}

#[function_component(Picker)]
pub fn picker(p: &PickerProps) -> Html {
    let active = use_state(|| 0usize);
    let root = use_node_ref();
    {
        let root = root.clone();
        use_effect_with((), move |_| {
            if let Some(el) = root.cast::<web_sys::HtmlElement>() {
                // It opens beside the selection, in view; focusing it must not scroll the page.
                let opts = web_sys::FocusOptions::new();
                opts.set_prevent_scroll(true);
                let _ = el.focus_with_options(&opts);
            }
        });
    }
    let onkeydown = {
        let labels = p.labels.clone();
        let (on_pick, on_cancel, on_toggle_raw) = (
            p.on_pick.clone(),
            p.on_cancel.clone(),
            p.on_toggle_raw.clone(),
        );
        let active = active.clone();
        Callback::from(move |e: KeyboardEvent| {
            let key = e.key();
            let handled = match key.as_str() {
                "Escape" => {
                    on_cancel.emit(());
                    true
                }
                "Enter" => {
                    if let Some(l) = labels.get(*active) {
                        on_pick.emit(l.name.clone());
                    }
                    true
                }
                "r" | "R" => {
                    on_toggle_raw.emit(());
                    true
                }
                "ArrowDown" => {
                    active.set((*active + 1) % labels.len().max(1));
                    true
                }
                "ArrowUp" => {
                    active.set((*active + labels.len().max(1) - 1) % labels.len().max(1));
                    true
                }
                // A label's key applies it at once (Enter confirms the highlighted one).
                k => match k.chars().next().filter(|_| k.chars().count() == 1) {
                    Some(c) => match labels.iter().find(|l| l.key == Some(c)) {
                        Some(l) => {
                            on_pick.emit(l.name.clone());
                            true
                        }
                        None => false,
                    },
                    None => false,
                },
            };
            if handled {
                e.prevent_default();
                e.stop_propagation();
            }
        })
    };
    let (left, top) = place(p.rect);
    {
        // Position and custom colours through the CSSOM, not style attributes, which a strict
        // Content-Security-Policy (no 'unsafe-inline' styles) refuses.
        let root = root.clone();
        let colors: Vec<String> = p.labels.iter().map(|l| l.color.clone()).collect();
        use_effect_with((left as i64, top as i64, colors), move |(left, top, _)| {
            if let Some(el) = root.cast::<web_sys::HtmlElement>() {
                let style = el.style();
                let _ = style.set_property("left", &format!("{left}px"));
                let _ = style.set_property("top", &format!("{top}px"));
                if let Ok(list) = el.query_selector_all("[data-color]") {
                    for i in 0..list.length() {
                        if let Some(b) = list.item(i).and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok()) {
                            let color = b.get_attribute("data-color").unwrap_or_default();
                            let _ = b.style().set_property("--c", &color);
                        }
                    }
                }
            }
        });
    }
    let items = p.labels.iter().enumerate().map(|(i, l)| {
        let on_pick = p.on_pick.clone();
        let name = l.name.clone();
        let onclick = Callback::from(move |_| on_pick.emit(name.clone()));
        let known = l.name.parse::<sahifa_core::EntityType>().ok();
        html! {
            <li role="none">
                <button type="button" role="option" aria-selected={(i == *active).to_string()}
                    class={classes!("sahifa-pick", format!("t-{}", if known.is_some() { l.name.as_str() } else { "custom" }), (i == *active).then_some("active"))}
                    data-color={known.is_none().then(|| l.color.clone())}
                    data-label={l.name.clone()} {onclick}>
                    <kbd>{ l.key.map(String::from).unwrap_or_default() }</kbd>
                    <span class="swatch" aria-hidden="true"></span>
                    <span>{ known.map_or(l.name.as_str(), |t| t.arabic_name()) }</span>
                    <bdi class="code">{ l.name.clone() }</bdi>
                </button>
            </li>
        }
    });
    let on_cancel = p.on_cancel.reform(|_| ());
    let on_raw = p.on_toggle_raw.reform(|_| ());
    html! {
        <div class="sahifa-picker" ref={root} tabindex="-1" role="dialog" aria-label="اختر نوع الكيان"
            {onkeydown}>
            <div class="preview">
                <bdi>{ p.preview.clone() }</bdi>
                if p.snapped_differs {
                    <button type="button" class="raw" onclick={on_raw} aria-pressed={p.raw.to_string()}
                        title="R: التحديد كما هو أو بعد إزالة السوابق">{ if p.raw { "كما حُدِّد" } else { "بلا سوابق" } }<kbd>{"R"}</kbd></button>
                }
            </div>
            if p.clipped {
                <div class="clipped" role="note">{ "قُصّ التحديد عند نهاية الفقرة: لا تعبر العلامة فقرتين." }</div>
            }
            <ul role="listbox">{ for items }</ul>
            <div class="hint">{ "1–9 للتعليم مباشرة · الأسهم ثم Enter · Esc للإلغاء" }</div>
            <button type="button" class="close" onclick={on_cancel} aria-label="إلغاء">{ "×" }</button>
        </div>
    }
}
