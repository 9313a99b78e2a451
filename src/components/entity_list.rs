//! The side panel's entity list: mentions grouped by entity id, so spelling variants (باشنيان / باشينيان)
//! read as one entity with its variants and count; a filter box narrows it, and each entity's open
//! suggestions can be accepted or rejected at once.
//!
//! A long article has thousands of entities, and this list was most of an edit's cost: the rows are
//! computed once per version of the annotations, each row is a component that renders again only when
//! what it shows changed, one listener on the list serves every row's buttons, and a list of more than
//! [`DEFER_ABOVE`] rows follows an edit a task later, so the edit's own task shows the mark and little else
//! (the rows are a component of their own, not even walked while they wait); a list first shown with
//! thousands of rows comes on screen [`ROWS_PER_TASK`] rows a task; and while a long article's marks stream
//! in, group by group, the list waits for them all instead of following each group.

use crate::i18n::{Lang, Msg};
use sahifa_core::normalize_key;
use sahifa_core::session::{Action, Session};
use sahifa_core::{Annotation, Source, Status};
use gloo_timers::callback::Timeout;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties)]
pub struct EntityListProps {
    pub state: Rc<Session>,
    /// Called with the entity id when a reader picks an entity.
    pub on_pick: Callback<String>,
    /// An entity's next (`1`) or previous (`-1`) mention: keys N and P (or Alt+↓/↑) on an entity.
    pub on_step: Callback<(String, isize)>,
    pub dispatch: Callback<Action>,
    #[prop_or_default]
    pub read_only: bool,
    /// The article's extraction is still going on (see [`crate::hooks::use_ready`]): the list waits.
    #[prop_or_default]
    pub waiting: bool,
}

/// The same session (pointer equality) first: a deep comparison of two sessions would walk the article.
impl PartialEq for EntityListProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.state, &other.state)
            && self.on_pick == other.on_pick
            && self.on_step == other.on_step
            && self.dispatch == other.dispatch
            && self.read_only == other.read_only
            && self.waiting == other.waiting
    }
}

/// One entity's row: all it shows, so an unchanged entity's row is not rendered again after an edit.
#[derive(Properties, PartialEq, Clone)]
struct RowProps {
    id: AttrValue,
    label: AttrValue,
    canonical: AttrValue,
    count: usize,
    first: usize,
    /// Mentions still waiting for review.
    open: usize,
    /// Spellings other than the canonical one, in order.
    variants: Rc<Vec<AttrValue>>,
    read_only: bool,
    lang: Lang,
}

use super::Same;

