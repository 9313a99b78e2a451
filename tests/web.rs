//! Component tests in headless Chromium (wasm-bindgen-test): the article renders marks that honour the
//! DOM contract, and edits through the store re-render them.
#![cfg(target_arch = "wasm32")]

use sahifa_core::session::{Action, Session};
use sahifa_core::slice_chars;
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

/// The whole widget over `store`'s session, rendered into `root`.
fn render_app(root: &web_sys::Element, store: &Store) {
    yew::Renderer::<sahifa_widget::components::app::App>::with_root_and_props(
        root.clone(),
        sahifa_widget::components::app::AppProps {
            store: store.clone(),
            on_ready: None,
            storage_key: None,
            read_only: false,
            lang: Default::default(),
            lang_toggle: false,
            headings: Vec::new(),
        },
    )
    .render();
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
    let store = Store::new(Session::new(text.clone(), Vec::new(), true));
    render_app(&root, &store);
    settle().await;
    assert_eq!(select(&root, "mark[data-source=user]").len(), 0);
    // "باريس" after the emoji-free prefix; the emoji later must not shift code-point offsets.
    let start = text
        .chars()
        .collect::<Vec<_>>()
        .windows(5)
        .position(|w| w.iter().collect::<String>() == "باريس")
        .unwrap();
    assert!(store
        .dispatch(Action::Add {
            start,
            end: start + 5,
            label: "LOC".into(),
            note: None
        })
        .is_ok());
    settle().await;
    let ms = select(&root, "mark[data-source=user]");
    assert_eq!(ms.len(), 1);
    assert_eq!(ms[0].text_content().unwrap(), "باريس");
    assert_eq!(ms[0].get_attribute("data-source").as_deref(), Some("user"));
    assert!(store.dispatch(Action::Undo).is_ok());
    settle().await;
    assert_eq!(select(&root, "mark[data-source=user]").len(), 0);
}

fn js(json: &str) -> wasm_bindgen::JsValue {
    js_sys::JSON::parse(json).unwrap()
}

fn word_span(text: &str, word: &str) -> (usize, usize) {
    let b = text.find(word).unwrap();
    let s = text[..b].chars().count();
    (s, s + word.chars().count())
}

#[wasm_bindgen_test]
async fn add_annotation_returns_its_own_id_even_when_a_change_listener_edits() {
    let root = container();
    let text = "كتب سامر مقالا عن مدينة حلب القديمة.".to_string();
    let api = sahifa_widget::mount_into(root.clone(), text.clone());
    settle().await;
    let (hs, he) = word_span(&text, "حلب");
    // A listener that adds a second annotation the first time it hears of a change.
    let api2 = api.clone();
    let once = std::cell::Cell::new(false);
    let listener = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
        if !once.replace(true) {
            api2.add_annotation(js(&format!("{{\"start\":{hs},\"end\":{he},\"type\":\"LOC\"}}")))
                .unwrap();
        }
    });
    api.on("change", listener.as_ref().unchecked_ref::<js_sys::Function>().clone())
        .unwrap();
    listener.forget();
    let (ss, se) = word_span(&text, "سامر");
    let id = api
        .add_annotation(js(&format!("{{\"start\":{ss},\"end\":{se},\"type\":\"PER\"}}")))
        .unwrap();
    let session = api.store().get();
    let a = session.find(&id).expect("the returned id names an annotation");
    assert_eq!((a.start, a.end, a.label.as_str()), (ss, se, "PER"));
    api.destroy();
}

