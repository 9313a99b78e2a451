//! What the widget (`src/`) and the first-highlight module (`paint/`) must do identically, in one place so
//! they cannot drift: read a host page's article from its DOM ([`article_of`]: blocks, heading levels,
//! HTML white space), and the stylesheet a shadow root holds ([`shadow_css`]). The module paints a news
//! page's article before the widget has loaded and the widget then adopts those marks; a different reading
//! of the same element (a block skipped, a space collapsed differently) would give another text, and the
//! widget would refuse the marks and extract again, or the page would move when it takes over.

mod article;
mod css;

pub use article::article_of;
pub use css::shadow_css;
