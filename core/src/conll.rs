//! Reading CoNLL-style token files, the format ANERcorp and `sahifa tag`/`eval` speak.
//!
//! Why its own module: the tagger's training, the `tag` and `eval` commands and the tests all need the same
//! forgiving reader. Real files are messy: ANERcorp has no blank lines between sentences (they end with a
//! `.` token), a few lines have an empty token or three fields, and some inputs separate columns with tabs.
//! The reader accepts all of these, converts IOB to IOB2, and keeps the input's own tag names (ANERcorp's
//! `PERS` stays `PERS`) so that output can be compared with the input line by line.
//!
//! Two rules live in one place each so that files and running text agree: what a BIO tag is ([`Bio`], also
//! read by the CoNLL import format and the tagger) and where a sentence ends ([`is_sentence_end`], the
//! tokenizer's rule).

use std::borrow::Cow;

/// Longest sentence handed to the tagger; longer runs without a sentence end are cut here so that inputs
/// without any breaks still decode in bounded time per sentence.
pub const MAX_SENTENCE_LEN: usize = 150;

/// One sentence: its words and, when the input had a gold column, their IOB2 tags (input type names kept).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sentence {
    pub words: Vec<String>,
    /// Same length as `words` when the document has gold tags, empty otherwise.
    pub tags: Vec<String>,
}

/// A whole file split into sentences.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    pub sentences: Vec<Sentence>,
    /// True when the input carried a tag column (the majority of its non-blank lines had two fields or more).
    pub has_gold: bool,
}

impl Document {
    pub fn token_count(&self) -> usize {
        self.sentences.iter().map(|s| s.words.len()).sum()
    }
}

/// One BIO tag as written: `O`, or the beginning or inside of an entity of the named type (the name as the
/// input spells it: ANERcorp's `PERS` stays `PERS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bio<'a> {
    O,
    B(&'a str),
    I(&'a str),
}

impl<'a> Bio<'a> {
    /// The one BIO reader of the crate (this reader, the CoNLL import format and the tagger's
    /// [`crate::tagger::Tag::parse`] all call it, so they cannot disagree on what a tag is): `O`, `B-X` or
    /// `I-X` with a non-empty `X`; anything else (`B-`, `b-PER`, `PER`) is not a tag.
    pub fn parse(s: &'a str) -> Option<Bio<'a>> {
        if s == "O" {
            return Some(Bio::O);
        }
        let (bi, ty) = s.split_once('-')?;
        if ty.is_empty() {
            return None;
        }
        match bi {
            "B" => Some(Bio::B(ty)),
            "I" => Some(Bio::I(ty)),
            _ => None,
        }
    }

    /// The entity type named, `None` for `O`.
    pub fn entity_type(self) -> Option<&'a str> {
        match self {
            Bio::O => None,
            Bio::B(t) | Bio::I(t) => Some(t),
        }
    }
}

/// Does this field look like a CoNLL tag (`O`, `B-X`, `I-X`)?
pub fn is_tag(s: &str) -> bool {
    Bio::parse(s).is_some()
}

/// Tokens after which a sentence ends: `.` `!` `?` `؟` `…` `۔`, and `...` as one token (CoNLL files write it
/// so). One rule for CoNLL files and running text: [`crate::sentences`] applies it too, reading a run of
/// marks (the tokenizer's three `.`) as one end.
pub fn is_sentence_end(word: &str) -> bool {
    crate::tokenize::is_sentence_end(word)
}

/// Reads a CoNLL-style text: one `token` or `token tag` (extra middle columns ignored, the tag is the last
/// field) a line; a blank line ends a sentence; so do `.`-like tokens and [`MAX_SENTENCE_LEN`].
///
/// Noisy lines: a line whose token is empty (` O`) carries no word and is skipped; a lone field in a file
/// with gold tags is a word whose tag is missing, read as `O`; a field that is not a tag in last position
/// of a gold file makes the whole line one word tagged `O`. Tags are converted to IOB2.
pub fn read(text: &str) -> Document {
    let doc = read_borrowed(text);
    let owned = |v: Vec<Cow<str>>| v.into_iter().map(Cow::into_owned).collect();
    Document {
        sentences: doc
            .sentences
            .into_iter()
            .map(|s| Sentence {
                words: owned(s.words),
                tags: owned(s.tags),
            })
            .collect(),
        has_gold: doc.has_gold,
    }
}

/// A [`Sentence`] whose words and tags borrow from the text read where they can.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SentenceRef<'a> {
    pub words: Vec<Cow<'a, str>>,
    pub tags: Vec<Cow<'a, str>>,
}

