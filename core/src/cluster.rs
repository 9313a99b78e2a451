//! Entity ids and canonical forms across the mentions of one article.
//!
//! The guidelines ask that spelling variants and partial mentions carry one entity id (باشنيان /
//! باشينيان, ناجورنو قرة باغ / كاراباخ, بوتين / فلاديمير بوتين), so the side panel lists each entity once
//! and accepting one mention can find the others. Mentions of one type are joined when their normalised
//! keys or consonant skeletons agree, when a transliteration alias table says so, or when every word of
//! the shorter mention matches a word of the longer one (a surname alone joins the full name).
//!
//! **Entity ids** are `TYPE:canonical` with spaces as `_` (e.g. `LOC:ناغورني_كاراباخ`): deterministic, the
//! same for the same article, and readable in exports. The **canonical form** is the spelling of the
//! entity's fullest variant (most words, then most frequent, then first seen), replaced by the alias
//! table's canonical spelling when there is one.

use crate::annotation::EntityType;
use crate::normalize::{key, skeleton};
use std::collections::HashMap;
use std::sync::OnceLock;

const ALIASES: &str = include_str!("../data/aliases.map");

/// Alias key → (canonical key, canonical spelling).
fn aliases() -> &'static HashMap<String, (String, String)> {
    static A: OnceLock<HashMap<String, (String, String)>> = OnceLock::new();
    A.get_or_init(|| {
        let mut m = HashMap::new();
        for line in ALIASES.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some((v, c)) = line.split_once('\t') {
                m.insert(phrase_key(v), (phrase_key(c), c.trim().to_string()));
            }
        }
        m
    })
}

fn phrase_key(s: &str) -> String {
    let mut out = String::new();
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&key(w));
    }
    out
}

/// Key of one word for comparisons: the article ال and the ل of a لل contraction are ignored.
fn word_cmp(w: &str) -> &str {
    w.strip_prefix("ال")
        .filter(|r| r.chars().count() >= 2)
        .unwrap_or(w)
}

struct Mention {
    words: Vec<String>,
    skel_words: Vec<String>,
    alias: Option<(String, String)>,
}

fn mention(text: &str) -> Mention {
    let mut k = phrase_key(text);
    // ل + ال written لل leaves the span starting at لأمم: compare it as الأمم.
    if k.starts_with("ل") && !k.starts_with("ال") {
        let with_article = format!("ا{k}");
        if aliases().contains_key(&with_article) || crate::gazetteer::is_known(&with_article) {
            k = with_article;
        }
    }
    let alias = aliases().get(&k).cloned();
    let base = alias
        .as_ref()
        .map(|(ck, _)| ck.clone())
        .unwrap_or_else(|| k.clone());
    let words: Vec<String> = base.split(' ').map(|w| word_cmp(w).to_string()).collect();
    let skel_words = words.iter().map(|w| skeleton(w)).collect();
    Mention {
        words,
        skel_words,
        alias,
    }
}

fn same_word(a: &str, sa: &str, b: &str, sb: &str) -> bool {
    a == b
        || (sa == sb && sa.chars().count() >= 3)
        || (a.chars().count() >= 5 && edit_distance_le1(a, b))
}

fn edit_distance_le1(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let (mut i, mut j, mut edits) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            i += 1;
            j += 1;
            continue;
        }
        edits += 1;
        if edits > 1 {
            return false;
        }
        match a.len().cmp(&b.len()) {
            std::cmp::Ordering::Greater => i += 1,
            std::cmp::Ordering::Less => j += 1,
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
        }
    }
    edits + (a.len() - i) + (b.len() - j) <= 1
}

/// True when every word of `short` matches a distinct word of `long` (in order).
fn words_subsumed(short: &Mention, long: &Mention) -> bool {
    let mut j = 0;
    for (w, s) in short.words.iter().zip(&short.skel_words) {
        let mut found = false;
        while j < long.words.len() {
            let hit = same_word(w, s, &long.words[j], &long.skel_words[j]);
            j += 1;
            if hit {
                found = true;
                break;
            }
        }
        if !found {
            return false;
        }
    }
    true
}

/// True when mention `a` (not longer than `b`) belongs with `b` of the same type.
fn joins(ty: EntityType, a: &Mention, b: &Mention) -> bool {
    // Numbers and dates join only when identical.
    if matches!(ty, EntityType::Num | EntityType::Date) {
        return a.words == b.words;
    }
    // A partial mention of a person is a surname: the last word of the full name.
    if ty == EntityType::Per && a.words.len() == 1 && b.words.len() > 1 {
        let last = b.words.len() - 1;
        return same_word(
            &a.words[0],
            &a.skel_words[0],
            &b.words[last],
            &b.skel_words[last],
        );
    }
    words_subsumed(a, b)
}

