//! Where collections are kept: behind the small [`ArticleDb`] trait, so the controller does not care how;
//! [`Idb`] is the browser's IndexedDB (through `rexie`), sized for thousands of articles where
//! `localStorage` holds about 5 MB for everything.
//!
//! Schema, version [`DB_VERSION`] of the database `sahifa`:
//! - `collections`: key a collection's id, value the core's [`Named`] as JSON text (id, name, created,
//!   deleted);
//! - `items`: key `[collection id, position]` (so one collection's articles read back in order with one
//!   key range), value `{"rev": n, "entry": Entry}` as JSON text: the core's [`Entry`] and its revision,
//!   which every write raises by one and checks first ([`ArticleDb::save`]), so two tabs never overwrite
//!   each other's work;
//! - `meta`: small named values (`open`, the open collection's id; `current:<id>`, a collection's open
//!   article; `migrated`, the `localStorage` migration's record; `schema`, the layout the data is in);
//! - `saves`: the single-article saves copied from `localStorage` by [`migrate_local_saves`], under their
//!   `localStorage` key, as they were;
//! - `articles`: version 1's one collection (key a position, value an [`Entry`]); [`migrate_v1`] copies it
//!   into `items` under version 1's collection id, reads the copy back, and only then empties it.
//!
//! rexie creates missing stores at an upgrade and deletes the ones not listed, so every store version 1
//! had stays listed.

use gloo_storage::{LocalStorage, Storage};
use rexie::{KeyRange, ObjectStore, Rexie, TransactionMode};
use sahifa_core::collection::named::Named;
use sahifa_core::collection::Entry;
use serde::{Deserialize, Serialize};
use std::future::Future;
use std::pin::Pin;
use wasm_bindgen::JsValue;

pub const DB_NAME: &str = "sahifa";
/// The database's schema version.
pub const DB_VERSION: u32 = 2;
const ARTICLES_V1: &str = "articles";
const ITEMS: &str = "items";
const COLLECTIONS: &str = "collections";
const META: &str = "meta";
const SAVES: &str = "saves";

/// A boxed future, so the trait stays object-safe.
pub type Fut<'a, T> = Pin<Box<dyn Future<Output = Result<T, String>> + 'a>>;

/// An article as stored: the entry and its revision (0: never stored).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stored {
    pub rev: u64,
    pub entry: Entry,
}

/// One article to write at `pos` if the stored revision is still `expect`.
pub struct Put {
    pub pos: usize,
    pub expect: u64,
    pub entry: Entry,
}

/// What became of one [`Put`].
#[derive(Debug, Clone, PartialEq)]
pub enum Saved {
    /// Written as revision `rev`.
    Written { pos: usize, rev: u64 },
    /// Another tab wrote revision `stored.rev` first; nothing was written.
    Conflict { pos: usize, stored: Stored },
}

/// The storage collections need.
pub trait ArticleDb {
    /// Every collection's record (deleted ones too).
    fn collections(&self) -> Fut<'_, Vec<Named>>;
    fn put_collection(&self, c: Named) -> Fut<'_, ()>;
    /// Removes a collection's record and all its articles, in one transaction.
    fn remove_collection(&self, id: &str) -> Fut<'_, ()>;
    /// A collection's articles with their revisions, in position order.
    fn load(&self, coll: &str) -> Fut<'_, Vec<Stored>>;
    /// One article, if stored.
    fn get(&self, coll: &str, pos: usize) -> Fut<'_, Option<Stored>>;
    /// Compare-and-set, in one transaction: each put is written (its revision raised by one) only if the
    /// stored revision is the one expected; otherwise what is stored comes back to be merged.
    fn save(&self, coll: &str, puts: Vec<Put>) -> Fut<'_, Vec<Saved>>;
    fn meta(&self, key: &str) -> Fut<'_, Option<String>>;
    fn set_meta(&self, key: &str, value: String) -> Fut<'_, ()>;
    /// A single-article save copied from `localStorage` under `key`.
    fn saved_work(&self, key: &str) -> Fut<'_, Option<String>>;
    /// Copies single-article saves `(localStorage key, entry)` in one transaction.
    fn put_saves(&self, pairs: Vec<(String, String)>) -> Fut<'_, ()>;
}

