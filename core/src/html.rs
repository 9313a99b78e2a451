//! An article as static HTML with its marks, the same elements the widget renders, so a page can be served
//! with its entities already marked, and the widget mounted on it adopts them (see [`crate::hydrate`]).
//!
//! Shape: `<article class="sahifa-article" lang="ar" dir="rtl" data-sahifa-rendered="1"
//! data-sahifa-text="crc32:…:LEN" data-sahifa-marks="N">` holding one `<p class="sahifa-p" data-offset>` a
//! paragraph ([`crate::document::paragraphs`]); the text between paragraphs (line breaks, indentation) is
//! kept between the `<p>` elements, so the article element's text content is the article text exactly. The
//! marker says which render format this is, which text it was made from (a CMS that edits the text after
//! rendering leaves a stale checksum, and the widget extracts again instead of trusting the marks) and how
//! many marks it holds (one stripped by a sanitiser is noticed). Marks follow the DOM contract
//! (`docs/API.md`): every shown mention's primary `<mark>` carries `data-type data-start data-end
//! data-source data-entity data-status data-id`, and what the session needs to be rebuilt exactly
//! (`data-canonical`, `data-confidence`, `data-note` when there are any), with the widget's classes
//! (`sahifa-mark t-TYPE src-SOURCE st-STATUS d-DEPTH`), `title` and `aria-label`; nesting and cutting of
//! crossing spans is [`crate::marks::nest`]'s, per paragraph, and later pieces of a cut span carry only
//! `data-piece-of`. Rejected suggestions are not shown, so they are not rendered. What the widget adds for
//! interaction (`role`, `tabindex`, handlers, the selection) and its bidi isolation of Latin runs are left
//! out. Pure: no DOM, tested natively.

use crate::annotation::{Annotation, EntityType, Status};
use crate::formats::status_str;
use crate::hydrate::{text_checksum, RENDER_VERSION};
use crate::document::paragraphs;
use crate::marks::{nest, MarkNode};
use crate::offsets::OffsetMap;
use std::fmt::Write;

/// The article `text` with `annotations` (code-point offsets into `text`, any order) as HTML.
/// Rejected suggestions are left out (the widget does not show them either).
pub fn render(text: &str, annotations: &[Annotation]) -> String {
    render_with_headings(text, annotations, &[])
}

/// [`render`], with the paragraphs that were headings in the page the text was read from (`levels`, one
/// entry a paragraph, as the widget's view takes them) shown as the widget shows them: `<p class="sahifa-p
/// sahifa-h sahifa-hN" role="heading" aria-level="N">`, so a view painted before the widget has the same
/// look and the page does not move when the widget takes over. Still a `<p>`, so the DOM contract and
/// older readers are unchanged; [`crate::hydrate::heading_level`] reads the level back. Any other number
/// of levels than of paragraphs is ignored (no heading rather than one on the wrong paragraph).
pub fn render_with_headings(text: &str, annotations: &[Annotation], levels: &[Option<u8>]) -> String {
    let shown: Vec<Annotation> = annotations
        .iter()
        .filter(|a| a.status != Status::Rejected)
        .cloned()
        .collect();
    let annotations = &shown[..];
    let map = OffsetMap::new(text);
    let spans: Vec<(usize, usize)> = annotations.iter().map(|a| (a.start, a.end)).collect();
    let byte = |cp: usize| map.cp_to_byte(cp).unwrap_or(text.len());
    let mut out = String::with_capacity(text.len() * 2 + annotations.len() * 256);
    let _ = write!(
        out,
        r#"<article class="sahifa-article" lang="ar" dir="rtl" data-sahifa-rendered="{RENDER_VERSION}" data-sahifa-text="{}" data-sahifa-marks="{}">"#,
        text_checksum(text),
        annotations.len()
    );
    let mut at = 0; // code point up to which the text is written
    let paragraphs = paragraphs(text);
    let levels = if levels.len() == paragraphs.len() { levels } else { &[] };
    for (i, p) in paragraphs.into_iter().enumerate() {
        escape_text(&text[byte(at)..byte(p.start)], &mut out);
        match levels.get(i).copied().flatten().map(|l| l.clamp(1, 6)) {
            Some(l) => {
                let _ = write!(
                    out,
                    r#"<p class="sahifa-p sahifa-h sahifa-h{l}" data-offset="{}" role="heading" aria-level="{l}">"#,
                    p.start
                );
            }
            None => {
                let _ = write!(out, r#"<p class="sahifa-p" data-offset="{}">"#, p.start);
            }
        }
        let r = Renderer {
            text,
            annotations,
            byte: &byte,
        };
        r.range(p.start, p.end, &nest(&spans, p.start, p.end), &mut out);
        out.push_str("</p>");
        at = p.end;
    }
    escape_text(&text[byte(at)..], &mut out);
    out.push_str("</article>\n");
    out
}

/// Deepest nesting with its own underline offset class (`.d-0` … `.d-6` in `sahifa.css`), as the widget's.
const MAX_DEPTH_CLASS: usize = 6;

struct Renderer<'a, F: Fn(usize) -> usize> {
    text: &'a str,
    annotations: &'a [Annotation],
    byte: &'a F,
}

