//! The JavaScript API of a mounted widget (see `API.md`). It only reads the [`Store`] and dispatches
//! `Action`s, so everything it does is also what the UI does, with the same undo history.
//!
//! One rule for every method: a request that cannot be carried out (an unknown id, a bad range or label,
//! rejecting the user's own annotation) throws an `Error` with the core's reason and changes nothing; a
//! request that is already satisfied (accepting an accepted suggestion, an update to the same values) is
//! not an error, changes nothing and fires no `change` event.

use crate::learner::{LearnedStore, Learner, LocalLearned};
use crate::store::Store;
use crate::tagger_data::{DataState, OnSettled};
use sahifa_core::formats::{ExportScope, Format};
use sahifa_core::session::{Action, Refused, Session};
use sahifa_core::Status;
use serde::{Deserialize, Serialize};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// A mention as `entities()` reports it.
#[derive(Serialize)]
struct Mention<'a> {
    id: &'a str,
    entity: &'a str,
    start: usize,
    end: usize,
    #[serde(rename = "type")]
    label: &'a str,
    text: &'a str,
    source: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    status: &'a str,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewAnnotation {
    start: usize,
    end: usize,
    #[serde(rename = "type")]
    label: String,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Changes {
    #[serde(rename = "type", default)]
    label: Option<String>,
    /// `null` clears the note; absent leaves it.
    #[serde(default, deserialize_with = "present")]
    note: Option<Option<String>>,
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ExportOptions {
    /// `"reviewed"` or `"all"` (the default).
    #[serde(default)]
    scope: Option<String>,
}

#[derive(Serialize)]
struct ImportSummary {
    added: usize,
    /// Existing annotations that took the imported review state (label, source, status, note).
    updated: usize,
    duplicates: usize,
    orphans: Vec<OrphanOut>,
}

#[derive(Serialize)]
struct OrphanOut {
    #[serde(rename = "type")]
    label: String,
    quote: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    reason: String,
}

/// What a widget instance shares with its listeners.
struct Inner {
    store: Store,
    listeners: RefCell<Vec<(String, js_sys::Function)>>,
    ready: Cell<bool>,
    /// Element that receives bubbling, composed `sahifa:change` / `sahifa:ready` DOM events.
    host: RefCell<Option<web_sys::Element>>,
    destroy: RefCell<Option<Box<dyn FnOnce()>>>,
    subscription: Cell<u32>,
    /// `resolve` functions of `settle()` promises made while the machine was still suggesting.
    settling: RefCell<Vec<js_sys::Function>>,
    /// Online learning: re-suggests the unreviewed text after every edit.
    learner: Rc<Learner>,
    /// Told when the tagger's data is in (its marks are merged) or will not come (see
    /// [`crate::tagger_data`]); kept here, as the page holds it weakly.
    on_data: RefCell<Option<OnSettled>>,
    /// The tagger's data was still to come when the widget started, and this widget has not yet reacted to
    /// its arrival (or failure): `settle()` waits.
    data_pending: Cell<bool>,
}

/// What a review decision did to the other mentions (the `learned` event's argument).
#[derive(Serialize)]
struct Learned {
    edit: &'static str,
    suggested: usize,
    retyped: usize,
    dropped: usize,
}

/// Resolves every waiting `settle()` once the session's suggestions are all in and no re-suggestion is
/// pending.
fn settle_if_done(inner: &Inner, session: &Session) {
    if !session.is_extracted() || !inner.learner.is_idle() || inner.data_pending.get() {
        return;
    }
    let waiting = std::mem::take(&mut *inner.settling.borrow_mut());
    for resolve in waiting {
        let _ = resolve.call0(&JsValue::NULL);
    }
}

/// The instance handed to JavaScript (`window.sahifa`, `element.sahifa`).
#[wasm_bindgen]
#[derive(Clone)]
pub struct Sahifa {
    inner: Rc<Inner>,
}

fn err(method: &str, msg: impl std::fmt::Display) -> JsError {
    JsError::new(&format!("sahifa.{method}: {msg}"))
}

/// `value` as a Rust string if it is a JS string, refusing one with a lone surrogate: converting it would
/// silently put U+FFFD in the user's work.
fn well_formed(method: &str, field: &str, value: &JsValue) -> Result<Option<String>, JsError> {
    let Some(s) = value.dyn_ref::<js_sys::JsString>() else {
        return Ok(None);
    };
    if !s.is_valid_utf16() {
        return Err(err(
            method,
            format!("{field} holds a lone surrogate (invalid UTF-16); nothing was changed"),
        ));
    }
    Ok(Some(String::from(s)))
}

/// Checks the named string fields of an options object with [`well_formed`].
fn well_formed_fields(method: &str, obj: &JsValue, fields: &[&str]) -> Result<(), JsError> {
    if !obj.is_object() {
        return Ok(());
    }
    for f in fields {
        if let Ok(v) = js_sys::Reflect::get(obj, &(*f).into()) {
            well_formed(method, f, &v)?;
        }
    }
    Ok(())
}

fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsError> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("sahifa: cannot convert result: {e}")))
}

