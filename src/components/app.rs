//! The widget's root: subscribes to the [`Store`] and lays out toolbar, article and side panel.

use super::article::ArticleView;
use super::entity_list::EntityList;
use super::legend::Legend;
use crate::state::{Action, State};
use crate::store::Store;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AppProps {
    pub store: Store,
    /// Called once, after the first render has put the marks in the DOM.
    #[prop_or_default]
    pub on_ready: Option<Callback<()>>,
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let state = use_state(|| props.store.get());
    {
        let store = props.store.clone();
        let state = state.clone();
        use_effect_with(store, move |store| {
            let id = {
                let state = state.clone();
                store.subscribe(move |next: &Rc<State>, _| state.set(next.clone()))
            };
            // The store may have changed between the first render and this subscription.
            state.set(store.get());
            let store = store.clone();
            move || store.unsubscribe(id)
        });
    }
    {
        let on_ready = props.on_ready.clone();
        use_effect_with((), move |_| {
            if let Some(cb) = on_ready {
                cb.emit(());
            }
        });
    }
    let root = use_node_ref();
    let dispatch = {
        let store = props.store.clone();
        Callback::from(move |a: Action| {
            store.dispatch(a);
        })
    };
    let on_select = dispatch.reform(|id: String| Action::Select(Some(id)));
    let on_pick = {
        let root = root.clone();
        Callback::from(move |entity: String| flash_entity(&root, &entity))
    };
    let s: Rc<State> = (*state).clone();
    html! {
        <div class="sahifa" ref={root} lang="ar" dir="rtl">
            <div class="sahifa-main">
                <ArticleView state={s.clone()} {on_select} />
            </div>
            <aside class="sahifa-side" aria-label="لوحة الكيانات">
                <Legend state={s.clone()} dispatch={dispatch.clone()} />
                <EntityList state={s} {on_pick} />
            </aside>
        </div>
    }
}

/// Scrolls to an entity's first mention and flashes all of them; pure DOM feedback, not state.
fn flash_entity(root: &NodeRef, entity: &str) {
    let Some(root) = root.cast::<web_sys::Element>() else { return };
    let selector = format!("mark[data-entity=\"{}\"]", entity.replace('\\', "\\\\").replace('"', "\\\""));
    let Ok(list) = root.query_selector_all(&selector) else { return };
    for i in 0..list.length() {
        if let Some(el) = list.item(i).and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok()) {
            if i == 0 {
                let opts = web_sys::ScrollIntoViewOptions::new();
                opts.set_behavior(web_sys::ScrollBehavior::Smooth);
                opts.set_block(web_sys::ScrollLogicalPosition::Center);
                el.scroll_into_view_with_scroll_into_view_options(&opts);
                let _ = el.focus();
            }
            let cl = el.class_list();
            let _ = cl.remove_1("flash");
            let _ = el.offset_width(); // restart the animation
            let _ = cl.add_1("flash");
        }
    }
}
