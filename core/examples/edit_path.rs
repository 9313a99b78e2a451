//! Where an edit's time goes natively, on a long article: the session is built with the whole extraction
//! (as the widget has it once every group is in), then PER is added on `--adds` unmarked words of 3+
//! letters spread over it (as `bench/learn.mjs` and the browser's interaction benchmark pick them), and
//! each step is timed: `Session::apply(Add)` (the reducer with propagation), the session's JSON snapshot
//! (the autosave), `learned` (what the reviewed sentences teach) and one `resuggest` group.
//!
//! `cargo run --release -p sahifa-core --example edit_path -- bench/.out/texts/words-20k.txt`

use sahifa_core::session::{learned, paragraph_groups, Action, Session};
use sahifa_core::tagger::{self, Overlay};
use std::sync::Arc;
use std::time::Instant;

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: edit_path ARTICLE.txt [ADDS]");
    let adds: usize = args.next().map_or(11, |n| n.parse().expect("a number of additions"));
    let text = std::fs::read_to_string(&path).expect("readable article");
    let t = Instant::now();
    let found = sahifa_core::extract(&text);
    eprintln!("extracted {} annotations in {:.0} ms", found.len(), ms(t));
    let mut session = Session::new(text.clone(), found, true);
    let chars: Vec<char> = text.chars().collect();
    let mut covered = vec![false; chars.len()];
    for a in session.kept() {
        covered[a.start..a.end].fill(true);
    }
    let mut words = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len() && !chars[j].is_whitespace() {
            j += 1;
        }
        if j - i >= 3 && chars[i].is_alphabetic() && chars[j - 1].is_alphabetic() && !covered[i..j].contains(&true) {
            words.push((i, j));
        }
        i = j;
    }
    let picks: Vec<(usize, usize)> =
        (0..adds).map(|k| words[((k as f64 + 0.5) * words.len() as f64 / adds as f64) as usize]).collect();
    let (t, mut slices, mut longest) = (Instant::now(), 0, 0.0f64);
    loop {
        let s = Instant::now();
        let done = session.article.prepare_words(8_000);
        longest = longest.max(ms(s));
        slices += 1;
        if done {
            break;
        }
    }
    eprintln!("words index (once per article): {:.1} ms in {slices} slices, the longest {longest:.1} ms", ms(t));
    let model = tagger::embedded();
    if let Ok(n) = std::env::var("EDIT_PATH_REPEAT") {
        // For a profiler: every pick added `n` times to the same session, nothing else.
        let n: usize = n.parse().expect("a number of repeats");
        let t = Instant::now();
        for _ in 0..n {
            for &(start, end) in &picks {
                let _ = session.apply(Action::Add { start, end, label: "PER".into(), note: None });
            }
        }
        println!("apply mean {:.3} ms", ms(t) / (n * picks.len()) as f64);
        return;
    }
    let (mut apply, mut snap, mut learn, mut group) = (vec![], vec![], vec![], vec![]);
    for (start, end) in picks {
        let t = Instant::now();
        let next = session
            .apply(Action::Add { start, end, label: "PER".into(), note: None })
            .expect("added");
        apply.push(ms(t));
        let p = next.last_propagation;
        let t = Instant::now();
        let json = next.snapshot_json();
        snap.push(ms(t));
        let t = Instant::now();
        let overlay = Arc::new(learned(model, &Overlay::new(), &next));
        learn.push(ms(t));
        // The learner's run: a group of paragraphs re-suggested and applied a task; its longest task.
        let mut after = next.clone();
        let (mut longest, mut moved) = (0.0f64, 0);
        for (gs, ge) in paragraph_groups(&next.article, 2_000) {
            let t = Instant::now();
            if let Some(action) = after.resuggest(model, Some(overlay.clone()), gs, ge) {
                if let Ok(s) = after.apply(action) {
                    after = s;
                    moved += 1;
                }
            }
            longest = longest.max(ms(t));
        }
        group.push(longest);
        eprintln!("  re-suggestion: {moved} groups changed");
        eprintln!(
            "add {start}..{end}: apply {:.2} ms (suggested {}, retyped {}, dropped {}), snapshot {:.2} ms ({} kB), learned {:.2} ms, longest group {:.2} ms",
            apply.last().unwrap(), p.suggested, p.retyped, p.dropped, snap.last().unwrap(), json.len() / 1000,
            learn.last().unwrap(), group.last().unwrap()
        );
        session = next;
    }
    println!(
        "{{\"applyMedianMs\": {:.2}, \"applyMaxMs\": {:.2}, \"snapshotMedianMs\": {:.2}, \"learnedMedianMs\": {:.2}, \"groupMedianMs\": {:.2}}}",
        median(apply.clone()), apply.iter().cloned().fold(0.0, f64::max), median(snap), median(learn), median(group)
    );
}
