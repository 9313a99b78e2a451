//! The widget's root: subscribes to the [`Store`], wires the page's gestures (selection, keys, drops, files)
//! to `Action`s, and owns the one autosave effect.

use super::article::ArticleView;
use super::details::Details;
use super::entity_list::EntityList;
use super::legend::Legend;
use super::picker::Picker;
use super::toolbar::{read_files, Toolbar};
use crate::extraction;
use crate::files::{self, FileKind};
use crate::selection::{self, Picked};
use crate::state::{Action, State};
use crate::storage;
use crate::store::Store;
use sahifa_core::formats::{self, Format};
use sahifa_core::slice_chars;
use sahifa_core::snap;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AppProps {
    pub store: Store,
    /// Called once, after the first render has put the marks in the DOM.
    #[prop_or_default]
    pub on_ready: Option<Callback<()>>,
    /// localStorage key for autosave; by default derived from the article text.
    #[prop_or_default]
    pub storage_key: Option<String>,
    /// A reader's view: no selection picker, no editing.
    #[prop_or_default]
    pub read_only: bool,
}

/// A selection waiting for its label.
#[derive(Clone, PartialEq)]
struct Pending {
    raw: (usize, usize),
    snapped: Option<(usize, usize)>,
    use_raw: bool,
    rect: (f64, f64, f64, f64),
}

impl Pending {
    fn range(&self) -> (usize, usize) {
        if self.use_raw {
            self.raw
        } else {
            self.snapped.unwrap_or(self.raw)
        }
    }
}

/// A message for the status line.
#[derive(Clone, PartialEq, Default)]
struct Notice {
    text: String,
    error: bool,
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let state = use_state(|| props.store.get());
    let pending = use_state(|| None::<Pending>);
    let notice = use_state(Notice::default);
    let dragging = use_state(|| false);
    // Subscribe to the store; the one autosave effect lives here too.
    {
        let store = props.store.clone();
        let state = state.clone();
        let key_opt = props.storage_key.clone();
        use_effect_with(store, move |store| {
            let view = {
                let state = state.clone();
                store.subscribe(move |next: &Rc<State>, _| state.set(next.clone()))
            };
            // Saving serialises the whole work, so it runs after the frame that shows the edit (a zero
            // timeout, coalescing bursts of edits) and is flushed at once if the page goes away.
            let pending_save: Rc<std::cell::RefCell<Option<gloo_timers::callback::Timeout>>> =
                Rc::default();
            let save_now = {
                let (store2, key_opt) = (store.clone(), key_opt.clone());
                Rc::new(move || {
                    let next = store2.get();
                    let key = key_opt
                        .clone()
                        .unwrap_or_else(|| storage::key_for(&next.article.text));
                    let custom: Vec<_> = next
                        .labels
                        .iter()
                        .filter(|l| l.name.parse::<sahifa_core::EntityType>().is_err())
                        .cloned()
                        .collect();
                    let result = storage::save(&key, &next.annotations, &custom).err();
                    store2.dispatch(Action::StorageStatus(result));
                })
            };
            let save = {
                let (store2, key_opt, pending_save, save_now) = (
                    store.clone(),
                    key_opt.clone(),
                    pending_save.clone(),
                    save_now.clone(),
                );
                store.subscribe(move |_next: &Rc<State>, action: &Action| {
                    if !(State::is_edit(action) || matches!(action, Action::DefineLabel(_))) {
                        if let Action::Load { .. } = action {
                            extraction::run(store2.clone(), key_opt.clone(), || ());
                        }
                        return;
                    }
                    let (pending, save_now) = (pending_save.clone(), save_now.clone());
                    *pending_save.borrow_mut() =
                        Some(gloo_timers::callback::Timeout::new(0, move || {
                            pending.borrow_mut().take();
                            save_now();
                        }));
                })
            };
            let flush = web_sys::window().map(|w| {
                let (pending_save, save_now) = (pending_save.clone(), save_now.clone());
                gloo_events::EventListener::new(&w, "pagehide", move |_| {
                    if pending_save.borrow_mut().take().is_some() {
                        save_now();
                    }
                })
            });
            state.set(store.get());
            let store = store.clone();
            move || {
                store.unsubscribe(view);
                store.unsubscribe(save);
                drop(flush);
            }
        });
    }
    // `ready` once the entities are in the DOM: extraction (or restore) is done and the article has put
    // every paragraph on screen. Effects run after the DOM is updated, so the marks are there.
    let extracted = use_state(|| false);
    let rendered = use_state(|| false);
    let ready_sent = use_mut_ref(|| false);
    {
        // After the first render (the text is on screen): restore or extract.
        let (store, key, extracted) = (
            props.store.clone(),
            props.storage_key.clone(),
            extracted.clone(),
        );
        use_effect_with((), move |_| {
            extraction::run(store, key, move || extracted.set(true));
        });
    }
    {
        let on_ready = props.on_ready.clone();
        use_effect_with((*extracted, *rendered), move |&(extracted, rendered)| {
            if extracted && rendered && !std::mem::replace(&mut *ready_sent.borrow_mut(), true) {
                if let Some(cb) = on_ready {
                    cb.emit(());
                }
            }
        });
    }
    let on_rendered = {
        let rendered = rendered.clone();
        use_callback((), move |_: (), _| rendered.set(true))
    };
    let root = use_node_ref();
    let main_ref = use_node_ref();
    let refocus = {
        let main_ref = main_ref.clone();
        move || {
            if let Some(el) = main_ref.cast::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    };
    {
        // Yew has no `onbeforeinput`; gloo-events attaches a non-passive listener that cancels every edit.
        let main_ref = main_ref.clone();
        use_effect_with((), move |_| {
            let listener = main_ref.cast::<web_sys::Element>().map(|el| {
                let opts = gloo_events::EventListenerOptions::enable_prevent_default();
                gloo_events::EventListener::new_with_options(&el, "beforeinput", opts, |e| {
                    e.prevent_default()
                })
            });
            move || drop(listener)
        });
    }
    let store = props.store.clone();
    let dispatch = {
        let store = store.clone();
        Callback::from(move |a: Action| {
            store.dispatch(a);
        })
    };
    let s: Rc<State> = (*state).clone();

    // Stable across renders (paragraphs are memoised on their props, callbacks included).
    let on_select = use_callback(store.clone(), |id: String, store| {
        store.dispatch(Action::Select(Some(id)));
    });
    let on_pick_entity = {
        let root = root.clone();
        Callback::from(move |entity: String| flash_entity(&root, &entity))
    };

    // Selection → picker.
    let check_selection = {
        let (root, pending, store) = (root.clone(), pending.clone(), store.clone());
        let read_only = props.read_only;
        Callback::from(move |_: ()| {
            if read_only {
                return;
            }
            let Some(el) = root.cast::<web_sys::Element>() else {
                return;
            };
            let st = store.get();
            if let Some(Picked { start, end, rect }) = selection::current(&el, &st.article.text) {
                let snapped = snap(&st.article.text, start, end, true);
                let raw = snap(&st.article.text, start, end, false).unwrap_or((start, end));
                pending.set(Some(Pending {
                    raw,
                    snapped,
                    use_raw: false,
                    rect,
                }));
            }
        })
    };
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

    let picker = (*pending).clone().map(|p| {
        let (start, end) = p.range();
        let preview = slice_chars(&s.article.text, start, end)
            .unwrap_or("")
            .to_string();
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
                selection::clear();
                refocus();
            })
        };
        let on_cancel = {
            let (pending, refocus) = (pending.clone(), refocus.clone());
            Callback::from(move |_| {
                pending.set(None);
                selection::clear();
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
            <Picker labels={s.labels.clone()} preview={preview} raw={p.use_raw}
                snapped_differs={p.snapped != Some(p.raw)} rect={p.rect}
                {on_pick} {on_cancel} {on_toggle_raw} />
        }
    });

