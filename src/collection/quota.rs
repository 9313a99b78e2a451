//! The browser's storage quota: asking that the collection's storage be kept (`navigator.storage.persist()`,
//! so the browser does not evict it under pressure) and how much room is left (`estimate()`), which the
//! panel shows when it runs low. Both are absent in some contexts (an insecure origin, old browsers):
//! then there is nothing to ask and nothing to show.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Used and available bytes for this origin.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Quota {
    pub usage: f64,
    pub quota: f64,
}

impl Quota {
    /// The part of the quota in use, 0 when the quota is unknown.
    pub fn used(&self) -> f64 {
        if self.quota > 0.0 {
            self.usage / self.quota
        } else {
            0.0
        }
    }
}

/// The share of the quota in use above which the panel warns.
pub const WARN_AT: f64 = 0.8;

async fn call(method: &str) -> Option<JsValue> {
    let navigator = Reflect::get(&JsValue::from(web_sys::window()?), &"navigator".into()).ok()?;
    let storage = Reflect::get(&navigator, &"storage".into()).ok()?;
    if storage.is_undefined() {
        return None;
    }
    let f: Function = Reflect::get(&storage, &method.into()).ok()?.dyn_into().ok()?;
    let p: Promise = f.call0(&storage).ok()?.dyn_into().ok()?;
    JsFuture::from(p).await.ok()
}

/// Asks the browser to keep this origin's storage; whether it agreed.
pub async fn persist() -> Option<bool> {
    call("persist").await?.as_bool()
}

pub async fn estimate() -> Option<Quota> {
    let v = call("estimate").await?;
    let num = |k: &str| Reflect::get(&v, &k.into()).ok()?.as_f64();
    Some(Quota {
        usage: num("usage")?,
        quota: num("quota")?,
    })
}