/// A [`Document`] whose words and tags borrow from the text read where they can.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentRef<'a> {
    pub sentences: Vec<SentenceRef<'a>>,
    pub has_gold: bool,
}

impl DocumentRef<'_> {
    pub fn token_count(&self) -> usize {
        self.sentences.iter().map(|s| s.words.len()).sum()
    }
}

/// [`read`] without copying: a word or tag is copied only when the reader changes it (words of several
/// fields joined, tags made IOB2). Why: `sahifa tag` reads a whole corpus before tagging it on every
/// core, and a `String` a word and a tag was most of that serial start.
pub fn read_borrowed(text: &str) -> DocumentRef<'_> {
    let text = strip_bom(text);
    let has_gold = has_gold_column(column_counts(text));
    DocumentRef {
        sentences: read_sentences(text, has_gold),
        has_gold,
    }
}

/// The text without a leading byte-order mark.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// How many lines have two fields or more, and how many one. The counts of pieces cut at line ends add
/// up to the whole's (so they can be counted on every core).
pub fn column_counts(text: &str) -> (usize, usize) {
    let (mut multi, mut single) = (0usize, 0usize);
    for line in text.lines() {
        match line.split_whitespace().take(2).count() {
            0 => {}
            1 => single += 1,
            _ => multi += 1,
        }
    }
    (multi, single)
}

/// Whether a text with these [`column_counts`] has a gold column: decided once for the whole file, so that
/// one odd line cannot change the reading.
pub fn has_gold_column((multi, single): (usize, usize)) -> bool {
    multi > single
}

/// What the reader takes from one line.
enum Line<'a> {
    /// No field: ends the sentence.
    Blank,
    /// An empty token with its tag: nothing to tag.
    Skip,
    Word(Cow<'a, str>, &'a str),
}

/// Reads one line: its fields go through `fields` (a buffer reused from line to line).
fn read_line<'a>(line: &'a str, has_gold: bool, fields: &mut Vec<&'a str>) -> Line<'a> {
    fn joined<'a>(fields: &[&'a str]) -> Cow<'a, str> {
        match fields {
            [one] => Cow::Borrowed(*one),
            _ => Cow::Owned(fields.join(" ")),
        }
    }
    fields.clear();
    fields.extend(line.split_whitespace());
    if fields.is_empty() {
        return Line::Blank;
    }
    if !has_gold {
        Line::Word(joined(fields), "O")
    } else if fields.len() == 1 {
        let starts_blank = line.starts_with(|c: char| c.is_whitespace());
        if starts_blank && is_tag(fields[0]) {
            return Line::Skip;
        }
        Line::Word(Cow::Borrowed(fields[0]), "O")
    } else {
        let last = fields[fields.len() - 1];
        if is_tag(last) {
            Line::Word(Cow::Borrowed(fields[0]), last)
        } else {
            Line::Word(joined(fields), "O")
        }
    }
}

/// The sentences of `text` (without a byte-order mark) once the gold-column decision is made. A piece cut
/// at a [`sentence_cut`] gives exactly the sentences the whole text gives there.
pub fn read_sentences(text: &str, has_gold: bool) -> Vec<SentenceRef<'_>> {
    let mut sentences = Vec::new();
    let mut cur = SentenceRef::default();
    fn flush<'a>(cur: &mut SentenceRef<'a>, sentences: &mut Vec<SentenceRef<'a>>, has_gold: bool) {
        if !cur.words.is_empty() {
            if has_gold {
                iob2(&mut cur.tags, Cow::Owned);
            }
            sentences.push(std::mem::take(cur));
        }
    }
    let mut fields: Vec<&str> = Vec::new();
    for line in text.lines() {
        let (word, tag) = match read_line(line, has_gold, &mut fields) {
            Line::Blank => {
                flush(&mut cur, &mut sentences, has_gold);
                continue;
            }
            Line::Skip => continue,
            Line::Word(word, tag) => (word, tag),
        };
        let ends = is_sentence_end(&word);
        cur.words.push(word);
        if has_gold {
            cur.tags.push(Cow::Borrowed(tag));
        }
        if ends || cur.words.len() >= MAX_SENTENCE_LEN {
            flush(&mut cur, &mut sentences, has_gold);
        }
    }
    flush(&mut cur, &mut sentences, has_gold);
    sentences
}

