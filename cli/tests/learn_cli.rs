//! `sahifa train --continue-from`: the shipped model learns a team's corrections from exported files.

mod common;

use std::path::PathBuf;

fn temp(name: &str, content: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sahifa-learn-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p
}

/// A name the shipped model reads as a person, corrected to an organisation in two sentences.
const CORRECTED: &str = "وأكد O\nزرنيخوف B-ORG\nأن O\nالاتفاق O\nقريب O\n. O\n\nوقال O\nزرنيخوف B-ORG\nإن O\nالعمل O\nمستمر O\n. O\n";

fn tag_with(model: Option<&str>) -> String {
    let mut args = vec!["tag"];
    if let Some(m) = model {
        args.extend(["--model", m]);
    }
    args.push("-");
    let (code, out, err) = common::sahifa(&args, CORRECTED);
    assert_eq!(code, 0, "{err}");
    out
}

#[test]
fn continue_from_the_shipped_model_learns_a_tiny_conll_example_deterministically() {
    let before = tag_with(None);
    assert!(
        !before.contains("زرنيخوف B-ORG B-ORG"),
        "the shipped model does not know it yet: {before}"
    );
    let data = temp("corrected.conll", CORRECTED);
    let (a, b) = (temp("a.bin", ""), temp("b.bin", ""));
    for out in [&a, &b] {
        let args = [
            "train",
            "--continue-from",
            "embedded",
            "--annotations",
            data.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ];
        let (code, _, err) = common::sahifa(&args, "");
        assert_eq!(code, 0, "{err}");
    }
    let (a_bytes, b_bytes) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    assert_eq!(a_bytes, b_bytes, "same inputs, same model bytes");
    let after = tag_with(Some(a.to_str().unwrap()));
    assert_eq!(after.matches("زرنيخوف B-ORG B-ORG").count(), 2, "{after}");
}

#[test]
fn continue_from_reads_a_widget_export_with_its_article() {
    let text = temp("article.txt", "وأكد زرنيخوف أن الاتفاق قريب.\n");
    // As the widget exports it: the annotator retyped the machine's person as an organisation.
    let jsonl = temp(
        "work.jsonl",
        r#"{"meta":{"generator":"sahifa"},"spans":[{"end":12,"label":"ORG","source":"user","start":5,"status":"accepted","text":"زرنيخوف"}],"text":"وأكد زرنيخوف أن الاتفاق قريب.\n"}"#,
    );
    let out = temp("c.bin", "");
    let args = [
        "train",
        "--continue-from",
        "embedded",
        "--annotations",
        jsonl.to_str().unwrap(),
        "--text",
        text.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    let (code, _, err) = common::sahifa(&args, "");
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = common::sahifa(
        &["tag", "--model", out.to_str().unwrap(), "-"],
        "وأكد\nزرنيخوف\nأن\nالاتفاق\nقريب\n.\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("زرنيخوف B-ORG"), "{out}");
}

#[test]
fn nothing_reviewed_or_no_text_is_a_one_line_error() {
    let text = temp("article2.txt", "وأكد زرنيخوف أن الاتفاق قريب.\n");
    let suggested = temp(
        "suggested.jsonl",
        r#"{"spans":[{"end":12,"label":"PER","source":"extractor","start":5,"status":"suggested","text":"زرنيخوف"}],"text":"وأكد زرنيخوف أن الاتفاق قريب.\n"}"#,
    );
    let out = temp("d.bin", "");
    let base = [
        "train",
        "--continue-from",
        "embedded",
        "--annotations",
        suggested.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    let (code, _, err) = common::sahifa(&base, "");
    assert_eq!(code, 1);
    assert!(err.contains("need --text"), "{err}");
    let mut with_text = base.to_vec();
    with_text.extend(["--text", text.to_str().unwrap()]);
    let (code, _, err) = common::sahifa(&with_text, "");
    assert_eq!(code, 1);
    assert!(err.contains("nothing to learn"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}
