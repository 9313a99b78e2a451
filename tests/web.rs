//! Component tests in headless Chromium (wasm-bindgen-test): the article renders marks that honour the
//! DOM contract, and edits through the store re-render them.
#![cfg(target_arch = "wasm32")]

use sahifa_core::slice_chars;
use sahifa_widget::state::{Action, State};
use sahifa_widget::store::Store;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn container() -> web_sys::Element {
    let doc = web_sys::window().unwrap().document().unwrap();
    let el = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&el).unwrap();
    el
}

async fn settle() {
    // Yew renders on the next microtask/animation turn.
    gloo_timers::future::TimeoutFuture::new(30).await;
}

fn marks(root: &web_sys::Element) -> Vec<web_sys::Element> {
    select(root, "mark[data-start]")
}

fn select(root: &web_sys::Element, css: &str) -> Vec<web_sys::Element> {
    let list = root.query_selector_all(css).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().dyn_into().unwrap())
        .collect()
}

#[wasm_bindgen_test]
async fn seed_article_marks_carry_the_contract() {
    let root = container();
    let text = sahifa_core::SEED_ARTICLE.to_string();
    let api = sahifa_widget::mount_into(root.clone(), text.clone());
    settle().await;
    let ms = marks(&root);
    assert!(ms.len() >= 40, "only {} marks", ms.len());
    for m in &ms {
        let start: usize = m.get_attribute("data-start").unwrap().parse().unwrap();
        let end: usize = m.get_attribute("data-end").unwrap().parse().unwrap();
        assert_eq!(
            slice_chars(&text, start, end).unwrap(),
            m.text_content().unwrap()
        );
        let t = m.get_attribute("data-type").unwrap();
        assert!(
            ["PER", "LOC", "ORG", "MISC", "DATE", "NUM"].contains(&t.as_str()),
            "{t}"
        );
        assert_eq!(m.get_attribute("data-source").as_deref(), Some("extractor"));
        assert!(!m.get_attribute("data-entity").unwrap().is_empty());
    }
    assert_eq!(api.text(), text);
    let paragraphs = root.query_selector_all(".sahifa-p").unwrap().length() as usize;
    assert_eq!(paragraphs, sahifa_core::paragraphs(&text).len());
}

#[wasm_bindgen_test]
async fn user_annotation_appears_and_undo_removes_it() {
    let root = container();
    let text = "قال الرئيس إيمانويل ماكرون في باريس 😀 أمس.".to_string();
    let store = Store::new(State::new(text.clone(), Vec::new()));
    yew::Renderer::<sahifa_widget::components::app::App>::with_root_and_props(
        root.clone(),
        sahifa_widget::components::app::AppProps {
            store: store.clone(),
            on_ready: None,
            storage_key: None,
            read_only: false,
        },
    )
    .render();
    settle().await;
    assert_eq!(select(&root, "mark[data-source=user]").len(), 0);
    // "باريس" after the emoji-free prefix; the emoji later must not shift code-point offsets.
    let start = text
        .chars()
        .collect::<Vec<_>>()
        .windows(5)
        .position(|w| w.iter().collect::<String>() == "باريس")
        .unwrap();
    assert!(store.dispatch(Action::Add {
        start,
        end: start + 5,
        label: "LOC".into(),
        note: None
    }));
    settle().await;
    let ms = select(&root, "mark[data-source=user]");
    assert_eq!(ms.len(), 1);
    assert_eq!(ms[0].text_content().unwrap(), "باريس");
    assert_eq!(ms[0].get_attribute("data-source").as_deref(), Some("user"));
    assert!(store.dispatch(Action::Undo));
    settle().await;
    assert_eq!(select(&root, "mark[data-source=user]").len(), 0);
}
