//! Files dropped on the widget: the drag highlight, and each file read as text and handed on.

use crate::components::toolbar::read_files;
use yew::prelude::*;

/// Handlers for the widget's root and whether a drag is over it.
pub struct FileDrop {
    pub dragging: bool,
    pub ondragover: Callback<DragEvent>,
    pub ondragleave: Callback<DragEvent>,
    pub ondrop: Callback<DragEvent>,
}

#[hook]
pub fn use_file_drop(on_file: Callback<(String, Result<String, String>)>) -> FileDrop {
    let dragging = use_state(|| false);
    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if !*dragging {
                dragging.set(true);
            }
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let ondrop = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(list) = e.data_transfer().and_then(|d| d.files()) {
                read_files(list, on_file.clone());
            }
        })
    };
    FileDrop {
        dragging: *dragging,
        ondragover,
        ondragleave,
        ondrop,
    }
}
