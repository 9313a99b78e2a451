//! The widget's root: wires the hooks (store, autosave, extraction, picker, file drop, shortcuts) to the
//! view. It decides nothing about annotations: every gesture becomes an `Action` for the core's session,
//! and a refused action is shown in the status line with the core's reason.

use super::article::{ArticleView, Headings};
use super::collection_panel::{collection_keys, CollectionPanel};
use crate::collection::CollectionCtl;
use super::details::Details;
use super::entity_list::EntityList;
use super::find::Find;
use super::legend::Legend;
use super::picker::Picker;
use super::toolbar::Toolbar;
use crate::files;
use crate::i18n::{self, Lang, Msg};
use crate::hooks::{
    use_article_files, use_autosave, use_file_drop, use_picker, use_ready, use_session, use_tagger_data,
    use_shortcuts, use_storage_key, use_uneditable, Pending, Unreadable,
};
use crate::notice::Notice;
use crate::store::Store;
use crate::tagger_data::DataState;
use sahifa_core::formats::{ExportScope, Format};
use sahifa_core::session::{Action, Refused, Session};
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AppProps {
    pub store: Store,
    /// Called once, after the first render has put the marks in the DOM.
    #[prop_or_default]
    pub on_ready: Option<Callback<()>>,
    /// localStorage key for the first article's autosave; by default derived from its text.
    #[prop_or_default]
    pub storage_key: Option<String>,
    /// A reader's view: no selection picker, no editing.
    #[prop_or_default]
    pub read_only: bool,
    /// The interface language (the article stays Arabic and right-to-left).
    #[prop_or_default]
    pub lang: Lang,
    /// Offer a button that switches the interface language (the standalone page).
    #[prop_or_default]
    pub lang_toggle: bool,
    /// Which paragraphs of the first article are headings, and their level (an embedded page's article).
    #[prop_or_default]
    pub headings: Vec<Option<u8>>,
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let store = props.store.clone();
    let s = use_session(&store);
    let lang_state = use_state(|| props.lang);
    let headings = {
        let (store, levels) = (store.clone(), props.headings.clone());
        use_state(move || Headings::new(store.get().article.clone(), levels))
    };
    let lang = *lang_state;
    let on_lang = props.lang_toggle.then(|| {
        let lang_state = lang_state.clone();
        Callback::from(move |_: ()| lang_state.set(lang_state.other()))
    });
    let notice = use_state(Notice::default);
    // Whether the card should take focus when it opens (it was opened from the keyboard).
    let card_focus = use_state(|| false);
    let unreadable = use_state(|| None::<Unreadable>);
    let root = use_node_ref();
    let main_ref = use_node_ref();

    let key = use_storage_key(&store, props.storage_key.clone());
    use_autosave(&store, key.clone());

    let on_unreadable = {
        let unreadable = unreadable.clone();
        Callback::from(move |u: Unreadable| unreadable.set(Some(u)))
    };
    let data = use_tagger_data();
    let (on_rendered, extracting) = use_ready(&store, key, on_unreadable, props.on_ready.clone());
    use_uneditable(&main_ref);

    // Every gesture's action; a refusal is shown with its reason.
    let dispatch = {
        let (store, notice) = (store.clone(), notice.clone());
        Callback::from(move |a: Action| match store.dispatch(a) {
            Ok(_) | Err(Refused::Unchanged) => {}
            Err(why) => notice.set(Notice::error(i18n::refused(&why, lang))),
        })
    };
    let on_select = {
        let card_focus = card_focus.clone();
        use_callback(store.clone(), move |id: String, store| {
            card_focus.set(false);
            let _ = store.dispatch(Action::Select(Some(id)));
        })
    };
    // Picking an entity again goes on to its next mention; N and P (Alt+↓/↑) step either way, and the
    // status line says which mention it is.
    let last_mention = use_mut_ref(|| (String::new(), -1isize));
    let last_mention_for_keys = last_mention.clone();
    let on_step_entity = {
        let (root, notice) = (root.clone(), notice.clone());
        // (entity, step, from a key): a key puts the caret in the mention, a click focuses it.
        Callback::from(move |(entity, step, key): (String, isize, bool)| {
            let mut last = last_mention.borrow_mut();
            let from = if last.0 == entity { last.1 } else if step > 0 { -1 } else { 0 };
            if let Some((at, total)) = flash_entity(&root, &entity, from + step, key) {
                *last = (entity, at as isize);
                notice.set(Notice::info(Msg::MentionOf.fill(lang, &[&(at + 1), &total])));
            }
        })
    };
    let on_pick_entity = on_step_entity.reform(|entity: String| (entity, 1, false));
    let on_mark_key = mark_keys(
        &store,
        &dispatch,
        &card_focus,
        &main_ref,
        props.read_only,
        (last_mention_for_keys, on_step_entity.clone()),
    );

    let (pending, check_selection) = use_picker(root.clone(), store.clone(), props.read_only);
    let onmouseup = check_selection.reform(|_: MouseEvent| ());
    let ontouchend = check_selection.reform(|_: TouchEvent| ());
    let onkeyup_article = {
        let check = check_selection.clone();
        // Releasing Shift after Shift+arrows, or Enter, opens the picker for the keyboard selection.
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Shift" || e.key() == "Enter" {
                check.emit(());
            }
        })
    };
    let picker = (*pending).clone().map(|p| picker_view(&s, &p, &pending, &dispatch, &main_ref));

    // Export, import, article loading.
    let on_export = {
        let store = store.clone();
        Callback::from(move |(f, scope): (Format, ExportScope)| {
            let session = store.get();
            let name = file_stem(&session.article.text);
            let data = session.export_scoped(f, &name, scope);
            files::download(&format!("{name}.{}", f.extension()), f.mime(), &data);
            if f == Format::Brat {
                files::download(&format!("{name}.txt"), "text/plain;charset=utf-8", &session.article.text);
            }
        })
    };
    let (on_file, on_paste, on_paste_html) = use_article_files(&store, notice.setter(), pending.clone(), headings.setter(), lang);
    let drop = use_file_drop(on_file.clone());
    let shortcuts = use_shortcuts(dispatch.clone(), pending.clone(), s.selected.clone(), root.clone());
    // The standalone page's collection (none in an embedded widget): its panel and its keys.
    let collection = use_context::<Option<CollectionCtl>>().flatten();
    let shortcuts = match &collection {
        Some(ctl) => {
            let ctl = ctl.clone();
            Callback::from(move |e: KeyboardEvent| {
                if !collection_keys(&ctl, &e) {
                    shortcuts.emit(e);
                }
            })
        }
        None => shortcuts,
    };
    // The last input was a key (focus rings shown) or the pointer (none): see `.kbd` in sahifa.css.
    let keyboard = use_state(|| false);
    let onkeydown = {
        let keyboard = keyboard.clone();
        Callback::from(move |e: KeyboardEvent| {
            if !*keyboard {
                keyboard.set(true);
            }
            shortcuts.emit(e)
        })
    };
    let onpointerdown = {
        let keyboard = keyboard.clone();
        Callback::from(move |_: PointerEvent| {
            if *keyboard {
                keyboard.set(false);
            }
        })
    };

    // One card, updated when another mark is selected (recreating it, keyed by the annotation, was a tenth
    // of addAnnotation's task on a long article); what holds typing of its own is keyed inside it.
    let details = s.selected.as_ref().and_then(|id| s.find(id)).cloned().map(|a| {
        html! { <Details annotation={a.clone()} labels={s.labels().clone()} dispatch={dispatch.clone()} autofocus={*card_focus} /> }
    });
    let n = &*notice;
    let status = status_text(n, &s, &data, lang);
    html! {
        <ContextProvider<Lang> context={lang}>
        <div class={classes!("sahifa", drop.dragging.then_some("dragging"), props.read_only.then_some("readonly"), (*keyboard).then_some("kbd"))}
            ref={root.clone()} lang={lang.code()} dir={lang.dir()} tabindex="-1" {onkeydown} {onpointerdown}
            ondragover={drop.ondragover} ondragleave={drop.ondragleave} ondrop={drop.ondrop}>
            if let Some(ctl) = collection.filter(|_| !props.read_only) {
                <CollectionPanel {ctl} />
            }
            if !props.read_only {
                <Toolbar state={s.clone()} dispatch={dispatch.clone()} {on_export} {on_file} {on_paste} {on_paste_html} {on_lang} />
            }
            if let Some(err) = &s.storage_error {
                <div class="sahifa-banner" role="alert">
                    { Msg::AutosaveFailed.fill(lang, &[err]) }
                </div>
            }
            { unreadable_banner(&unreadable, lang) }
            if let Some(n) = s.last_merge.as_ref().map(|m| m.conflicts.len()).filter(|&n| n > 0) {
                <div class="sahifa-banner sahifa-conflict" role="alert">
                    { Msg::Conflicts.fill(lang, &[&n]) }
                </div>
            }
            // One line, always there (empty or not), so the article below never moves when it changes; a
            // message longer than the line ends in an ellipsis, whole in its title (errors wrap, www/sahifa.css).
            <div class={classes!("sahifa-status", n.error.then_some("error"))} role="status" aria-live="polite"
                title={(!status.is_empty()).then(|| status.clone())}>
                // While a long article's marks still come in, group by group (see `hooks::use_extraction`), the
                // status line says the marks shown so far are not all there will be.
                // Until the tagger's data is in (see `tagger_data`), the marks are the lists' and rules' alone.
                { status }
            </div>
            { orphans_view(&s, &dispatch, lang) }
            // A caret makes Shift+arrow selection possible from the keyboard; `beforeinput` is cancelled,
            // so the article can never be edited and Yew's DOM stays as rendered.
            <div class="sahifa-main" ref={main_ref} {onmouseup} {ontouchend} onkeyup={onkeyup_article} onkeydown={on_mark_key}
                contenteditable={(!props.read_only).then_some("true")} spellcheck="false"
                lang="ar" dir="rtl" aria-label={Msg::ArticleLabel.text(lang)}
                // A text box that holds a caret and cannot be edited: `aria-readonly` needs the role.
                role={if props.read_only { "region" } else { "textbox" }} aria-multiline={(!props.read_only).then_some("true")}
                aria-readonly={(!props.read_only).then_some("true")}>
                <ArticleView state={s.clone()} {on_select} {on_rendered} headings={(*headings).clone()} />
            </div>
            <aside class="sahifa-side" aria-label={Msg::SidePanel.text(lang)}>
                { details.unwrap_or_default() }
                <Find state={s.clone()} root={root.clone()} />
                <Legend state={s.clone()} dispatch={dispatch.clone()} />
                <EntityList state={s} on_pick={on_pick_entity} on_step={on_step_entity.reform(|(e, step)| (e, step, true))} dispatch={dispatch.clone()} read_only={props.read_only} waiting={extracting} />
            </aside>
            { picker.unwrap_or_default() }
        </div>
        </ContextProvider<Lang>>
    }
}

