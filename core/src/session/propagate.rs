//! Propagation: what one review decision says about the other mentions of the same name.
//!
//! An annotator who marks موسكو as a place has said something about every موسكو in the article, and about
//! بموسكو and وموسكو too (the name behind a proclitic), and about a spelling variant the clusterer joins to
//! it. So after an add, an accept or a retype, the reducer asks [`labelled`] for the article's annotations
//! with the other mentions of that form — in sentences the annotator has not reviewed yet — suggested with
//! that label; after a reject, [`rejected`] drops the machine's other suggestions of that form and label
//! there, and [`unblocked`] keeps a later extraction from suggesting them again.
//!
//! Why pure functions over the annotation list, called by the reducer in the same step as the edit: undo
//! then takes the learned effect back with the edit (one history entry), and a rejected form needs no
//! blocklist of its own — the rejected suggestion stays in the work (hidden), so the block travels with
//! undo, redo, snapshots and merges for free. Matching reuses the tokenizer's proclitic split and keys
//! ([`crate::tokenize`]), skeletons ([`crate::normalize::skeleton`]) and the clusterer ([`crate::cluster`]).
//!
//! "Reviewed" is per sentence: a sentence holding a user's annotation or a reviewed (accepted, rejected)
//! suggestion is the annotator's, and propagation leaves it alone.

use super::article::Article;
use crate::annotation::{Annotation, EntityType, Source, Status};
use crate::normalize::{key, skeleton};
use crate::token::{Token, TokenKind};
use crate::tokenize::{sentences, tokenize};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::rc::Rc;

/// Proclitic chains a name may carry in running text (and, but, by/in, for/to, like).
const PROCLITICS: [&str; 11] = ["و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"];

/// The article's words, cut once per article (lazily, on the first review decision) and shared by every
/// version of the session.
#[derive(Debug)]
#[cfg_attr(test, derive(PartialEq))]
pub struct Words {
    pub(super) tokens: Vec<Token>,
    skeletons: Vec<String>,
    /// Sentence number of each token.
    sentence_of: Vec<usize>,
    /// Each sentence's code-point range (first token's start to last token's end).
    pub(super) sentences: Vec<Range<usize>>,
    /// Each sentence's token range.
    pub(super) sentence_tokens: Vec<Range<usize>>,
    /// Where a form's first word may begin: the tokens by key, by skeleton (words only), and by the key
    /// behind a proclitic chain the tokenizer left on (بموسكو under موسكو). A decision then looks at its
    /// form's few candidate tokens instead of scanning every token of a long article on the edit's path.
    by_key: HashMap<String, Vec<usize>>,
    by_skeleton: HashMap<String, Vec<usize>>,
    by_stem: HashMap<String, Vec<usize>>,
}

impl Words {
    pub fn new(text: &str) -> Words {
        let mut cut = WordsBuilder::default();
        cut.push(tokenize(text), 0);
        cut.finish(text)
    }

