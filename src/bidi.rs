//! Splits text into runs so Latin words and numbers can be bidi-isolated: a Latin word beside Arabic
//! punctuation must never pull its neighbours into left-to-right order.

/// `(isolate, run)` pairs covering `s` in order. A run to isolate starts with a Latin letter or digit and
/// keeps going through letters, digits and the joiners `. , : / - %` between them.
pub fn runs(s: &str) -> Vec<(bool, &str)> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let byte_at = |k: usize| chars.get(k).map_or(s.len(), |&(b, _)| b);
    let mut out = Vec::new();
    let (mut i, mut plain_from) = (0, 0);
    while i < chars.len() {
        if !is_ltr_core(chars[i].1) {
            i += 1;
            continue;
        }
        // Extend through cores, and through one joiner when a core follows it. A space joins only
        // Latin words, so Arabic text keeps its own numbers in place.
        let mut last = i;
        let mut j = i + 1;
        while j < chars.len() {
            let c = chars[j].1;
            let next = chars.get(j + 1).map(|&(_, n)| n);
            if is_ltr_core(c) {
                last = j;
            } else if matches!(c, '.' | ',' | ':' | '/' | '-' | '%')
                && next.is_some_and(is_ltr_core)
                || c == ' ' && next.is_some_and(is_latin_letter)
            {
            } else {
                break;
            }
            j += 1;
        }
        let (b, e) = (chars[i].0, byte_at(last + 1));
        if s[b..e].chars().any(is_latin_letter) {
            if plain_from < b {
                out.push((false, &s[plain_from..b]));
            }
            out.push((true, &s[b..e]));
            plain_from = e;
        }
        i = last + 1;
    }
    if plain_from < s.len() {
        out.push((false, &s[plain_from..]));
    }
    out
}

fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c)
}

fn is_ltr_core(c: char) -> bool {
    is_latin_letter(c) || c.is_ascii_digit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isolates_latin_phrases_not_arabic_or_lone_digits() {
        let r = runs("قال Emmanuel Macron، في 27 سبتمبر عن COVID-19.");
        let iso: Vec<_> = r.iter().filter(|(i, _)| *i).map(|(_, s)| *s).collect();
        assert_eq!(iso, ["Emmanuel Macron", "COVID-19"]);
        assert_eq!(
            r.iter().map(|(_, s)| *s).collect::<String>(),
            "قال Emmanuel Macron، في 27 سبتمبر عن COVID-19."
        );
    }

    #[test]
    fn pure_arabic_is_one_run() {
        assert_eq!(runs("مرحبا بكم"), vec![(false, "مرحبا بكم")]);
        assert!(runs("").is_empty());
    }
}
