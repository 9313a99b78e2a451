//! The legend: each type's colour, initial, name and live count; clicking one hides or shows that type.

use crate::colors::initial;
use sahifa_core::session::{Action, Session};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LegendProps {
    pub state: Rc<Session>,
    pub dispatch: Callback<Action>,
}

#[function_component(Legend)]
pub fn legend(props: &LegendProps) -> Html {
    let items = props.state.type_counts().into_iter().map(|(t, n)| {
        let shown = !props.state.hidden.contains(t.as_str());
        let onclick = props.dispatch.reform(move |_| Action::ToggleType(t.as_str().to_string()));
        html! {
            <li>
                <button type="button" class={classes!("sahifa-legend-item", (!shown).then_some("off"))}
                    data-type={t.as_str()} aria-pressed={shown.to_string()} {onclick}
                    title={if shown { "إخفاء هذا النوع" } else { "إظهار هذا النوع" }}>
                    <span class={classes!("swatch", format!("t-{t}"))} aria-hidden="true">{ initial(t) }</span>
                    <span class="name">{ t.arabic_name() }</span>
                    <bdi class="code">{ t.as_str() }</bdi>
                    <span class="count">{ n }</span>
                </button>
            </li>
        }
    });
    html! {
        <section class="sahifa-legend" aria-label="دليل الأنواع">
            <ul role="list">{ for items }</ul>
        </section>
    }
}
