//! Online learning from the session: what the annotator's reviewed sentences teach the tagger, and the
//! machine's suggestions for the rest of the article made again with what it learned.
//!
//! Why a function of the session rather than a running total: what this article teaches is derived from its
//! reviewed sentences ([`lessons`]) each time, so undo, redo and a restore take the learned effect back or
//! bring it again without any bookkeeping of their own; a collection's earlier learning is the `base`
//! overlay the shell keeps (in storage) and adds. The tagger's weights are never touched
//! ([`crate::tagger::overlay`]).

use super::action::Action;
use super::propagate::unreviewed;
use super::reduce::Session;
use crate::annotation::{Annotation, Source, Status};
use crate::tagger::{Overlay, Tag, Tagger, TYPES};
use crate::token::Token;
use crate::EntityType;
use std::sync::Arc;

/// Every reviewed sentence as `(tokens, tags)`: the user's annotations and accepted suggestions of the
/// tagger's types as B/I tags, a suggestion left unreviewed in a reviewed sentence as tacitly accepted,
/// everything else O.
pub fn lessons(session: &Session) -> Vec<(&[Token], Vec<Tag>)> {
    let words = session.article.words();
    let list = session.annotations();
    let reviewed = words.reviewed(list);
    let mut sentences: Vec<usize> = reviewed.into_iter().collect();
    sentences.sort_unstable();
    sentences
        .into_iter()
        .filter(|&n| n < words.sentence_tokens.len())
        .map(|n| {
            let range = words.sentence_tokens[n].clone();
            let span = &words.sentences[n];
            let tokens = &words.tokens[range];
            let mut tags = vec![Tag::O; tokens.len()];
            let entities = list.iter().filter(|a| {
                a.status != Status::Rejected && a.start >= span.start && a.end <= span.end
            });
            for a in entities {
                let Some(ty) = a
                    .label
                    .parse::<EntityType>()
                    .ok()
                    .filter(|t| TYPES.contains(t))
                else {
                    continue;
                };
                let mut first = true;
                for (t, tag) in tokens.iter().zip(tags.iter_mut()) {
                    if t.end > a.start && t.start < a.end {
                        *tag = if first { Tag::B(ty) } else { Tag::I(ty) };
                        first = false;
                    }
                }
            }
            (tokens, tags)
        })
        .collect()
}

/// `base` plus what the session's reviewed sentences teach `tagger` (see [`Tagger::learn`]).
pub fn learned(tagger: &Tagger, base: &Overlay, session: &Session) -> Overlay {
    let mut overlay = base.clone();
    tagger.learn_document(&mut overlay, &lessons(session));
    overlay
}

/// Why annotations could not be learned from.
#[derive(Debug, thiserror::Error)]
pub enum LearnError {
    #[error(transparent)]
    Format(#[from] crate::formats::FormatError),
    #[error("nothing to learn: no reviewed annotation (the user's, accepted or rejected) was placed in the text")]
    Nothing,
}

/// What exported annotations (`data` in `format`, over the article `text`) teach `tagger`, added to
/// `base`, in `passes` passes over their reviewed sentences: the same lessons the widget learns from
/// ([`lessons`]). CoNLL and other files without review state count every span as the user's.
pub fn learned_from_export(
    tagger: &Tagger,
    base: &Overlay,
    format: crate::formats::Format,
    text: &str,
    data: &str,
    passes: usize,
) -> Result<Overlay, LearnError> {
    let imported = crate::formats::import(format, text, data)?;
    let session = Session::new(text.to_string(), imported.annotations, true);
    if lessons(&session).is_empty() {
        return Err(LearnError::Nothing);
    }
    let mut overlay = base.clone();
    for _ in 0..passes.max(1) {
        overlay = learned(tagger, &overlay, &session);
    }
    Ok(overlay)
}

/// The least confidence (the tagger's mean posterior over the name's words) of a re-suggested name where
/// nothing was suggested before. Why: weights learned from a few sentences pull common words into names;
/// on WikiFANE's held-out documents (`examples/learn_gain.rs`) three in four such new names below this
/// were wrong, and above it one in eight. Names that replace, re-cut or retype a suggestion are not gated.
const FRESH_MIN: f32 = 0.9;

impl Session {
    /// The machine's suggestions for `start..end` (code points, whole paragraphs) made again by `tagger`
    /// with `overlay`, as the [`Action::Resuggest`] that puts them in place.
    pub fn resuggest(
        &self,
        tagger: &Tagger,
        overlay: Option<Arc<Overlay>>,
        start: usize,
        end: usize,
    ) -> Option<Action> {
        let text = self.article.slice(start, end)?;
        let learned = overlay.as_ref().is_some_and(|o| !o.is_empty());
        let tag = |tokens: &[Token]| tagger.spans_in_with(text, tokens, overlay.clone());
        let annotations = crate::extract_with(text, Some(&tag))
            .into_iter()
            .map(|a| Annotation {
                id: format!("r{start}.{}", &a.id[1..]),
                start: a.start + start,
                end: a.end + start,
                entity: String::new(),
                canonical: String::new(),
                ..a
            })
            .collect();
        Some(Action::Resuggest {
            start,
            end,
            annotations,
            learned,
        })
    }