/// For each `(type, text)` mention, in order: its entity id and canonical form.
///
/// Work is per distinct spelling, and a spelling is compared only with clusters sharing one of its words'
/// skeletons, so long documents with thousands of mentions cluster in near-linear time.
pub fn cluster(mentions: &[(EntityType, &str)]) -> Vec<(String, String)> {
    let g = Groups::new(mentions);
    let canon: Vec<String> = (0..g.members.len()).map(|c| g.canonical(c)).collect();
    g.mention_form
        .iter()
        .zip(mentions)
        .map(|(&f, (ty, _))| {
            let c = &canon[g.cluster_of[f]];
            (entity_id(*ty, c), c.clone())
        })
        .collect()
}

/// The entity id of a cluster of type `ty` named `canonical`.
fn entity_id(ty: EntityType, canonical: &str) -> String {
    format!("{}:{}", ty.as_str(), canonical.replace(' ', "_"))
}

/// What [`cluster`] gives the last of `mentions` (all of one type), and the first earlier mention given
/// the same entity id, if any: the same answers as reading them from `cluster(mentions)`, without naming
/// every other cluster (one new mark against every entity of its type, [`crate::link`], named hundreds of
/// clusters to read one).
pub(crate) fn cluster_last(mentions: &[(EntityType, &str)]) -> (Option<usize>, (String, String)) {
    let g = Groups::new(mentions);
    let Some(last) = mentions.len().checked_sub(1) else {
        return (None, (String::new(), String::new()));
    };
    let ty = mentions[last].0;
    let mine = g.cluster_of[g.mention_form[last]];
    let canonical = g.canonical(mine);
    let id = entity_id(ty, &canonical);
    let same_id = |c: usize| {
        // A cluster's name is one of its members' spellings: only a cluster holding a spelling that would
        // give the same id can have it, so only such a cluster is named to compare.
        c == mine
            || (g.members[c]
                .iter()
                .any(|&f| underscored_eq(&g.spelled(f), &canonical))
                && entity_id(ty, &g.canonical(c)) == id)
    };
    let joined = (0..last).find(|&k| mentions[k].0 == ty && same_id(g.cluster_of[g.mention_form[k]]));
    (joined, (id, canonical))
}

/// `a == b` once spaces are underscores (as in an entity id).
fn underscored_eq(a: &str, b: &str) -> bool {
    let u = |c: char| if c == ' ' { '_' } else { c };
    a.chars().map(u).eq(b.chars().map(u))
}

/// The clusters of some mentions: their distinct forms, which cluster each form joined, and each
/// cluster's forms.
struct Groups<'a> {
    /// Distinct (type, text) forms, in first-seen order: type, text, its words, count, first mention.
    forms: Vec<(EntityType, &'a str, Mention, usize, usize)>,
    mention_form: Vec<usize>,
    cluster_of: Vec<usize>,
    members: Vec<Vec<usize>>,
}

