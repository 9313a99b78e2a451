//! The article: paragraphs in order, each handed only the annotations that overlap it.

use super::paragraph::{Marks, ParagraphView};
use sahifa_core::session::{Article, Session};
use sahifa_core::Annotation;
use sahifa_core::OffsetMap;
use std::rc::Rc;
use yew::prelude::*;

/// Which paragraphs of an article were headings in the HTML it came from (an embedded page, an opened
/// `.html` file), with their level, so they stay headings. Tied to that very article: after another one is
/// loaded it says nothing.
#[derive(Clone, PartialEq, Default)]
pub struct Headings {
    article: Option<Rc<Article>>,
    levels: Rc<Vec<Option<u8>>>,
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

/// Paragraphs rendered per task while a long article first appears.
const BATCH: usize = 120;

#[derive(Properties, PartialEq)]
pub struct ArticleProps {
    pub state: Rc<Session>,
    pub on_select: Callback<String>,
    /// Called after a render that put every paragraph on screen.
    #[prop_or_default]
    pub on_rendered: Callback<()>,
    #[prop_or_default]
    pub headings: Headings,
}

#[function_component(ArticleView)]
pub fn article_view(props: &ArticleProps) -> Html {
    let state = &props.state;
    let article = &state.article;
    // Paragraph texts are cut once per article, not per render.
    let texts = use_memo(article.clone(), |article| {
        let map = OffsetMap::new(&article.text);
        article
            .paragraphs
            .iter()
            .map(|p| {
                AttrValue::from(article.text[map.byte_range(p.start, p.end).unwrap()].to_string())
            })
            .collect::<Vec<_>>()
    });
    // Long articles are put on screen a batch of paragraphs per task, so the first paint comes fast and
    // no single task renders thousands of paragraphs.
    let total = article.paragraphs.len();
    let limit = use_state(|| total.min(BATCH));
    {
        let limit = limit.clone();
        let on_rendered = props.on_rendered.clone();
        use_effect_with((article.clone(), *limit), move |(article, shown)| {
            let total = article.paragraphs.len();
            if *shown >= total {
                on_rendered.emit(());
            }
            let timer = (*shown < total).then(|| {
                let next = (*shown + BATCH).min(total);
                gloo_timers::callback::Timeout::new(0, move || limit.set(next))
            });
            move || drop(timer)
        });
    }
    {
        // A new article starts from the first batch again.
        let limit = limit.clone();
        use_effect_with(article.clone(), move |article| {
            limit.set(article.paragraphs.len().min(BATCH));
        });
    }
    let mut visible: Vec<&Rc<Annotation>> = state.visible().collect();
    visible.sort_by_key(|a| a.start);
    let mut first = 0;
    let paragraphs = article.paragraphs.iter().zip(texts.iter()).take(*limit).enumerate().map(|(i, (p, text))| {
        let heading = props.headings.level(article, i);
        while first < visible.len() && visible[first].end <= p.start {
            first += 1;
        }
        let marks: Vec<Rc<Annotation>> = visible[first..]
            .iter()
            .take_while(|a| a.start < p.end)
            .filter(|a| a.end > p.start)
            .map(|a| Rc::clone(a))
            .collect();
        // Only the paragraph holding the selection sees it, so selecting re-renders one paragraph.
        let selected = state.selected.clone().filter(|id| marks.iter().any(|m| &m.id == id));
        html! {
            <ParagraphView key={p.start} start={p.start} text={text.clone()} marks={Marks(Rc::new(marks))}
                {selected} on_select={props.on_select.clone()} {heading} />
        }
    });
    html! { <article class="sahifa-article" lang="ar" dir="rtl">{ for paragraphs }</article> }
}