/// The status line: the last notice, else what is still to come (a long article's other groups, the
/// tagger's marks) or why the tagger's marks will not come.
fn status_text(n: &Notice, s: &Session, data: &DataState, lang: Lang) -> String {
    if !n.text.is_empty() {
        return n.text.clone();
    }
    match data {
        _ if !s.is_extracted() => Msg::StillToCome.text(lang).to_string(),
        DataState::Pending => Msg::TaggerToCome.text(lang).to_string(),
        DataState::Failed(why) => Msg::TaggerUnavailable.fill(lang, &[why]),
        DataState::Ready => String::new(),
    }
}

/// Where the entity list last went (entity, mention index) and the step it takes.
type MentionSteps = (std::rc::Rc<std::cell::RefCell<(String, isize)>>, Callback<(String, isize, bool)>);

/// Keys on a focused mark: Enter opens its card with focus in it; Delete/Backspace removes it; A accepts and
/// X rejects a suggestion; a label's key retypes it; N and P (or Alt+↓/↑) go to the entity's next and
/// previous mention (unless a user's label has taken N or P). After a removal focus stays in the article
/// (without scrolling), so Ctrl+Z works at once. Esc closes an open card and returns to its mark.
fn mark_keys(
    store: &Store,
    dispatch: &Callback<Action>,
    card_focus: &UseStateHandle<bool>,
    main_ref: &NodeRef,
    read_only: bool,
    (last_mention, step): MentionSteps,
) -> Callback<KeyboardEvent> {
    let (store, dispatch, card_focus, main_ref) =
        (store.clone(), dispatch.clone(), card_focus.clone(), main_ref.clone());
    Callback::from(move |e: KeyboardEvent| {
        if e.ctrl_key() || e.meta_key() {
            return;
        }
        // The focused mark (read-only view: marks take Tab focus), or the one the caret is in (the editable
        // article holds the focus itself, and the caret moves with the arrows).
        let target = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let mark = target
            .as_ref()
            .and_then(|el| el.closest("mark[data-id]").ok().flatten())
            .or_else(|| {
                let root = main_ref.cast::<web_sys::Element>()?;
                crate::selection::caret_mark(&root)
            });
        let Some(mark) = mark else {
            return;
        };
        let Some(id) = mark.get_attribute("data-id") else {
            return;
        };
        let session = store.get();
        let key = e.key();
        let label_key = |c: char| session.labels().iter().any(|l| l.key == Some(c));
        let delta = match (key.as_str(), e.alt_key()) {
            ("ArrowDown", true) => Some(1),
            ("ArrowUp", true) => Some(-1),
            ("n" | "N", false) if !label_key('n') && !label_key('N') => Some(1),
            ("p" | "P", false) if !label_key('p') && !label_key('P') => Some(-1),
            _ => None,
        };
        if let (Some(delta), Some(entity)) = (delta, mark.get_attribute("data-entity")) {
            e.prevent_default();
            // Step from this mark's own place among its entity's mentions.
            let at = main_ref
                .cast::<web_sys::Element>()
                .and_then(|root| root.query_selector_all("mark[data-entity]").ok())
                .map(|list| {
                    (0..list.length())
                        .filter_map(|i| list.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()))
                        .filter(|m| m.get_attribute("data-entity").as_deref() == Some(entity.as_str()))
                        .position(|m| m.is_same_node(Some(&mark)))
                        .map_or(-1, |p| p as isize)
                })
                .unwrap_or(-1);
            *last_mention.borrow_mut() = (entity.clone(), at);
            step.emit((entity, delta, true));
            return;
        }
        if e.alt_key() {
            return;
        }
        let action = match key.as_str() {
            "Enter" | " " => {
                e.prevent_default();
                card_focus.set(true);
                dispatch.emit(Action::Select(Some(id)));
                return;
            }
            // A reader's view edits nothing.
            _ if read_only => None,
            "Delete" | "Backspace" => Some(Action::Remove { id: id.clone() }),
            "a" | "A" => Some(Action::Accept { id: id.clone() }),
            "x" | "X" => Some(Action::Reject { id: id.clone() }),
            k => session
                .labels()
                .iter()
                .find(|l| k.chars().count() == 1 && l.key == k.chars().next())
                .map(|l| Action::Update {
                    id: id.clone(),
                    label: Some(l.name.clone()),
                    note: None,
                }),
        };
        let Some(action) = action else {
            return;
        };
        e.prevent_default();
        let removed = matches!(action, Action::Remove { .. } | Action::Reject { .. });
        dispatch.emit(action);
        if removed {
            if let Some(el) = main_ref.cast::<web_sys::HtmlElement>() {
                let opts = web_sys::FocusOptions::new();
                opts.set_prevent_scroll(true);
                let _ = el.focus_with_options(&opts);
            }
        }
    })
}

