//! The data files in the page: the gazetteer's automata, fetched with the wasm, and the tagger's four files,
//! fetched beside it after the first highlight; installed in the core ([`sahifa_core::data::install`]), and
//! every widget told when they are in (or will not come).
//!
//! Why: the model, lexicon, clusters and name lists are about 355 kB gzipped, a third of what the page
//! would otherwise download before its first highlight, and that highlight needs none of them (the
//! gazetteers and rules find the listed names). The widget's wasm is built without them (the core's
//! `embedded-model` feature is off); until they are installed the core extracts with the rules and
//! gazetteers alone, then each widget merges the tagger's marks in as the machine's suggestions (see
//! [`crate::learner::Learner::data_ready`]).
//!
//! Who provides the bytes:
//! - `sahifa.js` fetches the files beside itself once the wasm is instantiated (in parallel with the first
//!   render) and hands each to [`install_data`], or says why it could not with [`data_unavailable`];
//! - the standalone `index.html` names the folder in `data-sahifa-data`, and [`fetch_from`] fetches them;
//! - the single-file `sahifa-standalone.html` carries them inline (base64) and installs them itself.
//!
//! The gazetteer's automata (`gazetteer.bin`, about 80 kB gzipped) are not in the wasm either: the page's
//! first-highlight module (`paint/`) needs them too, and `sahifa.js` fetches them once for both. Every
//! extraction needs them, so no widget is mounted before they are installed (or known not to come: then it
//! mounts with empty lists and says the data is unavailable), see [`when_lists`].
//!
//! The bytes stay here as well, for the extraction worker's first message (it never fetches them again,
//! see [`crate::extractor`]). A build with the data embedded (the widget's own tests) is ready at once.

use sahifa_core::data::{self, DataKind};
use std::cell::RefCell;
use std::rc::Weak;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Told once when the state leaves `Pending` (see [`when_settled`]).
pub type OnSettled = std::rc::Rc<Listener>;

/// What [`when_settled`] calls.
pub type Listener = dyn Fn(&DataState);

/// Where the tagger's data stands on this page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataState {
    /// Not all five files are in yet: the marks shown are the rules' and gazetteers'.
    Pending,
    /// The tagger runs.
    Ready,
    /// A file could not be fetched or was refused: the marks stay the rules' and gazetteers'.
    Failed(String),
}

struct Page {
    failed: Option<String>,
    /// The installed files' bytes, for the extraction worker.
    files: Vec<(DataKind, js_sys::Uint8Array)>,
    /// Told once, when the state leaves `Pending`.
    listeners: Vec<Weak<Listener>>,
    /// Waiting for the gazetteer's automata (installed, or known not to come).
    lists_waiting: Vec<Box<dyn FnOnce()>>,
    /// The gazetteer's automata will not come.
    lists_failed: bool,
}

thread_local! {
    static PAGE: RefCell<Page> = const {
        RefCell::new(Page {
            failed: None,
            files: Vec::new(),
            listeners: Vec::new(),
            lists_waiting: Vec::new(),
            lists_failed: false,
        })
    };
}

/// The state now.
pub fn state() -> DataState {
    if data::tagger_ready() {
        return DataState::Ready;
    }
    PAGE.with(|p| p.borrow().failed.clone()).map_or(DataState::Pending, DataState::Failed)
}

/// Calls `f` once when the state leaves `Pending` (at once, later, or never if it already has: check
/// [`state`] first). Held weakly: dropping the `Rc` unsubscribes.
pub fn when_settled(f: &OnSettled) {
    PAGE.with(|p| p.borrow_mut().listeners.push(std::rc::Rc::downgrade(f)));
}

/// Calls `f` once the gazetteer's automata are installed, or known not to come (at once if either is so):
/// what a widget waits for before its first extraction.
pub fn when_lists(f: impl FnOnce() + 'static) {
    let waits = !data::lists_ready() && PAGE.with(|p| !p.borrow().lists_failed);
    if waits {
        PAGE.with(|p| p.borrow_mut().lists_waiting.push(Box::new(f)));
    } else {
        f();
    }
}

