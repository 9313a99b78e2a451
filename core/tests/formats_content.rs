//! Fixed-text checks: offsets agree with quotes in every format's output, and the W3C document has what the
//! Web Annotation Data Model requires.

use sahifa_core::formats::{self, export, import, Format};
use sahifa_core::slice_chars;
use sahifa_core::{Annotation, Source, Status};
use serde_json::Value;

/// Diacritics, tatweel, an emoji outside the BMP, a Latin word, Latin and Arabic-Indic digits, a line break.
const TEXT: &str = "قال الرئيسُ 😀 إيمانويل ماكرون (Emmanuel Macron) في باريـــس يوم ٢٧ سبتمبر 2020،\nإنّ مجموعة مينسك ستجتمع.";

fn find(text: &str, needle: &str) -> (usize, usize) {
    let b = text.find(needle).unwrap();
    let s = text[..b].chars().count();
    (s, s + needle.chars().count())
}

fn ann(id: &str, needle: &str, label: &str, source: Source, note: Option<&str>) -> Annotation {
    let (start, end) = find(TEXT, needle);
    Annotation {
        id: id.into(),
        start,
        end,
        label: label.into(),
        text: needle.into(),
        entity: format!("ent-{id}"),
        canonical: String::new(),
        source,
        status: if source == Source::User {
            Status::Accepted
        } else {
            Status::Suggested
        },
        note: note.map(str::to_string),
        confidence: if source == Source::Extractor {
            Some(0.75)
        } else {
            None
        },
    }
}

/// In text order, the order exports write them in.
fn annotations() -> Vec<Annotation> {
    let mut v = vec![
        ann("a1", "إيمانويل ماكرون", "PER", Source::Extractor, None),
        ann(
            "a2",
            "Emmanuel Macron",
            "PER",
            Source::User,
            Some("اسم لاتيني, \"quoted\""),
        ),
        ann("a3", "باريـــس", "LOC", Source::User, None),
        ann("a4", "٢٧ سبتمبر", "DATE", Source::Extractor, None),
        ann("a5", "2020", "NUM", Source::User, Some("سنة")),
        ann("a6", "مجموعة مينسك", "ORG", Source::User, None),
        ann("a7", "الرئيسُ 😀", "MISC", Source::User, None),
    ];
    v.sort_by_key(|a| a.start);
    v
}

#[test]
fn offsets_agree_with_quotes_in_every_format() {
    let anns = annotations();
    for a in &anns {
        assert_eq!(slice_chars(TEXT, a.start, a.end), Some(a.text.as_str()));
    }
    for f in Format::ALL {
        let data = export(f, TEXT, "article.txt", &anns);
        let r = import(f, TEXT, &data).unwrap_or_else(|e| panic!("{f}: {e}\n{data}"));
        assert!(r.orphans.is_empty(), "{f}");
        assert_eq!(r.annotations.len(), anns.len(), "{f}:\n{data}");
        for (got, want) in r.annotations.iter().zip(&anns) {
            assert_eq!(
                (got.start, got.end, got.label.as_str()),
                (want.start, want.end, want.label.as_str()),
                "{f}"
            );
            assert_eq!(got.text, want.text, "{f}");
        }
    }
}

#[test]
fn brat_lines_carry_code_point_offsets_and_the_quote() {
    let anns = annotations();
    let data = export(Format::Brat, TEXT, "article", &anns);
    let spans: Vec<&str> = data.lines().filter(|l| l.starts_with('T')).collect();
    assert_eq!(spans.len(), anns.len());
    for line in spans {
        let cols: Vec<&str> = line.splitn(3, '\t').collect();
        let mut mid = cols[1].split(' ');
        let _label = mid.next().unwrap();
        let s: usize = mid.next().unwrap().parse().unwrap();
        let e: usize = mid.next().unwrap().parse().unwrap();
        assert_eq!(slice_chars(TEXT, s, e), Some(cols[2]), "{line}");
    }
    assert!(
        data.contains("#1\tAnnotatorNotes T2\tاسم لاتيني, \"quoted\"")
            || data.contains("AnnotatorNotes T")
    );
}

