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
/// Also says which paragraphs were headings (their level), so they stay headings.
pub fn article_from_html(html: &str) -> Result<(String, Vec<Option<u8>>), ArticleError> {
    let parser = web_sys::DomParser::new().map_err(|_| ArticleError::NotHtml)?;
    let doc = parser
        .parse_from_string(html, web_sys::SupportedType::TextHtml)
        .map_err(|_| ArticleError::NotHtml)?;
    let body = doc.body().ok_or(ArticleError::NotHtml)?;
    crate::dom_article::article_of(&body).map_err(|_| ArticleError::Empty)
}

/// Why a file or a paste gives no article; the interface says it in its language.
#[derive(Debug, Clone, PartialEq)]
pub enum ArticleError {
    Binary,
    Empty,
    NotHtml,
    /// The browser could not read the file (its own message).
    Unreadable(String),
}

impl ArticleError {
    pub fn text(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::Msg;
        match self {
            ArticleError::Binary => Msg::BinaryFile.text(lang).into(),
            ArticleError::Empty => Msg::EmptyText.text(lang).into(),
            ArticleError::NotHtml => Msg::NotHtml.text(lang).into(),
            ArticleError::Unreadable(why) => why.clone(),
        }
    }
}

/// Plain-text articles: line endings unified, blank-line paragraphs kept, trailing space trimmed.
pub fn clean_text(s: &str) -> Result<String, ArticleError> {
    if s.contains('\0') {
        return Err(ArticleError::Binary);
    }
    let t = s.replace("\r\n", "\n").replace('\r', "\n");
    let t = t
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .to_string();
    if t.is_empty() {
        return Err(ArticleError::Empty);
    }
    Ok(t)
}
