//! Where a collection is kept: behind the small [`ArticleDb`] trait, so the controller does not care how;
//! [`Idb`] is the browser's IndexedDB (through `rexie`), sized for thousands of articles where
//! `localStorage` holds about 5 MB for everything.
//!
//! Schema, version [`DB_VERSION`] of the database `sahifa`:
//! - `articles`: key the article's position (a number, so reading all gives them in order), value the
//!   core's [`Entry`] as JSON text (id, text, meta, work snapshot, done);
//! - `meta`: small named values (`current`, the open article's position; `migrated`, the migration's record);
//! - `saves`: the single-article saves copied from `localStorage` by [`migrate_local_saves`], under their
//!   `localStorage` key, as they were.
//!
//! A later schema raises [`DB_VERSION`] and adds its step to the upgrade; rexie creates the stores that
//! are missing, so version 1's stores survive.

use gloo_storage::{LocalStorage, Storage};
use rexie::{ObjectStore, Rexie, TransactionMode};
use sahifa_core::collection::Entry;
use std::future::Future;
use std::pin::Pin;
use wasm_bindgen::JsValue;

pub const DB_NAME: &str = "sahifa";
/// The database's schema version.
pub const DB_VERSION: u32 = 1;
const ARTICLES: &str = "articles";
const META: &str = "meta";
const SAVES: &str = "saves";

/// A boxed future, so the trait stays object-safe.
pub type Fut<'a, T> = Pin<Box<dyn Future<Output = Result<T, String>> + 'a>>;

/// The storage a collection needs: whole entries by position, a few named values, migrated saves.
pub trait ArticleDb {
    /// Every entry, in position order.
    fn load(&self) -> Fut<'_, Vec<Entry>>;
    /// Writes `entries` at positions `from`, `from + 1`, … in one transaction.
    fn put(&self, from: usize, entries: Vec<Entry>) -> Fut<'_, ()>;
    /// Removes every entry (a new collection replaces the old).
    fn clear(&self) -> Fut<'_, ()>;
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

impl Idb {
    pub async fn open() -> Result<Idb, String> {
        let db = Rexie::builder(DB_NAME)
            .version(DB_VERSION)
            .add_object_store(ObjectStore::new(ARTICLES))
            .add_object_store(ObjectStore::new(META))
            .add_object_store(ObjectStore::new(SAVES))
            .build()
            .await
            .map_err(why)?;
        Ok(Idb { db })
    }

    async fn get(&self, store: &str, key: JsValue) -> Result<Option<String>, String> {
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
}

impl ArticleDb for Idb {
    fn load(&self) -> Fut<'_, Vec<Entry>> {
        Box::pin(async move {
            let tx = self.db.transaction(&[ARTICLES], TransactionMode::ReadOnly).map_err(why)?;
            let all = tx.store(ARTICLES).map_err(why)?.get_all(None, None).await.map_err(why)?;
            tx.done().await.map_err(why)?;
            all.into_iter()
                .enumerate()
                .map(|(i, v)| {
                    let json = v.as_string().ok_or_else(|| format!("article {i}: not text"))?;
                    serde_json::from_str::<Entry>(&json).map_err(|e| format!("article {i}: {e}"))
                })
                .collect()
        })
    }

    fn put(&self, from: usize, entries: Vec<Entry>) -> Fut<'_, ()> {
        let pairs = entries
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let json = serde_json::to_string(e).expect("entries serialise");
                (JsValue::from_f64((from + i) as f64), json)
            })
            .collect();
        Box::pin(self.set(ARTICLES, pairs))
    }

    fn clear(&self) -> Fut<'_, ()> {
        Box::pin(async move {
            let tx = self.db.transaction(&[ARTICLES], TransactionMode::ReadWrite).map_err(why)?;
            tx.store(ARTICLES).map_err(why)?.clear().await.map_err(why)?;
            tx.done().await.map_err(why)?;
            Ok(())
        })
    }

    fn meta(&self, key: &str) -> Fut<'_, Option<String>> {
        Box::pin(self.get(META, JsValue::from_str(key)))
    }

    fn set_meta(&self, key: &str, value: String) -> Fut<'_, ()> {
        Box::pin(self.set(META, vec![(JsValue::from_str(key), value)]))
    }

    fn saved_work(&self, key: &str) -> Fut<'_, Option<String>> {
        Box::pin(self.get(SAVES, JsValue::from_str(key)))
    }

    fn put_saves(&self, pairs: Vec<(String, String)>) -> Fut<'_, ()> {
        Box::pin(self.set(SAVES, pairs.into_iter().map(|(k, v)| (JsValue::from_str(&k), v)).collect()))
    }
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
pub async fn migrate_local_saves(db: &dyn ArticleDb) -> Result<Migration, String> {
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
    };
    db.set_meta("migrated", serde_json::to_string(&m).expect("serialises")).await?;
    Ok(m)
}
