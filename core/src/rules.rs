//! Hand-written patterns that find entity candidates in a token stream.
//!
//! News Arabic names people, organisations and dates in a few fixed shapes: a title and a nationality
//! before a name (الرئيس الروسي فلاديمير بوتين), a head noun with its complement and a nationality
//! (وزارة الخارجية الروسية), a number before a month (27 سبتمبر). These shapes are precise, need no
//! training data, and cover the types (DATE, NUM) a tagger trained on ANERcorp never sees.
//!
//! As a candidate producer ([`proposals`]) the rules read every token alone: what a title, a date, a
//! number, an organisation pattern or a person's name starting there would span. Whether a title came just
//! before a name, and which reading wins where they overlap, is the merge's call ([`crate::merge`]).

use crate::annotation::EntityType;
use crate::candidate::{Candidate, Proposal, Reading, Trust};
use crate::gazetteer::{self, cat, Words};
use crate::token::{Token, TokenKind};

/// Every rule reading in `tokens`, token by token: organisation patterns, dates, titles, persons' names
/// (read both as following a title and not) and numbers. `words` holds the tokens' list bits.
pub(crate) fn proposals(tokens: &[Token], words: &Words) -> Vec<Proposal> {
    let mut out = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        let mut push = |reading| out.push(Proposal { at: i, reading });
        // A name read from context is trusted as such only when its first word is in a name list.
        let trust = if words.get(i).0 & (cat::GIVEN | cat::PER | cat::SURNAME) == 0 {
            Trust::Guess
        } else {
            Trust::Context
        };
        // A name after a title may be unknown words; one anywhere else must be listed or begin with a
        // given name, and is less sure.
        let person = |after_title: bool| {
            let confidence = if after_title { 0.85 } else { 0.75 };
            person_name(tokens, i, after_title).map(|e| Reading::Person {
                cand: Candidate {
                    trust,
                    ..span(tokens, i, e, EntityType::Per, confidence)
                },
                after_title,
            })
        };
        // Most words of a text no list knows (or knows as a common word) and begin no entry: every rule
        // needs a listed word to start (a head noun, a month, a title, a name, a number word), except an
        // unknown name after a title. Skipping the rest keeps the rules' cost per token small.
        if t.kind == TokenKind::Word && words.is_plain(i) {
            if words.get(i).0 == 0 {
                if let Some(r) = person(true) {
                    push(r);
                }
            }
            continue;
        }
        match t.kind {
            TokenKind::Number => {
                if let Some(c) = date_at(tokens, i) {
                    push(Reading::Date(c));
                }
                if let Some(c) = number_at(tokens, i) {
                    push(Reading::Number(c));
                }
            }
            TokenKind::Word | TokenKind::Latin => {
                if let Some(e) = org_pattern(tokens, i) {
                    push(Reading::OrgPattern(span(
                        tokens,
                        i,
                        e,
                        EntityType::Org,
                        0.8,
                    )));
                }
                if let Some(c) = date_at(tokens, i) {
                    push(Reading::Date(c));
                }
                if let Some(te) = title_at(tokens, i) {
                    push(Reading::Title {
                        end: tokens[te - 1].end,
                        resume: skip_nationalities(tokens, te),
                    });
                }
                for r in [person(true), person(false)].into_iter().flatten() {
                    push(r);
                }
                if let Some(c) = number_at(tokens, i) {
                    push(Reading::Number(c));
                }
            }
            TokenKind::Punct | TokenKind::Other => {}
        }
    }
    out
}

/// Month names too ambiguous to be a date on their own (مارس "practised", رجب and رمضان as given names…).
const AMBIGUOUS_MONTHS: &[&str] = &[
    "مارس",
    "ماي",
    "صفر",
    "رجب",
    "شعبان",
    "رمضان",
    "شوال",
    "اب",
    "جوان",
    "ايار",
];
/// Day names without the article that are also common words (أحد "anyone", جمعة a given name…).
const BARE_DAYS_NEED_YOM: &[&str] = &["احد", "اثنين", "جمعه", "سبت", "خميس", "ثلاثاء", "اربعاء"];
/// Words that introduce a year.
const YEAR_WORDS: &[&str] = &[
    "عام",
    "العام",
    "سنه",
    "السنه",
    "لعام",
    "بحلول",
    "منذ",
    "حتي",
    "قبل",
    "بعد",
    "خلال",
    "في",
    "مطلع",
    "اوائل",
    "اواخر",
    "نهايه",
    "بدايه",
];
/// Name particles that may stand inside a person's name.
const NAME_PARTICLES: &[&str] = &[
    "بن", "ابن", "بنت", "عبد", "ابو", "ابي", "ابا", "ال", "دي", "دو", "فان", "فون",
];
/// Ministry complements without ال after a dual or plural head are generic (وزارتي دفاع أرمينيا).
const MAX_NAME_TOKENS: usize = 4;

