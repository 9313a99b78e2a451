//! Embedding in a host page: `mount(element, options)` from `sahifa.js` annotates a news page's article in
//! place. Options ([`options`]), the shadow root's stylesheet ([`css`]), mounting ([`mount`]) and the panic
//! notice ([`crash`]) each live in their own module; the DOM-to-article step is [`crate::dom_article`],
//! shared with opened `.html` files.

mod crash;
mod css;
mod mount;
mod options;

pub use crash::{install_panic_hook, report_panic, watch};
pub use css::shadow_css;
pub use mount::{mount_element, mount_in_shadow, shadow_css_js};
pub use options::{read_options, Options};
