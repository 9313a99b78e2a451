//! Online learning in the page: after every edit, what the reviewed sentences teach the tagger (the core's
//! [`learned`], over the collection's earlier learning) and the machine's suggestions for the rest of the
//! article made again with it, a group of paragraphs at a time.
//!
//! Why here and chunked: learning and re-tagging are the core's pure functions; this only schedules them.
//! Re-suggesting a long article in one go would hold the main thread, so each group of paragraphs is its
//! own task, with a yield to the event loop between them, and a newer edit cancels the rest of an older
//! run (a generation count). The learned weights are kept per collection in `localStorage` through
//! [`LearnedStore`], a small trait the collection store can implement on IndexedDB instead: an embedded
//! widget learns under one key per site ([`DEFAULT_KEY`]); the standalone page's collection under a key of
//! its own ([`collection_key`]), known once its database is open ([`Learner::set_storage`]), so two
//! collections never share what they learned.
//!
//! Two tabs (or two widgets of a site) learning under one key add up rather than overwrite: each keeps its
//! own part apart ([`LearnedShare`]); a save reads the stored total again and replaces only that part; a
//! learner that hears of a save under its key (a `storage` event from another tab, a message on
//! [`CHANNEL`] from another widget of the same page) suggests with the new total.

use crate::store::Store;
use gloo_storage::Storage;
use sahifa_core::session::{learned, paragraph_groups, Action, ActionKind, LearnedShare, Session, ONE_GO};
use sahifa_core::tagger::{Overlay, OverlayError};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Code points re-suggested per main-thread task.
const CHUNK: usize = 2_000;

/// Code points of paragraphs whose words are cut for propagation per idle task (see [`Learner::prepare`]).
const WORDS_SLICE: usize = 4_000;

/// Where a collection's learned weights live.
pub trait LearnedStore {
    /// Which shared weights these are (learners with the same name add up theirs), `None` for nowhere.
    fn name(&self) -> Option<&str>;
    /// The stored bytes, with the checksum of the total they were computed on when the store keeps it.
    fn load(&self) -> Option<(Vec<u8>, Option<u32>)>;
    /// Stores `bytes`, computed on the stored total whose checksum is `from` (0: nothing was stored).
    fn save(&self, bytes: &[u8], from: u32) -> Result<(), String>;
    fn clear(&self);
}

/// `localStorage`, hex-encoded under one key per collection, then `:` and the 8 hex digits of `from`.
pub struct LocalLearned {
    pub key: String,
}

impl LearnedStore for LocalLearned {
    fn name(&self) -> Option<&str> {
        Some(&self.key)
    }

    fn load(&self) -> Option<(Vec<u8>, Option<u32>)> {
        let raw = gloo_storage::LocalStorage::raw()
            .get_item(&self.key)
            .ok()??;
        // (Weights saved before tabs added up theirs have no `from`.)
        let (hex, from) = match raw.split_once(':') {
            Some((hex, from)) => (hex, u32::from_str_radix(from, 16).ok()),
            None => (raw.as_str(), None),
        };
        let bytes = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
            .collect::<Option<Vec<u8>>>()?;
        Some((bytes, from))
    }

    fn save(&self, bytes: &[u8], from: u32) -> Result<(), String> {
        // One string, two digits a byte (a `format!` a byte cost a task of its own on large weights).
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut hex = String::with_capacity(bytes.len() * 2 + 9);
        for b in bytes {
            hex.push(char::from(DIGITS[usize::from(b >> 4)]));
            hex.push(char::from(DIGITS[usize::from(b & 15)]));
        }
        hex.push_str(&format!(":{from:08x}"));
        crate::storage::save_json(&self.key, &hex)
    }

    fn clear(&self) {
        let _ = gloo_storage::LocalStorage::raw().remove_item(&self.key);
    }
}

/// Nowhere: what the standalone page learns before its collection's key is known (nothing is lost: what
/// is learned is derived from the session again once the key is set).
pub struct Unkeyed;

impl LearnedStore for Unkeyed {
    fn name(&self) -> Option<&str> {
        None
    }

