//! Where the machine's extraction runs: in a Web Worker when the page can have one, else on this thread.
//!
//! The worker is `sahifa-worker.js` (built into `dist/` beside `sahifa.js`): the same wasm, instantiated
//! in a worker from the `WebAssembly.Module` this page has compiled already (posted as the first message,
//! so the wasm is neither downloaded nor compiled twice), where [`start`](crate::start) finds no window and
//! mounts nothing, and [`worker_extract`] answers each message. The main thread then renders and edits while long articles are extracted, group by
//! group, on another core.
//!
//! One call, [`extract`], is the whole interface: it sends the text at once (so several calls queue up in
//! the worker and their results stream back in order) and resolves to what [`sahifa_core::extract`] gives
//! for that text, code-point offsets within it. When there is no worker, or the worker fails, the same
//! function runs here after yielding to the browser, so no caller has to know which happened.
//!
//! Which pages get a worker is decided on purpose, never by trying and logging errors:
//! - `sahifa.js` sets the worker's URL beside itself ([`set_worker_url`]), so embedding from another
//!   folder works; the standalone `index.html` names it in `data-sahifa-worker`.
//! - The single-file `sahifa-standalone.html` has none: Chrome refuses module workers from `file://`, and
//!   the file must work with no other file. It extracts here, one group (about 3,000 words) a task.
//! - A page whose Content-Security-Policy (in a `<meta>`) requires Trusted Types gets none: `new Worker`
//!   with a plain URL is a Trusted Types sink, and the widget creates no policy on a host's page.
//! - The worker's wasm has no tagger data of its own: the page's installed files go in its first message,
//!   and any installed later follow ([`share_data`]), ahead of the texts sent after them.
//! - Articles short enough to extract in one go ([`sahifa_core::session::ONE_GO`]) are extracted in the
//!   first render, as before: that is faster than starting a worker, so the worker starts only for a long one.

use sahifa_core::Annotation;
use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

/// The worker's state on this page, shared by every widget on it.
enum State {
    /// Extraction here: no URL given, or the page cannot have a worker.
    Off,
    /// A URL, the worker not started yet (it starts with the first long article).
    Url(String),
    Running(Running),
}

struct Running {
    worker: Worker,
    next_id: u32,
    /// Each sent text's promise callbacks (resolve, reject), by message id.
    pending: HashMap<u32, (js_sys::Function, js_sys::Function)>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

thread_local! {
    static STATE: RefCell<State> = const { RefCell::new(State::Off) };
}

/// Sets where the worker script is (`None`: extract on this thread). Called by `sahifa.js` with the URL
/// beside itself, and by tests to compare the two; a running worker is stopped.
#[wasm_bindgen(js_name = setWorkerUrl)]
pub fn set_worker_url(url: Option<String>) {
    let url = url.filter(|_| worker_allowed());
    let old =
        STATE.with(|s| std::mem::replace(&mut *s.borrow_mut(), url.map_or(State::Off, State::Url)));
    if let State::Running(r) = old {
        stop(r, "the worker was replaced");
    }
}

/// In the worker: one message's extraction, the annotations as JSON (code-point offsets within `text`).
#[wasm_bindgen(js_name = workerExtract)]
pub fn worker_extract(text: &str) -> String {
    serde_json::to_string(&sahifa_core::extract(text)).expect("annotations serialise")
}

/// What [`sahifa_core::extract`] gives for `text`, computed in the worker when there is one. The text is
/// sent before this returns, so calls made together are extracted back to back in the worker.
pub fn extract(text: &str) -> Pin<Box<dyn Future<Output = Vec<Annotation>>>> {
    // Wrapped at once, so a rejection (the worker failed) has its handler before any later call awaits it.
    let sent = send(text).map(wasm_bindgen_futures::JsFuture::from);
    let text = text.to_owned();
    Box::pin(async move {
        if let Some(reply) = sent {
            // A rejection: the worker failed and is stopped already, so this call and later ones run here.
            if let Ok(reply) = reply.await {
                match reply.as_string().map(|s| serde_json::from_str(&s)) {
                    Some(Ok(found)) => return found,
                    _ => give_up("the worker sent an unreadable reply"),
                }
            }
        }
        gloo_timers::future::TimeoutFuture::new(0).await;
        sahifa_core::extract(&text)
    })
}

/// Posts `text` to the worker (starting it if needed); `None` when extraction is to run here.
fn send(text: &str) -> Option<js_sys::Promise> {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        if let State::Url(url) = &*s {
            *s = match start_worker(url) {
                Some(r) => State::Running(r),
                None => State::Off,
            };
        }
        let State::Running(r) = &mut *s else {
            return None;
        };
        let id = r.next_id;
        r.next_id += 1;
        let message = js_sys::Object::new();
        js_sys::Reflect::set(&message, &"id".into(), &id.into()).ok()?;
        js_sys::Reflect::set(&message, &"text".into(), &text.into()).ok()?;
        let mut callbacks = None;
        let promise =
            js_sys::Promise::new(&mut |resolve, reject| callbacks = Some((resolve, reject)));
        r.pending.insert(id, callbacks?);
        match r.worker.post_message(&message) {
            Ok(()) => Some(promise),
            Err(_) => {
                r.pending.remove(&id);
                None
            }
        }
    })
}