#[wasm_bindgen_test]
async fn the_api_refuses_what_it_cannot_do_and_accepts_repeats_silently() {
    let root = container();
    let text = "قرأ سامر كتابا عن تاريخ مدينة حلب.".to_string();
    let api = sahifa_widget::mount_into(root.clone(), text.clone());
    settle().await;
    let (ss, se) = word_span(&text, "سامر");
    let id = api
        .add_annotation(js(&format!("{{\"start\":{ss},\"end\":{se},\"type\":\"PER\"}}")))
        .unwrap();
    let message = |r: Result<(), wasm_bindgen::JsError>| {
        let v: wasm_bindgen::JsValue = r.expect_err("refused").into();
        v.dyn_into::<js_sys::Error>().unwrap().message().as_string().unwrap()
    };
    assert!(message(api.reject(&id)).contains("not a machine suggestion"));
    assert!(message(api.remove_annotation("nope")).contains("no annotation with id"));
    assert!(message(api.accept("nope")).contains("no annotation with id"));
    assert!(message(api.update_annotation("nope", js("{}"))).contains("no annotation with id"));
    // Already satisfied: no error, no change.
    let before = api.store().get();
    api.accept(&id).unwrap();
    api.update_annotation(&id, js("{\"type\": \"PER\"}")).unwrap();
    let again = api
        .add_annotation(js(&format!("{{\"start\":{ss},\"end\":{se},\"type\":\"PER\"}}")))
        .unwrap();
    assert_eq!(again, id, "adding what is there returns its id");
    assert!(std::rc::Rc::ptr_eq(&before, &api.store().get()));
    api.destroy();
}

#[wasm_bindgen_test]
async fn unreadable_saved_work_is_said_kept_aside_and_never_overwritten() {
    let text = "نص قصير عن زيارة الوزير إلى عمّان أمس.".to_string();
    let key = sahifa_widget::storage::storage_key(&text);
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.set_item(&key, "{\"schema\":1,\"annotations\":[{\"id\"").unwrap();
    let root = container();
    let api = sahifa_widget::mount_into(root.clone(), text.clone());
    settle().await;
    let banner = root
        .query_selector(".sahifa-unreadable[role=alert]")
        .unwrap()
        .expect("the widget says so");
    assert!(banner.text_content().unwrap().contains("تعذّرت قراءة العمل المحفوظ"));
    let aside = sahifa_widget::storage::aside_key(&key);
    assert_eq!(
        storage.get_item(&aside).unwrap().as_deref(),
        Some("{\"schema\":1,\"annotations\":[{\"id\"")
    );
    let (s, e) = word_span(&text, "عمّان");
    api.add_annotation(js(&format!("{{\"start\":{s},\"end\":{e},\"type\":\"LOC\"}}")))
        .unwrap();
    settle().await;
    assert!(storage.get_item(&key).unwrap().unwrap().contains("عمّان"), "new work is saved");
    assert_eq!(
        storage.get_item(&aside).unwrap().as_deref(),
        Some("{\"schema\":1,\"annotations\":[{\"id\""),
        "the unreadable entry is untouched"
    );
    api.destroy();
    storage.remove_item(&key).unwrap();
    storage.remove_item(&aside).unwrap();
}

