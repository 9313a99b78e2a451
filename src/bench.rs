//! Hooks for the browser benchmarks (`bench/browser.mjs`, run by `scripts/bench.sh`). They are exported from
//! the widget's wasm module (the page's `window.wasmBindings`) and are not part of the widget's API.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `performance.now()`: milliseconds with sub-millisecond resolution.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// Runs the core's extraction over `text` `iterations` times inside wasm and returns the total milliseconds.
#[wasm_bindgen]
pub fn bench_extract(text: &str, iterations: u32) -> f64 {
    let t0 = performance_now();
    let mut found = 0usize;
    for _ in 0..iterations {
        found += std::hint::black_box(sahifa_core::extract(std::hint::black_box(text))).len();
    }
    let ms = performance_now() - t0;
    std::hint::black_box(found);
    ms
}

/// Runs the core's normalise-and-tokenise pass alone (the floor) `iterations` times; total milliseconds.
#[wasm_bindgen]
pub fn bench_tokenize(text: &str, iterations: u32) -> f64 {
    let t0 = performance_now();
    let mut n = 0usize;
    for _ in 0..iterations {
        n += std::hint::black_box(sahifa_core::tokenize(std::hint::black_box(text))).len();
    }
    let ms = performance_now() - t0;
    std::hint::black_box(n);
    ms
}

/// The number of tokens the core finds in `text` (the unit of the tokens/s figures).
#[wasm_bindgen]
pub fn bench_token_count(text: &str) -> u32 {
    sahifa_core::tokenize(text).len() as u32
}

/// The number of annotations the core extracts from `text` (a check that the timed work did something).
#[wasm_bindgen]
pub fn bench_annotation_count(text: &str) -> u32 {
    sahifa_core::extract(text).len() as u32
}

/// Mounts a widget on `text` into `element` (as the page does with the seed article) and returns its API
/// instance; listen for `ready` on it or for `sahifa:ready` on `element`.
#[wasm_bindgen]
pub fn bench_mount(element: web_sys::Element, text: String) -> crate::api::Sahifa {
    crate::mount_into(element, text)
}
