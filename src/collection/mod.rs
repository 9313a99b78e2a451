//! The standalone page's collections of articles: which collection and which article are open, moving
//! between them, opening files into a collection, exporting and importing it, keeping it in IndexedDB,
//! and merging what another tab saved on the same collection.
//!
//! What an article's status is, which one is next, how a collection is written and read are the core's
//! ([`sahifa_core::collection`]); this controller only moves work between the one [`Store`] and the
//! collection: before another article is shown, the open one's session snapshot goes into its entry,
//! and every edit is written to the database (a zero timeout coalesces bursts, as autosave does). While a
//! collection is open the single-article `localStorage` autosave stands aside ([`Store::set_saves_elsewhere`]),
//! so a thousand articles never meet `localStorage`'s 5 MB. An embedded widget has no collection and
//! saves exactly as before.
//!
//! Several named collections are kept ([`Named`]); one is open at a time, with its own articles,
//! progress and learning (the learner is re-keyed through [`CollectionCtl::on_switch`]). Deleting one
//! marks it deleted and offers to undo until the page starts again; only then are its articles removed.
//!
//! Two tabs: every article is stored with a revision ([`db::Stored`]). This tab writes an article only
//! if the stored revision is still the one it last read (a compare-and-set in one transaction); if
//! another tab wrote in between, what it wrote is merged three ways against the version both had
//! ([`sahifa_core::collection::merge`]; the open article through the session's own [`Action::Merge`],
//! so its unsaved edits and undo history stay) and written again. Writes go one batch at a time, so this
//! tab never conflicts with itself. After a write the tab says so on a `BroadcastChannel`; a tab that
//! shows the same collection reads the article and merges it at once.

pub mod api;
pub mod db;
pub mod quota;

use crate::files::{self, ArticleError};
use crate::i18n::{self, Lang, Msg};
use crate::store::Store;
use gloo_storage::{LocalStorage, Storage};
use db::{ArticleDb, Migration, Put, Saved, Stored};
use gloo_timers::callback::Timeout;
use quota::Quota;
use sahifa_core::collection::exchange::{self, CollectionFormat};
use sahifa_core::collection::merge::merge_entry;
use sahifa_core::collection::named::{self, Named};
use sahifa_core::collection::{Collection, CollectionError, Entry, Hit, Progress};
use sahifa_core::session::{storage_key, Action, ActionKind, Snapshot};
use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use wasm_bindgen::prelude::*;
use std::rc::Rc;

/// A file handed to [`CollectionCtl::open_files`]: text, or bytes for a zip.
pub enum FileData {
    Text(String),
    Bytes(Vec<u8>),
    /// The browser could not read the file: why.
    Unreadable(String),
}

/// Why one file could not be opened into the collection; said in the widget's language.
#[derive(Debug, Clone, PartialEq)]
pub enum FileError {
    Article(ArticleError),
    NotUtf8,
    UnknownKind,
    Collection(CollectionError),
}

impl FileError {
    pub fn text(&self, lang: Lang) -> String {
        match self {
            FileError::Article(e) => e.text(lang),
            FileError::NotUtf8 => Msg::NotUtf8.text(lang).into(),
            FileError::UnknownKind => Msg::CollUnknownKind.text(lang).into(),
            FileError::Collection(e) => i18n::collection_error(e, lang),
        }
    }
}

/// What an open or import did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Opened {
    pub added: usize,
    pub updated: usize,
    pub orphans: usize,
    /// Files that could not be opened, by name; the others were opened.
    pub failed: Vec<(String, FileError)>,
}

impl Opened {
    /// Each file that could not be opened as `"name: why"`, in `lang`.
    pub fn errors(&self, lang: Lang) -> Vec<String> {
        self.failed.iter().map(|(name, why)| format!("{name}: {}", why.text(lang))).collect()
    }

    pub fn text(&self, lang: Lang) -> String {
        let mut s = Msg::CollOpened.fill(lang, &[&self.added, &self.updated, &self.orphans]);
        if !self.failed.is_empty() {
            s.push_str(&Msg::CollOpenFailed.fill(lang, &[&self.errors(lang).join(Msg::ListSep.text(lang))]));
        }
        s
    }
}

/// What the panel's status line says; kept as a value, so it is worded in whatever language the panel is
/// shown in now.
#[derive(Debug, Clone, PartialEq)]
pub enum Said {
    Opened(Opened),
    /// The database could not be opened (the browser's reason).
    DbFailed(String),
    /// A write failed (the browser's reason); the work stays in memory.
    SaveFailed(String),
    Created(String),
    Renamed(String),
    /// A collection was deleted (its name); the panel offers to undo.
    Removed(String),
    Restored(String),
    /// A name or collection was refused.
    Refused(CollectionError),
    /// Another tab's work on this collection was merged in.
    Merged,
}

