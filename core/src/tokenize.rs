//! Tokens with code-point offsets, and the proclitics split off their words.
//!
//! Arabic writes the conjunctions و ف, the prepositions ب ل ك and the article ال attached to the next word,
//! while the guidelines want entity spans to begin after the proclitics (ويريفان → يريفان). Splitting
//! blindly on a leading و or ب breaks names that merely begin with those letters (بكين is Beijing), so a
//! proclitic is split off only when what remains is a known word or name, or is an article-led noun.
//! Every token keeps its original offsets; [`Token::stem_start`] marks where the word proper begins and
//! [`Token::key`] is the normalised key of that stem. The token type itself lives in [`crate::token`], below
//! the lists this module consults. Sentences ([`sentences`]) are cut here too, by the crate's one
//! sentence-end rule ([`is_sentence_end`]), which the CoNLL reader shares.

use crate::gazetteer;
use crate::normalize::{self, fold_char, push_key_chars, Fold};
use std::collections::HashMap;
use std::ops::Range;

pub use crate::token::{Token, TokenKind};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Space,
    Arabic,
    Mark,
    Digit,
    Alpha,
    Punct,
    Other,
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit()
        || ('\u{0660}'..='\u{0669}').contains(&c)
        || ('\u{06F0}'..='\u{06F9}').contains(&c)
}

fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            c,
            '،' | '؛'
                | '؟'
                | '٪'
                | '٫'
                | '٬'
                | '۔'
                | '«'
                | '»'
                | '“'
                | '”'
                | '„'
                | '‘'
                | '’'
                | '‹'
                | '›'
                | '…'
                | '–'
                | '—'
                | '‐'
                | '‑'
                | '‒'
                | '―'
                | '•'
                | '·'
                | '¡'
                | '¿'
                | '§'
                | '¶'
                | '⁄'
                | '〈'
                | '〉'
                | '【'
                | '】'
                | '「'
                | '」'
                | '『'
                | '』'
                | '﴾'
                | '﴿'
                | '٭'
                | '؍'
                | '؞'
                | '؉'
                | '؊'
        )
}

fn class(c: char) -> Class {
    if c.is_whitespace() || c == '\u{200B}' {
        Class::Space
    } else if normalize::is_arabic_mark(c) {
        Class::Mark
    } else if normalize::is_arabic_letter(c) {
        Class::Arabic
    } else if is_digit(c) {
        Class::Digit
    } else if is_punct(c) {
        Class::Punct
    } else if c.is_alphabetic() {
        Class::Alpha
    } else if matches!(c, '\u{200C}' | '\u{200D}') {
        Class::Mark
    } else {
        Class::Other
    }
}

/// Splits `text` into tokens (see the module doc).
pub fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::with_capacity(chars.len() / 5 + 1);
    let n = chars.len();
    let mut seen: HashMap<String, (usize, String)> = HashMap::new();
    let mut i = 0;
    while i < n {
        let c = chars[i];
        let cl = class(c);
        let start = i;
        let kind = match cl {
            Class::Space => {
                i += 1;
                continue;
            }
            Class::Arabic | Class::Mark => {
                i += 1;
                while i < n && matches!(class(chars[i]), Class::Arabic | Class::Mark) {
                    i += 1;
                }
                if cl == Class::Mark && chars[start..i].iter().all(|&c| class(c) == Class::Mark) {
                    TokenKind::Other
                } else {
                    TokenKind::Word
                }
            }
            Class::Digit => {
                i += 1;
                loop {
                    while i < n && is_digit(chars[i]) {
                        i += 1;
                    }
                    // An inner separator followed by a digit continues the number.
                    if i + 1 < n
                        && matches!(chars[i], '.' | ',' | '٫' | '٬')
                        && is_digit(chars[i + 1])
                    {
                        i += 1;
                        continue;
                    }
                    break;
                }
                TokenKind::Number
            }
            Class::Alpha => {
                i += 1;
                while i < n && matches!(class(chars[i]), Class::Alpha) {
                    i += 1;
                }
                TokenKind::Latin
            }
            Class::Punct => {
                i += 1;
                TokenKind::Punct
            }
            Class::Other => {
                i += 1;
                TokenKind::Other
            }
        };
        let piece = &chars[start..i];
        let text: String = piece.iter().collect();
        let (stem_off, key) = if kind == TokenKind::Word {
            // News text repeats its words: split each distinct spelling once.
            match seen.get(&text) {
                Some(r) => r.clone(),
                None => {
                    let r = split_proclitics(piece);
                    seen.insert(text.clone(), r.clone());
                    r
                }
            }
        } else {
            (0, key_of(piece))
        };
        tokens.push(Token {
            start,
            end: i,
            text,
            kind,
            stem_start: start + stem_off,
            key,
        });
    }
    tokens
}

fn key_of(chars: &[char]) -> String {
    let mut out = String::with_capacity(chars.len() * 2);
    push_key_chars(chars.iter().copied(), &mut out);
    out
}

/// Proclitic sequences tried, longest first.
const CLITICS: &[&str] = &["وب", "ول", "وك", "فب", "فل", "فك", "و", "ف", "ب", "ل", "ك"];