/// A byte offset at or after `at` where `text` can be cut so that [`read_sentences`] of the two sides
/// gives the whole's sentences: the end of the first line after `at`'s that is blank or ends a sentence
/// (the reader has just closed a sentence there, whatever came before), or `text.len()`.
pub fn sentence_cut(text: &str, at: usize, has_gold: bool) -> usize {
    let bytes = text.as_bytes();
    let next_line = |from: usize| {
        bytes[from.min(bytes.len())..]
            .iter()
            .position(|&b| b == b'\n')
            .map(|i| from + i + 1)
    };
    let mut fields = Vec::new();
    let Some(mut pos) = next_line(at) else {
        return text.len();
    };
    while let Some(next) = next_line(pos) {
        let line = &text[pos..next - 1];
        let line = line.strip_suffix('\r').unwrap_or(line);
        match read_line(line, has_gold, &mut fields) {
            Line::Blank => return next,
            Line::Word(w, _) if is_sentence_end(&w) => return next,
            _ => pos = next,
        }
    }
    text.len()
}

/// Converts IOB (an `I-X` may start an entity) to IOB2 (every entity starts with `B-X`) in place.
pub fn to_iob2(tags: &mut [String]) {
    iob2(tags, |s| s)
}

/// [`to_iob2`] of tags of any string type, `make` turning a rewritten tag into one.
fn iob2<T: AsRef<str>>(tags: &mut [T], make: impl Fn(String) -> T) {
    let mut prev_type: Option<String> = None;
    for tag in tags.iter_mut() {
        if let Some(Bio::I(ty)) = Bio::parse(tag.as_ref()) {
            if prev_type.as_deref() != Some(ty) {
                *tag = make(format!("B-{ty}"));
            }
        }
        prev_type = tag_type(tag.as_ref()).map(str::to_string);
    }
}

/// The type part of a tag (`B-PERS` → `PERS`), `None` for `O` or anything that is not a tag.
pub fn tag_type(tag: &str) -> Option<&str> {
    Bio::parse(tag).and_then(Bio::entity_type)
}

