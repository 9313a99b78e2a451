//! Training corpora: how each one's tags fold into the tagger's PER / LOC / ORG / MISC, and how much it
//! counts.
//!
//! Why: ANERcorp (news, four types) is the text the tagger is judged on, but it is small; WikiFANE (Arabic
//! Wikipedia, 50 fine classes) is four times larger and shows many more names, with other conventions
//! (peoples and nationalities are tagged, facilities are their own class). Each corpus is read with its own
//! folding, weighted, and flagged with a domain (see [`super::features::Extractor::set_domain`]).

use super::train::Example;
use super::Tag;
use crate::annotation::EntityType;

/// How a corpus's tag names map to the tagger's types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Folding {
    /// The tag names are the tagger's own (`PERS`/`PER`, `LOC`, `ORG`, `MISC`; anything else is O).
    Identity,
    /// WikiFANE's fine classes: people → PER; nations, settlements, regions, water, roads, buildings and
    /// airports → LOC; governments, companies, media, sports teams, schools and NGOs → ORG; peoples
    /// (`Group`) → O, as ANERcorp leaves nationalities untagged. With `misc`, works, products, weapons and
    /// vehicles → MISC (ANERcorp's MISC is mostly currencies, religions, events and prizes, which WikiFANE
    /// does not tag); without, they are O.
    WikiFane { misc: bool },
}

impl std::str::FromStr for Folding {
    type Err = String;
    fn from_str(s: &str) -> Result<Folding, String> {
        match s {
            "identity" | "anercorp" => Ok(Folding::Identity),
            "wikifane" => Ok(Folding::WikiFane { misc: true }),
            "wikifane-nomisc" => Ok(Folding::WikiFane { misc: false }),
            _ => Err(format!(
                "unknown folding {s:?} (identity, wikifane, wikifane-nomisc)"
            )),
        }
    }
}

impl Folding {
    /// The tagger type of a tag's class name (the part after `B-`/`I-`), or None for O.
    pub fn fold(self, class: &str) -> Option<EntityType> {
        match self {
            Folding::Identity => Tag::parse(&format!("B-{class}")).entity_type(),
            Folding::WikiFane { misc } => match class {
                "Politician" | "Athlete" | "Businessperson" | "Artist" | "Scientist" | "Police"
                | "Religious_PER" | "Engineer" | "Lawyer" | "Other_PER" => Some(EntityType::Per),
                "Nation"
                | "Population-Center"
                | "State-or-Province"
                | "County-or-District"
                | "GPE-Cluster"
                | "Continent"
                | "Water-Body"
                | "Land-Region-Natural"
                | "Path"
                | "Building-Grounds"
                | "Airport"
                | "Subarea-Facility"
                | "Plant" => Some(EntityType::Loc),
                "Government" | "Commercial" | "Educational" | "Media" | "Religious_ORG"
                | "Sports" | "Non-Governmental" | "Entertainment" | "Medical-Science" => {
                    Some(EntityType::Org)
                }
                "Book" | "Movie" | "Sound" | "Software" | "Hardware" | "Air" | "Water" | "Land"
                | "Projectile" | "Food" | "Drug" | "Chemical" | "Nuclear" | "Shooting"
                | "Blunt" | "Exploding" | "Sharp" | "Celestial"
                    if misc =>
                {
                    Some(EntityType::Misc)
                }
                _ => None,
            },
        }
    }

    /// One tag string folded (`B-Politician` → B-PER; O and unknown classes → O).
    pub fn fold_tag(self, tag: &str) -> Tag {
        let (b, class) = match (tag.strip_prefix("B-"), tag.strip_prefix("I-")) {
            (Some(c), _) => (true, c),
            (_, Some(c)) => (false, c),
            _ => return Tag::O,
        };
        match self.fold(class) {
            Some(t) if b => Tag::B(t),
            Some(t) => Tag::I(t),
            None => Tag::O,
        }
    }
}

