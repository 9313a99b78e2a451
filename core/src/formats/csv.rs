//! CSV export and import: header `start,end,type,text,entity,source,note,status`, one annotation a row
//! (`status` last, so files written before it existed still import: a missing status is the default).
//!
//! RFC 4180: fields holding a comma, a double quote, a CR or LF are quoted, quotes inside are doubled, rows
//! end with CRLF. UTF-8 without a byte-order mark on export; a BOM is tolerated on import. Import finds the
//! columns by their header names (any order, case-insensitive; `label` is accepted for `type`); `start`,
//! `end` and `type` are required, the rest optional. Errors name the line on which the row begins.
//! (Hand-written rather than the `csv` crate: the parser is small, and it has to report line numbers of
//! rows with quoted line breaks in them.)
//!
//! **CSV injection** (OWASP): a text cell (type, text, entity, note) that begins with `=`, `+`, `-`, `@`, a tab
//! or a carriage return would run as a formula in a spreadsheet, so export writes it quoted with a `'` in
//! front (`"'=HYPERLINK(…)"`). A cell that already begins with `'` gets one more in front too, so the rule is
//! reversible: import removes one leading `'` exactly where the rest begins with one of those six characters
//! or with `'`, and a round trip gives back exactly the text. A cell that merely begins with `'` followed by
//! anything else (`'tis`, from another tool) is read as it is.

use super::w3c::{parse_source, parse_status, status_str};
use super::{
    parse_offset, too_many_spans, Codec, Doc, FormatError, Imported, Location, TextIndex,
    MAX_IMPORT_SPANS,
};

pub struct Csv;

pub const HEADER: [&str; 8] = [
    "start", "end", "type", "text", "entity", "source", "note", "status",
];

/// First characters that make a spreadsheet read a cell as a formula (OWASP's list).
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Writes a text cell, neutralised against formula injection (see the module doc).
fn text_field(out: &mut String, f: &str) {
    if f.starts_with(FORMULA_START) || f.starts_with('\'') {
        out.push_str("\"'");
        out.push_str(&f.replace('"', "\"\""));
        out.push('"');
    } else {
        quote_field(out, f);
    }
}

/// Undoes [`text_field`]'s neutralisation: one leading `'` goes where export would have put it.
fn unneutralise(f: &str) -> &str {
    match f.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_START) || rest.starts_with('\'') => rest,
        _ => f,
    }
}

fn quote_field(out: &mut String, f: &str) {
    if f.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&f.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(f);
    }
}

impl Codec for Csv {
    fn export(doc: &Doc) -> String {
        let index = TextIndex::new(doc.text);
        let mut out = HEADER.join(",");
        out.push_str("\r\n");
        for a in doc.annotations {
            let fields = [
                a.start.to_string(),
                a.end.to_string(),
                a.label.clone(),
                index.span_text(a).to_string(),
                a.entity.clone(),
                a.source.as_str().to_string(),
                a.note.clone().unwrap_or_default(),
                status_str(a.status).to_string(),
            ];
            for (i, f) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                // start, end and source are digits and fixed words; the rest is free text.
                if matches!(i, 0 | 1 | 5) {
                    quote_field(&mut out, f);
                } else {
                    text_field(&mut out, f);
                }
            }
            out.push_str("\r\n");
        }
        out
    }

    fn import(_text: &str, data: &str) -> Result<Vec<Imported>, FormatError> {
        let data = data.strip_prefix('\u{FEFF}').unwrap_or(data);
        let rows = parse(data)?;
        let mut rows = rows
            .into_iter()
            .filter(|(_, r)| !(r.len() == 1 && r[0].trim().is_empty()));
        let Some((hline, header)) = rows.next() else {
            return Err(FormatError::new("the CSV has no header row"));
        };
        let expected = format!("expected the header '{}'", HEADER.join(","));
        let col = |name: &str| {
            header
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
        };
        let (Some(cs), Some(ce), Some(ct)) = (
            col("start"),
            col("end"),
            col("type").or_else(|| col("label")),
        ) else {
            return Err(FormatError::at_line(hline, expected));
        };
        let (cx, cn, cso, cno) = (col("text"), col("entity"), col("source"), col("note"));
        let cst = col("status");
        let mut out = Vec::new();
        for (line, row) in rows {
            let loc = Location::Line(line);
            if row.len() != header.len() {
                return Err(FormatError::at_line(
                    line,
                    format!("{} fields, but the header has {}", row.len(), header.len()),
                ));
            }
            let label = unneutralise(&row[ct]).trim();
            if label.is_empty() {
                return Err(FormatError::at(loc, "is empty").field(header[ct].trim().to_string()));
            }
            let get = |c: Option<usize>| c.map(|c| row[c].as_str()).filter(|s| !s.is_empty());
            let text = |c: Option<usize>| get(c).map(|s| unneutralise(s).to_string());
            let source = match get(cso) {
                Some(s) => Some(parse_source(s.trim()).ok_or_else(|| {
                    FormatError::at(loc, "expected 'user' or 'extractor'").field("source")
                })?),
                None => None,
            };
            let status = match get(cst) {
                Some(s) => Some(parse_status(s.trim()).ok_or_else(|| {
                    FormatError::at(loc, "expected 'suggested', 'accepted' or 'rejected'")
                        .field("status")
                })?),
                None => None,
            };
            out.push(Imported {
                start: Some(parse_offset(&row[cs], loc, "start")?),
                end: Some(parse_offset(&row[ce], loc, "end")?),
                label: label.to_string(),
                quote: text(cx),
                entity: text(cn),
                source,
                status,
                note: text(cno),
                location: loc,
                ..Default::default()
            });
        }
        Ok(out)
    }
}

