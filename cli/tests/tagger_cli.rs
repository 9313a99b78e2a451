//! `sahifa tag` and `sahifa eval` on a small CoNLL file with ANERcorp's tag names.

mod common;

fn run(args: &[&str], input: &str) -> (bool, String, String) {
    let (code, out, err) = common::sahifa(args, input);
    (code == 0, out, err)
}

const GOLD: &str = "وقال O\nالرئيس O\nجورج B-PERS\nبوش I-PERS\nفي O\nواشنطن B-LOC\n. O\n";

#[test]
fn tag_prints_token_gold_pred_with_input_names() {
    let (ok, out, err) = run(&["tag", "-"], GOLD);
    assert!(ok, "{err}");
    let lines: Vec<&str> = out.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 7);
    assert_eq!(lines[2], "جورج B-PERS B-PERS");
    assert_eq!(lines[5], "واشنطن B-LOC B-LOC");
    for l in &lines {
        assert_eq!(l.split(' ').count(), 3, "{l}");
    }
}

#[test]
fn tag_without_gold_prints_token_pred() {
    let words: String = GOLD
        .lines()
        .map(|l| format!("{}\n", l.split(' ').next().unwrap()))
        .collect();
    let (ok, out, _) = run(&["tag", "-"], &words);
    assert!(ok);
    assert!(out
        .lines()
        .filter(|l| !l.is_empty())
        .all(|l| l.split(' ').count() == 2));
    assert!(out.contains("جورج B-PER\n"), "{out}");
}

#[test]
fn eval_prints_a_table_and_bad_input_fails_cleanly() {
    let (ok, out, _) = run(&["eval", "-"], GOLD);
    assert!(ok);
    assert!(out.contains("micro") && out.contains("PERS"), "{out}");
    let (ok, _, err) = run(&["eval", "-"], "");
    assert!(!ok && err.contains("empty"), "{err}");
    let (ok, _, err) = run(&["tag", "--model", "/nonexistent/model.bin", "-"], GOLD);
    assert!(!ok && err.contains("cannot read"), "{err}");
}