/// One training corpus: its sentences (in text order), how much each of its updates counts, and its domain
/// flag (0 for news like the text tagged at run time).
#[derive(Debug, Clone)]
pub struct Corpus {
    pub examples: Vec<Example>,
    pub weight: f32,
    pub domain: u8,
    /// Per type (PER, LOC, ORG, MISC): a factor on `weight` for updates at tokens whose gold tag is of
    /// that type (or, at a gold O, whose predicted tag is): a corpus whose conventions for one type differ
    /// can teach that type less.
    pub type_weights: [f32; 4],
    /// The type profiles ([`super::stem_table::profile`]) this corpus's features are extracted with, if
    /// not the thread's own ([`super::stem_table::profiles`]): a jackknife gives each half of the training
    /// text the profiles of a model that never saw it, as unseen text will have.
    pub profile: Option<&'static super::stem_table::StemTable>,
}

impl Corpus {
    /// A corpus whose updates all count `weight`.
    pub fn new(examples: Vec<Example>, weight: f32, domain: u8) -> Corpus {
        Corpus {
            examples,
            weight,
            domain,
            type_weights: [1.0; 4],
            profile: None,
        }
    }
}

/// Turns a read CoNLL document into training examples under `folding` (IOB2: an I- whose B- folded to
/// another type or to O starts its own entity).
pub fn examples_folded(doc: &crate::conll::Document, folding: Folding) -> Vec<Example> {
    doc.sentences
        .iter()
        .filter(|s| s.tags.len() == s.words.len() && !s.words.is_empty())
        .map(|s| {
            let mut tags: Vec<Tag> = s.tags.iter().map(|t| folding.fold_tag(t)).collect();
            for i in 0..tags.len() {
                if let Tag::I(t) = tags[i] {
                    if i == 0 || tags[i - 1].entity_type() != Some(t) {
                        tags[i] = Tag::B(t);
                    }
                }
            }
            Example {
                words: s.words.clone(),
                tags,
            }
        })
        .collect()
}

/// A corpus named on a command line: `FILE:FOLDING:WEIGHT` (`FOLDING` and `WEIGHT` optional: identity
/// and 1), e.g. `wikifane-gold.txt:wikifane-nomisc:0.5`. Weight 0: only held out and scored, not learned.
/// The weight may be followed by factors per type, `1,ORG=0.5,MISC=2` (see [`Corpus::type_weights`]).
#[derive(Debug, Clone, PartialEq)]
pub struct CorpusSpec {
    pub path: String,
    pub folding: Folding,
    pub weight: f32,
    pub type_weights: [f32; 4],
}

impl std::str::FromStr for CorpusSpec {
    type Err = String;
    fn from_str(s: &str) -> Result<CorpusSpec, String> {
        let mut parts = s.split(':');
        let path = parts.next().unwrap_or_default().to_string();
        let folding = parts.next().map_or(Ok(Folding::Identity), str::parse)?;
        let number = |w: &str| {
            w.parse::<f32>()
                .ok()
                .filter(|w| w.is_finite() && *w >= 0.0)
                .ok_or_else(|| format!("corpus weight must be 0 or more, got {w:?}"))
        };
        let mut type_weights = [1.0f32; 4];
        let weight = match parts.next() {
            None => 1.0,
            Some(w) => {
                let mut items = w.split(',');
                let weight = number(items.next().unwrap_or_default())?;
                for item in items {
                    let (ty, f) = item
                        .split_once('=')
                        .ok_or_else(|| format!("a type weight is TYPE=FACTOR, got {item:?}"))?;
                    let k = ty
                        .parse::<EntityType>()
                        .ok()
                        .and_then(|t| super::TYPES.iter().position(|x| *x == t))
                        .ok_or_else(|| format!("unknown type {ty:?} (PER, LOC, ORG, MISC)"))?;
                    type_weights[k] = number(f)?;
                }
                weight
            }
        };
        if path.is_empty() || parts.next().is_some() {
            return Err(format!("a corpus is FILE[:FOLDING[:WEIGHT]], got {s:?}"));
        }
        Ok(CorpusSpec {
            path,
            folding,
            weight,
            type_weights,
        })
    }
}

