//! The selection picker's state: a selection (mouse, touch, or Shift+arrows then Shift release or Enter)
//! becomes a pending span, snapped to what the reader meant ([`sahifa_core::snap`]), until a label is
//! picked or the picker is cancelled.

use crate::selection::{self, Picked};
use crate::store::Store;
use sahifa_core::snap;
use yew::prelude::*;

/// A selection waiting for its label.
#[derive(Clone, PartialEq)]
pub struct Pending {
    pub raw: (usize, usize),
    pub snapped: Option<(usize, usize)>,
    pub use_raw: bool,
    pub rect: (f64, f64, f64, f64),
    /// The selection was cut at the end of its paragraph.
    pub clipped: bool,
}

impl Pending {
    /// The span the label will go on.
    pub fn range(&self) -> (usize, usize) {
        if self.use_raw {
            self.raw
        } else {
            self.snapped.unwrap_or(self.raw)
        }
    }
}

/// The pending selection and the callback that reads the page's selection into it.
#[hook]
pub fn use_picker(
    root: NodeRef,
    store: Store,
    read_only: bool,
) -> (UseStateHandle<Option<Pending>>, Callback<()>) {
    let pending = use_state(|| None::<Pending>);
    let check = {
        let pending = pending.clone();
        use_callback((root, store, read_only), move |_: (), (root, store, read_only)| {
            if *read_only {
                return;
            }
            let Some(el) = root.cast::<web_sys::Element>() else {
                return;
            };
            let session = store.get();
            let text = &session.article.text;
            if let Some(Picked {
                start,
                end,
                rect,
                clipped,
            }) = selection::current(&el, text)
            {
                let snapped = snap(text, start, end, true);
                let raw = snap(text, start, end, false).unwrap_or((start, end));
                pending.set(Some(Pending {
                    raw,
                    snapped,
                    use_raw: false,
                    rect,
                    clipped,
                }));
            }
        })
    };
    (pending, check)
}