/// Most fields a CSV row may have (Sahifa's has 7); more is refused rather than collected.
pub const MAX_FIELDS: usize = 64;

/// RFC 4180 records, each with the 1-based line it starts on. Lenient about LF-only line ends; blank lines
/// (one empty or all-space field) are skipped. More than [`MAX_IMPORT_SPANS`] records after the header, or
/// more than [`MAX_FIELDS`] fields in one, are refused, so a hostile file cannot make millions of them.
pub fn parse(data: &str) -> Result<Vec<(usize, Vec<String>)>, FormatError> {
    let mut rows = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut line = 1;
    let mut row_line = 1;
    let mut chars = data.chars().peekable();
    let mut at_field_start = true;
    let mut pending = false; // whether the current row has any content
    while let Some(c) = chars.next() {
        match c {
            '"' if at_field_start => {
                let open_line = line;
                loop {
                    match chars.next() {
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                            field.push('"');
                        }
                        Some('"') => break,
                        Some(ch) => {
                            if ch == '\n' {
                                line += 1;
                            }
                            field.push(ch);
                        }
                        None => {
                            return Err(FormatError::at_line(
                                open_line,
                                "a quoted field is never closed (missing '\"')",
                            ))
                        }
                    }
                }
                match chars.peek() {
                    None | Some(',') | Some('\n') | Some('\r') => {}
                    Some(_) => {
                        return Err(FormatError::at_line(
                            line,
                            "text after a closing quote: quotes inside a field must be doubled",
                        ))
                    }
                }
                at_field_start = false;
                pending = true;
            }
            '"' => {
                return Err(FormatError::at_line(
                    line,
                    "a quote inside an unquoted field: quote the field and double the quote",
                ))
            }
            ',' => {
                if row.len() + 1 >= MAX_FIELDS {
                    return Err(FormatError::at_line(
                        row_line,
                        format!("more than {MAX_FIELDS} fields in one row"),
                    ));
                }
                row.push(std::mem::take(&mut field));
                at_field_start = true;
                pending = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                row.push(std::mem::take(&mut field));
                if row.len() == 1 && row[0].trim().is_empty() {
                    row.clear();
                } else if rows.len() > MAX_IMPORT_SPANS {
                    return Err(too_many_spans(Location::Line(row_line)));
                } else {
                    rows.push((row_line, std::mem::take(&mut row)));
                }
                line += 1;
                row_line = line;
                at_field_start = true;
                pending = false;
            }
            _ => {
                field.push(c);
                at_field_start = false;
                pending = true;
            }
        }
    }
    if pending || !field.is_empty() {
        row.push(field);
        if !(row.len() == 1 && row[0].trim().is_empty()) {
            if rows.len() > MAX_IMPORT_SPANS {
                return Err(too_many_spans(Location::Line(row_line)));
            }
            rows.push((row_line, row));
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_quoted_fields_with_commas_quotes_and_newlines() {
        let rows = parse("a,\"b,1\",\"say \"\"hi\"\"\"\r\n\"x\ny\",,z\n").unwrap();
        assert_eq!(
            rows[0],
            (1, vec!["a".into(), "b,1".into(), "say \"hi\"".into()])
        );
        assert_eq!(rows[1], (2, vec!["x\ny".into(), "".into(), "z".into()]));
        assert_eq!(rows.len(), 2);
    }

    #[test]
    fn quoting_round_trips() {
        for f in [
            "plain",
            "a,b",
            "q\"q",
            "line\nbreak",
            "cr\rx",
            "",
            "عربي، نعم",
        ] {
            let mut line = String::new();
            quote_field(&mut line, f);
            line.push_str(",end");
            let rows = parse(&line).unwrap();
            assert_eq!(rows[0].1, vec![f.to_string(), "end".to_string()], "{f:?}");
        }
    }

    #[test]
    fn stray_quotes_are_errors() {
        assert!(parse("a\"b,c\n").is_err());
        assert!(parse("\"a\"b,c\n").is_err());
    }
}

/// CSV injection (OWASP): neutralised cells, exact round trips.
#[cfg(test)]
mod injection_tests;
