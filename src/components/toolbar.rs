//! The toolbar: undo and redo, export downloads, import and article loading (open, paste), user labels.

use sahifa_core::session::{Action, LabelDef, Session};
use sahifa_core::formats::Format;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    pub state: Rc<Session>,
    pub dispatch: Callback<Action>,
    /// Exports the current work in a format (the caller owns the exporting, the toolbar the download).
    pub on_export: Callback<Format>,
    /// A file the user opened: its name and its text, or why it could not be read.
    pub on_file: Callback<(String, Result<String, String>)>,
    /// Pasted article text.
    pub on_paste: Callback<String>,
}

#[function_component(Toolbar)]
pub fn toolbar(p: &ToolbarProps) -> Html {
    let pasting = use_state(|| false);
    let labeling = use_state(|| false);
    let label_error = use_state(|| None::<String>);
    let paste_ref = use_node_ref();
    let (name_ref, color_ref, key_ref) = (use_node_ref(), use_node_ref(), use_node_ref());
    let undo = p.dispatch.reform(|_: MouseEvent| Action::Undo);
    let redo = p.dispatch.reform(|_: MouseEvent| Action::Redo);
    let exports = Format::ALL.iter().map(|&f| {
        let onclick = p.on_export.reform(move |_: MouseEvent| f);
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
                Err(e) => label_error.set(Some(e.to_string())),
            }
        })
    };
    html! {
        <div class="sahifa-toolbar" role="toolbar" aria-label="أدوات">
            <button type="button" class="undo" onclick={undo} disabled={!p.state.can_undo()}
                title="تراجع (Ctrl+Z)" aria-keyshortcuts="Control+Z">{ "↶ تراجع" }</button>
            <button type="button" class="redo" onclick={redo} disabled={!p.state.can_redo()}
                title="إعادة (Ctrl+Shift+Z)" aria-keyshortcuts="Control+Shift+Z Control+Y">{ "↷ إعادة" }</button>
            <span class="group" role="group" aria-label="تصدير">{ "تصدير:" }{ for exports }</span>
            <label class="file">{ "فتح ملف…" }
                <input type="file" accept=".txt,.html,.htm,.json,.jsonld,.ann,.conll,.jsonl,.csv" onchange={onopen} />
            </label>
            <button type="button" onclick={toggle_paste} aria-expanded={pasting.to_string()}>{ "لصق مقال" }</button>
            <button type="button" onclick={toggle_label} aria-expanded={labeling.to_string()}>{ "+ تسمية" }</button>
            if *pasting {
                <div class="sahifa-paste">
                    <textarea ref={paste_ref} rows="6" aria-label="نص المقال" placeholder="الصق نص المقال هنا" />
                    <button type="button" onclick={do_paste}>{ "عرض المقال" }</button>
                </div>
            }
            if *labeling {
                <form class="sahifa-newlabel" onsubmit={add_label}>
                    <input ref={name_ref} aria-label="اسم التسمية" placeholder="الاسم" required=true />
                    <input ref={color_ref} type="color" aria-label="اللون" value="#e8590c" />
                    <input ref={key_ref} aria-label="المفتاح (اختياري)" maxlength="1" size="2" />
                    <button type="submit">{ "إضافة" }</button>
                    if let Some(e) = &*label_error {
                        <span class="error" role="alert">{ e.clone() }</span>
                    }
                </form>
            }
        </div>
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
