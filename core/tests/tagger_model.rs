// Reads the embedded model bytes: only with the `embedded-model` feature (the default).
#![cfg(feature = "embedded-model")]

//! The tagger learns a tiny corpus, survives a save/load round trip, rejects damaged model files, and the
//! embedded ANERcorp model loads and finds obvious entities.

use sahifa_core::tagger::train::{examples, train, TrainOptions};
use sahifa_core::tagger::{embedded, tag_text, Model, ModelError, Tag, Tagger};
use sahifa_core::{conll, EntityType};

const TINY: &str = "\
قال O
الرئيس O
جورج B-PERS
بوش I-PERS
في O
واشنطن B-LOC
. O
زار O
وزير O
الخارجية O
موسكو B-LOC
مع O
وفد O
من O
الأمم B-ORG
المتحدة I-ORG
. O
أعلنت O
شركة O
مايكروسوفت B-ORG
عن O
برنامج O
ويندوز B-MISC
. O
";

fn tiny_tagger() -> Tagger {
    tiny_tagger_with(0)
}

/// The tiny corpus learned, its weights snapped to `levels` per doubling (0: linear steps).
fn tiny_tagger_with(levels: u32) -> Tagger {
    let doc = conll::read(TINY);
    let ex = examples(&doc);
    let opts = TrainOptions {
        epochs: 10,
        seed: 7,
        bits: 14,
        prune: [0.0; 2],
        ensemble: 2,
        levels,
        ..TrainOptions::default()
    };
    Tagger::new(train(&ex, &[], &opts, |_, _, _| {}).model)
}

#[test]
fn learns_its_training_sentences() {
    let t = tiny_tagger();
    for s in conll::read(TINY).sentences {
        let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
        let pred: Vec<String> = t.tag(&words).iter().map(|t| t.to_conll("PERS")).collect();
        assert_eq!(pred, s.tags, "sentence {:?}", s.words);
    }
}

#[test]
fn training_is_reproducible() {
    assert_eq!(
        tiny_tagger().model().to_bytes(),
        tiny_tagger().model().to_bytes()
    );
}

#[test]
fn weights_on_a_log_grid_still_learn_and_are_reproducible() {
    let t = tiny_tagger_with(2);
    for s in conll::read(TINY).sentences {
        let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
        let pred: Vec<String> = t.tag(&words).iter().map(|t| t.to_conll("PERS")).collect();
        assert_eq!(pred, s.tags, "sentence {:?}", s.words);
    }
    let bytes = t.model().to_bytes();
    assert_eq!(
        bytes,
        tiny_tagger_with(2).model().to_bytes(),
        "same seed, same bytes"
    );
    assert_ne!(
        bytes,
        tiny_tagger().model().to_bytes(),
        "the grid changed values"
    );
    // Every stored value is already a level: snapping the loaded model again moves none.
    let mut back = Model::from_bytes(&bytes).unwrap();
    assert_eq!(back.snap_to_levels(2), 0);
    assert_eq!(back.to_bytes(), bytes);
}

#[test]
fn save_load_round_trip_predicts_the_same() {
    let t = tiny_tagger();
    let bytes = t.model().to_bytes();
    let back = Tagger::from_bytes(&bytes).unwrap();
    assert_eq!(back.model(), t.model());
    let words = ["قال", "الرئيس", "جورج", "بوش", "في", "موسكو", "."];
    assert_eq!(back.tag(&words), t.tag(&words));
    assert_eq!(back.model().to_bytes(), bytes);
}

#[test]
fn rejects_truncated_and_corrupted_files() {
    let bytes = tiny_tagger().model().to_bytes();
    for cut in [0, 5, 40, bytes.len() / 2, bytes.len() - 1] {
        // The reason is the cut itself: shorter than the magic header, or the bytes it holds and more it needs.
        match Model::from_bytes(&bytes[..cut]).unwrap_err() {
            ModelError::BadMagic => {
                assert!(cut < sahifa_core::tagger::model::MAGIC.len(), "cut {cut}")
            }
            e @ ModelError::Truncated { needed, got } => {
                assert_eq!(got, cut, "{e}");
                assert!(needed > cut, "{e}");
                assert_eq!(
                    e.to_string(),
                    format!("model file is truncated: needs {needed} bytes, has {cut}")
                );
            }
            e => panic!("cut {cut}: {e}"),
        }
    }
    let e = Model::from_bytes(&bytes[..bytes.len() - 1]).unwrap_err();
    assert!(e.to_string().contains("truncated"), "{e}");
    for pos in [8, 30, 100, bytes.len() / 2, bytes.len() - 1] {
        let mut bad = bytes.clone();
        bad[pos] ^= 0x41;
        let e = Model::from_bytes(&bad).unwrap_err();
        assert!(
            matches!(
                e,
                ModelError::Checksum { .. }
                    | ModelError::UnsupportedVersion(_)
                    | ModelError::Truncated { .. }
            ),
            "byte {pos}: {e}"
        );
    }
    let mut bad = bytes.clone();
    bad[bytes.len() / 2] ^= 1;
    assert!(Model::from_bytes(&bad)
        .unwrap_err()
        .to_string()
        .contains("corrupted"));
    let mut magic = bytes.clone();
    magic[0] = b'X';
    assert_eq!(Model::from_bytes(&magic).unwrap_err(), ModelError::BadMagic);
}