#[test]
fn brat_splits_spans_across_line_breaks_and_joins_them_back() {
    let text = "زار ماكرون\nباريس أمس";
    let a = Annotation {
        id: "x".into(),
        start: 4,
        end: 16,
        label: "MISC".into(),
        text: "ماكرون\nباريس".into(),
        entity: String::new(),
        canonical: String::new(),
        source: Source::User,
        status: Status::Accepted,
        note: Some("سطران".into()),
        confidence: None,
    };
    let data = export(Format::Brat, text, "t", std::slice::from_ref(&a));
    assert_eq!(
        data,
        "T1\tMISC 4 10;11 16\tماكرون باريس\n#1\tAnnotatorNotes T1\tسطران\n"
    );
    let back = import(Format::Brat, text, &data).unwrap().annotations;
    assert_eq!(
        (back[0].start, back[0].end, back[0].note.as_deref()),
        (4, 16, Some("سطران"))
    );
}

#[test]
fn csv_quotes_per_rfc4180_and_has_no_bom() {
    let data = export(Format::Csv, TEXT, "a", &annotations());
    assert!(data.starts_with("start,end,type,text,entity,source,note,status\r\n"));
    assert!(
        data.contains(",\"اسم لاتيني, \"\"quoted\"\"\",accepted\r\n"),
        "{data}"
    );
    // A BOM and LF line ends are tolerated on import.
    let with_bom = format!("\u{FEFF}{}", data.replace("\r\n", "\n"));
    assert_eq!(
        import(Format::Csv, TEXT, &with_bom)
            .unwrap()
            .annotations
            .len(),
        7
    );
}

#[test]
fn jsonl_is_one_line_with_text_spans_and_meta() {
    let data = export(Format::Jsonl, TEXT, "article", &annotations());
    assert_eq!(data.matches('\n').count(), 1, "one document, one line");
    let v: Value = serde_json::from_str(data.trim_end()).unwrap();
    assert_eq!(v["text"], TEXT);
    assert_eq!(v["spans"].as_array().unwrap().len(), 7);
    assert_eq!(v["spans"][2]["note"], "اسم لاتيني, \"quoted\"");
    assert_eq!(v["meta"]["name"], "article");
}

#[test]
fn conll_tags_tokens_and_separates_sentences() {
    let data = export(Format::Conll, TEXT, "a", &annotations());
    assert!(data.contains("إيمانويل\tB-PER\nماكرون\tI-PER\n"), "{data}");
    assert!(data.contains("2020\tB-NUM\n"));
    assert!(data.contains("\n\n"), "blank line between sentences");
    for line in data.lines().filter(|l| !l.is_empty()) {
        assert_eq!(line.split('\t').count(), 2, "{line}");
    }
}

#[test]
fn conll_tags_the_whole_token_for_a_stem_span_and_imports_the_stem() {
    let text = "وصل الوفد ويريفان أمس";
    let (s, e) = find(text, "يريفان");
    let a = Annotation::user("1", s, e, "LOC", "يريفان");
    let data = export(Format::Conll, text, "a", &[a]);
    assert!(data.contains("ويريفان\tB-LOC"), "{data}");
    let back = import(Format::Conll, text, &data).unwrap().annotations;
    assert_eq!(
        (back[0].start, back[0].end, back[0].text.as_str()),
        (s, e, "يريفان")
    );
    // An ANERcorp-style file (space separated, PERS, no blank lines) reads too.
    let aner = "وصل O\nالوفد O\nويريفان B-LOC\nأمس O\n";
    let back = import(Format::Conll, text, aner).unwrap().annotations;
    assert_eq!(back[0].text, "يريفان");
}