/// The panel's status line.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Notice {
    pub said: Option<Said>,
    pub error: bool,
}

impl Notice {
    pub fn text(&self, lang: Lang) -> String {
        match &self.said {
            None => String::new(),
            Some(Said::Opened(o)) => o.text(lang),
            Some(Said::DbFailed(why)) => Msg::CollDbFailed.fill(lang, &[why]),
            Some(Said::SaveFailed(why)) => Msg::CollSaveFailed.fill(lang, &[why]),
            Some(Said::Created(n)) => Msg::CollCreated.fill(lang, &[n]),
            Some(Said::Renamed(n)) => Msg::CollRenamed.fill(lang, &[n]),
            Some(Said::Removed(n)) => Msg::CollRemoved.fill(lang, &[n]),
            Some(Said::Restored(n)) => Msg::CollRestored.fill(lang, &[n]),
            Some(Said::Refused(e)) => i18n::collection_error(e, lang),
            Some(Said::Merged) => Msg::CollMerged.text(lang).into(),
        }
    }
}

#[derive(Clone)]
pub struct CollectionCtl {
    inner: Rc<Inner>,
}

impl PartialEq for CollectionCtl {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

type Listener = Rc<dyn Fn()>;
type OnSwitch = Rc<dyn Fn(&str)>;
/// The channel to other tabs and the listener it holds (dropped with it).
type Channel = (web_sys::BroadcastChannel, Closure<dyn FnMut(web_sys::MessageEvent)>);

struct Inner {
    store: Store,
    coll: RefCell<Collection>,
    current: Cell<Option<usize>>,
    filter: Cell<Option<Progress>>,
    db: RefCell<Option<Rc<dyn ArticleDb>>>,
    notice: RefCell<Notice>,
    lang: Cell<Lang>,
    /// The open collection's id.
    id: RefCell<Option<String>>,
    /// Every collection's record (deleted ones until the next start).
    named: RefCell<Vec<Named>>,
    /// Per position: the revision this tab last read or wrote, and that entry (the base of a merge).
    known: RefCell<Vec<(u64, Option<Entry>)>>,
    /// Positions to write; written one batch at a time (`writing`).
    dirty: RefCell<BTreeSet<usize>>,
    writing: Cell<bool>,
    /// The last write's failure, for `flush`.
    write_error: RefCell<Option<String>>,
    channel: RefCell<Option<Channel>>,
    on_switch: RefCell<Vec<OnSwitch>>,
    /// The collection the `on_switch` listeners last heard of.
    keyed: RefCell<Option<String>>,
    quota_low: RefCell<Option<Quota>>,
    migration: RefCell<Option<Result<Migration, String>>>,
    listeners: RefCell<Vec<(u32, Listener)>>,
    next_listener: Cell<u32>,
    writes: Cell<u32>,
    pending: RefCell<Option<Timeout>>,
    ready: RefCell<Option<js_sys::Promise>>,
}

/// Check the quota after this many writes.
const QUOTA_EVERY: u32 = 25;
/// The channel tabs of one origin tell each other about collection writes on.
const CHANNEL: &str = "sahifa-collections";

/// A write another tab told about: an article (`pos`) or the list of collections / articles (`pos` absent).
#[derive(serde::Serialize, serde::Deserialize)]
struct Heard {
    coll: String,
    #[serde(default)]
    pos: Option<usize>,
}

impl CollectionCtl {
    /// A controller for `store`; [`CollectionCtl::start`] opens the database.
    pub fn new(store: Store) -> Self {
        let ctl = CollectionCtl {
            inner: Rc::new(Inner {
                store: store.clone(),
                coll: RefCell::default(),
                current: Cell::new(None),
                filter: Cell::new(None),
                db: RefCell::new(None),
                notice: RefCell::default(),
                lang: Cell::new(Lang::default()),
                id: RefCell::new(None),
                named: RefCell::default(),
                known: RefCell::default(),
                dirty: RefCell::default(),
                writing: Cell::new(false),
                write_error: RefCell::default(),
                channel: RefCell::default(),
                on_switch: RefCell::default(),
                keyed: RefCell::default(),
                quota_low: RefCell::new(None),
                migration: RefCell::new(None),
                listeners: RefCell::default(),
                next_listener: Cell::new(0),
                writes: Cell::new(0),
                pending: RefCell::new(None),
                ready: RefCell::new(None),
            }),
        };
        let weak = Rc::downgrade(&ctl.inner);
        store.subscribe(move |session, kind| {
            let Some(inner) = weak.upgrade() else { return };
            let Some(i) = inner.current.get() else { return };
            if kind == ActionKind::Load {
                // An article opened outside the collection (a file, a paste): it saves as a single article.
                let ours = inner.coll.borrow().get(i).is_some_and(|e| e.text == session.article.text);
                if !ours {
                    inner.current.set(None);
                    inner.store.set_saves_elsewhere(false);
                    let ctl = CollectionCtl { inner: inner.clone() };
                    ctl.notify();
                }
                return;
            }
            if !kind.persists() {
                return;
            }
            let ctl = CollectionCtl { inner: inner.clone() };
            *inner.pending.borrow_mut() = Some(Timeout::new(0, move || {
                ctl.inner.pending.borrow_mut().take();
                ctl.save_current();
            }));
        });
        ctl
    }