impl CorpusSpec {
    /// Reads the file's sentences under the spec's folding, as corpus `domain`.
    pub fn read(&self, domain: u8) -> Result<Corpus, String> {
        let text = std::fs::read_to_string(&self.path)
            .map_err(|e| format!("cannot read {}: {e}", self.path))?;
        let doc = crate::conll::read(&text);
        if !doc.has_gold {
            return Err(format!("{}: no tag column to learn from", self.path));
        }
        Ok(Corpus {
            type_weights: self.type_weights,
            ..Corpus::new(examples_folded(&doc, self.folding), self.weight, domain)
        })
    }
}

/// Held-out sentences of an added corpus, with the file they come from.
pub type HeldOut = (String, Vec<Example>);

/// Reads the corpora named on a command line as domains 1, 2, ... in order: each one's last `dev_fraction`
/// of sentences is held out (returned for scoring), the rest is trained on unless its weight is 0.
pub fn read_added(
    specs: &[CorpusSpec],
    dev_fraction: f64,
) -> Result<(Vec<Corpus>, Vec<HeldOut>), String> {
    let mut corpora = Vec::new();
    let mut held = Vec::new();
    for (k, spec) in specs.iter().enumerate() {
        let c = spec.read(k as u8 + 1)?;
        let (t, d) = super::train::split_dev(c.examples, dev_fraction);
        if c.weight > 0.0 {
            corpora.push(Corpus { examples: t, ..c });
        }
        held.push((spec.path.clone(), d));
    }
    Ok((corpora, held))
}

/// Scores a tagger on gold examples, tagged as one document (as `sahifa eval` does), counting only the
/// `types` given (others are O in both gold and prediction: WikiFANE is scored on PER, LOC and ORG).
pub fn score(
    tagger: &super::Tagger,
    gold: &[Example],
    types: &[EntityType],
) -> crate::metrics::Scores {
    let keep = |t: Tag| match t.entity_type() {
        Some(ty) if types.contains(&ty) => t.to_conll("PER"),
        _ => "O".to_string(),
    };
    let words: Vec<Vec<&str>> = gold
        .iter()
        .map(|e| e.words.iter().map(String::as_str).collect())
        .collect();
    let mut scores = crate::metrics::Scores::new();
    for (e, p) in gold.iter().zip(tagger.tag_document(&words)) {
        let g: Vec<String> = e.tags.iter().map(|&t| keep(t)).collect();
        let p: Vec<String> = p.iter().map(|t| keep(t.0)).collect();
        scores.add(&g, &p);
    }
    scores
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wikifane_folding() {
        let f = Folding::WikiFane { misc: false };
        assert_eq!(f.fold_tag("B-Politician"), Tag::B(EntityType::Per));
        assert_eq!(f.fold_tag("I-Population-Center"), Tag::I(EntityType::Loc));
        assert_eq!(f.fold_tag("B-Sports"), Tag::B(EntityType::Org));
        assert_eq!(f.fold_tag("B-Group"), Tag::O);
        assert_eq!(f.fold_tag("B-Book"), Tag::O);
        let m = Folding::WikiFane { misc: true };
        assert_eq!(m.fold_tag("B-Book"), Tag::B(EntityType::Misc));
        assert_eq!(
            Folding::Identity.fold_tag("B-PERS"),
            Tag::B(EntityType::Per)
        );
        assert_eq!(Folding::Identity.fold_tag("I-Politician"), Tag::O);
        assert_eq!("wikifane".parse::<Folding>(), Ok(m));
        let s: CorpusSpec = "a.txt:wikifane-nomisc:0.5".parse().unwrap();
        assert_eq!((s.folding, s.weight), (f, 0.5));
        assert_eq!(s.type_weights, [1.0; 4]);
        let s: CorpusSpec = "a.txt:wikifane:1,ORG=0.5,MISC=2".parse().unwrap();
        assert_eq!((s.weight, s.type_weights), (1.0, [1.0, 1.0, 0.5, 2.0]));
        assert!("a.txt:wikifane:1,ORG".parse::<CorpusSpec>().is_err());
        assert!("a.txt:wikifane:1,DATE=2".parse::<CorpusSpec>().is_err());
        assert!("a.txt:nope".parse::<CorpusSpec>().is_err());
        assert!("a.txt:identity:-1".parse::<CorpusSpec>().is_err());
    }
}
