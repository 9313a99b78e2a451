//! A saved dev model scored with extra per-type margins (no retraining): ANERcorp's last tenth per type
//! and, with `--held FILE:FOLDING`, an added corpus's held-out tenth on PER/LOC/ORG.
//!
//! `cargo run --release -p sahifa-core --example tagger_type_shifts -- --model /tmp/grid-24-30-2-10.bin
//! --data ../shared/data/anercorp/train.txt [--held ../shared/data/wikifane/wikifane-gold.txt:wikifane-nomisc]
//! --shifts ORG=2,MISC=4/MISC=6` (each `/`-separated setting raises the named types' B and I scores by
//! that much at every token, on top of the model's own margin against O; the model as saved is scored
//! first). A model trained with type profiles is scored with its dev run's, `--profile P.bin`.

use sahifa_core::conll;
use sahifa_core::tagger::corpus::{read_added, score, CorpusSpec};
use sahifa_core::tagger::stem_table::{self, StemTable};
use sahifa_core::tagger::train::{examples, split_dev};
use sahifa_core::tagger::{Model, Tagger, TYPES};
use sahifa_core::EntityType;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mut model, mut data, mut held, mut settings) = (None, None, Vec::new(), Vec::new());
    let mut errors = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut v = || it.next().expect("option needs a value").clone();
        match a.as_str() {
            "--model" => model = Some(v()),
            "--data" => data = Some(v()),
            "--held" => held.push(v().parse::<CorpusSpec>().expect("--held FILE:FOLDING")),
            "--errors" => errors = true,
            "--profile" => {
                let b = std::fs::read(v()).expect("readable --profile");
                let t = StemTable::from_bytes(&b).expect("a profile table");
                stem_table::set_profiles(Some(Box::leak(Box::new(t))));
            }
            "--shifts" => settings = v().split('/').map(parse_setting).collect(),
            other => panic!("unknown option {other}"),
        }
    }
    let bytes = std::fs::read(model.expect("--model FILE")).expect("readable model");
    let base = Model::from_bytes(&bytes).expect("a model file");
    let doc = conll::read(&std::fs::read_to_string(data.expect("--data FILE")).expect("readable"));
    let (_, dev) = split_dev(examples(&doc), 0.1);
    let (_, held) = read_added(&held, 0.1).expect("readable corpora");
    if errors {
        print_errors(&Tagger::new(base.clone()), &dev);
    }
    let plo = [EntityType::Per, EntityType::Loc, EntityType::Org];
    for setting in std::iter::once(Vec::new()).chain(settings) {
        let mut m = base.clone();
        for &(ty, d) in &setting {
            m.shift_tag(2 * ty - 1, d);
            m.shift_tag(2 * ty, d);
        }
        let tagger = Tagger::new(m);
        let s = score(&tagger, &dev, &TYPES);
        let h: Vec<String> = held
            .iter()
            .map(|(_, d)| format!("{:.2}", 100.0 * score(&tagger, d, &plo).micro().f1()))
            .collect();
        println!(
            "shifts {setting:?}: dev {:.2}, held-out {}\n{}",
            100.0 * s.micro().f1(),
            h.join(" "),
            s.table()
        );
    }
}

/// `ORG=2,MISC=4` → [(3, 2.0), (4, 4.0)] (types numbered as tags: 1 PER, 2 LOC, 3 ORG, 4 MISC).
fn parse_setting(s: &str) -> Vec<(usize, f32)> {
    s.split(',')
        .map(|kv| {
            let (k, v) = kv.split_once('=').expect("TYPE=VALUE");
            let ty = match k {
                "PER" => 1,
                "LOC" => 2,
                "ORG" => 3,
                "MISC" => 4,
                other => panic!("unknown type {other}"),
            };
            (ty, v.parse().expect("a number"))
        })
        .collect()
}

/// `--errors`: every dev entity missed or mistagged, and every false one, with its sentence's words around.
fn print_errors(tagger: &Tagger, dev: &[sahifa_core::tagger::train::Example]) {
    let words: Vec<Vec<&str>> = dev
        .iter()
        .map(|e| e.words.iter().map(String::as_str).collect())
        .collect();
    let conll = |tags: &mut dyn Iterator<Item = sahifa_core::tagger::Tag>| {
        let tags: Vec<String> = tags.map(|t| t.to_conll("PER")).collect();
        conll::spans(&tags)
    };
    for (e, p) in dev.iter().zip(tagger.tag_document(&words)) {
        let g = conll(&mut e.tags.iter().copied());
        let q = conll(&mut p.iter().map(|t| t.0));
        let ctx = |a: usize, b: usize| {
            let (lo, hi) = (a.saturating_sub(3), (b + 3).min(e.words.len()));
            let w = |r: std::ops::Range<usize>| e.words[r].join(" ");
            format!("{} [{}] {}", w(lo..a), w(a..b), w(b..hi))
        };
        for (a, b, t) in &g {
            if !q.contains(&(*a, *b, t.clone())) {
                let over: Vec<String> = q
                    .iter()
                    .filter(|x| x.0 < *b && *a < x.1)
                    .map(|x| format!("{} {}", x.2, e.words[x.0..x.1].join(" ")))
                    .collect();
                println!("MISS {t}\t{}\tpred: {}", ctx(*a, *b), over.join("; "));
            }
        }
        for (a, b, t) in &q {
            if !g.iter().any(|x| x.0 < *b && *a < x.1) {
                println!("FALSE {t}\t{}", ctx(*a, *b));
            }
        }
    }
}
