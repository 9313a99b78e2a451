//! The collection panel (standalone page only): open many articles (files, a folder, a JSONL, an earlier
//! export), see each one's status, counts and a progress bar, filter by status, find text across the
//! collection (and pick, make, rename or delete a named collection: [`CollectionsBar`]), move to the next or previous article (buttons, or Alt+PageDown / Alt+PageUp, which no other
//! key of the widget uses), mark the open one done, export the whole collection. It renders the
//! [`CollectionCtl`]'s state and calls its methods; it decides nothing.

use crate::collection::{CollectionCtl, FileData};
use crate::components::collections_bar::CollectionsBar;
use crate::i18n::{self, Lang, Msg};
use sahifa_core::collection::exchange::CollectionFormat;
use sahifa_core::collection::Progress;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The panel's sentences with numbers in them (the words are [`Msg`] keys).
mod text {
    use crate::i18n::{Lang, Msg};
    use sahifa_core::collection::Counts;

    pub fn counts(c: &Counts, lang: Lang) -> String {
        Msg::CollCounts.fill(lang, &[&c.total, &c.new, &c.in_progress, &c.done])
    }

    pub fn quota(usage: f64, quota: f64, lang: Lang) -> String {
        let mb = |b: f64| format!("{:.1}", b / 1024.0 / 1024.0);
        let percent = if quota > 0.0 { usage / quota * 100.0 } else { 0.0 };
        Msg::CollQuota.fill(lang, &[&mb(usage), &mb(quota), &format!("{percent:.0}")])
    }
}

/// Alt+PageDown / Alt+PageUp: the next or previous article. Whether the key was the panel's.
pub fn collection_keys(ctl: &CollectionCtl, e: &KeyboardEvent) -> bool {
    if !e.alt_key() || e.ctrl_key() || e.meta_key() || ctl.is_empty() {
        return false;
    }
    match e.key().as_str() {
        "PageDown" => ctl.next(),
        "PageUp" => ctl.prev(),
        _ => return false,
    };
    e.prevent_default();
    true
}

#[derive(Properties, PartialEq)]
pub struct CollectionPanelProps {
    pub ctl: CollectionCtl,
}

/// Reads every chosen file (bytes for a zip, text otherwise) and opens them together.
fn open_chosen(ctl: CollectionCtl, list: web_sys::FileList, reading: UseStateHandle<bool>) {
    let files: Vec<gloo_file::File> = (0..list.length())
        .filter_map(|i| list.get(i))
        .map(gloo_file::File::from)
        .collect();
    if files.is_empty() {
        return;
    }
    reading.set(true);
    yew::platform::spawn_local(async move {
        let mut read = Vec::with_capacity(files.len());
        for f in files {
            let name = f.name();
            let data = if name.to_lowercase().ends_with(".zip") {
                gloo_file::futures::read_as_bytes(&f).await.map(FileData::Bytes)
            } else {
                gloo_file::futures::read_as_text(&f).await.map(FileData::Text)
            };
            match data {
                Ok(d) => read.push((name, d)),
                Err(e) => read.push((name, FileData::Unreadable(e.to_string()))),
            }
        }
        ctl.open_files(read);
        reading.set(false);
    });
}

/// Renders the component again whenever the controller changes (its props, one controller, never do).
#[hook]
pub fn use_collection(ctl: &CollectionCtl) {
    let update = use_force_update();
    use_effect_with(ctl.clone(), move |ctl| {
        let id = ctl.subscribe(move || update.force_update());
        let ctl = ctl.clone();
        move || ctl.unsubscribe(id)
    });
}

