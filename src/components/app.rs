//! The widget's root: wires the hooks (store, autosave, extraction, picker, file drop, shortcuts) to the
//! view. It decides nothing about annotations: every gesture becomes an `Action` for the core's session,
//! and a refused action is shown in the status line with the core's reason.

use super::article::ArticleView;
use super::details::Details;
use super::entity_list::EntityList;
use super::legend::Legend;
use super::picker::Picker;
use super::toolbar::Toolbar;
use crate::files;
use crate::hooks::{
    use_article_files, use_autosave, use_file_drop, use_picker, use_ready, use_session,
    use_shortcuts, use_storage_key, use_uneditable, Pending, Unreadable,
};
use crate::notice::Notice;
use crate::store::Store;
use sahifa_core::formats::Format;
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
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let store = props.store.clone();
    let s = use_session(&store);
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
    let on_rendered = use_ready(&store, key, on_unreadable, props.on_ready.clone());
    use_uneditable(&main_ref);

    // Every gesture's action; a refusal is shown with its reason.
    let dispatch = {
        let (store, notice) = (store.clone(), notice.clone());
        Callback::from(move |a: Action| match store.dispatch(a) {
            Ok(_) | Err(Refused::Unchanged) => {}
            Err(why) => notice.set(Notice::error(why.to_string())),
        })
    };
    let on_select = {
        let card_focus = card_focus.clone();
        use_callback(store.clone(), move |id: String, store| {
            card_focus.set(false);
            let _ = store.dispatch(Action::Select(Some(id)));
        })
    };
    let on_mark_key = mark_keys(&store, &dispatch, &card_focus, &main_ref, props.read_only);
    // Picking an entity again goes on to its next mention.
    let next_mention = use_mut_ref(|| (String::new(), 0usize));
    let on_pick_entity = {
        let root = root.clone();
        Callback::from(move |entity: String| {
            let nth = {
                let mut last = next_mention.borrow_mut();
                let nth = if last.0 == entity { last.1 + 1 } else { 0 };
                *last = (entity.clone(), nth);
                nth
            };
            flash_entity(&root, &entity, nth)
        })
    };

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
        Callback::from(move |f: Format| {
            let session = store.get();
            let name = file_stem(&session.article.text);
            files::download(&format!("{name}.{}", f.extension()), f.mime(), &session.export(f, &name));
            if f == Format::Brat {
                files::download(&format!("{name}.txt"), "text/plain;charset=utf-8", &session.article.text);
            }
        })
    };
    let (on_file, on_paste) = use_article_files(&store, notice.setter(), pending.clone());
    let drop = use_file_drop(on_file.clone());
    let onkeydown = use_shortcuts(dispatch.clone(), pending.clone(), s.selected.clone(), root.clone());

    let details = s.selected.as_ref().and_then(|id| s.find(id)).cloned().map(|a| {
        html! { <Details key={a.id.clone()} annotation={a.clone()} labels={s.labels().clone()} dispatch={dispatch.clone()} autofocus={*card_focus} /> }
    });
    let n = &*notice;
    html! {
        <div class={classes!("sahifa", drop.dragging.then_some("dragging"), props.read_only.then_some("readonly"))}
            ref={root} lang="ar" dir="rtl" tabindex="-1" {onkeydown}
            ondragover={drop.ondragover} ondragleave={drop.ondragleave} ondrop={drop.ondrop}>
            if !props.read_only {
                <Toolbar state={s.clone()} dispatch={dispatch.clone()} {on_export} {on_file} {on_paste} />
            }
            if let Some(err) = &s.storage_error {
                <div class="sahifa-banner" role="alert">
                    { format!("تعذّر الحفظ التلقائي ({err}). عملك محفوظ في الذاكرة؛ صدّره كي لا يضيع.") }
                </div>
            }
            { unreadable_banner(&unreadable) }
            if let Some(n) = s.last_merge.as_ref().map(|m| m.conflicts.len()).filter(|&n| n > 0) {
                <div class="sahifa-banner sahifa-conflict" role="alert">
                    { format!("عُدّل {n} من التعليقات هنا وفي نافذة أخرى معًا؛ احتُفظ بالنسختين كلتيهما. راجعهما واحذف ما لا تريد.") }
                </div>
            }
            <div class={classes!("sahifa-status", n.error.then_some("error"))} role="status" aria-live="polite">
                { n.text.clone() }
            </div>
            { orphans_view(&s, &dispatch) }
            // A caret makes Shift+arrow selection possible from the keyboard; `beforeinput` is cancelled,
            // so the article can never be edited and Yew's DOM stays as rendered.
            <div class="sahifa-main" ref={main_ref} {onmouseup} {ontouchend} onkeyup={onkeyup_article} onkeydown={on_mark_key}
                contenteditable={(!props.read_only).then_some("true")} spellcheck="false"
                aria-label="المقال: حدّد نصًا بالفأرة أو بـ Shift والأسهم لتعليمه" aria-readonly="true">
                <ArticleView state={s.clone()} {on_select} {on_rendered} />
            </div>
            <aside class="sahifa-side" aria-label="لوحة الكيانات">
                { details.unwrap_or_default() }
                <Legend state={s.clone()} dispatch={dispatch.clone()} />
                <EntityList state={s} on_pick={on_pick_entity} dispatch={dispatch.clone()} read_only={props.read_only} />
            </aside>
            { picker.unwrap_or_default() }
        </div>
    }
}

