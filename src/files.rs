//! Files in and out of the widget: downloads of exports, reading dropped or opened files, and turning an
//! HTML document into article text with its paragraphs.

use sahifa_core::formats::Format;
use wasm_bindgen::JsCast;

/// Offers `content` as a download named `name`.
pub fn download(name: &str, mime: &str, content: &str) {
    let blob = gloo_file::Blob::new_with_options(content, Some(mime));
    let url = gloo_file::ObjectUrl::from(blob);
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(a) = doc.create_element("a") else {
        return;
    };
    let Ok(a) = a.dyn_into::<web_sys::HtmlAnchorElement>() else {
        return;
    };
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // The URL is revoked when `url` drops; the click has already started the download.
}

/// What a file is for, from its name: an article to load or annotations to import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Article { html: bool },
    Annotations(Format),
}

pub fn kind_of(name: &str) -> Option<FileKind> {
    let lower = name.to_lowercase();
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    Some(match ext {
        "txt" => FileKind::Article { html: false },
        "html" | "htm" => FileKind::Article { html: true },
        "json" | "jsonld" => FileKind::Annotations(Format::W3c),
        "ann" => FileKind::Annotations(Format::Brat),
        "conll" | "bio" | "iob" => FileKind::Annotations(Format::Conll),
        "jsonl" => FileKind::Annotations(Format::Jsonl),
        "csv" => FileKind::Annotations(Format::Csv),
        _ => return None,
    })
}

/// The article text of an HTML document: each block (headings, paragraphs, list items, quotes) becomes a
/// paragraph, its text kept as written; markup and scripts are dropped.
pub fn article_from_html(html: &str) -> Result<String, String> {
    let parser = web_sys::DomParser::new().map_err(|_| "cannot parse HTML here".to_string())?;
    let doc = parser
        .parse_from_string(html, web_sys::SupportedType::TextHtml)
        .map_err(|_| "the file is not HTML".to_string())?;
    let blocks = doc
        .query_selector_all("h1,h2,h3,h4,h5,h6,p,li,blockquote,pre")
        .map_err(|_| "cannot read the HTML".to_string())?;
    let mut out: Vec<String> = Vec::new();
    for i in 0..blocks.length() {
        let Some(el) = blocks
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        // Skip blocks nested in another block we already took (a <p> inside an <li>).
        if el
            .parent_element()
            .and_then(|p| p.closest("p,li,blockquote,pre").ok().flatten())
            .is_some()
        {
            continue;
        }
        let t = normalize_ws(&el.text_content().unwrap_or_default());
        if !t.is_empty() {
            out.push(t);
        }
    }
    if out.is_empty() {
        let body = doc
            .body()
            .and_then(|b| b.text_content())
            .unwrap_or_default();
        out = body
            .split("\n\n")
            .map(normalize_ws)
            .filter(|p| !p.is_empty())
            .collect();
    }
    if out.is_empty() {
        return Err("the HTML holds no text".into());
    }
    Ok(out.join("\n\n"))
}

/// Collapses runs of white space inside a paragraph (HTML source line breaks are not text).
fn normalize_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Plain-text articles: line endings unified, blank-line paragraphs kept, trailing space trimmed.
pub fn clean_text(s: &str) -> Result<String, String> {
    if s.contains('\0') {
        return Err("this looks like a binary file, not text".into());
    }
    let t = s.replace("\r\n", "\n").replace('\r', "\n");
    let t = t
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .to_string();
    if t.is_empty() {
        return Err("the text is empty".into());
    }
    Ok(t)
}