    fn load(&self) -> Option<(Vec<u8>, Option<u32>)> {
        None
    }

    fn save(&self, _: &[u8], _: u32) -> Result<(), String> {
        Ok(())
    }

    fn clear(&self) {}
}

/// The single-article widget's key (one per site: embedded widgets have no collection of their own).
pub const DEFAULT_KEY: &str = "sahifa:learned:v1";

/// The key of the collection with id `id` (see [`crate::collection::CollectionCtl::id`]).
pub fn collection_key(id: &str) -> String {
    format!("{DEFAULT_KEY}:collection:{id}")
}

/// The channel a learner tells others on that it saved (its message: the store's name).
pub const CHANNEL: &str = "sahifa-learned";

/// Learned weights as stored: the total, the checksum its bytes end with, and the checksum of the total it
/// was computed on (when known).
struct Stored {
    total: Overlay,
    sum: u32,
    from: Option<u32>,
}

/// The checksum overlay bytes end with (their last four bytes).
fn checksum(bytes: &[u8]) -> u32 {
    bytes.last_chunk::<4>().map_or(0, |b| u32::from_le_bytes(*b))
}

/// The learned weights in `storage` now; weights that cannot be read are dropped (and say so on the
/// console): they are derived data, and the shipped model is always there to fall back on.
fn load_stored(storage: &dyn LearnedStore) -> Option<Stored> {
    let (bytes, from) = storage.load()?;
    match Overlay::from_bytes(&bytes) {
        Ok(total) => Some(Stored {
            total,
            sum: checksum(&bytes),
            from,
        }),
        Err(e) => {
            web_sys::console::warn_1(&format!("sahifa: learned weights ignored: {e}").into());
            None
        }
    }
}

/// The channel to other learners of this page and the listener it holds (dropped with it).
type Channel = (web_sys::BroadcastChannel, Closure<dyn FnMut(web_sys::MessageEvent)>);
/// The listener to other tabs' `localStorage` writes.
type OnStorage = Closure<dyn FnMut(web_sys::StorageEvent)>;

pub struct Learner {
    store: Store,
    storage: RefCell<Box<dyn LearnedStore>>,
    /// What everyone learned under this storage, with this learner's own part apart (what it imported,
    /// what its earlier articles and this one's reviewed sentences teach).
    share: RefCell<LearnedShare>,
    /// The share's total, the weights suggestions are made with.
    current: RefCell<Arc<Overlay>>,
    /// A run that learns is pending (another learner's save then waits for it rather than cancelling it).
    learning: Cell<bool>,
    /// This learner's last save: the checksums of the total it was computed on and of the total it wrote.
    last_save: Cell<Option<(u32, u32)>>,
    /// Where other learners of this page say they saved.
    channel: RefCell<Option<Channel>>,
    /// Other tabs' saves, heard as `storage` events.
    on_storage: RefCell<Option<OnStorage>>,
    /// The article `current` was learned on: when another one comes (the next article of a collection),
    /// what that one taught joins `base`, so the next article's saves add to it instead of replacing it.
    learned_on: RefCell<Option<Rc<sahifa_core::session::Article>>>,
    generation: Cell<u32>,
    running: Cell<bool>,
    /// The tagger's data came after the first suggestions (see [`crate::tagger_data`]): its marks are to be
    /// merged in once the article is shown (`Some(false)`), or are being merged (`Some(true)`).
    merge: Cell<Option<bool>>,
    /// Shown (`start` called): a merge can run now.
    started: Cell<bool>,
    /// The article whose saved work was restored: it stays as saved, the tagger's marks are not merged in.
    restored: RefCell<Option<Rc<sahifa_core::session::Article>>>,
    /// Called when a re-suggestion run has finished (the API resolves `settle()` and fires `learned`).
    on_idle: RefCell<Option<OnIdle>>,
    /// The article whose words are being cut in idle slices.
    preparing: RefCell<Option<Rc<sahifa_core::session::Article>>>,
}