    // Export, import, article loading.
    let article_name = file_stem(&s.article.text);
    let on_export = {
        let (store, name) = (store.clone(), article_name.clone());
        Callback::from(move |f: Format| {
            let st = store.get();
            let shown: Vec<_> = st.kept().map(|a| (**a).clone()).collect();
            let data = formats::export(f, &st.article.text, &name, &shown);
            files::download(&format!("{name}.{}", f.extension()), f.mime(), &data);
            if f == Format::Brat {
                files::download(
                    &format!("{name}.txt"),
                    "text/plain;charset=utf-8",
                    &st.article.text,
                );
            }
        })
    };
    let load_article = {
        let (store, notice, pending) = (store.clone(), notice.clone(), pending.clone());
        Callback::from(move |text: Result<String, String>| match text {
            Ok(text) => {
                pending.set(None);
                store.dispatch(Action::Load {
                    text,
                    annotations: Vec::new(),
                });
                notice.set(Notice {
                    text: "حُمِّل المقال الجديد".into(),
                    ..Default::default()
                });
            }
            Err(e) => notice.set(Notice {
                text: format!("تعذّر تحميل المقال: {e}"),
                error: true,
            }),
        })
    };
    let on_file = {
        let (store, notice, load_article) = (store.clone(), notice.clone(), load_article.clone());
        Callback::from(move |(name, text): (String, Result<String, String>)| {
            let text = match text {
                Ok(t) => t,
                Err(e) => {
                    notice.set(Notice {
                        text: format!("{name}: {e}"),
                        error: true,
                    });
                    return;
                }
            };
            match files::kind_of(&name) {
                Some(FileKind::Article { html }) => load_article.emit(if html {
                    files::article_from_html(&text).and_then(|t| files::clean_text(&t))
                } else {
                    files::clean_text(&text)
                }),
                Some(FileKind::Annotations(f)) => notice.set(import(&store, f, &name, &text)),
                None => notice.set(Notice {
                    text: format!(
                        "{name}: نوع ملف غير معروف (.txt .html .json .ann .conll .jsonl .csv)"
                    ),
                    error: true,
                }),
            }
        })
    };
    let on_paste = load_article.reform(|t: String| files::clean_text(&t));