fn bits(t: &Token) -> u64 {
    if matches!(t.kind, TokenKind::Word | TokenKind::Latin) {
        gazetteer::lookup(&t.key)
    } else {
        0
    }
}

fn span(tokens: &[Token], a: usize, b: usize, ty: EntityType, confidence: f32) -> Candidate {
    Candidate {
        trust: Trust::Rule,
        start: tokens[a].stem_start,
        end: tokens[b - 1].end,
        ty,
        confidence,
    }
}

fn is_word(t: &Token) -> bool {
    t.kind == TokenKind::Word
}

/// A 4-digit number between 1800 and 2199 (ASCII-folded key).
fn is_year(t: &Token) -> bool {
    t.kind == TokenKind::Number
        && t.key.len() == 4
        && t.key
            .parse::<u32>()
            .is_ok_and(|y| (1800..2200).contains(&y))
}

fn is_day_of_month(t: &Token) -> bool {
    t.kind == TokenKind::Number && t.key.parse::<u32>().is_ok_and(|d| (1..=31).contains(&d))
}

/// Skips nationality adjectives after `j` (الروسي, الأرمنية…), returning the first token after them.
pub(crate) fn skip_nationalities(tokens: &[Token], mut j: usize) -> usize {
    while let Some(t) = tokens.get(j) {
        if t.has_proclitic() && !t.text.starts_with('و') {
            break;
        }
        // والروسي after a nationality (الأذربيجاني والروسي) continues the list.
        match gazetteer::longest_match_keys(tokens, j, cat::NAT, true) {
            Some((e, _)) => j = e,
            None => break,
        }
    }
    j
}

/// A title or role phrase at `i` (الرئيس, رئيس الوزراء, الناطقة باسم): the token after it.
fn title_at(tokens: &[Token], i: usize) -> Option<usize> {
    gazetteer::longest_match(tokens, i, cat::TITLE).map(|(e, _)| e)
}

fn is_plain_unknown(t: &Token, b: u64) -> bool {
    is_word(t)
        && !t.has_proclitic()
        && b == 0
        && t.key.chars().count() >= 3
        && !t.key.starts_with("ال")
}

/// An unknown word that could be part of a transliterated name: no article, no attached pronoun.
fn name_shaped_unknown(t: &Token, b: u64) -> bool {
    is_plain_unknown(t, b)
        && !["ها", "هم", "هما", "كم", "هن"]
            .iter()
            .any(|s| t.key.ends_with(s))
        && !t.key.starts_with('ل')
}

/// A listed given name (not an article-led word such as الان, which folds to the name آلان).
fn is_given(t: &Token, b: u64) -> bool {
    is_word(t)
        && b & (cat::GIVEN | cat::PER | cat::SURNAME) != 0
        && b & (cat::STOP
            | cat::TITLE
            | cat::ORGHEAD
            | cat::NAT
            | cat::LOC
            | cat::ORG
            | cat::MONTH
            | cat::DAY
            | cat::WORD)
            == 0
        && !t.key.starts_with("ال")
}

