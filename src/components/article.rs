//! The article: paragraphs in order, each handed only the annotations that overlap it.
//!
//! What keeps the main thread free: a paragraph is rendered again only when its own marks changed (its
//! [`Marks`] are the very same `Rc`s otherwise, compared by pointer), and at most about [`BATCH_CHARS`] of
//! text is rendered in one task. A long article appears a slice at a time (the first screenful first), and
//! an action that changes marks all over a long article (the last extraction group's relink, a large
//! import, undoing it) reaches the screen in slices too. An edit shows its own paragraph (the selected
//! annotation's) alone in its own task; the other paragraphs its propagation changed follow in the next
//! tasks (rendering a few of them in the edit's task too made `addAnnotation` on 20,000 words 0.4–1.8 ms
//! slower to its mark, `bench/browser.mjs --only interaction`, 2026-12-02).

use super::paragraph::{Marks, ParagraphView};
use sahifa_core::session::{Article, Session};
use sahifa_core::Annotation;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// Which paragraphs of an article were headings in the HTML it came from (an embedded page, an opened
/// `.html` file), with their level, so they stay headings. Tied to that very article: after another one is
/// loaded it says nothing.
#[derive(Clone, Default)]
pub struct Headings {
    article: Option<Rc<Article>>,
    levels: Rc<Vec<Option<u8>>>,
}

/// The same article (pointer equality: a derived comparison would compare its whole text on every render).
impl PartialEq for Headings {
    fn eq(&self, other: &Self) -> bool {
        let same = match (&self.article, &other.article) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        same && self.levels == other.levels
    }
}

impl Headings {
    /// `levels` has one entry per paragraph of `article` (`None` for a body paragraph); any other count
    /// says nothing, rather than put a heading on the wrong paragraph.
    pub fn new(article: Rc<Article>, levels: Vec<Option<u8>>) -> Self {
        if levels.len() != article.paragraphs.len() || levels.iter().all(Option::is_none) {
            return Headings::default();
        }
        Headings {
            article: Some(article),
            levels: Rc::new(levels),
        }
    }

    /// The heading level of paragraph `i` of `article`, if it was a heading.
    pub fn level(&self, article: &Rc<Article>, i: usize) -> Option<u8> {
        let ours = self.article.as_ref()?;
        if !Rc::ptr_eq(ours, article) {
            return None;
        }
        self.levels.get(i).copied().flatten()
    }
}

/// Code points of paragraph text rendered per task (about 700 words and their marks): small enough that
/// no task renders for long (8,000 made tasks of 80–100 ms of CPU on a 100,000-word article on this
/// machine), enough to fill a screen at once.
const BATCH_CHARS: usize = 4_000;

#[derive(Properties)]
pub struct ArticleProps {
    pub state: Rc<Session>,
    pub on_select: Callback<String>,
    /// Called when a render has put every paragraph on screen with its current marks (again after slices).
    #[prop_or_default]
    pub on_rendered: Callback<()>,
    #[prop_or_default]
    pub headings: Headings,
}

/// The same session (pointer equality): a deep comparison of two sessions would walk the whole article.
impl PartialEq for ArticleProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.state, &other.state)
            && self.on_select == other.on_select
            && self.on_rendered == other.on_rendered
            && self.headings == other.headings
    }
}

/// What is on screen: for each paragraph, the marks it was last rendered with (`None`: not rendered yet).
struct Shown {
    article: Option<Rc<Article>>,
    marks: Vec<Option<Marks>>,
}

