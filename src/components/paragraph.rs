//! One paragraph with its marks. Memoised on its own text and annotations, so an edit re-renders only the
//! paragraphs it touches — what keeps a 20,000-word article responsive.

use crate::bidi;
use sahifa_core::OffsetMap;
use sahifa_core::{nest, MarkNode};
use sahifa_core::{Annotation, EntityType};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ParagraphProps {
    /// Code point where this paragraph starts in the article.
    pub start: usize,
    pub text: AttrValue,
    /// The visible annotations that overlap this paragraph.
    pub marks: Marks,
    pub selected: Option<String>,
    pub on_select: Callback<String>,
    /// The paragraph was a heading of this level in the HTML the article came from.
    #[prop_or_default]
    pub heading: Option<u8>,
}

/// A paragraph's annotations, equal when they are the very same shared annotations: an edit replaces
/// the `Rc` of what it changes, so comparing pointers finds the changed paragraphs without deep compares.
#[derive(Clone)]
pub struct Marks(pub Rc<Vec<Rc<Annotation>>>);

impl PartialEq for Marks {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len()
            && self
                .0
                .iter()
                .zip(other.0.iter())
                .all(|(a, b)| Rc::ptr_eq(a, b))
    }
}

#[function_component(ParagraphView)]
pub fn paragraph_view(p: &ParagraphProps) -> Html {
    let map = OffsetMap::new(&p.text);
    let len = map.len_chars();
    let spans: Vec<(usize, usize)> = p
        .marks
        .0
        .iter()
        .map(|a| {
            (
                a.start.saturating_sub(p.start),
                a.end.saturating_sub(p.start),
            )
        })
        .collect();
    let forest = nest(&spans, 0, len);
    let lang = use_context::<crate::i18n::Lang>().unwrap_or_default();
    let ctx = Ctx { p, map: &map, lang };
    html! {
        <p class={classes!("sahifa-p", p.heading.map(|_| "sahifa-h"), p.heading.map(|l| format!("sahifa-h{}", l.clamp(1, 6))))}
            data-offset={p.start.to_string()} role={p.heading.map(|_| "heading")}
            aria-level={p.heading.map(|l| l.clamp(1, 6).to_string())}>
            { ctx.render_range(0, len, &forest) }
        </p>
    }
}

/// Deepest nesting with its own underline offset (`.d-0` … `.d-6` in `sahifa.css`).
const MAX_DEPTH_CLASS: usize = 6;

struct Ctx<'a> {
    p: &'a ParagraphProps,
    map: &'a OffsetMap,
    /// The interface language, for the marks' spoken labels.
    lang: crate::i18n::Lang,
}

impl Ctx<'_> {
    fn text(&self, from: usize, to: usize) -> Html {
        if from >= to {
            return Html::default();
        }
        let s = &self.p.text[self
            .map
            .byte_range(from, to)
            .expect("range inside paragraph")];
        bidi::runs(s)
            .into_iter()
            .map(|(iso, run)| {
                if iso {
                    html! { <bdi dir="ltr">{ run }</bdi> }
                } else {
                    html! { { run } }
                }
            })
            .collect()
    }

    /// `from..to` with the marks `nodes` in it. Every child is keyed (a run of text by where it starts, a
    /// mark by its annotation), so that a mark added or removed changes only its own stretch of the DOM:
    /// unkeyed, every mark after it in the paragraph was diffed against its neighbour's attributes.
    fn render_range(&self, from: usize, to: usize, nodes: &[MarkNode]) -> Html {
        let mut out = Vec::with_capacity(nodes.len() * 2 + 1);
        let mut at = from;
        for n in nodes {
            self.push_text(&mut out, at, n.start);
            out.push(self.mark(n));
            at = n.end;
        }
        self.push_text(&mut out, at, to);
        out.into_iter().collect()
    }

    fn push_text(&self, out: &mut Vec<Html>, from: usize, to: usize) {
        if from < to {
            out.push(html! { <key={format!("@{from}")}>{ self.text(from, to) }</> });
        }
    }

    fn mark(&self, n: &MarkNode) -> Html {
        let a = &self.p.marks.0[n.index];
        let inner = self.render_range(n.start, n.end, &n.children);
        let known = a.label.parse::<EntityType>().ok();
        let class = classes!(
            "sahifa-mark",
            format!(
                "t-{}",
                if known.is_some() {
                    a.label.as_str()
                } else {
                    "custom"
                }
            ),
            format!("src-{}", a.source.as_str()),
            match a.status {
                sahifa_core::Status::Suggested => "st-suggested",
                _ => "st-accepted",
            },
            (self.p.selected.as_deref() == Some(a.id.as_str())).then_some("selected"),
            // Nesting depth as a class, not a style attribute (a strict CSP refuses inline styles).
            format!("d-{}", n.depth.min(MAX_DEPTH_CLASS)),
        );
        if !n.primary {
            let key = format!("{}@{}", a.id, n.start);
            return html! { <mark {key} class={class} data-piece-of={a.id.clone()}>{ inner }</mark> };
        }
        let id = a.id.clone();
        let on_select = self.p.on_select.clone();
        let onclick = {
            let id = id.clone();
            let on_select = on_select.clone();
            Callback::from(move |e: MouseEvent| {
                e.stop_propagation();
                on_select.emit(id.clone())
            })
        };
        let onkeydown = Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                on_select.emit(id.clone())
            }
        });
        let lang = self.lang;
        let type_name = crate::i18n::label_name(&a.label, lang);
        // Read aloud: the type, the text, whose it is, and whether it holds a note.
        let whose = match (a.source, a.status) {
            (sahifa_core::Source::Extractor, _) => crate::i18n::Msg::MarkMachine.text(lang),
            (sahifa_core::Source::User, _) => crate::i18n::Msg::MarkUser.text(lang),
        };
        let note = if a.note.is_some() { crate::i18n::Msg::MarkHasNote.text(lang) } else { "" };
        let label = format!("{type_name}: {} — {whose}{note}", a.text);
        html! {
            <mark key={a.id.as_str()} class={class}
                data-type={a.label.clone()} data-start={a.start.to_string()} data-end={a.end.to_string()}
                data-source={a.source.as_str()} data-entity={a.entity.clone()} data-id={a.id.clone()}
                role="button" tabindex="0" aria-label={label} title={type_name.clone()}
                {onclick} {onkeydown}>
                { inner }
            </mark>
        }
    }
}
