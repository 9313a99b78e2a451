//! A panic never breaks the host page: it is logged and shown as a notice in every mounted widget. The
//! registry of where to show it is per thread (the page's one), filled by mounting and emptied by destroy.

use std::cell::RefCell;
use web_sys::Node;

thread_local! {
    /// Where a panic message goes: each mounted widget's shadow root (or standalone element).
    static ROOTS: RefCell<Vec<Node>> = const { RefCell::new(Vec::new()) };
}

/// Remembers `node` as a place to show a crash message.
pub fn watch(node: &Node) {
    ROOTS.with(|r| r.borrow_mut().push(node.clone()));
}

pub(super) fn unwatch(node: &Node) {
    ROOTS.with(|r| r.borrow_mut().retain(|n| !n.is_same_node(Some(node))));
}

/// A panic is logged and shown in every mounted widget; the host page keeps working.
pub fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| report_panic(&info.to_string())));
    });
}

/// What the panic hook does: logs `message` and shows a notice in every mounted widget.
pub fn report_panic(message: &str) {
    web_sys::console::error_1(&format!("sahifa: internal error: {message}").into());
    let roots = ROOTS.with(|r| r.try_borrow().map(|r| r.clone()).unwrap_or_default());
    for root in roots {
        show_crash(&root);
    }
}

fn show_crash(root: &Node) {
    let Some(doc) = root.owner_document() else {
        return;
    };
    let Ok(div) = doc.create_element("div") else {
        return;
    };
    div.set_class_name("sahifa-crash");
    let _ = div.set_attribute("role", "alert");
    div.set_text_content(Some(
        "توقّفت صحيفة بسبب خطأ داخلي — Sahifa stopped after an internal error (details in the console). Reload the page to try again.",
    ));
    let _ = root.insert_before(&div, root.first_child().as_ref());
}