/// A person's name starting at `i`: a listed name (فلاديمير بوتين, بوتين), a given name and what
/// follows it, or, right after a trigger, unknown name-shaped words. Returns the end token.
fn person_name(tokens: &[Token], i: usize, after_trigger: bool) -> Option<usize> {
    let t = tokens.get(i)?;
    if !is_word(t) {
        return None;
    }
    let b0 = bits(t);
    let listed = gazetteer::longest_match(tokens, i, cat::PER)
        .filter(|(e, _)| *e > i + 1 || b0 & (cat::STOP | cat::TITLE | cat::ORGHEAD) == 0)
        .map(|(e, _)| e);
    let first_given = is_given(t, b0);
    let first_unknown = after_trigger && name_shaped_unknown(t, b0);
    if listed.is_none() && !first_given && !first_unknown {
        return None;
    }
    let mut e = listed.unwrap_or(i + 1);
    let mut unknowns = usize::from(listed.is_none() && !first_given);
    while e < tokens.len() && e - i < MAX_NAME_TOKENS {
        let n = &tokens[e];
        if !is_word(n) || n.has_proclitic() {
            break;
        }
        let b = bits(n);
        // Particles inside names: عبد + an article-led divine name (عبد الله, عبد الفتاح), بن/أبو + a name.
        let particle_ok = tokens.get(e + 1).is_some_and(|x| {
            is_word(x)
                && !x.has_proclitic()
                && (is_given(x, bits(x)) || (n.key == "عبد" && x.key.starts_with("ال")))
        });
        if NAME_PARTICLES.contains(&n.key.as_str()) && particle_ok {
            e += 2;
            continue;
        }
        if is_given(n, b) {
            e += 1;
            continue;
        }
        // Unknown words continue a name only after a trigger (and at most two of them): a given-name list
        // holds many common nouns, so a listed first name alone is not enough to take an unknown word.
        if listed.is_none() && after_trigger && unknowns < 2 && name_shaped_unknown(n, b) {
            unknowns += 1;
            e += 1;
            continue;
        }
        break;
    }
    let len = e - i;
    if listed.is_some() || len >= 2 || (after_trigger && first_given) {
        return Some(e);
    }
    None
}

/// An organisation named by a head noun: وزارة الخارجية الروسية, البرلمان التركي, مجموعة مينسك,
/// الخارجية الأرمنية. Returns the end token. A head with nothing naming it (البرلمان alone) is generic.
fn org_pattern(tokens: &[Token], i: usize) -> Option<usize> {
    let t = tokens.get(i)?;
    if !is_word(t) || bits(t) & cat::ORGHEAD == 0 {
        return None;
    }
    let mut j = i + 1;
    // Definite complements (الخارجية, الدفاع, المركزي), at most two.
    let mut complements = 0;
    while complements < 2 {
        let Some(n) = tokens.get(j) else { break };
        if !is_word(n) || n.has_proclitic() || !n.key.starts_with("ال") {
            break;
        }
        let b = bits(n);
        if b & (cat::NAT | cat::LOC | cat::ORG | cat::STOP | cat::TITLE | cat::MONTH | cat::DAY)
            != 0
            && b & cat::ORGHEAD == 0
        {
            break;
        }
        if n.key.chars().count() < 5 {
            break;
        }
        complements += 1;
        j += 1;
    }
    let after_nat = skip_nationalities(tokens, j);
    let head_is_ministry = t.key_without_article().starts_with("وزار");
    // A definite nationality names it (البرلمان التركي); an indefinite one describes (شركة صينية: "a
    // Chinese company").
    if after_nat > j && tokens[j].key.starts_with("ال") {
        // No و-joined second nationality inside one organisation.
        let mut e = j;
        if let Some((ne, _)) = gazetteer::longest_match_keys(tokens, j, cat::NAT, true) {
            e = ne;
        }
        return Some(e);
    }
    // A place or an organisation name right after the head (مجموعة مينسك, حكومة مصر).
    if let Some(n) = tokens.get(j) {
        if is_word(n) && !n.has_proclitic() {
            if let Some((e, _)) = gazetteer::longest_match(tokens, j, cat::LOC | cat::ORG) {
                if complements == 0 || head_is_ministry {
                    return Some(e);
                }
            }
        }
    }
    // وزارة الدفاع (split before في + place by the caller's LOC rule).
    if head_is_ministry && complements > 0 && bits(t) & cat::ORGHEAD != 0 && t.key.ends_with('ه') {
        return Some(j);
    }
    None
}

