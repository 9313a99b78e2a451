//! brat standoff (`.ann`) export and import; the `.txt` that goes with it is the article text itself.
//!
//! Lines: `T<n><TAB>TYPE start end<TAB>text` for spans and `#<n><TAB>AnnotatorNotes T<n><TAB>note` for notes.
//! Offsets are code points, which is what brat counts (it indexes the decoded `.txt` in Python).
//!
//! - A span that crosses a line break is written as brat's discontinuous span, one fragment per line
//!   (`T1<TAB>LOC 0 5;6 11<TAB>first second`, fragment texts joined by a space), since brat does not let a
//!   fragment contain a newline. Import joins the fragments back into one span from the first fragment's
//!   start to the last one's end.
//! - brat types cannot contain spaces: whitespace in a label is written as `_`. brat notes are one line:
//!   line breaks and tabs in a note are written as spaces.
//! - Review state travels as brat attributes on the machine's annotations (source `extractor`):
//!   `A<n><TAB>Source T<n> extractor` and `A<n><TAB>Status T<n> suggested|accepted|rejected` (declare them
//!   in brat's `annotation.conf` as `Source Arg:<ENTITY>, Value:user|extractor` and
//!   `Status Arg:<ENTITY>, Value:suggested|accepted|rejected`). A span without them is the user's, accepted.
//!   Import reads `Source` and `Status` attributes (`A` or `M` lines) on `T` spans; other attributes are
//!   skipped, and so are the other annotation kinds (relations `R`, events `E`, normalisations `N`);
//!   notes attached to them are ignored.
//! - A span whose text column does not have the length of its offsets is an error (the file is corrupt);
//!   a text column that no longer matches the article at those offsets is re-anchored.

use super::w3c::{parse_source, parse_status, status_str};
use super::{
    parse_offset, too_many_spans, Codec, Doc, FormatError, Imported, Location, TextIndex,
    MAX_IMPORT_SPANS,
};
use crate::annotation::Source;
use std::collections::HashMap;

pub struct Brat;

const SPAN_SHAPE: &str = "expected 'T<n>\\tTYPE start end\\ttext'";
const NOTE_SHAPE: &str = "expected '#<n>\\tAnnotatorNotes T<n>\\tnote'";
const ATTR_SHAPE: &str = "expected 'A<n>\\tName T<n> value'";

fn is_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}' | '\u{0B}' | '\u{0C}'
    )
}

/// Fragments of `start..end` that contain no line break (empty pieces dropped).
fn fragments(chars: &[char], start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut s = start;
    for (i, &c) in chars.iter().enumerate().take(end).skip(start) {
        if is_break(c) {
            if s < i {
                out.push((s, i));
            }
            s = i + 1;
        }
    }
    if s < end {
        out.push((s, end));
    }
    out
}

impl Codec for Brat {
    fn export(doc: &Doc) -> String {
        let chars: Vec<char> = doc.text.chars().collect();
        let mut out = String::new();
        let mut notes = String::new();
        let mut attrs = String::new();
        let mut n_attrs = 0;
        let mut n = 0;
        for a in doc.annotations {
            if a.start >= a.end || a.end > chars.len() {
                continue;
            }
            let frags = fragments(&chars, a.start, a.end);
            if frags.is_empty() {
                continue;
            }
            n += 1;
            let label: String = a
                .label
                .chars()
                .map(|c| if c.is_whitespace() { '_' } else { c })
                .collect();
            let offs: Vec<String> = frags.iter().map(|(s, e)| format!("{s} {e}")).collect();
            let texts: Vec<String> = frags
                .iter()
                .map(|&(s, e)| chars[s..e].iter().collect())
                .collect();
            // Tabs inside a span would shift brat's columns; it is the last column, so they survive here.
            out.push_str(&format!(
                "T{n}\t{label} {}\t{}\n",
                offs.join(";"),
                texts.join(" ")
            ));
            if a.source == Source::Extractor {
                let k = n_attrs;
                n_attrs += 2;
                attrs.push_str(&format!("A{}\tSource T{n} extractor\n", k + 1));
                attrs.push_str(&format!(
                    "A{}\tStatus T{n} {}\n",
                    k + 2,
                    status_str(a.status)
                ));
            }
            if let Some(note) = a.note.as_deref().filter(|x| !x.is_empty()) {
                let one_line: String = note
                    .chars()
                    .map(|c| if is_break(c) || c == '\t' { ' ' } else { c })
                    .collect();
                notes.push_str(&format!("#{n}\tAnnotatorNotes T{n}\t{one_line}\n"));
            }
        }
        out.push_str(&attrs);
        out.push_str(&notes);
        out
    }

