//! Property tests: whatever the input (Arabic with diacritics and tatweel, presentation forms, digits in
//! three scripts, emoji, combining marks, random Unicode), extraction never panics and its spans are in
//! bounds, sorted, non-overlapping and carry exactly the text they cover. Tokens obey the same offsets.
//! (Normalisation's own property lives with it, in `normalize.rs`: it is not public.)

use proptest::prelude::*;
use sahifa_core::slice_chars;
use sahifa_core::tokenize;
use sahifa_core::{extract, EntityType};

/// Pieces that exercise the tokeniser and the rules more than uniform random chars would.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("بوتين".to_string()),
        Just("الرئيس الروسي".to_string()),
        Just("وزارة الخارجية".to_string()),
        Just("للأمم المتحدة".to_string()),
        Just("ويريفان".to_string()),
        Just("27 سبتمبر".to_string()),
        Just("٢٠٢٠/١٠/٠٩".to_string()),
        Just("خمسة وعشرون".to_string()),
        Just("ناغوررني كاراباخ".to_string()),
        Just("ﺑﻮﺗﻴﻦ ﻻ".to_string()),
        Just("مـــصر".to_string()),
        Just("عَبْدُ اللّٰهِ".to_string()),
        Just("😀👨‍👩‍👧".to_string()),
        Just("\u{064B}\u{0651}".to_string()),
        Just("«".to_string()),
        Just("، ".to_string()),
        Just("\n\n".to_string()),
        Just(" ".to_string()),
        "[\u{0600}-\u{06FF}]{1,8}",
        "[\u{FB50}-\u{FDFF}\u{FE70}-\u{FEFF}]{1,4}",
        "[0-9٠-٩۰-۹.,/-]{1,6}",
        any::<String>(),
    ]
}

fn article() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn extraction_spans_are_sound(text in article()) {
        let n = text.chars().count();
        let anns = extract(&text);
        let mut prev_end = 0;
        for (k, a) in anns.iter().enumerate() {
            prop_assert!(a.start < a.end && a.end <= n, "{a:?} out of bounds ({n})");
            prop_assert!(a.start >= prev_end, "overlap or unsorted at {a:?}");
            prev_end = a.end;
            prop_assert_eq!(slice_chars(&text, a.start, a.end), Some(a.text.as_str()));
            prop_assert!(a.label.parse::<EntityType>().is_ok());
            prop_assert_eq!(&a.id, &format!("x{}", k + 1));
            prop_assert!(!a.entity.is_empty());
            prop_assert!(a.confidence.is_some_and(|c| (0.0..=1.0).contains(&c)));
        }
    }

    #[test]
    fn tokens_are_sound(text in article()) {
        let n = text.chars().count();
        let mut prev_end = 0;
        for t in tokenize(&text) {
            prop_assert!(t.start >= prev_end && t.start < t.end && t.end <= n);
            prop_assert!(t.start <= t.stem_start && t.stem_start < t.end);
            prop_assert_eq!(slice_chars(&text, t.start, t.end), Some(t.text.as_str()));
            prev_end = t.end;
        }
    }
}