impl<F: Fn(usize) -> usize> Renderer<'_, F> {
    fn range(&self, from: usize, to: usize, nodes: &[MarkNode], out: &mut String) {
        let mut at = from;
        for n in nodes {
            self.text(at, n.start, out);
            self.mark(n, out);
            at = n.end;
        }
        self.text(at, to, out);
    }

    fn text(&self, from: usize, to: usize, out: &mut String) {
        if from < to {
            escape_text(&self.text[(self.byte)(from)..(self.byte)(to)], out);
        }
    }

    fn mark(&self, n: &MarkNode, out: &mut String) {
        let a = &self.annotations[n.index];
        let known = a.label.parse::<EntityType>().ok();
        out.push_str(r#"<mark class="sahifa-mark t-"#);
        escape_attr(if known.is_some() { &a.label } else { "custom" }, out);
        let _ = write!(
            out,
            r#" src-{} st-{} d-{}""#,
            a.source.as_str(),
            if a.status == Status::Suggested { "suggested" } else { "accepted" },
            n.depth.min(MAX_DEPTH_CLASS)
        );
        if n.primary {
            let attr = |name: &str, value: &str, out: &mut String| {
                let _ = write!(out, r#" {name}=""#);
                escape_attr(value, out);
                out.push('"');
            };
            attr("data-type", &a.label, out);
            let _ = write!(out, r#" data-start="{}" data-end="{}""#, a.start, a.end);
            attr("data-source", a.source.as_str(), out);
            attr("data-entity", &a.entity, out);
            attr("data-status", status_str(a.status), out);
            attr("data-id", &a.id, out);
            if !a.canonical.is_empty() {
                attr("data-canonical", &a.canonical, out);
            }
            if let Some(c) = a.confidence {
                // Rust's shortest round-trip form: parsed back, it is the same f32.
                let _ = write!(out, r#" data-confidence="{c}""#);
            }
            if let Some(note) = &a.note {
                attr("data-note", note, out);
            }
            let type_name = known.map_or(a.label.as_str(), |t| t.arabic_name());
            attr("title", type_name, out);
            attr("aria-label", &format!("{type_name}: {}", a.text), out);
        } else {
            out.push_str(r#" data-piece-of=""#);
            escape_attr(&a.id, out);
            out.push('"');
        }
        out.push('>');
        self.range(n.start, n.end, &n.children, out);
        out.push_str("</mark>");
    }
}

/// Text content: `&`, `<`, `>` escaped.
pub fn escape_text(s: &str, out: &mut String) {
    escape(s, out, false)
}

/// A double-quoted attribute value: quotes escaped too.
pub fn escape_attr(s: &str, out: &mut String) {
    escape(s, out, true)
}

fn escape(s: &str, out: &mut String, quotes: bool) {
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' if quotes => "&quot;",
            b'\'' if quotes => "&#39;",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::offsets::slice_chars;

    /// A mark seen while walking the output: its attributes and the text content inside it.
    struct Seen {
        attrs: Vec<(String, String)>,
        text: String,
    }

    fn unescape(s: &str) -> String {
        s.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    }

    /// The attributes of a start tag's inside (`mark class="…" data-start="3"`), unescaped.
    pub(crate) fn attrs(tag: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut rest = tag;
        while let Some(eq) = rest.find("=\"") {
            let name = rest[..eq].rsplit(' ').next().unwrap().to_string();
            let after = &rest[eq + 2..];
            let close = after.find('"').unwrap();
            out.push((name, unescape(&after[..close])));
            rest = &after[close + 1..];
        }
        out
    }

    /// The text content of `html` and every `<mark>` with its own text content; panics on unbalanced tags.
    fn walk(html: &str) -> (String, Vec<Seen>) {
        let html = html
            .strip_suffix('\n')
            .expect("a final line break after the article");
        let (mut text, mut marks, mut open) = (
            String::new(),
            Vec::new(),
            Vec::<(String, usize, String)>::new(),
        );
        let mut rest = html;
        while !rest.is_empty() {
            if let Some(tag) = rest.strip_prefix('<') {
                let end = tag.find('>').expect("tag closes");
                let inner = &tag[..end];
                if let Some(name) = inner.strip_prefix('/') {
                    let (open_name, from, raw) = open.pop().expect("balanced");
                    assert_eq!(open_name, name);
                    if name == "mark" {
                        marks.push(Seen {
                            attrs: attrs(&raw),
                            text: text[from..].to_string(),
                        });
                    }
                } else {
                    let name = inner.split(' ').next().unwrap().to_string();
                    open.push((name, text.len(), inner.to_string()));
                }
                rest = &tag[end + 1..];
            } else {
                let end = rest.find('<').unwrap_or(rest.len());
                text.push_str(&unescape(&rest[..end]));
                rest = &rest[end..];
            }
        }
        assert!(open.is_empty(), "every element closes");
        (text, marks)
    }

    fn get<'a>(m: &'a Seen, name: &str) -> Option<&'a str> {
        m.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn seed_article_text_content_is_the_text_and_marks_slice_it() {
        let text = crate::SEED_ARTICLE;
        let anns = crate::extract(text);
        let html = render(text, &anns);
        assert!(html.starts_with(r#"<article class="sahifa-article" lang="ar" dir="rtl" data-sahifa-rendered="1""#));
        let (content, marks) = walk(&html);
        assert_eq!(content, text);
        let primary: Vec<&Seen> = marks
            .iter()
            .filter(|m| get(m, "data-start").is_some())
            .collect();
        assert_eq!(primary.len(), anns.len());
        for m in primary {
            let s: usize = get(m, "data-start").unwrap().parse().unwrap();
            let e: usize = get(m, "data-end").unwrap().parse().unwrap();
            assert_eq!(slice_chars(text, s, e).unwrap(), m.text);
            for a in ["data-type", "data-source", "data-entity"] {
                assert!(get(m, a).is_some_and(|v| !v.is_empty()), "{a}");
            }
            assert_eq!(get(m, "data-source"), Some("extractor"));
        }
    }

    #[test]
    fn text_and_attributes_are_escaped() {
        let text = "قال <b>\"أحمد\" & 'علي'</b>\n\nفقرة ثانية";
        let mut a = Annotation::user("u1", 8, 13, "x\"<y>", "أحمد\"");
        a.entity = "E&1".into();
        let html = render(text, &[a]);
        assert!(html.contains("&lt;b&gt;"), "{html}");
        assert!(html.contains(r#"data-type="x&quot;&lt;y&gt;""#), "{html}");
        assert!(html.contains(r#"data-entity="E&amp;1""#), "{html}");
        assert!(html.contains("t-custom src-user"), "{html}");
        let (content, marks) = walk(&html);
        assert_eq!(content, text);
        assert_eq!(marks[0].text, "أحمد\"");
        assert_eq!(html.matches("<p ").count(), 2);
    }

    #[test]
    fn heading_paragraphs_keep_their_level_and_the_text() {
        let text = "عنوان الخبر\n\nزار الرئيس باريس.";
        let html = render_with_headings(text, &[], &[Some(2), None]);
        assert!(
            html.contains(r#"<p class="sahifa-p sahifa-h sahifa-h2" data-offset="0" role="heading" aria-level="2">عنوان الخبر</p>"#),
            "{html}"
        );
        assert!(html.contains(r#"<p class="sahifa-p" data-offset="13">"#), "{html}");
        assert_eq!(walk(&html).0, text);
        // A count that does not match the paragraphs says nothing; no levels is the plain render.
        assert_eq!(render_with_headings(text, &[], &[Some(1)]), render(text, &[]));
        assert!(!render(text, &[]).contains("heading"));
    }

    #[test]
    fn crossing_spans_are_cut_and_pieces_point_back() {
        let text = "واحد اثنان ثلاثة أربعة";
        let a = Annotation::user("a", 0, 10, "PER", "واحد اثنان");
        let b = Annotation::user("b", 5, 16, "LOC", "اثنان ثلاثة");
        let html = render(text, &[a, b]);
        let (content, marks) = walk(&html);
        assert_eq!(content, text);
        let piece = marks
            .iter()
            .find(|m| get(m, "data-piece-of").is_some())
            .expect("a piece");
        assert_eq!(get(piece, "data-piece-of"), Some("b"));
        assert_eq!(piece.text, " ثلاثة");
        assert!(html.contains(" d-1\""), "{html}");
    }
}