fn status_name(s: Status) -> &'static str {
    match s {
        Status::Suggested => "suggested",
        Status::Accepted => "accepted",
        Status::Rejected => "rejected",
    }
}

impl Sahifa {
    pub fn new(store: Store, host: Option<web_sys::Element>) -> Self {
        let site = LocalLearned {
            key: crate::learner::DEFAULT_KEY.to_string(),
        };
        Self::learning_in(store, host, Box::new(site))
    }

    /// [`Sahifa::new`] with the learned weights kept in `learned` (see [`Sahifa::learn_in`]).
    pub fn learning_in(store: Store, host: Option<web_sys::Element>, learned: Box<dyn LearnedStore>) -> Self {
        let inner = Rc::new(Inner {
            store: store.clone(),
            listeners: RefCell::default(),
            ready: Cell::new(false),
            host: RefCell::new(host),
            destroy: RefCell::default(),
            subscription: Cell::new(0),
            settling: RefCell::default(),
            learner: Learner::new(store.clone(), learned),
            on_data: RefCell::default(),
            data_pending: Cell::new(false),
        });
        if crate::tagger_data::state() == DataState::Pending {
            let weak = Rc::downgrade(&inner);
            let on_data: OnSettled = Rc::new(move |state: &DataState| {
                let (weak, ready) = (weak.clone(), *state == DataState::Ready);
                // After a yield: the status line's re-render, scheduled by the same news, comes first, so a
                // `settle()` that resolves here finds the page saying what it now holds.
                yew::platform::spawn_local(async move {
                    gloo_timers::future::TimeoutFuture::new(0).await;
                    if let Some(inner) = weak.upgrade() {
                        inner.data_pending.set(false);
                        if ready {
                            inner.learner.data_ready();
                        } else {
                            inner.learner.data_failed();
                        }
                        settle_if_done(&inner, &inner.store.get());
                    }
                });
            });
            crate::tagger_data::when_settled(&on_data);
            *inner.on_data.borrow_mut() = Some(on_data);
            inner.data_pending.set(true);
        }
        let weak = Rc::downgrade(&inner);
        inner.learner.set_on_idle(move |changed| {
            if let Some(inner) = weak.upgrade() {
                if changed > 0 {
                    let learned = Learned {
                        edit: "retag",
                        suggested: 0,
                        retyped: 0,
                        dropped: 0,
                    };
                    if let Ok(detail) = to_js(&learned) {
                        emit(&inner, "learned", &detail);
                    }
                }
                settle_if_done(&inner, &inner.store.get());
            }
        });
        let weak = Rc::downgrade(&inner);
        let id = store.subscribe(move |session: &Rc<Session>, kind| {
            if let Some(inner) = weak.upgrade() {
                if kind.is_edit() {
                    emit(&inner, "change", &kind.name().into());
                }
                let p = session.last_propagation;
                if kind.is_edit() && !p.is_empty() {
                    let learned = Learned {
                        edit: kind.name(),
                        suggested: p.suggested,
                        retyped: p.retyped,
                        dropped: p.dropped,
                    };
                    if let Ok(detail) = to_js(&learned) {
                        emit(&inner, "learned", &detail);
                    }
                }
                inner.learner.on_change(session, kind);
                settle_if_done(&inner, session);
            }
        });
        inner.subscription.set(id);
        Sahifa { inner }
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// Keeps the learned weights in `learned` from now on (a collection's own, once it is known).
    pub fn learn_in(&self, learned: Box<dyn LearnedStore>) {
        self.inner.learner.set_storage(learned);
    }

    /// Called once the first render with the entities is in the DOM.
    pub fn mark_ready(&self) {
        if !self.inner.ready.replace(true) {
            emit(&self.inner, "ready", &JsValue::UNDEFINED);
            // What the collection learned before reaches this article's suggestions too.
            self.inner.learner.start();
        }
    }

    /// What `destroy()` must undo besides the API's own listeners (set by whoever mounted the widget).
    pub fn set_destroy(&self, f: impl FnOnce() + 'static) {
        *self.inner.destroy.borrow_mut() = Some(Box::new(f));
    }

    fn state(&self) -> Rc<Session> {
        self.inner.store.get()
    }

    /// Dispatches `action` under the API's one rule (see the module doc): the session it produced, `None`
    /// when it was already satisfied, or the reason as a thrown `Error`.
    fn dispatch(&self, method: &str, action: Action) -> Result<Option<Rc<Session>>, JsError> {
        match self.inner.store.dispatch(action) {
            Ok(next) => Ok(Some(next)),
            Err(Refused::Unchanged) => Ok(None),
            Err(why) => Err(err(method, why)),
        }
    }
}

/// Calls `on(event)` listeners, then dispatches `sahifa:<event>` on the host (bubbling, composed, so it
/// crosses a shadow root). A listener that throws is reported on the console and never breaks the widget.
fn emit(inner: &Inner, event: &str, detail: &JsValue) {
    let listeners: Vec<js_sys::Function> = inner
        .listeners
        .borrow()
        .iter()
        .filter(|(e, _)| e == event)
        .map(|(_, f)| f.clone())
        .collect();
    for f in listeners {
        if let Err(e) = f.call1(&JsValue::NULL, detail) {
            web_sys::console::error_2(&format!("sahifa: a '{event}' listener threw").into(), &e);
        }
    }
    if let Some(host) = inner.host.borrow().as_ref() {
        let init = web_sys::CustomEventInit::new();
        init.set_bubbles(true);
        init.set_composed(true);
        init.set_detail(detail);
        if let Ok(ev) =
            web_sys::CustomEvent::new_with_event_init_dict(&format!("sahifa:{event}"), &init)
        {
            let _ = host.dispatch_event(&ev);
        }
    }
}

#[wasm_bindgen]
impl Sahifa {
    /// The article text that offsets count.
    pub fn text(&self) -> String {
        self.state().article.text.clone()
    }