pub struct Idb {
    db: Rexie,
}

fn why(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn item_key(coll: &str, pos: usize) -> JsValue {
    js_sys::Array::of2(&JsValue::from_str(coll), &JsValue::from_f64(pos as f64)).into()
}

/// Every key of collection `coll`.
fn range_of(coll: &str) -> Result<KeyRange, String> {
    let lower = item_key(coll, 0);
    let upper: JsValue = js_sys::Array::of2(&JsValue::from_str(coll), &JsValue::from_f64(f64::INFINITY)).into();
    KeyRange::bound(&lower, &upper, None, None).map_err(why)
}

fn stored_of(v: &JsValue, what: &str) -> Result<Stored, String> {
    let json = v.as_string().ok_or_else(|| format!("{what}: not text"))?;
    serde_json::from_str::<Stored>(&json).map_err(|e| format!("{what}: {e}"))
}

impl Idb {
    pub async fn open() -> Result<Idb, String> {
        let db = Rexie::builder(DB_NAME)
            .version(DB_VERSION)
            .add_object_store(ObjectStore::new(ARTICLES_V1))
            .add_object_store(ObjectStore::new(ITEMS))
            .add_object_store(ObjectStore::new(COLLECTIONS))
            .add_object_store(ObjectStore::new(META))
            .add_object_store(ObjectStore::new(SAVES))
            .build()
            .await
            .map_err(why)?;
        Ok(Idb { db })
    }

    async fn get_text(&self, store: &str, key: JsValue) -> Result<Option<String>, String> {
        let tx = self.db.transaction(&[store], TransactionMode::ReadOnly).map_err(why)?;
        let v = tx.store(store).map_err(why)?.get(key).await.map_err(why)?;
        tx.done().await.map_err(why)?;
        Ok(v.and_then(|v| v.as_string()))
    }

    async fn set(&self, store: &str, pairs: Vec<(JsValue, String)>) -> Result<(), String> {
        let tx = self.db.transaction(&[store], TransactionMode::ReadWrite).map_err(why)?;
        let s = tx.store(store).map_err(why)?;
        for (k, v) in pairs {
            s.put(&JsValue::from_str(&v), Some(&k)).await.map_err(why)?;
        }
        tx.done().await.map_err(why)?;
        Ok(())
    }

    async fn save_all(&self, coll: &str, puts: Vec<Put>) -> Result<Vec<Saved>, String> {
        let tx = self.db.transaction(&[ITEMS], TransactionMode::ReadWrite).map_err(why)?;
        let s = tx.store(ITEMS).map_err(why)?;
        let mut out = Vec::with_capacity(puts.len());
        for p in puts {
            let key = item_key(coll, p.pos);
            let now = match s.get(key.clone()).await.map_err(why)? {
                Some(v) => Some(stored_of(&v, &format!("article {}", p.pos))?),
                None => None,
            };
            let rev = now.as_ref().map_or(0, |n| n.rev);
            if rev != p.expect {
                out.push(Saved::Conflict { pos: p.pos, stored: now.expect("a revision above 0 is stored") });
                continue;
            }
            let json = serde_json::to_string(&Stored { rev: rev + 1, entry: p.entry }).expect("entries serialise");
            s.put(&JsValue::from_str(&json), Some(&key)).await.map_err(why)?;
            out.push(Saved::Written { pos: p.pos, rev: rev + 1 });
        }
        tx.done().await.map_err(why)?;
        Ok(out)
    }
}

impl ArticleDb for Idb {
    fn collections(&self) -> Fut<'_, Vec<Named>> {
        Box::pin(async move {
            let tx = self.db.transaction(&[COLLECTIONS], TransactionMode::ReadOnly).map_err(why)?;
            let all = tx.store(COLLECTIONS).map_err(why)?.get_all(None, None).await.map_err(why)?;
            tx.done().await.map_err(why)?;
            all.iter()
                .map(|v| {
                    let json = v.as_string().ok_or("collection record: not text")?;
                    serde_json::from_str::<Named>(&json).map_err(|e| format!("collection record: {e}"))
                })
                .collect()
        })
    }

    fn put_collection(&self, c: Named) -> Fut<'_, ()> {
        let json = serde_json::to_string(&c).expect("records serialise");
        Box::pin(async move { self.set(COLLECTIONS, vec![(JsValue::from_str(&c.id), json)]).await })
    }

    fn remove_collection(&self, id: &str) -> Fut<'_, ()> {
        let id = id.to_string();
        Box::pin(async move {
            let tx = self.db.transaction(&[ITEMS, COLLECTIONS], TransactionMode::ReadWrite).map_err(why)?;
            tx.store(ITEMS).map_err(why)?.delete(range_of(&id)?.into()).await.map_err(why)?;
            tx.store(COLLECTIONS).map_err(why)?.delete(JsValue::from_str(&id)).await.map_err(why)?;
            tx.done().await.map_err(why)?;
            Ok(())
        })
    }

    fn load(&self, coll: &str) -> Fut<'_, Vec<Stored>> {
        let coll = coll.to_string();
        Box::pin(async move {
            let tx = self.db.transaction(&[ITEMS], TransactionMode::ReadOnly).map_err(why)?;
            let all = tx.store(ITEMS).map_err(why)?.get_all(Some(range_of(&coll)?), None).await.map_err(why)?;
            tx.done().await.map_err(why)?;
            all.iter().enumerate().map(|(i, v)| stored_of(v, &format!("article {i}"))).collect()
        })
    }

    fn get(&self, coll: &str, pos: usize) -> Fut<'_, Option<Stored>> {
        let key = item_key(coll, pos);
        Box::pin(async move {
            match self.get_text(ITEMS, key).await? {
                Some(json) => serde_json::from_str(&json).map(Some).map_err(|e| format!("article {pos}: {e}")),
                None => Ok(None),
            }
        })
    }

    fn save(&self, coll: &str, puts: Vec<Put>) -> Fut<'_, Vec<Saved>> {
        let coll = coll.to_string();
        Box::pin(async move { self.save_all(&coll, puts).await })
    }

    fn meta(&self, key: &str) -> Fut<'_, Option<String>> {
        Box::pin(self.get_text(META, JsValue::from_str(key)))
    }

    fn set_meta(&self, key: &str, value: String) -> Fut<'_, ()> {
        Box::pin(self.set(META, vec![(JsValue::from_str(key), value)]))
    }

    fn saved_work(&self, key: &str) -> Fut<'_, Option<String>> {
        Box::pin(self.get_text(SAVES, JsValue::from_str(key)))
    }

    fn put_saves(&self, pairs: Vec<(String, String)>) -> Fut<'_, ()> {
        Box::pin(self.set(SAVES, pairs.into_iter().map(|(k, v)| (JsValue::from_str(&k), v)).collect()))
    }
}

