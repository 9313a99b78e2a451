//! Many articles at once (`sahifa extract` with several FILEs or JSONL), `--threads`, and `sahifa render`.

mod common;

use common::sahifa;
use serde_json::Value;
use std::path::PathBuf;

const ARTICLES: [&str; 4] = [
    "أعلن الكرملين أن فلاديمير بوتين سيزور أذربيجان يوم 27 سبتمبر.",
    "قال الرئيس جورج بوش في واشنطن إن الأمم المتحدة ستجتمع.\n\nوأضاف أن 300 جندي وصلوا إلى بغداد.",
    "لا كيانات هنا تقريبا.",
    "😀 قالَ الرئيس فلاديمير بوتين <b>&</b>",
];

fn temp(name: &str, text: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("sahifa-batch-{}-{name}", std::process::id()));
    std::fs::write(&p, text).unwrap();
    p
}

/// `(start, end, type, text, entity)` of each entity, from the single-article JSON or a batch line.
fn spans(list: &Value, type_key: &str) -> Vec<(u64, u64, String, String, String)> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["start"].as_u64().unwrap(),
                e["end"].as_u64().unwrap(),
                e[type_key].as_str().unwrap().to_string(),
                e["text"].as_str().unwrap().to_string(),
                e["entity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn jsonl_input() -> String {
    ARTICLES
        .iter()
        .enumerate()
        .map(|(i, t)| {
            format!(
                "{}\n",
                serde_json::json!({"id": format!("a{i}"), "text": t})
            )
        })
        .collect()
}

#[test]
fn batch_of_files_equals_one_file_at_a_time() {
    let paths: Vec<PathBuf> = (0..ARTICLES.len())
        .map(|i| temp(&format!("{i}.txt"), ARTICLES[i]))
        .collect();
    let names: Vec<&str> = paths.iter().map(|p| p.to_str().unwrap()).collect();
    let mut args = vec!["extract"];
    args.extend(&names);
    let (code, out, err) = sahifa(&args, "");
    assert_eq!(code, 0, "{err}");
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), ARTICLES.len());
    for (line, name) in lines.iter().zip(&names) {
        assert_eq!(line["id"], *name, "in input order, id = path");
        let (code, one, err) = sahifa(&["extract", name], "");
        assert_eq!(code, 0, "{err}");
        let one: Value = serde_json::from_str(&one).unwrap();
        assert_eq!(
            spans(&line["annotations"], "label"),
            spans(&one["entities"], "type")
        );
    }
    assert!(lines
        .iter()
        .any(|l| !l["annotations"].as_array().unwrap().is_empty()));
    for p in paths {
        std::fs::remove_file(p).ok();
    }
}

#[test]
fn jsonl_stream_gives_the_same_lines_on_one_thread_or_many() {
    let input = jsonl_input().repeat(20);
    let (code, one, err) = sahifa(&["extract", "--jsonl", "--threads", "1", "-"], &input);
    assert_eq!(code, 0, "{err}");
    let (code, many, err) = sahifa(&["extract", "--jsonl", "--threads", "4", "-"], &input);
    assert_eq!(code, 0, "{err}");
    assert_eq!(one, many);
    assert_eq!(one.lines().count(), 4 * 20);
    let first: Value = serde_json::from_str(one.lines().next().unwrap()).unwrap();
    assert_eq!(first["id"], "a0");
    // A .jsonl name is read as JSONL without the flag; numeric ids stay numbers.
    let p = temp(
        "articles.jsonl",
        "{\"id\": 7, \"text\": \"زار بوتين أذربيجان.\"}\n\n",
    );
    let (code, out, err) = sahifa(&["extract", p.to_str().unwrap()], "");
    std::fs::remove_file(&p).ok();
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["id"], 7);
    // Confidences in their shortest form, as the single-article JSON writes them.
    assert!(!out.contains("99999"), "{out}");
}