impl<'a> Groups<'a> {
    fn new(mentions: &[(EntityType, &'a str)]) -> Self {
        // Distinct (type, text) forms, in first-seen order.
        let mut form_of: HashMap<(EntityType, &str), usize> = HashMap::new();
        let mut forms: Vec<(
            EntityType,
            &str,
            Mention,
            usize, /*count*/
            usize, /*first*/
        )> = Vec::new();
        let mut mention_form = Vec::with_capacity(mentions.len());
        for (i, &(ty, text)) in mentions.iter().enumerate() {
            let text = text.trim();
            let f = *form_of.entry((ty, text)).or_insert_with(|| {
                forms.push((ty, text, mention(text), 0, i));
                forms.len() - 1
            });
            forms[f].3 += 1;
            mention_form.push(f);
        }
        // Visit longer forms first so full names found the clusters that surnames join.
        let mut order: Vec<usize> = (0..forms.len()).collect();
        order.sort_by_key(|&f| (std::cmp::Reverse(forms[f].2.words.len()), forms[f].4));
        let mut cluster_of = vec![usize::MAX; forms.len()];
        let mut members: Vec<Vec<usize>> = Vec::new();
        let mut index: HashMap<(EntityType, String), Vec<usize>> = HashMap::new();
        for &f in &order {
            let (ty, _, m, _, _) = &forms[f];
            let mut cands: Vec<usize> = m
                .skel_words
                .iter()
                .filter_map(|s| index.get(&(*ty, s.clone())))
                .flatten()
                .copied()
                .collect();
            cands.sort_unstable();
            cands.dedup();
            let joined = cands
                .into_iter()
                .find(|&c| members[c].iter().any(|&g| joins(*ty, m, &forms[g].2)));
            let c = match joined {
                Some(c) => c,
                None => {
                    members.push(Vec::new());
                    members.len() - 1
                }
            };
            members[c].push(f);
            cluster_of[f] = c;
            for s in &m.skel_words {
                let v = index.entry((*ty, s.clone())).or_default();
                if v.last() != Some(&c) {
                    v.push(c);
                }
            }
        }
        Groups {
            forms,
            mention_form,
            cluster_of,
            members,
        }
    }

    /// How form `f` is spelled as a canonical form.
    fn spelled(&self, f: usize) -> std::borrow::Cow<'a, str> {
        let (_, text, m, _, _) = &self.forms[f];
        match &m.alias {
            Some((_, c)) => c.clone().into(),
            None if text.starts_with('ل') && !text.starts_with("ال") && m.words.len() > 1 => {
                format!("ا{text}").into()
            }
            None => (*text).into(),
        }
    }

    /// Canonical form of cluster `c`: most words, then most mentions, then first seen.
    fn canonical(&self, c: usize) -> String {
        let mut best: Option<(usize, usize, usize, String)> = None;
        let mut counts: HashMap<String, (usize, usize, usize)> = HashMap::new();
        for &f in &self.members[c] {
            let (_, text, m, count, first) = &self.forms[f];
            let e = counts
                .entry(self.spelled(f).into_owned())
                .or_insert((spelled_words(text, m), 0, *first));
            e.1 += count;
            e.2 = e.2.min(*first);
        }
        for (text, (w, n, first)) in counts {
            let better = match &best {
                None => true,
                Some((bw, bn, bf, _)) => {
                    (w, n, std::cmp::Reverse(first)) > (*bw, *bn, std::cmp::Reverse(*bf))
                }
            };
            if better {
                best = Some((w, n, first, text));
            }
        }
        best.map(|b| b.3).unwrap_or_default()
    }
}

fn spelled_words(text: &str, m: &Mention) -> usize {
    match &m.alias {
        Some((_, c)) => c.split_whitespace().count(),
        None => text.split_whitespace().count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use EntityType::*;

    fn ids(ms: &[(EntityType, &str)]) -> Vec<String> {
        cluster(ms).into_iter().map(|(id, _)| id).collect()
    }

    #[test]
    fn spelling_variants_share_an_id() {
        let r = ids(&[
            (Per, "نيكول باشنيان"),
            (Per, "باشينيان"),
            (Per, "نيكول باشينيان"),
        ]);
        assert!(r.iter().all(|x| *x == r[0]), "{r:?}");
    }

    #[test]
    fn surname_joins_full_name() {
        let r = cluster(&[
            (Per, "بوتين"),
            (Per, "فلاديمير بوتين"),
            (Per, "ماريا زاخاروفا"),
        ]);
        assert_eq!(r[0], r[1]);
        assert_eq!(r[0].1, "فلاديمير بوتين");
        assert_ne!(r[0].0, r[2].0);
    }

    #[test]
    fn karabakh_variants() {
        let r = cluster(&[
            (Loc, "ناغوررني كاراباخ"),
            (Loc, "كاراباخ"),
            (Loc, "ناجورنو قرة باغ"),
            (Loc, "ناغورني كاراباخ"),
            (Loc, "أذربيجان"),
        ]);
        for x in &r[1..4] {
            assert_eq!(x.0, r[0].0);
        }
        assert_eq!(r[0].1, "ناغورني كاراباخ");
        assert_ne!(r[4].0, r[0].0);
    }

    #[test]
    fn types_do_not_mix_and_lam_lam() {
        let r = cluster(&[
            (Org, "الأمم المتحدة"),
            (Org, "لأمم المتحدة"),
            (Loc, "الأمم المتحدة"),
        ]);
        assert_eq!(r[0].0, r[1].0);
        assert_ne!(r[0].0, r[2].0);
    }

    #[test]
    fn edit_distance() {
        assert!(edit_distance_le1("ناغورني", "ناغوررني"));
        assert!(!edit_distance_le1("بوتين", "باكو"));
    }

    /// `cluster_last` answers as `cluster` does: over the seed article's and the Egypt fixture's
    /// mentions, each one against the canonical forms of every mention of its type before it (as
    /// `link` asks), and against all of them, duplicates included.
    #[test]
    fn cluster_last_agrees_with_cluster() {
        let fixture = include_str!("../tests/fixtures/egypt-economy-ar.txt");
        for text in [crate::SEED_ARTICLE, fixture] {
            let found = crate::extract(text);
            for ty in [Per, Loc, Org, Misc] {
                let of_type: Vec<&str> = found
                    .iter()
                    .filter(|a| a.label == ty.as_str())
                    .map(|a| a.text.as_str())
                    .collect();
                for n in 0..of_type.len() {
                    for before in [&of_type[..n], &of_type[..]] {
                        let mut ms: Vec<(EntityType, &str)> = before.iter().map(|t| (ty, *t)).collect();
                        ms.push((ty, of_type[n]));
                        let all = cluster(&ms);
                        let mine = all.last().unwrap().clone();
                        let joined = (0..ms.len() - 1).find(|&k| all[k].0 == mine.0);
                        assert_eq!(cluster_last(&ms), (joined, mine), "{ms:?}");
                    }
                }
            }
        }
    }
}
