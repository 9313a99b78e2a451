//! CSV export and import: header `start,end,type,text,entity,source,note,status`, one annotation a row
//! (`status` last, so files written before it existed still import: a missing status is the default).
//!
//! RFC 4180: fields holding a comma, a double quote, a CR or LF are quoted, quotes inside are doubled, rows
//! end with CRLF. UTF-8 without a byte-order mark on export; a BOM is tolerated on import. Import finds the
//! columns by their header names (any order, case-insensitive; `label` is accepted for `type`); `start`,
//! `end` and `type` are required, the rest optional. Errors name the line on which the row begins.
//! (Hand-written rather than the `csv` crate: the parser is small, and it has to report line numbers of
//! rows with quoted line breaks in them.)

use super::w3c::{parse_source, parse_status, status_str};
use super::{parse_offset, Codec, Doc, FormatError, Imported, Location, TextIndex};

pub struct Csv;

pub const HEADER: [&str; 8] = [
    "start", "end", "type", "text", "entity", "source", "note", "status",
];

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
                quote_field(&mut out, f);
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
            if row[ct].trim().is_empty() {
                return Err(FormatError::at(loc, "is empty").field(header[ct].trim().to_string()));
            }
            let get = |c: Option<usize>| c.map(|c| row[c].as_str()).filter(|s| !s.is_empty());
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
                label: row[ct].trim().to_string(),
                quote: get(cx).map(str::to_string),
                entity: get(cn).map(str::to_string),
                source,
                status,
                note: get(cno).map(str::to_string),
                location: loc,
                ..Default::default()
            });
        }
        Ok(out)
    }
}

/// RFC 4180 records, each with the 1-based line it starts on. Lenient about LF-only line ends.
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
                row.push(std::mem::take(&mut field));
                at_field_start = true;
                pending = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                row.push(std::mem::take(&mut field));
                rows.push((row_line, std::mem::take(&mut row)));
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
        rows.push((row_line, row));
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
