//! The toolbar: undo and redo, export downloads, import and article loading (open, paste), user labels.

use sahifa_core::session::{Action, LabelDef, Session};
use crate::i18n::{self, Lang, Msg};
use sahifa_core::formats::{ExportScope, Format};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties)]
pub struct ToolbarProps {
    pub state: Rc<Session>,
    pub dispatch: Callback<Action>,
    /// Exports the current work in a format and scope (the caller owns the exporting and the download).
    pub on_export: Callback<(Format, ExportScope)>,
    /// A file the user opened: its name and its text, or why it could not be read.
    pub on_file: Callback<(String, Result<String, String>)>,
    /// Pasted article text.
    pub on_paste: Callback<String>,
    /// Pasted HTML (a copied web page), loaded at once so its headings stay headings.
    pub on_paste_html: Callback<String>,
    /// Switches the interface language; no button without it.
    #[prop_or_default]
    pub on_lang: Option<Callback<()>>,
}

/// The same session (pointer equality): a derived comparison walks the article's text and the history.
impl PartialEq for ToolbarProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.state, &other.state)
            && self.dispatch == other.dispatch
            && self.on_export == other.on_export
            && self.on_file == other.on_file
            && self.on_paste == other.on_paste
            && self.on_paste_html == other.on_paste_html
            && self.on_lang == other.on_lang
    }
}