    /// The work's annotations after [`Action::Resuggest`]: the machine's own unreviewed suggestions in
    /// unreviewed sentences of `start..end` after the last reviewed one (not those propagation made or
    /// that agree with a decision) give way to `new` (minus rejected forms and anything that would
    /// overlap what stays), which join the existing entities.
    pub(super) fn resuggested(
        &self,
        start: usize,
        end: usize,
        new: Vec<Annotation>,
        learned: bool,
    ) -> Vec<std::rc::Rc<Annotation>> {
        let words = self.article.words();
        let list = self.annotations();
        let reviewed = words.reviewed(list);
        // Only text after the last reviewed sentence: what comes before it has been read.
        let read = words.read_up_to(&reviewed);
        let open = |a: &Annotation| {
            a.start >= start.max(read)
                && a.end <= end
                && !reviewed.contains(&words.sentence_at(a.start))
        };
        // What the annotator decided, by form and label: suggestions that agree with it stay.
        let taught = super::propagate::taught(list);
        let replaced = |a: &Annotation| {
            open(a)
                && unreviewed(a)
                && a.source == Source::Extractor
                && !a.id.starts_with('p')
                && !taught.contains(&(super::propagate::form(&a.text), a.label.clone()))
        };
        // A suggestion the machine makes again (same span and label) keeps its id and entity.
        let again = |a: &Annotation| {
            new.iter()
                .any(|n| n.start == a.start && n.end == a.end && n.label == a.label)
        };
        let kept: Vec<std::rc::Rc<Annotation>> = list
            .iter()
            .filter(|a| !replaced(a) || again(a))
            .cloned()
            .collect();
        // A name where the machine suggested nothing before is taken only when the learned tagger is sure
        // of it, or when it holds a word of a name the annotator gave that label.
        let taught_words: std::collections::HashSet<(&str, &str)> = taught
            .iter()
            .flat_map(|(f, l)| f.iter().map(move |w| (w.as_str(), l.as_str())))
            .collect();
        let sure = |a: &Annotation| {
            !learned
                || a.confidence.is_none_or(|c| c >= FRESH_MIN)
                || list.iter().any(|o| o.start < a.end && a.start < o.end)
                || super::propagate::form(&a.text)
                    .iter()
                    .any(|w| taught_words.contains(&(w.as_str(), a.label.as_str())))
        };
        let new: Vec<std::rc::Rc<Annotation>> = new
            .into_iter()
            .filter(|a| {
                open(a)
                    && sure(a)
                    && !kept
                        .iter()
                        .any(|k| k.status != Status::Rejected && k.start < a.end && a.start < k.end)
            })
            .map(std::rc::Rc::new)
            .collect();
        let new: Vec<Annotation> = super::propagate::unblocked(list, new)
            .into_iter()
            .map(|a| (*a).clone())
            .collect();
        let linked = crate::link::assign(&kept, new);
        let mut out = kept;
        out.extend(linked.into_iter().map(std::rc::Rc::new));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::{Action, Refused};

    const TEXT: &str = "قال الوزير إن المشروع يتقدم.\n\nوأكد زرنيخوف أن الاتفاق قريب.\n\nوأضاف زرنيخوف أن الاتفاق قريب جدا.";

    fn session() -> Session {
        Session::new(TEXT.to_string(), vec![], true)
    }

    fn at(needle: &str, nth: usize) -> (usize, usize) {
        let b = TEXT.match_indices(needle).nth(nth).expect("in the text").0;
        let s = TEXT[..b].chars().count();
        (s, s + needle.chars().count())
    }

    /// `s` after the annotator marks the first زرنيخوف as an organisation.
    fn taught(s: Session) -> Session {
        let (start, end) = at("زرنيخوف", 0);
        let label = "ORG".into();
        s.apply(Action::Add { start, end, label, note: None }).unwrap()
    }

    #[test]
    fn lessons_are_the_reviewed_sentences_with_the_annotators_tags() {
        let s1 = taught(session());
        let lessons = lessons(&s1);
        assert_eq!(lessons.len(), 1, "one sentence reviewed");
        let (tokens, tags) = &lessons[0];
        let i = tokens
            .iter()
            .position(|t| t.text.contains("زرنيخوف"))
            .unwrap();
        assert_eq!(tags[i], Tag::B(EntityType::Org));
        assert_eq!(tags.iter().filter(|t| **t != Tag::O).count(), 1);
    }

    #[test]
    fn what_the_annotator_taught_changes_the_tags_deterministically_and_undo_forgets_it() {
        let tagger = crate::tagger::embedded();
        let (s, e) = at("زرنيخوف", 0);
        let added = taught(session());
        let overlay = learned(tagger, &Overlay::new(), &added);
        assert!(!overlay.is_empty());
        assert_eq!(
            learned(tagger, &Overlay::new(), &added),
            overlay,
            "deterministic"
        );
        // The taught sentence now tags as taught.
        let (tokens, tags) = &lessons(&added)[0];
        let text = &added.article.text;
        let spans = tagger.spans_in_with(text, tokens, Some(Arc::new(overlay.clone())));

        let org: Vec<_> = spans
            .iter()
            .filter(|x| x.2 == EntityType::Org)
            .map(|x| (x.0, x.1))
            .collect();
        assert!(org.contains(&(s, e)), "{spans:?} {tags:?}");
        // Undo: the session teaches nothing any more.
        let undone = added.apply(Action::Undo).unwrap();
        assert!(learned(tagger, &Overlay::new(), &undone).is_empty());
    }

    #[test]
    fn resuggest_replaces_only_the_machines_open_suggestions() {
        let tagger = crate::tagger::embedded();
        let s = taught(Session::extracted_if_short(TEXT.to_string()));
        let overlay = Arc::new(learned(tagger, &Overlay::new(), &s));
        let len = s.article.len_chars;
        let next = match s
            .resuggest(tagger, Some(overlay), 0, len)
            .map(|r| s.apply(r))
        {
            Some(Ok(next)) => next,
            Some(Err(Refused::Unchanged)) | None => s.clone(),
            Some(Err(e)) => panic!("{e}"),
        };
        let user: Vec<_> = next.kept().filter(|x| x.source == Source::User).collect();
        assert_eq!(user.len(), 1, "the annotator's work stays");
        let second = at("زرنيخوف", 1);
        let there: Vec<_> = next
            .kept()
            .filter(|x| x.start == second.0 && x.end == second.1)
            .collect();
        assert_eq!(
            there.len(),
            1,
            "one mark on the other mention: {:?}",
            next.annotations()
        );
        assert_eq!(there[0].label, "ORG");
    }

    /// A machine suggestion of `text` at its `nth` mention, with `confidence`.
    fn machine(id: &str, needle: &str, nth: usize, label: &str, confidence: f32) -> Annotation {
        let (start, end) = at(needle, nth);
        Annotation {
            source: Source::Extractor,
            status: Status::Suggested,
            confidence: Some(confidence),
            ..Annotation::user(id, start, end, label, needle)
        }
    }

    /// The kept marks of `s` over the `nth` `needle`, as labels.
    fn labels_at(s: &Session, needle: &str, nth: usize) -> Vec<String> {
        let (start, end) = at(needle, nth);
        s.kept()
            .filter(|a| a.start == start && a.end == end)
            .map(|a| a.label.clone())
            .collect()
    }

    #[test]
    fn a_new_name_where_nothing_was_suggested_needs_a_sure_tagger_or_a_taught_word() {
        // The annotator has read the first paragraph; the machine had suggested الاتفاق (second) and
        // nothing on قريب.
        let old = machine("x1", "الاتفاق", 1, "MISC", 0.5);
        let (start, end) = at("الوزير", 0);
        let s = Session::new(TEXT.to_string(), vec![old], true)
            .apply(Action::Add { start, end, label: "PER".into(), note: None })
            .unwrap();
        let len = s.article.len_chars;
        let resuggest = |s: &Session, annotations: Vec<Annotation>| {
            s.apply(Action::Resuggest { start: 0, end: len, annotations, learned: true }).unwrap()
        };
        let unsure = vec![
            machine("r1", "قريب", 1, "LOC", 0.6),
            machine("r2", "الاتفاق", 1, "ORG", 0.6),
        ];
        let next = resuggest(&s, unsure);
        assert!(labels_at(&next, "قريب", 1).is_empty(), "a fresh unsure name is not taken");
        assert_eq!(labels_at(&next, "الاتفاق", 1), ["ORG"], "a retype is taken however sure");
        // Nothing learned (the tagger's own suggestions, e.g. its data arriving late): not gated.
        let plain = s
            .apply(Action::Resuggest {
                start: 0,
                end: len,
                annotations: vec![machine("r1", "قريب", 1, "LOC", 0.6)],
                learned: false,
            })
            .unwrap();
        assert_eq!(labels_at(&plain, "قريب", 1), ["LOC"]);
        let sure = vec![machine("r1", "قريب", 1, "LOC", 0.95)];
        assert_eq!(labels_at(&resuggest(&s, sure), "قريب", 1), ["LOC"]);
        // The annotator labelled a name holding the word: the unsure tagger is followed there.
        let (start, end) = at("أكد زرنيخوف", 0);
        let s = s
            .apply(Action::Add { start, end, label: "LOC".into(), note: None })
            .unwrap();
        let unsure = vec![machine("r1", "زرنيخوف", 1, "LOC", 0.6)];
        assert_eq!(labels_at(&resuggest(&s, unsure), "زرنيخوف", 1), ["LOC"]);
    }

    /// The tagger's data arriving after the first suggestions: a retag gives exactly the full extraction
    /// while nothing is decided, and is refused once the annotator made or undid a mark.
    #[test]
    fn a_retag_replaces_the_suggestions_only_while_nothing_is_decided() {
        let text = crate::SEED_ARTICLE;
        let rules = crate::extract_with(text, None);
        let full = crate::extract(text);
        assert_ne!(rules, full, "the tagger changes the seed article's marks");
        let first = Session::new(text.to_string(), rules, true);
        assert!(first.undecided());
        let retagged = first
            .apply(Action::Retag { annotations: full.clone() })
            .unwrap();
        let got: Vec<Annotation> = retagged.annotations().iter().map(|a| (**a).clone()).collect();
        assert_eq!(got, full, "the same marks as an extraction with the tagger from the start");
        assert_eq!(
            retagged.apply(Action::Retag { annotations: full.clone() }).err(),
            Some(Refused::Unchanged)
        );
        let s = first.annotations()[0].clone();
        let decided = first.apply(Action::Accept { id: s.id.clone() }).unwrap();
        assert!(!decided.undecided());
        assert_eq!(
            decided.apply(Action::Retag { annotations: full.clone() }).err(),
            Some(Refused::Decided)
        );
        let undone = decided.apply(Action::Undo).unwrap();
        assert_eq!(
            undone.apply(Action::Retag { annotations: full }).err(),
            Some(Refused::Decided),
            "an undone decision can be redone: still decided"
        );
    }
}