#[test]
fn embedded_model_is_small_and_finds_entities() {
    let bytes = sahifa_core::tagger::EMBEDDED_MODEL;
    assert!(
        bytes.len() < 2 * 1024 * 1024,
        "model is {} bytes",
        bytes.len()
    );
    let t = embedded();
    let words = [
        "وقال",
        "الرئيس",
        "الأمريكي",
        "جورج",
        "بوش",
        "في",
        "واشنطن",
        ".",
    ];
    let tags = t.tag(&words);
    assert_eq!(tags[3], Tag::B(EntityType::Per));
    assert_eq!(tags[4], Tag::I(EntityType::Per));
    assert_eq!(tags[6], Tag::B(EntityType::Loc));
}

#[test]
fn tag_text_spans_leave_proclitics_outside() {
    let text = "وقال الرئيس جورج بوش إن وفدا سيزور ودمشق قريبا.";
    let spans = tag_text(text);
    let chars: Vec<char> = text.chars().collect();
    let got: Vec<(String, EntityType)> = spans
        .iter()
        .map(|&(s, e, t, _)| (chars[s..e].iter().collect(), t))
        .collect();
    assert!(
        got.contains(&("جورج بوش".to_string(), EntityType::Per)),
        "{got:?}"
    );
    assert!(
        got.contains(&("دمشق".to_string(), EntityType::Loc)),
        "{got:?}"
    );
    for &(s, e, _, c) in &spans {
        assert!(s < e && e <= chars.len());
        assert!((0.0..=1.0).contains(&c), "confidence {c}");
    }
}

mod damaged_but_checksummed {
    //! A file can be damaged before its checksum was computed (a buggy writer, a hand-edited file): the
    //! structure itself must then be checked, with an error and never a panic or an out-of-range write.
    use super::*;
    use proptest::prelude::*;
    use sahifa_core::tagger::model::crc32;

    fn model_bytes() -> &'static [u8] {
        static B: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
        B.get_or_init(|| tiny_tagger().model().to_bytes())
    }

    /// The bytes with `edits` applied and the checksum recomputed.
    fn resealed(edits: &[(usize, u8)]) -> Vec<u8> {
        let mut b = model_bytes().to_vec();
        let body = b.len() - 4;
        for &(pos, v) in edits {
            b[pos % body] = v;
        }
        let crc = crc32(&b[..body]);
        b[body..].copy_from_slice(&crc.to_le_bytes());
        b
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        #[test]
        fn any_resealed_edit_loads_or_says_why(edits in prop::collection::vec((0usize..1 << 20, any::<u8>()), 1..6)) {
            let b = resealed(&edits);
            match Model::from_bytes(&b) {
                Ok(m) => {
                    // A file that loads is a usable model: it tags without panicking.
                    let t = Tagger::new(m);
                    let _ = t.tag(&["قال", "الرئيس", "جورج", "بوش"]);
                }
                // Resealed, so never the checksum: the structure says what is wrong.
                Err(e) => prop_assert!(
                    match &e {
                        ModelError::Checksum { .. } => false,
                        ModelError::Corrupt(why) => !why.is_empty(),
                        _ => true,
                    },
                    "{e}"
                ),
            }
        }
    }

    #[test]
    fn a_row_past_the_table_is_refused() {
        // The first stage's row count sits after the header, the (empty) vocabulary, the scale and the
        // transitions; claiming more rows than the table has must be refused.
        let b = model_bytes();
        let header = 8 + 4 * 6 + 4;
        let vocab_bits = u32::from_le_bytes(b[32..36].try_into().unwrap());
        assert_eq!(vocab_bits, 0, "the tiny model has no vocabulary");
        let rows_at = header + 4 + 2 * 10 * 9;
        let bad = resealed(&[
            (rows_at, 0xff),
            (rows_at + 1, 0xff),
            (rows_at + 2, 0xff),
            (rows_at + 3, 0x7f),
        ]);
        let e = Model::from_bytes(&bad).unwrap_err();
        assert!(e.to_string().contains("rows"), "{e}");
        // The row-delta stream's length (first in the payload) claiming more than the payload holds.
        let deltas_at = rows_at + 8;
        let bad = resealed(&[(deltas_at + 2, 0x7f)]);
        let e = Model::from_bytes(&bad).unwrap_err();
        assert!(e.to_string().contains("stream lengths"), "{e}");
    }
}

