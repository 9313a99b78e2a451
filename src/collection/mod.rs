//! The standalone page's collection of articles: which article is open, moving between them, opening
//! files into the collection, exporting and importing it, and keeping it in IndexedDB.
//!
//! What an article's status is, which one is next, how a collection is written and read are the core's
//! ([`sahifa_core::collection`]); this controller only moves work between the one [`Store`] and the
//! collection: before another article is shown, the open one's session snapshot goes into its entry,
//! and every edit is written to the database (a zero timeout coalesces bursts, as autosave does). While a
//! collection is open the single-article `localStorage` autosave stands aside ([`Store::set_saves_elsewhere`]),
//! so a thousand articles never meet `localStorage`'s 5 MB. An embedded widget has no collection and
//! saves exactly as before.

pub mod api;
pub mod db;
pub mod quota;

use crate::files::{self, ArticleError};
use crate::i18n::{self, Lang, Msg};
use crate::store::Store;
use db::{ArticleDb, Migration};
use gloo_timers::callback::Timeout;
use quota::Quota;
use sahifa_core::collection::exchange::{self, CollectionFormat};
use sahifa_core::collection::{Collection, CollectionError, Entry, Hit, Progress};
use sahifa_core::session::{storage_key, Action, ActionKind, Snapshot};
use std::cell::{Cell, RefCell};
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

struct Inner {
    store: Store,
    coll: RefCell<Collection>,
    current: Cell<Option<usize>>,
    filter: Cell<Option<Progress>>,
    db: RefCell<Option<Rc<dyn ArticleDb>>>,
    notice: RefCell<Notice>,
    lang: Cell<Lang>,
    id: RefCell<Option<String>>,
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

    /// Opens the database, migrates `localStorage` saves, restores a stored collection and asks for
    /// persistent storage; [`CollectionCtl::ready`] resolves when done.
    pub fn start(&self) {
        let ctl = self.clone();
        let p = wasm_bindgen_futures::future_to_promise(async move {
            if let Err(e) = ctl.init().await {
                ctl.say(Said::DbFailed(e), true);
            }
            Ok(wasm_bindgen::JsValue::UNDEFINED)
        });
        *self.inner.ready.borrow_mut() = Some(p);
    }

    pub fn ready(&self) -> js_sys::Promise {
        self.inner
            .ready
            .borrow()
            .clone()
            .unwrap_or_else(|| js_sys::Promise::resolve(&wasm_bindgen::JsValue::UNDEFINED))
    }

    async fn init(&self) -> Result<(), String> {
        let db: Rc<dyn ArticleDb> = Rc::new(db::Idb::open().await?);
        *self.inner.db.borrow_mut() = Some(db.clone());
        *self.inner.id.borrow_mut() = Some(collection_id(&*db).await?);
        *self.inner.migration.borrow_mut() = Some(db::migrate_local_saves(&*db).await);
        let entries = db.load().await?;
        if !entries.is_empty() {
            let coll = Collection::from_entries(entries).map_err(|e| e.to_string())?;
            let n = coll.len();
            *self.inner.coll.borrow_mut() = coll;
            let at = db
                .meta("current")
                .await?
                .and_then(|s| s.parse::<usize>().ok())
                .filter(|&i| i < n)
                .unwrap_or(0);
            self.show(at);
        }
        quota::persist().await;
        self.check_quota(quota::WARN_AT).await;
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

    /// Which collection this is (made once, when its database is first opened, and kept in it); `None`
    /// until [`CollectionCtl::ready`], or when the database could not be opened.
    pub fn id(&self) -> Option<String> {
        self.inner.id.borrow().clone()
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

    fn say(&self, said: Said, error: bool) {
        *self.inner.notice.borrow_mut() = Notice { said: Some(said), error };
        self.notify();
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
        if let Some((i, e)) = self.capture() {
            self.write(i, vec![e]);
        }
        self.notify();
    }

    /// Writes entries to the database in the background; a failure is said, the work stays in memory.
    fn write(&self, from: usize, entries: Vec<Entry>) {
        let Some(db) = self.inner.db.borrow().clone() else { return };
        let ctl = self.clone();
        yew::platform::spawn_local(async move {
            if let Err(e) = db.put(from, entries).await {
                ctl.say(Said::SaveFailed(e), true);
                ctl.check_quota(quota::WARN_AT).await;
                return;
            }
            let n = ctl.inner.writes.get() + 1;
            ctl.inner.writes.set(n);
            if n.is_multiple_of(QUOTA_EVERY) {
                ctl.check_quota(quota::WARN_AT).await;
            }
        });
    }

    /// Writes the whole collection and the open article's work; resolves when the database has it.
    pub async fn flush(&self) -> Result<(), String> {
        self.capture();
        let Some(db) = self.inner.db.borrow().clone() else {
            return Err(Msg::CollNoDb.text(self.lang()).into());
        };
        let all = self.inner.coll.borrow().entries().to_vec();
        db.put(0, all).await
    }

    /// Shows article `i` (its saved work, or the machine's suggestions for a new one).
    fn show(&self, i: usize) {
        let Some(e) = self.inner.coll.borrow().get(i).cloned() else { return };
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
        if let Some(db) = self.inner.db.borrow().clone() {
            let ctl = self.clone();
            yew::platform::spawn_local(async move {
                let _ = db.set_meta("current", i.to_string()).await;
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
        let e = self.inner.coll.borrow().get(i).cloned();
        if let Some(e) = e {
            self.write(i, vec![e]);
        }
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

    /// Replaces the collection with `next`, writes it, and shows the open article again if its entry
    /// changed (or the first one if none was open).
    fn commit(&self, next: Collection) {
        let cur = self.current();
        let before = cur.and_then(|i| self.inner.coll.borrow().get(i).cloned());
        *self.inner.coll.borrow_mut() = next;
        let all = self.inner.coll.borrow().entries().to_vec();
        if !all.is_empty() {
            self.write(0, all);
        }
        match cur {
            None if !self.is_empty() => self.show(0),
            Some(i) if self.inner.coll.borrow().get(i).cloned() != before => self.show(i),
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

/// The collection's id from the database's meta, made (time and a random part) and kept there the first
/// time: what the collection learns is kept under it, so another collection does not share it.
async fn collection_id(db: &dyn ArticleDb) -> Result<String, String> {
    if let Some(id) = db.meta("id").await? {
        return Ok(id);
    }
    let id = format!("{:x}-{:08x}", js_sys::Date::now() as u64, (js_sys::Math::random() * f64::from(u32::MAX)) as u32);
    db.set_meta("id", id.clone()).await?;
    Ok(id)
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