    /// The tokens where a form whose first word is `first` (skeleton `skel`) may begin, in text order: a
    /// superset of those [`Words::occurrences`] accepts, from the indexes.
    fn candidates(&self, first: &str, skel: &str) -> Vec<usize> {
        let mut out: Vec<usize> = [
            self.by_key.get(first),
            self.by_stem.get(first),
            self.by_skeleton.get(skel),
        ]
        .into_iter()
        .flatten()
        .flatten()
        .copied()
        .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The sentence holding code point `cp`, or the next one when `cp` falls between sentences.
    pub(super) fn sentence_at(&self, cp: usize) -> usize {
        self.sentences.partition_point(|s| s.end <= cp)
    }

    /// Sentences the annotator has reviewed: those holding a user's annotation or a reviewed suggestion.
    /// The end of the last reviewed sentence (0 when none): annotators read top-down, so the text before
    /// it has been read even where nothing needed an edit.
    pub(super) fn read_up_to(&self, reviewed: &HashSet<usize>) -> usize {
        reviewed
            .iter()
            .filter_map(|&n| self.sentences.get(n))
            .map(|r| r.end)
            .max()
            .unwrap_or(0)
    }

    pub(super) fn reviewed(&self, list: &[Rc<Annotation>]) -> HashSet<usize> {
        list.iter()
            .filter(|a| a.source == Source::User || a.status != Status::Suggested)
            .map(|a| self.sentence_at(a.start))
            .collect()
    }

    /// Every `start..end` in the text where the words of `form` occur (the first behind a proclitic or not),
    /// with whether each word matched exactly (false: only its skeleton did).
    fn occurrences(&self, form: &[String]) -> Vec<(Range<usize>, bool)> {
        let Some(first) = form.first() else {
            return Vec::new();
        };
        let skels: Vec<String> = form.iter().map(|k| skeleton(k)).collect();
        self.occurrences_among(form, &skels, self.candidates(first, &skels[0]))
    }

    /// [`Words::occurrences`] among the tokens `starts` (ascending): each is checked in full.
    fn occurrences_among(
        &self,
        form: &[String],
        skels: &[String],
        starts: impl IntoIterator<Item = usize>,
    ) -> Vec<(Range<usize>, bool)> {
        let first = &form[0];
        let mut out = Vec::new();
        for i in starts {
            let Some(last) = (i + form.len())
                .checked_sub(1)
                .filter(|&l| l < self.tokens.len())
            else {
                break;
            };
            if self.sentence_of[last] != self.sentence_of[i] {
                continue;
            }
            let t = &self.tokens[i];
            let (start, mut exact) = if t.key == *first {
                (t.stem_start, true)
            } else if let Some(s) = behind_proclitic(t, first) {
                (s, true)
            } else if t.kind == TokenKind::Word && self.skeletons[i] == skels[0] {
                (t.stem_start, false)
            } else {
                continue;
            };
            let rest_match = (1..form.len()).all(|j| {
                let same = self.tokens[i + j].key == form[j];
                exact &= same;
                same || self.skeletons[i + j] == skels[j]
            });
            if rest_match {
                out.push((start..self.tokens[last].end, exact));
            }
        }
        out
    }
}

/// The keys a word may hold behind a proclitic chain the tokenizer did not split: the key of what follows
/// each leading chain of one to three letters that is a proclitic (what [`behind_proclitic`] may find).
fn proclitic_stems(t: &Token) -> Vec<String> {
    let text = t.stem_text();
    text.char_indices()
        .skip(1)
        .take(3)
        .filter(|&(b, _)| PROCLITICS.contains(&key(&text[..b]).as_str()))
        .map(|(b, _)| key(&text[b..]))
        .collect()
}

/// [`Words`] cut a paragraph at a time, so a long article's can be made in slices between other work
/// (see [`super::Article::prepare_words`]): each token's skeleton and index entries as its paragraph comes,
/// the sentences (one pass over the text) at the end. The same words as [`Words::new`] on the whole text.
#[derive(Debug, Default)]
pub struct WordsBuilder {
    tokens: Vec<Token>,
    skeletons: Vec<String>,
    by_key: HashMap<String, Vec<usize>>,
    by_skeleton: HashMap<String, Vec<usize>>,
    by_stem: HashMap<String, Vec<usize>>,
    /// Paragraphs cut so far.
    pub(super) paragraphs_done: usize,
}

impl WordsBuilder {
    /// Adds `tokens` (cut from a slice of the text beginning at code point `offset`), after those so far.
    pub(super) fn push(&mut self, tokens: Vec<Token>, offset: usize) {
        for mut t in tokens {
            t.start += offset;
            t.end += offset;
            t.stem_start += offset;
            let i = self.tokens.len();
            let skel = skeleton(&t.key);
            self.by_key.entry(t.key.clone()).or_default().push(i);
            if t.kind == TokenKind::Word {
                self.by_skeleton.entry(skel.clone()).or_default().push(i);
                for stem in proclitic_stems(&t) {
                    let at = self.by_stem.entry(stem).or_default();
                    if at.last() != Some(&i) {
                        at.push(i);
                    }
                }
            }
            self.skeletons.push(skel);
            self.tokens.push(t);
        }
    }