    // Drag and drop of files onto the widget.
    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if !*dragging {
                dragging.set(true);
            }
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let ondrop = {
        let (dragging, on_file) = (dragging.clone(), on_file.clone());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(list) = e.data_transfer().and_then(|d| d.files()) {
                read_files(list, on_file.clone());
            }
        })
    };

    // Keyboard: undo/redo anywhere in the widget except while typing.
    let onkeydown = {
        let (dispatch, pending) = (dispatch.clone(), pending.clone());
        Callback::from(move |e: KeyboardEvent| {
            let typing = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|el| {
                    matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                });
            if typing || !(e.ctrl_key() || e.meta_key()) {
                if e.key() == "Escape" && pending.is_some() {
                    pending.set(None);
                }
                return;
            }
            let action = match (e.key().to_lowercase().as_str(), e.shift_key()) {
                ("z", false) => Some(Action::Undo),
                ("z", true) | ("y", _) => Some(Action::Redo),
                _ => None,
            };
            if let Some(a) = action {
                e.prevent_default();
                dispatch.emit(a);
            }
        })
    };

    let details = s.selected.as_ref().and_then(|id| s.find(id)).cloned().map(|a| {
        html! { <Details key={a.id.clone()} annotation={a.clone()} labels={s.labels.clone()} dispatch={dispatch.clone()} /> }
    });
    let n = &*notice;
    html! {
        <div class={classes!("sahifa", dragging.then_some("dragging"), props.read_only.then_some("readonly"))}
            ref={root} lang="ar" dir="rtl" tabindex="-1" {onkeydown} {ondragover} {ondragleave} {ondrop}>
            if !props.read_only {
                <Toolbar state={s.clone()} dispatch={dispatch.clone()} {on_export} {on_file} {on_paste} />
            }
            if let Some(err) = &s.storage_error {
                <div class="sahifa-banner" role="alert">
                    { format!("تعذّر الحفظ التلقائي ({err}). عملك محفوظ في الذاكرة؛ صدّره كي لا يضيع.") }
                </div>
            }
            <div class={classes!("sahifa-status", n.error.then_some("error"))} role="status" aria-live="polite">
                { n.text.clone() }
            </div>
            if !s.orphans.is_empty() {
                <section class="sahifa-orphans" aria-label="تعليقات لم يُعثر على مكانها">
                    <h2>{ format!("لم يُعثر على مكان {} من التعليقات المستوردة", s.orphans.len()) }</h2>
                    <ul>
                        { for s.orphans.iter().map(|o| html! {
                            <li data-orphan={o.label.clone()}><bdi>{ o.label.clone() }</bdi>{ ": «" }<bdi>{ o.quote.clone() }</bdi>{ "» — " }{ o.reason.clone() }</li>
                        }) }
                    </ul>
                </section>
            }
            // A caret makes Shift+arrow selection possible from the keyboard; `beforeinput` is cancelled,
            // so the article can never be edited and Yew's DOM stays as rendered.
            <div class="sahifa-main" ref={main_ref} {onmouseup} {ontouchend} onkeyup={onkeyup_article}
                contenteditable={(!props.read_only).then_some("true")} spellcheck="false"
                aria-label="المقال: حدّد نصًا بالفأرة أو بـ Shift والأسهم لتعليمه" aria-readonly="true">
                <ArticleView state={s.clone()} {on_select} {on_rendered} />
            </div>
            <aside class="sahifa-side" aria-label="لوحة الكيانات">
                { details.unwrap_or_default() }
                <Legend state={s.clone()} dispatch={dispatch.clone()} />
                <EntityList state={s} on_pick={on_pick_entity} />
            </aside>
            { picker.unwrap_or_default() }
        </div>
    }
}

/// Imports a file into the work as one undoable step; the notice says what happened.
fn import(store: &Store, f: Format, name: &str, data: &str) -> Notice {
    match store.get().import(f, data) {
        Err(e) => Notice {
            text: format!("{name}: {e} — لم يتغير شيء"),
            error: true,
        },
        Ok((action, r)) => {
            store.dispatch(action);
            Notice {
                text: format!(
                    "{name}: أُضيف {}، مكرر {}، بلا مكان {}",
                    r.added,
                    r.duplicates,
                    r.orphans.len()
                ),
                error: false,
            }
        }
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

/// Scrolls to an entity's first mention and flashes all of them; pure DOM feedback, not state.
fn flash_entity(root: &NodeRef, entity: &str) {
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
    for i in 0..list.length() {
        if let Some(el) = list
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        {
            if i == 0 {
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