/// Told how many groups of paragraphs changed when a re-suggestion run is done.
type OnIdle = Rc<dyn Fn(usize)>;

impl Learner {
    pub fn new(store: Store, storage: Box<dyn LearnedStore>) -> Rc<Learner> {
        let share = LearnedShare::new(load_stored(&*storage).map(|s| s.total).as_ref());
        let me = Rc::new(Learner {
            store,
            storage: RefCell::new(storage),
            current: RefCell::new(Arc::new(share.current())),
            share: RefCell::new(share),
            learning: Cell::new(false),
            last_save: Cell::new(None),
            channel: RefCell::default(),
            on_storage: RefCell::default(),
            learned_on: RefCell::default(),
            generation: Cell::new(0),
            running: Cell::new(false),
            merge: Cell::new(None),
            started: Cell::new(false),
            restored: RefCell::default(),
            on_idle: RefCell::default(),
            preparing: RefCell::default(),
        });
        me.listen();
        me
    }

    /// Listens for other learners' saves: other tabs' as `storage` events (fired once the value is there:
    /// a message on a channel can come before the write reaches this tab's `localStorage`), other widgets
    /// of this page on the channel (no `storage` event fires in the page that wrote).
    fn listen(self: &Rc<Self>) {
        let weak = Rc::downgrade(self);
        let on = Closure::<dyn FnMut(web_sys::StorageEvent)>::new(move |e: web_sys::StorageEvent| {
            let Some(me) = weak.upgrade() else { return };
            // No key: the whole storage was cleared.
            let name = e.key().or_else(|| me.storage.borrow().name().map(str::to_string));
            if let Some(name) = name {
                me.heard(&name);
            }
        });
        if let Some(w) = web_sys::window() {
            let _ = w.add_event_listener_with_callback("storage", on.as_ref().unchecked_ref());
            *self.on_storage.borrow_mut() = Some(on);
        }
        let Ok(ch) = web_sys::BroadcastChannel::new(CHANNEL) else {
            return;
        };
        let weak = Rc::downgrade(self);
        let on = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            if let (Some(me), Some(name)) = (weak.upgrade(), e.data().as_string()) {
                me.heard(&name);
            }
        });
        ch.set_onmessage(Some(on.as_ref().unchecked_ref()));
        *self.channel.borrow_mut() = Some((ch, on));
    }

    /// Another learner saved under `name`: when it is this one's storage, the stored total is everyone
    /// else's learning now, and the article is suggested again with it (after this learner's own pending
    /// learning, which then learns over it). Only this learner's own edits relearn: two tabs taught opposite
    /// things would otherwise outbid each other at every save.
    ///
    /// A save computed on the total this learner's last save replaced overwrote it (two tabs saving
    /// within the moment a write takes to reach the other): this learner's part is then written again.
    fn heard(self: &Rc<Self>, name: &str) {
        let stored = {
            let storage = self.storage.borrow();
            if storage.name() != Some(name) {
                return;
            }
            load_stored(&**storage)
        };
        if let (Some(s), Some((from, sum))) = (&stored, self.last_save.get()) {
            if s.from == Some(from) && s.sum != sum {
                self.last_save.set(None);
                self.share.borrow_mut().lost_last_save();
            }
        }
        let changed = self.share.borrow_mut().observe(stored.as_ref().map(|s| &s.total));
        let unsaved = self.share.borrow().unsaved();
        if !changed && !unsaved {
            return;
        }
        *self.current.borrow_mut() = Arc::new(self.share.borrow().current());
        if self.learning.get() || self.merge.get().is_some() {
            // That run learns over the new total and saves this learner's part.
            self.schedule(true);
            return;
        }
        if unsaved {
            self.save();
        }
        if changed && self.started.get() && self.store.get().is_extracted() {
            self.run(None);
        } // else `start` suggests with them once the article's marks are in.
    }

    /// Tells the other learners this one saved.
    fn tell(&self) {
        let name = self.storage.borrow().name().map(str::to_string);
        if let (Some((ch, _)), Some(name)) = (&*self.channel.borrow(), name) {
            let _ = ch.post_message(&JsValue::from_str(&name));
        }
    }

    /// Writes this learner's part into the stored total as it is now (re-read: another tab may have
    /// saved since), keeping everyone else's.
    fn save(&self) {
        let storage = self.storage.borrow();
        let stored = load_stored(&**storage);
        let from = stored.as_ref().map_or(0, |s| s.sum);
        let total = self.share.borrow().to_store(stored.as_ref().map(|s| &s.total));
        let bytes = total.to_bytes();
        match storage.save(&bytes, from) {
            Ok(()) => {
                self.share.borrow_mut().saved(&total);
                self.last_save.set(Some((from, checksum(&bytes))));
                drop(storage);
                self.tell();
            }
            Err(e) => web_sys::console::warn_1(&format!("sahifa: learned weights not saved: {e}").into()),
        }
    }

    /// Learns under `storage` from now on: its weights replace what was learned before (which stays in
    /// its own storage), and the article is learned from and suggested again with them when they differ.
    pub fn set_storage(self: &Rc<Self>, storage: Box<dyn LearnedStore>) {
        let share = LearnedShare::new(load_stored(&*storage).map(|s| s.total).as_ref());
        *self.storage.borrow_mut() = storage;
        self.last_save.set(None);
        let current = share.current();
        let changed = current != **self.current.borrow();
        *self.current.borrow_mut() = Arc::new(current);
        *self.share.borrow_mut() = share;
        // Not yet extracted: `start` applies the new weights once the suggestions are in.
        if changed && self.store.get().is_extracted() {
            self.schedule(true);
        }
    }

    pub fn set_on_idle(&self, f: impl Fn(usize) + 'static) {
        *self.on_idle.borrow_mut() = Some(Rc::new(f));
    }

    /// Whether no re-suggestion (nor a merge of the tagger's marks) is pending.
    pub fn is_idle(&self) -> bool {
        !self.running.get() && self.merge.get().is_none()
    }

    /// The tagger's data is installed: its marks join the machine's suggestions, as a re-suggestion of
    /// the whole article (one task for an article extracted in one go, else a group of paragraphs a task),
    /// once it is shown. What the annotator made or reviewed is never touched ([`Session::resuggest`]),
    /// and restored saved work stays as saved.
    pub fn data_ready(self: &Rc<Self>) {
        self.merge.set(Some(false));
        if self.started.get() {
            self.merge_now();
        }
    }

    /// The tagger's data will not come: nothing is left to merge.
    pub fn data_failed(&self) {
        if self.merge.take().is_some() {
            self.finish(0);
        }
    }

    fn merge_now(self: &Rc<Self>) {
        let session = self.store.get();
        let restored = self
            .restored
            .borrow()
            .as_ref()
            .is_some_and(|a| Rc::ptr_eq(a, &session.article));
        if restored || sahifa_core::tagger::installed().is_none() {
            self.merge.set(None);
            self.finish(0);
            return;
        }
        self.merge.set(Some(true));
        let article = session.article.clone();
        if !(session.undecided() && article.len_chars <= ONE_GO) {
            // Something decided already (or a long article): the tagger learns from what was reviewed and
            // suggests the open text again, around the annotator's marks.
            self.schedule(true);
            return;
        }
        // Nothing decided: the whole article extracted again with the tagger, so the marks are those of an
        // extraction with the data there from the start. Here, in one task, as the first extraction of an
        // article this short was (a worker would cost its script and glue for one message).
        let me = self.clone();
        yew::platform::spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(0).await;
            let found = sahifa_core::extract(&article.text);
            let now = me.store.get();
            if !Rc::ptr_eq(&now.article, &article) {
                me.finish(0);
            } else if now.undecided() {
                let _ = me.store.dispatch(Action::Retag { annotations: found });
                if me.current.borrow().is_empty() {
                    me.finish(0);
                } else {
                    // What was learned before (another tab, an earlier page) reaches these marks too.
                    me.merge.set(None);
                    me.schedule(true);
                }
            } else {
                me.schedule(true);
            }
        });
    }

    /// The weights learned so far (the collection's and this article's), as checksummed bytes.
    pub fn export(&self) -> Vec<u8> {
        self.current.borrow().to_bytes()
    }

    /// Adds learned weights exported elsewhere to the collection's, then learns and re-suggests again.
    pub fn import(self: &Rc<Self>, bytes: &[u8]) -> Result<(), OverlayError> {
        let other = Overlay::from_bytes(bytes)?;
        self.share.borrow_mut().import(&other);
        self.schedule(true);
        Ok(())
    }

    /// Forgets everything learned (stored, imported, and this article's so far) and re-suggests with the
    /// shipped model alone. Later edits teach again from what is then reviewed.
    pub fn reset(self: &Rc<Self>) {
        *self.share.borrow_mut() = LearnedShare::default();
        self.last_save.set(None);
        self.storage.borrow().clear();
        self.tell();
        *self.current.borrow_mut() = Arc::new(Overlay::new());
        self.run(None);
    }

    /// Once the article's suggestions are in: when the collection has learned something, learns from the
    /// article's reviewed sentences too and suggests its unreviewed text again.
    pub fn start(self: &Rc<Self>) {
        self.prepare(&self.store.get());
        self.started.set(true);
        if self.merge.get().is_some() {
            self.merge_now();
        } else if !self.current.borrow().is_empty() {
            self.schedule(true);
        }
    }

    /// Reacts to a store change: after an edit, learns and re-suggests.
    pub fn on_change(self: &Rc<Self>, session: &Rc<Session>, kind: ActionKind) {
        if session.is_extracted() {
            self.prepare(session);
        }
        if kind == ActionKind::Restore {
            *self.restored.borrow_mut() = Some(session.article.clone());
        }
        if kind.is_edit() {
            self.schedule(false);
        } else if session.is_extracted() && !self.current.borrow().is_empty() && self.is_new_article(session) {
            // Another article of the collection is shown with its suggestions: what was learned so far
            // reaches them too.
            self.schedule(true);
        }
    }

    /// Cuts the words of `session`'s article for propagation (its index of word forms) in idle tasks, a
    /// slice a task, so that the first review decision on a long article does not pay for cutting them
    /// inside the edit; a decision made before they are all cut cuts the rest then, with the same result.
    fn prepare(&self, session: &Session) {
        let article = session.article.clone();
        let busy = self.preparing.borrow().as_ref().is_some_and(|a| Rc::ptr_eq(a, &article));
        if busy || article.words_ready() {
            return;
        }
        *self.preparing.borrow_mut() = Some(article.clone());
        let store = self.store.clone();
        yew::platform::spawn_local(async move {
            loop {
                gloo_timers::future::TimeoutFuture::new(0).await;
                // Another article came in: its own turn comes with its first change.
                if !Rc::ptr_eq(&store.get().article, &article) || article.prepare_words(WORDS_SLICE) {
                    break;
                }
            }
        });
    }

    /// Whether `session` holds another article than the one last learned on (none yet: not new, the
    /// first article is [`Learner::start`]ed once shown).
    fn is_new_article(&self, session: &Session) -> bool {
        self.learned_on
            .borrow()
            .as_ref()
            .is_some_and(|a| !Rc::ptr_eq(a, &session.article))
    }

    /// Learns from the session as it is then, after a yield (the edit's own task stays short), and
    /// re-suggests when what was learned changed (or `force`).
    fn schedule(self: &Rc<Self>, force: bool) {
        self.run(Some(force));
    }

    /// One run, cancelled by any newer one: learn first when `learn` is `Some(force)` (re-suggesting only
    /// when the weights changed, or `force`), then re-suggest one group of paragraphs a task.
    fn run(self: &Rc<Self>, learn: Option<bool>) {
        let generation = self.generation.get() + 1;
        self.generation.set(generation);
        self.running.set(true);
        self.learning.set(learn.is_some());
        let me = self.clone();
        yew::platform::spawn_local(async move {
            let stale = |me: &Learner| me.generation.get() != generation;
            gloo_timers::future::TimeoutFuture::new(0).await;
            if stale(&me) {
                return;
            }
            let session = me.store.get();
            me.keep_what_the_last_article_taught(&session);
            // Until the tagger's data is installed there is nothing to learn with: the merge that follows
            // its arrival learns and suggests with everything edited meanwhile.
            let Some(tagger) = sahifa_core::tagger::installed() else {
                me.finish(0);
                return;
            };
            let overlay = match learn {
                Some(force) => {
                    let overlay = learned(tagger, &me.share.borrow().base(), &session);
                    let mut share = me.share.borrow().clone();
                    share.set_learned(&overlay);
                    // (A merge of the tagger's first marks that this run replaces is not skipped.)
                    let same = share.current() == **me.current.borrow() && !share.unsaved();
                    if same && !force && me.merge.get() != Some(true) {
                        me.learning.set(false);
                        me.finish(0);
                        return;
                    }
                    // Learning and saving are a task each: together they made the run's longest task.
                    gloo_timers::future::TimeoutFuture::new(0).await;
                    if stale(&me) {
                        return;
                    }
                    // (Another learner's save meanwhile would have made this run stale: `share` is current.)
                    *me.share.borrow_mut() = share;
                    me.learning.set(false);
                    // Saved only when this learner's part changed: a forced run (a merge, another article)
                    // that learned nothing new writes nothing.
                    if me.share.borrow().unsaved() {
                        me.save();
                    }
                    let overlay = Arc::new(me.share.borrow().current());
                    *me.current.borrow_mut() = overlay.clone();
                    overlay
                }
                None => me.current.borrow().clone(),
            };
            let article = session.article.clone();
            let mut moved = 0;
            // The tagger's first marks on this article: over the same text at once as the first
            // extraction, so the marks are the same as if the data had been there from the start.
            let groups = if me.merge.get() == Some(true) && article.len_chars <= ONE_GO {
                vec![(0, article.len_chars)]
            } else {
                paragraph_groups(&article, CHUNK)
            };
            // A merge after something was learned goes in two passes a group: the shipped model's own marks
            // first (as an extraction with the data from the start would have made them: they are not new
            // names of the learning, so not held to its gate), then what was learned, over them.
            let passes = if me.merge.get() == Some(true) && !overlay.is_empty() {
                vec![None, Some(overlay)]
            } else {
                vec![Some(overlay)]
            };
            'groups: for (start, end) in groups {
                for pass in &passes {
                    gloo_timers::future::TimeoutFuture::new(0).await;
                    let now = me.store.get();
                    if stale(&me) {
                        return;
                    }
                    if !Rc::ptr_eq(&now.article, &article) {
                        // Another article came in: nothing more to suggest here.
                        break 'groups;
                    }
                    if let Some(action) = now.resuggest(tagger, pass.clone(), start, end) {
                        moved += usize::from(me.store.dispatch(action).is_ok());
                    }
                }
            }
            if !stale(&me) {
                me.finish(moved);
            }
        });
    }

    /// When `session` holds another article than the one last learned on, that article's lessons (in
    /// `current`, already saved) become part of `base`.
    fn keep_what_the_last_article_taught(&self, session: &Session) {
        if self.is_new_article(session) {
            self.share.borrow_mut().next_article();
        }
        *self.learned_on.borrow_mut() = Some(session.article.clone());
    }

    fn finish(&self, moved: usize) {
        self.running.set(false);
        self.learning.set(false);
        if self.merge.get() == Some(true) {
            self.merge.set(None);
        }
        let f = self.on_idle.borrow().clone();
        if let Some(f) = f {
            f(moved);
        }
    }
}

impl Drop for Learner {
    fn drop(&mut self) {
        if let Some((ch, _)) = self.channel.get_mut().take() {
            ch.close();
        }
        if let (Some(on), Some(w)) = (self.on_storage.get_mut().take(), web_sys::window()) {
            let _ = w.remove_event_listener_with_callback("storage", on.as_ref().unchecked_ref());
        }
    }
}