    /// The words of `text`, whose tokens have all been pushed.
    pub(super) fn finish(self, text: &str) -> Words {
        let tokens = self.tokens;
        let cut = sentences(text, &tokens);
        let mut sentence_of = vec![0; tokens.len()];
        let mut spans = Vec::with_capacity(cut.len());
        for (n, r) in cut.iter().enumerate() {
            sentence_of[r.clone()].fill(n);
            spans.push(tokens[r.start].start..tokens[r.end - 1].end);
        }
        Words {
            tokens,
            skeletons: self.skeletons,
            sentence_of,
            sentences: spans,
            sentence_tokens: cut,
            by_key: self.by_key,
            by_skeleton: self.by_skeleton,
            by_stem: self.by_stem,
        }
    }
}

/// Where the name `stem_key` begins inside `t` when `t` is that name behind a proclitic chain the
/// tokenizer did not split (an unknown name: بموسكو when موسكو is in no list).
fn behind_proclitic(t: &Token, stem_key: &str) -> Option<usize> {
    if t.kind != TokenKind::Word || !t.key.ends_with(stem_key) || t.key.len() == stem_key.len() {
        return None;
    }
    let text = t.stem_text();
    text.char_indices().skip(1).take(3).find_map(|(b, _)| {
        let (head, tail) = text.split_at(b);
        (PROCLITICS.contains(&key(head).as_str()) && key(tail) == stem_key)
            .then(|| t.stem_start + head.chars().count())
    })
}

/// The words of a mention as keys (proclitics off the first), or nothing when it is too short to be
/// worth propagating (a single letter).
pub fn form(text: &str) -> Vec<String> {
    let words: Vec<String> = tokenize(text).into_iter().map(|t| t.key).collect();
    let letters: usize = words.iter().map(|k| k.chars().count()).sum();
    if letters < 2 {
        Vec::new()
    } else {
        words
    }
}

/// What propagation did to the other mentions, for the shell's `learned` event.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Propagation {
    /// Mentions that got a new suggestion.
    pub suggested: usize,
    /// Suggestions whose label changed to the annotator's.
    pub retyped: usize,
    /// Suggestions dropped (a rejected form, or shorter ones a longer propagated name replaced).
    pub dropped: usize,
}

impl Propagation {
    pub fn is_empty(&self) -> bool {
        *self == Propagation::default()
    }
}

/// An unreviewed machine suggestion: the only kind propagation may change.
pub(super) fn unreviewed(a: &Annotation) -> bool {
    a.source == Source::Extractor && a.status == Status::Suggested
}