/// The label picker for a pending selection.
fn picker_view(
    s: &Session,
    p: &Pending,
    pending: &UseStateHandle<Option<Pending>>,
    dispatch: &Callback<Action>,
    main_ref: &NodeRef,
) -> Html {
    let (start, end) = p.range();
    let preview = s.article.slice(start, end).unwrap_or("").to_string();
    let reading = sahifa_core::article_reading(&s.article.text, start, end).map(AttrValue::from);
    // Back to the article without scrolling it: the reader stays where they were.
    let refocus = {
        let main_ref = main_ref.clone();
        move || {
            if let Some(el) = main_ref.cast::<web_sys::HtmlElement>() {
                let opts = web_sys::FocusOptions::new();
                opts.set_prevent_scroll(true);
                let _ = el.focus_with_options(&opts);
            }
        }
    };
    let on_pick = {
        let (dispatch, pending, refocus) = (dispatch.clone(), pending.clone(), refocus.clone());
        Callback::from(move |label: String| {
            dispatch.emit(Action::Add {
                start,
                end,
                label,
                note: None,
            });
            pending.set(None);
            crate::selection::clear();
            refocus();
        })
    };
    let on_cancel = {
        let pending = pending.clone();
        Callback::from(move |_| {
            pending.set(None);
            crate::selection::clear();
            refocus();
        })
    };
    let on_toggle_raw = {
        let (pending, p) = (pending.clone(), p.clone());
        Callback::from(move |_| {
            pending.set(Some(Pending {
                use_raw: !p.use_raw,
                ..p.clone()
            }))
        })
    };
    html! {
        <Picker labels={s.labels().clone()} preview={preview} raw={p.use_raw}
            snapped_differs={p.snapped != Some(p.raw)} rect={p.rect} clipped={p.clipped} {reading}
            {on_pick} {on_cancel} {on_toggle_raw} />
    }
}