    /// Called with the collection's id whenever an article of another collection than the last one is
    /// about to be shown (and the first time): the learner keeps each collection's learning under its own
    /// key.
    pub fn on_switch(&self, f: impl Fn(&str) + 'static) {
        self.inner.on_switch.borrow_mut().push(Rc::new(f));
    }

    /// Opens the database, migrates earlier data, restores the open collection and asks for persistent
    /// storage; [`CollectionCtl::ready`] resolves when done.
    pub fn start(&self) {
        let ctl = self.clone();
        let p = wasm_bindgen_futures::future_to_promise(async move {
            if let Err(e) = ctl.init().await {
                ctl.say(Said::DbFailed(e), true);
            }
            Ok(JsValue::UNDEFINED)
        });
        *self.inner.ready.borrow_mut() = Some(p);
    }

    pub fn ready(&self) -> js_sys::Promise {
        self.inner
            .ready
            .borrow()
            .clone()
            .unwrap_or_else(|| js_sys::Promise::resolve(&JsValue::UNDEFINED))
    }

    async fn init(&self) -> Result<(), String> {
        let idb = db::Idb::open().await?;
        let moved = db::migrate_v1(&idb, &self.default_name(1)).await?;
        let db: Rc<dyn ArticleDb> = Rc::new(idb);
        *self.inner.db.borrow_mut() = Some(db.clone());
        *self.inner.migration.borrow_mut() = Some(db::migrate_local_saves(&*db, moved).await);
        // Collections deleted before this start: their articles and what they learned go now.
        let mut all = db.collections().await?;
        for gone in all.iter().filter(|n| n.deleted) {
            db.remove_collection(&gone.id).await?;
            LocalStorage::delete(crate::learner::collection_key(&gone.id));
        }
        all.retain(|n| !n.deleted);
        *self.inner.named.borrow_mut() = all;
        let open = match db.meta("open").await?.filter(|id| self.live(id).is_some()) {
            Some(id) => id,
            None => match named::live(&self.inner.named.borrow()).first() {
                Some(n) => n.id.clone(),
                None => String::new(),
            },
        };
        let open = if open.is_empty() {
            // The first collection keeps the id a version 1 database made, if any.
            let id = db.meta("id").await?.unwrap_or_else(db::new_id);
            self.add_named(Named { id: id.clone(), name: self.default_name(1), created: js_sys::Date::now(), deleted: false })
                .await?;
            id
        } else {
            open
        };
        self.listen();
        self.load_collection(&open).await?;
        quota::persist().await;
        self.check_quota(quota::WARN_AT).await;
        self.notify();
        Ok(())
    }

    fn default_name(&self, n: usize) -> String {
        Msg::CollDefaultName.fill(self.lang(), &[&n])
    }

    fn live(&self, id: &str) -> Option<Named> {
        self.inner.named.borrow().iter().find(|n| n.id == id && !n.deleted).cloned()
    }

    fn db(&self) -> Result<Rc<dyn ArticleDb>, String> {
        self.inner.db.borrow().clone().ok_or_else(|| Msg::CollNoDb.text(self.lang()).to_string())
    }

    async fn add_named(&self, n: Named) -> Result<(), String> {
        self.db()?.put_collection(n.clone()).await?;
        let mut all = self.inner.named.borrow_mut();
        all.retain(|m| m.id != n.id);
        all.push(n);
        Ok(())
    }

    /// Makes `id` the open collection: its articles, their revisions, its open article.
    async fn load_collection(&self, id: &str) -> Result<(), String> {
        let db = self.db()?;
        let stored = db.load(id).await?;
        let coll = Collection::from_entries(stored.iter().map(|s| s.entry.clone()).collect()).map_err(|e| e.to_string())?;
        let n = coll.len();
        *self.inner.coll.borrow_mut() = coll;
        *self.inner.known.borrow_mut() = stored.into_iter().map(|s| (s.rev, Some(s.entry))).collect();
        self.inner.dirty.borrow_mut().clear();
        *self.inner.id.borrow_mut() = Some(id.to_string());
        db.set_meta("open", id.to_string()).await?;
        let at = db
            .meta(&format!("current:{id}"))
            .await?
            .and_then(|s| s.parse::<usize>().ok())
            .filter(|&i| i < n)
            .unwrap_or(0);
        if n > 0 {
            self.show(at);
        } else {
            self.inner.current.set(None);
            self.inner.store.set_saves_elsewhere(false);
        }
        self.notify();
        Ok(())
    }