/// A date at token `i`: 27 سبتمبر (2020), سبتمبر 2020, الاثنين, يوم الجمعة, 2020/10/09, عام 2020.
fn date_at(tokens: &[Token], i: usize) -> Option<Candidate> {
    let t = tokens.get(i)?;
    if t.kind == TokenKind::Number {
        // d/m/y or y-m-d with / - .
        if let (Some(s1), Some(n2), Some(s2), Some(n3)) = (
            tokens.get(i + 1),
            tokens.get(i + 2),
            tokens.get(i + 3),
            tokens.get(i + 4),
        ) {
            let sep = |s: &Token| {
                s.kind == TokenKind::Punct
                    && matches!(s.text.as_str(), "/" | "-")
                    && s.start == s.end - 1
            };
            let adjacent =
                t.end == s1.start && s1.end == n2.start && n2.end == s2.start && s2.end == n3.start;
            if adjacent
                && sep(s1)
                && s1.text == s2.text
                && n2.kind == TokenKind::Number
                && n3.kind == TokenKind::Number
                && (is_year(t) || is_year(n3))
            {
                return Some(span(tokens, i, i + 5, EntityType::Date, 0.95));
            }
        }
        if is_day_of_month(t) {
            if let Some((me, _)) = gazetteer::longest_match(tokens, i + 1, cat::MONTH) {
                if !tokens[i + 1].has_proclitic() {
                    let end = if tokens.get(me).is_some_and(is_year) {
                        me + 1
                    } else {
                        me
                    };
                    return Some(span(tokens, i, end, EntityType::Date, 0.95));
                }
            }
        }
        if is_year(t) && i > 0 && YEAR_WORDS.contains(&tokens[i - 1].key.as_str()) {
            return Some(span(tokens, i, i + 1, EntityType::Date, 0.85));
        }
        return None;
    }
    if !is_word(t) {
        return None;
    }
    if let Some((me, _)) = gazetteer::longest_match(tokens, i, cat::MONTH) {
        if tokens.get(me).is_some_and(is_year) {
            return Some(span(tokens, i, me + 1, EntityType::Date, 0.95));
        }
        let prev_is_month_word = i > 0 && matches!(tokens[i - 1].key.as_str(), "شهر" | "الشهر");
        let single = me == i + 1;
        if !single
            || prev_is_month_word
            || !AMBIGUOUS_MONTHS.contains(&t.key.as_str()) && !t.has_proclitic()
        {
            return Some(span(tokens, i, me, EntityType::Date, 0.8));
        }
    }
    let b = bits(t);
    if b & cat::DAY != 0 && me_none_longer(tokens, i) {
        let prev_is_yom = i > 0
            && matches!(
                tokens[i - 1].key.as_str(),
                "يوم" | "اليوم" | "ليل" | "ليله" | "مساء" | "صباح" | "فجر" | "ظهر"
            );
        if t.key.starts_with("ال") && t.key != "الاحد"
            || prev_is_yom
            || !BARE_DAYS_NEED_YOM.contains(&t.key.as_str())
        {
            return Some(span(tokens, i, i + 1, EntityType::Date, 0.85));
        }
    }
    None
}

/// True unless a longer non-day entry (e.g. an organisation) starts here.
fn me_none_longer(tokens: &[Token], i: usize) -> bool {
    gazetteer::longest_match(tokens, i, cat::NAME).is_none_or(|(e, _)| e <= i + 1)
}

