//! `window.sahifa.collection` on the standalone page: the collection's JavaScript API (see `docs/API.md`).
//! It calls the same [`CollectionCtl`] methods as the panel, so a test driving it drives the UI's code.

use super::{CollectionCtl, FileData, Opened};
use crate::i18n::Lang;
use sahifa_core::collection::exchange::CollectionFormat;
use sahifa_core::collection::Progress;
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(js_name = SahifaCollection)]
pub struct CollectionApi {
    ctl: CollectionCtl,
}

impl CollectionApi {
    pub fn new(ctl: CollectionCtl) -> Self {
        CollectionApi { ctl }
    }
}

fn err(method: &str, msg: impl std::fmt::Display) -> JsError {
    JsError::new(&format!("sahifa.collection.{method}: {msg}"))
}

/// A promise's rejection: an `Error` naming the method.
fn rejected(method: &str, msg: impl std::fmt::Display) -> JsValue {
    js_sys::Error::new(&format!("sahifa.collection.{method}: {msg}")).into()
}

fn to_js(v: &impl Serialize) -> JsValue {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

/// What `open` did: files that could not be opened as `"name: why"`, in the widget's language.
#[derive(Serialize)]
struct OpenedJs {
    added: usize,
    updated: usize,
    orphans: usize,
    errors: Vec<String>,
}

impl OpenedJs {
    fn new(o: &Opened, lang: Lang) -> Self {
        OpenedJs { added: o.added, updated: o.updated, orphans: o.orphans, errors: o.errors(lang) }
    }
}

#[derive(Serialize)]
struct Item<'a> {
    id: &'a str,
    status: &'static str,
    reviewed: usize,
    annotations: usize,
}

#[derive(Serialize)]
struct CollectionJs {
    id: String,
    name: String,
    open: bool,
}

#[derive(Serialize)]
struct State<'a> {
    /// The open collection: `{id, name}`.
    collection: Option<CollectionJs>,
    counts: sahifa_core::collection::Counts,
    current: Option<usize>,
    filter: Option<&'static str>,
    items: Vec<Item<'a>>,
}

/// Bytes from a `Uint8Array`/`ArrayBuffer`, or a string's UTF-8.
fn bytes_of(v: &JsValue) -> Option<FileData> {
    if let Some(s) = v.as_string() {
        return Some(FileData::Text(s));
    }
    if let Some(a) = v.dyn_ref::<js_sys::Uint8Array>() {
        return Some(FileData::Bytes(a.to_vec()));
    }
    v.dyn_ref::<js_sys::ArrayBuffer>()
        .map(|b| FileData::Bytes(js_sys::Uint8Array::new(b).to_vec()))
}

fn format_of(method: &str, f: &str) -> Result<CollectionFormat, JsError> {
    f.parse::<CollectionFormat>().map_err(|e| err(method, e))
}

#[wasm_bindgen(js_class = SahifaCollection)]
impl CollectionApi {
    /// Resolves once the database is open, old saves migrated and a stored collection restored.
    pub fn ready(&self) -> js_sys::Promise {
        self.ctl.ready()
    }

    /// `files`: `[{name, data}]` with `data` a string or bytes; `.txt`/`.html` are articles, the
    /// collection formats are read as collections. `{added, updated, orphans, errors}`.
    pub fn open(&self, files: js_sys::Array) -> Result<JsValue, JsError> {
        let mut list = Vec::new();
        for (i, f) in files.iter().enumerate() {
            let name = js_sys::Reflect::get(&f, &"name".into())
                .ok()
                .and_then(|n| n.as_string())
                .ok_or_else(|| err("open", format!("file {i}: name must be a string")))?;
            let data = js_sys::Reflect::get(&f, &"data".into())
                .ok()
                .and_then(|d| bytes_of(&d))
                .ok_or_else(|| err("open", format!("file {i} ({name}): data must be a string or bytes")))?;
            list.push((name, data));
        }
        Ok(to_js(&OpenedJs::new(&self.ctl.open_files(list), self.ctl.lang())))
    }

    /// `{counts: {total, new, inProgress, done}, current, filter, items: [{id, status, reviewed, annotations}]}`.
    pub fn state(&self) -> JsValue {
        self.ctl.with(|c| {
            to_js(&State {
                collection: self.ctl.open_named().map(|n| CollectionJs { id: n.id, name: n.name, open: true }),
                counts: c.counts(),
                current: self.ctl.current(),
                filter: self.ctl.filter().map(Progress::as_str),
                items: c
                    .entries()
                    .iter()
                    .map(|e| Item {
                        id: &e.id,
                        status: e.progress().as_str(),
                        reviewed: e.reviewed(),
                        annotations: e.annotations().len(),
                    })
                    .collect(),
            })
        })
    }

    /// Opens article `to` (an index or an id).
    pub fn go(&self, to: JsValue) -> Result<(), JsError> {
        let i = match to.as_f64() {
            Some(n) if n >= 0.0 && n.fract() == 0.0 => Some(n as usize),
            _ => to.as_string().and_then(|id| self.ctl.with(|c| c.index_of(&id))),
        };
        match i {
            Some(i) if self.ctl.go(i) => Ok(()),
            _ => Err(err("go", format!("no article {to:?}"))),
        }
    }

    /// The next article among those the filter shows: its index, or `undefined` at the end.
    pub fn next(&self) -> Option<usize> {
        self.ctl.next()
    }

