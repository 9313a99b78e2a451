//! Files in and out of the widget: downloads of exports, reading dropped or opened files, and turning an
//! HTML document into article text with its paragraphs.

use sahifa_core::formats::Format;
use wasm_bindgen::JsCast;

/// Offers `content` as a download named `name`.
pub fn download(name: &str, mime: &str, content: &str) {
    let blob = gloo_file::Blob::new_with_options(content, Some(mime));
    click_download(name, &gloo_file::ObjectUrl::from(blob));
}

fn click_download(name: &str, url: &gloo_file::ObjectUrl) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(a) = doc.create_element("a") else {
        return;
    };
    let Ok(a) = a.dyn_into::<web_sys::HtmlAnchorElement>() else {
        return;
    };
    a.set_href(url);
    a.set_download(name);
    a.click();
    // The URL is revoked when `url` drops; the click has already started the download.
}

/// Offers bytes (a zip) as a download named `name`.
pub fn download_bytes(name: &str, mime: &str, content: &[u8]) {
    let blob = gloo_file::Blob::new_with_options(content, Some(mime));
    click_download(name, &gloo_file::ObjectUrl::from(blob));
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

/// The article text of an HTML document, read by the same function as an embedded article
/// ([`crate::dom_article::article_of`]), so an opened page and the same page embedded give the same text.
pub fn article_from_html(html: &str) -> Result<String, String> {
    let parser = web_sys::DomParser::new().map_err(|_| "cannot parse HTML here".to_string())?;
    let doc = parser
        .parse_from_string(html, web_sys::SupportedType::TextHtml)
        .map_err(|_| "the file is not HTML".to_string())?;
    let body = doc.body().ok_or("the HTML has no body")?;
    crate::dom_article::article_of(&body).map(|(text, _)| text)
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
