//! The side panel's entity list: mentions grouped by entity id, so spelling variants (باشنيان / باشينيان)
//! read as one entity with its variants and count.

use sahifa_core::session::Session;
use std::collections::BTreeMap;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EntityListProps {
    pub state: Rc<Session>,
    /// Called with the entity id when a reader picks an entity.
    pub on_pick: Callback<String>,
}

struct Group<'a> {
    label: &'a str,
    canonical: &'a str,
    first: usize,
    count: usize,
    variants: BTreeMap<&'a str, usize>,
}

#[function_component(EntityList)]
pub fn entity_list(props: &EntityListProps) -> Html {
    let state = &props.state;
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
            variants: BTreeMap::new(),
        });
        g.count += 1;
        g.first = g.first.min(a.start);
        *g.variants.entry(a.text.as_str()).or_default() += 1;
    }
    let mut ordered: Vec<(&str, Group)> = groups.into_iter().collect();
    ordered.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.1.first.cmp(&b.1.first)));
    let items = ordered.into_iter().map(|(id, g)| {
        let onclick = props.on_pick.reform({
            let id = id.to_string();
            move |_| id.clone()
        });
        let variants: Vec<&str> = g.variants.keys().copied().filter(|v| *v != g.canonical).collect();
        html! {
            <li key={id.to_string()}>
                <button type="button" class={classes!("sahifa-entity", format!("t-{}", g.label))}
                    data-entity={id.to_string()} data-type={g.label.to_string()} {onclick}>
                    <span class="swatch" aria-hidden="true"></span>
                    <bdi class="canonical">{ g.canonical }</bdi>
                    <span class="count" aria-label="عدد الإشارات">{ g.count }</span>
                    if !variants.is_empty() {
                        <span class="variants">{ for variants.iter().map(|v| html! { <bdi>{ *v }</bdi> }) }</span>
                    }
                </button>
            </li>
        }
    });
    html! {
        <section class="sahifa-entities" aria-label="الكيانات">
            <h2>{ "الكيانات" }</h2>
            <ul role="list">{ for items }</ul>
        </section>
    }
}
