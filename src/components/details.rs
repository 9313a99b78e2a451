//! The selected mark's card: its type, entity, source and note, with edit, delete, accept and reject.

use crate::i18n::{label_name, Lang, Msg};
use sahifa_core::session::{Action, LabelDef};
use sahifa_core::{Annotation, Source, Status};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DetailsProps {
    pub annotation: Annotation,
    pub labels: Rc<Vec<LabelDef>>,
    pub dispatch: Callback<Action>,
    /// Move focus into the card when it opens (it was opened from the keyboard).
    #[prop_or_default]
    pub autofocus: bool,
}

#[function_component(Details)]
pub fn details(p: &DetailsProps) -> Html {
    let a = &p.annotation;
    let lang = use_context::<Lang>().unwrap_or_default();
    let t = |m: Msg| m.text(lang);
    let note_ref = use_node_ref();
    let select_ref = use_node_ref();
    {
        let (select_ref, autofocus) = (select_ref.clone(), p.autofocus);
        use_effect_with(a.id.clone(), move |_| {
            if autofocus {
                if let Some(el) = select_ref.cast::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
        });
    }
    let id = a.id.clone();
    let onchange_label = {
        let (id, dispatch) = (id.clone(), p.dispatch.clone());
        Callback::from(move |e: Event| {
            if let Some(sel) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            {
                dispatch.emit(Action::Update {
                    id: id.clone(),
                    label: Some(sel.value()),
                    note: None,
                });
            }
        })
    };
    let save_note = {
        let (id, dispatch, note_ref) = (id.clone(), p.dispatch.clone(), note_ref.clone());
        let current = a.note.clone().unwrap_or_default();
        Callback::from(move |_: FocusEvent| {
            if let Some(t) = note_ref.cast::<web_sys::HtmlTextAreaElement>() {
                if t.value() != current {
                    dispatch.emit(Action::Update {
                        id: id.clone(),
                        label: None,
                        note: Some(Some(t.value())),
                    });
                }
            }
        })
    };
    let act = |f: fn(String) -> Action| {
        let (id, dispatch) = (id.clone(), p.dispatch.clone());
        Callback::from(move |_: MouseEvent| dispatch.emit(f(id.clone())))
    };
    let close = p.dispatch.reform(|_: MouseEvent| Action::Select(None));
    let suggestion = a.source == Source::Extractor && a.status == Status::Suggested;
    let options = p.labels.iter().map(|l| {
        html! { <option value={l.name.clone()} selected={l.name == a.label}>{ format!("{} ({})", label_name(&l.name, lang), l.name) }</option> }
    });
    html! {
        <section class="sahifa-details" aria-label={t(Msg::DetailsLabel)} data-id={a.id.clone()}>
            <header>
                <bdi class="quote">{ a.text.clone() }</bdi>
                <button type="button" class="close" onclick={close} aria-label={t(Msg::Close)}>{ "×" }</button>
            </header>
            <dl>
                <dt>{ t(Msg::Type) }</dt>
                <dd><select ref={select_ref} aria-label={t(Msg::Type)} onchange={onchange_label}>{ for options }</select></dd>
                <dt>{ t(Msg::Entity) }</dt><dd><bdi>{ if a.canonical.is_empty() { a.entity.clone() } else { a.canonical.clone() } }</bdi></dd>
                <dt>{ t(Msg::Source) }</dt>
                <dd>{ t(match (a.source, a.status) {
                    (Source::Extractor, Status::Suggested) => Msg::SrcSuggested,
                    (Source::Extractor, Status::Rejected) => Msg::SrcRejected,
                    (Source::Extractor, _) => Msg::SrcAccepted,
                    (Source::User, _) => Msg::SrcUser,
                }) }
                if let Some(c) = a.confidence { <span class="conf">{ format!(" ({:.0}%)", c * 100.0) }</span> }
                </dd>
                <dt>{ t(Msg::Note) }</dt>
                <dd><textarea key={a.id.clone()} ref={note_ref} aria-label={t(Msg::Note)} rows="3" value={a.note.clone().unwrap_or_default()}
                    onblur={save_note} placeholder={t(Msg::NotePlaceholder)} /></dd>
            </dl>
            <div class="actions">
                if suggestion {
                    <button type="button" class="accept" onclick={act(|id| Action::Accept { id })}>{ t(Msg::Accept) }</button>
                    <button type="button" class="reject" onclick={act(|id| Action::Reject { id })}>{ t(Msg::Reject) }</button>
                }
                <button type="button" class="delete" onclick={act(|id| Action::Remove { id })}>{ t(Msg::Delete) }</button>
            </div>
        </section>
    }
}