/// Version 1's one collection, moved into version 2's layout: its articles (the `articles` store) are
/// written to `items` under version 1's collection id (`meta.id`, which also keys what it learned) with a
/// record named `name`, read back and compared, and only then is the `articles` store emptied and
/// `meta.schema` set to 2. A failure leaves version 1's data where it was, and the next start tries again.
/// Returns how many articles were moved.
pub async fn migrate_v1(db: &Idb, name: &str) -> Result<usize, String> {
    if db.get_text(META, JsValue::from_str("schema")).await?.as_deref() == Some("2") {
        return Ok(0);
    }
    let tx = db.db.transaction(&[ARTICLES_V1], TransactionMode::ReadOnly).map_err(why)?;
    let old = tx.store(ARTICLES_V1).map_err(why)?.get_all(None, None).await.map_err(why)?;
    tx.done().await.map_err(why)?;
    let entries: Vec<Entry> = old
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let json = v.as_string().ok_or_else(|| format!("version 1 article {i}: not text"))?;
            serde_json::from_str::<Entry>(&json).map_err(|e| format!("version 1 article {i}: {e}"))
        })
        .collect::<Result<_, _>>()?;
    if !entries.is_empty() {
        let id = match db.meta("id").await? {
            Some(id) => id,
            None => new_id(),
        };
        if !db.collections().await?.iter().any(|c| c.id == id) {
            db.put_collection(Named { id: id.clone(), name: name.to_string(), created: js_sys::Date::now(), deleted: false })
                .await?;
        }
        let puts: Vec<(JsValue, String)> = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (item_key(&id, i), serde_json::to_string(&Stored { rev: 1, entry: e.clone() }).expect("serialises")))
            .collect();
        db.set(ITEMS, puts).await?;
        let back: Vec<Entry> = db.load(&id).await?.into_iter().map(|s| s.entry).collect();
        if back != entries {
            return Err("version 1's articles did not read back equal after the move; they stay where they were".into());
        }
        if let Some(cur) = db.meta("current").await? {
            db.set_meta(&format!("current:{id}"), cur).await?;
        }
        db.set_meta("open", id).await?;
        let tx = db.db.transaction(&[ARTICLES_V1], TransactionMode::ReadWrite).map_err(why)?;
        tx.store(ARTICLES_V1).map_err(why)?.clear().await.map_err(why)?;
        tx.done().await.map_err(why)?;
    }
    db.set_meta("schema", "2".into()).await?;
    Ok(entries.len())
}

