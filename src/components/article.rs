//! The article: paragraphs in order, each handed only the annotations that overlap it.

use super::paragraph::{Marks, ParagraphView};
use crate::state::State;
use sahifa_core::offsets::OffsetMap;
use sahifa_core::Annotation;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ArticleProps {
    pub state: Rc<State>,
    pub on_select: Callback<String>,
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
            .map(|p| AttrValue::from(article.text[map.byte_range(p.start, p.end).unwrap()].to_string()))
            .collect::<Vec<_>>()
    });
    let mut visible: Vec<&Rc<Annotation>> = state.visible().collect();
    visible.sort_by_key(|a| a.start);
    let mut first = 0;
    let paragraphs = article.paragraphs.iter().zip(texts.iter()).map(|(p, text)| {
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
                {selected} on_select={props.on_select.clone()} />
        }
    });
    html! { <article class="sahifa-article" lang="ar" dir="rtl">{ for paragraphs }</article> }
}