#[test]
fn bad_jsonl_line_is_named() {
    let cases = [
        (
            "{\"id\": \"a\", \"text\": \"نص\"}\n{\"id\": \"b\", \"text\": \n",
            "line 2: not JSON",
        ),
        (
            "{\"id\": \"a\", \"text\": \"نص\"}\n\n{\"text\": \"نص\"}\n",
            "line 3: no \"id\"",
        ),
        (
            "{\"id\": \"a\", \"text\": 5}\n",
            "line 1: \"text\" must be a string",
        ),
        (
            "{\"id\": [1], \"text\": \"نص\"}\n",
            "line 1: \"id\" must be",
        ),
        ("\n\n", "empty"),
    ];
    for (input, want) in cases {
        let (code, out, err) = sahifa(&["extract", "--jsonl", "-"], input);
        assert_eq!(code, 1, "{input:?}: {err}");
        assert!(out.is_empty(), "{input:?}: {out}");
        assert!(
            err.starts_with("sahifa: ") && err.contains(want),
            "{input:?}: {err}"
        );
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    }
    let (code, _, err) = sahifa(
        &["extract", "--jsonl", "--format", "csv", "-"],
        &jsonl_input(),
    );
    assert_eq!(code, 1);
    assert!(err.contains("--format csv writes one article"), "{err}");
    let (code, _, err) = sahifa(&["extract", "--threads", "0", "-"], "نص");
    assert_eq!(code, 1);
    assert!(err.contains("--threads must be"), "{err}");
}

#[test]
fn tag_output_is_the_same_on_one_thread_or_many() {
    // Enough sentences that the file is cut into several runs tagged apart (each with its context).
    let gold = "وقال O\nالرئيس O\nجورج B-PERS\nبوش I-PERS\nفي O\nواشنطن B-LOC\n. O\nوزار O\nبوش B-PERS\nبغداد B-LOC\n. O\n";
    let input = gold.repeat(400);
    let (code, one, err) = sahifa(&["tag", "--threads", "1", "-"], &input);
    assert_eq!(code, 0, "{err}");
    let (code, many, err) = sahifa(&["tag", "--threads", "3", "-"], &input);
    assert_eq!(code, 0, "{err}");
    assert_eq!(one, many);
    assert_eq!(one.lines().filter(|l| !l.is_empty()).count(), 11 * 400);
}

#[test]
fn render_writes_the_article_with_its_marks() {
    let (code, html, err) = sahifa(&["render", "-"], ARTICLES[1]);
    assert_eq!(code, 0, "{err}");
    assert!(
        html.starts_with(r#"<article class="sahifa-article" lang="ar" dir="rtl" data-sahifa-rendered="1" data-sahifa-text="crc32:"#),
        "{html}"
    );
    assert_eq!(html.matches("<p class=\"sahifa-p\"").count(), 2);
    for a in [
        "data-type=\"PER\"",
        "data-start=",
        "data-end=",
        "data-source=\"extractor\"",
        "data-entity=",
        "data-status=\"suggested\"",
    ] {
        assert!(html.contains(a), "{a}: {html}");
    }
    let (code, same, _) = sahifa(&["extract", "--format", "html", "-"], ARTICLES[1]);
    assert_eq!(code, 0);
    assert_eq!(html, same);
    let (_, escaped, _) = sahifa(&["render", "-"], ARTICLES[3]);
    assert!(escaped.contains("&lt;b&gt;&amp;&lt;/b&gt;"), "{escaped}");
}

#[test]
fn usage_errors_are_one_line_and_exit_1() {
    let cases: [(&[&str], &str); 4] = [
        (&["train", "--out", "/nonexistent/m.bin"], "--data <FILE>"),
        (&["extract"], "required"),
        (&["frob"], "unrecognized subcommand"),
        (&["tag", "--threads", "two", "-"], "--threads must be"),
    ];
    for (args, want) in cases {
        let (code, out, err) = sahifa(args, "");
        assert_eq!(code, 1, "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}");
        assert!(
            err.starts_with("sahifa: ") && err.contains(want),
            "{args:?}: {err}"
        );
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    }
    let (code, out, _) = sahifa(&["--help"], "");
    assert_eq!(code, 0);
    assert!(out.contains("extract") && out.contains("render"), "{out}");
}
