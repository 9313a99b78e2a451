//! `mount(element, options)`'s options, read with serde: from the element's `data-sahifa-*` attributes
//! first, then from the options object, whose fields win. Unknown fields, wrong types and invalid labels
//! are errors that name the option, so an embedder sees what to fix before the page changes.

use sahifa_core::session::{builtin_labels, LabelDef};
use serde::Deserialize;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Element;

/// What `mount` accepts; every field optional.
#[derive(Debug, Default, PartialEq)]
pub struct Options {
    pub text: Option<String>,
    pub read_only: bool,
    pub storage_key: Option<String>,
    pub labels: Vec<LabelDef>,
}

/// The option names, as the embedder writes them.
const KNOWN: [&str; 4] = ["text", "readOnly", "storageKey", "labels"];

/// The options object as written by the embedder.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Given {
    text: Option<String>,
    read_only: Option<bool>,
    storage_key: Option<String>,
    labels: Option<Vec<LabelSpec>>,
}

/// A label as an embedder may give it: a name, or `{name, color?, key?}`.
#[derive(Deserialize)]
#[serde(untagged, expecting = "a label name or {name, color?, key?}")]
enum LabelSpec {
    Name(String),
    Full {
        name: String,
        #[serde(default)]
        color: Option<String>,
        #[serde(default)]
        key: Option<char>,
    },
}

/// Reads options from the element's `data-sahifa-*` attributes, then from `options` (which win).
pub fn read_options(element: &Element, options: &JsValue) -> Result<Options, String> {
    let mut o = Options::default();
    if let Some(v) = element.get_attribute("data-sahifa-readonly") {
        o.read_only = match v.trim() {
            "" | "true" | "readonly" => true,
            "false" => false,
            other => {
                return Err(format!(
                    "data-sahifa-readonly must be \"true\" or \"false\", not {other:?}"
                ))
            }
        };
    }
    if let Some(v) = element.get_attribute("data-sahifa-storage-key") {
        o.storage_key = Some(storage_key(v).map_err(|e| format!("data-sahifa-storage-key {e}"))?);
    }
    if let Some(v) = element.get_attribute("data-sahifa-labels") {
        let specs: Vec<LabelSpec> = serde_json::from_str(&v).map_err(|e| {
            format!("data-sahifa-labels must be a JSON array of label names or {{name, color?, key?}} objects ({e}), got {v:?}")
        })?;
        o.labels = labels(specs).map_err(|e| format!("data-sahifa-labels {e}"))?;
    }
    if options.is_undefined() || options.is_null() {
        return Ok(o);
    }
    if !options.is_object() || js_sys::Array::is_array(options) {
        return Err("options must be an object like {text, readOnly, storageKey, labels}".into());
    }
    // serde_wasm_bindgen reads a struct by its field names, so it never sees an unknown key: look for one.
    for key in js_sys::Object::keys(options.unchecked_ref::<js_sys::Object>()).iter() {
        let key = key.as_string().unwrap_or_default();
        if !KNOWN.contains(&key.as_str()) {
            return Err(format!(
                "unknown option {key:?}; the options are {}",
                KNOWN.join(", ")
            ));
        }
    }
    // serde_wasm_bindgen's own message for a non-array sequence is a bare TypeError: say it plainly.
    if let Ok(labels) = js_sys::Reflect::get(options, &"labels".into()) {
        if !labels.is_undefined() && !labels.is_null() && !js_sys::Array::is_array(&labels) {
            return Err(
                "option labels must be an array of label names or {name, color?, key?} objects".into(),
            );
        }
    }
    let given: Given =
        serde_path_to_error::deserialize(serde_wasm_bindgen::Deserializer::from(options.clone()))
            .map_err(|e| {
                // serde_wasm_bindgen's errors are JS Errors, displayed with an "Error: " prefix.
                let inner = e.inner().to_string();
                let why = inner.strip_prefix("Error: ").unwrap_or(&inner).to_string();
                match e.path().to_string().as_str() {
                    "." => format!("options: {why}"),
                    path => format!("option {path}: {why}"),
                }
            })?;
    if let Some(t) = given.text {
        if t.trim().is_empty() {
            return Err("option text is empty".into());
        }
        o.text = Some(t);
    }
    if let Some(r) = given.read_only {
        o.read_only = r;
    }
    if let Some(k) = given.storage_key {
        o.storage_key = Some(storage_key(k).map_err(|e| format!("option storageKey {e}"))?);
    }
    if let Some(specs) = given.labels {
        o.labels = labels(specs).map_err(|e| format!("option labels {e}"))?;
    }
    Ok(o)
}

fn storage_key(k: String) -> Result<String, String> {
    if k.trim().is_empty() {
        Err("must not be empty".into())
    } else {
        Ok(k)
    }
}

/// Validated user labels, each with the core's rules, none listed twice.
fn labels(specs: Vec<LabelSpec>) -> Result<Vec<LabelDef>, String> {
    let mut out: Vec<LabelDef> = Vec::new();
    let builtin = builtin_labels();
    for (i, spec) in specs.into_iter().enumerate() {
        let def = match spec {
            LabelSpec::Name(name) => LabelDef::custom(name),
            LabelSpec::Full { name, color, key } => LabelDef {
                name,
                color: color.unwrap_or_default(),
                key,
            },
        };
        if out.iter().any(|l| l.name == def.name.trim()) {
            return Err(format!("[{i}]: {} is listed twice", def.name.trim()));
        }
        let taken: Vec<LabelDef> = builtin.iter().chain(&out).cloned().collect();
        let def = def.validated_among(&taken).map_err(|e| format!("[{i}]: {e}"))?;
        out.push(def);
    }
    Ok(out)
}