#[test]
fn w3c_has_the_required_web_annotation_fields() {
    let anns = annotations();
    let data = export(Format::W3c, TEXT, "https://example.org/article", &anns);
    let v: Value = serde_json::from_str(&data).unwrap();
    assert_eq!(v["@context"], "http://www.w3.org/ns/anno.jsonld");
    assert_eq!(v["type"], "AnnotationCollection");
    assert_eq!(v["total"], 7);
    assert_eq!(v["first"]["type"], "AnnotationPage");
    let items = v["first"]["items"].as_array().unwrap();
    assert_eq!(items.len(), 7);
    for (item, a) in items.iter().zip(&anns) {
        let id = item["id"].as_str().unwrap();
        assert!(id.starts_with('#') || id.starts_with("urn:"), "{id}");
        assert_eq!(item["type"], "Annotation");
        assert_eq!(item["motivation"], "tagging");
        let bodies = item["body"].as_array().unwrap();
        let tag = bodies.iter().find(|b| b["purpose"] == "tagging").unwrap();
        assert_eq!(tag["type"], "TextualBody");
        assert_eq!(tag["value"], a.label.as_str());
        let comment = bodies.iter().find(|b| b["purpose"] == "commenting");
        assert_eq!(
            comment.map(|c| c["value"].as_str().unwrap()),
            a.note.as_deref()
        );
        let target = &item["target"];
        assert_eq!(target["source"], "https://example.org/article");
        let sels = target["selector"].as_array().unwrap();
        let quote = sels
            .iter()
            .find(|s| s["type"] == "TextQuoteSelector")
            .unwrap();
        let pos = sels
            .iter()
            .find(|s| s["type"] == "TextPositionSelector")
            .unwrap();
        assert_eq!(quote["exact"], a.text.as_str());
        let (s, e) = (
            pos["start"].as_u64().unwrap() as usize,
            pos["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(slice_chars(TEXT, s, e), Some(a.text.as_str()));
        let prefix = quote["prefix"].as_str().unwrap();
        let suffix = quote["suffix"].as_str().unwrap();
        assert!(
            prefix.chars().count() <= formats::CONTEXT_CHARS
                && suffix.chars().count() <= formats::CONTEXT_CHARS
        );
        assert!(TEXT.contains(&format!("{prefix}{}{suffix}", a.text)));
        match a.source {
            Source::User => {
                assert!(item.get("creator").is_some() && item.get("generator").is_none());
            }
            Source::Extractor => {
                assert_eq!(item["generator"]["type"], "Software");
                assert_eq!(item["generator"]["name"], "sahifa");
                assert!(item["generator"]["version"].is_string());
                assert_eq!(item["sahifa:confidence"], 0.75);
            }
        }
        assert_eq!(item["sahifa:entity"], a.entity.as_str());
    }
}

#[test]
fn w3c_import_accepts_a_bare_page_an_array_and_a_single_annotation() {
    let data = export(Format::W3c, TEXT, "a", &annotations());
    let v: Value = serde_json::from_str(&data).unwrap();
    let page = v["first"].to_string();
    let array = v["first"]["items"].to_string();
    let single = v["first"]["items"][3].to_string();
    assert_eq!(
        import(Format::W3c, TEXT, &page).unwrap().annotations.len(),
        7
    );
    assert_eq!(
        import(Format::W3c, TEXT, &array).unwrap().annotations.len(),
        7
    );
    let one = import(Format::W3c, TEXT, &single).unwrap().annotations;
    assert_eq!(one[0].text, "باريـــس");
}

#[test]
fn export_is_deterministic_and_sorted() {
    let mut anns = annotations();
    let a = export(Format::W3c, TEXT, "a", &anns);
    anns.reverse();
    assert_eq!(export(Format::W3c, TEXT, "a", &anns), a);
}

#[test]
fn format_names_parse_and_print() {
    for f in Format::ALL {
        assert_eq!(f.to_string().parse::<Format>(), Ok(f));
    }
    let e = "xml".parse::<Format>().unwrap_err();
    assert_eq!(e.0, "xml");
    assert!(e.to_string().contains("w3c, brat, conll, jsonl, csv"));
}

/// The extractor's own output on the seed article survives every format unchanged (CoNLL included: the
/// extractor's spans start at token stems and end at token ends).
#[test]
fn seed_article_extraction_round_trips_in_every_format() {
    let text = sahifa_core::SEED_ARTICLE;
    let anns = sahifa_core::extract(text);
    assert!(anns.len() > 20);
    let want: Vec<_> = anns
        .iter()
        .map(|a| (a.start, a.end, a.label.clone()))
        .collect();
    for f in Format::ALL {
        let data = export(f, text, "seed", &anns);
        let r = import(f, text, &data).unwrap_or_else(|e| panic!("{f}: {e}"));
        assert!(r.orphans.is_empty(), "{f}");
        let got: Vec<_> = r
            .annotations
            .iter()
            .map(|a| (a.start, a.end, a.label.clone()))
            .collect();
        assert_eq!(got, want, "{f}");
    }
}