    /// Every mention shown (rejected suggestions excluded), in text order.
    pub fn entities(&self) -> Result<JsValue, JsError> {
        let state = self.state();
        let list: Vec<Mention> = state
            .kept()
            .map(|a| Mention {
                id: &a.id,
                entity: &a.entity,
                start: a.start,
                end: a.end,
                label: &a.label,
                text: &a.text,
                source: a.source.as_str(),
                note: a.note.as_deref(),
                status: status_name(a.status),
            })
            .collect();
        // One JSON string that the engine parses: thousands of mentions cost a string crossing each
        // (about 60 ms for 9,000 mentions) when converted field by field.
        let json = serde_json::to_string(&list)
            .map_err(|e| JsError::new(&format!("sahifa: cannot convert result: {e}")))?;
        js_sys::JSON::parse(&json).map_err(|_| JsError::new("sahifa: cannot convert result"))
    }

    /// Adds a user annotation and returns its id.
    #[wasm_bindgen(js_name = addAnnotation)]
    pub fn add_annotation(&self, spec: JsValue) -> Result<String, JsError> {
        well_formed_fields("addAnnotation", &spec, &["type", "note"])?;
        let spec: NewAnnotation = serde_wasm_bindgen::from_value(spec).map_err(|e| {
            err(
                "addAnnotation",
                format!("expected {{start, end, type, note?}}: {e}"),
            )
        })?;
        let add = Action::Add {
            start: spec.start,
            end: spec.end,
            label: spec.label,
            note: spec.note,
        };
        let next = match self.inner.store.dispatch(add) {
            Ok(next) => Some(next),
            // Already there, as asked: satisfied, so its id, and no change.
            Err(Refused::Duplicate { id, .. }) => return Ok(id),
            Err(Refused::Unchanged) => None,
            Err(why) => return Err(err("addAnnotation", why)),
        };
        // The id of the annotation this action made or retyped, read from the session it produced (a
        // `change` listener may have edited since).
        Ok(next.and_then(|s| s.selected.clone()).unwrap_or_default())
    }