#[test]
fn token_path_gives_the_same_gazetteer_hits_and_tags_as_the_word_path() {
    use sahifa_core::tagger::features::{gazetteer_hits, gazetteer_hits_of_tokens};
    use sahifa_core::{sentences, tokenize};
    // Diacritics, tatweel, a lone and an attached RLM, emoji, Latin digits, proclitics, a multi-word name.
    let text = format!(
        "{}\nوقال الأمينُ العـــام للأمم \u{200f} المتحدة كوفي أنان\u{200f} في نيويورك 😀 يوم 12 مارس 2006، وبالأمم المتحدة.",
        sahifa_core::SEED_ARTICLE
    );
    let tokens = tokenize(&text);
    assert!(
        tokens.iter().any(|t| t.text == "\u{200f}"),
        "the lone RLM is a token of its own, which the word path drops"
    );
    let chunks: Vec<&[sahifa_core::Token]> = sentences(&text, &tokens)
        .into_iter()
        .map(|r| &tokens[r])
        .collect();
    let words: Vec<Vec<&str>> = chunks
        .iter()
        .map(|c| c.iter().map(|t| t.text.as_str()).collect())
        .collect();
    let (mut a, mut b) = (Vec::new(), Vec::new());
    let mut hits = 0;
    for (c, w) in chunks.iter().zip(&words) {
        gazetteer_hits(w, &mut a);
        gazetteer_hits_of_tokens(c, &mut b);
        assert_eq!(a, b, "{w:?}");
        hits += a.iter().filter(|h| !h.is_empty()).count();
    }
    assert!(hits > 50, "the gazetteers match words here ({hits})");
    let t = embedded();
    assert_eq!(t.tag_document(&words), t.tag_token_document(&chunks));
}

#[test]
fn the_shipped_model_loads_into_byte_tables() {
    // Every stored value of the shipped model fits in an i8, so it loads as packed byte rows (see
    // `model::Weights` and `byte_rows`): its non-zero rows only, instead of 2^18 rows × 9 tags per stage.
    let m =
        Model::from_bytes(sahifa_core::tagger::EMBEDDED_MODEL).expect("the shipped model loads");
    assert!(m.narrow(), "the shipped model's values all fit in a byte");
}

#[test]
fn a_document_tokenised_once_gives_each_sentence_its_own_gazetteer_hits() {
    use sahifa_core::tagger::features::{gazetteer_hits, DocumentTokens};
    // Sentences as `sahifa tag` reads them: an empty one, a word of format chars alone, a multi-word name,
    // proclitics, digits and punctuation glued to words, and the seed article cut at its full stops.
    let mut sentences: Vec<Vec<String>> = vec![
        vec![],
        "قال الأمين العام للأمم \u{200f} المتحدة كوفي أنان في نيويورك"
            .split(' ')
            .map(String::from)
            .collect(),
        vec![],
        "وبالأمم المتحدة، 12مارس 2006 (رويترز) -- الولايات المتحدة"
            .split(' ')
            .map(String::from)
            .collect(),
    ];
    for s in sahifa_core::SEED_ARTICLE.split('.') {
        sentences.push(s.split_whitespace().map(String::from).collect());
    }
    let doc = DocumentTokens::new(&sentences);
    let (mut want, mut got) = (Vec::new(), Vec::new());
    let mut hits = 0;
    for (i, s) in sentences.iter().enumerate() {
        gazetteer_hits(s, &mut want);
        doc.hits(i, &mut got);
        assert_eq!(got, want, "sentence {i}: {s:?}");
        hits += got.iter().filter(|h| !h.is_empty()).count();
    }
    assert!(hits > 40, "the gazetteers match words here ({hits})");
    // Without confidences, the same tags.
    let t = embedded();
    let with: Vec<Vec<Tag>> = t
        .tag_document(&sentences)
        .into_iter()
        .map(|s| s.into_iter().map(|(t, _)| t).collect())
        .collect();
    let mut without = Vec::new();
    t.tag_document_indices(&sentences, |i, tags| {
        assert_eq!(i, without.len(), "sentences come in order");
        without.push(tags.iter().map(|&k| Tag::from_index(k)).collect::<Vec<_>>());
    });
    assert_eq!(without, with);
}