    // ---- reading ----

    pub fn len(&self) -> usize {
        self.inner.coll.borrow().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn current(&self) -> Option<usize> {
        self.inner.current.get()
    }

    pub fn filter(&self) -> Option<Progress> {
        self.inner.filter.get()
    }

    /// Reads the collection.
    pub fn with<R>(&self, f: impl FnOnce(&Collection) -> R) -> R {
        f(&self.inner.coll.borrow())
    }

    pub fn notice(&self) -> Notice {
        self.inner.notice.borrow().clone()
    }

    /// Which collection is open (its id is made once, when it is created, and kept); `None` until
    /// [`CollectionCtl::ready`], or when the database could not be opened.
    pub fn id(&self) -> Option<String> {
        self.inner.id.borrow().clone()
    }

    /// The live collections, in the order they were made.
    pub fn collections(&self) -> Vec<Named> {
        named::live(&self.inner.named.borrow()).into_iter().cloned().collect()
    }

    /// The open collection's record.
    pub fn open_named(&self) -> Option<Named> {
        self.live(&self.id()?)
    }

    /// The collection deleted last, while it can still be restored.
    pub fn removed(&self) -> Option<Named> {
        let all = self.inner.named.borrow();
        let open = self.id();
        all.iter()
            .find(|n| n.deleted && Some(&n.id) == open.as_ref())
            .or_else(|| all.iter().rev().find(|n| n.deleted))
            .cloned()
    }

    /// The widget's interface language, for what the controller says through its API.
    pub fn lang(&self) -> Lang {
        self.inner.lang.get()
    }

    /// Follows the widget's language (the panel sets it from the `Lang` context).
    pub fn set_lang(&self, lang: Lang) {
        self.inner.lang.set(lang);
    }

    /// The quota, when the last check found it running low.
    pub fn quota_low(&self) -> Option<Quota> {
        *self.inner.quota_low.borrow()
    }

    pub fn migration(&self) -> Option<Result<Migration, String>> {
        self.inner.migration.borrow().clone()
    }

    pub fn find(&self, query: &str) -> Vec<Hit> {
        self.inner.coll.borrow().find(query)
    }

    // ---- listening ----

    pub fn subscribe(&self, f: impl Fn() + 'static) -> u32 {
        let id = self.inner.next_listener.get() + 1;
        self.inner.next_listener.set(id);
        self.inner.listeners.borrow_mut().push((id, Rc::new(f)));
        id
    }

    pub fn unsubscribe(&self, id: u32) {
        self.inner.listeners.borrow_mut().retain(|(i, _)| *i != id);
    }

    fn notify(&self) {
        let ls: Vec<Listener> = self.inner.listeners.borrow().iter().map(|(_, l)| l.clone()).collect();
        for l in ls {
            l();
        }
    }

    /// Puts a refusal on the status line (the panel's operations are asynchronous).
    pub fn report(&self, said: Said) {
        self.say(said, true);
    }

    fn say(&self, said: Said, error: bool) {
        *self.inner.notice.borrow_mut() = Notice { said: Some(said), error };
        self.notify();
    }

    // ---- named collections ----

    /// Makes a collection named `name` and opens it (empty: files opened next go into it).
    pub async fn create(&self, name: &str) -> Result<String, CollectionError> {
        let name = named::check_name(name, self.inner.named.borrow().iter())?;
        let id = db::new_id();
        let n = Named { id: id.clone(), name: name.clone(), created: js_sys::Date::now(), deleted: false };
        self.add_named(n).await.map_err(CollectionError::Input)?;
        self.tell(&id, None);
        self.switch(&id).await?;
        self.say(Said::Created(name), false);
        Ok(id)
    }

    /// Opens collection `id`, keeping the open article's work.
    pub async fn switch(&self, id: &str) -> Result<(), CollectionError> {
        if self.live(id).is_none() {
            return Err(CollectionError::NoCollection(id.to_string()));
        }
        self.flush().await.map_err(CollectionError::Input)?;
        self.load_collection(id).await.map_err(CollectionError::Input)
    }

    pub async fn rename(&self, id: &str, name: &str) -> Result<(), CollectionError> {
        let mut n = self.live(id).ok_or_else(|| CollectionError::NoCollection(id.to_string()))?;
        n.name = named::check_name(name, self.inner.named.borrow().iter().filter(|m| m.id != id))?;
        self.add_named(n.clone()).await.map_err(CollectionError::Input)?;
        self.tell(id, None);
        self.say(Said::Renamed(n.name), false);
        Ok(())
    }

    /// Deletes collection `id`: marked deleted, restorable with [`CollectionCtl::restore`] until the page
    /// starts again. Deleting the open one opens another (a new empty one when it was the last).
    pub async fn remove(&self, id: &str) -> Result<(), CollectionError> {
        let mut n = self.live(id).ok_or_else(|| CollectionError::NoCollection(id.to_string()))?;
        self.flush().await.map_err(CollectionError::Input)?;
        n.deleted = true;
        self.add_named(n.clone()).await.map_err(CollectionError::Input)?;
        self.tell(id, None);
        if self.id().as_deref() == Some(id) {
            let next = self.collections().first().map(|m| m.id.clone());
            let next = match next {
                Some(next) => next,
                None => {
                    let count = self.inner.named.borrow().len() + 1;
                    let m = Named { id: db::new_id(), name: self.default_name(count), created: js_sys::Date::now(), deleted: false };
                    self.add_named(m.clone()).await.map_err(CollectionError::Input)?;
                    m.id
                }
            };
            self.load_collection(&next).await.map_err(CollectionError::Input)?;
        }
        self.say(Said::Removed(n.name), false);
        Ok(())
    }

    /// Undoes [`CollectionCtl::remove`] and opens the collection again.
    pub async fn restore(&self, id: &str) -> Result<(), CollectionError> {
        let mut n = self
            .inner
            .named
            .borrow()
            .iter()
            .find(|n| n.id == id && n.deleted)
            .cloned()
            .ok_or_else(|| CollectionError::NoCollection(id.to_string()))?;
        let others: Vec<Named> = self.collections();
        n.name = named::check_name(&n.name, &others).or_else(|_| named::check_name(&format!("{} (2)", n.name), &others))?;
        n.deleted = false;
        self.add_named(n.clone()).await.map_err(CollectionError::Input)?;
        self.tell(id, None);
        self.switch(id).await?;
        self.say(Said::Restored(n.name), false);
        Ok(())
    }

    // ---- other tabs ----

    /// Listens on the channel other tabs tell their writes on.
    fn listen(&self) {
        let Ok(ch) = web_sys::BroadcastChannel::new(CHANNEL) else { return };
        let weak = Rc::downgrade(&self.inner);
        let on = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let Some(inner) = weak.upgrade() else { return };
            let Some(heard) = e.data().as_string().and_then(|s| serde_json::from_str::<Heard>(&s).ok()) else {
                return;
            };
            let ctl = CollectionCtl { inner };
            yew::platform::spawn_local(async move {
                if let Err(e) = ctl.heard(heard).await {
                    ctl.say(Said::SaveFailed(e), true);
                }
            });
        });
        ch.set_onmessage(Some(on.as_ref().unchecked_ref()));
        *self.inner.channel.borrow_mut() = Some((ch, on));
    }

