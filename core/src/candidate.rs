//! What a candidate producer hands the merge: readings of the words at one token, each alone.
//!
//! Why its own module: the producers (the name lists in [`crate::lists`], the hand rules in
//! [`crate::rules`], the learned tagger) must not know about each other or about overlaps, and the merge
//! ([`crate::merge`]) must not know how a reading was found. This is the vocabulary both sides share, and
//! it depends on nothing but the entity types.

use crate::annotation::EntityType;

/// One proposed span, in code points of the article, with how sure its producer is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Candidate {
    pub start: usize,
    pub end: usize,
    pub ty: EntityType,
    pub confidence: f32,
    /// How far the candidate holds against the learned tagger (see [`crate::merge`]).
    pub trust: Trust,
}

/// What a rule candidate rests on, which decides how it meets the learned tagger's reading of the same words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Trust {
    /// A hand-kept list, an organisation pattern, a date or a number: merged by confidence.
    Rule,
    /// A person's name read from context (after a title, a given name): where the tagger finds a person
    /// overlapping it, the tagger's boundaries win (it knows where the name ends).
    Context,
    /// A name after a title whose first word no name list knows (الفريق مواصلة حملة: الفريق is also
    /// "the team"): with the tagger running it is the tagger's call alone.
    Guess,
    /// One word that only a generated list or a fuzzy match supports (طراز and ينبع are cities too):
    /// dropped when the tagger runs, since those lists reach the tagger as features.
    Weak,
}

/// One reading of the words starting at token [`Proposal::at`]. The variants are listed in the order the
/// merge weighs them at one token: a later reading replaces an earlier one only when it is longer, or as
/// long and surer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Reading {
    /// A list entry (lists).
    List(Candidate),
    /// A list entry matched on consonant skeletons, for misspelt names (lists).
    Skeleton(Candidate),
    /// A place head and the listed place after it: جمهورية أذربيجان (lists).
    PlaceHead(Candidate),
    /// An organisation named by a head noun: وزارة الخارجية الروسية (rules).
    OrgPattern(Candidate),
    /// A date (rules).
    Date(Candidate),
    /// A title or role (الرئيس الروسي): no entity, but a name may follow (rules). `end` is the title's
    /// last code point (exclusive), `resume` the token after it and its nationality adjectives.
    Title { end: usize, resume: usize },
    /// A person's name, read as if a title came just before (`after_title`) or not: the merge, which knows
    /// whether one did, takes the matching one (rules).
    Person { cand: Candidate, after_title: bool },
    /// A number (rules).
    Number(Candidate),
}

impl Reading {
    /// Position in the merge's order at one token (see [`Reading`]).
    pub(crate) fn rank(&self) -> u8 {
        match self {
            Reading::List(_) => 0,
            Reading::Skeleton(_) => 1,
            Reading::PlaceHead(_) => 2,
            Reading::OrgPattern(_) => 3,
            Reading::Date(_) => 4,
            Reading::Title { .. } => 5,
            Reading::Person { .. } => 6,
            Reading::Number(_) => 7,
        }
    }
}

/// A reading of the words starting at token `at`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Proposal {
    pub at: usize,
    pub reading: Reading,
}
