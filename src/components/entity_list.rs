//! The side panel's entity list: mentions grouped by entity id, so spelling variants (باشنيان / باشينيان)
//! read as one entity with its variants and count; a filter box narrows it, and each entity's open
//! suggestions can be accepted or rejected at once.

use crate::i18n::{Lang, Msg};
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
    /// An entity's next (`1`) or previous (`-1`) mention: keys N and P (or Alt+↓/↑) on an entity.
    pub on_step: Callback<(String, isize)>,
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
    let lang = use_context::<Lang>().unwrap_or_default();
    let t = |m: Msg| m.text(lang);
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
        let onkeydown = {
            let (id, on_step) = (id.to_string(), props.on_step.clone());
            Callback::from(move |e: KeyboardEvent| {
                let step = match (e.key().as_str(), e.alt_key()) {
                    ("n" | "N", false) | ("ArrowDown", true) => 1,
                    ("p" | "P", false) | ("ArrowUp", true) => -1,
                    _ => return,
                };
                if e.ctrl_key() || e.meta_key() {
                    return;
                }
                e.prevent_default();
                on_step.emit((id.clone(), step));
            })
        };
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
                    <span class="review" role="group" aria-label={t(Msg::ReviewAll)}>
                        <button type="button" class="accept-all" onclick={review(true)}
                            title={t(Msg::AcceptAllTitle)} aria-label={Msg::AcceptN.fill(lang, &[&g.open])}>{ "✓" }</button>
                        <button type="button" class="reject-all" onclick={review(false)}
                            title={t(Msg::RejectAllTitle)} aria-label={Msg::RejectN.fill(lang, &[&g.open])}>{ "✗" }</button>
                    </span>
                }
                <button type="button" class={classes!("sahifa-entity", format!("t-{}", g.label))}
                    data-entity={id.to_string()} data-type={g.label.to_string()} {onclick} {onkeydown}
                    aria-keyshortcuts="N P Alt+ArrowDown Alt+ArrowUp">
                    <span class="swatch" aria-hidden="true"></span>
                    <bdi class="canonical">{ g.canonical }</bdi>
                    <span class="count">{ g.count }<span class="sr">{ t(Msg::MentionsSr) }</span></span>
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
        <section class="sahifa-entities" aria-label={t(Msg::Entities)}>
            <h2>{ t(Msg::Entities) }</h2>
            <input type="search" class="filter" aria-label={t(Msg::FilterLabel)} placeholder={t(Msg::FilterPlaceholder)}
                value={(*filter).clone()} oninput={oninput} />
            <ul role="list">{ for items }</ul>
        </section>
    }
}