    /// Tells other tabs that this one wrote article `pos` of collection `coll` (or its list, for `None`).
    fn tell(&self, coll: &str, pos: Option<usize>) {
        if let Some((ch, _)) = &*self.inner.channel.borrow() {
            let msg = serde_json::to_string(&Heard { coll: coll.to_string(), pos }).expect("serialises");
            let _ = ch.post_message(&JsValue::from_str(&msg));
        }
    }

    /// Another tab wrote: the collections' records again, and the open collection's articles it wrote.
    async fn heard(&self, h: Heard) -> Result<(), String> {
        let db = self.db()?;
        if h.pos.is_none() {
            *self.inner.named.borrow_mut() = db.collections().await?;
            // The collection open here was deleted in another tab: said, with the undo, so that work
            // done here meanwhile is not removed at the next start unnoticed.
            let open = self.id().and_then(|id| self.inner.named.borrow().iter().find(|n| n.id == id).cloned());
            if let Some(gone) = open.filter(|n| n.deleted) {
                self.say(Said::Removed(gone.name), true);
            }
        }
        if self.id().as_deref() != Some(h.coll.as_str()) {
            self.notify();
            return Ok(());
        }
        let stored: Vec<(usize, Stored)> = match h.pos {
            Some(pos) => db.get(&h.coll, pos).await?.map(|s| (pos, s)).into_iter().collect(),
            None => db.load(&h.coll).await?.into_iter().enumerate().collect(),
        };
        let mut merged = false;
        for (pos, s) in stored {
            let known = self.inner.known.borrow().get(pos).map_or(0, |k| k.0);
            if s.rev > known && self.id().as_deref() == Some(h.coll.as_str()) {
                merged |= self.take_theirs(pos, s);
            }
        }
        if merged {
            self.say(Said::Merged, false);
        }
        self.notify();
        self.kick();
        Ok(())
    }