    #[wasm_bindgen(js_name = updateAnnotation)]
    pub fn update_annotation(&self, id: &str, changes: JsValue) -> Result<(), JsError> {
        well_formed_fields("updateAnnotation", &changes, &["type", "note"])?;
        let c: Changes = serde_wasm_bindgen::from_value(changes).map_err(|e| {
            err(
                "updateAnnotation",
                format!("expected {{type?, note?}}: {e}"),
            )
        })?;
        self.dispatch(
            "updateAnnotation",
            Action::Update {
                id: id.to_string(),
                label: c.label,
                note: c.note,
            },
        )?;
        Ok(())
    }

    #[wasm_bindgen(js_name = removeAnnotation)]
    pub fn remove_annotation(&self, id: &str) -> Result<(), JsError> {
        self.dispatch("removeAnnotation", Action::Remove { id: id.to_string() })?;
        Ok(())
    }

    /// Turns a machine suggestion into the user's.
    pub fn accept(&self, id: &str) -> Result<(), JsError> {
        self.dispatch("accept", Action::Accept { id: id.to_string() })?;
        Ok(())
    }

    /// Hides a machine suggestion and remembers that it was rejected.
    pub fn reject(&self, id: &str) -> Result<(), JsError> {
        self.dispatch("reject", Action::Reject { id: id.to_string() })?;
        Ok(())
    }

    /// Undoes the last edit; false when there is none.
    pub fn undo(&self) -> bool {
        self.inner.store.dispatch(Action::Undo).is_ok()
    }

    /// Redoes the last undone edit; false when there is none.
    pub fn redo(&self) -> bool {
        self.inner.store.dispatch(Action::Redo).is_ok()
    }

    /// The work in `format` (w3c, brat, conll, jsonl or csv) with its review state. `options.scope`:
    /// `"all"` (the default: everything, rejected suggestions marked as rejected where the format can say
    /// so, left out of CoNLL) or `"reviewed"` (the user's annotations and accepted suggestions only).
    pub fn export(&self, format: &str, options: JsValue) -> Result<String, JsError> {
        let f: Format = format.parse().map_err(|e| err("export", e))?;
        let o: ExportOptions = if options.is_undefined() || options.is_null() {
            ExportOptions::default()
        } else {
            serde_wasm_bindgen::from_value(options).map_err(|e| {
                err("export", format!("expected {{scope?: \"reviewed\" | \"all\"}}: {e}"))
            })?
        };
        let scope: ExportScope = match o.scope.as_deref() {
            None => ExportScope::All,
            Some(s) => s.parse().map_err(|e: String| err("export", e))?,
        };
        Ok(self.state().export_scoped(f, "article", scope))
    }