/// A new collection id: the time and a random part.
pub fn new_id() -> String {
    format!("{:x}-{:08x}", js_sys::Date::now() as u64, (js_sys::Math::random() * f64::from(u32::MAX)) as u32)
}

/// What the migration did.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Migration {
    /// Saves copied (new or changed since the last run) and read back equal.
    pub copied: usize,
    /// Single-article saves found in `localStorage`, all of which the database now holds.
    pub found: usize,
    /// The database schema it was made for.
    pub schema: u32,
    /// Articles of a version 1 database moved into version 2's layout at this start.
    #[serde(default, rename = "movedFromV1")]
    pub moved_from_v1: usize,
}

/// The `localStorage` keys of single-article saves (`sahifa:v1:…`, not the `:unreadable` ones kept aside).
fn local_save_keys() -> Vec<String> {
    let s = LocalStorage::raw();
    let n = s.length().unwrap_or(0);
    (0..n)
        .filter_map(|i| s.key(i).ok().flatten())
        .filter(|k| k.starts_with("sahifa:v1:") && !k.ends_with(":unreadable"))
        .collect()
}

/// Copies the single-article `localStorage` saves that the database's `saves` store lacks (or holds in
/// an older version) into it, then reads every one back and compares it before recording the migration
/// (`meta.migrated`); a copy that does not read back equal is an error, and the next start tries again.
/// It runs at every start, because the single-article widget keeps saving in `localStorage` (an embedded
/// page, a second tab rely on it), and those entries are never removed here: nothing is lost whatever fails.
pub async fn migrate_local_saves(db: &dyn ArticleDb, moved_from_v1: usize) -> Result<Migration, String> {
    let storage = LocalStorage::raw();
    let local: Vec<(String, String)> = local_save_keys()
        .into_iter()
        .filter_map(|k| Some((k.clone(), storage.get_item(&k).ok().flatten()?)))
        .collect();
    let mut changed = Vec::new();
    for (k, v) in &local {
        if db.saved_work(k).await?.as_deref() != Some(v.as_str()) {
            changed.push((k.clone(), v.clone()));
        }
    }
    if !changed.is_empty() {
        db.put_saves(changed.clone()).await?;
    }
    for (k, v) in &local {
        if db.saved_work(k).await?.as_deref() != Some(v.as_str()) {
            return Err(format!("the copy of {k} did not read back equal; it stays in localStorage"));
        }
    }
    let m = Migration {
        copied: changed.len(),
        found: local.len(),
        schema: DB_VERSION,
        moved_from_v1,
    };
    db.set_meta("migrated", serde_json::to_string(&m).expect("serialises")).await?;
    Ok(m)
}