    /// What another tab stored at `pos` (newer than what this tab knows) joins this tab's article: the
    /// open one through the session's merge, another through the core's. Whether this tab had work of its
    /// own there that had to be merged (not merely replaced).
    fn take_theirs(&self, pos: usize, theirs: Stored) -> bool {
        if pos > self.len() {
            // Its earlier articles have not reached this tab yet; they come in order.
            return false;
        }
        let base = {
            let mut known = self.inner.known.borrow_mut();
            if known.len() <= pos {
                known.resize(pos + 1, (0, None));
            }
            std::mem::replace(&mut known[pos], (theirs.rev, Some(theirs.entry.clone()))).1
        };
        if pos >= self.len() {
            // An article another tab added: appended here too (one this tab added there meanwhile moves on).
            let pushed = self.inner.coll.borrow_mut().push(theirs.entry);
            if pushed.is_err() {
                self.inner.known.borrow_mut().truncate(pos);
            }
            return false;
        }
        let open = self.current() == Some(pos);
        if open {
            self.capture();
        }
        let ours = self.inner.coll.borrow().get(pos).cloned().expect("in range");
        let had_own = base.as_ref() != Some(&ours);
        match merge_entry(base.as_ref(), &ours, &theirs.entry) {
            Ok((merged, _)) => {
                if open {
                    if let Some(work) = theirs.entry.work.clone() {
                        let base_marks = base.and_then(|b| b.work).map(|w| w.annotations).unwrap_or_default();
                        // Refused as unchanged when this tab already holds all of it.
                        let _ = self.inner.store.dispatch(Action::Merge { base: base_marks, theirs: work });
                    }
                }
                let _ = self.inner.coll.borrow_mut().replace(pos, merged);
                if open {
                    self.capture();
                }
            }
            Err(_) => {
                // Another tab put another article at this position (both added articles at once): theirs
                // stays here, this tab's moves to the end under a free id.
                let mut coll = self.inner.coll.borrow_mut();
                if coll.replace(pos, theirs.entry).is_ok() {
                    let mut mine = ours;
                    mine.id = coll.free_id(&mine.id);
                    if let Ok(at) = coll.push(mine) {
                        self.inner.dirty.borrow_mut().insert(at);
                    }
                }
                drop(coll);
                if open {
                    self.show(pos);
                }
            }
        }
        if self.differs_from_known(pos) {
            self.inner.dirty.borrow_mut().insert(pos);
        }
        had_own
    }

    fn differs_from_known(&self, pos: usize) -> bool {
        let coll = self.inner.coll.borrow();
        let known = self.inner.known.borrow();
        coll.get(pos) != known.get(pos).and_then(|k| k.1.as_ref())
    }

    // ---- moving ----

    /// The open article's work into its entry; the entry, or `None` when the session is on another text
    /// or still being extracted.
    fn capture(&self) -> Option<(usize, Entry)> {
        let i = self.inner.current.get()?;
        let s = self.inner.store.get();
        let mut coll = self.inner.coll.borrow_mut();
        if coll.get(i)?.text != s.article.text || !s.is_extracted() {
            return None;
        }
        coll.set_work(i, s.snapshot());
        Some((i, coll.get(i)?.clone()))
    }

    fn save_current(&self) {
        if let Some((i, _)) = self.capture() {
            self.write([i]);
        }
        self.notify();
    }

    /// Writes entries to the database in the background; a failure is said, the work stays in memory.
    fn write(&self, positions: impl IntoIterator<Item = usize>) {
        self.inner.dirty.borrow_mut().extend(positions);
        self.kick();
    }

    /// Starts writing what is dirty, unless a write is under way (it writes the rest when it is done).
    fn kick(&self) {
        if self.inner.writing.get() || self.inner.dirty.borrow().is_empty() {
            return;
        }
        let ctl = self.clone();
        self.inner.writing.set(true);
        yew::platform::spawn_local(async move {
            ctl.drain().await;
            ctl.inner.writing.set(false);
        });
    }