    /// Merges annotations from `data` into the work as one undoable step; `{added, duplicates, orphans}`.
    pub fn import(&self, format: &str, data: JsValue) -> Result<JsValue, JsError> {
        let f: Format = format.parse().map_err(|e| err("import", e))?;
        let data = well_formed("import", "data", &data)?
            .ok_or_else(|| err("import", "data must be a string"))?;
        let (action, report) = self.state().import(f, &data).map_err(|e| err("import", e))?;
        match self.inner.store.dispatch(action) {
            Ok(_) | Err(Refused::EmptyImport) => {}
            Err(why) => return Err(err("import", why)),
        }
        let orphans: Vec<OrphanOut> = report
            .orphans
            .into_iter()
            .map(|o| OrphanOut {
                label: o.label,
                quote: o.quote,
                note: o.note,
                reason: o.reason.to_string(),
            })
            .collect();
        to_js(&ImportSummary {
            added: report.added,
            updated: report.updated,
            duplicates: report.duplicates,
            orphans,
        })
    }

    /// A promise that resolves once the suggestions reflect every edit made so far: at once when the
    /// machine's suggestions are all in (a review decision's propagation is part of the edit itself),
    /// else when a long article's last group of paragraphs is.
    pub fn settle(&self) -> js_sys::Promise {
        let inner = self.inner.clone();
        let state = self.state();
        js_sys::Promise::new(&mut |resolve, _reject| {
            inner.settling.borrow_mut().push(resolve);
            settle_if_done(&inner, &state);
        })
    }

    /// What the tagger has learned in this collection (stored, imported and from this article), as
    /// versioned, checksummed bytes for `importLearning` elsewhere.
    #[wasm_bindgen(js_name = exportLearning)]
    pub fn export_learning(&self) -> js_sys::Uint8Array {
        js_sys::Uint8Array::from(&self.inner.learner.export()[..])
    }

    /// Adds learned weights from `exportLearning` to this collection's, then suggests the unreviewed text
    /// again; throws (changing nothing) on bytes that are not intact learned weights.
    #[wasm_bindgen(js_name = importLearning)]
    pub fn import_learning(&self, bytes: &js_sys::Uint8Array) -> Result<(), JsError> {
        self.inner
            .learner
            .import(&bytes.to_vec())
            .map_err(|e| err("importLearning", e))
    }

    /// Forgets everything learned and suggests the unreviewed text again with the shipped model alone.
    #[wasm_bindgen(js_name = resetLearning)]
    pub fn reset_learning(&self) {
        self.inner.learner.reset();
    }

    /// Subscribes `fn` to `change` (after every edit), `learned` (after an edit that changed the
    /// suggestions of other mentions: `{edit, suggested, retyped, dropped}`) or `ready` (once the entities
    /// are shown; a late subscriber to `ready` is called at once).
    pub fn on(&self, event: &str, f: js_sys::Function) -> Result<(), JsError> {
        if !matches!(event, "change" | "learned" | "ready") {
            return Err(err(
                "on",
                format!("unknown event {event:?}; use 'change', 'learned' or 'ready'"),
            ));
        }
        if event == "ready" && self.inner.ready.get() {
            let _ = f.call1(&JsValue::NULL, &JsValue::UNDEFINED);
            return Ok(());
        }
        self.inner
            .listeners
            .borrow_mut()
            .push((event.to_string(), f));
        Ok(())
    }

    pub fn off(&self, event: &str, f: &js_sys::Function) {
        self.inner
            .listeners
            .borrow_mut()
            .retain(|(e, g)| !(e == event && g == f));
    }

    /// Removes the widget and its listeners and restores the element as it was.
    pub fn destroy(&self) {
        self.inner.listeners.borrow_mut().clear();
        self.inner.store.unsubscribe(self.inner.subscription.get());
        if let Some(f) = self.inner.destroy.borrow_mut().take() {
            f();
        }
        self.inner.host.borrow_mut().take();
    }
}