#[function_component(Toolbar)]
pub fn toolbar(p: &ToolbarProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or_default();
    let t = |m: Msg| m.text(lang);
    let pasting = use_state(|| false);
    let reviewed_only = use_state(|| false);
    let labeling = use_state(|| false);
    let label_error = use_state(|| None::<String>);
    let paste_ref = use_node_ref();
    let (name_ref, color_ref, key_ref) = (use_node_ref(), use_node_ref(), use_node_ref());
    let undo = p.dispatch.reform(|_: MouseEvent| Action::Undo);
    let redo = p.dispatch.reform(|_: MouseEvent| Action::Redo);
    let scope = if *reviewed_only { ExportScope::Reviewed } else { ExportScope::All };
    let exports = Format::ALL.iter().map(|&f| {
        let onclick = p.on_export.reform(move |_: MouseEvent| (f, scope));
        html! { <button type="button" data-export={f.as_str()} {onclick}>{ f.as_str() }</button> }
    });
    let onopen = {
        let on_file = p.on_file.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            if let Some(list) = input.files() {
                read_files(list, on_file.clone());
            }
            input.set_value("");
        })
    };
    let toggle_paste = {
        let pasting = pasting.clone();
        Callback::from(move |_: MouseEvent| pasting.set(!*pasting))
    };
    let do_paste = {
        let (on_paste, paste_ref, pasting) =
            (p.on_paste.clone(), paste_ref.clone(), pasting.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(t) = paste_ref.cast::<web_sys::HtmlTextAreaElement>() {
                on_paste.emit(t.value());
                pasting.set(false);
            }
        })
    };
    let onpaste = {
        let (on_paste_html, pasting) = (p.on_paste_html.clone(), pasting.clone());
        Callback::from(move |e: Event| {
            let html = e
                .dyn_ref::<web_sys::ClipboardEvent>()
                .and_then(|c| c.clipboard_data())
                .and_then(|d| d.get_data("text/html").ok())
                .filter(|h| !h.trim().is_empty());
            if let Some(html) = html {
                e.prevent_default();
                on_paste_html.emit(html);
                pasting.set(false);
            }
        })
    };
    let toggle_label = {
        let labeling = labeling.clone();
        Callback::from(move |_: MouseEvent| labeling.set(!*labeling))
    };
    let add_label = {
        let (dispatch, labeling, label_error) = (p.dispatch.clone(), labeling.clone(), label_error.clone());
        let labels = p.state.labels().clone();
        let (name_ref, color_ref, key_ref) = (name_ref.clone(), color_ref.clone(), key_ref.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let val = |r: &NodeRef| {
                r.cast::<web_sys::HtmlInputElement>()
                    .map(|i| i.value())
                    .unwrap_or_default()
            };
            let def = LabelDef {
                name: val(&name_ref),
                color: val(&color_ref),
                key: val(&key_ref).trim().chars().next(),
            };
            // The core's validation, before the form closes: the reason stays beside the form.
            match def.validated_among(&labels) {
                Ok(def) => {
                    dispatch.emit(Action::DefineLabel(def));
                    label_error.set(None);
                    labeling.set(false);
                }
                Err(e) => label_error.set(Some(i18n::label_error(&e, lang))),
            }
        })
    };
    let on_scope = {
        let reviewed_only = reviewed_only.clone();
        Callback::from(move |e: Event| {
            if let Some(sel) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                reviewed_only.set(sel.value() == "reviewed");
            }
        })
    };
    let lang_button = p.on_lang.as_ref().map(|on_lang| {
        let onclick = on_lang.reform(|_: MouseEvent| ());
        html! {
            <button type="button" class="lang" lang={lang.other().code()} onclick={onclick}
                title={t(Msg::SwitchLangTitle)}>{ t(Msg::SwitchLang) }</button>
        }
    });
    // The toolbar is one row of a fixed height at any width (what does not fit scrolls sideways, see
    // www/sahifa.css), so the row `sahifa.js` reserves before the widget loads is the row the widget takes;
    // the paste and label forms open below it, outside the scrolling row.
    html! {
        <>
        <div class="sahifa-toolbar" role="toolbar" aria-label={t(Msg::Tools)}>
            <div class="sahifa-tools">
                <button type="button" class="undo" onclick={undo} disabled={!p.state.can_undo()}
                    title={t(Msg::UndoTitle)} aria-keyshortcuts="Control+Z">{ t(Msg::Undo) }</button>
                <button type="button" class="redo" onclick={redo} disabled={!p.state.can_redo()}
                    title={t(Msg::RedoTitle)} aria-keyshortcuts="Control+Shift+Z Control+Y">{ t(Msg::Redo) }</button>
                <span class="group" role="group" aria-label={t(Msg::Export)}>{ t(Msg::ExportColon) }
                    <select class="export-scope" aria-label={t(Msg::ExportScope)} onchange={on_scope}>
                        <option value="all" selected={!*reviewed_only} title={t(Msg::ScopeAllTitle)}>{ t(Msg::ScopeAll) }</option>
                        <option value="reviewed" selected={*reviewed_only} title={t(Msg::ScopeReviewedTitle)}>{ t(Msg::ScopeReviewed) }</option>
                    </select>
                    { for exports }
                </span>
                <label class="file">{ t(Msg::OpenFile) }
                    <input type="file" accept=".txt,.html,.htm,.json,.jsonld,.ann,.conll,.jsonl,.csv" onchange={onopen} />
                </label>
                <button type="button" onclick={toggle_paste} aria-expanded={pasting.to_string()}>{ t(Msg::PasteArticle) }</button>
                <button type="button" onclick={toggle_label} aria-expanded={labeling.to_string()}>{ t(Msg::AddLabel) }</button>
                { lang_button.unwrap_or_default() }
            </div>
        </div>
        if *pasting {
            <div class="sahifa-paste">
                <textarea ref={paste_ref} rows="6" aria-label={t(Msg::ArticleText)} placeholder={t(Msg::PastePlaceholder)} {onpaste} />
                <button type="button" onclick={do_paste}>{ t(Msg::ShowArticle) }</button>
            </div>
        }
        if *labeling {
            <form class="sahifa-newlabel" onsubmit={add_label}>
                <input ref={name_ref} aria-label={t(Msg::LabelName)} placeholder={t(Msg::NamePlaceholder)} required=true />
                <input ref={color_ref} type="color" aria-label={t(Msg::Color)} value="#e8590c" />
                <input ref={key_ref} aria-label={t(Msg::KeyOptional)} maxlength="1" size="2" />
                <button type="submit">{ t(Msg::Add) }</button>
                if let Some(e) = &*label_error {
                    <span class="error" role="alert">{ e.clone() }</span>
                }
            </form>
        }
        </>
    }
}

/// Reads each file as text and hands `(name, text)` on; unreadable files are reported by name.
pub fn read_files(list: web_sys::FileList, on_file: Callback<(String, Result<String, String>)>) {
    for i in 0..list.length() {
        let Some(file) = list.get(i) else { continue };
        let file = gloo_file::File::from(file);
        let on_file = on_file.clone();
        yew::platform::spawn_local(async move {
            let name = file.name();
            let text = gloo_file::futures::read_as_text(&file)
                .await
                .map_err(|e| e.to_string());
            on_file.emit((name, text));
        });
    }
}