    /// Writes the dirty articles, batch after batch, until none is left; another tab's newer revision is
    /// merged and written again.
    async fn drain(&self) {
        loop {
            let (Ok(db), Some(coll_id)) = (self.db(), self.id()) else { return };
            let dirty = std::mem::take(&mut *self.inner.dirty.borrow_mut());
            let puts: Vec<Put> = {
                let coll = self.inner.coll.borrow();
                let known = self.inner.known.borrow();
                dirty
                    .into_iter()
                    .filter_map(|pos| {
                        let entry = coll.get(pos)?.clone();
                        let k = known.get(pos);
                        // Nothing new since it was last read or written.
                        (k.and_then(|k| k.1.as_ref()) != Some(&entry))
                            .then(|| Put { pos, expect: k.map_or(0, |k| k.0), entry })
                    })
                    .collect()
            };
            if puts.is_empty() {
                return;
            }
            let written: Vec<(usize, Entry)> = puts.iter().map(|p| (p.pos, p.entry.clone())).collect();
            let results = match db.save(&coll_id, puts).await {
                Ok(r) => r,
                Err(e) => {
                    *self.inner.write_error.borrow_mut() = Some(e.clone());
                    self.say(Said::SaveFailed(e), true);
                    self.check_quota(quota::WARN_AT).await;
                    return;
                }
            };
            *self.inner.write_error.borrow_mut() = None;
            if self.id().as_deref() != Some(coll_id.as_str()) {
                return;
            }
            let mut merged = false;
            for r in results {
                match r {
                    Saved::Written { pos, rev } => {
                        let entry = written.iter().find(|(p, _)| *p == pos).map(|(_, e)| e.clone());
                        let mut known = self.inner.known.borrow_mut();
                        if known.len() <= pos {
                            known.resize(pos + 1, (0, None));
                        }
                        // A newer revision heard from another tab meanwhile stays the base.
                        if rev > known[pos].0 {
                            known[pos] = (rev, entry);
                        }
                        drop(known);
                        self.tell(&coll_id, Some(pos));
                    }
                    Saved::Conflict { pos, stored } => merged |= self.take_theirs(pos, stored),
                }
            }
            if merged {
                self.say(Said::Merged, false);
            }
            let n = self.inner.writes.get() + 1;
            self.inner.writes.set(n);
            if n.is_multiple_of(QUOTA_EVERY) {
                self.check_quota(quota::WARN_AT).await;
            }
            self.notify();
        }
    }

