//! Training on two corpora with different tag sets: each is folded its own way, weighted and flagged with
//! its domain (and, per type, how much its updates count), and the tagger learns both; the same seed gives
//! the same bytes.

use sahifa_core::conll;
use sahifa_core::tagger::corpus::{examples_folded, Corpus, CorpusSpec, Folding};
use sahifa_core::tagger::train::{train_corpora, TrainOptions};
use sahifa_core::tagger::Tagger;

/// News-style, ANERcorp tags.
const NEWS: &str = "\
قال O
الرئيس O
جورج B-PERS
بوش I-PERS
في O
واشنطن B-LOC
. O
أعلنت O
شركة O
مايكروسوفت B-ORG
. O
";

/// Wikipedia-style, WikiFANE fine classes (tab-separated, a blank line between sentences).
const WIKI: &str = "ولد\tO\nنابليون\tB-Politician\nفي\tO\nكورسيكا\tB-State-or-Province\n.\tO\n\n\
يلعب\tO\nالعرب\tB-Group\nفي\tO\nنادي\tB-Sports\nبرشلونه\tI-Sports\n.\tO\n";

fn corpora(copies_weight: f32) -> Vec<Corpus> {
    vec![
        Corpus::new(
            examples_folded(&conll::read(NEWS), Folding::Identity),
            1.0,
            0,
        ),
        Corpus::new(
            examples_folded(&conll::read(WIKI), Folding::WikiFane { misc: false }),
            copies_weight,
            1,
        ),
    ]
}

/// Options for a corpus this small: a few feature rows, no pruning.
fn tiny_options(domain_copies: bool) -> TrainOptions {
    TrainOptions {
        epochs: 10,
        seed: 3,
        bits: 14,
        prune: [0.0; 2],
        ensemble: 2,
        domain_copies,
        ..TrainOptions::default()
    }
}

fn tiny(domain_copies: bool) -> Tagger {
    let opts = tiny_options(domain_copies);
    Tagger::new(train_corpora(&corpora(0.7), &[], &opts, |_, _, _| {}).model)
}

fn tags(t: &Tagger, words: &[&str]) -> Vec<String> {
    t.tag(words).iter().map(|t| t.to_conll("PER")).collect()
}

#[test]
fn folds_each_corpus_its_own_way() {
    let wiki = &corpora(1.0)[1].examples;
    let t: Vec<String> = wiki[1].tags.iter().map(|t| t.to_conll("PER")).collect();
    // Peoples are O (as in ANERcorp); a sports team is an ORG.
    assert_eq!(t, ["O", "O", "O", "B-ORG", "I-ORG", "O"]);
}

#[test]
fn learns_a_tiny_mixed_corpus() {
    for copies in [false, true] {
        let t = tiny(copies);
        assert_eq!(
            tags(&t, &["قال", "الرئيس", "جورج", "بوش", "في", "واشنطن", "."]),
            ["O", "O", "B-PER", "I-PER", "O", "B-LOC", "O"],
            "news, copies {copies}"
        );
        assert_eq!(
            tags(&t, &["ولد", "نابليون", "في", "كورسيكا", "."]),
            ["O", "B-PER", "O", "B-LOC", "O"],
            "wiki, copies {copies}"
        );
    }
}

#[test]
fn a_type_weight_of_zero_teaches_nothing_of_that_type() {
    // The Wikipedia corpus alone, its ORG updates weighted 1 and 0: the sports team is learned only
    // with 1, while its people and places are learned either way.
    let team = ["يلعب", "العرب", "في", "نادي", "برشلونه", "."];
    let trained = |org: f32| {
        let wiki = examples_folded(&conll::read(WIKI), Folding::WikiFane { misc: false });
        let corpus = Corpus {
            type_weights: [1.0, 1.0, org, 1.0],
            ..Corpus::new(wiki, 1.0, 0)
        };
        let opts = tiny_options(false);
        Tagger::new(train_corpora(&[corpus], &[], &opts, |_, _, _| {}).model)
    };
    let (with, without) = (trained(1.0), trained(0.0));
    assert_eq!(tags(&with, &team), ["O", "O", "O", "B-ORG", "I-ORG", "O"]);
    assert!(tags(&without, &team).iter().all(|t| !t.ends_with("ORG")));
    for t in [&with, &without] {
        assert_eq!(
            tags(t, &["ولد", "نابليون", "في", "كورسيكا", "."]),
            ["O", "B-PER", "O", "B-LOC", "O"]
        );
    }
}

