//! The row of the collection panel that picks among named collections: choose one, make a new one, rename
//! or delete the open one. Deleting asks first and offers the collection's export (JSONL) before it goes;
//! once deleted, an "undo" button brings it back (until the page is loaded again). Every control is a
//! native button, select or text box, so all of it is reachable and operable from the keyboard. It calls
//! the [`CollectionCtl`]'s methods; it decides nothing.

use crate::collection::{CollectionCtl, Said};
use crate::components::collection_panel::use_collection;
use crate::i18n::{Lang, Msg};
use sahifa_core::collection::exchange::CollectionFormat;
use sahifa_core::collection::CollectionError;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CollectionsBarProps {
    pub ctl: CollectionCtl,
}

/// Runs one of the controller's collection operations; a refusal goes to the panel's status line.
fn run<F, Fut>(ctl: &CollectionCtl, op: F)
where
    F: FnOnce(CollectionCtl) -> Fut + 'static,
    Fut: std::future::Future<Output = Result<(), CollectionError>> + 'static,
{
    let ctl = ctl.clone();
    yew::platform::spawn_local(async move {
        if let Err(e) = op(ctl.clone()).await {
            ctl.report(Said::Refused(e));
        }
    });
}

#[function_component(CollectionsBar)]
pub fn collections_bar(p: &CollectionsBarProps) -> Html {
    let ctl = p.ctl.clone();
    let lang = use_context::<Lang>().unwrap_or_default();
    let t = |m: Msg| m.text(lang);
    use_collection(&ctl);
    let name = use_state(String::new);
    let confirming = use_state(|| false);
    let undo = match (ctl.removed(), ctl.notice().said) {
        (Some(gone), Some(Said::Removed(_))) => {
            let ctl = ctl.clone();
            let onclick = Callback::from(move |_: MouseEvent| {
                let id = gone.id.clone();
                run(&ctl, move |c| async move { c.restore(&id).await });
            });
            html! { <button type="button" class="collection-undo-delete" {onclick}>{ t(Msg::CollUndoDelete) }</button> }
        }
        _ => Html::default(),
    };
    let Some(open) = ctl.open_named() else {
        // The open collection was deleted (in another tab): only the undo is left to offer.
        return html! { <div class="collection-names"><div class="collection-row">{ undo }</div></div> };
    };
    let onchoose = {
        let ctl = ctl.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()) {
                let id = s.value();
                run(&ctl, move |c| async move { c.switch(&id).await });
            }
        })
    };
    let oninput = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                name.set(i.value());
            }
        })
    };
    let oncreate = {
        let (ctl, name) = (ctl.clone(), name.clone());
        Callback::from(move |_: MouseEvent| {
            let (wanted, name) = ((*name).clone(), name.clone());
            run(&ctl, move |c| async move {
                c.create(&wanted).await?;
                name.set(String::new());
                Ok(())
            });
        })
    };
    let onrename = {
        let (ctl, name, id) = (ctl.clone(), name.clone(), open.id.clone());
        Callback::from(move |_: MouseEvent| {
            let (wanted, name, id) = ((*name).clone(), name.clone(), id.clone());
            run(&ctl, move |c| async move {
                c.rename(&id, &wanted).await?;
                name.set(String::new());
                Ok(())
            });
        })
    };
    let ask = {
        let confirming = confirming.clone();
        Callback::from(move |_: MouseEvent| confirming.set(true))
    };
    let cancel = {
        let confirming = confirming.clone();
        Callback::from(move |_: MouseEvent| confirming.set(false))
    };
    let onremove = {
        let (ctl, confirming, id) = (ctl.clone(), confirming.clone(), open.id.clone());
        Callback::from(move |_: MouseEvent| {
            confirming.set(false);
            let id = id.clone();
            run(&ctl, move |c| async move { c.remove(&id).await });
        })
    };
    let onexport = {
        let ctl = ctl.clone();
        Callback::from(move |_: MouseEvent| {
            let f = CollectionFormat::Jsonl;
            let bytes = ctl.export(f);
            crate::files::download_bytes(&format!("sahifa-collection.{}", f.extension()), f.mime(), &bytes);
        })
    };
    let options = ctl.collections().into_iter().map(|n| {
        let selected = n.id == open.id;
        html! { <option value={n.id.clone()} {selected}>{ n.name }</option> }
    });
    let count = ctl.len();
    // The row keeps one line's height at any width, empty while the collections load (www/sahifa.css), so
    // the article below does not move when they come; the confirmation opens below it.
    html! {
        <>
        <div class="collection-names"><div class="collection-row">
            <select class="collection-choose" aria-label={t(Msg::CollChoose)} onchange={onchoose}>{ for options }</select>
            <input type="text" class="collection-name" aria-label={t(Msg::CollName)} placeholder={t(Msg::CollName)}
                value={(*name).clone()} {oninput} />
            <button type="button" class="collection-create" onclick={oncreate}>{ t(Msg::CollCreate) }</button>
            <button type="button" class="collection-rename" onclick={onrename}>{ t(Msg::CollRename) }</button>
            <button type="button" class="collection-delete" onclick={ask} aria-expanded={(*confirming).to_string()}>
                { t(Msg::CollDelete) }
            </button>
            { undo }
        </div></div>
        if *confirming {
            <div class="collection-confirm" role="group" aria-label={t(Msg::CollDelete)}>
                <span>{ Msg::CollDeleteConfirm.fill(lang, &[&open.name, &count]) }</span>
                <button type="button" class="collection-confirm-export" onclick={onexport}>{ "jsonl" }</button>
                <button type="button" class="collection-confirm-delete" onclick={onremove}>{ t(Msg::CollDeleteYes) }</button>
                <button type="button" class="collection-confirm-cancel" onclick={cancel}>{ t(Msg::CollCancel) }</button>
            </div>
        }
        </>
    }
}
