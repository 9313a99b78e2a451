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
    w.strip_prefix("ال").filter(|r| r.chars().count() >= 2).unwrap_or(w)
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
    let base = alias.as_ref().map(|(ck, _)| ck.clone()).unwrap_or_else(|| k.clone());
    let words: Vec<String> = base.split(' ').map(|w| word_cmp(w).to_string()).collect();
    let skel_words = words.iter().map(|w| skeleton(w)).collect();
    Mention { words, skel_words, alias }
}

fn same_word(a: &str, sa: &str, b: &str, sb: &str) -> bool {
    a == b || (sa == sb && sa.chars().count() >= 3) || (a.chars().count() >= 5 && edit_distance_le1(a, b))
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

/// For each `(type, text)` mention, in order: its entity id and canonical form.
pub fn cluster(mentions: &[(EntityType, &str)]) -> Vec<(String, String)> {
    let ms: Vec<Mention> = mentions.iter().map(|(_, t)| mention(t)).collect();
    // Visit longer mentions first so full names found the clusters that surnames join.
    let mut order: Vec<usize> = (0..ms.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(ms[i].words.len()), i));
    let mut cluster_of = vec![usize::MAX; ms.len()];
    // Each cluster: type and member mention indices (first member is its longest).
    let mut clusters: Vec<(EntityType, Vec<usize>)> = Vec::new();
    for &i in &order {
        let ty = mentions[i].0;
        let mut joined = None;
        for (ci, (cty, members)) in clusters.iter().enumerate() {
            if *cty != ty {
                continue;
            }
            let matches = members.iter().any(|&m| {
                let (a, b) = (&ms[i], &ms[m]);
                let same_len = a.words.len() == b.words.len();
                let subsumed = words_subsumed(a, b);
                // Numbers and dates join only when identical.
                if matches!(ty, EntityType::Num | EntityType::Date) {
                    return a.words == b.words;
                }
                // A partial mention of a person is a surname: the last word of the full name.
                if ty == EntityType::Per && !same_len && a.words.len() == 1 {
                    let (w, s) = (&a.words[0], &a.skel_words[0]);
                    let last = b.words.len() - 1;
                    return same_word(w, s, &b.words[last], &b.skel_words[last]);
                }
                subsumed
            });
            if matches {
                joined = Some(ci);
                break;
            }
        }
        match joined {
            Some(ci) => {
                clusters[ci].1.push(i);
                cluster_of[i] = ci;
            }
            None => {
                cluster_of[i] = clusters.len();
                clusters.push((ty, vec![i]));
            }
        }
    }
    // Canonical form of each cluster.
    let canon: Vec<String> = clusters
        .iter()
        .map(|(_, members)| {
            let mut forms: Vec<(usize, usize, usize, String)> = Vec::new(); // (words, count, first, text)
            for &m in members {
                let text = match &ms[m].alias {
                    Some((_, c)) => c.clone(),
                    None => mentions[m].1.trim().to_string(),
                };
                let text = if text.starts_with('ل') && !text.starts_with("ال") && ms[m].words.len() > 1 {
                    format!("ا{text}")
                } else {
                    text
                };
                match forms.iter_mut().find(|f| f.3 == text) {
                    Some(f) => f.1 += 1,
                    None => forms.push((text.split_whitespace().count(), 1, m, text)),
                }
            }
            forms.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
            forms.into_iter().next().map(|f| f.3).unwrap_or_default()
        })
        .collect();
    (0..ms.len())
        .map(|i| {
            let ci = cluster_of[i];
            let c = &canon[ci];
            (format!("{}:{}", clusters[ci].0.as_str(), c.replace(' ', "_")), c.clone())
        })
        .collect()
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
        let r = ids(&[(Per, "نيكول باشنيان"), (Per, "باشينيان"), (Per, "نيكول باشينيان")]);
        assert!(r.iter().all(|x| *x == r[0]), "{r:?}");
    }

    #[test]
    fn surname_joins_full_name() {
        let r = cluster(&[(Per, "بوتين"), (Per, "فلاديمير بوتين"), (Per, "ماريا زاخاروفا")]);
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
        let r = cluster(&[(Org, "الأمم المتحدة"), (Org, "لأمم المتحدة"), (Loc, "الأمم المتحدة")]);
        assert_eq!(r[0].0, r[1].0);
        assert_ne!(r[0].0, r[2].0);
    }

    #[test]
    fn edit_distance() {
        assert!(edit_distance_le1("ناغورني", "ناغوررني"));
        assert!(!edit_distance_le1("بوتين", "باكو"));
    }
}