/// The imported annotations that could not be placed, with a button that closes the list.
fn orphans_view(s: &Session, dispatch: &Callback<Action>, lang: Lang) -> Html {
    if s.orphans().is_empty() {
        return Html::default();
    }
    let dismiss = dispatch.reform(|_: MouseEvent| Action::DismissOrphans);
    html! {
        <section class="sahifa-orphans" aria-label={Msg::OrphansLabel.text(lang)}>
            <h2>{ Msg::OrphansTitle.fill(lang, &[&s.orphans().len()]) }</h2>
            <button type="button" class="dismiss" onclick={dismiss}>{ Msg::CloseList.text(lang) }</button>
            <ul>
                { for s.orphans().iter().map(|o| html! {
                    <li data-orphan={o.label.clone()}><bdi>{ o.label.clone() }</bdi>{ ": «" }<bdi>{ o.quote.clone() }</bdi>{ "» — " }<bdi>{ i18n::orphan_reason(&o.reason, lang) }</bdi></li>
                }) }
            </ul>
        </section>
    }
}

/// Saved work that could not be restored: said, kept aside, and offered for download.
fn unreadable_banner(unreadable: &UseStateHandle<Option<Unreadable>>, lang: Lang) -> Html {
    let Some(u) = (**unreadable).clone() else {
        return Html::default();
    };
    let download = {
        let u = u.clone();
        Callback::from(move |_: MouseEvent| {
            files::download("sahifa-saved-work.json", "application/json", &u.raw);
        })
    };
    let dismiss = {
        let unreadable = unreadable.clone();
        Callback::from(move |_: MouseEvent| unreadable.set(None))
    };
    html! {
        <div class="sahifa-banner sahifa-unreadable" role="alert" data-aside-key={u.key.clone()}>
            { Msg::Unreadable.text(lang) }
            <bdi dir="ltr">{ u.why.clone() }</bdi>
            <button type="button" onclick={download}>{ Msg::DownloadSaved.text(lang) }</button>
            <button type="button" onclick={dismiss}>{ Msg::Close.text(lang) }</button>
        </div>
    }
}

