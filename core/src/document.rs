//! Paragraphs of an article as code-point ranges, so the widget can render (and memoise) paragraph by
//! paragraph while every offset stays relative to the one article text.

/// A paragraph: `start..end` in code points of the article, excluding the blank lines between paragraphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paragraph {
    pub start: usize,
    pub end: usize,
}

/// Splits at line breaks; empty and whitespace-only lines separate paragraphs and belong to none.
/// Offsets count the text exactly as given (CRLF counts two code points).
pub fn paragraphs(text: &str) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut cp = 0;
    for line in text.split_inclusive('\n') {
        let n = line.chars().count();
        let body = line.trim_end_matches(['\n', '\r']);
        let lead = body.chars().take_while(|c| c.is_whitespace()).count();
        let body_len = body.chars().count();
        let trail = body.chars().rev().take_while(|c| c.is_whitespace()).count();
        if lead < body_len {
            out.push(Paragraph {
                start: cp + lead,
                end: cp + body_len - trail,
            });
        }
        cp += n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::offsets::slice_chars;

    #[test]
    fn keeps_paragraphs_and_exact_offsets() {
        let t = "أولى 😀 فقرة\n\n  ثانية\r\n\nثالثة 2020";
        let ps = paragraphs(t);
        let texts: Vec<_> = ps
            .iter()
            .map(|p| slice_chars(t, p.start, p.end).unwrap())
            .collect();
        assert_eq!(texts, ["أولى 😀 فقرة", "ثانية", "ثالثة 2020"]);
    }

    #[test]
    fn empty_and_blank_text_have_no_paragraphs() {
        assert!(paragraphs("").is_empty());
        assert!(paragraphs(" \n\n\t\n").is_empty());
    }
}
