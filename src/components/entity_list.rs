//! The side panel's entity list: mentions grouped by entity id, so spelling variants (باشنيان / باشينيان)
//! read as one entity with its variants and count; a filter box narrows it, and each entity's open
//! suggestions can be accepted or rejected at once.

use sahifa_core::normalize_key;
use sahifa_core::session::{Action, Session};
use sahifa_core::{Source, Status};
use std::collections::BTreeMap;
use wasm_bindgen::JsCast;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EntityListProps {
    pub state: Rc<Session>,
    /// Called with the entity id when a reader picks an entity.
    pub on_pick: Callback<String>,
    pub dispatch: Callback<Action>,
    #[prop_or_default]
    pub read_only: bool,
}

struct Group<'a> {
    label: &'a str,
    canonical: &'a str,
    first: usize,
    count: usize,
    /// Mentions still waiting for review.
    open: usize,
    variants: BTreeMap<&'a str, usize>,
}

#[function_component(EntityList)]
pub fn entity_list(props: &EntityListProps) -> Html {
    let state = &props.state;
    let filter = use_state(String::new);
    let key = normalize_key(filter.trim());
    let mut groups: BTreeMap<&str, Group> = BTreeMap::new();
    for a in state.visible() {
        let g = groups.entry(a.entity.as_str()).or_insert_with(|| Group {
            label: &a.label,
            canonical: if a.canonical.is_empty() {
                &a.text
            } else {
                &a.canonical
            },
            first: a.start,
            count: 0,
            open: 0,
            variants: BTreeMap::new(),
        });
        g.count += 1;
        if a.source == Source::Extractor && a.status == Status::Suggested {
            g.open += 1;
        }
        g.first = g.first.min(a.start);
        *g.variants.entry(a.text.as_str()).or_default() += 1;
    }
    let mut ordered: Vec<(&str, Group)> = groups
        .into_iter()
        .filter(|(_, g)| key.is_empty() || g.variants.keys().any(|v| normalize_key(v).contains(&key)))
        .collect();
    ordered.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.1.first.cmp(&b.1.first)));
    let items = ordered.into_iter().map(|(id, g)| {
        let onclick = props.on_pick.reform({
            let id = id.to_string();
            move |_| id.clone()
        });
        let variants: Vec<&str> = g.variants.keys().copied().filter(|v| *v != g.canonical).collect();
        let review = |accept: bool| {
            let (entity, dispatch) = (id.to_string(), props.dispatch.clone());
            Callback::from(move |e: MouseEvent| {
                // The review buttons go once nothing is left to review: keep focus on the entity's own
                // button, so the keyboard (Ctrl+Z) still reaches the widget.
                let own = e
                    .target_dyn_into::<web_sys::Element>()
                    .and_then(|b| b.closest("li").ok().flatten())
                    .and_then(|li| li.query_selector("button.sahifa-entity").ok().flatten())
                    .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok());
                if let Some(b) = own {
                    let _ = b.focus();
                }
                dispatch.emit(Action::ReviewEntity { entity: entity.clone(), accept });
            })
        };
        html! {
            <li key={id.to_string()}>
                if g.open > 0 && !props.read_only {
                    <span class="review" role="group" aria-label="مراجعة كل الإشارات">
                        <button type="button" class="accept-all" onclick={review(true)}
                            title="قبول كل اقتراحات هذا الكيان" aria-label={format!("قبول {} اقتراحات", g.open)}>{ "✓" }</button>
                        <button type="button" class="reject-all" onclick={review(false)}
                            title="رفض كل اقتراحات هذا الكيان" aria-label={format!("رفض {} اقتراحات", g.open)}>{ "✗" }</button>
                    </span>
                }
                <button type="button" class={classes!("sahifa-entity", format!("t-{}", g.label))}
                    data-entity={id.to_string()} data-type={g.label.to_string()} {onclick}>
                    <span class="swatch" aria-hidden="true"></span>
                    <bdi class="canonical">{ g.canonical }</bdi>
                    <span class="count">{ g.count }<span class="sr">{ " إشارة" }</span></span>
                    if !variants.is_empty() {
                        <span class="variants">{ for variants.iter().map(|v| html! { <bdi>{ *v }</bdi> }) }</span>
                    }
                </button>
            </li>
        }
    });
    let oninput = {
        let filter = filter.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                filter.set(i.value());
            }
        })
    };
    html! {
        <section class="sahifa-entities" aria-label="الكيانات">
            <h2>{ "الكيانات" }</h2>
            <input type="search" class="filter" aria-label="تصفية الكيانات" placeholder="تصفية…"
                value={(*filter).clone()} oninput={oninput} />
            <ul role="list">{ for items }</ul>
        </section>
    }
}
