//! Embedding in a host page: `mount(element, options)` from `sahifa.js` annotates a news page's article in
//! place. Options ([`options`]), mounting ([`mount`]) and the panic notice ([`crash`]) each live in their
//! own module; the shadow root's stylesheet and the DOM-to-article step ([`crate::dom_article`], shared with
//! opened `.html` files) are in the crate `sahifa-dom`, which the first-highlight module (`paint/`) uses too.

mod crash;
mod mount;
mod options;

pub use crash::{install_panic_hook, report_panic, watch};
pub use sahifa_dom::shadow_css;
pub use mount::{mount_element, mount_in_shadow, shadow_css_js};
pub use options::{read_options, Options};
