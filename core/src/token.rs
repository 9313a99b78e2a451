//! The token type, below both the tokenizer and the name lists.
//!
//! Why its own module: the tokenizer asks the lists whether a stem is a known word before splitting a
//! proclitic off it, and the lists walk tokens to find multi-word names. With the type here, both depend on
//! it and the dependency between them points one way (tokenize → gazetteer → token).

/// Coarse class of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Arabic-script word.
    Word,
    /// Digits in any of the three scripts, with inner separators (1,000 · 3.5 · ٣٫٥).
    Number,
    /// One punctuation mark.
    Punct,
    /// A word in another alphabetic script (Latin, Cyrillic…).
    Latin,
    /// Anything else: symbols, emoji, stray marks.
    Other,
}

/// One token of the text. Offsets are code points into the original text, `end` exclusive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    /// The token's original text, proclitics included.
    pub text: String,
    pub kind: TokenKind,
    /// Code point where the word proper begins, after the proclitics (equal to `start` when there are none).
    pub stem_start: usize,
    /// Normalised key of the stem. For ل + ال written لل the key is spelled with the article (للأمم → الامم).
    pub key: String,
}

impl Token {
    /// True when the token carries proclitics.
    pub fn has_proclitic(&self) -> bool {
        self.stem_start > self.start
    }

    /// The key without a leading article ال (the key itself when there is none).
    pub fn key_without_article(&self) -> &str {
        match self.key.strip_prefix("ال") {
            Some(rest) if rest.chars().count() >= 2 => rest,
            _ => &self.key,
        }
    }

    /// The stem's original text (the token text after the proclitics).
    pub fn stem_text(&self) -> &str {
        let skip = self.stem_start - self.start;
        match self.text.char_indices().nth(skip) {
            Some((b, _)) => &self.text[b..],
            None => "",
        }
    }

    pub fn is_punct(&self, marks: &str) -> bool {
        self.kind == TokenKind::Punct && marks.contains(self.text.as_str())
    }
}