/// Keys on a focused mark: Enter opens its card with focus in it; Delete/Backspace removes it; A accepts and
/// X rejects a suggestion; a label's key retypes it. After a removal focus stays in the article (without
/// scrolling), so Ctrl+Z works at once. Esc closes an open card and returns to its mark.
fn mark_keys(
    store: &Store,
    dispatch: &Callback<Action>,
    card_focus: &UseStateHandle<bool>,
    main_ref: &NodeRef,
    read_only: bool,
) -> Callback<KeyboardEvent> {
    let (store, dispatch, card_focus, main_ref) =
        (store.clone(), dispatch.clone(), card_focus.clone(), main_ref.clone());
    Callback::from(move |e: KeyboardEvent| {
        if e.ctrl_key() || e.meta_key() || e.alt_key() {
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
            snapped_differs={p.snapped != Some(p.raw)} rect={p.rect} clipped={p.clipped}
            {on_pick} {on_cancel} {on_toggle_raw} />
    }
}

/// The imported annotations that could not be placed, with a button that closes the list.
fn orphans_view(s: &Session, dispatch: &Callback<Action>) -> Html {
    if s.orphans().is_empty() {
        return Html::default();
    }
    let dismiss = dispatch.reform(|_: MouseEvent| Action::DismissOrphans);
    html! {
        <section class="sahifa-orphans" aria-label="تعليقات لم يُعثر على مكانها">
            <h2>{ format!("لم يُعثر على مكان {} من التعليقات المستوردة", s.orphans().len()) }</h2>
            <button type="button" class="dismiss" onclick={dismiss}>{ "إغلاق القائمة" }</button>
            <ul>
                { for s.orphans().iter().map(|o| html! {
                    <li data-orphan={o.label.clone()}><bdi>{ o.label.clone() }</bdi>{ ": «" }<bdi>{ o.quote.clone() }</bdi>{ "» — " }<bdi>{ o.reason.clone() }</bdi></li>
                }) }
            </ul>
        </section>
    }
}

/// Saved work that could not be restored: said, kept aside, and offered for download.
fn unreadable_banner(unreadable: &UseStateHandle<Option<Unreadable>>) -> Html {
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
            { "تعذّرت قراءة العمل المحفوظ لهذا المقال، فحُفظ جانبًا ولن يُكتب فوقه. " }
            <bdi dir="ltr">{ u.why.clone() }</bdi>
            <button type="button" onclick={download}>{ "تنزيل العمل المحفوظ" }</button>
            <button type="button" onclick={dismiss}>{ "إغلاق" }</button>
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

/// Scrolls to an entity's `nth` mention (counting round) and flashes all of them; pure DOM feedback.
fn flash_entity(root: &NodeRef, entity: &str, nth: usize) {
    let Some(root) = root.cast::<web_sys::Element>() else {
        return;
    };
    let selector = format!(
        "mark[data-entity=\"{}\"]",
        entity.replace('\\', "\\\\").replace('"', "\\\"")
    );
    let Ok(list) = root.query_selector_all(&selector) else {
        return;
    };
    let target = (nth as u32) % list.length().max(1);
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
                let _ = el.focus();
            }
            let cl = el.class_list();
            let _ = cl.remove_1("flash");
            let _ = el.offset_width(); // restart the animation
            let _ = cl.add_1("flash");
        }
    }
}