    fn import(text: &str, data: &str) -> Result<Vec<Imported>, FormatError> {
        let mut spans: Vec<Imported> = Vec::new();
        let mut by_id: HashMap<String, usize> = HashMap::new();
        let mut notes: Vec<(usize, String, String)> = Vec::new();
        // Review attributes: (line, name, target, value).
        let mut attrs: Vec<(usize, String, String, String)> = Vec::new();
        let index = TextIndex::new(text);
        let text_len = index.len_chars();
        for (i, raw) in data.split('\n').enumerate() {
            let line_no = i + 1;
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            if line.trim().is_empty() {
                continue;
            }
            let loc = Location::Line(line_no);
            match line.chars().next() {
                Some('T') => {
                    let mut cols = line.splitn(3, '\t');
                    let id = cols.next().unwrap_or("");
                    let (Some(mid), Some(quote)) = (cols.next(), cols.next()) else {
                        return Err(FormatError::at(loc, SPAN_SHAPE));
                    };
                    if id.len() < 2
                        || !id[1..]
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_')
                    {
                        return Err(FormatError::at(loc, SPAN_SHAPE).field("id"));
                    }
                    let (label, offsets) = mid
                        .split_once(' ')
                        .ok_or_else(|| FormatError::at(loc, SPAN_SHAPE))?;
                    if label.is_empty() {
                        return Err(FormatError::at(loc, SPAN_SHAPE).field("type"));
                    }
                    // brat types have no whitespace (export writes it as '_'); a CR inside a line is damage.
                    if label.contains(char::is_whitespace) {
                        return Err(FormatError::at(loc, format!("{label:?} holds whitespace"))
                            .field("type"));
                    }
                    let mut frags = Vec::new();
                    for f in offsets.split(';') {
                        let mut it = f.split_whitespace();
                        let (Some(s), Some(e), None) = (it.next(), it.next(), it.next()) else {
                            return Err(FormatError::at(loc, SPAN_SHAPE).field("offsets"));
                        };
                        let s = parse_offset(s, loc, "start")?;
                        let e = parse_offset(e, loc, "end")?;
                        if s >= e {
                            return Err(FormatError::at(
                                loc,
                                format!("the range {s} {e} is empty or reversed"),
                            ));
                        }
                        if let Some(&(_, pe)) = frags.last() {
                            if s < pe {
                                return Err(FormatError::at(
                                    loc,
                                    "fragments must be in order and not overlap",
                                )
                                .field("offsets"));
                            }
                        }
                        frags.push((s, e));
                    }
                    let frag_len: usize =
                        frags.iter().map(|(s, e)| e - s).sum::<usize>() + frags.len() - 1;
                    let qlen = quote.chars().count();
                    if qlen != frag_len {
                        return Err(FormatError::at(
                            loc,
                            format!("the text {quote:?} is {qlen} code points but the offsets {offsets} cover {frag_len}"),
                        )
                        .field("text"));
                    }
                    let start = frags[0].0;
                    let end = frags[frags.len() - 1].1;
                    // For a discontinuous span the article's own text between the fragments is the quote when
                    // the fragments still match; otherwise the pieces joined by line breaks are the best guess.
                    let quote = if frags.len() == 1 {
                        quote.to_string()
                    } else {
                        let mut pieces = Vec::new();
                        let mut rest = quote;
                        for &(s, e) in &frags {
                            let b = rest
                                .char_indices()
                                .nth(e - s)
                                .map_or(rest.len(), |(b, _)| b);
                            pieces.push(&rest[..b]);
                            rest = rest.get(b + 1..).unwrap_or("");
                        }
                        let matches = end <= text_len
                            && frags
                                .iter()
                                .zip(&pieces)
                                .all(|(&(s, e), p)| index.slice(s, e) == Some(*p));
                        match index.slice(start, end) {
                            Some(whole) if matches => whole.to_string(),
                            _ => pieces.join("\n"),
                        }
                    };
                    if spans.len() == MAX_IMPORT_SPANS {
                        return Err(too_many_spans(loc));
                    }
                    if by_id.insert(id.to_string(), spans.len()).is_some() {
                        return Err(FormatError::at(loc, format!("duplicate id {id}")).field("id"));
                    }
                    spans.push(Imported {
                        start: Some(start),
                        end: Some(end),
                        label: label.to_string(),
                        quote: Some(quote),
                        location: loc,
                        ..Default::default()
                    });
                }
                Some('#') => {
                    let mut cols = line.splitn(3, '\t');
                    let _id = cols.next();
                    let (Some(mid), note) = (cols.next(), cols.next()) else {
                        return Err(FormatError::at(loc, NOTE_SHAPE));
                    };
                    let mut it = mid.split_whitespace();
                    let (Some(kind), Some(target)) = (it.next(), it.next()) else {
                        return Err(FormatError::at(loc, NOTE_SHAPE));
                    };
                    if kind == "AnnotatorNotes" {
                        notes.push((line_no, target.to_string(), note.unwrap_or("").to_string()));
                    }
                }
                Some('A' | 'M') => {
                    let mut cols = line.splitn(3, '\t');
                    let _id = cols.next();
                    let Some(mid) = cols.next() else {
                        return Err(FormatError::at(loc, ATTR_SHAPE));
                    };
                    let mut it = mid.split_whitespace();
                    if let (Some(name @ ("Source" | "Status")), Some(target)) =
                        (it.next(), it.next())
                    {
                        let value = it.next().unwrap_or("").to_string();
                        attrs.push((line_no, name.to_string(), target.to_string(), value));
                    }
                }
                Some('R' | 'E' | 'N' | '*') => {
                    if !line.contains('\t') {
                        return Err(FormatError::at(
                            loc,
                            "expected a tab-separated brat annotation line",
                        ));
                    }
                }
                _ => {
                    return Err(FormatError::at(
                        loc,
                        format!("{SPAN_SHAPE} (a brat line starts with T, #, R, E, A, M or N)"),
                    ))
                }
            }
        }
        for (line_no, name, target, value) in attrs {
            let Some(&i) = by_id.get(&target) else {
                if target.starts_with('T') {
                    return Err(FormatError::at_line(
                        line_no,
                        format!("{name} attribute for {target}, which is not defined"),
                    ));
                }
                continue;
            };
            let loc = Location::Line(line_no);
            if name == "Source" {
                spans[i].source = Some(parse_source(&value).ok_or_else(|| {
                    FormatError::at(loc, "expected 'user' or 'extractor'").field("Source")
                })?);
            } else {
                spans[i].status = Some(parse_status(&value).ok_or_else(|| {
                    FormatError::at(loc, "expected 'suggested', 'accepted' or 'rejected'")
                        .field("Status")
                })?);
            }
        }
        for (line_no, target, note) in notes {
            match by_id.get(&target) {
                Some(&i) => {
                    let n = &mut spans[i].note;
                    *n = Some(match n.take() {
                        Some(prev) => format!("{prev}\n{note}"),
                        None => note,
                    });
                }
                None if target.starts_with('T') => {
                    return Err(FormatError::at_line(
                        line_no,
                        format!("note for {target}, which is not defined"),
                    ))
                }
                None => {}
            }
        }
        Ok(spans)
    }
}