/// Returns (code points of proclitics, key of the stem) for one Arabic word.
fn split_proclitics(chars: &[char]) -> (usize, String) {
    let whole = key_of(chars);
    if gazetteer::is_known(&whole) {
        return (0, whole);
    }
    // Key chars and, for each, the char index in `chars` it came from.
    let mut map = Vec::with_capacity(chars.len());
    for (i, &c) in chars.iter().enumerate() {
        match fold_char(c) {
            Fold::Drop => {}
            Fold::One(_) => map.push(i),
            Fold::Two(_, _) => {
                map.push(i);
                map.push(i);
            }
        }
    }
    let kc: Vec<char> = whole.chars().collect();
    let mut heuristic: Option<(usize, String)> = None;
    for cl in CLITICS {
        let cn = cl.chars().count();
        if kc.len() < cn + 2 || !kc.iter().zip(cl.chars()).all(|(a, b)| *a == b) {
            continue;
        }
        // Stem starts at the original char of key char `cn` (marks after the clitic stay with the clitic).
        let stem_at = map[cn];
        let rest: String = kc[cn..].iter().collect();
        let ends_with_lam = cl.ends_with('ل');
        // ل + ال written لل: the span starts after the first ل; the key gets its article back.
        if ends_with_lam && rest.starts_with('ل') && kc.len() >= cn + 3 {
            let with_article = format!("ا{rest}");
            if gazetteer::is_known(&with_article) || gazetteer::is_known_prefix(&with_article) {
                return (stem_at, with_article);
            }
            if heuristic.is_none() && kc.len() >= cn + 4 {
                heuristic = Some((stem_at, with_article));
            }
            continue;
        }
        if gazetteer::is_known(&rest) || gazetteer::is_known_prefix(&rest) {
            return (stem_at, rest);
        }
        // Article-led remainder: و/ف/ب/ك + ال + at least three letters.
        if heuristic.is_none()
            && !ends_with_lam
            && rest.starts_with("ال")
            && rest.chars().count() >= 5
        {
            heuristic = Some((stem_at, rest));
        }
    }
    match heuristic {
        Some(h) => h,
        None => (0, whole),
    }
}

/// Does a sentence end after this token? `.` `!` `?` `؟` `…` `۔`, and `...` as one token (CoNLL files write
/// it so; the tokenizer gives three `.`, which [`sentences`] reads as one end). The one rule for both
/// [`sentences`] and [`crate::conll::read`].
pub fn is_sentence_end(word: &str) -> bool {
    matches!(word, "." | "!" | "?" | "؟" | "…" | "..." | "۔")
}

/// Sentence boundaries: token index ranges split after a run of sentence-end marks (`...` and `?!` end one
/// sentence, not three or two; the marks are [`crate::conll::is_sentence_end`]'s) and at line breaks.
pub fn sentences(text: &str, tokens: &[Token]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    if tokens.is_empty() {
        return out;
    }
    // Code points of line breaks, to split where a gap between tokens holds one.
    let breaks: Vec<usize> = text
        .chars()
        .enumerate()
        .filter(|(_, c)| *c == '\n')
        .map(|(i, _)| i)
        .collect();
    let mut begin = 0;
    for (i, t) in tokens.iter().enumerate() {
        let is_end = |t: &Token| t.kind == TokenKind::Punct && is_sentence_end(&t.text);
        let end_here = is_end(t) && !tokens.get(i + 1).is_some_and(is_end);
        let next_gap_break = tokens.get(i + 1).is_some_and(|next| {
            let p = breaks.partition_point(|&b| b < t.end);
            p < breaks.len() && breaks[p] < next.start
        });
        if end_here || next_gap_break {
            out.push(begin..i + 1);
            begin = i + 1;
        }
    }
    if begin < tokens.len() {
        out.push(begin..tokens.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::offsets::slice_chars;

    fn stems(text: &str) -> Vec<String> {
        tokenize(text)
            .iter()
            .map(|t| t.stem_text().to_string())
            .collect()
    }

    #[test]
    fn offsets_match_text() {
        let text = "قال «بوتين»، في موسكو: 27 سبتمبر 😀 abc ٣٫٥";
        for t in tokenize(text) {
            assert_eq!(slice_chars(text, t.start, t.end), Some(t.text.as_str()));
        }
    }

    #[test]
    fn splits_punctuation_and_quotes() {
        let toks: Vec<String> = tokenize("و\"جمهورية ناغورني كاراباخ\"، أمس؟")
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(
            toks,
            [
                "و",
                "\"",
                "جمهورية",
                "ناغورني",
                "كاراباخ",
                "\"",
                "،",
                "أمس",
                "؟"
            ]
        );
    }

    #[test]
    fn proclitics_split_only_before_known_words() {
        assert_eq!(stems("ويريفان"), ["يريفان"]);
        assert_eq!(stems("لأذربيجان"), ["أذربيجان"]);
        assert_eq!(stems("بكين"), ["بكين"]);
        assert_eq!(stems("وأرمينيا"), ["أرمينيا"]);
        assert_eq!(stems("وزارة"), ["وزارة"]);
        assert_eq!(stems("والقوات"), ["القوات"]);
    }

    #[test]
    fn lam_lam_keeps_second_lam_and_article_key() {
        let t = &tokenize("للأمم")[0];
        assert_eq!(t.stem_text(), "لأمم");
        assert_eq!(t.key, "الامم");
    }

    #[test]
    fn numbers_in_all_scripts() {
        let toks = tokenize("26 و٣٧٦ و1,000.5");
        let nums: Vec<&str> = toks
            .iter()
            .filter(|t| t.kind == TokenKind::Number)
            .map(|t| t.text.as_str())
            .collect();
        assert_eq!(nums, ["26", "٣٧٦", "1,000.5"]);
    }

    #[test]
    fn sentence_split() {
        let text = "قال بوتين. ثم غادر\nوجاء ماكرون";
        let toks = tokenize(text);
        assert_eq!(sentences(text, &toks), vec![0..3, 3..5, 5..7]);
    }
}