/// `list` after the annotator gave `decided` its label: the other mentions of its form in unreviewed
/// sentences suggested with that label, in the same entity. A mention already suggested with that label
/// stays; one suggested with another label over the same span is retyped; shorter suggestions inside it
/// give way; a mention that touches anything reviewed, or sits inside or across a longer suggestion, is
/// left alone.
pub fn labelled(
    article: &Article,
    list: &[Rc<Annotation>],
    decided: &Annotation,
) -> (Vec<Rc<Annotation>>, Propagation) {
    let mut report = Propagation::default();
    let form = form(&decided.text);
    if form.is_empty() {
        return (list.to_vec(), report);
    }
    let words = article.words();
    let reviewed = words.reviewed(list);
    let mut next_id = highest_propagated_id(list) + 1;
    let mut out: Vec<Rc<Annotation>> = list.to_vec();
    let mut added = Vec::new();
    // Whether a mention's spelling is a variant of the decided one, asked once per spelling.
    let mut variants: HashMap<&str, bool> = HashMap::new();
    for (span, exact) in words.occurrences(&form) {
        let (s, e) = (span.start, span.end);
        if s < decided.end && decided.start < e || reviewed.contains(&words.sentence_at(s)) {
            continue;
        }
        let Some(text) = article.slice(s, e) else {
            continue;
        };
        if !exact
            && !*variants
                .entry(text)
                .or_insert_with(|| variant(&decided.label, &decided.text, text))
        {
            continue;
        }
        let overlapping: Vec<usize> = (0..out.len())
            .filter(|&i| out[i].start < e && s < out[i].end)
            .collect();
        if overlapping.iter().any(|&i| !unreviewed(&out[i])) {
            continue;
        }
        if let Some(&i) = overlapping
            .iter()
            .find(|&&i| out[i].start == s && out[i].end == e)
        {
            if out[i].label != decided.label {
                // Same id: a caller holding it still reaches the suggestion, now with the new label.
                let a = Rc::make_mut(&mut out[i]);
                a.label = decided.label.clone();
                a.entity = decided.entity.clone();
                a.canonical = decided.canonical.clone();
                report.retyped += 1;
            }
            continue;
        }
        // A suggestion that took the proclitic into the name (بكريمزون) is this mention, mis-cut.
        let proclitic_led = |a: &Annotation| {
            a.end == e
                && a.start < s
                && article
                    .slice(a.start, s)
                    .is_some_and(|p| PROCLITICS.contains(&key(p).as_str()))
        };
        if overlapping
            .iter()
            .any(|&i| (out[i].start < s || out[i].end > e) && !proclitic_led(&out[i]))
        {
            continue;
        }
        report.dropped += overlapping.len();
        let mut gone = overlapping.into_iter().peekable();
        let mut index = 0;
        out.retain(|_| {
            let keep = gone.next_if_eq(&index).is_none();
            index += 1;
            keep
        });
        added.push(Rc::new(Annotation {
            id: format!("p{next_id}"),
            start: s,
            end: e,
            label: decided.label.clone(),
            text: text.to_string(),
            entity: decided.entity.clone(),
            canonical: decided.canonical.clone(),
            source: Source::Extractor,
            status: Status::Suggested,
            note: None,
            confidence: None,
        }));
        next_id += 1;
        report.suggested += 1;
        // A new suggestion is itself unreviewed, so later occurrences may still replace or skip it.
        out.push(added.last().expect("just pushed").clone());
    }
    (out, report)
}

/// Whether `text` is a spelling variant of `of` for the clusterer (same entity when both carry `label`).
fn variant(label: &str, of: &str, text: &str) -> bool {
    let Ok(ty) = label.parse::<EntityType>() else {
        return false;
    };
    let ids = crate::cluster::cluster(&[(ty, of), (ty, text)]);
    ids[0].0 == ids[1].0
}

/// `list` after the annotator rejected `rejected`: the machine's other unreviewed suggestions of the same
/// form and label, in unreviewed sentences, dropped.
pub fn rejected(
    article: &Article,
    list: &[Rc<Annotation>],
    rejected: &Annotation,
) -> (Vec<Rc<Annotation>>, Propagation) {
    let form = form(&rejected.text);
    let mut report = Propagation::default();
    if form.is_empty() {
        return (list.to_vec(), report);
    }
    let words = article.words();
    let reviewed = words.reviewed(list);
    let out: Vec<Rc<Annotation>> = list
        .iter()
        .filter(|a| {
            let drop = a.id != rejected.id
                && unreviewed(a)
                && a.label == rejected.label
                && !reviewed.contains(&words.sentence_at(a.start))
                && self::form(&a.text) == form;
            report.dropped += usize::from(drop);
            !drop
        })
        .cloned()
        .collect();
    (out, report)
}

/// The forms and labels the annotator gave in `list`: their own annotations and accepted suggestions.
pub fn taught(list: &[Rc<Annotation>]) -> HashSet<(Vec<String>, String)> {
    decisions(list)
        .map(|a| (form(&a.text), a.label.clone()))
        .collect()
}

/// The annotator's own annotations and accepted suggestions.
fn decisions(list: &[Rc<Annotation>]) -> impl Iterator<Item = &Rc<Annotation>> {
    list.iter()
        .filter(|a| a.source == Source::User || a.status == Status::Accepted)
}