/// The rows, most mentioned first, computed once per version of the annotations and of the hidden types.
fn rows(annotations: &[Rc<Annotation>], hidden: &BTreeSet<String>, read_only: bool, lang: Lang) -> Vec<RowProps> {
    struct Group<'a> {
        label: &'a str,
        canonical: &'a str,
        first: usize,
        count: usize,
        open: usize,
        variants: BTreeMap<&'a str, usize>,
    }
    let mut groups: BTreeMap<&str, Group> = BTreeMap::new();
    let visible = annotations
        .iter()
        .filter(|a| a.status != Status::Rejected && !hidden.contains(&a.label));
    for a in visible {
        let g = groups.entry(a.entity.as_str()).or_insert_with(|| Group {
            label: &a.label,
            canonical: if a.canonical.is_empty() { &a.text } else { &a.canonical },
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
    let mut out: Vec<RowProps> = groups
        .into_iter()
        .map(|(id, g)| RowProps {
            id: AttrValue::from(id.to_string()),
            label: AttrValue::from(g.label.to_string()),
            canonical: AttrValue::from(g.canonical.to_string()),
            count: g.count,
            first: g.first,
            open: g.open,
            variants: Rc::new(
                g.variants
                    .keys()
                    .filter(|v| **v != g.canonical)
                    .map(|v| AttrValue::from(v.to_string()))
                    .collect(),
            ),
            read_only,
            lang,
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.first.cmp(&b.first)));
    out
}

/// Lists longer than this follow an edit a task later (see [`Shown`]).
const DEFER_ABOVE: usize = 300;

/// Rows put on screen per task: a long article's thousands of rows (about 4,000 for 100,000 words) come in
/// slices, the most mentioned first, instead of in one long task (250 a task made tasks of 40–60 ms of CPU
/// on this machine; 100 made the task that first groups a 100,000-word article's mentions about 20 ms).
const ROWS_PER_TASK: usize = 50;

/// What the rows are computed from: the same annotations and hidden types (pointer equality, O(1)).
#[derive(PartialEq)]
struct RowsOf(Same<Vec<Rc<Annotation>>>, Same<BTreeSet<String>>, bool, Lang);

/// The rows on screen and what they were computed from.
struct Shown {
    of: Option<RowsOf>,
    rows: Rc<Vec<RowProps>>,
    /// The `later` turn last rendered: a render for a newer turn is the deferred one.
    turn: u32,
}

impl Shown {
    /// The rows to render now, and whether a later task must render again: a long list whose annotations
    /// changed is shown as it was once more, and computed and shown as it is in the next task (so an
    /// edit's own task neither groups thousands of annotations nor diffs thousands of rows).
    fn next(&mut self, of: RowsOf, turn: u32) -> (Rc<Vec<RowProps>>, bool) {
        let due = std::mem::replace(&mut self.turn, turn) != turn;
        if self.of.as_ref() == Some(&of) {
            return (self.rows.clone(), false);
        }
        // A long list, or the first list of a long article (grouping its thousands of mentions is a task's
        // worth of work on its own, and the last group's marks are rendered in this one).
        if !due && (self.rows.len() > DEFER_ABOVE || of.0 .0.len() > DEFER_ABOVE) {
            return (self.rows.clone(), true);
        }
        self.rows = Rc::new(rows(&of.0 .0, &of.1 .0, of.2, of.3));
        self.of = Some(of);
        (self.rows.clone(), false)
    }
}

#[function_component(EntityRow)]
fn entity_row(g: &RowProps) -> Html {
    let (lang, t) = (g.lang, |m: Msg| m.text(g.lang));
    html! {
        <li>
            if g.open > 0 && !g.read_only {
                <span class="review" role="group" aria-label={t(Msg::ReviewAll)}>
                    <button type="button" class="accept-all"
                        title={t(Msg::AcceptAllTitle)} aria-label={Msg::AcceptN.fill(lang, &[&g.open])}>{ "✓" }</button>
                    <button type="button" class="reject-all"
                        title={t(Msg::RejectAllTitle)} aria-label={Msg::RejectN.fill(lang, &[&g.open])}>{ "✗" }</button>
                </span>
            }
            <button type="button" class={classes!("sahifa-entity", format!("t-{}", g.label))}
                data-entity={g.id.clone()} data-type={g.label.clone()}
                aria-keyshortcuts="N P Alt+ArrowDown Alt+ArrowUp">
                <span class="swatch" aria-hidden="true"></span>
                <bdi class="canonical">{ g.canonical.clone() }</bdi>
                <span class="count">{ g.count }<span class="sr">{ t(Msg::MentionsSr) }</span></span>
                if !g.variants.is_empty() {
                    <span class="variants">{ for g.variants.iter().map(|v| html! { <bdi>{ v.clone() }</bdi> }) }</span>
                }
            </button>
        </li>
    }
}

/// How many of `rows` the filter `key` (normalised) keeps.
fn matching(rows: &[RowProps], key: &str) -> usize {
    rows.iter().filter(|g| keeps(g, key)).count()
}

fn keeps(g: &RowProps, key: &str) -> bool {
    key.is_empty()
        || normalize_key(&g.canonical).contains(key)
        || g.variants.iter().any(|v| normalize_key(v).contains(key))
}

/// The rows on screen: the first `cut` of `rows` that the filter keeps.
#[derive(Properties, PartialEq)]
struct RowsProps {
    rows: Same<Vec<RowProps>>,
    filter: String,
    cut: usize,
}

/// A component of its own so that a render of the list that changes none of its rows (an edit while a
/// long list waits for its next task, a keystroke elsewhere) does not walk and compare thousands of rows.
#[function_component(Rows)]
fn rows_view(p: &RowsProps) -> Html {
    p.rows
        .0
        .iter()
        .filter(|g| keeps(g, &p.filter))
        .take(p.cut)
        .map(|g| html! { <EntityRow key={g.id.to_string()} ..g.clone() /> })
        .collect()
}

#[function_component(EntityList)]
pub fn entity_list(props: &EntityListProps) -> Html {
    let state = &props.state;
    let lang = use_context::<Lang>().unwrap_or_default();
    let t = |m: Msg| m.text(lang);
    let filter = use_state(String::new);
    // A long list follows an edit one task later, so the edit's own task only shows the mark.
    let shown = use_mut_ref(|| Shown {
        of: None,
        rows: Rc::default(),
        turn: 0,
    });
    let later = use_state(|| 0u32);
    let of = RowsOf(
        Same(state.annotations().clone()),
        Same(state.hidden.clone()),
        props.read_only,
        lang,
    );
    // While a long article's marks still come in group by group, and their ids are joined across groups,
    // the list waits for them all: following each step would group, sort and re-render thousands of rows
    // a few dozen times over.
    let (all, deferred) = if state.is_extracted() && !props.waiting {
        shown.borrow_mut().next(of, *later)
    } else {
        (Rc::default(), false)
    };
    {
        let later = later.clone();
        use_effect(move || {
            let timer = deferred.then(|| Timeout::new(0, move || later.set(*later + 1)));
            move || drop(timer)
        });
    }
    let key = normalize_key(filter.trim());
    // How many rows are on screen: more each task until all are, from the first slice again for another
    // article.
    let limit = use_mut_ref(|| (None::<Rc<sahifa_core::session::Article>>, ROWS_PER_TASK));
    if !limit.borrow().0.as_ref().is_some_and(|a| Rc::ptr_eq(a, &state.article)) {
        *limit.borrow_mut() = (Some(state.article.clone()), ROWS_PER_TASK);
    }
    let grow = use_state(|| 0u32);
    let cut = limit.borrow().1;
    let matching = matching(&all, &key);
    {
        let growing = matching > cut;
        use_effect(move || {
            let timer = growing.then(|| {
                Timeout::new(0, move || {
                    limit.borrow_mut().1 += ROWS_PER_TASK;
                    grow.set(*grow + 1);
                })
            });
            move || drop(timer)
        });
    }
    // One listener for every row: picking an entity, or reviewing all its open suggestions.
    let onclick = {
        let (on_pick, dispatch) = (props.on_pick.clone(), props.dispatch.clone());
        Callback::from(move |e: MouseEvent| {
            let Some(button) = e
                .target_dyn_into::<web_sys::Element>()
                .and_then(|t| t.closest("button").ok().flatten())
            else {
                return;
            };
            let li = button.closest("li").ok().flatten();
            let own = li
                .as_ref()
                .and_then(|li| li.query_selector("button.sahifa-entity").ok().flatten());
            let Some(entity) = own.as_ref().and_then(|b| b.get_attribute("data-entity")) else {
                return;
            };
            let cl = button.class_list();
            let accept = if cl.contains("accept-all") {
                true
            } else if cl.contains("reject-all") {
                false
            } else {
                return on_pick.emit(entity);
            };
            // The review buttons go once nothing is left to review: keep focus on the entity's own
            // button, so the keyboard (Ctrl+Z) still reaches the widget.
            if let Some(b) = own.and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = b.focus();
            }
            dispatch.emit(Action::ReviewEntity { entity, accept });
        })
    };
    // One key listener too: N and P (or Alt+↓/↑) on an entity step through its mentions.
    let onkeydown = {
        let on_step = props.on_step.clone();
        Callback::from(move |e: KeyboardEvent| {
            let step = match (e.key().as_str(), e.alt_key()) {
                ("n" | "N", false) | ("ArrowDown", true) => 1,
                ("p" | "P", false) | ("ArrowUp", true) => -1,
                _ => return,
            };
            if e.ctrl_key() || e.meta_key() {
                return;
            }
            let Some(entity) = e
                .target_dyn_into::<web_sys::Element>()
                .and_then(|t| t.closest("button.sahifa-entity").ok().flatten())
                .and_then(|b| b.get_attribute("data-entity"))
            else {
                return;
            };
            e.prevent_default();
            on_step.emit((entity, step));
        })
    };
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
            <ul role="list" {onclick} {onkeydown}><Rows rows={Same(all)} filter={key} {cut} /></ul>
        </section>
    }
}