#[test]
fn stacking_with_ensembles_learns_and_repeats() {
    // The second stage's memory predicted by ensembles of first-stage runs (`stack_ensemble`).
    let opts = TrainOptions {
        stack_ensemble: true,
        ..tiny_options(true)
    };
    let train = || train_corpora(&corpora(0.7), &[], &opts, |_, _, _| {}).model;
    let (a, b) = (train(), train());
    assert_eq!(a.to_bytes(), b.to_bytes(), "same seed, same bytes");
    let single = train_corpora(&corpora(0.7), &[], &tiny_options(true), |_, _, _| {}).model;
    assert_ne!(a.to_bytes(), single.to_bytes(), "the memory came from other predictions");
    let t = Tagger::new(a);
    assert_eq!(
        tags(&t, &["قال", "الرئيس", "جورج", "بوش", "في", "واشنطن", "."]),
        ["O", "O", "B-PER", "I-PER", "O", "B-LOC", "O"]
    );
}

#[test]
fn same_seed_same_bytes() {
    for copies in [false, true] {
        assert_eq!(
            tiny(copies).model().to_bytes(),
            tiny(copies).model().to_bytes()
        );
    }
}

#[test]
fn corpus_specs_read_files_under_their_folding() {
    let dir = std::env::temp_dir().join(format!("sahifa-corpora-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("wiki.txt");
    std::fs::write(&path, WIKI).unwrap();
    let spec: CorpusSpec = format!("{}:wikifane-nomisc:0.5", path.display())
        .parse()
        .unwrap();
    let c = spec.read(2).unwrap();
    assert_eq!((c.weight, c.domain, c.examples.len()), (0.5, 2, 2));
    let spec: CorpusSpec = format!("{}:wikifane-nomisc:1,MISC=0,ORG=0.5", path.display())
        .parse()
        .unwrap();
    assert_eq!(spec.read(1).unwrap().type_weights, [1.0, 1.0, 0.5, 0.0]);
    let missing: CorpusSpec = "/nonexistent/x.txt".parse().unwrap();
    assert!(missing.read(1).unwrap_err().contains("cannot read"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn type_profiles_are_features_and_a_corpus_profile_overrides_the_threads() {
    use sahifa_core::normalize_key;
    use sahifa_core::tagger::features::{hash_bytes, stem_range};
    use sahifa_core::tagger::stem_table::{self, profile, StemTable};
    // A profile that calls the names of the tiny corpora what they are (and a verb "never a name").
    let stem = |w: &str| {
        let key = normalize_key(w);
        let (r, _, _) = stem_range(&key);
        hash_bytes(key[r].as_bytes())
    };
    let c = |o: u64, k: usize| {
        let mut c: profile::Counts = [o, 0, 0, 0, 0, 0, 0, 0, 0];
        c[k] = 50;
        profile::code(&c)
    };
    let forms = [
        (stem("جورج"), 60, c(2, 1)),
        (stem("واشنطن"), 60, c(2, 3)),
        (stem("مايكروسوفت"), 60, c(2, 5)),
        (stem("نابليون"), 60, c(2, 1)),
        (stem("قال"), 60, c(500, 0)),
    ];
    let table: &'static StemTable = Box::leak(Box::new(StemTable::from_forms(forms, 10)));
    let opts = tiny_options(true);
    let train = |cs: &[Corpus]| train_corpora(cs, &[], &opts, |_, _, _| {}).model.to_bytes();
    // With no profile anywhere, training is as before (the shipped model's case).
    let plain = train(&corpora(0.7));
    stem_table::set_profiles(Some(table));
    let threads = train(&corpora(0.7));
    stem_table::set_profiles(None);
    assert_ne!(plain, threads, "the profile's features are learned");
    // Each corpus with its own profile (a jackknife's halves), none on the thread: the same features.
    let own: Vec<Corpus> = corpora(0.7)
        .into_iter()
        .map(|c| Corpus {
            profile: Some(table),
            ..c
        })
        .collect();
    assert_eq!(train(&own), threads);
    assert!(stem_table::profiles().is_none(), "training restores the thread's profile");
}
