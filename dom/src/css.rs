//! The stylesheet inside each shadow root. Inherited properties (font, colour, letter-spacing…) cross a
//! shadow boundary, so the shadow's top element resets them with `all: initial` before the widget's own
//! rules; `@font-face` rules are dropped (Chrome ignores fonts declared in a shadow root, so `sahifa.js`
//! declares them once in the document) and `:root` variables move to the shadow's top element.

/// The widget's stylesheet, compiled in so a shadow root needs no request.
const WIDGET_CSS: &str = include_str!("../../www/sahifa.css");

/// Resets what the host page could pass down by inheritance, then the widget's own look.
const SHADOW_RESET: &str = r#"
:host { all: initial; display: block; }
.sahifa-shadow {
  all: initial;
  display: block;
  direction: rtl;
  unicode-bidi: isolate;
  text-align: start;
  font-family: "Sahifa Naskh", "Noto Naskh Arabic", "Amiri", "Noto Sans Arabic", "DejaVu Sans", serif;
  font-size: 16px;
  line-height: normal;
  color: var(--fg);
  background: var(--bg);
  --depth: 0;
}
.sahifa-shadow[dir="ltr"] { direction: ltr; }
.sahifa-shadow .sahifa-h { font-weight: 700; line-height: 1.6; }
.sahifa-crash {
  all: initial; display: block; direction: rtl; font: 1rem system-ui, sans-serif; padding: .6rem .9rem;
  background: #fff5f5; color: #a51111; border: 1px solid #e03131; border-radius: .35rem; margin: .5rem 0;
}
"#;

/// The stylesheet inside each shadow root: the reset, then `www/sahifa.css` with its `@font-face` rules
/// dropped (declared once in the document) and `:root` variables moved to the shadow's top element.
pub fn shadow_css() -> String {
    let mut css = String::with_capacity(WIDGET_CSS.len() + SHADOW_RESET.len());
    let mut rest = WIDGET_CSS;
    while let Some(i) = rest.find("@font-face") {
        css.push_str(&rest[..i]);
        let tail = &rest[i..];
        rest = &tail[tail.find('}').map_or(tail.len(), |j| j + 1)..];
    }
    css.push_str(rest);
    format!("{SHADOW_RESET}\n{}", css.replace(":root", ".sahifa-shadow"))
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shadow_css_has_no_font_face_and_no_root() {
        let css = shadow_css();
        assert!(!css.contains("@font-face"), "fonts are declared in the document");
        assert!(!css.contains(":root"), ":root matches nothing in a shadow root");
        assert!(css.contains(".sahifa-shadow {"), "variables moved to the shadow's top element");
        assert!(css.contains("all: initial"));
        assert!(css.contains(".sahifa-mark"), "the widget's own rules are kept");
    }
}