/// A number at `i`: digits (with a following scale word: 5 مليارات), or number words joined by و
/// (خمسة وعشرون, ثلاثة آلاف). "One" words (واحد, أحد) alone are not numbers.
fn number_at(tokens: &[Token], i: usize) -> Option<Candidate> {
    let t = tokens.get(i)?;
    let scale = |x: &Token| {
        is_word(x)
            && !x.has_proclitic()
            && matches!(
                x.key_without_article(),
                "الف"
                    | "الاف"
                    | "مليون"
                    | "ملايين"
                    | "مليار"
                    | "مليارات"
                    | "مليارا"
                    | "ملياري"
                    | "بليون"
                    | "تريليون"
                    | "مليونا"
            )
    };
    if t.kind == TokenKind::Number {
        let mut e = i + 1;
        if tokens.get(e).is_some_and(scale) {
            e += 1;
        }
        return Some(span(tokens, i, e, EntityType::Num, 0.95));
    }
    if !is_word(t) {
        return None;
    }
    let b = bits(t);
    if b & cat::NUMWORD == 0 || b & cat::STOP != 0 || t.stem_text().starts_with("ال") {
        return None;
    }
    let mut e = i + 1;
    while let Some(n) = tokens.get(e) {
        let nb = bits(n);
        if is_word(n)
            && nb & cat::NUMWORD != 0
            && !n.stem_text().starts_with("ال")
            && (!n.has_proclitic() || n.text.starts_with('و') && n.stem_start == n.start + 1)
        {
            e += 1;
        } else {
            break;
        }
    }
    Some(span(tokens, i, e, EntityType::Num, 0.8))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::offsets::slice_chars;
    use crate::tokenize::tokenize;

    fn text_of(text: &str, c: &Candidate) -> String {
        slice_chars(text, c.start, c.end).unwrap().to_string()
    }

    #[test]
    fn dates() {
        let text = "منذ 27 سبتمبر الماضي وفي 3 كانون الثاني 2021 ويوم الجمعة و2020/10/09";
        let toks = tokenize(text);
        let mut found = vec![];
        let mut i = 0;
        while i < toks.len() {
            if let Some(c) = date_at(&toks, i) {
                found.push(text_of(text, &c));
                i = toks.iter().position(|t| t.end == c.end).unwrap() + 1;
            } else {
                i += 1;
            }
        }
        assert_eq!(
            found,
            ["27 سبتمبر", "3 كانون الثاني 2021", "الجمعة", "2020/10/09"]
        );
    }

    #[test]
    fn numbers() {
        let text = "سقوط 26 قتيلا و5 مليارات وخمسة وعشرون جنديا على طاولة واحدة";
        let toks = tokenize(text);
        let mut found = vec![];
        let mut i = 0;
        while i < toks.len() {
            if let Some(c) = number_at(&toks, i) {
                found.push(text_of(text, &c));
                i = toks.iter().position(|t| t.end == c.end).unwrap() + 1;
            } else {
                i += 1;
            }
        }
        assert_eq!(found, ["26", "5 مليارات", "خمسة وعشرون"]);
    }

    #[test]
    fn org_patterns() {
        let text =
            "الناطقة باسم وزارة الخارجية الروسية ماريا وصرح رئيس البرلمان التركي وقال البرلمان إن";
        let toks = tokenize(text);
        let e = org_pattern(&toks, 2).unwrap();
        assert_eq!(
            slice_chars(text, toks[2].stem_start, toks[e - 1].end).unwrap(),
            "وزارة الخارجية الروسية"
        );
        let i = toks.iter().position(|t| t.text == "البرلمان").unwrap();
        let e = org_pattern(&toks, i).unwrap();
        assert_eq!(
            slice_chars(text, toks[i].start, toks[e - 1].end).unwrap(),
            "البرلمان التركي"
        );
        let last = toks.iter().rposition(|t| t.text == "البرلمان").unwrap();
        assert_eq!(org_pattern(&toks, last), None);
    }

    #[test]
    fn ministry_split_before_place() {
        let text = "وزارة الدفاع في كاراباخ";
        let toks = tokenize(text);
        assert_eq!(org_pattern(&toks, 0), Some(2));
    }

    #[test]
    fn rules_propose_a_title_and_both_readings_of_a_name() {
        let text = "قال الرئيس سامح حسين";
        let toks = tokenize(text);
        let words = Words::new(&toks);
        let props = proposals(&toks, &words);
        assert!(props
            .iter()
            .any(|p| p.at == 1 && matches!(p.reading, Reading::Title { resume: 2, .. })));
        // سامح is a listed given name: a name with or without the title, surer with it.
        let person = |after: bool| {
            props.iter().find_map(|p| match &p.reading {
                Reading::Person { cand, after_title } if p.at == 2 && *after_title == after => {
                    Some((text_of(text, cand), cand.confidence))
                }
                _ => None,
            })
        };
        assert_eq!(person(true), Some(("سامح حسين".to_string(), 0.85)));
        assert_eq!(person(false), Some(("سامح حسين".to_string(), 0.75)));
    }

    #[test]
    fn person_after_trigger() {
        let text = "الرئيس الروسي فلاديمير بوتين، وقال الرئيس الفرنسي هاتفيا مع";
        let toks = tokenize(text);
        let j = skip_nationalities(&toks, title_at(&toks, 0).unwrap());
        assert_eq!(j, 2);
        assert_eq!(person_name(&toks, j, true), Some(4));
        let k = toks.iter().position(|t| t.text == "هاتفيا").unwrap();
        assert_eq!(person_name(&toks, k, true), None);
    }
}