    /// Writes the open article's work and everything not yet written; resolves when the database has it.
    pub async fn flush(&self) -> Result<(), String> {
        self.db()?;
        if let Some((i, _)) = self.capture() {
            self.inner.dirty.borrow_mut().insert(i);
        }
        while self.inner.writing.get() {
            gloo_timers::future::TimeoutFuture::new(5).await;
        }
        self.inner.writing.set(true);
        self.drain().await;
        self.inner.writing.set(false);
        match self.inner.write_error.borrow().clone() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Tells the [`CollectionCtl::on_switch`] listeners when the collection whose article is about to be
    /// shown is another than the one they last heard of. Called from [`CollectionCtl::show`], not when a
    /// collection is opened: an empty collection shows nothing of its own, and the article still shown (and
    /// what it teaches) stays its own collection's until the new one's first article replaces it.
    fn keyed(&self) {
        let Some(id) = self.id() else { return };
        if self.inner.keyed.borrow().as_deref() == Some(id.as_str()) {
            return;
        }
        *self.inner.keyed.borrow_mut() = Some(id.clone());
        let listeners: Vec<OnSwitch> = self.inner.on_switch.borrow().clone();
        for f in listeners {
            f(&id);
        }
    }

    /// Shows article `i` (its saved work, or the machine's suggestions for a new one).
    fn show(&self, i: usize) {
        let Some(e) = self.inner.coll.borrow().get(i).cloned() else { return };
        self.keyed();
        self.inner.current.set(Some(i));
        self.inner.store.set_saves_elsewhere(true);
        let store = &self.inner.store;
        let had_work = e.work.is_some();
        let annotations = e.work.as_ref().map(|w| w.annotations.clone()).unwrap_or_default();
        let _ = store.dispatch(Action::Load {
            text: e.text.clone(),
            annotations,
            extracted: had_work,
        });
        if let Some(w) = e.work {
            let _ = store.dispatch(Action::Restore(w));
        }
        if let (Ok(db), Some(coll)) = (self.db(), self.id()) {
            let ctl = self.clone();
            yew::platform::spawn_local(async move {
                let _ = db.set_meta(&format!("current:{coll}"), i.to_string()).await;
                if had_work {
                    return;
                }
                // Work saved for this text by the single-article widget, migrated from localStorage.
                let Ok(Some(json)) = db.saved_work(&storage_key(&e.text)).await else { return };
                let Ok(snapshot) = Snapshot::from_json(&json) else { return };
                let s = ctl.inner.store.get();
                if ctl.inner.current.get() == Some(i)
                    && s.article.text == e.text
                    && !s.can_undo()
                    && ctl.inner.store.dispatch(Action::Restore(snapshot)).is_ok()
                {
                    ctl.save_current();
                }
            });
        }
        self.notify();
    }

    /// Shows article `i`, keeping the open one's work.
    pub fn go(&self, i: usize) -> bool {
        if i >= self.len() {
            return false;
        }
        self.save_current();
        self.show(i);
        true
    }

    /// The next article (among those the filter shows); `None` at the end.
    pub fn next(&self) -> Option<usize> {
        let to = self.inner.coll.borrow().next(self.current(), self.filter())?;
        self.go(to).then_some(to)
    }

    pub fn prev(&self) -> Option<usize> {
        let from = self.current()?;
        let to = self.inner.coll.borrow().prev(from, self.filter())?;
        self.go(to).then_some(to)
    }

    pub fn set_filter(&self, only: Option<Progress>) {
        self.inner.filter.set(only);
        self.notify();
    }

    /// Marks the open article done (or not).
    pub fn set_done(&self, done: bool) -> bool {
        let Some(i) = self.current() else { return false };
        self.capture();
        self.inner.coll.borrow_mut().set_done(i, done);
        self.write([i]);
        self.notify();
        true
    }

    // ---- files ----

    /// Adds articles and collection exports: `.txt`/`.html` files are articles (named after the file),
    /// `.jsonl`, `.jsonld`/`.json`, `.conll` and `.zip` are read as collections. A file that cannot be
    /// read is reported and left out; the rest are opened.
    pub fn open_files(&self, files: Vec<(String, FileData)>) -> Opened {
        self.capture();
        let mut next = self.inner.coll.borrow().clone();
        let mut out = Opened::default();
        for (name, data) in files {
            let r = add_file(&mut next, &name, data);
            match r {
                Ok((a, u, o)) => {
                    out.added += a;
                    out.updated += u;
                    out.orphans += o;
                }
                Err(e) => out.failed.push((name, e)),
            }
        }
        self.commit(next);
        self.say(Said::Opened(out.clone()), !out.failed.is_empty());
        out
    }

    /// Imports a collection export (see [`exchange::import`]); on an error nothing changes.
    pub fn import(&self, format: CollectionFormat, data: &[u8]) -> Result<Opened, String> {
        self.capture();
        let mut next = self.inner.coll.borrow().clone();
        let incoming = exchange::import(format, data, &next).map_err(|e| e.to_string())?;
        let (added, updated) = next.absorb(incoming.entries).map_err(|e| e.to_string())?;
        self.commit(next);
        let out = Opened { added, updated, orphans: incoming.orphans, failed: vec![] };
        self.say(Said::Opened(out.clone()), false);
        Ok(out)
    }

    pub fn export(&self, format: CollectionFormat) -> Vec<u8> {
        self.capture();
        exchange::export(&self.inner.coll.borrow(), format)
    }

    /// Replaces the collection with `next`, writes the entries that changed, and shows the open article
    /// again if its entry changed (or the first one if none was open).
    fn commit(&self, next: Collection) {
        let cur = self.current();
        let before = std::mem::replace(&mut *self.inner.coll.borrow_mut(), next);
        let changed: Vec<usize> = {
            let now = self.inner.coll.borrow();
            (0..now.len()).filter(|&i| before.get(i) != now.get(i)).collect()
        };
        self.write(changed);
        match cur {
            None if !self.is_empty() => self.show(0),
            Some(i) if self.inner.coll.borrow().get(i) != before.get(i) => self.show(i),
            _ => self.notify(),
        }
    }

    /// Asks the browser how much storage is used; keeps it for the panel when over `warn_at` of the quota.
    pub async fn check_quota(&self, warn_at: f64) -> Option<Quota> {
        let q = quota::estimate().await?;
        *self.inner.quota_low.borrow_mut() = (q.used() >= warn_at).then_some(q);
        self.notify();
        Some(q)
    }
}

/// Adds one file's articles to `c`: `(added, updated, orphans)`.
fn add_file(c: &mut Collection, name: &str, data: FileData) -> Result<(usize, usize, usize), FileError> {
    let lower = name.to_lowercase();
    let stem = name
        .rsplit_once('.')
        .map_or(name, |(s, _)| s)
        .to_string();
    let text = |d: FileData| match d {
        FileData::Text(t) => Ok(t),
        FileData::Bytes(b) => String::from_utf8(b).map_err(|_| FileError::NotUtf8),
        FileData::Unreadable(why) => Err(FileError::Article(ArticleError::Unreadable(why))),
    };
    if lower.ends_with(".txt") || lower.ends_with(".html") || lower.ends_with(".htm") {
        let raw = text(data)?;
        let article = if lower.ends_with(".txt") {
            files::clean_text(&raw)
        } else {
            files::article_from_html(&raw).and_then(|(t, _headings)| files::clean_text(&t))
        }
        .map_err(FileError::Article)?;
        let id = c.free_id(&stem);
        c.push(Entry::new(id, article)).map_err(FileError::Collection)?;
        return Ok((1, 0, 0));
    }
    let format = CollectionFormat::of_file(name).ok_or(FileError::UnknownKind)?;
    let bytes = match data {
        FileData::Text(t) => t.into_bytes(),
        FileData::Bytes(b) => b,
        FileData::Unreadable(why) => return Err(FileError::Article(ArticleError::Unreadable(why))),
    };
    let incoming = exchange::import(format, &bytes, c).map_err(FileError::Collection)?;
    let (a, u) = c.absorb(incoming.entries).map_err(FileError::Collection)?;
    Ok((a, u, incoming.orphans))
}