/// The gazetteer is in, or will not come: runs whatever waited for it.
fn run_lists_waiting() {
    let waiting = PAGE.with(|p| std::mem::take(&mut p.borrow_mut().lists_waiting));
    for f in waiting {
        f();
    }
}

/// The installed files, as `(kind name, bytes)`, for the worker's first message.
pub fn installed_files() -> Vec<(&'static str, js_sys::Uint8Array)> {
    PAGE.with(|p| p.borrow().files.iter().map(|(k, b)| (k.name(), b.clone())).collect())
}

fn settle(state: DataState) {
    let listeners = PAGE.with(|p| std::mem::take(&mut p.borrow_mut().listeners));
    for l in listeners.iter().filter_map(Weak::upgrade) {
        l(&state);
    }
}

/// Installs one of the data files (`kind`: `gazetteer`, `model`, `lexicon`, `clusters` or `names`). Throws an
/// `Error` naming what is wrong when the kind is unknown or the bytes are refused; nothing is installed
/// then, and the widgets keep the rules' marks and say why.
#[wasm_bindgen(js_name = installData)]
pub fn install_data(kind: &str, bytes: js_sys::Uint8Array) -> Result<(), JsError> {
    let result = kind
        .parse::<DataKind>()
        .and_then(|k| data::install(k, &bytes.to_vec()).map(|()| k));
    match result {
        Ok(k) => {
            PAGE.with(|p| p.borrow_mut().files.push((k, bytes.clone())));
            crate::extractor::share_data(k.name(), &bytes);
            if k == DataKind::Gazetteer {
                run_lists_waiting();
            }
            if data::tagger_ready() {
                settle(DataState::Ready);
            }
            Ok(())
        }
        Err(data::DataError::AlreadyInstalled(_)) => Ok(()),
        Err(e) => {
            let why = e.to_string();
            data_unavailable(why.clone(), Some(kind.to_string()));
            Err(JsError::new(&format!("sahifa: {why}")))
        }
    }
}

/// Says a data file will not come (`why`: a failed fetch, a refused file; `kind`: which one, when known).
/// The gazetteer's automata: whatever waited for them ([`when_lists`]) goes on with empty lists. The
/// tagger's files: the widgets keep the rules' and gazetteers' marks and show why (ignored once the tagger's
/// data is in).
#[wasm_bindgen(js_name = dataUnavailable)]
pub fn data_unavailable(why: String, kind: Option<String>) {
    if kind.as_deref() == Some(DataKind::Gazetteer.name()) && !data::lists_ready() {
        PAGE.with(|p| p.borrow_mut().lists_failed = true);
        run_lists_waiting();
    }
    if data::tagger_ready() {
        return;
    }
    web_sys::console::warn_1(&format!("sahifa: the tagger's data is not available: {why}").into());
    let first = PAGE.with(|p| {
        let mut p = p.borrow_mut();
        let first = p.failed.is_none();
        p.failed.get_or_insert(why.clone());
        first
    });
    if first {
        settle(DataState::Failed(why));
    }
}

/// Fetches the five files from the folder `base` (a URL ending in `/`) all at once and installs them;
/// a failure of any is reported with [`data_unavailable`].
pub fn fetch_from(base: String) {
    for kind in DataKind::ALL {
        let url = format!("{base}{}", kind.file_name());
        wasm_bindgen_futures::spawn_local(async move {
            match fetch(&url).await {
                Ok(bytes) => {
                    let _ = install_data(kind.name(), bytes);
                }
                Err(why) => data_unavailable(format!("{url}: {why}"), Some(kind.name().to_string())),
            }
        });
    }
}

async fn fetch(url: &str) -> Result<js_sys::Uint8Array, String> {
    let window = web_sys::window().ok_or("no window")?;
    let text = |e: JsValue| e.as_string().or_else(|| e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message()))).unwrap_or_else(|| format!("{e:?}"));
    let response = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(url)).await.map_err(text)?;
    let response: web_sys::Response = response.dyn_into().map_err(text)?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    let buffer = wasm_bindgen_futures::JsFuture::from(response.array_buffer().map_err(text)?).await.map_err(text)?;
    Ok(js_sys::Uint8Array::new(&buffer))
}