/// A file name from the article's first words.
fn file_stem(text: &str) -> String {
    let words: Vec<&str> = text
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .take(5)
        .collect();
    if words.is_empty() {
        "sahifa".into()
    } else {
        words.join("-")
    }
}

/// Scrolls to an entity's `nth` mention (counting round, either way) and flashes all of them; pure DOM
/// feedback. Returns which mention it went to and how many there are.
fn flash_entity(root: &NodeRef, entity: &str, nth: isize, caret: bool) -> Option<(usize, usize)> {
    let root = root.cast::<web_sys::Element>()?;
    let selector = format!(
        "mark[data-entity=\"{}\"]",
        entity.replace('\\', "\\\\").replace('"', "\\\"")
    );
    let list = root.query_selector_all(&selector).ok()?;
    if list.length() == 0 {
        return None;
    }
    let target = nth.rem_euclid(list.length() as isize) as u32;
    for i in 0..list.length() {
        if let Some(el) = list
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        {
            if i == target {
                let opts = web_sys::ScrollIntoViewOptions::new();
                opts.set_behavior(web_sys::ScrollBehavior::Smooth);
                opts.set_block(web_sys::ScrollLogicalPosition::Center);
                el.scroll_into_view_with_scroll_into_view_options(&opts);
                // The mention takes the focus (a click), or the article's caret goes into it (a key:
                // the editable article keeps keyboard focus for itself); either way the mark's own keys
                // act on it and N/P go on from it.
                let main = root
                    .query_selector(".sahifa-main")
                    .ok()
                    .flatten()
                    .and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok());
                match main.filter(|_| caret) {
                    Some(main) => crate::selection::return_to_mark(&main, &el),
                    None => {
                        let _ = el.focus();
                    }
                }
            }
            let cl = el.class_list();
            let _ = cl.remove_1("flash");
            let _ = el.offset_width(); // restart the animation
            let _ = cl.add_1("flash");
        }
    }
    Some((target as usize, list.length() as usize))
}