    pub fn prev(&self) -> Option<usize> {
        self.ctl.prev()
    }

    #[wasm_bindgen(js_name = setDone)]
    pub fn set_done(&self, done: bool) -> Result<(), JsError> {
        self.ctl
            .set_done(done)
            .then_some(())
            .ok_or_else(|| err("setDone", "no article is open"))
    }

    /// `"new"`, `"in-progress"`, `"done"`, or `null` for all.
    #[wasm_bindgen(js_name = setFilter)]
    pub fn set_filter(&self, status: Option<String>) -> Result<(), JsError> {
        let only = status
            .map(|s| s.parse::<Progress>())
            .transpose()
            .map_err(|e| err("setFilter", e))?;
        self.ctl.set_filter(only);
        Ok(())
    }

    /// `[{index, id, count}]`: the articles holding `query` (normalised: hamza forms, ة/ه, ى/ي folded).
    pub fn find(&self, query: String) -> JsValue {
        to_js(&self.ctl.find(&query))
    }

    /// The whole collection: a string for `jsonl`, `conll`, `w3c`; a `Uint8Array` (zip) for `brat`.
    pub fn export(&self, format: String) -> Result<JsValue, JsError> {
        let f = format_of("export", &format)?;
        let bytes = self.ctl.export(f);
        Ok(match f {
            CollectionFormat::BratZip => js_sys::Uint8Array::from(bytes.as_slice()).into(),
            _ => JsValue::from_str(&String::from_utf8(bytes).expect("text exports are UTF-8")),
        })
    }

    /// Reads a collection export into the collection: `{added, updated, orphans}`; throws naming the line
    /// or article on bad input, and then nothing has changed.
    pub fn import(&self, format: String, data: JsValue) -> Result<JsValue, JsError> {
        let f = format_of("import", &format)?;
        let bytes = match bytes_of(&data) {
            Some(FileData::Text(s)) => s.into_bytes(),
            Some(FileData::Bytes(b)) => b,
            Some(FileData::Unreadable(_)) | None => return Err(err("import", "data must be a string or bytes")),
        };
        self.ctl.import(f, &bytes).map(|o| to_js(&OpenedJs::new(&o, self.ctl.lang()))).map_err(|e| err("import", e))
    }

    /// Resolves when the whole collection, with the open article's work, is in the database.
    pub fn flush(&self) -> js_sys::Promise {
        let ctl = self.ctl.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            ctl.flush().await.map_err(|e| JsValue::from(js_sys::Error::new(&e)))?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Checks the storage estimate now, warning at `warnAt` of the quota (default 0.8):
    /// `{usage, quota}`, or `null` where the browser gives no estimate.
    #[wasm_bindgen(js_name = checkQuota)]
    pub fn check_quota(&self, warn_at: Option<f64>) -> js_sys::Promise {
        let ctl = self.ctl.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            let q = ctl.check_quota(warn_at.unwrap_or(super::quota::WARN_AT)).await;
            Ok(to_js(&q))
        })
    }

    /// The live collections in the order they were made: `[{id, name, open}]`.
    pub fn collections(&self) -> JsValue {
        let open = self.ctl.id();
        to_js(
            &self
                .ctl
                .collections()
                .into_iter()
                .map(|n| CollectionJs { open: open.as_deref() == Some(n.id.as_str()), id: n.id, name: n.name })
                .collect::<Vec<_>>(),
        )
    }

    /// Makes a collection named `name` and opens it (empty; `open` adds files to it): resolves to its id,
    /// rejects when the name is empty or taken.
    pub fn create(&self, name: String) -> js_sys::Promise {
        let ctl = self.ctl.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            ctl.create(&name).await.map(|id| JsValue::from_str(&id)).map_err(|e| rejected("create", e))
        })
    }

    /// Opens collection `id` (keeping the open article's work).
    #[wasm_bindgen(js_name = switchTo)]
    pub fn switch_to(&self, id: String) -> js_sys::Promise {
        let ctl = self.ctl.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            ctl.switch(&id).await.map(|_| JsValue::UNDEFINED).map_err(|e| rejected("switchTo", e))
        })
    }

    pub fn rename(&self, id: String, name: String) -> js_sys::Promise {
        let ctl = self.ctl.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            ctl.rename(&id, &name).await.map(|_| JsValue::UNDEFINED).map_err(|e| rejected("rename", e))
        })
    }

    /// Deletes collection `id`; `restore(id)` undoes it until the page is loaded again, when its articles
    /// and what it learned are removed.
    pub fn remove(&self, id: String) -> js_sys::Promise {
        let ctl = self.ctl.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            ctl.remove(&id).await.map(|_| JsValue::UNDEFINED).map_err(|e| rejected("remove", e))
        })
    }

    pub fn restore(&self, id: String) -> js_sys::Promise {
        let ctl = self.ctl.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            ctl.restore(&id).await.map(|_| JsValue::UNDEFINED).map_err(|e| rejected("restore", e))
        })
    }

    /// The `localStorage` migration's record: `{copied, found, schema, movedFromV1}`, `{error}`, or `null` before it ran.
    pub fn migration(&self) -> JsValue {
        match self.ctl.migration() {
            None => JsValue::NULL,
            Some(Ok(m)) => to_js(&m),
            Some(Err(e)) => to_js(&serde_json::json!({ "error": e })),
        }
    }
}
