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
    let ctx = Ctx { p, map: &map };
    html! {
        <p class="sahifa-p" data-offset={p.start.to_string()}>
            { ctx.render_range(0, len, &forest) }
        </p>
    }
}

/// Deepest nesting with its own underline offset (`.d-0` … `.d-6` in `sahifa.css`).
const MAX_DEPTH_CLASS: usize = 6;

struct Ctx<'a> {
    p: &'a ParagraphProps,
    map: &'a OffsetMap,
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

    fn render_range(&self, from: usize, to: usize, nodes: &[MarkNode]) -> Html {
        let mut out = Vec::with_capacity(nodes.len() * 2 + 1);
        let mut at = from;
        for n in nodes {
            out.push(self.text(at, n.start));
            out.push(self.mark(n));
            at = n.end;
        }
        out.push(self.text(at, to));
        out.into_iter().collect()
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
            return html! { <mark class={class} data-piece-of={a.id.clone()}>{ inner }</mark> };
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
        let type_name = known.map_or(a.label.as_str(), |t| t.arabic_name());
        // Read aloud: the type, the text, whose it is, and whether it holds a note.
        let whose = match (a.source, a.status) {
            (sahifa_core::Source::Extractor, _) => "اقتراح آلي",
            (sahifa_core::Source::User, _) => "معتمد",
        };
        let note = if a.note.is_some() { "، عليه ملاحظة" } else { "" };
        let label = format!("{type_name}: {} — {whose}{note}", a.text);
        html! {
            <mark class={class}
                data-type={a.label.clone()} data-start={a.start.to_string()} data-end={a.end.to_string()}
                data-source={a.source.as_str()} data-entity={a.entity.clone()} data-id={a.id.clone()}
                role="button" tabindex="0" aria-label={label} title={type_name.to_string()}
                {onclick} {onkeydown}>
                { inner }
            </mark>
        }
    }
}