#[wasm_bindgen_test]
async fn hostile_api_input_is_refused_with_a_reason_and_changes_nothing() {
    let root = container();
    let text = "وصل الوزير خالد إلى عمّان صباح اليوم.".to_string();
    let api = sahifa_widget::mount_into(root.clone(), text.clone());
    settle().await;
    let before = api.store().get();
    let fail = |spec: wasm_bindgen::JsValue| -> String {
        let e: wasm_bindgen::JsValue = api.add_annotation(spec).expect_err("refused").into();
        e.dyn_into::<js_sys::Error>().unwrap().message().as_string().unwrap()
    };
    // Lone surrogate in a note: JSON.parse keeps it as a lone UTF-16 unit.
    let lone = js(r#"{"start": 0, "end": 3, "type": "PER", "note": "\ud800x"}"#);
    assert!(fail(lone).contains("lone surrogate"));
    for (spec, why) in [
        (r#"{"start": -1, "end": 3, "type": "PER"}"#, "-1"),
        (r#"{"start": 0.5, "end": 3, "type": "PER"}"#, "0.5"),
        (r#"{"start": 0, "end": 99999, "type": "PER"}"#, "outside the article"),
        (r#"{"start": 3, "end": 3, "type": "PER"}"#, "empty or reversed"),
        (r#"{"start": 0, "end": 3, "type": "<script>"}"#, "unknown label"),
    ] {
        let m = fail(js(spec));
        assert!(m.contains(why), "{spec}: {m}");
    }
    let nan = js_sys::Object::new();
    js_sys::Reflect::set(&nan, &"start".into(), &f64::NAN.into()).unwrap();
    js_sys::Reflect::set(&nan, &"end".into(), &3.into()).unwrap();
    js_sys::Reflect::set(&nan, &"type".into(), &"PER".into()).unwrap();
    let m = fail(nan.into());
    assert!(m.contains("NaN"), "{m}");
    let e: wasm_bindgen::JsValue = api
        .import("jsonl", js_sys::JsString::from_char_code1(0xD800).into())
        .expect_err("refused")
        .into();
    assert!(e.dyn_into::<js_sys::Error>().unwrap().message().as_string().unwrap().contains("lone surrogate"));
    assert!(std::rc::Rc::ptr_eq(&before, &api.store().get()), "nothing changed");
    api.destroy();
}

/// Waits (up to 30 s) until `done()`; false if it never came.
async fn until(mut done: impl FnMut() -> bool) -> bool {
    for _ in 0..1500 {
        if done() {
            return true;
        }
        gloo_timers::future::TimeoutFuture::new(20).await;
    }
    done()
}

#[wasm_bindgen_test]
async fn a_long_article_appears_in_slices_and_a_change_everywhere_reaches_every_paragraph() {
    let root = container();
    // About 62,000 code points: longer than one slice of rendering and than one extraction group.
    let text = [sahifa_core::SEED_ARTICLE.trim(); 16].join("\n\n");
    let store = Store::new(Session::new(text.clone(), sahifa_core::extract(&text), true));
    let paragraphs = sahifa_core::paragraphs(&text).len();
    render_app(&root, &store);
    // A zero timeout queued now runs after the first render (a microtask) and before the next slice's.
    gloo_timers::future::TimeoutFuture::new(0).await;
    let shown = select(&root, ".sahifa-p").len();
    assert!(shown > 0 && shown < paragraphs, "{shown} of {paragraphs} paragraphs in the first slice");
    let locs = store.get().visible().filter(|a| a.label == "LOC").count();
    assert!(locs > 16);
    assert!(until(|| select(&root, ".sahifa-p").len() == paragraphs).await, "every paragraph comes");
    assert!(until(|| marks(&root).len() == store.get().visible().count()).await);
    // Hiding a type changes marks in every paragraph: all of them follow, slice by slice.
    assert!(store.dispatch(Action::ToggleType("LOC".into())).is_ok());
    assert!(until(|| select(&root, "mark[data-type=LOC]").is_empty()).await, "no LOC mark left");
    assert_eq!(marks(&root).len(), store.get().visible().count());
    // One edit touches one paragraph and shows at once (no slice to wait for).
    let chars: Vec<char> = text.chars().collect();
    let covered: Vec<bool> = {
        let mut c = vec![false; chars.len()];
        for a in store.get().annotations().iter() {
            c[a.start..a.end].iter_mut().for_each(|x| *x = true);
        }
        c
    };
    let last_para = *sahifa_core::paragraphs(&text).last().unwrap();
    let start = (last_para.start..last_para.end - 4)
        .find(|&i| (i == 0 || chars[i - 1] == ' ') && (i..i + 4).all(|j| chars[j].is_alphabetic() && !covered[j]))
        .expect("an unmarked word in the last paragraph");
    assert!(store
        .dispatch(Action::Add { start, end: start + 4, label: "PER".into(), note: None })
        .is_ok());
    settle().await;
    assert_eq!(select(&root, "mark[data-source=user]").len(), 1);
}
