//! Autosave and other tabs.
//!
//! After every action that [`ActionKind::persists`], the session's snapshot is written to its key after
//! the frame that shows the edit (a zero timeout coalesces bursts of edits), and at once if the page goes
//! away; the outcome goes back to the session as [`Action::StorageStatus`].
//!
//! Another tab on the same article writes the same key. The browser tells this tab (a `storage` event),
//! and its work is merged in with [`Action::Merge`] instead of being overwritten by this tab's next save.
//! Every save is a revision that names the revision it was made from, so the merge's base is exactly what
//! the other tab had seen of this one: a save made after hearing ours supersedes our saved work, one made
//! without hearing it is merged three ways against the revision both started from. Once both tabs hold
//! the same work, a merge changes nothing and nothing more is saved, so the tabs settle.

use crate::storage::{self, Loaded};
use crate::store::Store;
use gloo_timers::callback::Timeout;
use sahifa_core::session::{Action, ActionKind, Article, Session, Snapshot};
use sahifa_core::Annotation;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Where a session's work is saved: the embedder's key names the article it mounted; an article loaded
/// later has its own key, derived from its text. The derived key hashes the whole text (a few ms of CPU
/// for 100,000 words in the page, twice in the mount's task), and every save, restore and other tab's
/// save asks for it, so it is computed once per article.
#[hook]
pub fn use_storage_key(store: &Store, named: Option<String>) -> Rc<dyn Fn(&Session) -> String> {
    let first = store.get().article.clone();
    use_memo((), move |_| {
        let last: RefCell<Option<(Rc<Article>, String)>> = RefCell::default();
        Rc::new(move |s: &Session| match &named {
            Some(k) if Rc::ptr_eq(&s.article, &first) => k.clone(),
            _ => {
                let mut last = last.borrow_mut();
                match &*last {
                    Some((article, key)) if Rc::ptr_eq(article, &s.article) => key.clone(),
                    _ => {
                        let key = storage::storage_key(&s.article.text);
                        *last = Some((s.article.clone(), key.clone()));
                        key
                    }
                }
            }
        }) as Rc<dyn Fn(&Session) -> String>
    })
    .as_ref()
    .clone()
}

/// Saves the store's work under `key(session)` whenever it changes, and merges other tabs' saves.
#[hook]
pub fn use_autosave(store: &Store, key: Rc<dyn Fn(&Session) -> String>) {
    use_effect_with(store.clone(), move |store| {
        let revs = Rc::new(RefCell::new(Revisions::new(&key(&store.get()))));
        let pending: Rc<RefCell<Option<Timeout>>> = Rc::default();
        let save_now = {
            let (store, key, revs) = (store.clone(), key.clone(), revs.clone());
            Rc::new(move || {
                // An open collection keeps the work in IndexedDB (crate::collection).
                if store.saves_elsewhere() {
                    return;
                }
                let session = store.get();
                let result = revs.borrow_mut().save(&key(&session), &session).err();
                // Refused only when the status is unchanged.
                let _ = store.dispatch(Action::StorageStatus(result));
            })
        };
        let sub = {
            let (pending, save_now, key, revs) = (pending.clone(), save_now.clone(), key.clone(), revs.clone());
            store.subscribe(move |session, kind: ActionKind| {
                if kind == ActionKind::Load {
                    *revs.borrow_mut() = Revisions::new(&key(session));
                }
                if !kind.persists() {
                    return;
                }
                let (slot, save_now) = (pending.clone(), save_now.clone());
                *pending.borrow_mut() = Some(Timeout::new(0, move || {
                    slot.borrow_mut().take();
                    save_now();
                }));
            })
        };
        let window = web_sys::window();
        let flush = window.as_ref().map(|w| {
            let (pending, save_now) = (pending.clone(), save_now.clone());
            gloo_events::EventListener::new(w, "pagehide", move |_| {
                if pending.borrow_mut().take().is_some() {
                    save_now();
                }
            })
        });
        let other_tabs = window.as_ref().map(|w| {
            let (store, key, revs) = (store.clone(), key.clone(), revs.clone());
            gloo_events::EventListener::new(w, "storage", move |e| {
                let Some(e) = e.dyn_ref::<web_sys::StorageEvent>() else {
                    return;
                };
                if e.key().as_deref() != Some(key(&store.get()).as_str()) {
                    return;
                }
                let Some(Ok(theirs)) = e.new_value().map(|v| Snapshot::from_json(&v)) else {
                    return;
                };
                let base = revs.borrow_mut().heard(&theirs);
                // Unchanged (nothing new) or not fitting (another article): nothing to do.
                let _ = store.dispatch(Action::Merge { base, theirs });
            })
        });
        let store = store.clone();
        move || {
            store.unsubscribe(sub);
            drop(flush);
            drop(other_tabs);
        }
    });
}

/// The revisions of the saved work this tab knows: its own saves and those it heard of, newest last.
struct Revisions {
    /// Prefix of this tab's revision names.
    tab: String,
    saved: u32,
    /// The revision now in storage, as far as this tab knows.
    current: Option<String>,
    known: Vec<(String, Vec<Annotation>)>,
    /// The work as this tab first found it (a restore), for a save whose parent is unknown.
    start: Vec<Annotation>,
}

/// How many revisions a tab remembers.
const KEEP: usize = 32;

impl Revisions {
    fn new(key: &str) -> Self {
        let tab = format!("{:08x}", (js_sys::Math::random() * f64::from(u32::MAX)) as u32);
        let (current, start) = match storage::load(key) {
            Loaded::Saved(s) => (s.rev, s.annotations),
            _ => (None, Vec::new()),
        };
        let mut known = Vec::new();
        if let Some(rev) = &current {
            known.push((rev.clone(), start.clone()));
        }
        Revisions {
            tab,
            saved: 0,
            current,
            known,
            start,
        }
    }

    fn remember(&mut self, rev: String, annotations: Vec<Annotation>) {
        self.known.retain(|(r, _)| *r != rev);
        self.known.push((rev.clone(), annotations));
        if self.known.len() > KEEP {
            self.known.remove(0);
        }
        self.current = Some(rev);
    }

    /// Saves `session` as a new revision made from the current one.
    fn save(&mut self, key: &str, session: &Session) -> Result<(), String> {
        self.saved += 1;
        let rev = format!("{}-{}", self.tab, self.saved);
        let json = session.snapshot_json_as(Some(&rev), self.current.as_deref());
        storage::save_json(key, &json)?;
        self.remember(rev, session.annotations().iter().map(|a| (**a).clone()).collect());
        Ok(())
    }

    /// Another tab saved `theirs`: the base to merge it against (the revision it was made from, when this
    /// tab knows it), and it becomes the current revision.
    fn heard(&mut self, theirs: &Snapshot) -> Vec<Annotation> {
        let base = theirs
            .parent
            .as_ref()
            .and_then(|p| self.known.iter().find(|(r, _)| r == p))
            .map(|(_, a)| a.clone())
            .unwrap_or_else(|| self.start.clone());
        if let Some(rev) = &theirs.rev {
            self.remember(rev.clone(), theirs.annotations.clone());
        }
        base
    }
}
