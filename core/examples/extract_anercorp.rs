//! What the widget's extraction (rules and gazetteers merged with the tagger) scores on ANERcorp text,
//! beside the tagger alone, as spans in running text rather than tags on tokens.
//!
//! Why: `sahifa eval` scores the tagger on ANERcorp's own tokens; the widget runs `extract()` on raw text,
//! where the rules can add names the tagger misses or override its spans. This joins the last 10% of
//! `train.txt` (the tagger's dev set) into running text, maps every gold entity to a code-point span whose
//! start skips the first token's proclitics (as the annotation guidelines ask), and scores PER, LOC, ORG
//! and MISC spans by exact match. ANERcorp's conventions differ from the guidelines in places (it leaves
//! most "الحكومة العراقية"-style phrases untagged), so read the figures as a comparison of the two paths.
//! The model scored is the embedded one, which was trained on this dev set too: use a model trained on the
//! first 90% (`--model FILE`) for an honest figure.
//!
//! `cargo run --release -p sahifa-core --example extract_anercorp -- --data ../shared/data/anercorp/train.txt
//! [--model FILE]`

use sahifa_core::extract_with;
use sahifa_core::metrics::Counts;
use sahifa_core::tagger::train::{examples, split_dev};
use sahifa_core::tagger::Tagger;
use sahifa_core::{conll, EntityType};
use sahifa_core::{tokenize, Token};
use std::collections::BTreeSet;

#[path = "common/gold.rs"]
mod gold;
use gold::Span;

fn score(gold: &BTreeSet<Span>, pred: &BTreeSet<Span>) -> Counts {
    let tp = gold.intersection(pred).count();
    Counts {
        tp,
        fp: pred.len() - tp,
        fn_: gold.len() - tp,
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let get = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let data = get("--data").expect("--data FILE");
    let tagger = match get("--model") {
        Some(p) => Tagger::from_bytes(&std::fs::read(p).expect("model file")).expect("valid model"),
        None => sahifa_core::tagger::embedded().clone(),
    };
    let doc = conll::read(&std::fs::read_to_string(&data).expect("readable data"));
    let (_, dev) = split_dev(examples(&doc), 0.1);
    // Running text: words joined by spaces, sentences by newlines; remember each word's code-point span.
    let mut text = String::new();
    let mut cp = 0usize;
    let mut gold = Vec::new();
    for ex in &dev {
        let mut spans = Vec::new();
        for w in &ex.words {
            spans.push((cp, cp + w.chars().count()));
            cp += w.chars().count() + 1;
            text.push_str(w);
            text.push(' ');
        }
        text.push('\n');
        cp += 1;
        gold.extend(gold::entity_spans(&ex.tags, &spans));
    }
    let gold: BTreeSet<Span> = gold::skip_proclitics(&text, gold);
    let tokens = tokenize(&text);
    let kinds = [
        EntityType::Per,
        EntityType::Loc,
        EntityType::Org,
        EntityType::Misc,
    ];
    let tagged: BTreeSet<Span> = tagger
        .spans_in(&text, &tokens)
        .into_iter()
        .map(|(s, e, t, _)| (s, e, t))
        .collect();
    let merged: BTreeSet<Span> =
        extract_with(&text, Some(&|toks: &[Token]| tagger.spans_in(&text, toks)))
            .into_iter()
            .filter_map(|a| {
                let t: EntityType = a.label.parse().ok()?;
                kinds.contains(&t).then_some((a.start, a.end, t))
            })
            .collect();
    println!("{} dev entities in {} code points", gold.len(), cp);
    if args.iter().any(|a| a == "--diff") {
        // Where the paths disagree: spans only one of them has, marked with whether gold has them.
        let chars: Vec<char> = text.chars().collect();
        let show = |s: &Span| chars[s.0..s.1].iter().collect::<String>();
        for s in tagged.symmetric_difference(&merged) {
            let who = if tagged.contains(s) {
                "tagger"
            } else {
                "merged"
            };
            let ok = if gold.contains(s) { "GOLD" } else { "----" };
            let ctx: String = chars[s.0.saturating_sub(20)..(s.1 + 20).min(chars.len())]
                .iter()
                .collect();
            println!(
                "{who} {ok} {} [{}]   …{}…",
                s.2,
                show(s),
                ctx.replace('\n', " ")
            );
        }
    }
    for (name, pred) in [
        ("tagger alone", &tagged),
        ("extract (rules + tagger)", &merged),
    ] {
        let c = score(&gold, pred);
        print!(
            "{name:<26} P {:.2} R {:.2} F1 {:.2} |",
            100.0 * c.precision(),
            100.0 * c.recall(),
            100.0 * c.f1()
        );
        for t in kinds {
            let g: BTreeSet<Span> = gold.iter().filter(|s| s.2 == t).copied().collect();
            let p: BTreeSet<Span> = pred.iter().filter(|s| s.2 == t).copied().collect();
            print!(" {t} {:.1}", 100.0 * score(&g, &p).f1());
        }
        println!();
    }
}
