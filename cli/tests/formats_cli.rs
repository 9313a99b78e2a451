//! `sahifa extract --format …` writes what `formats::import` reads back.

use sahifa_core::formats::{import, Format};
use std::process::Command;

#[test]
fn extract_exports_every_format_and_it_imports_back() {
    let text = "أعلن الكرملين أن فلاديمير بوتين سيزور أذربيجان يوم 27 سبتمبر.\n";
    let path = std::env::temp_dir().join(format!("sahifa-formats-cli-{}.txt", std::process::id()));
    std::fs::write(&path, text).unwrap();
    let expected = sahifa_core::extract(text);
    for f in Format::ALL {
        let out = Command::new(env!("CARGO_BIN_EXE_sahifa"))
            .args(["extract", "--format", f.as_str()])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{f}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let data = String::from_utf8(out.stdout).unwrap();
        let back = import(f, text, &data).unwrap_or_else(|e| panic!("{f}: {e}\n{data}"));
        assert!(back.orphans.is_empty());
        let got: Vec<_> = back
            .annotations
            .iter()
            .map(|a| (a.start, a.end, a.label.as_str()))
            .collect();
        let want: Vec<_> = expected
            .iter()
            .map(|a| (a.start, a.end, a.label.as_str()))
            .collect();
        assert_eq!(got, want, "{f}");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_sahifa"))
        .args(["extract", "--format", "xml"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown format"));
    std::fs::remove_file(&path).ok();
}