#[function_component(ArticleView)]
pub fn article_view(props: &ArticleProps) -> Html {
    let state = &props.state;
    let article = &state.article;
    // Paragraph texts are cut once per article, not per render, through the article's own offset map
    // (building another for a 100,000-word text took a few ms of the mount's task).
    let texts = use_memo(super::Same(article.clone()), |super::Same(article)| {
        article
            .paragraphs
            .iter()
            .map(|p| AttrValue::from(article.slice(p.start, p.end).unwrap_or_default().to_string()))
            .collect::<Vec<_>>()
    });
    let shown = use_mut_ref(|| Shown {
        article: None,
        marks: Vec::new(),
    });
    // Bumped to render the next slice.
    let slice = use_state(|| 0u32);
    let current = marks_by_paragraph(state);
    // The selected annotation's paragraph first: after an edit, the annotator's own mark shows in the
    // edit's task even when propagation changed marks in many other paragraphs.
    let first = state
        .selected
        .as_ref()
        .and_then(|id| state.find(id))
        .map(|a| article.paragraphs.partition_point(|p| p.end <= a.start));
    let pending = update_shown(&shown, article, current, first);

    // Whether the last render left nothing pending: `on_rendered` is told when that becomes true.
    let complete = use_mut_ref(|| false);
    {
        let (slice, on_rendered) = (slice.clone(), props.on_rendered.clone());
        use_effect(move || {
            let was_complete = std::mem::replace(&mut *complete.borrow_mut(), !pending);
            let timer = if pending {
                Some(gloo_timers::callback::Timeout::new(0, move || slice.set(*slice + 1)))
            } else {
                if !was_complete {
                    on_rendered.emit(());
                }
                None
            };
            move || drop(timer)
        });
    }

    let shown = shown.borrow();
    let paragraphs = article
        .paragraphs
        .iter()
        .zip(texts.iter())
        .zip(shown.marks.iter())
        .enumerate()
        .map_while(|(i, ((p, text), marks))| {
            let marks = marks.clone()?;
            let heading = props.headings.level(article, i);
            // Only the paragraph holding the selection sees it, so selecting re-renders one paragraph.
            let selected = state
                .selected
                .clone()
                .filter(|id| marks.0.iter().any(|m| &m.id == id));
            Some(html! {
                <ParagraphView key={p.start} start={p.start} text={text.clone()} {marks}
                    {selected} on_select={props.on_select.clone()} {heading} />
            })
        });
    html! { <article class="sahifa-article" lang="ar" dir="rtl">{ for paragraphs }</article> }
}

/// The visible annotations overlapping each paragraph, in document order.
fn marks_by_paragraph(state: &Session) -> Vec<Marks> {
    // In document order already (the session keeps its annotations sorted by start).
    let visible: Vec<&Rc<Annotation>> = state.visible().collect();
    let mut first = 0;
    state
        .article
        .paragraphs
        .iter()
        .map(|p| {
            while first < visible.len() && visible[first].end <= p.start {
                first += 1;
            }
            let marks: Vec<Rc<Annotation>> = visible[first..]
                .iter()
                .take_while(|a| a.start < p.end)
                .filter(|a| a.end > p.start)
                .map(|a| Rc::clone(a))
                .collect();
            Marks(Rc::new(marks))
        })
        .collect()
}

/// Brings what is on screen toward `current`, at most about [`BATCH_CHARS`] of changed paragraphs (at
/// least one); paragraphs not rendered yet come in order, except that paragraph `first` (one already on
/// screen) comes alone, before the others. Whether more is left for the next slice.
fn update_shown(shown: &RefCell<Shown>, article: &Rc<Article>, mut current: Vec<Marks>, first: Option<usize>) -> bool {
    let mut shown = shown.borrow_mut();
    if !shown.article.as_ref().is_some_and(|a| Rc::ptr_eq(a, article)) {
        shown.article = Some(article.clone());
        shown.marks = vec![None; article.paragraphs.len()];
    }
    let (mut spent, mut budget) = (0, BATCH_CHARS);
    if let Some(i) = first.filter(|&i| i < current.len()) {
        let slot = &mut shown.marks[i];
        if slot.is_some() && slot.as_ref() != Some(&current[i]) {
            // The edit's own paragraph alone: the others its propagation changed come in the next tasks.
            spent += article.paragraphs[i].end - article.paragraphs[i].start;
            budget = spent;
            *slot = Some(current[i].clone());
        }
    }
    let mut pending = false;
    for ((p, slot), want) in article.paragraphs.iter().zip(shown.marks.iter_mut()).zip(current.drain(..)) {
        if slot.as_ref() == Some(&want) {
            continue;
        }
        let cost = p.end - p.start;
        if spent > 0 && spent + cost > budget {
            pending = true;
            if slot.is_none() {
                break; // paragraphs appear in order
            }
            continue;
        }
        spent += cost;
        *slot = Some(want);
    }
    pending
}