fn start_worker(url: &str) -> Option<Running> {
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    let worker = Worker::new_with_options(url, &options).ok()?;
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|e: MessageEvent| {
        let data = e.data();
        let field = |k: &str| js_sys::Reflect::get(&data, &k.into()).unwrap_or(JsValue::UNDEFINED);
        let Some(id) = field("id").as_f64() else {
            return give_up("the worker sent a message without an id");
        };
        let callbacks = STATE.with(|s| match &mut *s.borrow_mut() {
            State::Running(r) => r.pending.remove(&(id as u32)),
            _ => None,
        });
        let Some((resolve, reject)) = callbacks else {
            return;
        };
        let annotations = field("annotations");
        if annotations.is_string() {
            let _ = resolve.call1(&JsValue::NULL, &annotations);
        } else {
            let _ = reject.call1(&JsValue::NULL, &field("error"));
            give_up("the worker could not extract");
        }
    });
    let on_error =
        Closure::<dyn FnMut(web_sys::Event)>::new(|_| give_up("the worker did not start"));
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    // This page's compiled wasm, so the worker neither downloads nor compiles it again, and the tagger's
    // data installed so far (the rest follows as it comes, see [`share_data`]), never fetched twice.
    let first = js_sys::Object::new();
    js_sys::Reflect::set(&first, &"module".into(), &wasm_bindgen::module()).ok()?;
    js_sys::Reflect::set(&first, &"data".into(), &data_message(crate::tagger_data::installed_files())).ok()?;
    worker.post_message(&first).ok()?;
    Some(Running {
        worker,
        next_id: 0,
        pending: HashMap::new(),
        _on_message: on_message,
        _on_error: on_error,
    })
}

/// `[[kind, bytes], …]`, as the worker's `data` field.
fn data_message(files: Vec<(&str, js_sys::Uint8Array)>) -> js_sys::Array {
    files
        .into_iter()
        .map(|(kind, bytes)| js_sys::Array::of2(&kind.into(), &bytes))
        .collect()
}

/// Hands one of the tagger's files, just installed on this page, to a running worker (one started later
/// gets it in its first message).
pub fn share_data(kind: &str, bytes: &js_sys::Uint8Array) {
    STATE.with(|s| {
        if let State::Running(r) = &*s.borrow() {
            let message = js_sys::Object::new();
            let files = data_message(vec![(kind, bytes.clone())]);
            if js_sys::Reflect::set(&message, &"data".into(), &files).is_ok() {
                let _ = r.worker.post_message(&message);
            }
        }
    });
}

/// Stops the worker for good on this page: what it still owed is extracted here (see [`extract`]).
fn give_up(why: &str) {
    let old = STATE.with(|s| std::mem::replace(&mut *s.borrow_mut(), State::Off));
    if let State::Running(r) = old {
        stop(r, why);
    }
}

fn stop(r: Running, why: &str) {
    r.worker.terminate();
    r.worker.set_onmessage(None);
    r.worker.set_onerror(None);
    for (_, (_, reject)) in r.pending {
        let _ = reject.call1(&JsValue::NULL, &why.into());
    }
}

/// False on pages where a worker would be refused: `file://`, and a `<meta>` Content-Security-Policy
/// that requires Trusted Types.
fn worker_allowed() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    if window.location().protocol().map_or(true, |p| p == "file:") {
        return false;
    }
    let Some(document) = window.document() else {
        return false;
    };
    let Ok(metas) = document.query_selector_all("meta[http-equiv]") else {
        return false;
    };
    !(0..metas.length()).filter_map(|i| metas.item(i)).any(|m| {
        let Some(m) = m.dyn_ref::<web_sys::Element>() else {
            return false;
        };
        let is_csp = m
            .get_attribute("http-equiv")
            .is_some_and(|h| h.eq_ignore_ascii_case("content-security-policy"));
        is_csp
            && m.get_attribute("content")
                .is_some_and(|c| c.to_ascii_lowercase().contains("require-trusted-types-for"))
    })
}