/// The forms and labels the annotator rejected in `list`, as far as a rejection says the form is not of
/// that label: not one that was only cut wrong (a decision of the annotator overlaps it with another
/// span: لبنان rejected inside جبل لبنان, كابيلا inside جوزيف كابيلا), and not a form the annotator gave
/// that label elsewhere (what they labelled outweighs what they turned down).
pub fn blocked(list: &[Rc<Annotation>]) -> HashSet<(Vec<String>, String)> {
    let decided: Vec<&Rc<Annotation>> = decisions(list).collect();
    let taught = taught(list);
    list.iter()
        .filter(|r| r.status == Status::Rejected)
        .filter(|r| {
            !decided.iter().any(|d| {
                d.start < r.end && r.start < d.end && (d.start, d.end) != (r.start, r.end)
            })
        })
        .map(|a| (form(&a.text), a.label.clone()))
        .filter(|k| !taught.contains(k))
        .collect()
}

/// The machine's `new` suggestions without those whose form and label the annotator rejected in `list`.
pub fn unblocked(list: &[Rc<Annotation>], new: Vec<Rc<Annotation>>) -> Vec<Rc<Annotation>> {
    let blocked = blocked(list);
    if blocked.is_empty() {
        return new;
    }
    new.into_iter()
        .filter(|a| !blocked.contains(&(form(&a.text), a.label.clone())))
        .collect()
}

