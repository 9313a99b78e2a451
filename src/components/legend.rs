//! The legend: each type's colour, initial, name and live count; clicking one hides or shows that type.

use crate::colors::initial;
use crate::i18n::{label_name, Lang, Msg};
use sahifa_core::session::{Action, Session};
use sahifa_core::EntityType;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties)]
pub struct LegendProps {
    pub state: Rc<Session>,
    pub dispatch: Callback<Action>,
}

/// The same session (pointer equality): a derived comparison walks the article's text and the history.
impl PartialEq for LegendProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.state, &other.state) && self.dispatch == other.dispatch
    }
}

#[function_component(Legend)]
pub fn legend(props: &LegendProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or_default();
    // Every label, the user's own included, with its count.
    let items = props.state.label_counts().into_iter().map(|(l, n)| {
        let name = l.name.clone();
        let shown = !props.state.hidden.contains(&name);
        let known = name.parse::<EntityType>().ok();
        let onclick = {
            let name = name.clone();
            props.dispatch.reform(move |_| Action::ToggleType(name.clone()))
        };
        let swatch_class = match known {
            Some(t) => format!("t-{t}"),
            None => "t-custom".to_string(),
        };
        html! {
            <li>
                <button type="button" class={classes!("sahifa-legend-item", (!shown).then_some("off"))}
                    data-type={name.clone()} aria-pressed={shown.to_string()} {onclick}
                    title={if shown { Msg::HideType.text(lang) } else { Msg::ShowType.text(lang) }}>
                    <span class={classes!("swatch", swatch_class)} aria-hidden="true">
                        { known.map(|t| initial(t).to_string()).unwrap_or_else(|| name.chars().next().map(String::from).unwrap_or_default()) }
                    </span>
                    <span class="name">{ label_name(&name, lang) }</span>
                    <bdi class="code">{ name.clone() }</bdi>
                    <span class="count">{ n }</span>
                </button>
            </li>
        }
    });
    let (decided, open) = props.state.review_progress();
    html! {
        <section class="sahifa-legend" aria-label={Msg::LegendLabel.text(lang)}>
            <p class="sahifa-progress" data-decided={decided.to_string()} data-open={open.to_string()}>
                { Msg::ReviewProgress.fill(lang, &[&decided, &open]) }
            </p>
            <ul role="list">{ for items }</ul>
        </section>
    }
}
