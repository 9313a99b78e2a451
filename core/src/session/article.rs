//! The article a session annotates: its text (what every offset counts, in code points) and its
//! paragraphs, computed once and shared between versions of the session.

use crate::document::{paragraphs, Paragraph};
use crate::offsets::OffsetMap;

/// An article: text, paragraphs and an offset map, immutable once made.
#[derive(Debug)]
pub struct Article {
    pub text: String,
    pub paragraphs: Vec<Paragraph>,
    pub len_chars: usize,
    map: OffsetMap,
    /// Tokens and sentences for propagation, cut on the first review decision that needs them (or before,
    /// a slice at a time: [`Article::prepare_words`]).
    words: std::cell::OnceCell<super::propagate::Words>,
    /// The slices cut so far by [`Article::prepare_words`].
    cutting: std::cell::RefCell<Option<super::propagate::WordsBuilder>>,
}

impl PartialEq for Article {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Article {
    pub fn new(text: String) -> Self {
        let paragraphs = paragraphs(&text);
        let map = OffsetMap::new(&text);
        let len_chars = map.len_chars();
        Article {
            text,
            paragraphs,
            len_chars,
            map,
            words: std::cell::OnceCell::new(),
            cutting: std::cell::RefCell::default(),
        }
    }

    /// The text between code points `start` and `end` (O(log n)), or `None` when the range is invalid.
    pub fn slice(&self, start: usize, end: usize) -> Option<&str> {
        self.map.byte_range(start, end).map(|r| &self.text[r])
    }

    /// The paragraph holding code point `cp`, if any (blank lines between paragraphs belong to none).
    pub fn paragraph_at(&self, cp: usize) -> Option<&Paragraph> {
        let i = self.paragraphs.partition_point(|p| p.end <= cp);
        self.paragraphs.get(i).filter(|p| p.start <= cp)
    }

    /// Whether `start..end` lies inside one paragraph.
    pub fn within_one_paragraph(&self, start: usize, end: usize) -> bool {
        start < end
            && self
                .paragraph_at(start)
                .is_some_and(|p| end <= p.end)
    }

    /// The article's tokens and sentences (cut once, on first use).
    pub fn words(&self) -> &super::propagate::Words {
        self.words
            .get_or_init(|| super::propagate::Words::new(&self.text))
    }

    /// Whether the article's words are cut already (see [`Article::prepare_words`]).
    pub fn words_ready(&self) -> bool {
        self.words.get().is_some()
    }

    /// Cuts the article's words ahead of the first review decision that needs them, about `budget` code
    /// points of paragraphs a call (at least one paragraph), so a shell can do it in idle slices instead of
    /// inside an edit. Whether they are all cut (then [`Article::words`] costs nothing). The same words as
    /// cutting the whole text at once.
    pub fn prepare_words(&self, budget: usize) -> bool {
        if self.words.get().is_some() {
            return true;
        }
        let mut cutting = self.cutting.borrow_mut();
        let cut = cutting.get_or_insert_with(Default::default);
        let mut spent = 0;
        while let Some(p) = self.paragraphs.get(cut.paragraphs_done) {
            if spent > 0 && spent + (p.end - p.start) > budget {
                return false;
            }
            let text = self.slice(p.start, p.end).unwrap_or_default();
            cut.push(crate::tokenize::tokenize(text), p.start);
            cut.paragraphs_done += 1;
            spent += p.end - p.start;
        }
        let words = cutting.take().expect("being cut").finish(&self.text);
        let _ = self.words.set(words);
        true
    }

    /// The offset map of the text (code points ⇄ UTF-8 ⇄ UTF-16).
    pub fn offsets(&self) -> &OffsetMap {
        &self.map
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraph_membership() {
        let a = Article::new("أولى فقرة\n\nثانية".to_string());
        assert!(a.within_one_paragraph(0, 4));
        assert!(a.within_one_paragraph(11, 16));
        assert!(!a.within_one_paragraph(5, 13), "crosses the blank line");
        assert!(!a.within_one_paragraph(9, 11), "only the blank line");
        assert_eq!(a.slice(11, 16), Some("ثانية"));
        assert_eq!(a.slice(11, 99), None);
    }
}
