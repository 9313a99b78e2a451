//! Embedding in headless Chromium (wasm-bindgen-test): the widget in an open shadow root with its CSS,
//! options from attributes and code, `destroy()` restoring the element, and the panic notice.
#![cfg(target_arch = "wasm32")]

use sahifa_widget::embed;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn article(html: &str) -> web_sys::Element {
    let doc = web_sys::window().unwrap().document().unwrap();
    let el = doc.create_element("article").unwrap();
    el.set_inner_html(html);
    doc.body().unwrap().append_child(&el).unwrap();
    el
}

async fn settle() {
    gloo_timers::future::TimeoutFuture::new(60).await;
}

fn shadow(el: &web_sys::Element) -> web_sys::ShadowRoot {
    el.query_selector("[data-sahifa-container]")
        .unwrap()
        .expect("container")
        .shadow_root()
        .expect("open shadow root")
}

fn options(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap()
}

#[wasm_bindgen_test]
async fn mounts_in_an_open_shadow_root_and_destroy_restores() {
    let html = "\n  <h1>زيارة إلى باريس</h1>\n  <p>زار الرئيس إيمانويل ماكرون\n     مدينة باريس.</p>\n  <ul><li>بند <b>أول</b></li></ul>\n";
    let el = article(html);
    let w = embed::mount_in_shadow(el.clone(), &JsValue::UNDEFINED).unwrap();
    assert_eq!(
        w.text(),
        "زيارة إلى باريس\n\nزار الرئيس إيمانويل ماكرون مدينة باريس.\n\nبند أول"
    );
    settle().await;
    let root = shadow(&el);
    assert_eq!(root.mode(), web_sys::ShadowRootMode::Open);
    // The stylesheet is constructed and adopted (a strict CSP refuses <style> elements).
    assert!(root.query_selector("style").unwrap().is_none(), "no inline <style>");
    let sheets: js_sys::Array = js_sys::Reflect::get(&root, &"adoptedStyleSheets".into())
        .unwrap()
        .into();
    let first: web_sys::CssStyleSheet = sheets.get(0).into();
    let rules = first.css_rules().unwrap();
    let css: String = (0..rules.length())
        .map(|i| rules.item(i).unwrap().css_text())
        .collect();
    assert!(css.contains(".sahifa-mark") && !css.contains("@font-face"));
    assert_eq!(root.query_selector_all(".sahifa-p").unwrap().length(), 3);
    assert!(
        root.query_selector("mark[data-start]").unwrap().is_some(),
        "marks inside the shadow root"
    );
    assert!(
        el.query_selector("mark").unwrap().is_none(),
        "none in the light DOM"
    );
    w.destroy();
    assert_eq!(el.inner_html(), html, "the element's own HTML is back");
}

#[wasm_bindgen_test]
async fn options_from_attributes_and_code() {
    let el = article("<p>نص</p>");
    el.set_attribute("data-sahifa-readonly", "").unwrap();
    el.set_attribute("data-sahifa-labels", r#"["EVENT"]"#)
        .unwrap();
    let w = embed::mount_in_shadow(
        el.clone(),
        &options(r#"{"text": "التقى بوتين لافروف في موسكو.", "storageKey": "t-embed"}"#),
    )
    .unwrap();
    assert_eq!(w.text(), "التقى بوتين لافروف في موسكو.");
    settle().await;
    assert!(shadow(&el)
        .query_selector(".sahifa.readonly")
        .unwrap()
        .is_some());
    assert!(w.store().get().has_label("EVENT"));
    w.destroy();
    assert_eq!(el.inner_html(), "<p>نص</p>");
}

#[wasm_bindgen_test]
fn bad_options_are_refused_before_the_page_changes() {
    let el = article("<p>نص</p>");
    for (json, expected) in [
        (r#"{"labels": 42}"#, "option labels must be an array"),
        (r#"{"colour": "red"}"#, "unknown option \"colour\""),
        (r#"{"readOnly": "yes"}"#, "option readOnly: invalid type"),
        (r#"{"labels": ["two words"]}"#, "is not a label name"),
        (r#"{"labels": ["PER"]}"#, "PER is a built-in label"),
        (r#"{"text": "  "}"#, "option text is empty"),
        (r#"[1]"#, "options must be an object"),
    ] {
        let e = embed::mount_in_shadow(el.clone(), &options(json))
            .err()
            .unwrap_or_else(|| panic!("{json} accepted"));
        assert!(e.contains(expected), "{json}: {e}");
    }
    el.set_attribute("data-sahifa-labels", "not json").unwrap();
    let e = embed::mount_in_shadow(el.clone(), &JsValue::UNDEFINED)
        .err()
        .unwrap();
    assert!(e.contains("data-sahifa-labels must be a JSON array"), "{e}");
    assert_eq!(el.inner_html(), "<p>نص</p>", "nothing changed");
}

#[wasm_bindgen_test]
async fn a_panic_shows_a_notice_in_each_widget() {
    let (a, b) = (article("<p>أ</p>"), article("<p>ب</p>"));
    let wa = embed::mount_in_shadow(a.clone(), &JsValue::UNDEFINED).unwrap();
    let wb = embed::mount_in_shadow(b.clone(), &JsValue::UNDEFINED).unwrap();
    settle().await;
    embed::report_panic("test");
    for el in [&a, &b] {
        let notice = shadow(el)
            .query_selector(".sahifa-crash[role=alert]")
            .unwrap()
            .expect("notice");
        assert!(notice.text_content().unwrap().contains("Sahifa stopped"));
    }
    wa.destroy();
    wb.destroy();
    // A destroyed widget is no longer told.
    embed::report_panic("again");
    assert!(a.query_selector(".sahifa-crash").unwrap().is_none());
}
