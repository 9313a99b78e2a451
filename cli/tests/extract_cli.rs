//! `sahifa extract` on bad input: one clear line on stderr, a non-zero exit, never a panic.

use std::process::Command;

fn extract(path: &std::path::Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sahifa"))
        .arg("extract")
        .arg(path)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn temp(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = std::env::temp_dir().join(format!("sahifa-cli-{}-{name}", std::process::id()));
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn bad_inputs_get_a_clear_message_and_exit_1() {
    let big = vec![b'a'; 50 * 1024 * 1024];
    let cases: [(&str, Vec<u8>, &str); 4] = [
        (
            "invalid-utf8",
            vec![0xd8, 0xa7, 0xff, 0xfe, b' '],
            "not valid UTF-8",
        ),
        ("binary", vec![0x7f, b'E', b'L', b'F', 0, 1, 2], "binary"),
        ("empty", Vec::new(), "empty"),
        ("big", big, "larger than"),
    ];
    for (name, bytes, want) in cases {
        let p = temp(name, &bytes);
        let (code, stdout, stderr) = extract(&p);
        std::fs::remove_file(&p).ok();
        assert_eq!(code, 1, "{name}: {stderr}");
        assert!(stdout.is_empty(), "{name}: nothing on stdout");
        assert!(
            stderr.starts_with("sahifa: ") && stderr.contains(want),
            "{name}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        assert_eq!(
            stderr.trim_end().lines().count(),
            1,
            "{name}: one line: {stderr}"
        );
    }
    let (code, _, stderr) = extract(std::path::Path::new("/nonexistent/article.txt"));
    assert_eq!(code, 1);
    assert!(stderr.contains("cannot open"), "{stderr}");
}

#[test]
fn good_input_gives_code_point_offsets() {
    // An emoji and diacritics before the name: offsets count code points, not bytes or UTF-16 units.
    let text = "😀 قالَ الرئيس فلاديمير بوتين";
    let p = temp("good.txt", text.as_bytes());
    let (code, stdout, stderr) = extract(&p);
    std::fs::remove_file(&p).ok();
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let e = v["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "PER")
        .expect("a PER");
    let (s, end) = (
        e["start"].as_u64().unwrap() as usize,
        e["end"].as_u64().unwrap() as usize,
    );
    let got: String = text.chars().skip(s).take(end - s).collect();
    assert_eq!(got, e["text"].as_str().unwrap());
    assert_eq!(got, "فلاديمير بوتين");
}

#[test]
fn train_refuses_bad_options_with_one_line_and_writes_nothing() {
    let data = temp("train.conll", "قال O\nبوش B-PERS\n. O\n".as_bytes());
    let out = std::env::temp_dir().join(format!("sahifa-cli-{}-model.bin", std::process::id()));
    let cases: [(&[&str], &str); 8] = [
        (&["--prune", "-1"], "--prune must be 0 or more"),
        (&["--prune", "1,2,3"], "--prune takes one or two numbers"),
        (&["--bits", "30"], "--bits must be in 10..=22"),
        (&["--epochs", "x"], "--epochs: \"x\" is not a number"),
        (&["--temperature", "0"], "--temperature must be positive"),
        (&["--shift", "nan"], "--shift must be finite"),
        (
            &["--dev-fraction", "0.95"],
            "--dev-fraction must be in [0, 0.9)",
        ),
        (&["--step"], "--step needs a value"),
    ];
    for (extra, want) in cases {
        let o = Command::new(env!("CARGO_BIN_EXE_sahifa"))
            .args(["train", "--data"])
            .arg(&data)
            .arg("--out")
            .arg(&out)
            .args(extra)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{extra:?}: {stderr}");
        assert!(
            stderr.lines().next().unwrap_or("").contains(want),
            "{extra:?}: {stderr}"
        );
        assert!(!out.exists(), "{extra:?} wrote a model");
    }
    std::fs::remove_file(&data).ok();
}