/// The highest number of a propagated suggestion's id (`p7` → 7) in `list`, or 0.
fn highest_propagated_id(list: &[Rc<Annotation>]) -> u64 {
    list.iter()
        .filter_map(|a| a.id.strip_prefix('p')?.parse::<u64>().ok())
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod index_tests {
    use super::{form, Words};
    use proptest::prelude::*;

    /// Words that exercise every path: names, the same behind proclitics (split by the tokenizer or
    /// not), spelling variants (same skeleton), the article, punctuation and sentence ends.
    const VOCAB: [&str; 24] = [
        "موسكو", "بموسكو", "وموسكو", "فبموسكو", "لموسكو", "كريمزون", "بكريمزون", "وكريمزون", "باشينيان",
        "باشنيان", "وباشنيان", "الوزير", "والوزير", "للوزير", "قال", "في", "إلى", "أن", "مدينة", "ب", "و",
        ".", "،", "\n\n",
    ];

    fn text_of(picks: &[usize]) -> String {
        picks.iter().map(|&i| VOCAB[i]).collect::<Vec<_>>().join(" ")
    }

    /// Cut a paragraph at a time in small slices, an article's words are those cut from the whole text
    /// at once: on the seed article and on texts made of the vocabulary with single and blank lines.
    #[test]
    fn words_cut_in_slices_equal_words_cut_at_once() {
        let mut texts = vec![crate::SEED_ARTICLE.to_string()];
        for n in [7usize, 40, 200] {
            let picks: Vec<usize> = (0..n).map(|i| (i * 7 + i / 3) % VOCAB.len()).collect();
            texts.push(text_of(&picks).replace(" . ", ".\n").replace("،", "،\n  \n"));
        }
        for text in texts {
            let article = crate::session::Article::new(text.clone());
            let mut calls = 0;
            while !article.prepare_words(30) {
                calls += 1;
            }
            assert!(calls > 1 || article.paragraphs.len() < 3, "cut in slices");
            assert_eq!(*article.words(), Words::new(&text), "{text:?}");
        }
    }

    proptest! {
        /// The indexed lookup finds exactly what the scan over every token found (same spans, same
        /// exactness, same order), for forms of one to three words taken from the text or the vocabulary.
        #[test]
        fn indexed_occurrences_equal_the_full_scan(
            picks in proptest::collection::vec(0..VOCAB.len(), 1..80),
            name in proptest::collection::vec(0..VOCAB.len() - 3, 1..4),
            from_text in any::<bool>(),
            at in any::<prop::sample::Index>(),
        ) {
            let text = text_of(&picks);
            let words = Words::new(&text);
            let wanted = if from_text && !words.tokens.is_empty() {
                let i = at.index(words.tokens.len());
                let j = (i + name.len()).min(words.tokens.len());
                let (s, e) = (words.tokens[i].stem_start, words.tokens[j - 1].end);
                form(&text.chars().skip(s).take(e - s).collect::<String>())
            } else {
                form(&text_of(&name))
            };
            prop_assume!(!wanted.is_empty());
            let skels: Vec<String> = wanted.iter().map(|k| crate::normalize::skeleton(k)).collect();
            let scan = words.occurrences_among(&wanted, &skels, 0..words.tokens.len());
            prop_assert_eq!(words.occurrences(&wanted), scan);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::session::{Action, Session};
    use crate::{Annotation, Source, Status};

    const TEXT: &str = "وصل الوزير كريمزون إلى العاصمة أمس.\n\nوقال كريمزون إن الزيارة مهمة.\n\nوالتقى بكريمزون عدد من المسؤولين في زنجبار. ثم زار زنجبار مرة أخرى.";

    /// Code-point offsets of the `nth` (0-based) `needle` in `TEXT`.
    fn span(needle: &str, nth: usize) -> (usize, usize) {
        let b = TEXT.match_indices(needle).nth(nth).expect("in the text").0;
        let s = TEXT[..b].chars().count();
        (s, s + needle.chars().count())
    }

    fn add(s: &Session, (start, end): (usize, usize), label: &str) -> Session {
        s.apply(Action::Add {
            start,
            end,
            label: label.into(),
            note: None,
        })
        .expect("added")
    }

    fn kept_at(s: &Session, (start, end): (usize, usize)) -> Vec<Annotation> {
        s.kept()
            .filter(|a| a.start == start && a.end == end)
            .map(|a| (**a).clone())
            .collect()
    }

    #[test]
    fn a_rejection_blocks_its_form_unless_it_only_cut_a_name_wrong_or_the_form_was_labelled() {
        let machine = |id: &str, (start, end): (usize, usize), status: Status| {
            std::rc::Rc::new(Annotation {
                source: Source::Extractor,
                status,
                ..Annotation::user(id, start, end, "LOC", text_of(start, end))
            })
        };
        let key = |t: &str| (super::form(t), "LOC".to_string());
        // زنجبار rejected as a place, nothing else said: blocked.
        let rejected = machine("x1", span("زنجبار", 0), Status::Rejected);
        assert!(super::blocked(std::slice::from_ref(&rejected)).contains(&key("زنجبار")));
        // The annotator marked a longer name over it: the rejection only cut the name wrong.
        let (s, e) = span("المسؤولين في زنجبار", 0);
        let longer = std::rc::Rc::new(Annotation::user("u1", s, e, "ORG", text_of(s, e)));
        assert!(super::blocked(&[rejected.clone(), longer]).is_empty());
        // The same span marked with another label: a retype, the rejection holds.
        let (s, e) = span("زنجبار", 0);
        let retyped = std::rc::Rc::new(Annotation::user("u2", s, e, "ORG", "زنجبار"));
        assert!(super::blocked(&[rejected.clone(), retyped]).contains(&key("زنجبار")));
        // The form labelled a place elsewhere: what the annotator labelled outweighs the rejection.
        let accepted = machine("x2", span("زنجبار", 1), Status::Accepted);
        assert!(super::blocked(&[rejected, accepted]).is_empty());
    }

    fn text_of(start: usize, end: usize) -> String {
        TEXT.chars().skip(start).take(end - start).collect()
    }

    #[test]
    fn a_label_reaches_the_other_mentions_behind_proclitics_and_one_undo_takes_it_back() {
        let bare = Session::new(TEXT.to_string(), vec![], true);
        let s = add(&bare, span("كريمزون", 0), "PER");
        assert_eq!(s.last_propagation.suggested, 2, "{:?}", s.annotations());
        for nth in [1, 2] {
            let found = kept_at(&s, span("كريمزون", nth));
            assert_eq!(found.len(), 1, "mention {nth}: {:?}", s.annotations());
            let a = &found[0];
            assert_eq!(
                (a.label.as_str(), a.source, a.status),
                ("PER", Source::Extractor, Status::Suggested)
            );
            assert_eq!(a.entity, s.find("u1").unwrap().entity, "one entity");
        }
        let undone = s.apply(Action::Undo).unwrap();
        assert!(
            undone.annotations().is_empty(),
            "{:?}",
            undone.annotations()
        );
        let redone = undone.apply(Action::Redo).unwrap();
        assert_eq!(redone.annotations(), s.annotations());
    }

    #[test]
    fn reviewed_sentences_are_left_alone() {
        let bare = Session::new(TEXT.to_string(), vec![], true);
        // The annotator has worked in the second paragraph already (a place there).
        let s = add(&bare, span("الزيارة", 0), "MISC");
        let s = add(&s, span("كريمزون", 0), "PER");
        assert!(
            kept_at(&s, span("كريمزون", 1)).is_empty(),
            "reviewed sentence untouched"
        );
        assert_eq!(kept_at(&s, span("كريمزون", 2)).len(), 1);
    }

    #[test]
    fn a_retype_moves_other_suggestions_and_a_mis_cut_one_is_fixed() {
        let s = Session::extracted_if_short(TEXT.to_string());
        let first = kept_at(&s, span("كريمزون", 0));
        assert_eq!(
            first.len(),
            1,
            "the extractor finds it: {:?}",
            s.annotations()
        );
        let s = s
            .apply(Action::Update {
                id: first[0].id.clone(),
                label: Some("ORG".into()),
                note: None,
            })
            .unwrap();
        assert_eq!(kept_at(&s, span("كريمزون", 1))[0].label, "ORG");
        let third = kept_at(&s, span("كريمزون", 2));
        assert_eq!(third.len(), 1, "{:?}", s.annotations());
        assert_eq!(third[0].label, "ORG");
        assert!(
            s.kept().all(|a| a.text != "بكريمزون"),
            "the proclitic is cut off"
        );
    }

    #[test]
    fn a_rejected_form_is_dropped_elsewhere_and_not_suggested_again() {
        let bare = Session::new(TEXT.to_string(), vec![], true);
        let machine = |(start, end): (usize, usize), id: &str| Annotation {
            source: Source::Extractor,
            status: Status::Suggested,
            ..Annotation::user(
                id,
                start,
                end,
                "PER",
                TEXT.chars()
                    .skip(start)
                    .take(end - start)
                    .collect::<String>(),
            )
        };
        let s = bare
            .apply(Action::Suggest {
                annotations: vec![
                    machine(span("زنجبار", 0), "x1"),
                    machine(span("زنجبار", 1), "x2"),
                ],
                last: true,
            })
            .unwrap();
        let s = s.apply(Action::Reject { id: "x1".into() }).unwrap();
        assert_eq!(s.last_propagation.dropped, 1);
        assert!(s.kept().next().is_none(), "{:?}", s.annotations());
        let again = s
            .apply(Action::Suggest {
                annotations: vec![machine(span("زنجبار", 1), "x3")],
                last: true,
            })
            .unwrap();
        assert!(
            again.kept().next().is_none(),
            "blocked: {:?}",
            again.annotations()
        );
        let undone = s.apply(Action::Undo).unwrap();
        assert_eq!(undone.kept().count(), 2, "undo brings both back");
    }

    #[test]
    fn spelling_variants_join_through_the_clusterer() {
        let text = "قال باشينيان إن الحوار مستمر.\n\nوأكد باشنيان ذلك أمس.";
        let bare = Session::new(text.to_string(), vec![], true);
        let s = bare
            .apply(Action::Add {
                start: 4,
                end: 12,
                label: "PER".into(),
                note: None,
            })
            .unwrap();
        let variant: Vec<_> = s.kept().filter(|a| a.text == "باشنيان").collect();
        assert_eq!(variant.len(), 1, "{:?}", s.annotations());
    }
}