/// Entity spans `(start, end_exclusive, type)` in token indices from IOB2 (or IOB) tags.
pub fn spans(tags: &[impl AsRef<str>]) -> Vec<(usize, usize, String)> {
    let mut out: Vec<(usize, usize, String)> = Vec::new();
    let mut open: Option<(usize, &str)> = None;
    for (i, t) in tags.iter().enumerate() {
        let t = t.as_ref();
        let (begin, ty) = match Bio::parse(t) {
            Some(Bio::B(ty)) => (true, Some(ty)),
            Some(Bio::I(ty)) => (false, Some(ty)),
            Some(Bio::O) | None => (false, None),
        };
        let continues = matches!((open, ty), (Some((_, o)), Some(ty)) if !begin && o == ty);
        if !continues {
            if let Some((s, o)) = open.take() {
                out.push((s, i, o.to_string()));
            }
            if let Some(ty) = ty {
                open = Some((i, ty));
            }
        }
    }
    if let Some((s, o)) = open {
        out.push((s, tags.len(), o.to_string()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_anercorp_style_without_blank_lines() {
        let d = read("أعلن O\nاتحاد B-ORG\nصناعة I-ORG\n. O\nبرند I-PERS\nفي O\n");
        assert!(d.has_gold);
        assert_eq!(d.sentences.len(), 2);
        assert_eq!(d.sentences[0].tags, ["O", "B-ORG", "I-ORG", "O"]);
        // IOB → IOB2: an I- after O starts an entity.
        assert_eq!(d.sentences[1].tags, ["B-PERS", "O"]);
    }

    #[test]
    fn tolerates_noisy_lines() {
        let text = "a\tB-LOC\n O\nb x I-LOC\n\n\nc O\nلا\n  \n";
        let d = read(text);
        assert_eq!(d.sentences.len(), 2);
        assert_eq!(d.sentences[0].words, ["a", "b"]);
        assert_eq!(d.sentences[0].tags, ["B-LOC", "I-LOC"]);
        assert_eq!(d.sentences[1].words, ["c", "لا"]);
        assert_eq!(d.sentences[1].tags, ["O", "O"]);
    }

    #[test]
    fn words_only_and_length_cap() {
        let text: String = (0..400).map(|i| format!("w{i}\n")).collect();
        let d = read(&text);
        assert!(!d.has_gold);
        assert_eq!(d.sentences.len(), 3);
        assert!(d
            .sentences
            .iter()
            .all(|s| s.words.len() <= MAX_SENTENCE_LEN && s.tags.is_empty()));
        assert_eq!(d.token_count(), 400);
    }

    #[test]
    fn one_bio_reader_for_every_caller() {
        assert_eq!(Bio::parse("B-PERS"), Some(Bio::B("PERS")));
        assert_eq!(Bio::parse("I-ORG"), Some(Bio::I("ORG")));
        assert_eq!(Bio::parse("O"), Some(Bio::O));
        for not_a_tag in ["B-", "I-", "b-PER", "PER", "", "X-PER", "O-PER"] {
            assert_eq!(Bio::parse(not_a_tag), None, "{not_a_tag:?}");
            assert!(!is_tag(not_a_tag));
        }
        // `B-` with no type used to open a span of type "" here while the reader called it no tag.
        assert_eq!(spans(&["B-", "I-", "O"]), vec![]);
        assert_eq!(tag_type("I-"), None);
    }

    #[test]
    fn an_ellipsis_ends_one_sentence_in_files_and_text_alike() {
        // A CoNLL file with `...` as one token and running text where the tokenizer sees three `.`.
        let d = read("قال\n...\nثم\nغادر\n");
        assert_eq!(d.sentences.len(), 2);
        let text = "قال... ثم غادر";
        let toks = crate::tokenize::tokenize(text);
        assert_eq!(crate::tokenize::sentences(text, &toks).len(), 2);
    }

    #[test]
    fn borrowed_reading_copies_only_what_it_changes() {
        let text = "قال O\nكوفي I-PERS\nأنان I-PERS\nنيو يورك\n. O\n";
        let d = read_borrowed(text);
        let s = &d.sentences[0];
        assert!(d.has_gold);
        assert!(matches!(s.words[1], Cow::Borrowed("كوفي")));
        assert!(matches!(s.tags[2], Cow::Borrowed("I-PERS")));
        // An I- that starts an entity becomes B-; a line of two fields without a tag is one word.
        assert!(matches!(&s.tags[1], Cow::Owned(t) if t == "B-PERS"));
        assert!(matches!(&s.words[3], Cow::Owned(w) if w == "نيو يورك"));
        let owned = read(text);
        assert_eq!(owned.sentences[0].words, s.words);
        assert_eq!(owned.sentences[0].tags, s.tags);
    }

    #[test]
    fn pieces_cut_where_a_sentence_ends_read_as_the_whole() {
        // A run longer than the sentence cap first, then sentences ended by `.` or blank lines.
        let mut text = "كلمة O\n".repeat(MAX_SENTENCE_LEN + 40);
        for i in 0..60 {
            text.push_str(&format!("كلمة{i} I-LOC\nو O\n"));
            match i % 9 {
                0 => text.push_str(". O\n"),
                4 => text.push('\n'),
                7 => text.push_str(" B-ORG\nنيو يورك\n"),
                _ => {}
            }
        }
        for has_gold in [true, false] {
            let whole = read_sentences(&text, has_gold);
            for at in 0..text.len() {
                let cut = sentence_cut(&text, at, has_gold);
                assert!(cut >= at && text.is_char_boundary(cut));
                let mut parts = read_sentences(&text[..cut], has_gold);
                parts.extend(read_sentences(&text[cut..], has_gold));
                assert_eq!(parts, whole, "cut at {cut}");
            }
        }
    }

    #[test]
    fn spans_from_tags() {
        let t = ["B-PERS", "I-PERS", "O", "I-LOC", "B-LOC", "I-ORG"];
        assert_eq!(
            spans(&t),
            vec![
                (0, 2, "PERS".to_string()),
                (3, 4, "LOC".to_string()),
                (4, 5, "LOC".to_string()),
                (5, 6, "ORG".to_string())
            ]
        );
    }
}