#[function_component(CollectionPanel)]
pub fn collection_panel(p: &CollectionPanelProps) -> Html {
    let ctl = p.ctl.clone();
    let lang = use_context::<Lang>().unwrap_or_default();
    use_effect_with((ctl.clone(), lang), |(ctl, lang)| ctl.set_lang(*lang));
    let t = |m: Msg| m.text(lang);
    use_collection(&ctl);
    let query = use_state(String::new);
    let reading = use_state(|| false);

    let onopen = {
        let (ctl, reading) = (ctl.clone(), reading.clone());
        Callback::from(move |e: Event| {
            let Some(input) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
                return;
            };
            if let Some(list) = input.files() {
                open_chosen(ctl.clone(), list, reading.clone());
            }
            input.set_value("");
        })
    };
    let opener = html! {
        <>
            <label class="file">{ t(Msg::CollOpenFiles) }
                <input type="file" class="collection-files" multiple=true
                    accept=".txt,.html,.htm,.jsonl,.jsonld,.json,.conll,.zip" onchange={onopen.clone()} />
            </label>
            <label class="file">{ t(Msg::CollOpenFolder) }
                <input type="file" class="collection-folder" multiple=true webkitdirectory=true onchange={onopen} />
            </label>
        </>
    };
    let n = ctl.len();
    let notice = ctl.notice();
    let status_line = html! {
        <span class={classes!("collection-status", notice.error.then_some("error"))} role="status" aria-live="polite">
            { if *reading { t(Msg::CollReading).to_string() } else { notice.text(lang) } }
        </span>
    };
    if n == 0 {
        return html! {
            <section class="sahifa-collection empty" aria-label={t(Msg::CollRegion)}>
                <CollectionsBar ctl={ctl.clone()} />{ opener }{ status_line }
            </section>
        };
    }

    let exports = CollectionFormat::ALL.iter().map(|&f| {
        let ctl = ctl.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            let bytes = ctl.export(f);
            crate::files::download_bytes(&format!("sahifa-collection.{}", f.extension()), f.mime(), &bytes);
        });
        html! { <button type="button" data-collection-export={f.as_str()} {onclick}>{ f.as_str() }</button> }
    });
    let (counts, current_id, done_now, rows, hits) = ctl.with(|c| {
        let cur = ctl.current();
        let rows: Vec<Html> = c
            .filtered(ctl.filter())
            .into_iter()
            .map(|i| {
                let e = c.get(i).expect("filtered indices exist");
                let p = e.progress();
                let go = {
                    let ctl = ctl.clone();
                    Callback::from(move |_: MouseEvent| {
                        ctl.go(i);
                    })
                };
                html! {
                    <li key={e.id.clone()} data-status={p.as_str()}>
                        <button type="button" data-index={i.to_string()} onclick={go}
                            aria-current={(cur == Some(i)).then_some("true")}>
                            <bdi>{ e.id.clone() }</bdi>
                            <span class="collection-badge">{ i18n::progress(p, lang) }</span>
                        </button>
                    </li>
                }
            })
            .collect();
        let hits = if query.trim().is_empty() {
            None
        } else {
            Some(c.find(&query))
        };
        (
            c.counts(),
            cur.and_then(|i| c.get(i)).map(|e| (cur.unwrap_or(0), e.id.clone())),
            cur.and_then(|i| c.get(i)).is_some_and(|e| e.done),
            rows,
            hits,
        )
    });
    let prev = {
        let ctl = ctl.clone();
        Callback::from(move |_: MouseEvent| {
            ctl.prev();
        })
    };
    let next = {
        let ctl = ctl.clone();
        Callback::from(move |_: MouseEvent| {
            ctl.next();
        })
    };
    let ondone = {
        let ctl = ctl.clone();
        Callback::from(move |e: Event| {
            if let Some(i) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                ctl.set_done(i.checked());
            }
        })
    };
    let onfilter = {
        let ctl = ctl.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()) {
                ctl.set_filter(s.value().parse::<Progress>().ok());
            }
        })
    };
    let onfind = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                query.set(i.value());
            }
        })
    };
    let filter = ctl.filter();
    let options = Progress::ALL.iter().map(|&p| {
        html! { <option value={p.as_str()} selected={filter == Some(p)}>{ i18n::progress(p, lang) }</option> }
    });
    let hits_view = hits.map(|hits| {
        let items = hits.iter().take(50).map(|h| {
            let (ctl, i) = (ctl.clone(), h.index);
            let onclick = Callback::from(move |_: MouseEvent| {
                ctl.go(i);
            });
            html! { <li><button type="button" data-index={i.to_string()} {onclick}><bdi>{ h.id.clone() }</bdi>{ format!(" ({})", h.count) }</button></li> }
        });
        html! {
            <div class="collection-hits">
                <span>{ Msg::CollHits.fill(lang, &[&hits.len()]) }</span>
                <ul>{ for items }</ul>
            </div>
        }
    });
    html! {
        <section class="sahifa-collection" aria-label={t(Msg::CollRegion)}>
            <CollectionsBar ctl={ctl.clone()} />
            <div class="collection-row">
                { opener }
                <span class="group" role="group" aria-label={t(Msg::CollExport)}>{ t(Msg::CollExport) }{ for exports }</span>
            </div>
            <div class="collection-row">
                <span class="collection-counts">{ text::counts(&counts, lang) }</span>
                <progress class="collection-progress" value={counts.done.to_string()} max={counts.total.to_string()}
                    aria-label={text::counts(&counts, lang)} />
            </div>
            if let Some(q) = ctl.quota_low() {
                <div class="sahifa-banner collection-quota" role="alert">{ text::quota(q.usage, q.quota, lang) }</div>
            }
            <div class="collection-row">
                <button type="button" class="collection-prev" onclick={prev} title={t(Msg::CollPrevTitle)}
                    aria-keyshortcuts="Alt+PageUp">{ t(Msg::CollPrev) }</button>
                <span class="collection-current">
                    if let Some((i, id)) = current_id {
                        { format!("{} / {n}: ", i + 1) }<bdi>{ id }</bdi>
                    }
                </span>
                <button type="button" class="collection-next" onclick={next} title={t(Msg::CollNextTitle)}
                    aria-keyshortcuts="Alt+PageDown">{ t(Msg::CollNext) }</button>
                <label><input type="checkbox" class="collection-done" checked={done_now} onchange={ondone} />{ t(Msg::CollDone) }</label>
                <select class="collection-filter" aria-label={t(Msg::CollFilter)} onchange={onfilter}>
                    <option value="" selected={filter.is_none()}>{ t(Msg::CollAll) }</option>
                    { for options }
                </select>
                <input type="search" class="collection-find" aria-label={t(Msg::CollFind)} placeholder={t(Msg::CollFind)} oninput={onfind} />
            </div>
            { hits_view.unwrap_or_default() }
            <ol class="collection-list" aria-label={t(Msg::CollList)}>{ for rows }</ol>
            { status_line }
        </section>
    }
}
